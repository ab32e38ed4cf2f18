"""An index for Wagtail's lookup of the root page (PostgreSQL only).

Every admin page, the page search included, asks for the tree's root
(`depth = 1`); `wagtailcore_page` has no index on depth, so at ten times the
province (376,000 pages) that lookup read the whole table, about 100 ms per
request. A partial index holds the one root row. See docs/search.md (Speed).
"""

from django.db import migrations

INDEX = "search_zh_root_page"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("wagtailcore", "Page")._meta.db_table)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (path) WHERE depth = 1")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search_zh", "0001_title_body_gin"), ("wagtailcore", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
