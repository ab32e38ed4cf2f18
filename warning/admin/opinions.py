"""审核意见配置: the provincial contact's preset opinions (配置预警快捷回复意见).

A plain snippet listing with Wagtail's drag-and-drop ordering: create, edit,
reorder and delete. The presets feed the 请选择意见 drop-down of every review
form (warning/admin/review.py), in this order. Only users holding the
reviewopinion permissions (the 预警工作联系人 group) see the menu item or
reach the views.
"""

from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from warning.models import ReviewOpinion

from . import MENU_ORDER

MENU_LABEL = "审核意见配置"


class ReviewOpinionViewSet(SnippetViewSet):
    model = ReviewOpinion
    icon = "comment"
    menu_label = MENU_LABEL
    menu_name = "review-opinions"
    menu_order = MENU_ORDER[MENU_LABEL]
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    sort_order_field = "sort_order"
    list_display = ["text"]
    panels = [FieldPanel("text")]


register_snippet(ReviewOpinionViewSet)
