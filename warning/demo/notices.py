"""Demo 商务局预警信息: notices the provincial contact issued over 2025 and 2026 to date.

Issued through warning.notices.issue_notice() (the admin's own path) and read
through read_notice(), so every recipient point and every point editor's
消息中心 looks as it would after a real year. Idempotent: a notice whose
title and issue time already exist is skipped, and reads happen only when a
notice is created. Deterministic: which points read a notice comes from a
random.Random seeded per notice.
"""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test.utils import override_settings
from django.utils import timezone

from warning.models import City, Notice, WarningPoint
from warning.models.profiles import GROUP_PROVINCIAL
from warning.notices import eligible_points, issue_notice, mark_point_read, read_notice
from warning.notify import users_of_points

SEED = 20260304

# (issue date and time, title, body, audience, city name or chosen industries, share of points that read it)
NOTICES = [
    (
        (2025, 1, 10, 9, 30),
        "关于做好2024年度外贸预警工作总结报送工作的通知",
        "各预警点：\n请于2025年1月20日前通过平台报送2024年度外贸预警工作总结，内容包括年度工作开展情况、"
        "预警信息报送情况、联系企业服务情况及2025年工作计划。逾期报送的不计入年度考核。",
        Notice.Audience.ALL,
        None,
        0.95,
    ),
    (
        (2025, 3, 20, 10, 0),
        "关于做好2025年第一季度外贸形势分析报送工作的通知",
        "各预警点：\n请结合本行业出口订单、价格、主要市场变化等情况，于4月20日前报送第一季度外贸形势分析。",
        Notice.Audience.ALL,
        None,
        0.9,
    ),
    (
        (2025, 4, 11, 16, 20),
        "美国对华加征关税政策调整预警",
        "近期美方宣布调整对华加征关税措施，涉及机电、纺织服装、轻工等多类产品。请各预警点及时向联系企业"
        "通报相关情况，收集企业受影响程度及应对诉求，重大情况随时报送。",
        Notice.Audience.ALL,
        None,
        0.9,
    ),
    (
        (2025, 5, 22, 14, 0),
        "欧盟对华电动自行车反倾销调查预警",
        "欧盟委员会近期对原产于中国的电动自行车启动反倾销期中复审。请相关预警点组织涉案企业做好应诉准备，"
        "并于6月5日前报送企业出口及应诉情况。",
        Notice.Audience.CHOSEN,
        ("机电",),
        0.85,
    ),
    (
        (2025, 7, 8, 9, 0),
        "关于举办2025年全省外贸预警业务培训班的通知",
        "定于7月24日至25日在杭州举办全省外贸预警业务培训班，请各预警点安排1名业务骨干参加，"
        "并于7月15日前报送参训人员名单。",
        Notice.Audience.ALL,
        None,
        0.85,
    ),
    (
        (2025, 8, 19, 15, 30),
        "关于开展宁波市预警点工作调研的通知",
        "省商务厅将于9月上旬赴宁波市开展预警点工作调研，请宁波市各预警点准备工作开展情况汇报材料。",
        Notice.Audience.CITY,
        "宁波市",
        0.8,
    ),
    (
        (2025, 9, 25, 10, 15),
        "印度对华纺织品反倾销调查预警",
        "印度商工部对原产于中国的部分化纤面料发起反倾销调查。请纺织服装行业预警点通知相关企业关注调查进展，"
        "按时提交抽样问卷。",
        Notice.Audience.CHOSEN,
        ("纺织服装",),
        0.8,
    ),
    (
        (2025, 11, 12, 9, 45),
        "关于更新预警点联系企业名录的通知",
        "为做好年度考核，请各预警点于11月30日前核实并更新平台中的联系企业名录及联系方式。",
        Notice.Audience.ALL,
        None,
        0.75,
    ),
    (
        (2026, 1, 8, 9, 30),
        "关于做好2025年度外贸预警工作总结报送工作的通知",
        "各预警点：\n请于2026年1月20日前通过平台报送2025年度外贸预警工作总结。年度总结按时报送情况计入评分。",
        Notice.Audience.ALL,
        None,
        0.9,
    ),
    (
        (2026, 3, 18, 10, 0),
        "关于做好2026年第一季度外贸形势分析报送工作的通知",
        "各预警点：\n请于4月20日前报送2026年第一季度外贸形势分析，重点分析主要出口市场需求变化及企业订单情况。",
        Notice.Audience.ALL,
        None,
        0.85,
    ),
    (
        (2026, 4, 21, 14, 30),
        "美国对华光伏产品反倾销调查预警",
        "美国商务部对原产于中国及东南亚的光伏电池及组件发起反倾销和反补贴调查。请相关预警点排查本地涉案企业，"
        "于5月8日前报送企业名单及出口情况。",
        Notice.Audience.CHOSEN,
        ("机电", "化工"),
        0.8,
    ),
    (
        (2026, 6, 16, 11, 0),
        "欧盟碳边境调节机制（CBAM）申报提醒",
        "欧盟碳边境调节机制将于2026年进入正式征收阶段，请化工、其它行业预警点提醒出口企业做好碳排放数据核算及申报准备。",
        Notice.Audience.CHOSEN,
        ("化工", "其它行业"),
        0.7,
    ),
    (
        (2026, 8, 5, 15, 0),
        "关于开展杭州市预警点子网站信息更新检查的通知",
        "请杭州市各预警点于8月20日前完成子网站预警信息、工作动态、通知公告三个栏目的内容更新。",
        Notice.Audience.CITY,
        "杭州市",
        0.6,
    ),
    (
        (2026, 9, 15, 10, 30),
        "墨西哥对华部分商品提高进口关税预警",
        "墨西哥政府拟对原产于中国的纺织品、鞋类、汽车零部件等商品提高进口关税。请各预警点提醒企业评估影响、"
        "调整市场布局。",
        Notice.Audience.ALL,
        None,
        0.5,
    ),
    (
        (2026, 11, 10, 9, 0),
        "关于做好2026年度预警点考核评分准备工作的通知",
        "2026年度预警点考核将于明年1月开展，请各预警点对照评分细则核对本年度各项工作数据，完善基础信息。",
        Notice.Audience.ALL,
        None,
        0.3,
    ),
]


def provincial_user():
    """The demo 预警工作联系人 made by warning/demo/points.py."""
    return (
        get_user_model()
        .objects.filter(groups__name=GROUP_PROVINCIAL, is_active=True, is_superuser=False)
        .order_by("pk")
        .first()
    )


def chosen_points(industries, rng):
    points = list(eligible_points().filter(industry__name__in=industries).order_by("name").values_list("pk", flat=True))
    if not points:
        points = sorted(eligible_points().values_list("pk", flat=True))
        points = rng.sample(points, min(5, len(points)))
    return points


def office_hours_after(issued_at, rng):
    """A time on one of the next few days, during office hours, after issued_at."""
    day = timezone.localtime(issued_at).date() + dt.timedelta(days=rng.randint(0, 4))
    at = timezone.make_aware(dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59))))
    return at if at > issued_at else at + dt.timedelta(days=1)


def first_editor_of_each_point():
    """One editor per point (the earliest), reused across notices so each user's scope is looked up once."""
    editors = {}
    point_ids = WarningPoint.objects.values_list("pk", flat=True)
    for user in users_of_points(point_ids).select_related("warning_profile").order_by("pk"):
        editors.setdefault(user.warning_profile.point_id, user)
    return editors


def read_by_some(notice, share, rng, editors):
    """Let a share of the recipient points read the notice, at a time after it was issued."""
    read = 0
    for point_id in notice.recipients.order_by("point_id").values_list("point_id", flat=True):
        if rng.random() >= share:
            continue
        at = office_hours_after(notice.issued_at, rng)
        if point_id in editors:
            read_notice(editors[point_id], notice.pk, at=at)
        else:
            mark_point_read(notice.pk, point_id, at=at)
        read += 1
    return read


def run(stdout):
    user = provincial_user()
    if user is None:
        stdout.write("商务局预警信息：未找到预警工作联系人演示用户，跳过")
        return
    if not WarningPoint.objects.exists():
        stdout.write("商务局预警信息：没有预警点，跳过")
        return
    created = 0
    now = timezone.now()
    editors = first_editor_of_each_point()
    # Demo notices must not mail the demo addresses (nor flood the dev console
    # backend with hundreds of mails); the messages are still created.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        for index, (when, title, body, audience, target, share) in enumerate(NOTICES):
            issued_at = timezone.make_aware(dt.datetime(*when))
            if issued_at > now or Notice.objects.filter(title=title, issued_at=issued_at).exists():
                continue
            rng = random.Random(SEED + index)
            kwargs = {}
            if audience == Notice.Audience.CITY:
                kwargs["city"] = City.objects.get(name=target)
            elif audience == Notice.Audience.CHOSEN:
                kwargs["points"] = chosen_points(target, rng)
            try:
                notice = issue_notice(user, title, body, audience, issued_at=issued_at, **kwargs)
            except ValidationError as exc:
                stdout.write(f"商务局预警信息：跳过“{title}”：{'；'.join(exc.messages)}")
                continue
            read_by_some(notice, share, rng, editors)
            created += 1
    stdout.write(f"商务局预警信息：新增 {created} 条，共 {Notice.objects.count()} 条")
