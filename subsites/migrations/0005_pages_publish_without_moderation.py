"""Subsite pages are published by their own point (docs/rules.md §3.4): drop Wagtail's default
page workflow ("Moderators approval" on the root page), which would otherwise offer
point editors a 提交给 Moderators approval that nobody in this programme handles.
Warning reports keep their own workflow (warning 0004)."""

from django.db import migrations


def forwards(apps, schema_editor):
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage.objects.filter(page__depth=1).delete()
    Workflow.objects.filter(name="Moderators approval", workflow_pages__isnull=True).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("subsites", "0004_portal_tree"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
