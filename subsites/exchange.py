"""预警工作交流: which warning reports the public may read.

A report becomes public only when the provincial reviewer approves it with
发布到预警工作交流 (the review module sets ``to_exchange`` and
``exchange_published_at``). Every public view of the exchange — the column,
a report's own page, the feed, the sitemap, search and the API — starts from
``exchange_reports()``, so no other report can leak through any of them.
"""

from django.db.models import Q

from warning.models import WarningReport


def exchange_reports():
    """Reports published to 预警工作交流, newest first, with what listings print."""
    return (
        WarningReport.objects.filter(to_exchange=True, exchange_published_at__isnull=False)
        .select_related("point__district__city", "industry")
        .order_by("-exchange_published_at", "-pk")
    )


def search_exchange_reports(query):
    """Published exchange reports whose title or text contains ``query`` (substring match, see subsites.search)."""
    return exchange_reports().filter(Q(title__icontains=query) | Q(body__icontains=query))


def report_summary(report):
    """The public fields of one exchange report, as the API and the feed give them."""
    return {
        "id": report.pk,
        "title": report.title,
        "point": report.point.name,
        "city": report.point.district.city.name,
        "industry": report.industry.name,
        "country": report.country.name,
        "published_at": report.exchange_published_at.isoformat(),
    }
