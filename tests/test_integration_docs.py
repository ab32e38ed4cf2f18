"""docs/api.md's examples work as written: every bash and python block runs against a live server."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.integration_helpers import PDF_BYTES, make_token
from warning.models import WarningReport

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
# The live server commits for real; the reference data (groups, cities, the workflow) is restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
BLOCK = re.compile(r"^```(bash|python)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks(language):
    return [code for lang, code in BLOCK.findall(DOC.read_text()) if lang == language]


def run(command, tmp_path, live_server, token):
    env = {**os.environ, "BASE": live_server.url, "TOKEN": token}
    return subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "立案公告.pdf").write_bytes(PDF_BYTES)
    cache.clear()
    return tmp_path


@pytest.mark.django_db(transaction=False)
def test_doc_has_curl_and_python_examples():
    assert len(blocks("bash")) == 1 and len(blocks("python")) == 1
    assert "curl" in blocks("bash")[0] and "requests" in blocks("python")[0]


def test_curl_example_runs(live_server, workdir, point_editor):
    _, token = make_token(point_editor)
    result = run(["bash", "-euo", "pipefail", "-c", blocks("bash")[0]], workdir, live_server, token)
    assert result.returncode == 0, result.stderr + result.stdout
    report = WarningReport.objects.get()
    assert report.title == "美国对我国化工产品发起反倾销调查"
    assert report.stage == WarningReport.Stage.CITY and report.attachments.count() == 1
    assert '"地市审核"' in result.stdout


def test_python_example_runs(live_server, workdir, point_editor):
    _, token = make_token(point_editor)
    result = run([sys.executable, "-c", blocks("python")[0]], workdir, live_server, token)
    assert result.returncode == 0, result.stderr + result.stdout
    report = WarningReport.objects.get()
    assert report.country == "DE" and report.stage == WarningReport.Stage.CITY
    assert f"{report.pk} 地市审核" in result.stdout
    assert "1 条等待地市审核" in result.stdout
