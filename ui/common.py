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

__all__ = ["CSS", "PAGE_JS", "TITLE", "export_dir", "private_folder"]

TITLE = "Mock Informant"
CSS = """
/* The setup step, the chat and the results: one readable column. */
#setup, #results { max-width: 1000px; margin: 0 auto; width: 100%; }
#talk { max-width: 1200px; margin: 0 auto; width: 100%; }
#intro { max-width: 78ch; }
#card { font-size: 0.95em; }
#talk-head { align-items: center; }
#talking-with p { margin: 0; }
/* Each question's feedback: a chip under the seeker's bubble that opens to the critique and a better version. */
.fb-chip { margin-top: 6px; font-size: 0.92em; }
.fb-chip summary { cursor: pointer; display: inline-block; padding: 2px 10px; border-radius: 12px;
                   font-weight: 600; list-style: none; }
.fb-chip summary::-webkit-details-marker { display: none; }
.fb-chip summary::after { content: " ▸"; }
.fb-chip[open] summary::after { content: " ▾"; }
.fb-good summary { background: #dcfce7; color: #14532d; }
.fb-fair summary { background: #fef3c7; color: #713f12; }
.fb-weak summary { background: #fee2e2; color: #7f1d1d; }
.fb-chip p { margin: 6px 0 0 0; }
.fb-item { margin-bottom: 10px; }
#live p { margin: 2px 0; font-size: 0.92em; }
/* The results view. */
.results-view { scroll-margin-top: 12px; }
.results-view:focus { outline: none; }
.results-view h2 { margin: 4px 0 6px 0; }
.res-meaning { font-size: 1.05em; }
.res-cols { display: flex; flex-wrap: wrap; gap: 8px 24px; }
.res-col { flex: 1 1 300px; }
.res-col li { margin-bottom: 6px; }
.try { font-style: italic; }
.topics { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 10px 0; }
.topic { padding: 2px 10px; border-radius: 12px; font-size: 0.92em; }
.topic.got { background: #dcfce7; color: #14532d; }
.topic.missing { background: #f3f4f6; color: #374151; }
.qcards { padding-left: 1.4em; }
.qcards li { margin-bottom: 6px; }
/* History: the saved sessions as cards (a radio group: choosing one opens it; they reflow on a phone). */
#session-picker .wrap { display: grid; gap: 8px; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr));
                        max-height: 340px; overflow-y: auto; }
#session-picker label { align-items: flex-start; padding: 8px 10px; }
#status { font-size: 0.9em; }
#plan-table { --font-mono: var(--font); }
#plan-cards { display: none; }
.plan-list { padding-left: 0; list-style: none; }
.plan-list li { border: 1px solid var(--border-color-primary); border-radius: 8px; padding: 6px 10px; margin-bottom: 8px; }
button:disabled, button[disabled] { opacity: 0.55; cursor: not-allowed; }
footer { display: none !important; }
/* A phone: the chat fills the screen and the question box stays at the bottom. */
@media (max-width: 640px) {
  #chat { height: calc(100dvh - 250px) !important; min-height: 320px; }
  #composer { position: sticky; bottom: 0; z-index: 20; background: var(--body-background-fill);
              padding: 6px 0; margin: 0; }
  #starters button { flex: 1 1 100%; }
  #composer #send { min-width: 64px !important; flex: 0 0 72px; }
  /* The prepared list as cards instead of a table that would squeeze into one-letter columns. */
  #plan-table { display: none !important; }
  #plan-cards { display: block; }
  /* Every tab in reach, none behind "•••": Gradio moves a tab into its overflow menu when the measured widths
     of all tabs pass the row's; the measuring copy is drawn small and the real tabs wrap onto a second line. */
  .tab-container.visually-hidden button { padding: 0 !important; font-size: 9px !important; }
  .tab-container[role="tablist"] { flex-wrap: wrap; height: auto !important; }
  .tab-container[role="tablist"] button { padding: 8px 10px; }
}
"""

# Run once as the page loads. ``#live`` (the Practice tab's latest feedback) becomes a polite live region, so a
# screen reader announces each question's feedback; set on the wrapper Gradio keeps, not on the text it replaces.
# Also: Gradio's labelled table icons get a role, and Tab closes an open dropdown.
PAGE_JS = """
() => {
  const mark = () => {
    const live = document.querySelector('#live');
    if (live && !live.hasAttribute('aria-live')) {
      live.setAttribute('role', 'status');
      live.setAttribute('aria-live', 'polite');
      live.setAttribute('aria-label', 'Latest feedback');
    }
    // Gradio's table marks a read-only column with a labelled icon that has no role (axe: aria-prohibited-attr).
    document.querySelectorAll('.header-icons [aria-label="Static column"]:not([role])')
      .forEach((icon) => icon.setAttribute('role', 'img'));
  };
  mark();
  new MutationObserver(mark).observe(document.body, { childList: true, subtree: true });
  // Tab out of an open dropdown closes it. Gradio's list handles Tab as a key that opens it, so an Escape
  // follows once its handler has run.
  document.addEventListener('keydown', (event) => {
    const box = event.target;
    if (event.key === 'Tab' && box instanceof HTMLInputElement && box.hasAttribute('aria-expanded')) {
      setTimeout(() => box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true })), 30);
    }
  }, true);
}
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
