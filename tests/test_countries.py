"""国别地区: the official Chinese names, China's regions as regions, the blocs, no duplicates or typos."""

import pytest
from django.test import Client
from django.urls import reverse
from django_countries import countries
from django_countries.data import COUNTRIES as ISO_COUNTRIES

from subsites.models import ExchangeIndexPage
from tests.subsites_factories import make_exchange_report
from warning.countries import BLOC_NAMES, CHINESE_REGIONS, ISO_NAMES


def offered():
    """(code, name) of every choice the forms offer."""
    return [(c.code, str(c.name)) for c in countries]


def test_every_iso_country_has_an_official_name_and_nothing_else_is_offered():
    assert set(ISO_NAMES) == set(ISO_COUNTRIES)
    assert {code for code, _ in offered()} == set(ISO_NAMES) | set(BLOC_NAMES)


def test_no_name_appears_twice():
    names = [name for _, name in offered()]
    assert len(names) == len(set(names))


def test_taiwan_hong_kong_and_macao_are_regions_of_china():
    names = dict(offered())
    assert (names["TW"], names["HK"], names["MO"]) == ("中国台湾", "中国香港", "中国澳门")
    for code in CHINESE_REGIONS:
        assert names[code].startswith("中国")
    assert not {"台湾", "香港", "澳门", "台湾地区"} & set(names.values())


@pytest.mark.parametrize("typo", ["尼珀尔", "塔吉克斯斯坦", "美属萨摩亚群岛", "博兹瓦纳", "科摩罗伊斯兰联邦共和国"])
def test_the_listed_typos_are_gone(typo):
    assert typo not in {name for _, name in offered()}


def test_corrected_names():
    names = dict(offered())
    assert names["NP"] == "尼泊尔" and names["TJ"] == "塔吉克斯坦" and names["BW"] == "博茨瓦纳"
    assert names["BA"] == "波斯尼亚和黑塞哥维那"
    assert (names["AS"], names["WS"]) == ("美属萨摩亚", "萨摩亚")


def test_the_blocs_trade_warnings_name_are_offered():
    names = set(dict(offered()).values())
    for bloc in ("欧盟", "欧亚经济联盟", "东盟", "海湾合作委员会", "南方共同市场", "非洲大陆自由贸易区"):
        assert bloc in names


@pytest.mark.django_db
def test_the_report_form_offers_the_official_names(point_editor):
    client = Client()
    client.force_login(point_editor)
    html = client.get(reverse("wagtailsnippets_warning_warningreport:add")).content.decode()
    assert '<option value="TW">中国台湾</option>' in html
    assert '<option value="XN">东盟</option>' in html
    assert ">台湾<" not in html and ">尼珀尔<" not in html


@pytest.mark.django_db
def test_public_pages_show_the_corrected_names(client, point):
    exchange = ExchangeIndexPage.objects.get()
    report = make_exchange_report(point, title="中国台湾地区对大陆产品的限制措施", country="TW")
    html = client.get(f"{exchange.url}{report.pk}/").content.decode()
    assert "国别地区</dt><dd>中国台湾" in html
    assert "国别地区：中国台湾" in client.get(exchange.url).content.decode()
