"""Smoke test of the production-like stack: drives it across the two app servers.

Run by `scripts/stack.sh smoke` (which starts the stack and sets SMOKE_BASE_URL), never by
the normal `pytest` run. Every request goes through nginx over TLS; the header
`X-App-Server: a|b` pins a request to one gunicorn server (deploy/nginx/yujing.conf), and
nginx's `X-Upstream` header says which one answered. The tests run in file order: each
builds on the state the previous ones left (a logged-in session, an uploaded document).
"""

import os
import re
import secrets
import signal
import subprocess
import sys
import tarfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
BASE = os.environ["SMOKE_BASE_URL"]
STACK_DIR = Path(os.environ["SMOKE_STACK_DIR"])
WORKER = os.environ.get("SMOKE_WORKER") == "yes"
CERTIFICATE = str(STACK_DIR / "tls" / "cert.pem")  # the stack's own, self-signed
SERVERS = {"a": "127.0.0.1:8181", "b": "127.0.0.1:8182"}


def stack_env():
    lines = (STACK_DIR / "env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def new_session():
    return requests.Session()


def call(session, method, path, server=None, **kwargs):
    headers = kwargs.pop("headers", {})
    if server:
        headers["X-App-Server"] = server
    if method == "POST":
        headers.setdefault("Referer", BASE + path)  # Django's CSRF check over HTTPS
    response = session.request(
        method, BASE + path, headers=headers, allow_redirects=False, timeout=30, verify=CERTIFICATE, **kwargs
    )
    if server:
        assert response.headers.get("X-Upstream") == SERVERS[server], response.headers
    return response


class FormParser(HTMLParser):
    """Every form of a page with the values a browser would submit unchanged."""

    def __init__(self):
        super().__init__()
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": [], "selects": {}})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.forms[-1]["fields"].append((attrs["name"], attrs.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = [attrs["name"], ""]
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self.forms[-1]["selects"][self._select] = {"first": None, "chosen": []}
        elif tag == "option" and self._select:
            state = self.forms[-1]["selects"][self._select]
            value = attrs.get("value", "")
            if state["first"] is None:
                state["first"] = value
            if "selected" in attrs:
                state["chosen"].append(value)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self.forms[-1]["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select":
            self._select = None

    def form(self, predicate):
        for form in self.forms:
            if predicate(form["attrs"]):
                fields = list(form["fields"])
                for name, state in form["selects"].items():
                    values = state["chosen"] or ([state["first"]] if state["first"] is not None else [])
                    fields += [(name, value) for value in values]
                return fields
        raise AssertionError("form not found")


def form_fields(html, predicate=lambda attrs: attrs.get("method", "").lower() == "post"):
    parser = FormParser()
    parser.feed(html)
    return parser.form(predicate)


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def admin():
    """A session logged in through app server a."""
    env = stack_env()
    session = new_session()
    page = call(session, "GET", "/admin/login/", "a")
    assert page.status_code == 200
    response = call(
        session,
        "POST",
        "/admin/login/",
        "a",
        data={
            "csrfmiddlewaretoken": csrf_token(page.text),
            "username": env["DJANGO_SUPERUSER_USERNAME"],
            "password": env["DJANGO_SUPERUSER_PASSWORD"],
            "next": "/admin/",
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/", response.text[:500]
    return session


@pytest.fixture(scope="module")
def shared():
    return {}


def test_health_is_ok_on_both_servers():
    deadline = time.monotonic() + 30
    for server in ("a", "b"):
        while True:
            response = call(new_session(), "GET", "/health/", server)
            if response.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        body = response.json()
        assert response.status_code == 200, body
        assert {
            "database:default",
            "cache:default",
            "cache:sessions",
            "storage:default",
            "storage:private",
            "worker",
        } <= set(body["checks"])


def test_login_on_one_server_is_valid_on_the_other(admin):
    home = call(admin, "GET", "/admin/", "b")
    assert home.status_code == 200
    assert "wagtail" in home.text.lower()


def test_admin_loads_under_the_content_security_policy(admin):
    page = call(admin, "GET", "/admin/pages/", "b")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self' 'unsafe-inline'" in policy
    assert "Strict-Transport-Security" in page.headers
    # Every script and stylesheet the admin pulls in is ours ('self') and is served.
    assets = re.findall(r'<(?:script[^>]+src|link[^>]+href)="([^"]+\.(?:js|css)[^"]*)"', page.text)
    assert assets
    for asset in assets:
        assert asset.startswith("/"), f"{asset} is not same-origin"
        response = call(admin, "GET", asset)
        assert response.status_code == 200, asset
    # WhiteNoise serves hashed names with a far-future cache lifetime.
    hashed = [a for a in assets if re.search(r"\.[0-9a-f]{12}\.(?:js|css)", a)]
    assert hashed
    assert "immutable" in call(admin, "GET", hashed[0]).headers.get("Cache-Control", "")


def test_upload_on_one_server_download_from_the_other(admin, shared):
    form = call(admin, "GET", "/admin/documents/add/", "a")
    assert form.status_code == 200
    content = b"%PDF-1.4\n" + secrets.token_bytes(4096)
    title = f"冒烟测试文件 {secrets.token_hex(4)}"
    fields = [f for f in form_fields(form.text, lambda a: "documents/add" in a.get("action", "")) if f[0] != "title"]
    response = call(
        admin,
        "POST",
        "/admin/documents/add/",
        "a",
        data=[*fields, ("title", title)],
        files={"file": ("smoke-report.pdf", content, "application/pdf")},
    )
    assert response.status_code == 302, response.text[:2000]
    listing = call(admin, "GET", "/admin/documents/", "b", params={"q": title})
    url = re.search(r'href="(/documents/\d+/[^"]+)"', listing.text).group(1)
    download = call(admin, "GET", url, "b")
    assert download.status_code == 200
    assert download.content == content
    shared["document_url"], shared["document_content"] = url, content


def test_backup_reads_the_uploaded_file_from_object_storage(shared, tmp_path):
    archive = tmp_path / "stack-backup.tar.gz"
    subprocess.run(
        [sys.executable, "manage.py", "backup", "-o", str(archive)],
        cwd=ROOT,
        env={**os.environ, **stack_env()},
        check=True,
        timeout=300,
        capture_output=True,
    )
    with tarfile.open(archive) as tar:
        assert "database/postgresql.dump" in tar.getnames()
        documents = [m for m in tar.getmembers() if m.name.startswith("files/default/documents/")]
        contents = [tar.extractfile(member).read() for member in documents]
    assert shared["document_content"] in contents


def test_publish_on_one_server_shows_on_the_other(admin):
    anonymous = new_session()
    explorer = call(admin, "GET", "/admin/pages/", "a")
    home_id = re.search(r'href="/admin/pages/(\d+)/edit/"', explorer.text).group(1)
    edit = call(admin, "GET", f"/admin/pages/{home_id}/edit/", "a")
    fields = form_fields(edit.text, lambda a: a.get("id") == "page-edit-form")
    marker = f"冒烟测试 {secrets.token_hex(4)}"
    before = call(anonymous, "GET", "/", "b")
    assert before.status_code == 200 and marker not in before.text
    data = [(name, value) for name, value in fields if name != "title"]
    data += [("title", f"浙江省对外贸易预警平台{marker}"), ("action-publish", "action-publish")]
    response = call(admin, "POST", f"/admin/pages/{home_id}/edit/", "a", data=data)
    assert response.status_code == 302, response.text[:3000]
    after = call(anonymous, "GET", "/", "b")
    assert after.status_code == 200
    assert marker in after.text


def _new_mail(before, timeout=30):
    mail_dir = STACK_DIR / "mail"
    deadline = time.monotonic() + timeout
    while not (set(mail_dir.iterdir()) - before) and time.monotonic() < deadline:
        time.sleep(0.2)
    return set(mail_dir.iterdir()) - before


@pytest.mark.skipif(not WORKER, reason="this build has no task worker (manage.py db_worker)")
def test_the_worker_delivers_the_mail_of_a_notification():
    """An app process only queues the mail (notify_users); the worker sends it."""
    env = stack_env()
    before = set((STACK_DIR / "mail").iterdir())
    script = (
        "from django.contrib.auth.models import User\n"
        "from warning.notify import notify_users\n"
        f"user = User.objects.get(username={env['DJANGO_SUPERUSER_USERNAME']!r})\n"
        "notify_users([user], '冒烟测试：后台任务发送的邮件', body='由后台任务进程发送', key='smoke-test')\n"
    )
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        timeout=120,
    )
    new = _new_mail(before)
    assert new, "the worker wrote no mail"
    assert env["DJANGO_SUPERUSER_EMAIL"] in "".join(path.read_text() for path in new)
    worker_log = (STACK_DIR / "logs" / "worker.log").read_text()
    assert re.search(r"path=jobs\.mail\.deliver_mails state=SUCCESSFUL", worker_log), worker_log[-2000:]


def test_password_reset_mail_is_written():
    env = stack_env()
    session = new_session()
    page = call(session, "GET", "/admin/password_reset/", "a")
    assert page.status_code == 200
    mail_dir = STACK_DIR / "mail"
    before = set(mail_dir.iterdir())
    response = call(
        session,
        "POST",
        "/admin/password_reset/",
        "a",
        data={"csrfmiddlewaretoken": csrf_token(page.text), "email": env["DJANGO_SUPERUSER_EMAIL"]},
    )
    assert response.status_code == 302
    new = _new_mail(before)
    assert new, "no mail written"
    assert env["DJANGO_SUPERUSER_EMAIL"] in next(iter(new)).read_text()


def _kill_app_server(name):
    master = int((STACK_DIR / "run" / f"app-{name}.pid").read_text())
    workers = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit() and _parent_of(p) == master]
    for pid in [master, *workers]:
        os.kill(pid, signal.SIGKILL)


def _parent_of(proc):
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_killing_one_app_server_mid_run_loses_nothing(admin, shared):
    anonymous = new_session()
    results = []
    stop = threading.Event()

    def traffic():
        while not stop.is_set():
            for session, path in ((anonymous, "/"), (admin, "/admin/"), (admin, shared["document_url"])):
                started = time.monotonic()
                response = call(session, "GET", path)
                # X-Upstream lists every server nginx tried, the one that answered last.
                answered_by = response.headers.get("X-Upstream", "").split(", ")[-1]
                results.append((started, time.monotonic(), path, response.status_code, answered_by))

    worker = threading.Thread(target=traffic)
    worker.start()
    # Kill a only once the traffic is really spread over both servers.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(r[4] == SERVERS["a"] for r in results):
        time.sleep(0.1)
    killed_at = time.monotonic()
    _kill_app_server("a")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(r[0] > killed_at for r in results) < 9:
        time.sleep(0.1)
    stop.set()
    worker.join(timeout=60)

    assert results and all(r[3] == 200 for r in results), [r for r in results if r[3] != 200]
    served_before = {r[4] for r in results if r[1] < killed_at}
    served_after = [r[4] for r in results if r[0] > killed_at]
    assert SERVERS["a"] in served_before
    assert served_after and set(served_after) == {SERVERS["b"]}
    # The session, the uploaded file and the database live outside the dead server.
    assert call(admin, "GET", "/admin/").status_code == 200
    assert call(admin, "GET", shared["document_url"]).content == shared["document_content"]
    deadline = time.monotonic() + 30
    while (health := call(new_session(), "GET", "/health/", "b")).status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert health.status_code == 200, health.text
