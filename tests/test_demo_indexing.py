"""warning/demo/indexing.py: bulk creation indexes each saved object once, at the end, with the same result."""

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex
from wagtail.search.models import IndexEntry

from tests.factories import make_point
from warning.demo.indexing import indexing_deferred


def index_entries(pages):
    return {
        (entry.content_type_id, entry.object_id): entry.title
        for entry in IndexEntry.objects.filter(object_id__in=[str(page.pk) for page in pages])
    }


def subsite_pages(point):
    point.refresh_from_db()
    return [page.specific for page in Page.objects.filter(path__startswith=point.subsite.path)]


def references(objects):
    rows = ReferenceIndex.objects.filter(object_id__in=[str(obj.pk) for obj in objects])
    return sorted(
        rows.values_list("base_content_type_id", "content_type_id", "object_id", "to_object_id", "content_path")
    )


def test_saves_inside_the_block_are_indexed_only_at_its_end(db):
    with indexing_deferred():
        point = make_point(name="索引测试对外贸易预警点")
        pages = subsite_pages(point)
        assert len(pages) == 4
        assert index_entries(pages) == {}
    entries = index_entries(pages)
    assert set(entries) == {(ContentType.objects.get_for_model(page).pk, str(page.pk)) for page in pages}


def test_the_indexes_end_up_as_reindexing_each_object_would_leave_them(db):
    point = make_point(name="索引测试对外贸易预警点", responsible=2)
    pages = subsite_pages(point)
    objects = [point, *pages]
    entries, refs = index_entries(pages), references(objects)
    assert len(entries) == 4
    for obj in objects:
        ReferenceIndex.create_or_update_for_object(obj)
    assert references(objects) == refs
    assert index_entries(pages) == entries


def test_the_search_signal_is_back_after_the_block(db):
    with indexing_deferred():
        pass
    point = make_point(name="块后对外贸易预警点")
    home = point.subsite.specific
    before = index_entries([home])
    home.title = "块后改名的子网站"
    home.save()
    after = index_entries([home])
    assert set(after) == set(before) and after != before  # the save re-indexed the new title
