"""The WAGTAILSEARCH_BACKENDS setting for each supported engine.

`database` (the default) is Wagtail's database search with Chinese
segmentation (search_zh.backend). `elasticsearch` and `opensearch` hand the
same index definitions (every model's `search_fields`) to Wagtail's
Elasticsearch 8 / OpenSearch 2 backend, with the cluster's Chinese analyzer
as the default analyzer of the index — `smartcn` (plugin analysis-smartcn)
unless SEARCH_ANALYZER names another, e.g. `ik_max_word` (IK plugin).
docs/search.md explains the move.
"""

ENGINES = {
    "database": "search_zh.backend",
    "elasticsearch": "wagtail.search.backends.elasticsearch8",
    "opensearch": "wagtail.search.backends.opensearch2",
}
CHINESE_ANALYZERS = ("smartcn", "ik_max_word", "ik_smart")


def search_backends(engine="database", url="", analyzer="smartcn"):
    """WAGTAILSEARCH_BACKENDS for `engine`; unknown values are kept so that `manage.py check` reports them."""
    backend = ENGINES.get(engine, engine)
    if engine not in ("elasticsearch", "opensearch"):
        return {"default": {"BACKEND": backend}}
    return {
        "default": {
            "BACKEND": backend,
            "URLS": [url] if url else [],
            "INDEX_PREFIX": "yujing_",
            "TIMEOUT": 5,
            "INDEX_SETTINGS": {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "default": {"type": "custom", "tokenizer": analyzer_tokenizer(analyzer)},
                        }
                    }
                }
            },
        }
    }


def analyzer_tokenizer(analyzer):
    # smartcn's tokenizer is `smartcn_tokenizer`; IK names its tokenizers after its analyzers.
    return "smartcn_tokenizer" if analyzer == "smartcn" else analyzer
