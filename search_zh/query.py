"""The one search function every search box of the project calls, and the rules for bad input.

`search(queryset, query)` narrows a queryset the caller has already scoped
to the user's role (a `visible_to()` queryset) to the rows holding every
word of the query. Indexed models are looked up in the search index through
the Chinese backend; the few small per-user lists outside the index
(消息中心, notices, the point registry, periodic reports) match the same
segmented words as substrings of the named fields, so 经济联 finds
经济联络处 in both. Either way the result is a queryset of the same model,
so the caller's ordering, filters and paging still apply.

Bad input (docs/search.md): a query over MAX_QUERY_LENGTH characters or
with control characters (NUL) is refused with a message (400 on the public
site); a query of punctuation or stop words only finds nothing and says
why (200).
"""

import datetime
import re

from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, FloatField, Q, Value, When
from modelsearch.index import class_is_indexed
from wagtail.search.backends import get_search_backend

from .segment import query_terms, words

MAX_QUERY_LENGTH = 100
# With Elasticsearch/OpenSearch the hits come back as objects; this many are kept.
CLUSTER_HITS = 1000
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

ONLY_PUNCTUATION = "关键词只有标点符号，请输入要查找的文字。"
ONLY_STOP_WORDS = "关键词只有“的”“和”一类的常用字，请换用更具体的词语。"


class SearchQueryError(ValueError):
    """A query refused outright, with the Chinese message to show."""


def clean_query(raw):
    """The query with whitespace collapsed; SearchQueryError for over-long or control-character input."""
    raw = raw or ""
    if CONTROL_CHARS.search(raw):
        raise SearchQueryError("关键词中含有无法识别的控制字符，请重新输入。")
    query = " ".join(raw.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchQueryError(f"关键词不能超过 {MAX_QUERY_LENGTH} 个字，请精简后再搜索。")
    return query


def emptiness_reason(query):
    """Why a non-empty query has nothing to search for, or "" when it has words."""
    if not query or query_terms(query):
        return ""
    if not words(query):
        if re.search(r"\w", query):
            return ONLY_STOP_WORDS
        return ONLY_PUNCTUATION
    return ONLY_STOP_WORDS


def search(queryset, query, *, fields=(), partial=False):
    """`queryset` narrowed to the rows holding every word of `query` (unordered by relevance).

    `fields` names the model fields matched as substrings when the model is
    not in the search index; `partial` uses the index's autocomplete (title
    prefixes) where the model defines it.
    """
    query = CONTROL_CHARS.sub(" ", query or "")[:MAX_QUERY_LENGTH]
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    model = queryset.model
    if class_is_indexed(model) and model.get_search_fields():
        # The index is asked about the whole model (it can only filter on the
        # model's FilterFields); the caller's scoped queryset keeps its rows.
        backend = get_search_backend()
        everything = model._default_manager.all()
        if partial and model.get_autocomplete_search_fields():
            results = backend.autocomplete(query, everything, order_by_relevance=False)
        else:
            results = backend.search(query, everything, order_by_relevance=False)
        if hasattr(results, "get_queryset"):  # the database backends: one SQL subquery
            return queryset.filter(pk__in=results.get_queryset().order_by().values("pk"))
        # A search cluster returns objects, not SQL: the first CLUSTER_HITS of them.
        return queryset.filter(pk__in=[obj.pk for obj in results[:CLUSTER_HITS]])
    condition = Q()
    for term in terms:
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__icontains": term.text})
        condition &= any_field
    return queryset.filter(condition)


def ranked(model, query):
    """Every row of `model` holding the words of `query`, annotated with `search_rank` (higher is more relevant).

    The caller narrows the result to what it may show (live and public
    pages, published exchange reports) with ordinary filters afterwards.
    SQLite's bm25() is lower for better matches and PostgreSQL's ts_rank
    higher; `search_rank` is the same way round on both.
    """
    if not query_terms(query):
        return model._default_manager.none()
    results = get_search_backend().search(query, model._default_manager.all()).annotate_score("_score")
    if hasattr(results, "get_queryset"):
        rank = -F("_score") if connection.vendor == "sqlite" else F("_score")
        return results.get_queryset().annotate(search_rank=rank)
    scores = {obj.pk: obj._score for obj in results[:CLUSTER_HITS]}
    rank = Case(*(When(pk=pk, then=Value(score)) for pk, score in scores.items()), default=Value(0.0))
    return model._default_manager.filter(pk__in=scores).annotate(
        search_rank=ExpressionWrapper(rank, output_field=FloatField())
    )


def ranked_rows(model, query, narrow, date_field, limit):
    """The `limit` best (pk, rank, date) of `model` for `query` among the rows `narrow(queryset)` keeps.

    Best means highest rank, then latest `date_field`. On SQLite the ranks
    come from one FTS pass (the backend's `scores()`) and are joined to the
    narrowed rows here; on PostgreSQL the backend's `ranked_rows()` ranks at
    most a few thousand rows (search_zh.postgres); elsewhere (a search
    cluster) the database orders `ranked()` itself.
    """
    backend = get_search_backend()
    if not query_terms(query):
        return []
    if hasattr(backend, "scores"):
        scores = backend.scores(model, query)
        matching = backend.search(query, model._default_manager.all(), order_by_relevance=False)
        rows = narrow(model._default_manager.filter(pk__in=matching.get_queryset().order_by().values("pk")))
        found = [(pk, scores.get(pk, 0.0), date) for pk, date in rows.values_list("pk", date_field)]
        oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
        found.sort(key=lambda row: (round(row[1], 9), row[2] or oldest), reverse=True)
        return found[:limit]
    if hasattr(backend, "ranked_rows"):  # PostgreSQL: search_zh.postgres.ranked_rows
        return backend.ranked_rows(model, query, narrow, date_field, limit)
    rows = narrow(ranked(model, query)).order_by("-search_rank", f"-{date_field}")
    return [(pk, rank or 0.0, date) for pk, rank, date in rows.values_list("pk", "search_rank", date_field)[:limit]]
