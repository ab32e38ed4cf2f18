"""An index on the publication time of the reports published to 预警工作交流 (PostgreSQL only).

The public search walks the matching exchange reports newest first when a
word is common (search_zh.postgres.newest_matching); without this index each
step sorted every exchange report. See docs/search.md (Speed).
"""

from django.db import migrations

INDEX = "search_zh_exchange_published"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = schema_editor.quote_name(apps.get_model("warning", "WarningReport")._meta.db_table)
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON {table} (exchange_published_at, id) "
            "WHERE to_exchange AND exchange_published_at IS NOT NULL"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search_zh", "0002_root_page_index"), ("warning", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
