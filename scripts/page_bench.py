"""Anonymous page throughput next to its floor (docs/performance.md, "Page cache").

Starts Debian's redis-server and one gunicorn (2 workers, production settings, the page
cache in that Redis) on an existing database, then for each page runs `wrk` against it
and against the floor — a bare Django view on the same gunicorn returning a static page
of the same size (scripts/page_bench_urls.py) — and prints requests/s, p50 and p99 and
the ratio. Each page is requested once before its run (the first request of each worker
fills the cache). Nothing is written to the database.

    .venv/bin/python scripts/page_bench.py --database-url postgres://postgres@127.0.0.1:54329/yujing_bench
    … --no-page-cache      the same pages rendered on every request

A measurement, not a test: it asserts only that every answer is a 200.
"""

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def wait_for_port(port, process, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"进程退出（端口 {port}），返回码 {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"端口 {port} 无响应")


def get(base, path):
    response = requests.get(base + path, timeout=120)
    return response.status_code, response.headers, response.content


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, threads, connections, seconds):
    result = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def pages_to_measure(base):
    """The portal, a subsite home, an article, the exchange, the API list and the sitemap index."""
    _, _, body = get(base, "/api/v2/pages/?type=subsites.ArticlePage&limit=1")
    article = json.loads(body)["items"][0]["meta"]["html_url"]
    _, _, body = get(base, "/api/v2/pages/?type=subsites.SubsiteHomePage&limit=1")
    home = json.loads(body)["items"][0]["meta"]["html_url"]
    _, _, body = get(base, "/api/v2/pages/?type=subsites.ExchangeIndexPage&limit=1")
    exchange = json.loads(body)["items"][0]["meta"]["html_url"]

    def local(url):
        return re.sub(r"^https?://[^/]+", "", url)

    return [
        ("门户首页 /", "/"),
        ("子网站首页", local(home)),
        ("文章", local(article)),
        ("预警工作交流", local(exchange)),
        ("/api/v2/pages/", "/api/v2/pages/"),
        ("/sitemap.xml", "/sitemap.xml"),
    ]


def main():
    parser = argparse.ArgumentParser(description="匿名页面吞吐量与同一 gunicorn 上静态视图（下限）的对比")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--port", type=int, default=8301)
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--no-page-cache", action="store_true", help="关闭页面缓存（每次请求都生成页面）")
    args = parser.parse_args()
    if not args.database_url:
        raise SystemExit("请用 --database-url 或 DATABASE_URL 指定数据库（例如 seed_bench 生成的 PostgreSQL 库）")
    if not shutil.which("wrk"):
        raise SystemExit("缺少 wrk：apt-get install wrk")

    folder = Path(tempfile.mkdtemp(prefix="yujing-page-bench-"))
    redis = subprocess.Popen(
        ["redis-server", "--port", str(args.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "page_bench_settings",
        "DJANGO_SECRET_KEY": secrets.token_hex(32),
        "DATABASE_URL": args.database_url,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{args.port}",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{args.port}",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "AWS_STORAGE_BUCKET_NAME": "bench",
        "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "DJANGO_STATIC_ROOT": str(folder / "static"),
        "DJANGO_LOG_LEVEL": "ERROR",
        "PAGE_CACHE_ENABLED": "false" if args.no_page_cache else "true",
    }
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application"]
        + ["--pythonpath", str(ROOT / "scripts"), "--bind", f"127.0.0.1:{args.port}"]
        + ["--workers", str(args.workers), "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=open(folder / "gunicorn.log", "w"),  # noqa: SIM115 - closed when the process ends
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        wait_for_port(args.redis_port, redis)
        wait_for_port(args.port, server)
        cache = "关闭" if args.no_page_cache else "开启"
        print(
            f"gunicorn {args.workers} 个 worker，页面缓存{cache}；wrk -t{args.threads} -c{args.connections} "
            f"-d{args.seconds}s；下限 = 同一 gunicorn 上返回同样大小静态页面的 Django 视图"
        )
        print(
            f"{'页面':<16}{'字节':>9}{'次/秒':>9}{'p50 ms':>9}{'p99 ms':>9}{'下限 次/秒':>12}{'下限 p99':>9}{'比例':>8}"
        )
        for label, path in pages_to_measure(base):
            status, headers, body = get(base, path)
            assert status == 200, (path, status)
            for _ in range(args.workers * 2):
                get(base, path)
            page = wrk(base + path, args.threads, args.connections, args.seconds)
            floor = wrk(f"{base}/__floor__/{len(body)}/", args.threads, args.connections, args.seconds)
            if page["errors"] or floor["errors"]:
                print(f"  ! 非 2xx/3xx 应答：页面 {page['errors']}，下限 {floor['errors']}")
            print(
                f"{label:<16}{len(body):>9,}{page['rate']:>9,.0f}{page['p50']:>9.1f}{page['p99']:>9.1f}"
                f"{floor['rate']:>12,.0f}{floor['p99']:>9.1f}{page['rate'] / floor['rate']:>8.0%}"
            )
    finally:
        for process in (server, redis):
            process.terminate()
            process.wait(30)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
