"""The platform's own address: where links in e-mails and in the API point.

Two settings say it, and nothing else may: `WAGTAILADMIN_BASE_URL` (links in
e-mails, Wagtail's too) and the default Wagtail `Site`'s hostname and port
(the API's `html_url`, the sitemap, feeds). `configure_site(url)` sets the
Site from one URL; `seed_demo --site-url` calls it for `make run`, and
`manage.py configure_site` for a production deploy, which reads the URL from
the environment (`WAGTAILADMIN_BASE_URL`, required by the production
settings). A Site has no scheme of its own: Wagtail writes https for port
443 and http otherwise, so an https address must use the standard port. `site_base_url()` is what a link is built on: the setting if
present, else the default Site's root URL. See docs/architecture.md.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.models import Site


def site_base_url():
    """The configured base URL without a trailing slash ('' if nothing is configured)."""
    configured = (getattr(settings, "WAGTAILADMIN_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    site = Site.objects.filter(is_default_site=True).first()
    return site.root_url.rstrip("/") if site else ""


def absolute_url(path):
    """`path` (a site-relative URL) on the configured base URL."""
    return f"{site_base_url()}{path}" if path else ""


def parse_site_url(url):
    """(hostname, port) of an http(s) URL; a clear Chinese error for anything else."""
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"网站地址无效：{url!r}，应形如 https://yujing.example.gov.cn")
    try:
        port = parts.port
    except ValueError:
        raise ValidationError(f"网站地址的端口无效：{url!r}") from None
    return parts.hostname, port or (443 if parts.scheme == "https" else 80)


def configure_site(url):
    """Point the default Site at `url` (hostname and port); return the Site."""
    hostname, port = parse_site_url(url)
    if urlsplit(url.strip()).scheme == "https" and port != 443:
        raise ValidationError(f"https 网站地址须使用 443 端口（Wagtail 站点按端口决定协议）：{url!r}")
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        raise ValidationError("还没有默认站点，请先运行 migrate。")
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
