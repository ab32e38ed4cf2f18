"""A webhook receiver for tests: a real HTTP server on loopback recording the signed deliveries.

Use the `receiver` fixture (one server per module, emptied for each test):
register an endpoint with `receiver.url(name)`, run the decision under
`committed(step, ...)` — the test's transaction never commits, so the
fixture runs what the step registered with transaction.on_commit, where the
deliveries are written and (with the tests' immediate task backend) sent —
then read `receiver.received(name)` / `receiver.events(name)`. Set
`receiver.answers` to make it answer something else than 200.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


class Receiver:
    """An HTTP server on 127.0.0.1 (ephemeral port) recording every request; answers from `answers`, then 200."""

    def __init__(self):
        self.requests = []
        self.answers = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    status, extra = receiver.answers.pop(0) if receiver.answers else (200, {})
                self.send_response(status)
                for name, value in extra.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, name):
        return f"http://127.0.0.1:{self.server.server_port}/hook/{name}"

    def reset(self):
        with self.lock:
            self.requests.clear()
            self.answers.clear()

    def received(self, name=None):
        return [r for r in self.requests if name is None or r["path"] == f"/hook/{name}"]

    def events(self, name=None):
        return [r["headers"]["X-Yujing-Event"] for r in self.received(name)]


@pytest.fixture(scope="module")
def live_receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


@pytest.fixture
def receiver(live_receiver):
    live_receiver.reset()
    yield live_receiver
    live_receiver.reset()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a step and what it registered for after its commit (the test's transaction never commits)."""

    def run(step, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return step(*args, **kwargs)

    return run
