"""The publisher process of tests/test_pagecache.py: reads one JSON action per line, changes data, answers one JSON line.

It runs with the servers' settings and database (tests/pagecache_settings.py), so
everything it commits clears the shared page cache exactly as an admin's request would.
"""

import json
import sys

import django


def setup(state):
    from subsites.models import ExchangeIndexPage
    from tests.factories import make_point, make_user
    from tests.subsites_factories import column_of

    point = make_point(name="跨进程测试预警点")
    state["point"] = point
    state["editor"] = make_user("point", point=point, username="pc-editor")
    state["city"] = make_user("city", city_name="杭州市", username="pc-city")
    state["province"] = make_user("province", username="pc-province")
    return {
        "column_url": column_of(point).url,
        "home_url": point.subsite.url,
        "exchange_url": ExchangeIndexPage.objects.get().url,
    }


def publish_article(state, title):
    from tests.subsites_factories import make_article

    return {"url": make_article(state["point"], title=title).url}


def approve_to_exchange(state, title):
    from tests.review_factories import decide, make_report
    from warning import review

    report = make_report(state["point"], state["editor"], title=title)
    decide(report, state["city"], review.APPROVE)
    decide(report, state["province"], review.APPROVE, options=[review.EXCHANGE])
    return {"id": report.pk}


def edit_point(state, phone):
    point = state["point"]
    point.phone = phone
    point.save()
    return {}


ACTIONS = {"setup": setup, "publish_article": publish_article, "approve_to_exchange": approve_to_exchange}
ACTIONS["edit_point"] = edit_point


def main():
    django.setup()
    state = {}
    for line in sys.stdin:
        request = json.loads(line)
        result = ACTIONS[request.pop("action")](state, **request)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
