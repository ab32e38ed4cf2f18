"""The exact ``total_count`` of an API page list, counted on the page table alone where that is the same number.

Both APIs give the number of items with every list (v2 ``meta.total_count``, v3
``count``). Listed by one page type (``?type=subsites.ArticlePage``), Wagtail counts
the rows of the type's own table joined with the page table: at ten times the
province that joins 375,000 article rows with their pages for every list. Yet every
condition of an unfiltered list (live, under the site's root, not below a view
restriction) is a column of the page table, and a page has a row in a type's table
exactly when its content type is that type or one of its subclasses (Wagtail keeps
it so: the content type is what ``.specific`` reads). So the same number is the count
of the page table's rows with those conditions and the type's content types, which
PostgreSQL reads from one partial index (``subsites_live_page_type_path``, live pages
by content type and path, with the depth: migration ``subsites/0008``) without
touching a table.

``api_total(queryset)`` counts that way when every condition of the list is one on
the page table — Wagtail's v2 form ``page_ptr IN (live public pages)`` included —
and otherwise exactly as Django would (a filter on the type's own fields such as
``?point=`` / ``?column_kind=`` / ``?date=``, a search, another model). The number is
the same either way; ``tests/test_api_counts.py`` compares both on every list form.
"""

from django.db.models import QuerySet
from django.db.models.expressions import Col
from django.db.models.lookups import In, Lookup
from django.db.models.sql.datastructures import Join
from django.db.models.sql.query import Query
from django.db.models.sql.where import AND, WhereNode
from wagtail.models import Page

PAGE_TABLE = Page._meta.db_table
PK_LOOKUPS = {"exact", "in", "gt", "gte", "lt", "lte"}


def _plain_value(value):
    """A literal, or a list of literals: nothing that compiles to a column of some other table."""
    if isinstance(value, list | tuple | set | frozenset):
        return all(_plain_value(item) for item in value)
    return not hasattr(value, "resolve_expression") and not hasattr(value, "as_sql")


def _pages_subquery_where(query):
    """The WHERE of ``SELECT id FROM wagtailcore_page WHERE …`` (one table, no slicing), relabelled; else None."""
    if not isinstance(query, Query) or len(query.alias_map) != 1 or query.base_table is None:
        return None
    if query.alias_map[query.base_table].table_name != PAGE_TABLE:
        return None
    if query.distinct or query.combinator or query.group_by or query.low_mark or query.high_mark is not None:
        return None
    selected = query.select
    if len(selected) != 1 or not isinstance(selected[0], Col) or selected[0].target != Page._meta.pk:
        return None
    where = _page_conditions(query.where, {query.base_table}, query, query.model)
    return None if where is None else where.relabeled_clone({query.base_table: PAGE_TABLE})


def _page_conditions(node, page_aliases, query, model):
    """``node`` as conditions on the page table (its aliases in ``page_aliases``), or None if it needs more."""
    result = WhereNode(connector=node.connector, negated=node.negated)
    for child in node.children:
        if isinstance(child, WhereNode):
            converted = _page_conditions(child, page_aliases, query, model)
        elif isinstance(child, Lookup) and isinstance(child.lhs, Col):
            converted = _page_lookup(child, page_aliases, query, model)
        else:  # an Exists, raw SQL, an annotation, an always-empty node …
            converted = None
        if converted is None:
            return None
        result.children.append(converted)
    return result


def _page_lookup(lookup, page_aliases, query, model):
    column = lookup.lhs
    if column.alias in page_aliases and column.target.model is Page:
        return lookup if _plain_value(lookup.rhs) else None
    if column.alias != query.base_table or column.target != model._meta.pk:
        return None
    # The type's primary key is its page's id.
    if isinstance(lookup, In) and isinstance(lookup.rhs, Query):
        # Wagtail's v2 list of one type: `page_ptr_id IN (SELECT id FROM wagtailcore_page WHERE …)`.
        return _pages_subquery_where(lookup.rhs)
    if lookup.lookup_name in PK_LOOKUPS and _plain_value(lookup.rhs):
        # descendant_of(page) leaves the page itself out by its key.
        return Page._meta.pk.get_lookup(lookup.lookup_name)(Col(PAGE_TABLE, Page._meta.pk), lookup.rhs)
    return None


def _page_join_aliases(query, model):
    """Aliases under which ``query`` (of a page type) joins its own page row: the parent link."""
    parent_link = model._meta.get_ancestor_link(Page)
    aliases = set()
    for alias, join in query.alias_map.items():
        if (
            isinstance(join, Join)
            and join.table_name == PAGE_TABLE
            and join.parent_alias == query.base_table
            and join.join_type == "INNER JOIN"
            and parent_link is not None
            and join.join_field == parent_link
        ):
            aliases.add(alias)
    return aliases


def page_table_count_queryset(queryset):
    """A Page queryset with the same number of rows as ``queryset`` (a list of one page type), or None."""
    model = queryset.model
    if not (isinstance(queryset, QuerySet) and issubclass(model, Page)) or model is Page:
        return None
    query = queryset.query
    if query.distinct or query.combinator or query.group_by or query.low_mark or query.high_mark is not None:
        return None
    page_aliases = _page_join_aliases(query, model)
    where = _page_conditions(query.where, page_aliases, query, model)
    if where is None:
        return None
    counted = Page.objects.type(model)
    counted.query.where.add(where.relabeled_clone(dict.fromkeys(page_aliases, PAGE_TABLE)), AND)
    return counted


def api_total(queryset):
    """The number of rows of an API list: on the page table alone when that is the same number."""
    if isinstance(queryset, QuerySet):
        counted = page_table_count_queryset(queryset)
        if counted is not None:
            return counted.count()
    return queryset.count()


class CountedOnPageTable:
    """What Wagtail's v2 paginator asks of a list (its count and a slice), with the count from api_total()."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return api_total(self.queryset)

    def __getitem__(self, item):
        return self.queryset[item]
