"""The little province the browser tests start from: two points in two cities and one user per role.

Made with the ORM helpers of tests/factories.py; each point's subsite (home,
预警信息 / 工作动态 / 通知公告 columns, editors' group) comes from the
subsites provisioning signal, as in production. Every user's password is
tests.e2e.browser.PASSWORD.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User

from tests.factories import make_point, make_user
from warning.models import WarningPoint

POINT_NAME = "建德精细化工产品对外贸易预警示范点"  # 杭州市 建德市
OTHER_POINT_NAME = "庆元铅笔对外贸易预警示范点"  # 丽水市 庆元县


@dataclass
class Province:
    point: WarningPoint
    other: WarningPoint
    editor: User  # jiande: the point's editor
    other_editor: User  # qingyuan: the other point's editor
    city: User  # hangzhou: 杭州市's reviewer
    other_city: User  # lishui: 丽水市's reviewer
    provincial: User  # shengting: 预警工作联系人
    magazine: User  # zazhi: 期刊杂志编辑


def make_province():
    point = make_point(name=POINT_NAME, district_name="建德市")
    other = make_point(name=OTHER_POINT_NAME, district_name="庆元县")
    point.refresh_from_db()  # provisioning set point.subsite with an UPDATE
    other.refresh_from_db()
    return Province(
        point=point,
        other=other,
        editor=make_user("point", point=point, username="jiande"),
        other_editor=make_user("point", point=other, username="qingyuan"),
        city=make_user("city", city_name="杭州市", username="hangzhou"),
        other_city=make_user("city", city_name="丽水市", username="lishui"),
        provincial=make_user("province", username="shengting"),
        magazine=make_user("magazine", username="zazhi"),
    )
