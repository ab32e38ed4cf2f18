"""A GIN index on the words of title and body together (PostgreSQL only).

Wagtail's index table has one GIN index per vector (title, body,
autocomplete), but its full-text search matches `title || body`, an
expression none of them covers: without this index every search read every
row of the table. See docs/search.md (Speed).
"""

from django.db import migrations

INDEX = "search_zh_title_body_gin"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("wagtailsearch", "IndexEntry")._meta.db_table)
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} USING gin ((title || body))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
