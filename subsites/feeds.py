"""Atom feeds: one per subsite column and one for 预警工作交流.

Each feed is built for one page (the column or the exchange index) and served
from that page's ``feed/`` route, so its address sits under the page it
describes, e.g. /point-12/warning/feed/.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

FEED_SIZE = 20


def _as_datetime(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


class PageFeed(Feed):
    feed_type = Atom1Feed

    def __init__(self, page):
        super().__init__()
        self.page = page

    def __call__(self, request, *args, **kwargs):
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def title(self):
        return self.page.title

    def link(self):
        return self.page.get_url(self.request)


class ColumnFeed(PageFeed):
    def title(self):
        home = self.page.get_parent()
        return f"{home.title} · {self.page.title}"

    def subtitle(self):
        return f"{self.page.get_parent().title}{self.page.title}栏目的最新信息"

    def items(self):
        return list(self.page.articles()[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or item.search_description or item.title

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.first_published_at or _as_datetime(item.date)

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)


class ExchangeFeed(PageFeed):
    def subtitle(self):
        return "经省商务厅审核发布的原创预警信息"

    def items(self):
        from .exchange import exchange_reports

        return list(exchange_reports()[:FEED_SIZE])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return f"{item.point.name} · {item.industry.name} · {item.country.name}"

    def item_link(self, item):
        return self.page.report_url(item, self.request)

    def item_pubdate(self, item):
        return item.exchange_published_at

    def item_author_name(self, item):
        return item.point.name
