"""Wagtail's database search backend with Chinese segmentation on both sides.

`SearchBackend` picks, like Wagtail's own `wagtail.search.backends.database`,
the SQLite FTS5 or the PostgreSQL tsvector backend for the default database
and subclasses it in three places only:

- the object indexer stores each text as its segmented words separated by
  spaces (search_zh.segment.index_text), so FTS5's unicode61 tokenizer and
  PostgreSQL's parser see one token per Chinese word;
- the query compilers turn a plain-text query into the same words, all
  required (AND), single characters and the last autocomplete word as
  prefixes;
- the index writes normalise the title length of the rows they write only.
  Wagtail's index recomputes `title_norm` for every row still at its default
  after each write, a full scan per save that made bulk imports quadratic;
  here the average title length is read once per process (and refreshed
  every ten minutes), and `update_index` still recomputes every row at the
  end of a rebuild.

Settings: WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search_zh.backend"
(docs/search.md).
"""

import time

from django.db import connection
from django.db.models import Avg, F, FloatField, Func
from django.db.models.functions import Length
from modelsearch.backends.base import EmptySearchResults
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.postgres.query import Lexeme as PostgresLexeme
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme as SQLiteLexeme
from modelsearch.backends.database.sqlite.query import SearchQueryExpression
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

from .segment import index_text, query_terms

TITLE_AVERAGE_TTL = 600
_title_averages = {}


def forget_title_average():
    _title_averages.clear()


class TitleNormMixin:
    """Set `title_norm` (average title length / this title's length) on the rows just written."""

    def _title_average(self):
        key = self.write_connection.alias
        cached = _title_averages.get(key)
        if cached is None or time.monotonic() - cached[1] > TITLE_AVERAGE_TTL:
            average = (
                self.entries.annotate(title_length=Length("title"))
                .filter(title_length__gt=0)
                .aggregate(Avg("title_length"))["title_length__avg"]
            )
            cached = (average or 1.0, time.monotonic())
            _title_averages[key] = cached
        return cached[0]

    def _normalise_written(self, content_type_pk, object_ids):
        self.entries.filter(content_type_id=content_type_pk, object_id__in=list(object_ids)).annotate(
            title_length=Length("title")
        ).filter(title_length__gt=0).update(title_norm=self._title_average() / F("title_length"))

    def _refresh_title_norms(self, full=False):
        forget_title_average()
        super()._refresh_title_norms(full=full)


# --- SQLite FTS5 ----------------------------------------------------------------


class SQLiteIndexer(sqlite.ObjectIndexer):
    @property
    def title(self):
        return index_text(super().title)

    @property
    def body(self):
        return index_text(super().body)

    @property
    def autocomplete(self):
        return index_text(super().autocomplete)


class ChineseSQLiteIndex(TitleNormMixin, sqlite.SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        content_type_pk = get_content_type_pk(model)
        rows = {}
        for obj in objs:
            indexer = SQLiteIndexer(obj, self.backend)
            rows[indexer.id] = {"title": indexer.title, "autocomplete": indexer.autocomplete, "body": indexer.body}
        if not rows:
            return
        entries = self.entries.filter(content_type_id=content_type_pk)
        existing = set(entries.filter(object_id__in=rows.keys()).values_list("object_id", flat=True))
        for object_id in existing:
            entries.filter(object_id=object_id).update(title_norm=1.0, **rows[object_id])
        self.entries.bulk_create(
            sqlite.IndexEntry(content_type_id=content_type_pk, object_id=object_id, **values)
            for object_id, values in rows.items()
            if object_id not in existing
        )
        self._normalise_written(content_type_pk, rows.keys())


class WeightedBM25(Func):
    """FTS5's bm25() with a weight per column of the FTS table (autocomplete, body, title).

    Wagtail's SQLite backend ranks with the unweighted bm25() scaled by the
    title-length norm, so a hit in the body of an item with a short title
    outranked a hit in the title. Weighting the columns makes a title hit
    count more, as the PostgreSQL backend's weights do.
    """

    output_field = FloatField()

    def __init__(self, weights):
        self.weights = weights
        super().__init__()

    def as_sql(self, compiler, connection, **extra_context):
        table = sqlite.SQLiteFTSIndexEntry._meta.db_table
        return f"bm25({table}, {', '.join(str(float(weight)) for weight in self.weights)})", []


class SegmentedQueryMixin:
    """Plain-text queries become the segmented words, all required."""

    def segmented_terms(self, query):
        return query_terms(query.query_string, last_is_prefix=self.LAST_TERM_IS_PREFIX)


class ChineseSQLiteQueryMixin(SegmentedQueryMixin):
    def build_search_query_content(self, query, config=None):
        if not isinstance(query, PlainText):
            return super().build_search_query_content(query, config=config)
        terms = self.segmented_terms(query)
        if not terms:
            return None
        lexemes = None
        for term in terms:
            lexeme = SQLiteLexeme(term.text, prefix=term.prefix)
            if lexemes is None:
                lexemes = lexeme
            elif query.operator.upper() == "AND":
                lexemes &= lexeme
            else:
                lexemes |= lexeme
        return SearchQueryExpression(lexemes, config=config)


class ChineseSQLiteSearchQueryCompiler(ChineseSQLiteQueryMixin, sqlite.SQLiteSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25((0.0, 1.0, 5.0))


class ChineseSQLiteAutocompleteQueryCompiler(ChineseSQLiteQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25((1.0, 0.0, 0.0))


class SegmentedBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        # A query of punctuation or stop words only has nothing to look for.
        if isinstance(query, str) and not query_terms(query):
            return EmptySearchResults()
        return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)


class ChineseSQLiteSearchBackend(SegmentedBackendMixin, sqlite.SQLiteSearchBackend):
    query_compiler_class = ChineseSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
    index_class = ChineseSQLiteIndex


# --- PostgreSQL -------------------------------------------------------------------


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


SUPPORTED_VENDORS = ("sqlite", "postgresql")


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The Chinese backend for the default database (SQLite FTS5 or PostgreSQL)."""
    if connection.vendor == "postgresql":
        return ChinesePostgresSearchBackend(params)
    if connection.vendor == "sqlite":
        return ChineseSQLiteSearchBackend(params)
    raise NotImplementedError(f"search_zh supports {', '.join(SUPPORTED_VENDORS)}, not {connection.vendor}")
