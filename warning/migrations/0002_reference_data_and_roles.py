"""Reference data every installation needs, and the four role groups.

Regions (the 11 cities of Zhejiang with their districts and counties), the
industry list, the seed's three opinion presets and the role groups with
their model permissions. Scoped rights (which point, which city) are not
permissions: they come from warning.models.profiles.scope_of().
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CITIES = [
    ("杭州市", "上城区 拱墅区 西湖区 滨江区 萧山区 余杭区 临平区 钱塘区 富阳区 临安区 桐庐县 淳安县 建德市"),
    ("宁波市", "海曙区 江北区 北仑区 镇海区 鄞州区 奉化区 余姚市 慈溪市 宁海县 象山县"),
    ("温州市", "鹿城区 龙湾区 瓯海区 洞头区 瑞安市 乐清市 龙港市 永嘉县 平阳县 苍南县 文成县 泰顺县"),
    ("嘉兴市", "南湖区 秀洲区 海宁市 平湖市 桐乡市 嘉善县 海盐县"),
    ("湖州市", "吴兴区 南浔区 德清县 长兴县 安吉县"),
    ("绍兴市", "越城区 柯桥区 上虞区 诸暨市 嵊州市 新昌县"),
    ("金华市", "婺城区 金东区 兰溪市 义乌市 东阳市 永康市 武义县 浦江县 磐安县"),
    ("衢州市", "柯城区 衢江区 江山市 常山县 开化县 龙游县"),
    ("舟山市", "定海区 普陀区 岱山县 嵊泗县"),
    ("台州市", "椒江区 黄岩区 路桥区 临海市 温岭市 玉环市 三门县 天台县 仙居县"),
    ("丽水市", "莲都区 龙泉市 青田县 缙云县 遂昌县 松阳县 云和县 庆元县 景宁畲族自治县"),
]

INDUSTRIES = ["纺织服装", "机电", "化工", "轻工", "农产品", "水产品", "医药", "五金", "汽车及零部件", "其它行业"]

OPINIONS = [
    "非原创,不予通过",
    "内容较有深度,但存在保密信息,推荐内部交流",
    "内容具有典型性,建议推荐到《浙江商务》",
]

ADMIN = ("wagtailadmin", "admin", "access_admin")
ROLE_PERMISSIONS = {
    "预警点用户": [
        ADMIN,
        ("warning", "warningpoint", "change_warningpoint"),
        ("warning", "warningpoint", "view_warningpoint"),
        ("warning", "warningreport", "add_warningreport"),
        ("warning", "warningreport", "change_warningreport"),
        ("warning", "warningreport", "view_warningreport"),
        ("warning", "quarterlyanalysis", "add_quarterlyanalysis"),
        ("warning", "quarterlyanalysis", "view_quarterlyanalysis"),
        ("warning", "annualsummary", "add_annualsummary"),
        ("warning", "annualsummary", "view_annualsummary"),
    ],
    "地市审核员": [
        ADMIN,
        ("warning", "warningpoint", "view_warningpoint"),
        ("warning", "warningreport", "view_warningreport"),
        ("warning", "warningreport", "review_warningreport"),
    ],
    "预警工作联系人": [
        ADMIN,
        ("warning", "warningpoint", "add_warningpoint"),
        ("warning", "warningpoint", "change_warningpoint"),
        ("warning", "warningpoint", "view_warningpoint"),
        ("warning", "warningreport", "view_warningreport"),
        ("warning", "warningreport", "review_warningreport"),
        ("warning", "reviewopinion", "add_reviewopinion"),
        ("warning", "reviewopinion", "change_reviewopinion"),
        ("warning", "reviewopinion", "delete_reviewopinion"),
        ("warning", "reviewopinion", "view_reviewopinion"),
        ("warning", "industry", "add_industry"),
        ("warning", "industry", "change_industry"),
        ("warning", "industry", "view_industry"),
        ("warning", "notice", "add_notice"),
        ("warning", "notice", "view_notice"),
        ("warning", "quarterlyanalysis", "view_quarterlyanalysis"),
        ("warning", "annualsummary", "view_annualsummary"),
    ],
    "期刊杂志编辑": [
        ADMIN,
        ("warning", "quarterlyanalysis", "view_quarterlyanalysis"),
        ("warning", "quarterlyanalysis", "change_quarterlyanalysis"),
        ("warning", "warningreport", "view_warningreport"),
    ],
}


def forwards(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    City = apps.get_model("warning", "City")
    District = apps.get_model("warning", "District")
    for city_order, (city_name, districts) in enumerate(CITIES, start=1):
        city, _ = City.objects.get_or_create(name=city_name, defaults={"sort_order": city_order})
        for order, name in enumerate(districts.split(), start=1):
            District.objects.get_or_create(city=city, name=name, defaults={"sort_order": order})

    Industry = apps.get_model("warning", "Industry")
    for order, name in enumerate(INDUSTRIES, start=1):
        Industry.objects.get_or_create(name=name, defaults={"sort_order": order})

    ReviewOpinion = apps.get_model("warning", "ReviewOpinion")
    if not ReviewOpinion.objects.exists():
        for order, text in enumerate(OPINIONS):
            ReviewOpinion.objects.create(text=text, sort_order=order)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for app_label, model, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, content_type__model=model, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("warning", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
