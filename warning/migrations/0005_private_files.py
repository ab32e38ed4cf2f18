"""Report attachments and periodic report files move to private storage under random names.

Each file found in the public (default) storage is copied into the private
storage as <its folder>/<uuid>.<ext>; the row (and, for report attachments,
every revision that names the file, so that publishing or restoring a
revision keeps pointing at it) is updated, the uploader's name is kept in
ReportAttachment.name, and the public copy is deleted once the migration's
transaction has committed. A file already moved (not in the public storage)
is left alone, so the migration can be run again.
"""

from pathlib import PurePath

from django.db import migrations, models, transaction

import warning.storage
import warning.validators


def _move(public, private, name):
    new = warning.storage.random_name(PurePath(name).parent.as_posix(), name)
    with public.open(name, "rb") as handle:
        return private.save(new, handle)


def move_to_private(apps, schema_editor):
    from django.core.files.storage import storages

    public, private = storages["default"], storages["private"]
    moved = {}

    ReportAttachment = apps.get_model("warning", "ReportAttachment")
    for attachment in ReportAttachment.objects.exclude(file="").order_by("pk"):
        old = attachment.file.name
        if old in moved or not public.exists(old):
            continue
        moved[old] = _move(public, private, old)
        ReportAttachment.objects.filter(pk=attachment.pk).update(
            file=moved[old], name=attachment.name or PurePath(old).name[:200]
        )

    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    report_type = ContentType.objects.filter(app_label="warning", model="warningreport").first()
    if report_type is not None and moved:
        for revision in Revision.objects.filter(base_content_type=report_type).iterator():
            content, changed = revision.content, False
            for item in content.get("attachments") or []:
                old = item.get("file")
                if old in moved:
                    item["file"] = moved[old]
                    item["name"] = item.get("name") or PurePath(old).name[:200]
                    changed = True
            if changed:
                Revision.objects.filter(pk=revision.pk).update(content=content)

    for model_name in ("QuarterlyAnalysis", "AnnualSummary"):
        model = apps.get_model("warning", model_name)
        for item in model.objects.exclude(attachment="").order_by("pk"):
            old = item.attachment.name
            if old in moved or not public.exists(old):
                continue
            moved[old] = _move(public, private, old)
            model.objects.filter(pk=item.pk).update(attachment=moved[old])

    def delete_public_copies():
        for old in moved:
            public.delete(old)

    transaction.on_commit(delete_public_copies)


class Migration(migrations.Migration):
    dependencies = [
        ("warning", "0004_review_workflow"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="annualsummary",
            name="attachment",
            field=models.FileField(
                blank=True, storage=warning.storage.private_storage, upload_to="periodic/%Y/", verbose_name="附件"
            ),
        ),
        migrations.AlterField(
            model_name="quarterlyanalysis",
            name="attachment",
            field=models.FileField(
                blank=True, storage=warning.storage.private_storage, upload_to="periodic/%Y/", verbose_name="附件"
            ),
        ),
        migrations.AlterField(
            model_name="reportattachment",
            name="file",
            field=models.FileField(
                max_length=200,
                storage=warning.storage.private_storage,
                upload_to=warning.storage.report_attachment_name,
                validators=[warning.validators.validate_attachment],
                verbose_name="附件",
            ),
        ),
        migrations.RunPython(move_to_private, migrations.RunPython.noop),
    ]
