"""Mock Informant in the browser (Gradio): Prepare, Practice, Follow-up, History and Knowledge tabs.

``build_app(runtime)`` builds the page without serving it (tests drive it directly);
``launch()`` serves it on 127.0.0.1:7860 with no share link and no analytics.
Each browser session keeps its own conversation in ``gr.State``; every completed turn is saved
to SQLite at once, so closing the tab or restarting the app loses nothing.

This module only composes: each tab lives in its own module under ``ui/`` (layout, handlers and events
together). Importing it changes nothing; building or launching the page makes the private folder first.
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from agents.runtime import Runtime
from core.settings import get_settings, install_log_redaction
from knowledge.documents import MAX_FILE_BYTES
from ui.common import CSS, PAGE_JS, TITLE, private_folder

if TYPE_CHECKING:
    import gradio as gr

__all__ = ["build_app", "launch"]


def build_app(runtime: Runtime | None = None) -> gr.Blocks:
    # First the private folder and no analytics, then Gradio: it reads GRADIO_TEMP_DIR as it is imported.
    private_folder()
    import gradio as gr

    from ui import followup, history, knowledge, page, practice, prepare

    runtime = runtime or Runtime(get_settings())
    with gr.Blocks(title=TITLE) as demo:
        status = page.create_header(runtime)
        with gr.Tabs() as tabs:
            practice_tab = practice.create_ui(runtime, tabs)
            prepare_tab = prepare.create_ui(runtime)
            followup_tab = followup.create_ui()
            history_tab = history.create_ui()
            knowledge_tab = knowledge.create_ui()
        practice.create_event_handlers(practice_tab, runtime)
        page.create_status_events(status, runtime)
        prepare.create_event_handlers(prepare_tab, runtime, practice_tab)
        followup.create_event_handlers(followup_tab, runtime)
        history.create_event_handlers(history_tab, runtime, practice_tab)
        knowledge.create_event_handlers(knowledge_tab, runtime, practice_tab)
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    private_folder()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    install_log_redaction(settings)  # no API key or password in the log, whatever logs it
    settings.check_listen(host)  # 127.0.0.1 only, unless INFORMANT_AUTH is set
    runtime = Runtime(settings)
    demo = build_app(runtime)
    from ui.page import theme  # after build_app: Gradio is imported once the private folder is set

    # Model requests take turns in the runtime's fair queue (between conversations), so many
    # events may run at once: each shows its place in that queue instead of a spinner.
    demo.queue(default_concurrency_limit=16)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=settings.login(),
        max_file_size=MAX_FILE_BYTES,  # the browser refuses bigger uploads before sending them
        css=CSS,
        js=PAGE_JS,
        theme=theme(),
        footer_links=[],
        prevent_thread_lock=True,
    )
    # The page is up first; the notes and the model load behind it (the page says so meanwhile).
    runtime.load_in_background()
    print(f"Mock Informant on http://{host}:{port} ({runtime.settings.describe()})", flush=True)
    demo.block_thread()


if __name__ == "__main__":
    launch(port=int(os.environ.get("INFORMANT_PORT", "7860")))
