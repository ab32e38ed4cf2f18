"""Public views outside the page tree: the site search."""

from django.template.response import TemplateResponse

from .models import ExchangeIndexPage, paginate, public_pages
from .search import SearchQueryError, clean_query, search_pages, search_reports

REPORTS_SHOWN = 20


def search(request):
    context = {"search_query": "", "error": ""}
    try:
        query = clean_query(request.GET.get("q"))
    except SearchQueryError as exc:
        context["error"] = str(exc)
        context["search_query"] = request.GET.get("q", "")[:100]
        return TemplateResponse(request, "subsites/search.html", context, status=400)
    context["search_query"] = query
    if query:
        reports = search_reports(query)
        exchange = public_pages(ExchangeIndexPage.objects.all()).first()
        context.update(
            results=paginate(request, search_pages(query)),
            reports=list(reports[:REPORTS_SHOWN]) if exchange else [],
            report_count=reports.count() if exchange else 0,
            exchange_url=exchange.get_url(request) if exchange else "",
        )
    return TemplateResponse(request, "subsites/search.html", context)
