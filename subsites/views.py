"""Public views outside the page tree: the site search (rules in subsites/search.py)."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.template.response import TemplateResponse

from search_zh.highlight import mark, summary
from search_zh.query import SearchQueryError, clean_query, emptiness_reason

from .models import LIST_PAGE_SIZE
from .search import COLUMNS, Filters, filter_choices, load, search_site
from .serving import navigation

FILTER_LABELS = {
    "column": "栏目",
    "point": "预警点",
    "city": "所属地市",
    "industry": "行业",
    "country": "国别地区",
    "year": "年度",
}


def _active_filters(filters, choices):
    """(label, link without this filter) for each filter in use, for the "drop a filter" hint."""
    names = {
        "column": dict(choices["columns"]),
        "point": dict(choices["points"]),
        "city": dict(choices["cities"]),
        "industry": dict(choices["industries"]),
        "country": dict(choices["countries"]),
    }
    active = []
    for key, value in filters.as_params().items():
        shown = names.get(key, {}).get(value, value)
        active.append({"label": f"{FILTER_LABELS[key]}：{shown}", "key": key})
    return active


def _result(hit, obj, query, request, exchange_url):
    if hit.kind == "report":
        return {
            "title": mark(obj.title, query),
            "url": f"{exchange_url}{obj.pk}/",
            "kind": COLUMNS["exchange"],
            "meta": obj.point.name,
            "published_at": obj.exchange_published_at,
            "summary": summary(obj.body, query),
        }
    text = getattr(obj, "summary", "") or obj.search_description or ""
    body = getattr(obj, "body", "")
    if body and not summary(text, query).count("<mark>"):
        text = body
    return {
        "title": mark(obj.title, query),
        "url": obj.get_url(request),
        "kind": COLUMNS.get(getattr(obj, "column_kind", ""), obj.specific_class.get_verbose_name()),
        "meta": getattr(obj, "point_name", ""),
        "published_at": obj.first_published_at,
        "summary": summary(text or body, query),
    }


def search(request):
    choices = filter_choices()
    filters = Filters.from_params(request.GET, choices)
    context = {"search_query": "", "error": "", "notice": "", "filters": filters, "choices": choices}
    try:
        query = clean_query(request.GET.get("q"))
    except SearchQueryError as exc:
        context["error"] = str(exc)
        context["search_query"] = "".join(ch for ch in request.GET.get("q", "")[:100] if ch.isprintable())
        return TemplateResponse(request, "subsites/search.html", context, status=400)
    context["search_query"] = query
    context["notice"] = emptiness_reason(query)
    if query and not context["notice"]:
        hits = search_site(query, filters)
        page = Paginator(hits, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
        exchange = navigation(request)["exchange_page"]
        exchange_url = exchange.get_url(request) if exchange else ""
        page.object_list = [
            _result(hit, obj, query, request, exchange_url)
            for hit, obj in load(page.object_list)
            if hit.kind == "page" or exchange
        ]
        context.update(
            results=page,
            active_filters=[
                {**item, "url": "?" + urlencode({"q": query, **filters.as_params(without=item["key"])})}
                for item in _active_filters(filters, choices)
            ],
        )
    return TemplateResponse(request, "subsites/search.html", context)
