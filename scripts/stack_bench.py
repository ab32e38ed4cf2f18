"""Throughput of the loopback stack through nginx (`scripts/stack.sh bench`).

Runs after the stack is up (stack.sh sets SMOKE_BASE_URL and SMOKE_STACK_DIR): for each
of a few paths, N client threads request it for D seconds through nginx (both app
servers), and the script prints requests per second and the median / 95th-percentile
latency. A measurement, not a test: it asserts nothing but that the answers are 200.

    SMOKE_BASE_URL=… SMOKE_STACK_DIR=… .venv/bin/python scripts/stack_bench.py [--threads 8] [--seconds 10]
"""

import argparse
import os
import re
import statistics
import threading
import time
from pathlib import Path

import requests

BASE = os.environ["SMOKE_BASE_URL"]
STACK_DIR = Path(os.environ["SMOKE_STACK_DIR"])
CERT = str(STACK_DIR / "tls" / "cert.pem")


def admin_session():
    env = dict(line.split("=", 1) for line in (STACK_DIR / "env").read_text().splitlines() if "=" in line)
    session = requests.Session()
    page = session.get(BASE + "/admin/login/", verify=CERT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    session.post(
        BASE + "/admin/login/",
        data={
            "csrfmiddlewaretoken": token,
            "username": env["DJANGO_SUPERUSER_USERNAME"],
            "password": env["DJANGO_SUPERUSER_PASSWORD"],
        },
        headers={"Referer": BASE + "/admin/login/"},
        verify=CERT,
    )
    return session


def measure(path, threads, seconds, cookies=None):
    latencies, failures = [], []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        session = requests.Session()
        if cookies:
            session.cookies.update(cookies)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            response = session.get(BASE + path, verify=CERT, allow_redirects=False)
            elapsed = time.perf_counter() - started
            with lock:
                (latencies if response.status_code == 200 else failures).append(elapsed)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1] if latencies else float("nan")
    print(
        f"{path:<28} {len(latencies) / seconds:7.1f} 次/秒  中位 {statistics.median(latencies) * 1000:6.0f} ms"
        f"  p95 {p95 * 1000:6.0f} ms  失败 {len(failures)}"
    )


def main():
    parser = argparse.ArgumentParser(description="通过 nginx 测量两台应用服务器的吞吐量")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    print(f"{BASE}，{args.threads} 个并发客户端，每项 {args.seconds} 秒")
    measure("/", args.threads, args.seconds)
    measure("/health/", args.threads, args.seconds)
    measure("/admin/", args.threads, args.seconds, admin_session().cookies)


if __name__ == "__main__":
    main()
