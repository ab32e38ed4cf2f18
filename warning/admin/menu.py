"""Main-menu trimming: Wagtail's own 报告 submenu (locked pages, workflows, site history)
is an administrator's tool; point editors, city reviewers and the magazine editor
see only the entries of their own work."""

from wagtail import hooks

from warning.models.profiles import scope_of


@hooks.register("construct_main_menu")
def hide_wagtail_reports_from_non_provincial_users(request, menu_items):
    if not scope_of(request.user).is_provincial:
        menu_items[:] = [item for item in menu_items if item.name != "reports"]
