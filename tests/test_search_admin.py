"""Every admin search box finds Chinese words through search_zh, each within the user's own scope."""

import pytest

from tests.review_factories import make_report


@pytest.mark.django_db
def test_probe(client, point_editor, point):
    make_report(point, point_editor, title="欧盟对原产于中国的化纤面料作出反倾销终裁")
    client.force_login(point_editor)
    r = client.get("/admin/snippets/warning/warningreport/?q=反倾销")
    assert r.status_code == 200, r.content[:3000]
    assert "化纤面料" in r.content.decode()
    r = client.get("/admin/snippets/warning/warningreport/?q=abc")
    assert r.status_code == 200


@pytest.mark.django_db
def test_probe_public(client, point):
    from tests.subsites_factories import make_article, make_exchange_report

    make_article(point, title="美国对华三氯异氰尿酸发起反倾销调查")
    make_exchange_report(point, title="巴西对华轮胎发起反倾销调查")
    r = client.get("/search/", {"q": "反倾销"})
    html = r.content.decode()
    assert r.status_code == 200
    print(html[html.index("搜索结果") :][:3000])
    assert "<mark>反倾销</mark>" in html
    r = client.get("/search/", {"q": "反倾销", "column": "exchange", "year": "2001"})
    html = r.content.decode()
    print(html[html.index("搜索结果") :][:3000])
    assert 0
