"""An index of the live pages by content type and path: the APIs' exact total_count from it alone.

subsites/api_counts.py counts an API list of one page type on the page table by content
type (live, under the site's root, not below a restriction: path prefixes, depth). On
PostgreSQL this partial index holds every column that count reads, so the count is an
index-only scan (docs/performance.md); `varchar_pattern_ops` lets it serve `path LIKE
'prefix%'` whatever the database's collation. SQLite gets the plain partial index.
"""

from django.db import migrations

NAME = "subsites_live_page_type_path"

CREATE = {
    "postgresql": (
        f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page "
        "(content_type_id, path varchar_pattern_ops) INCLUDE (depth) WHERE live"
    ),
    "sqlite": f"CREATE INDEX IF NOT EXISTS {NAME} ON wagtailcore_page (content_type_id, path, depth) WHERE live",
}


def create(apps, schema_editor):
    sql = CREATE.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in CREATE:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("subsites", "0007_article_date_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
