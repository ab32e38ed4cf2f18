"""The 预警信息审核 workflow: 地市审核 then 省级审核, assigned to WarningReport.

Snippets get their workflow through WorkflowContentType (one per model), so
every report submitted anywhere goes through the same two steps. Running
the migration again changes nothing: rows are looked up by name first.
"""

from django.db import migrations

WORKFLOW_NAME = "预警信息审核"
TASKS = [("cityreviewtask", "地市审核"), ("provincialreviewtask", "省级审核")]


def forwards(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowContentType = apps.get_model("wagtailcore", "WorkflowContentType")

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    for order, (model_name, task_name) in enumerate(TASKS):
        TaskModel = apps.get_model("warning", model_name)
        # Historical models skip Task.__init__, so the content type that makes
        # the task "specific" has to be set here by hand.
        content_type, _ = ContentType.objects.get_or_create(app_label="warning", model=model_name)
        task = TaskModel.objects.filter(name=task_name).first()
        if task is None:
            task = TaskModel.objects.create(name=task_name, content_type=content_type, active=True)
        WorkflowTask.objects.get_or_create(workflow=workflow, task_id=task.pk, defaults={"sort_order": order})

    report_type, _ = ContentType.objects.get_or_create(app_label="warning", model="warningreport")
    WorkflowContentType.objects.update_or_create(content_type=report_type, defaults={"workflow": workflow})


def backwards(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    Workflow.objects.filter(name=WORKFLOW_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("warning", "0003_report_attachment_validator"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
