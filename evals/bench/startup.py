"""Start-up: ``informant serve`` in a fresh process, timed from outside until the page answers, the
model is loaded and the first answer token arrives; then the app process's peak memory."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from evals.bench.common import QUESTIONS, say

__all__ = ["startup_bench"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def startup_bench(settings: Any, progress=None, timeout: float = 600.0) -> dict[str, Any]:
    """``informant serve`` in a fresh process: the page, the model, the first answer, peak memory.

    It runs with a scratch INFORMANT_HOME holding a copy of the note store and a link to the
    verified model files, so nothing is added to your history.
    """
    from gradio_client import Client

    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        if settings.chroma_dir.is_dir():
            shutil.copytree(settings.chroma_dir, home / "chroma")
        if settings.models_dir.is_dir():
            (home / "models").symlink_to(settings.models_dir, target_is_directory=True)
        env = {**os.environ, "INFORMANT_HOME": str(home), "INFORMANT_PORT": str(port)}
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        out: dict[str, Any] = {}
        try:
            url = f"http://127.0.0.1:{port}/"
            while time.perf_counter() - start < timeout:
                if proc.poll() is not None:
                    raise RuntimeError(f"informant serve exited: {(proc.stderr.read() or '').strip()[-300:]}")
                try:
                    with urllib.request.urlopen(url, timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.05)
            out["page_usable_s"] = round(time.perf_counter() - start, 2)
            say(progress, f"  page answered after {out['page_usable_s']} s")
            client = Client(url, verbose=False)
            while time.perf_counter() - start < timeout:
                status = client.predict(api_name="/status")
                if not status.startswith("Loading") and not status.startswith("Indexing"):
                    break
                time.sleep(0.2)
            out["model_ready_s"] = round(time.perf_counter() - start, 2)
            # The persona the page offers first (the dropdown holds the first industry's people).
            from knowledge.personas import industries, load_personas

            shown = sorted(
                (p for p in load_personas().values() if p.industry == industries()[0]), key=lambda p: p.title
            )[0]
            client.predict(shown.id, "", 25, api_name="/start")
            job = client.submit(QUESTIONS[0], api_name="/send")
            first = None  # the time of the first answer token
            for update in job:
                history = update[0] if isinstance(update, list | tuple) else update
                if history and isinstance(history, list) and history[-1].get("role") == "assistant":
                    content = history[-1].get("content")
                    text = content if isinstance(content, str) else json.dumps(content)
                    # Before the first word the bubble holds a note in italics ("_…_") or "…".
                    if first is None and text.strip() and not text.lstrip().startswith(("_", "…")):
                        first = time.perf_counter()
            job.result()
            out["startup_s"] = round((first or time.perf_counter()) - start, 2)
            out["peak_rss_mb"] = round(_vm_hwm_mb(proc.pid) or 0.0, 1)
            say(progress, f"  first answer token {out['startup_s']} s after start; peak {out['peak_rss_mb']} MB")
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
    return out
