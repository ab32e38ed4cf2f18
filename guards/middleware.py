"""Request guards (see the package docstring and docs/security.md)."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.html import escape

MB = 1024 * 1024


def _plain_refusal(status, title, message):
    """A small self-contained Chinese page (the refusal comes before sessions and templates)."""
    body = (
        '<!doctype html><html lang="zh-hans"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body><h1>{escape(title)}</h1><p>{escape(message)}</p></body></html>"
    )
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")


def body_limit(request):
    """The largest body this request may carry: uploads (multipart) get the upload limit, others the form limit."""
    if request.content_type == "multipart/form-data":
        return settings.REQUEST_MAX_UPLOAD_BYTES
    return settings.REQUEST_MAX_FORM_BYTES


class RequestSizeLimitMiddleware:
    """Refuse an oversized body from its Content-Length alone, before a byte of it is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            return _plain_refusal(400, "请求无效", "请求头 Content-Length 不是有效的数字。")
        limit = body_limit(request)
        if length > limit:
            upload = request.content_type == "multipart/form-data"
            what = "上传的内容" if upload else "提交的内容"
            hint = "附件和文档每个不能超过 20 MB。" if upload else "请缩短内容后重新提交。"
            return _plain_refusal(
                413,
                "提交内容过大",
                f"{what}共 {length / MB:.1f} MB，超过了 {limit / MB:.1f} MB 的上限，服务器未接收。{hint}",
            )
        return self.get_response(request)


def _chooser_cannot_create(match, request):
    """A snippet chooser's create/ view with no creation form for its model (Wagtail would fail on None)."""
    from wagtail.snippets.views.chooser import SnippetCreateView

    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, SnippetCreateView):
        return False
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view.get_creation_form_class() is None


def admin_input_refusal(request):
    """Why a POST to a Wagtail admin screen is malformed ('' when it may go through)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return ""
    if match.view_name == "wagtailadmin_choose_page_external_link":
        if not request.POST.get("external-link-chooser-url", "").strip():
            return "请填写链接地址。"
    elif match.view_name == "wagtailadmin_pages:copy":
        if not request.POST.get("new_parent_page", "").isdigit():
            return "请选择复制到的上级页面。"
    elif match.view_name == "wagtailredirects:process_import":
        # Wagtail reads the signed fields of its own confirm form without checking they exist.
        if not (request.POST.get("import_file_name") and request.POST.get("input_format")):
            return "导入文件已失效，请重新上传要导入的重定向文件。"
    elif _chooser_cannot_create(match, request):
        return "这里不能新建此类内容，请到对应的管理页面中添加。"
    return ""


class AdminInputGuardMiddleware:
    """A malformed POST to a Wagtail admin screen gets a Chinese 400 instead of Wagtail's 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if request.method == "POST" and request.path_info.startswith("/admin/") and user and user.is_authenticated:
            refusal = admin_input_refusal(request)
            if refusal:
                if request.headers.get("x-requested-with") == "XMLHttpRequest":
                    return JsonResponse({"message": refusal}, status=400, json_dumps_params={"ensure_ascii": False})
                return _plain_refusal(400, "提交的内容无效", refusal)
        return self.get_response(request)
