"""Wagtail's own migrations name the root page and the root collection "Root", and make
the groups "Editors" / "Moderators" and the (disabled, see 0005) page workflow and task
"Moderators approval". Users read these names in the admin (breadcrumbs, the image and
document collections, 用户组, 审核流程), so they get Chinese names."""

from django.db import migrations

NAMES = [
    # (app, model, lookup field, English, Chinese)
    ("wagtailcore", "Page", "title", "Root", "根目录"),
    ("wagtailcore", "Collection", "name", "Root", "全部文件"),
    ("auth", "Group", "name", "Editors", "网站编辑"),
    ("auth", "Group", "name", "Moderators", "网站审核员"),
    ("wagtailcore", "Workflow", "name", "Moderators approval", "页面审核"),
    ("wagtailcore", "Task", "name", "Moderators approval", "页面审核"),
]


def rename(apps, to_chinese):
    for app, model_name, field, english, chinese in NAMES:
        model = apps.get_model(app, model_name)
        old, new = (english, chinese) if to_chinese else (chinese, english)
        queryset = model.objects.filter(**{field: old})
        if model_name in ("Page", "Collection"):
            queryset = queryset.filter(depth=1)
        if model_name == "Group" and model.objects.filter(name=new).exists():
            continue
        changes = {field: new}
        if model_name == "Page":
            changes["draft_title"] = new  # what the admin shows
        queryset.update(**changes)


def forwards(apps, schema_editor):
    rename(apps, to_chinese=True)


def backwards(apps, schema_editor):
    rename(apps, to_chinese=False)


class Migration(migrations.Migration):
    dependencies = [
        ("subsites", "0005_pages_publish_without_moderation"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
