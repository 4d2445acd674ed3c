"""Mock Informant in the browser (Gradio).

``build_app(runtime)`` builds the page without serving it (tests drive it directly);
``launch()`` serves it on 127.0.0.1:7860 with no share link and no analytics.
"""

from __future__ import annotations

import html
import logging
import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402

from agents.informant import Conversation, InputError  # noqa: E402
from agents.report import summarise  # noqa: E402
from agents.runtime import Runtime  # noqa: E402
from agents.settings import get_settings  # noqa: E402
from knowledge.personas import Persona, get_persona, industries, load_personas  # noqa: E402
from knowledge.store import unique_sources  # noqa: E402

TITLE = "Mock Informant"
CSS = """
.flag { display:inline-block; padding:1px 8px; margin:2px 4px 2px 0; border-radius:10px;
        background:#fde8e8; color:#9b1c1c; font-size:0.85em; }
.flag.ok { background:#e6f4ea; color:#1e6b34; }
.fb-item { border-left:3px solid #d0d7de; padding:4px 0 6px 10px; margin-bottom:10px; }
.fb-q { font-weight:600; }
#status { font-size:0.9em; opacity:0.85; }
footer { display:none !important; }
"""


def _persona_choices(industry: str | None) -> list[tuple[str, str]]:
    personas = sorted(load_personas().values(), key=lambda p: (p.industry, p.title))
    return [(f"{p.name} — {p.title}", p.id) for p in personas if industry in (None, "", p.industry)]


def persona_card(persona: Persona) -> str:
    return (
        f"**{persona.name}**, {persona.title}  \n"
        f"{persona.years_in_field} years in {persona.industry_name.lower()} · {persona.seniority} · "
        f"{persona.company_type}  \n*{persona.speaking_style}*"
    )


def feedback_html(conversation: Conversation | None) -> str:
    if conversation is None or not conversation.turns:
        return "<p><em>Feedback on each question appears here as you ask it.</em></p>"
    items = []
    for n, turn in reversed(list(enumerate(conversation.turns, 1))):
        c = turn.critique
        flags = "".join(f'<span class="flag">{html.escape(f.replace("_", " "))}</span>' for f in c["flags"]) or (
            '<span class="flag ok">no flags</span>'
        )
        rewrite = f"<div><strong>Try:</strong> “{html.escape(c['rewrite'])}”</div>" if c["rewrite"] else ""
        items.append(
            f'<div class="fb-item"><div class="fb-q">Q{n} · {c["score"]}/5 · {html.escape(c["topic"].replace("_", " "))}</div>'
            f"<div><em>“{html.escape(turn.question)}”</em></div><div>{flags}</div>"
            f"<div>{html.escape(c['feedback'])}</div>{rewrite}</div>"
        )
    return "".join(items)


def sources_markdown(sources: list[dict[str, str]]) -> str:
    return "\n".join(f"- <small>**{title}** — {source}</small>" for title, source in unique_sources(sources))


def build_app(runtime: Runtime | None = None) -> gr.Blocks:
    runtime = runtime or Runtime(get_settings())
    all_industries = industries()

    def status_text() -> str:
        if runtime.model_error:
            return f"The model could not load: {runtime.model_error}"
        if runtime.model_ready:
            return f"Model ready: {runtime.settings.describe()}"
        return f"Loading the model ({runtime.settings.describe()}) in the background — you can set up meanwhile."

    def on_industry(industry: str | None):
        choices = _persona_choices(industry)
        first = choices[0][1] if choices else None
        return gr.update(choices=choices, value=first), (persona_card(get_persona(first)) if first else "")

    def on_persona(persona_id: str | None):
        return persona_card(get_persona(persona_id)) if persona_id else ""

    def on_start(persona_id: str | None, goal: str, state: dict[str, Any]):
        if not persona_id:
            gr.Warning("Pick a professional first.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        persona = get_persona(persona_id)
        try:
            informant = runtime.informant()
        except Exception as exc:  # noqa: BLE001 - shown on the page
            gr.Warning(f"The model is not available: {exc}")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        conversation = informant.start(persona, goal or "")
        informant.warm_in_background(persona)
        state = {"conversation": conversation}
        history = [{"role": "assistant", "content": informant.greeting(persona)}]
        return (
            history,
            feedback_html(conversation),
            "",
            gr.update(interactive=True, placeholder="Ask a question… (Enter to send)"),
            state,
        )

    def on_send(message: str, history: list[dict[str, Any]], state: dict[str, Any]):
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            gr.Warning("Pick a professional and press Start first.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
            return
        informant = runtime.informant()
        n = len(conversation.turns) + 1
        history = [
            *history,
            {"role": "user", "content": f"**Q{n}** · {message}"},
            {"role": "assistant", "content": "…"},
        ]
        updates = informant.stream(conversation, message)
        try:
            first = next(updates)
        except InputError as exc:
            gr.Warning(str(exc))  # the text stays in the box: nothing is lost
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
            return
        yield history, gr.update(value="", interactive=False), gr.update(interactive=False), gr.skip(), state
        last = first
        for update in updates:
            last = update
            if update.answer:
                history[-1] = {"role": "assistant", "content": update.answer}
                yield history, gr.skip(), gr.skip(), gr.skip(), state
        turn = last.turn
        if turn is not None:
            text = turn.answer or "(no answer)"
            if turn.partial:
                text += f"\n\n*The answer was cut off ({turn.error}). Your conversation is kept: ask again.*"
            if turn.sources:
                text += "\n\n<small>Notes used:</small>\n\n" + sources_markdown(turn.sources)
            history[-1] = {"role": "assistant", "content": text}
        yield (
            history,
            gr.update(interactive=True),
            gr.update(interactive=True),
            feedback_html(conversation),
            state,
        )

    def on_end(state: dict[str, Any]):
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            return "Start a conversation first."
        return summarise(conversation.critiques).markdown()

    with gr.Blocks(title=TITLE) as demo:
        state = gr.State({})
        gr.Markdown(
            f"# {TITLE}\nPractise an informational interview: ask a professional about their career, role and industry. "
            "Answers come from industry notes (shown under each answer); every question gets feedback."
        )
        status = gr.Markdown(status_text(), elem_id="status")
        with gr.Row(equal_height=False):
            with gr.Column(scale=1, min_width=260):
                industry = gr.Dropdown(
                    choices=[(i.replace("-", " ").title(), i) for i in all_industries],
                    value=all_industries[0] if all_industries else None,
                    label="Industry",
                )
                first_choices = _persona_choices(all_industries[0] if all_industries else None)
                persona = gr.Dropdown(
                    choices=first_choices,
                    value=first_choices[0][1] if first_choices else None,
                    label="Professional",
                )
                card = gr.Markdown(persona_card(get_persona(first_choices[0][1])) if first_choices else "")
                goal = gr.Textbox(
                    label="Your goal (optional)", placeholder="e.g. Decide whether nursing suits me", lines=2
                )
                start = gr.Button("Start conversation", variant="primary")
                end = gr.Button("End session")
            with gr.Column(scale=2, min_width=320):
                chatbot = gr.Chatbot(
                    label="Conversation", height=520, group_consecutive_messages=False, buttons=["copy"]
                )
                with gr.Row():
                    message = gr.Textbox(
                        show_label=False,
                        placeholder="Press Start, then ask a question… (Enter to send)",
                        scale=5,
                        max_lines=4,
                        interactive=False,
                    )
                    send = gr.Button("Send", variant="primary", scale=1, min_width=80)
                summary = gr.Markdown()
            with gr.Column(scale=1, min_width=280):
                gr.Markdown("### Feedback on your questions")
                feedback = gr.HTML(feedback_html(None))

        industry.change(on_industry, industry, [persona, card], api_visibility="private")
        persona.change(on_persona, persona, card, api_visibility="private")
        start.click(on_start, [persona, goal, state], [chatbot, feedback, summary, message, state], api_name="start")
        message.submit(on_send, [message, chatbot, state], [chatbot, message, send, feedback, state], api_name="send")
        send.click(
            on_send, [message, chatbot, state], [chatbot, message, send, feedback, state], api_visibility="private"
        )
        end.click(on_end, state, summary, api_name="end")
        timer = gr.Timer(1.0)
        timer.tick(
            lambda: (status_text(), gr.Timer(active=not (runtime.model_ready or runtime.model_error))),
            None,
            [status, timer],
            api_visibility="private",
        )
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    runtime = Runtime(get_settings())
    runtime.load_in_background()
    demo = build_app(runtime)
    demo.queue(default_concurrency_limit=4)
    print(f"Mock Informant on http://{host}:{port} ({runtime.settings.describe()})", flush=True)
    demo.launch(server_name=host, server_port=port, share=False, css=CSS, footer_links=[])


if __name__ == "__main__":
    launch(port=int(os.environ.get("INFORMANT_PORT", "7860")))
