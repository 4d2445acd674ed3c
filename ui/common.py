"""What the whole page shares and that needs no Gradio: the title, the style sheet, and the private folder
that uploads and downloads pass through.

Importing this module does nothing. ``private_folder()`` runs when the page is built or launched
(``app.build_app``, ``app.launch``), and before ``import gradio``: Gradio reads ``GRADIO_TEMP_DIR`` when it is
imported (``gradio.routes.DEFAULT_TEMP_DIR``, where the server keeps some files of its own), when each
component is made (``Block.GRADIO_CACHE``: downloads are copied there) and when the server starts
(``App.uploaded_file_dir``: uploads); it reads ``GRADIO_ANALYTICS_ENABLED`` when each ``gr.Blocks`` is made
and before each analytics request. This module and ``ui.view`` and ``ui.links`` import no Gradio, so
``app`` can call ``private_folder()`` first.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["CSS", "TITLE", "export_dir", "private_folder"]

TITLE = "Mock Informant"
CSS = """
.flag { display:inline-block; padding:1px 8px; margin:2px 4px 2px 0; border-radius:10px;
        background:#fde8e8; color:#9b1c1c; font-size:0.85em; }
.flag.ok { background:#e6f4ea; color:#1e6b34; }
.fb-item { border-left:3px solid #d0d7de; padding:4px 0 6px 10px; margin-bottom:10px; }
.fb-q { font-weight:600; }
#status { font-size:0.9em; opacity:0.85; }
#plan-table { --font-mono: var(--font); }
footer { display:none !important; }
"""


@functools.cache
def private_folder() -> Path:
    """This process's private folder (made once, on the first call; removed when the process exits).

    Uploads and downloads pass through it, not the shared /tmp/gradio: mkdtemp makes it readable by this
    user only (0700). The first call also turns Gradio's analytics and Chroma's telemetry off and points
    Gradio's temporary folder into it; an environment that already sets any of these keeps its own value.
    """
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    folder = Path(tempfile.mkdtemp(prefix="mock-informant-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    os.environ.setdefault("GRADIO_TEMP_DIR", str(folder / "gradio"))
    return folder


def export_dir() -> Path:
    """Where the page writes the files it offers for download (made by whoever writes there first)."""
    return private_folder() / "exports"
