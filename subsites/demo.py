"""seed_demo step: a realistic year of subsite pages for every demo point.

Every point with a public subsite gets 预警信息, 工作动态 (with photos) and
通知公告 pages from January of the last finished year up to today, their
publication dates spread over the months. Points differ in how active they
are, so the scores differ: a few very active points publish more than seven
warnings a month, most publish a handful, some almost nothing.

Pages are made the way an editor makes them: added under their column,
saved as a revision by the point's editor and published from that revision.
Only then are the dates moved back to the demo date (first/last published,
the revision's and the log's timestamps), which is what the statistics read.

Photos are drawn locally with Pillow (no downloads): a small shared set of
scenes, reused across the 工作动态 pages.

Idempotent: a point whose subsite already has articles is left alone.
Deterministic: each point's random generator is seeded with its name.
"""

import datetime
import hashlib
import io
import random
import time

from django.core.files.images import ImageFile
from django.db.models import Count
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Collection, PageLogEntry, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update

from warning.demo.indexing import index_bulk, search_index_deferred
from warning.models import Industry, Profile, WarningPoint

from . import provisioning
from .models import ArticleGalleryImage, ArticlePage, ColumnIndexPage, ColumnKind

FIRST_YEAR = 2025
PHOTO_COLLECTION = "演示图片"

# Activity levels: (name, share of the points, publications per month as
# (预警信息, 工作动态, 通知公告)). Points are ranked by a hash of their name and
# take the levels in this order, so a few are very active (≥7 warnings and
# ≥3 news a month, the top score bands), a few are active or regular and most
# publish only now and then, as in the seed's statistics screen. The volume is
# kept so the whole step creates about 1,400 pages, under a minute of work on
# SQLite, every one of them through a revision and Wagtail's publish action.
LEVELS = (
    ("very_active", 0.02, (7.3, 3.1, 0.3)),
    ("active", 0.02, (5.1, 2.1, 0.2)),
    ("regular", 0.02, (3.1, 0.8, 0.1)),
    ("light", 0.15, (0.4, 0.2, 0.06)),
)
DORMANT = ("dormant", (0.03, 0.02, 0.01))
# Every subsite shows some life in each year: at least this many pages a year.
MIN_PER_YEAR = 1

COUNTRIES = [
    ("US", "美国"),
    ("EU", "欧盟"),
    ("IN", "印度"),
    ("TR", "土耳其"),
    ("BR", "巴西"),
    ("MX", "墨西哥"),
    ("XE", "欧亚经济联盟"),
    ("JP", "日本"),
    ("KR", "韩国"),
    ("AU", "澳大利亚"),
    ("VN", "越南"),
    ("AR", "阿根廷"),
    ("ZA", "南非"),
    ("ID", "印度尼西亚"),
    ("CA", "加拿大"),
    ("GB", "英国"),
    ("CO", "哥伦比亚"),
    ("PK", "巴基斯坦"),
]

PRODUCTS = {
    "纺织服装": ["涤纶短纤", "针织服装", "家纺产品", "化纤长丝", "羊绒制品", "童装"],
    "机电": ["电动工具", "小家电", "中小型电机", "电梯配件", "光伏组件", "电线电缆"],
    "化工": ["氯化石蜡", "三氯异氰尿酸", "柠檬酸", "聚酯切片", "有机硅", "环氧树脂"],
    "轻工": ["铅笔", "拉链", "节日灯具", "办公家具", "圣诞用品", "户外休闲用品"],
    "农产品": ["绿茶", "蜂蜜", "食用菌", "竹笋罐头", "脱水蔬菜"],
    "水产品": ["冷冻鱼片", "贻贝", "鱿鱼制品", "对虾"],
    "医药": ["原料药", "维生素C", "医用敷料", "兽药制剂"],
    "五金": ["紧固件", "不锈钢水槽", "钢制轮毂", "五金工具", "锁具"],
    "汽车及零部件": ["铝合金车轮", "汽车轮胎", "刹车片", "汽车线束"],
    "其它行业": ["塑料制品", "玻璃器皿", "体育用品", "箱包", "眼镜"],
}

MEASURES = [
    ("反倾销调查", "对原产于中国的{product}发起反倾销调查"),
    ("反补贴调查", "对原产于中国的{product}发起反补贴调查"),
    ("保障措施调查", "对进口{product}启动保障措施调查"),
    ("反倾销终裁", "对华{product}作出反倾销终裁"),
    ("技术法规", "发布{product}新技术法规并向WTO通报"),
    ("召回通报", "通报召回我国出口{product}"),
    ("关税调整", "调整{product}进口关税"),
    ("标签要求", "修订{product}标签和包装要求"),
    ("日落复审", "对华{product}反倾销措施启动日落复审"),
]

NEWS_TOPICS = [
    ("召开{year}年度外贸预警工作会议", "会议总结了预警点上一阶段的工作，部署了下一步贸易摩擦预警和应对工作。"),
    (
        "赴{district}走访调研重点出口企业",
        "调研组深入企业生产车间，了解订单、成本和海外市场变化情况，听取企业意见建议。",
    ),
    ("举办{course}培训会", "培训邀请贸易救济律师和行业专家授课，围绕应诉流程、证据准备和合规管理进行讲解。"),
    ("组织企业参加{expo}", "预警点组织会员企业抱团参展，收集境外采购商对技术标准和认证的最新要求。"),
    ("开展{country}市场技术性贸易措施专题研讨", "研讨会解读了该市场近期通报的技术法规和合格评定程序。"),
    ("召开{district}联系企业座谈会", "座谈会通报了近期国外贸易救济案件动态，企业代表交流了应对经验。"),
    (
        "配合省商务厅开展{quarter}季度出口形势调研",
        "调研围绕重点市场订单变化、汇率和物流成本等问题开展，形成专题报告上报。",
    ),
    ("举办出口合规与风险防范讲座", "讲座介绍了出口管制、制裁合规和海外知识产权风险防范要点。"),
    ("发布{year}年{quarter}季度行业出口形势分析", "分析报告梳理了行业主要出口市场的变化，提示了需要关注的贸易风险。"),
]
COURSES = ["贸易摩擦应对实务", "RCEP原产地规则运用", "欧盟碳边境调节机制", "出口产品技术法规", "贸易救济应诉"]
EXPOS = ["中国进出口商品交易会", "华东进出口商品交易会", "德国法兰克福国际展", "迪拜国际贸易展", "中国—东盟博览会"]
QUARTERS = "一二三四"

NOTICE_TOPICS = [
    "关于报送{year}年第{quarter}季度出口数据的通知",
    "关于举办贸易摩擦应对实务培训班的通知",
    "关于开展{year}年度联系企业信息更新工作的通知",
    "关于征集企业遭遇技术性贸易壁垒案例的通知",
    "关于做好{country}{product}案件应诉准备工作的提示",
    "关于推荐企业参加{expo}的通知",
    "关于召开{year}年第{quarter}季度预警工作例会的通知",
    "关于报送{year}年上半年行业运行情况的通知",
]

PHOTO_SCENES = [
    ("预警工作会议现场", "会议室内与会人员围坐会议桌听取工作报告"),
    ("企业生产车间调研", "调研人员在企业生产车间察看出口产品生产线"),
    ("贸易摩擦应对培训会", "培训会现场，讲台前的投影幕布和听课的企业代表"),
    ("境外展会展位", "预警点组织企业参加境外展会的展位"),
    ("出口货物集装箱码头", "港口码头堆放的出口货物集装箱"),
    ("联系企业座谈会", "企业代表在座谈会上交流应对经验"),
    ("产品检测实验室", "检测人员在实验室检测出口产品"),
    ("预警信息发布会", "预警点发布年度外贸预警报告"),
]


def run(stdout):
    started = time.monotonic()
    provisioning.get_portal()
    for point in WarningPoint.objects.filter(subsite__isnull=True):
        provisioning.provision_point(point)
    photos = ensure_photos()
    today = timezone.localdate()
    editors = _editors_by_point()
    industries = {industry.name: industry for industry in Industry.objects.all()}
    with_articles = set(
        ArticlePage.objects.values("point_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=0)
        .values_list("point_id", flat=True)
    )
    points = (
        WarningPoint.objects.exclude(status=WarningPoint.Status.REVOKED)
        .filter(subsite__isnull=False)
        .select_related("district__city", "industry")
        .prefetch_related("district__city__districts")
        .order_by("pk")
    )
    points = list(points)
    levels = activity_levels(points)
    created = []
    seeded = 0
    with disable_reference_index_auto_update(), search_index_deferred(ArticlePage):
        for point in points:
            if point.pk in with_articles:
                continue
            rates = levels[point.pk][1]
            pages = seed_point(point, rates, photos, industries, editors.get(point.pk), today)
            created += pages
            seeded += bool(pages)
    index_bulk(ArticlePage, created)
    stdout.write(f"子网站：{seeded} 个预警点新增 {len(created)} 篇文章，用时 {time.monotonic() - started:.1f} 秒")


def _editors_by_point():
    editors = {}
    for profile in Profile.objects.filter(point__isnull=False).select_related("user").order_by("pk"):
        editors.setdefault(profile.point_id, profile.user)
    return editors


def activity_levels(points):
    """Each point's (level name, monthly rates), from its rank by a hash of its name."""
    ranked = sorted(points, key=lambda point: hashlib.sha256(point.name.encode()).hexdigest())
    levels = {}
    start = 0
    for name, share, rates in LEVELS:
        size = round(len(ranked) * share)
        for point in ranked[start : start + size]:
            levels[point.pk] = (name, rates)
        start += size
    for point in ranked[start:]:
        levels[point.pk] = DORMANT
    return levels


def months_until(today):
    """(year, month) from January of FIRST_YEAR up to today's month."""
    year, month = FIRST_YEAR, 1
    while (year, month) <= (today.year, today.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _count_for(rng, rate):
    """How many items a month at an average ``rate``: its integer part plus a chance at one more, jittered."""
    jittered = max(0.0, rate * rng.uniform(0.75, 1.25))
    whole = int(jittered)
    return whole + (1 if rng.random() < jittered - whole else 0)


def _moment(rng, year, month, today):
    last_day = (datetime.date(year + (month == 12), month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    if (year, month) == (today.year, today.month):
        # Up to yesterday, so a page is never dated later than the run.
        last_day = max(1, today.day - 1)
    day = datetime.date(year, month, rng.randint(1, last_day))
    if day.weekday() >= 5:  # editors publish on working days
        day -= datetime.timedelta(days=day.weekday() - 4)
        if day.month != month:
            day += datetime.timedelta(days=3)
    day = min(day, max(today - datetime.timedelta(days=1), datetime.date(year, month, 1)))
    moment = datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)))
    return min(timezone.make_aware(moment), timezone.now())


def seed_point(point, rates, photos, industries, editor, today):
    """Publish the point's pages month by month at ``rates``; return the new page ids."""
    rng = random.Random(f"subsites-demo:{point.name}")
    columns = {column.kind: column for column in ColumnIndexPage.objects.child_of(point.subsite)}
    industry_name = point.industry.name if point.industry_id else "其它行业"
    products = PRODUCTS.get(industry_name, PRODUCTS["其它行业"])
    plan = plan_publications(rng, rates, today)
    created = []
    used_notice_titles = set()
    for number, (kind, moment) in enumerate(plan, start=1):
        if kind not in columns:
            continue
        if kind == ColumnKind.WARNING:
            page = warning_page(rng, point, products, industries.get(industry_name), moment)
        elif kind == ColumnKind.NEWS:
            page = news_page(rng, point, photos, moment)
        else:
            page = notice_page(rng, point, products, moment, used_notice_titles)
        page.slug = f"{kind}-{moment:%Y%m%d}-{number}"
        publish_dated(columns[kind], page, editor, moment)
        created.append(page.pk)
    return created


def plan_publications(rng, rates, today):
    """(column kind, publication moment) for every page of one point, oldest first.

    Month by month from January of FIRST_YEAR to today, each column at its
    monthly rate, and at least MIN_PER_YEAR pages in every year.
    """
    plan = []
    for year, month in months_until(today):
        for kind, rate in zip((ColumnKind.WARNING, ColumnKind.NEWS, ColumnKind.NOTICE), rates, strict=True):
            for _ in range(_count_for(rng, rate)):
                plan.append((kind, _moment(rng, year, month, today)))
    for year in range(FIRST_YEAR, today.year + 1):
        missing = MIN_PER_YEAR - sum(1 for _, moment in plan if timezone.localtime(moment).year == year)
        last_month = today.month if year == today.year else 12
        for _ in range(max(0, missing)):
            kind = rng.choice((ColumnKind.NEWS, ColumnKind.NOTICE))
            plan.append((kind, _moment(rng, year, rng.randint(1, last_month), today)))
    plan.sort(key=lambda item: item[1])
    return plan


def publish_dated(column, page, editor, moment):
    """Add, save a revision, publish it, then date everything at ``moment``."""
    page.live = False
    page.has_unpublished_changes = True
    page.date = timezone.localtime(moment).date()
    column.add_child(instance=page)
    revision = page.save_revision(user=editor, clean=False)
    revision.publish(user=editor, skip_permission_checks=True)
    ArticlePage.objects.filter(pk=page.pk).update(
        first_published_at=moment, last_published_at=moment, latest_revision_created_at=moment
    )
    Revision.objects.filter(pk=revision.pk).update(created_at=moment)
    PageLogEntry.objects.filter(page_id=page.pk).update(timestamp=moment)


def short_name(point):
    for suffix in ("对外贸易预警示范点", "对外贸易预警点", "预警示范点", "预警点"):
        if point.name.endswith(suffix):
            return point.name[: -len(suffix)]
    return point.name


def warning_page(rng, point, products, industry, moment):
    code, country = rng.choice(COUNTRIES)
    product = rng.choice(products)
    measure, pattern = rng.choice(MEASURES)
    title = f"{country}{pattern.format(product=product)}"
    export = rng.randint(300, 9800)
    companies = rng.randint(3, 40)
    local = timezone.localtime(moment)
    body = (
        f"<p>{local:%Y年%-m月%-d日}，{country}主管机构发布公告，{pattern.format(product=product)}。"
        f"本次{measure}涉及的产品主要用于下游制造和零售领域，调查期一般为公告前一年。</p>"
        f"<h2>对我省出口的影响</h2>"
        f"<p>据{short_name(point)}预警点监测，上一年度我省对{country}出口{product}约{export}万美元，"
        f"涉及出口企业{companies}家，其中{point.district.city.name}企业占较大比重。"
        f"如{country}最终采取措施，相关产品价格竞争力将明显下降，部分订单可能转移至其他国家。</p>"
        f"<h2>应对建议</h2>"
        f"<ol><li>涉案企业应在规定期限内向主管机构登记应诉，按时提交调查问卷答卷。</li>"
        f"<li>及时整理生产成本、销售和财务资料，必要时聘请专业律师。</li>"
        f"<li>加强与行业协会、预警点和商务主管部门的沟通，适度开拓多元化市场。</li></ol>"
        f"<p>预警点将持续跟踪案件进展，及时发布后续信息。</p>"
    )
    return ArticlePage(
        title=title,
        summary=f"{country}{measure}涉及我省出口{product}约{export}万美元，请相关企业关注并做好应对准备。",
        body=body,
        industry=industry,
        country=code,
    )


def news_page(rng, point, photos, moment):
    pattern, lead = rng.choice(NEWS_TOPICS)
    local = timezone.localtime(moment)
    districts = [district.name for district in point.district.city.districts.all()] or [point.district.name]
    event = pattern.format(
        year=local.year,
        quarter=QUARTERS[(local.month - 1) // 3],
        district=rng.choice(districts),
        course=rng.choice(COURSES),
        expo=rng.choice(EXPOS),
        country=rng.choice(COUNTRIES)[1],
    )
    title = f"{short_name(point)}{event}"
    attendees = rng.randint(15, 120)
    body = (
        f"<p>{local:%-m月%-d日}，{point.host_organisation}{event}，"
        f"{point.district.city.name}商务局有关负责同志和{attendees}名企业代表参加。{lead}</p>"
        f"<p>下一步，预警点将继续发挥联系企业多、信息渠道广的优势，做好出口形势监测和预警信息报送工作。</p>"
    )
    page = ArticlePage(title=title, summary=lead, body=body)
    chosen = rng.sample(photos, k=rng.randint(1, 3))
    page.gallery_images = [
        ArticleGalleryImage(image=image, caption=caption, sort_order=order)
        for order, (image, caption) in enumerate(chosen)
    ]
    return page


def notice_page(rng, point, products, moment, used_titles):
    """A notice to the point's contact enterprises; a title is not repeated within one point."""
    local = timezone.localtime(moment)
    values = {
        "year": local.year,
        "quarter": (local.month - 1) // 3 + 1,
        "expo": rng.choice(EXPOS),
        "country": rng.choice(COUNTRIES)[1],
        "product": rng.choice(products),
    }
    candidates = [topic.format(**values) for topic in NOTICE_TOPICS]
    fresh = [title for title in candidates if title not in used_titles]
    title = rng.choice(fresh) if fresh else f"{rng.choice(candidates)}（{local:%-m月%-d日}）"
    used_titles.add(title)
    deadline = local.date() + datetime.timedelta(days=rng.randint(7, 20))
    body = (
        f"<p>各联系企业：</p>"
        f"<p>为做好外贸预警工作，现将有关事项通知如下。请各企业于{deadline:%Y年%-m月%-d日}前将相关材料"
        f"报送至{point.host_organisation}，联系电话：{point.phone}，电子邮箱：{point.email}。</p>"
        f"<p>特此通知。</p><p>{point.host_organisation}<br>{local:%Y年%-m月%-d日}</p>"
    )
    return ArticlePage(title=title, summary=title, body=body)


# --- photos ----------------------------------------------------------------


def ensure_photos():
    """The shared demo photos as (image, caption) pairs, drawn once."""
    Image = get_image_model()
    root = Collection.get_first_root_node()
    collection = root.get_children().filter(name=PHOTO_COLLECTION).first() or root.add_child(name=PHOTO_COLLECTION)
    photos = []
    for index, (title, description) in enumerate(PHOTO_SCENES):
        image = Image.objects.filter(title=title, collection=collection).first()
        if image is None:
            image = Image(title=title, description=description, collection=collection)
            image.file = ImageFile(io.BytesIO(draw_scene(index)), name=f"demo-photo-{index + 1}.jpg")
            image.save()
        photos.append((image, title))
    return photos


def draw_scene(index, size=(960, 640)):
    """A simple illustrative scene (sky, floor, shapes) as JPEG bytes, different per index."""
    rng = random.Random(f"subsites-photo:{index}")
    width, height = size
    canvas = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(canvas)
    top = (rng.randint(90, 160), rng.randint(140, 190), rng.randint(200, 240))
    bottom = (rng.randint(200, 240), rng.randint(200, 230), rng.randint(180, 220))
    horizon = int(height * rng.uniform(0.45, 0.6))
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    draw.rectangle([0, horizon, width, height], fill=(rng.randint(90, 140), rng.randint(90, 120), rng.randint(80, 110)))
    for _ in range(rng.randint(5, 9)):
        x = rng.randint(0, width - 120)
        w, h = rng.randint(60, 200), rng.randint(60, horizon - 40)
        colour = (rng.randint(40, 220), rng.randint(40, 220), rng.randint(40, 220))
        draw.rectangle([x, horizon - h, x + w, horizon], fill=colour, outline=(30, 30, 30))
    for _ in range(rng.randint(6, 14)):
        x, y = rng.randint(20, width - 20), rng.randint(horizon + 20, height - 60)
        draw.ellipse([x - 14, y - 44, x + 14, y - 16], fill=(60, 45, 40))
        draw.rectangle([x - 18, y - 16, x + 18, y + 40], fill=(rng.randint(20, 90), rng.randint(20, 90), 120))
    draw.rectangle([width * 0.3, 30, width * 0.7, 80], fill=(180, 20, 40))
    buffer = io.BytesIO()
    canvas.save(buffer, format="JPEG", quality=82)
    return buffer.getvalue()
