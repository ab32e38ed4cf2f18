"""Segmentation rules, the search settings check, and update_index's progress."""

import io

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.test import override_settings

from search_zh.engines import search_backends
from search_zh.highlight import summary
from search_zh.segment import index_text, query_terms, words
from tests.subsites_factories import make_article


def test_domain_words_stay_whole_and_hold_their_sub_words():
    indexed = words("印度对原产于中国的玩具实施特别保障措施，美国发起337调查，WTO/TBT通报")
    for word in ("特别保障措施", "保障措施", "337调查", "tbt通报", "tbt", "wto", "原产于", "玩具"):
        assert word in indexed
    assert "的" not in indexed and "，" not in indexed


def test_a_query_is_cut_into_its_best_words_with_single_characters_as_prefixes():
    assert [t.text for t in query_terms("特别保障措施")] == ["特别保障措施"]
    assert [(t.text, t.prefix) for t in query_terms("经济联")] == [("经济", False), ("联", True)]
    assert [(t.text, t.prefix) for t in query_terms("欧盟反倾", last_is_prefix=True)] == [
        ("欧盟", False),
        ("反倾", True),
    ]
    assert query_terms("！？，。") == [] and query_terms("的 和 the") == []


def test_the_index_holds_text_never_markup():
    assert index_text('<p class="x">美国<b>反倾销</b></p><script>') == "美国 倾销 反倾销"


def test_summary_escapes_and_marks():
    html = summary("<p>&lt;b&gt;注意&lt;/b&gt; 欧盟碳边境调节机制</p>", "碳边境调节机制")
    assert html == "&lt;b&gt;注意&lt;/b&gt; 欧盟<mark>碳边境调节机制</mark>"


@pytest.mark.django_db
def test_the_default_settings_pass_the_search_check():
    assert [e for e in run_checks() if e.id.startswith("search_zh")] == []


@pytest.mark.parametrize(
    ("backends", "error_id"),
    [
        ({"default": {"BACKEND": "wagtail.search.backends.database"}}, "search_zh.E002"),
        (search_backends("elasticsearch"), "search_zh.E007"),
        (
            {
                "default": {
                    **search_backends("opensearch", url="http://search:9200")["default"],
                    "INDEX_SETTINGS": {},
                }
            },
            "search_zh.E008",
        ),
        ({}, "search_zh.E001"),
    ],
)
@pytest.mark.django_db
def test_the_search_check_refuses_a_backend_without_chinese_segmentation(backends, error_id):
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        assert error_id in [e.id for e in run_checks() if e.id.startswith("search_zh")]


@pytest.mark.django_db
def test_a_cluster_with_a_url_and_a_chinese_analyzer_passes_the_check():
    for engine, analyzer in (("elasticsearch", "ik_max_word"), ("opensearch", "smartcn")):
        with override_settings(WAGTAILSEARCH_BACKENDS=search_backends(engine, "http://search:9200", analyzer)):
            assert [e for e in run_checks() if e.id.startswith("search_zh")] == []


@pytest.mark.django_db
def test_update_index_shows_progress_and_rebuilds_a_searchable_index(point, client):
    for i in range(5):
        make_article(point, title=f"光伏组件反倾销预警{i}")
    out = io.StringIO()
    call_command("update_index", "--chunk_size", "2", stdout=out)
    text = out.getvalue()
    assert "已索引 2/" in text and "（100%）" in text
    html = client.get("/search/", {"q": "光伏组件"}).content.decode()
    assert "<mark>光伏组件</mark>反倾销预警4" in html and "搜索结果（5 条）" in html


@pytest.mark.django_db
def test_update_index_drops_the_rows_of_deleted_objects_and_keeps_the_others(point):
    from wagtail.search.models import IndexEntry

    kept = make_article(point, title="保障措施预警")
    call_command("update_index", stdout=io.StringIO())
    # A row left behind by an object deleted without signals (a raw delete, a restore):
    # a copy of the kept row under an id no page has.
    stale = IndexEntry.objects.get(object_id=str(kept.pk))
    stale.pk, stale.object_id = None, str(kept.pk + 100000)
    stale.save()
    call_command("update_index", stdout=io.StringIO())
    assert not IndexEntry.objects.filter(object_id=stale.object_id).exists()
    assert IndexEntry.objects.filter(object_id=str(kept.pk)).exists()
