"""The PostgreSQL half of search_zh.backend (imported only on PostgreSQL)."""

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.db.models import CharField, Exists, F, OuterRef
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.postgres.query import Lexeme as PostgresLexeme
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks
from wagtail.models import Page

from .backend import SegmentedBackendMixin, SegmentedQueryMixin, TitleNormMixin
from .segment import index_text


class PostgresIndexer(pg.ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        return super().as_vector([(index_text(text), weight) for text, weight in texts], for_autocomplete)


class ChinesePostgresIndex(TitleNormMixin, pg.PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        indexers = [PostgresIndexer(obj, self.backend) for obj in objs]
        if not indexers:
            return
        content_type_pk = get_content_type_pk(model)
        compiler = pg.InsertQuery(pg.IndexEntry).get_compiler(connection=self.write_connection)
        rows_sql = []
        params = []
        for indexer in indexers:
            params.extend((content_type_pk, indexer.id))
            vectors_sql = []
            for name in ("title", "autocomplete", "body"):
                value = compiler.prepare_value(pg.IndexEntry._meta.get_field(name), getattr(indexer, name))
                sql, value_params = value.as_sql(compiler, self.write_connection)
                vectors_sql.append(sql)
                params.extend(value_params)
            params.extend((indexer.title_text, indexer.body_text))
            rows_sql.append(f"(%s, %s, {vectors_sql[0]}, {vectors_sql[1]}, {vectors_sql[2]}, 1.0, %s, %s)")
        table = pg.IndexEntry._meta.db_table
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, title, autocomplete, body, title_norm, "  # noqa: S608
                f"title_text, body_text) (VALUES {', '.join(rows_sql)}) "
                "ON CONFLICT (content_type_id, object_id) DO UPDATE SET title = EXCLUDED.title, title_norm = 1.0, "
                "autocomplete = EXCLUDED.autocomplete, body = EXCLUDED.body, title_text = EXCLUDED.title_text, "
                "body_text = EXCLUDED.body_text",
                params,
            )
        self._normalise_written(content_type_pk, [indexer.id for indexer in indexers])


class ChinesePostgresQueryMixin(SegmentedQueryMixin):
    def build_tsquery_content(self, query, config=None, invert=False):
        if not isinstance(query, PlainText):
            return super().build_tsquery_content(query, config=config, invert=invert)
        terms = self.segmented_terms(query)
        if not terms:
            return None
        lexemes = None
        for term in terms:
            lexeme = PostgresLexeme(term.text, invert=invert, prefix=term.prefix)
            if lexemes is None:
                lexemes = lexeme
            elif query.operator == "and":
                lexemes &= lexeme
            else:
                lexemes |= lexeme
        return pg.SearchQuery(lexemes, search_type="raw", config=config)


class ChinesePostgresSearchQueryCompiler(ChinesePostgresQueryMixin, pg.PostgresSearchQueryCompiler):
    pass


class ChinesePostgresAutocompleteQueryCompiler(ChinesePostgresQueryMixin, pg.PostgresAutocompleteQueryCompiler):
    pass


class ChinesePostgresSearchBackend(SegmentedBackendMixin, pg.PostgresSearchBackend):
    query_compiler_class = ChinesePostgresSearchQueryCompiler
    autocomplete_query_compiler_class = ChinesePostgresAutocompleteQueryCompiler
    index_class = ChinesePostgresIndex

    def __init__(self, params):
        super().__init__(params)
        # Segmented words are not English: no stemming, no English stop words.
        self.config = params.get("SEARCH_CONFIG") or "simple"

    def ranked_rows(self, model, query, narrow, date_field, limit):
        return ranked_rows(self, model, query, narrow, date_field, limit)

    def page_hits(self, scope, query, limit):
        return page_hits(self, scope, query, limit)


# The public search ranks every match when a query has at most MANY_HITS of
# them; a word found in more items than that (反倾销 in a third of all
# articles at ten times the province) ranks only the CANDIDATES most recent
# matching items within the visitor's filters (docs/search.md, Speed).
MANY_HITS = 5000
CANDIDATES = 1000


def _words_and_rank(backend, model, query):
    """(tsquery, rank expression) of `query` for rows of Wagtail's IndexEntry, as Wagtail ranks them."""
    compiler = backend.query_compiler_class(model._default_manager.all(), query)
    tsquery = compiler.build_tsquery(compiler.query, config=backend.config)
    weights = compiler.sql_weights
    rank = pg.SearchRank(F("title"), tsquery, weights=weights) * F("title_norm") + pg.SearchRank(
        F("body"), tsquery, weights=weights
    )
    return tsquery, rank


def matching_entries(backend, model, query):
    """IndexEntry rows of `model` (and its subclasses) holding every word of `query` in title or body.

    The condition is written as `title || body @@ query`, the expression of
    the GIN index added by search_zh's migration.
    """
    tsquery, rank = _words_and_rank(backend, model, query)
    words = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    entries = pg.IndexEntry._default_manager.filter(content_type_id__in=get_descendants_content_types_pks(model))
    return entries.annotate(_words=words).filter(_words=tsquery), rank


def ranked_rows(backend, model, query, narrow, date_field, limit):
    """The `limit` best (pk, rank, date) of `model` among the rows `narrow(queryset)` keeps.

    Few matches (at most MANY_HITS): every match is ranked, read from the
    index table alone, then narrowed by primary key. Many matches: the
    CANDIDATES most recent narrowed rows holding the words are found from
    the model's side (newest first, each row's index entry checked through
    the (content type, object id) key), and only they are ranked.
    """
    entries, rank = matching_entries(backend, model, query)
    found = list(entries.annotate(rank=rank).values_list("object_id", "rank")[: MANY_HITS + 1])
    if len(found) <= MANY_HITS:
        ranks = {int(object_id): rank for object_id, rank in found}
        rows = narrow(model._default_manager.filter(pk__in=list(ranks))).values_list("pk", date_field)
    else:
        own_entry = entries.filter(object_id=Cast(OuterRef("pk"), CharField(max_length=50)))
        if issubclass(model, Page):  # a page's entry is stored under its own (specific) content type
            own_entry = own_entry.filter(content_type_id=OuterRef("content_type_id"))
        newest = (
            narrow(model._default_manager.filter(Exists(own_entry)))
            .order_by(f"-{date_field}", "-pk")
            .values_list("pk", date_field)[:CANDIDATES]
        )
        rows = list(newest)
        keys = [str(pk) for pk, _date in rows]
        ranks = {
            int(object_id): rank
            for object_id, rank in entries.filter(object_id__in=keys)
            .annotate(rank=rank)
            .values_list("object_id", "rank")
        }
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    best = sorted(
        ((pk, ranks.get(pk) or 0.0, date) for pk, date in rows),
        key=lambda row: (round(row[1], 9), row[2] or oldest),
        reverse=True,
    )
    return best[:limit]


def _hit_rows(entries, rows, own_entry, limit):
    """Up to `limit` rows of the queryset `rows` that have a matching entry, newest (highest pk) first.

    Few matching entries: their ids narrow `rows` by primary key. Many: the
    rows are walked newest first and each one's entry is checked
    (`own_entry`, correlated on the row), which stops after `limit` hits.
    """
    found = list(entries.values_list("object_id", flat=True)[: MANY_HITS + 1])
    if len(found) <= MANY_HITS:
        return rows.filter(pk__in=[int(object_id) for object_id in found])
    return rows.filter(Exists(own_entry))


def page_hits(backend, scope, query, limit):
    """Up to `limit` (pk, content type id, rank) of the pages in `scope` whose title words hold `query`.

    The admin's page search (search_zh.page_search): autocomplete words, the
    last one a prefix, ranked as Wagtail ranks them; the newest pages first.
    """
    compiler = backend.autocomplete_query_compiler_class(Page.objects.all(), query)
    tsquery = compiler.build_tsquery(compiler.query, config=backend.autocomplete_config)
    entries = pg.IndexEntry._default_manager.filter(
        content_type_id__in=get_descendants_content_types_pks(Page), autocomplete=tsquery
    )
    own_entry = entries.filter(
        content_type_id=OuterRef("content_type_id"), object_id=Cast(OuterRef("pk"), CharField(max_length=50))
    )
    rows = list(
        _hit_rows(entries, scope, own_entry, limit).order_by("-pk").values_list("pk", "content_type_id")[:limit]
    )
    rank = pg.SearchRank(F("autocomplete"), tsquery, weights=compiler.sql_weights)
    ranks = dict(
        entries.filter(object_id__in=[str(pk) for pk, _ct in rows]).annotate(rank=rank).values_list("object_id", "rank")
    )
    return [(pk, content_type_id, ranks.get(str(pk)) or 0.0) for pk, content_type_id in rows]
