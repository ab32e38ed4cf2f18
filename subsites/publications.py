"""子网站信息发布: every article published on the points' subsites, for the provincial contact.

The admin screen (subsites/wagtail_hooks.py) filters what ``publications()``
returns and prints ``publication_counts()`` of the same filtered queryset:
one query for the counts, one for the page of rows, whatever the volume.
"""

from django.db.models import Count, Q

from warning.models.profiles import scope_of

from .models import ArticlePage, ColumnKind


def may_view_publications(user):
    """Only the provincial contact oversees all subsites; points and cities use their own screens."""
    return scope_of(user).is_provincial


def publications():
    """Live subsite articles, newest first publication first, with point and city for the listing."""
    return (
        ArticlePage.objects.live()
        .filter(first_published_at__isnull=False)
        .select_related("point__district__city")
        .order_by("-first_published_at", "-pk")
    )


def publication_counts(queryset):
    """Total and per-column counts of a (filtered) publications queryset, in one query."""
    aggregates = {"total": Count("pk")}
    for kind in ColumnKind:
        aggregates[kind.value] = Count("pk", filter=Q(column_kind=kind.value))
    counts = queryset.order_by().aggregate(**aggregates)
    counts["columns"] = [(kind.label, counts[kind.value]) for kind in ColumnKind]
    return counts
