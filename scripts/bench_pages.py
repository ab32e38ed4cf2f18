"""Throughput of the anonymous pages against the floor on the same gunicorn (run by scripts/bench.py).

Starts Redis and gunicorn (2 workers, config/settings/bench.py: production's settings on
loopback, plus the floor view) on the benchmark's database, then for each anonymous page
runs wrk (`wrk -t2 -c16 -d<seconds>s --latency`) against the page and, right after it,
against the floor: `/bench-floor/<bytes>/`, a bare Django view on the same server
returning a static page of the page's size. It prints requests per second, p50 and p99
of both and the ratio (page ÷ floor) — docs/performance.md keeps the latest table.

The pages: portal home, a subsite home, a column index, an article, 预警工作交流 list and
detail, a help page, a feed, /sitemap.xml, a search results page, API v2 and v3 list and
detail. seed_bench writes its articles under one unpublished parent outside the site;
prepare_pages() gives the first bench point its subsite (subsites/provisioning.py) and
moves that point's articles into the subsite's columns (a path update, nothing
re-rendered), so the subsite pages show one point's five years of articles.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRK = shutil.which("wrk") or "/usr/bin/wrk"
SEARCH_QUERY = "反倾销"


def _path_of(page):
    """The page's path on its site (relative: the benchmark requests it from 127.0.0.1)."""
    return page.get_url_parts()[2]


def _move_articles_into_columns(point, home):
    """Re-parent `point`'s bench articles under its subsite's columns, oldest first (paths only)."""
    from wagtail.models import Page

    from subsites.models import ArticlePage, ColumnIndexPage

    moved_parents = set()
    for column in ColumnIndexPage.objects.child_of(home):
        articles = list(
            ArticlePage.objects.filter(point=point, column_kind=column.kind)
            .exclude(path__startswith=home.path)
            .order_by("first_published_at", "pk")
            .values_list("pk", "slug", "path")
        )
        if not articles:
            continue
        start = column.numchild
        pages = []
        for step, (pk, slug, path) in enumerate(articles, start=start + 1):
            moved_parents.add(path[: -Page.steplen])
            pages.append(
                Page(
                    pk=pk,
                    path=Page._get_path(column.path, column.depth + 1, step),
                    depth=column.depth + 1,
                    url_path=f"{column.url_path}{slug}/",
                )
            )
        Page.objects.bulk_update(pages, ["path", "depth", "url_path"], batch_size=500)
        Page.objects.filter(pk=column.pk).update(numchild=start + len(pages))
    for path in moved_parents:
        parent = Page.objects.get(path=path)
        Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())


def prepare_pages():
    """[(label, path)] of the anonymous pages to measure, making the first bench point's subsite if needed."""
    from subsites.exchange import exchange_reports
    from subsites.models import (
        ArticlePage,
        ColumnIndexPage,
        ExchangeIndexPage,
        HelpIndexPage,
        ManualPage,
        PortalHomePage,
    )
    from subsites.provisioning import provision_point
    from warning.management.commands.seed_bench import PREFIX
    from warning.models import WarningPoint

    point = WarningPoint.objects.official().filter(name__startswith=PREFIX).order_by("pk").first()
    if point.subsite_id is None:
        provision_point(point)
        point.refresh_from_db()
        _move_articles_into_columns(point, point.subsite)
    home = point.subsite
    column = ColumnIndexPage.objects.child_of(home).live().order_by("path").first()
    article = ArticlePage.objects.child_of(column).live().order_by("-first_published_at", "-pk").first()
    portal = PortalHomePage.objects.live().first()
    exchange = ExchangeIndexPage.objects.live().first()
    report = exchange_reports().first()
    help_page = ManualPage.objects.live().order_by("path").first() or HelpIndexPage.objects.live().first()
    pages = [
        ("门户首页", _path_of(portal)),
        ("子网站首页", _path_of(home)),
        ("栏目列表", _path_of(column)),
        ("文章", _path_of(article)),
        ("预警工作交流列表", _path_of(exchange)),
        ("预警工作交流第50页", f"{_path_of(exchange)}?page=50"),
        ("预警工作交流详情", f"{_path_of(exchange)}{report.pk}/" if report else None),
        ("帮助页面", _path_of(help_page)),
        ("栏目订阅 (Atom)", f"{_path_of(column)}feed/"),
        ("预警工作交流订阅", f"{_path_of(exchange)}feed/"),
        ("站点地图", "/sitemap.xml"),
        ("站点地图分节", "/sitemap-pages.xml?p=1"),
        ("搜索结果", "/search/?q=" + urllib.request.quote(SEARCH_QUERY)),
        ("API v2 列表", "/api/v2/pages/"),
        ("API v2 详情", f"/api/v2/pages/{article.pk}/"),
        ("API v3 列表", "/api/v3/pages/"),
        ("API v3 详情", f"/api/v3/pages/{article.pk}/"),
    ]
    return [(label, path) for label, path in pages if path]


# ---------------------------------------------------------------- the servers


def _free(port):
    import socket

    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _get(url, timeout=120):
    """(status, body bytes) of a GET, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Servers:
    """Redis and gunicorn (2 workers, bench settings) on loopback; stopped on exit."""

    def __init__(self, database_url, port, redis_port):
        self.port, self.redis_port = port, redis_port
        self.database_url = database_url
        self.dir = tempfile.mkdtemp(prefix="yujing-bench-pages-")
        self.processes = []

    def __enter__(self):
        for port in (self.port, self.redis_port):
            if not _free(port):
                raise SystemExit(f"端口 {port} 已被占用：请先停止占用它的程序，或用 --port / --redis-port 换一个")
        log = open(Path(self.dir) / "servers.log", "wb")  # noqa: SIM115 - closed with the servers
        self.log = log
        self.processes.append(
            subprocess.Popen(
                ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", ""]
                + ["--appendonly", "no", "--dir", self.dir],
                stdout=log,
                stderr=log,
            )
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.bench",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "BENCH_MEDIA_ROOT": self.dir,
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        self.processes.append(
            subprocess.Popen(
                [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application"]
                + ["--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--timeout", "300"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=log,
            )
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                _get(self.url("/health/"), timeout=5)
                return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit(f"gunicorn 未能启动，日志：{Path(self.dir) / 'servers.log'}")

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def __exit__(self, *exc):
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------- wrk

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def parse_wrk(output):
    """{rps, p50, p99 (ms), errors} from wrk --latency's report."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses:\s+(\d+)", output))
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors}


def wrk(url, seconds, connections):
    """wrk's figures for `url`; afterwards waits until the server has answered every request wrk left queued."""
    result = subprocess.run(
        [WRK, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures = parse_wrk(result.stdout)
    # wrk stops with up to `connections` requests still queued at the server; the next
    # measurement must not inherit them. Requests are taken in order, so once a request
    # sent now is answered by each worker, the queue is empty.
    base = url.split("/", 3)
    for _ in range(4):
        _get(f"{base[0]}//{base[2]}/bench-floor/100/", timeout=900)
    return figures


def _load():
    return "、".join(f"{n:.1f}" for n in os.getloadavg())


def run_page_bench(database_url, *, seconds=3, connections=16, port=8311, redis_port=6392):
    """Print each anonymous page's throughput next to the floor's, measured alternately on one gunicorn."""
    if not Path(WRK).exists() or not shutil.which("redis-server"):
        print("\n页面吞吐量：跳过（需要 Debian 的 wrk 与 redis-server：apt-get install wrk redis-server）")
        return []
    pages = prepare_pages()
    print(f"\n页面吞吐量：gunicorn 2 个进程（生产设置），wrk -t2 -c{connections} -d{seconds}s，匿名访问")
    print(f"负载（1/5/15 分钟）开始时 {_load()}")
    header = f"{'页面':<14}{'字节':>9}{'次/秒':>9}{'p50':>9}{'p99':>9}{'下限次/秒':>11}{'下限p50':>9}{'下限p99':>9}{'比例':>8}  目标（≥ 下限的 50%，p99 < 50 ms）"
    rows = []
    with Servers(database_url, port, redis_port) as servers:
        sized = []
        for label, path in pages:
            status, body = _get(servers.url(path))
            if status != 200:
                print(f"{label} {path}: HTTP {status}，跳过")
                continue
            sized.append((label, path, len(body)))
        print(header)
        for label, path, size in sized:
            page = wrk(servers.url(path), seconds, connections)
            floor = wrk(servers.url(f"/bench-floor/{size}/"), seconds, connections)
            ratio = page["rps"] / floor["rps"] if floor["rps"] else 0.0
            rows.append((label, path, size, page, floor, ratio))
            failed = f"  失败 {page['errors']}" if page["errors"] else ""
            met = "达标" if ratio >= 0.5 and page["p99"] < 50 and not page["errors"] else "未达标"
            print(
                f"{label:<14}{size:>9}{page['rps']:>9.0f}{page['p50']:>7.1f}ms{page['p99']:>7.1f}ms"
                f"{floor['rps']:>11.0f}{floor['p50']:>7.1f}ms{floor['p99']:>7.1f}ms{ratio:>7.0%}  {met}{failed}",
                flush=True,
            )
    print(f"负载（1/5/15 分钟）结束时 {_load()}")
    return rows


if __name__ == "__main__":
    sys.exit("由 scripts/bench.py 调用（make bench）")
