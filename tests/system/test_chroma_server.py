"""Chroma as a server: `chroma run` (shipped with chromadb) on loopback, used through
CHROMA_HOST/CHROMA_PORT with no other change."""

from __future__ import annotations

import io
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from cli import main
from core.settings import get_settings


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path: Path):
    chroma = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    log = (tmp_path / "chroma.log").open("wb")
    proc = subprocess.Popen(
        [chroma, "run", "--path", str(tmp_path / "server-data"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"chroma run did not start: {(tmp_path / 'chroma.log').read_text()[-1000:]}")
            time.sleep(0.3)
    yield port
    proc.terminate()
    proc.wait(timeout=30)


def test_the_cli_uses_a_chroma_server_when_configured(chroma_server, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("CHROMA_HOST", "127.0.0.1")
    monkeypatch.setenv("CHROMA_PORT", str(chroma_server))
    monkeypatch.setenv("INFORMANT_PROVIDER", "fake")
    get_settings.cache_clear()
    note = tmp_path / "team.md"
    note.write_text("---\nrole: data-scientist\n---\n## Our stack\nThe team forecasts demand with dbt and Snowflake.\n")

    out = io.StringIO()
    assert main(["ingest", str(note)], out=out) == 0
    out = io.StringIO()
    assert (
        main(["ask", "--json", "--persona", "priya-raman", "Which tools does your team forecast with?"], out=out) == 0
    )
    answer = json.loads(out.getvalue())
    assert any(s["id"].startswith("user:team.md") for s in answer["sources"])
    assert not (Path(get_settings().home) / "chroma").exists(), "nothing should be stored locally"

    import chromadb

    client = chromadb.HttpClient(host="127.0.0.1", port=chroma_server)
    collection = client.get_collection("notes")
    assert collection.count() > 700  # the built-in notes were ingested on the server too
