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
