"""The PostgreSQL half of search_zh.backend (imported only on PostgreSQL)."""

from modelsearch.backends.database.postgres import postgres as pg
from modelsearch.backends.database.postgres.query import Lexeme as PostgresLexeme
from modelsearch.query import PlainText
from modelsearch.utils import get_content_type_pk

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
