"""`manage.py check` validates the search settings (docs/search.md).

- the default backend is one of search_zh.engines.ENGINES;
- the database engine runs on SQLite with FTS5 or on PostgreSQL, and the
  jieba dictionary loads;
- an Elasticsearch/OpenSearch engine has a URL and a Chinese analyzer as the
  index's default analyzer (otherwise Chinese would be indexed character by
  character and 反倾销 would find 倾 and 销 anywhere).
"""

from django.conf import settings
from django.core.checks import Error, Tags, register

from .engines import CHINESE_ANALYZERS, ENGINES, analyzer_tokenizer


@register(Tags.compatibility, "search")
def check_search_settings(app_configs=None, **kwargs):
    backends = getattr(settings, "WAGTAILSEARCH_BACKENDS", {})
    default = backends.get("default")
    if not default:
        return [Error("未配置全文检索后端 WAGTAILSEARCH_BACKENDS['default']", id="search_zh.E001")]
    backend = default.get("BACKEND")
    if backend not in ENGINES.values():
        return [
            Error(
                f"不支持的全文检索后端：{backend}",
                hint=f"可选：{'、'.join(ENGINES.values())}（见 docs/search.md）",
                id="search_zh.E002",
            )
        ]
    if backend == ENGINES["database"]:
        return _check_database()
    return _check_cluster(default)


def _check_database():
    from django.db import connection

    from . import segment
    from .backend import SUPPORTED_VENDORS

    errors = []
    if connection.vendor not in SUPPORTED_VENDORS:
        errors.append(Error(f"数据库检索只支持 SQLite 与 PostgreSQL，当前为 {connection.vendor}", id="search_zh.E003"))
    elif connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.utils import fts5_available

        if not fts5_available():
            errors.append(Error("SQLite 未启用 FTS5 全文检索扩展", id="search_zh.E004"))
    if not segment.DICTIONARY.is_file():
        errors.append(Error(f"分词词典不存在：{segment.DICTIONARY}", id="search_zh.E005"))
    elif "反倾销" not in segment.words("美国对华反倾销立案调查"):
        errors.append(Error("分词词典未生效：反倾销 未被切分为一个词", id="search_zh.E006"))
    return errors


def _check_cluster(params):
    errors = []
    if not params.get("URLS"):
        errors.append(Error("Elasticsearch/OpenSearch 未设置地址（环境变量 SEARCH_URL）", id="search_zh.E007"))
    analysis = params.get("INDEX_SETTINGS", {}).get("settings", {}).get("analysis", {})
    tokenizer = analysis.get("analyzer", {}).get("default", {}).get("tokenizer")
    if tokenizer not in {analyzer_tokenizer(name) for name in CHINESE_ANALYZERS}:
        errors.append(
            Error(
                f"Elasticsearch/OpenSearch 索引的默认分析器不是中文分词器：{tokenizer}",
                hint=f"环境变量 SEARCH_ANALYZER 可选：{'、'.join(CHINESE_ANALYZERS)}",
                id="search_zh.E008",
            )
        )
    return errors
