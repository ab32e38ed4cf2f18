"""The SQLite FTS5 half of search_zh.backend (imported only on SQLite)."""

from django.db.models import FloatField, Func, OuterRef, Subquery
from django.db.models.functions import Cast
from modelsearch.backends.database.sqlite import sqlite
from modelsearch.backends.database.sqlite.query import Lexeme as SQLiteLexeme
from modelsearch.backends.database.sqlite.query import SearchQueryExpression
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

from .backend import SegmentedBackendMixin, SegmentedQueryMixin, StaleEntriesMixin, TitleNormMixin
from .segment import index_text


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


class ChineseSQLiteIndex(StaleEntriesMixin, TitleNormMixin, sqlite.SQLiteIndex):
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


class ScoredByRowidMixin:
    """Score each result by looking its own FTS row up by rowid.

    Wagtail's SQLite compiler annotates the score with a subquery correlated
    on `object_id`, which SQLite answers by running the whole MATCH again
    for every result row: quadratic in the number of hits (seconds for a
    word found in a few thousand items). Here the correlated subquery pins
    the FTS row by its rowid (the index entry's id), which FTS5 seeks to
    directly. Everything else is Wagtail's `search()`.
    """

    def search(self, config, start, stop, score_field=None):
        normalized_query = sqlite.normalize(self.query)
        wants_score = score_field is not None or self.order_by_relevance
        if isinstance(normalized_query, (sqlite.MatchAll, sqlite.Not)) or not wants_score:
            return super().search(config, start, stop, score_field=score_field)
        search_query = self.build_search_query(normalized_query, config=config)
        match_expression = sqlite.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, search_query)
        content_types = sqlite.get_descendants_content_types_pks(self.queryset.model)
        matching_ids = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(match_expression)
            .filter(index_entry__content_type__in=content_types)
            .values_list("index_entry__object_id", flat=True)
        )
        entry_id = sqlite.IndexEntry._default_manager.filter(
            content_type_id__in=content_types,
            object_id=Cast(OuterRef(OuterRef("pk")), sqlite.TextField()),
        ).values("id")[:1]
        score = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(match_expression)
            .filter(index_entry_id=Subquery(entry_id))
            .annotate(score=self._build_rank_expression(None, config))
            .values("score")[:1]
        )
        score_field = score_field or "_score"
        queryset = self.queryset.filter(pk__in=matching_ids).annotate(
            **{score_field: Subquery(score, output_field=FloatField())}
        )
        if self.order_by_relevance:
            queryset = queryset.order_by(score_field, "-pk")
        elif not queryset.query.order_by:
            queryset = queryset.order_by("-pk")
        return queryset[start:stop]


class ChineseSQLiteSearchQueryCompiler(ScoredByRowidMixin, ChineseSQLiteQueryMixin, sqlite.SQLiteSearchQueryCompiler):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25((0.0, 1.0, 5.0))


class ChineseSQLiteAutocompleteQueryCompiler(
    ScoredByRowidMixin, ChineseSQLiteQueryMixin, sqlite.SQLiteAutocompleteQueryCompiler
):
    def _build_rank_expression(self, vectors, config):
        return WeightedBM25((1.0, 0.0, 0.0))


class ChineseSQLiteSearchBackend(SegmentedBackendMixin, sqlite.SQLiteSearchBackend):
    query_compiler_class = ChineseSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = ChineseSQLiteAutocompleteQueryCompiler
    index_class = ChineseSQLiteIndex

    def scores(self, model, query):
        """{primary key: score (higher is better)} of every row of `model` matching `query`, in one FTS pass.

        The public search ranks its hits with this rather than with one
        scoring subquery per hit (see ScoredByRowidMixin): bm25() is
        computed once per matching row, inside the MATCH query.
        """
        compiler = self.query_compiler_class(model._default_manager.all(), query)
        search_query = compiler.build_search_query(sqlite.normalize(compiler.query))
        if search_query is None:
            return {}
        rows = (
            sqlite.SQLiteFTSIndexEntry.objects.filter(sqlite.MatchExpression(compiler.FTS_TABLE_FIELDS, search_query))
            .filter(index_entry__content_type__in=sqlite.get_descendants_content_types_pks(model))
            .annotate(score=compiler._build_rank_expression(None, None))
            .values_list("index_entry__object_id", "score")
        )
        return {int(object_id): -score for object_id, score in rows}
