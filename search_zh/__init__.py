"""Chinese full-text search: segmentation, the search backend, and the one search function.

This package owns everything that turns text into searchable Chinese words
and a query into the words it must match:

- `segment`: jieba (search mode) with the domain dictionary `dictionary.txt`,
  stop words, markup stripped before indexing;
- `backend`: Wagtail's database backend (SQLite FTS5 / PostgreSQL) indexing
  and querying segmented words — every Wagtail search box (page search,
  explorer, choosers, images, documents, snippets) goes through it;
- `query`: `clean_query` (bad input → a Chinese message) and `search`, the
  function the project's own admin lists call with their role-scoped
  queryset;
- `highlight`: the summary of a hit with the query's words in `<mark>`;
- `engines` and `checks`: the settings for the database or an
  Elasticsearch/OpenSearch cluster, validated by `manage.py check`.

The rules are written out in docs/search.md.
"""
