"""The portal tree every installation needs.

Replaces Wagtail's welcome page with the provincial portal home as the root of
the default Site, adds 预警工作交流 and 帮助中心 under it with one user manual
per role (text in subsites/manuals.py), and gives the role group
预警工作联系人 page rights (add / change / publish) on the portal, so the
provincial contact can maintain it. Point subsites are not made here: they
follow the points (subsites.provisioning).

Written against the historical models, so the tree paths are set by hand
(steplen 4, as treebeard does), the way Wagtail's own project template makes
its home page.
"""

import uuid

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.utils import timezone

from subsites.manuals import MANUALS

PORTAL_TITLE = "浙江省对外贸易预警平台"
PORTAL_INTRO = (
    "<p>浙江省对外贸易预警平台汇集全省各地市对外贸易预警点发布的预警信息、工作动态和通知公告，"
    "并在“预警工作交流”栏目刊登经省商务厅审核发布的原创预警信息，为外贸企业应对贸易摩擦和技术性贸易壁垒提供参考。</p>"
)
EXCHANGE_INTRO = "<p>本栏目刊登各预警点上报、经省商务厅预警工作联系人审核并选择“发布到预警工作交流”的原创预警信息。</p>"
HELP_INTRO = "<p>帮助中心提供平台各类用户的使用指南，请选择与您的角色对应的用户手册。</p>"
PORTAL_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")


ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # treebeard's base 36, as Wagtail's Page uses


def _step(number):
    digits = ""
    for _ in range(4):
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return digits


def _path(*steps):
    return "".join(_step(step) for step in steps)


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    PortalHomePage = apps.get_model("subsites", "PortalHomePage")
    if PortalHomePage.objects.exists():
        return

    page_type = ContentType.objects.get(app_label="wagtailcore", model="page")
    welcome = Page.objects.filter(content_type=page_type, depth=2, slug="home", numchild=0).first()
    if welcome is not None:
        Site.objects.filter(root_page=welcome).delete()
        welcome.delete()
    root = Page.objects.get(depth=1)
    siblings = Page.objects.filter(depth=2).order_by("-path").first()
    portal_step = int(siblings.path[4:8], 36) + 1 if siblings else 1
    locale = Locale.objects.order_by("pk").first()
    now = timezone.now()

    def make(model_name, path, title, slug, url_path, numchild=0, **fields):
        model = apps.get_model("subsites", model_name)
        content_type, _ = ContentType.objects.get_or_create(app_label="subsites", model=model_name.lower())
        return model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            path=path,
            depth=len(path) // 4,
            numchild=numchild,
            url_path=url_path,
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            locale=locale,
            translation_key=uuid.uuid4(),
            **fields,
        )

    portal = make(
        "PortalHomePage", _path(1, portal_step), PORTAL_TITLE, "home", "/home/", numchild=2, intro=PORTAL_INTRO
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    make(
        "ExchangeIndexPage",
        _path(1, portal_step, 1),
        "预警工作交流",
        "exchange",
        "/home/exchange/",
        intro=EXCHANGE_INTRO,
    )
    help_index = make(
        "HelpIndexPage",
        _path(1, portal_step, 2),
        "帮助中心",
        "help",
        "/home/help/",
        numchild=len(MANUALS),
        intro=HELP_INTRO,
    )
    for step, manual in enumerate(MANUALS, start=1):
        make(
            "ManualPage",
            help_index.path + _step(step),
            manual["title"],
            manual["slug"],
            f"/home/help/{manual['slug']}/",
            role=manual["role"],
            body=manual["body"],
            search_description=manual["summary"],
        )

    if not Site.objects.filter(is_default_site=True).exists():
        Site.objects.create(
            hostname="localhost", port=80, site_name=PORTAL_TITLE, root_page_id=portal.pk, is_default_site=True
        )
    else:
        Site.objects.filter(is_default_site=True).update(root_page_id=portal.pk, site_name=PORTAL_TITLE)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    provincial, _ = Group.objects.get_or_create(name="预警工作联系人")
    for codename in PORTAL_PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=provincial, page_id=portal.pk, permission=permission)


class Migration(migrations.Migration):
    dependencies = [
        ("subsites", "0003_provision_and_api"),
        ("warning", "0002_reference_data_and_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
