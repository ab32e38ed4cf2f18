"""The PostgreSQL half of search_zh.backend (imported only on PostgreSQL)."""

import datetime
import json
from contextlib import contextmanager

from django.contrib.postgres.search import SearchVectorField
from django.db import connection, transaction
from django.db.models import BooleanField, CharField, Exists, F, Func, OuterRef, Q, Value
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.postgres.query import Lexeme as PostgresLexeme
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk, get_descendants_content_types_pks
from wagtail.models import Page

from .backend import SegmentedBackendMixin, SegmentedQueryMixin, StaleEntriesMixin, TitleNormMixin
from .segment import index_text


class PostgresIndexer(pg.ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        return super().as_vector([(index_text(text), weight) for text, weight in texts], for_autocomplete)


class ChinesePostgresIndex(StaleEntriesMixin, TitleNormMixin, pg.PostgresIndex):
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


# How many matches are ranked (docs/search.md, Speed). A query with at most
# MANY_HITS matching index rows has all of them ranked. A word found in more
# (反倾销 is in a third of all articles at ten times the province) has only
# the CANDIDATES most recent matching items within the visitor's filters
# ranked: the rows are walked newest first, in chunks of at most WALK_CHUNK
# sized by the share of matches seen so far, and each chunk's index entries
# are checked by their (content type, object id) key.
# After WALK_LIMIT rows without enough hits (a word in a few percent of the
# items) PostgreSQL finds the newest matches itself, with a hash join.
MANY_HITS = 1000
CANDIDATES = 100
WALK_CHUNK = 2000
WALK_LIMIT = 10000


@contextmanager
def _without_jit():
    """PostgreSQL's JIT compiler (on by default) spends 100-300 ms compiling a plan it
    expects to be costly, more than these queries then take: off for them only."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        yield


class Matches(Func):
    """`vector @@ query` as a value (true or false), so that a lookup by key is not planned as a word search."""

    template = "(%(expressions)s)"
    arg_joiner = " @@ "
    output_field = BooleanField()


def any_of(model, column, values):
    """`model.column = ANY(values)`: one array parameter instead of one placeholder per value (thousands here)."""
    quote = connection.ops.quote_name
    sql = f"{quote(model._meta.db_table)}.{quote(column)} = ANY(%s)"  # names from model metadata
    return RawSQL(sql, (list(values),), output_field=BooleanField())  # noqa: S611


class Words:
    """One query's words against Wagtail's index table, for the rows of some content types.

    `vector` is what is searched (title || body, or autocomplete), `rank` the
    relevance as Wagtail computes it.
    """

    def __init__(self, content_types, vector, tsquery, rank):
        self.entries = pg.IndexEntry._default_manager.filter(content_type_id__in=content_types)
        self.vector = vector
        self.tsquery = tsquery
        self.rank = rank

    def matching(self):
        """The matching entries, found through the GIN index on `vector`."""
        return self.entries.annotate(_words=self.vector).filter(_words=self.tsquery)

    def by_key(self, rows):
        """{(content type id, object id): rank} of the `rows` (pk, …, content type id) whose entry matches.

        Each entry is read by its (content type, object id) key.
        """
        by_type = {}
        for row in rows:
            by_type.setdefault(row[-1], []).append(str(row[0]))
        found = {}
        for content_type_id, object_ids in by_type.items():
            entries = (
                self.entries.filter(content_type_id=content_type_id)
                .filter(any_of(pg.IndexEntry, "object_id", object_ids))
                .annotate(hit=Matches(self.vector, self.tsquery), rank=self.rank)
            )
            for object_id, hit, rank in entries.values_list("object_id", "hit", "rank"):
                if hit:
                    found[content_type_id, object_id] = rank
        return found


def text_words(backend, model, query):
    """`query` against the title and body words of `model` (and its subclasses), as the public search ranks.

    The vector is `title || body`, the expression of the GIN index added by
    search_zh's migration.
    """
    compiler = backend.query_compiler_class(model._default_manager.all(), query)
    tsquery = compiler.build_tsquery(compiler.query, config=backend.config)
    weights = compiler.sql_weights
    rank = pg.SearchRank(F("title"), tsquery, weights=weights) * F("title_norm") + pg.SearchRank(
        F("body"), tsquery, weights=weights
    )
    vector = CombinedExpression(F("title"), "||", F("body"), output_field=SearchVectorField())
    return Words(get_descendants_content_types_pks(model), vector, tsquery, rank)


def title_words(backend, query):
    """`query` against the autocomplete (title) words of pages, the last word a prefix, as the admin ranks."""
    compiler = backend.autocomplete_query_compiler_class(Page.objects.all(), query)
    tsquery = compiler.build_tsquery(compiler.query, config=backend.autocomplete_config)
    rank = pg.SearchRank(F("autocomplete"), tsquery, weights=compiler.sql_weights)
    return Words(get_descendants_content_types_pks(Page), F("autocomplete"), tsquery, rank)


def _estimated_rows(queryset):
    """PostgreSQL's estimate of how many rows `queryset` returns (from its planner statistics, no scan)."""
    plan = json.loads(queryset.explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]


def _few(words):
    """{object id: rank} of every matching entry when there are at most MANY_HITS of them, else None.

    A query PostgreSQL expects to match far more rows goes straight to the
    walk, without reading MANY_HITS entries first.
    """
    matching = words.matching()
    if _estimated_rows(matching) > MANY_HITS:
        return None
    found = list(matching.annotate(rank=words.rank).values_list("object_id", "rank")[: MANY_HITS + 1])
    if len(found) > MANY_HITS:
        return None
    return {int(object_id): rank for object_id, rank in found}


def _content_type_of(model):
    """The row's own content type: a page's (specific) one, or the model's."""
    if issubclass(model, Page):
        return F("content_type_id")
    return Value(get_content_type_pk(model))


def newest_matching(rows, words, order, wanted):
    """Up to `wanted` (pk, *order fields, content type id, rank) of `rows` whose entry matches `words`.

    `order` names the fields of the descending order, the last one "pk". The
    rows are read by keyset in chunks (four times `wanted` first, then what
    the share of matches so far says is missing, at most WALK_CHUNK), and
    each chunk's entries are read by key; after WALK_LIMIT rows one SQL
    query (PostgreSQL's own join) finds the rest.
    """
    fields = ("pk", *(name for name in order if name != "pk"), "_type")
    rows = rows.annotate(_type=_content_type_of(rows.model)).order_by(*(f"-{name}" for name in order))
    found = []
    walked = 0
    last = None
    size = min(WALK_CHUNK, 4 * wanted)
    while len(found) < wanted:
        chunk = rows if last is None else rows.filter(_after(order, last))
        chunk = list(chunk.values_list(*fields)[:size])
        if not chunk:
            break
        ranks = words.by_key(chunk)
        found.extend((*row, ranks[row[-1], str(row[0])]) for row in chunk if (row[-1], str(row[0])) in ranks)
        walked += len(chunk)
        last = dict(zip(fields, chunk[-1], strict=True))
        # The next chunk is sized by the share of matching rows seen so far (a quarter more).
        share = max(len(found), 1) / walked
        size = min(WALK_CHUNK, max(wanted, int((wanted - len(found)) / share * 1.25) + 1))
        if walked >= WALK_LIMIT and len(found) < wanted:
            own_entry = words.matching().filter(
                content_type_id=OuterRef("_type"), object_id=Cast(OuterRef("pk"), CharField(max_length=50))
            )
            with _without_jit():
                rows = list(rows.filter(Exists(own_entry)).values_list(*fields)[:wanted])
            ranks = words.by_key(rows)
            return [(*row, ranks.get((row[-1], str(row[0])), 0.0)) for row in rows]
    return found[:wanted]


def _after(order, last):
    """Rows after `last` (a dict of field values) in the descending `order` (keyset paging)."""
    condition = Q()
    equal = Q()
    for name in order:
        condition |= equal & Q(**{f"{name}__lt": last[name]})
        equal &= Q(**{name: last[name]})
    return condition


def ranked_rows(backend, model, query, narrow, date_field, limit):
    """The `limit` best (pk, rank, date) of `model` among the rows `narrow(queryset)` keeps.

    Few matches (at most MANY_HITS): every match is ranked, read from the
    index table alone, then narrowed by primary key. Many matches: the
    CANDIDATES most recent narrowed rows holding the words
    (`newest_matching`), and only they are ranked.
    """
    words = text_words(backend, model, query)
    ranks = _few(words)
    if ranks is not None:
        rows = narrow(model._default_manager.filter(any_of(model, model._meta.pk.column, ranks))).values_list(
            "pk", date_field
        )
        rows = [(pk, ranks[pk], date) for pk, date in rows]
    else:
        dated = narrow(model._default_manager.filter(**{f"{date_field}__isnull": False}))
        rows = [
            (pk, rank, date) for pk, date, _type, rank in newest_matching(dated, words, [date_field, "pk"], CANDIDATES)
        ]
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    best = sorted(rows, key=lambda row: (round(row[1] or 0.0, 9), row[2] or oldest), reverse=True)
    return [(pk, rank or 0.0, date) for pk, rank, date in best[:limit]]


def page_hits(backend, scope, query, limit):
    """Up to `limit` (pk, content type id, rank) of the pages in `scope` whose title words hold `query`.

    The admin's page search (search_zh.page_search): autocomplete words, the
    last one a prefix, ranked as Wagtail ranks them; the newest pages first.
    """
    words = title_words(backend, query)
    ranks = _few(words)
    if ranks is not None:
        rows = (
            scope.filter(any_of(Page, Page._meta.pk.column, ranks))
            .order_by("-pk")
            .values_list("pk", "content_type_id")[:limit]
        )
        return [(pk, content_type_id, ranks[pk]) for pk, content_type_id in rows]
    return newest_matching(scope, words, ["pk"], limit)
