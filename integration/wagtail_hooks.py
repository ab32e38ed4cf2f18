"""Admin wiring of the integration API: the 对接令牌 menu entry and screens, and the log action's wording."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter

from . import tokens
from .admin import MENU_LABEL, views

MENU_ORDER = 10150  # after 内部交流 (10100), before 消息中心 (10200)
OPERATION_LABELS = {
    "create": "新建",
    "update": "修改",
    "submit": "提交审核",
    "publish": "发布",
    "unpublish": "取消发布",
    "quarterly": "报送季度形势分析",
    "annual": "报送年度工作总结",
}


class TokenMenuItem(MenuItem):
    def is_shown(self, request):
        return tokens.may_manage_tokens(request.user)


@hooks.register("register_admin_menu_item")
def register_token_menu_item():
    return TokenMenuItem(
        MENU_LABEL, reverse("integration_tokens:index"), name="integration-tokens", icon_name="key", order=MENU_ORDER
    )


@hooks.register("register_admin_urls")
def register_token_urls():
    patterns = [path(route, view, name=name) for route, view, name in views()]
    return [path("integration-tokens/", include((patterns, "integration_tokens"), namespace="integration_tokens"))]


@hooks.register("register_log_actions")
def register_integration_log_actions(actions):
    @actions.register_action(tokens.WRITE_LOG_ACTION)
    class IntegrationWriteFormatter(LogFormatter):
        label = "通过对接接口写入"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            operation = OPERATION_LABELS.get(data.get("operation"), data.get("operation", ""))
            return f"通过对接令牌“{data.get('token', '')}”{operation}"
