"""Mock Informant in the browser (Gradio): Prepare, Practice, Follow-up, History and Knowledge tabs.

``build_app(runtime)`` builds the page without serving it (tests drive it directly);
``launch()`` serves it on 127.0.0.1:7860 with no share link and no analytics.
Each browser session keeps its own conversation in ``gr.State``; every completed turn is saved
to SQLite at once, so closing the tab or restarting the app loses nothing.
"""

# ruff: noqa: E402
from __future__ import annotations

import atexit
import html
import json
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
# Uploads and downloads pass through folders only this user can read (mkdtemp makes them 0700),
# removed when the app stops; not the shared /tmp/gradio.
_PRIVATE_TMP = Path(tempfile.mkdtemp(prefix="mock-informant-"))
atexit.register(shutil.rmtree, _PRIVATE_TMP, ignore_errors=True)
os.environ.setdefault("GRADIO_TEMP_DIR", str(_PRIVATE_TMP / "gradio"))

from typing import Any  # noqa: E402

import gradio as gr  # noqa: E402
import pandas as pd  # noqa: E402

from agents.coach import ask_coach, build_report  # noqa: E402
from agents.informant import Conversation, Turn, fault_line, summarised_notice  # noqa: E402
from agents.prepare import (
    DEFAULT_MINUTES,
    MAX_MINUTES,
    MIN_MINUTES,
    QuestionPlan,
    edit_question,
    generate,
    move_question,
    regenerate_one,
    remove_question,
    research_brief,
)
from agents.runtime import Runtime  # noqa: E402
from core.errors import (
    FollowUpError,  # noqa: E402
    IngestError,
    InputError,
    PersonaError,
    PrepareError,
    SessionError,  # noqa: E402
)
from core.settings import get_settings, install_log_redaction, redact  # noqa: E402
from knowledge.documents import MAX_FILE_BYTES  # noqa: E402
from knowledge.personas import Persona, Personas, industry_names, roles
from knowledge.store import unique_sources  # noqa: E402

TITLE = "Mock Informant"
EXPORT_DIR = _PRIVATE_TMP / "exports"
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
NO_SESSIONS = "No saved sessions yet: hold a conversation on the Practice tab, and it appears here."
ONE_SESSION = "One session so far: the charts draw a line from your second session on."


def persona_choices(personas: Personas, industry: str | None) -> list[tuple[str, str]]:
    return [(f"{p.name} — {p.title}", p.id) for p in personas.in_industry(industry)]


def industry_label(industry: str) -> str:
    return industry_names().get(industry, industry.replace("-", " ").capitalize())


def persona_card(persona: Persona) -> str:
    return (
        f"**{persona.name}**, {persona.title}  \n"
        f"{persona.years_in_field} years in {persona.industry_name.lower()} · {persona.seniority} · "
        f"{persona.company_type}  \n*{persona.speaking_style}*"
    )


def feedback_html(turns: list[Turn]) -> str:
    if not turns:
        return "<p><em>Feedback on each question appears here as you ask it.</em></p>"
    items = []
    for n, turn in reversed(list(enumerate(turns, 1))):
        c = turn.critique
        flags = "".join(f'<span class="flag">{html.escape(f.replace("_", " "))}</span>' for f in c.flags) or (
            '<span class="flag ok">no flags</span>'
        )
        rewrite = f"<div><strong>Try:</strong> “{html.escape(c.rewrite)}”</div>" if c.rewrite else ""
        items.append(
            f'<div class="fb-item" id="fb-q{n}"><div class="fb-q">Q{n} · {c.score}/5 · '
            f"{html.escape(c.topic.replace('_', ' '))}</div>"
            f"<div><em>“{html.escape(turn.question)}”</em></div><div>{flags}</div>"
            f"<div>{html.escape(c.feedback)}</div>{rewrite}</div>"
        )
    return "".join(items)


def sources_markdown(sources: list[dict[str, str]]) -> str:
    return "\n".join(f"- <small>**{title}** — {source}</small>" for title, source in unique_sources(sources))


def answer_markdown(turn: Turn) -> str:
    if turn.partial and not turn.answer:  # nothing arrived: say why, and no notes (none were used)
        return f"*{fault_line(turn)} Your conversation is kept.*"
    text = turn.answer or "(no answer)"
    if turn.partial:
        text += f"\n\n*{fault_line(turn)} Your conversation is kept.*"
    if turn.sources:
        text += "\n\n<small>Notes used:</small>\n\n" + sources_markdown(turn.sources)
    return text


def question_markdown(n: int, question: str) -> str:
    return f"**Q{n}** · {question}"


PLAN_COLUMNS = ["#", "Topic", "Question", "Min", "Check", "Why"]


def plan_frame(plan: QuestionPlan | None) -> pd.DataFrame:
    rows = [
        [
            n,
            q.topic.replace("_", " "),
            q.question,
            q.minutes,
            ("⚠ " + ", ".join(f.replace("_", " ") for f in q.flags)) if q.flags else "ok",
            q.why + (f" From “{q.source.split(' — ')[0]}”." if q.source else ""),
        ]
        for n, q in enumerate(plan.questions if plan else [], 1)
    ]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def plan_summary(plan: QuestionPlan) -> str:
    over = plan.minutes_used - plan.minutes
    warn = f" **{over} minutes over: remove or shorten a question.**" if over > 0 else ""
    flagged = [str(n) for n, q in enumerate(plan.questions, 1) if q.flags]
    if flagged:
        warn += f" **Check question {', '.join(flagged)}: the critic flags your wording.**"
    if not any(q.topic == "networking" for q in plan.questions):
        warn += " **End by asking who else to talk to (rubric 15).**"
    return f"{plan.summary()}{warn}"


def chat_history(conversation: Conversation, greeting: str | None = None) -> list[dict[str, Any]]:
    history: list[dict[str, Any]] = [{"role": "assistant", "content": greeting}] if greeting else []
    for n, turn in enumerate(conversation.turns, 1):
        history += [
            {"role": "user", "content": question_markdown(n, turn.question)},
            {"role": "assistant", "content": answer_markdown(turn)},
        ]
    return history


def build_app(runtime: Runtime | None = None) -> gr.Blocks:
    runtime = runtime or Runtime(get_settings())
    all_industries = runtime.personas.industries()
    first_industry = all_industries[0] if all_industries else None
    first_choices = persona_choices(runtime.personas, first_industry)
    role_choices = [
        (f"{name} ({industry_label(ind)})", rid) for rid, (ind, name) in sorted(roles().items(), key=lambda r: r[1])
    ]

    # ------------------------------------------------------------------ status

    def status_text() -> str:
        if runtime.model_error:
            return f"**The model could not load:** {runtime.model_error}"
        if runtime.ingest_progress and not runtime.store_ready:
            return f"Indexing the industry notes: {runtime.ingest_progress} …"
        if runtime.model_ready:
            return f"Model ready: {runtime.settings.describe()}"
        return f"Loading the model ({runtime.settings.describe()}) in the background — you can set up meanwhile."

    def pending_text(conversation: Conversation, waiting: int) -> str:
        """What the answer bubble says before the first word arrives."""
        name = conversation.persona.name.split()[0]
        if waiting:
            return f"_Waiting for the model: {waiting} request{'s' if waiting != 1 else ''} from other conversations ahead of you …_"
        if conversation.warming is not None and conversation.warming.is_alive() and not conversation.turns:
            return (
                f"_{name} is still reading their notes (the first answer can take up to half a minute on a laptop) …_"
            )
        return "…"

    def on_tick():
        done = runtime.model_ready or bool(runtime.model_error)
        return status_text(), gr.Timer(active=not done)

    # ------------------------------------------------------------------ practice

    def on_industry(industry: str | None):
        choices = persona_choices(runtime.personas, industry)
        first = choices[0][1] if choices else None
        return gr.update(choices=choices, value=first), (persona_card(runtime.personas.get(first)) if first else "")

    def on_persona(persona_id: str | None):
        return persona_card(runtime.personas.get(persona_id)) if persona_id else ""

    def on_start(persona_id: str | None, goal: str, minutes: float, state: dict[str, Any]):
        if not persona_id:
            gr.Warning("Pick a professional first.")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        persona = runtime.personas.get(persona_id)
        try:
            informant = runtime.informant()
        except Exception as exc:  # noqa: BLE001 - shown on the page
            gr.Warning(f"The model is not available: {redact(str(exc), runtime.settings)}")
            return gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
        conversation = informant.start(persona, goal or "", int(minutes or 25))
        informant.warm_in_background(conversation)
        history = chat_history(conversation, informant.greeting(persona))
        ready = gr.update(interactive=True, placeholder="Ask a question… (Enter to send)")
        return history, feedback_html([]), "", ready, {"conversation": conversation}

    def on_send(message: str, history: list[dict[str, Any]], state: dict[str, Any]):
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            gr.Warning("Pick a professional and press Start first.")
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
            return
        informant = runtime.informant()
        n = len(conversation.turns) + 1
        updates = informant.stream(conversation, message)
        try:
            first = next(updates)
        except InputError as exc:
            gr.Warning(str(exc))  # the text stays in the box: nothing is lost
            yield gr.skip(), gr.skip(), gr.skip(), gr.skip(), state
            return
        history = [
            *history,
            {"role": "user", "content": question_markdown(n, message.strip())},
            {"role": "assistant", "content": pending_text(conversation, first.waiting)},
        ]
        yield history, gr.update(value="", interactive=False), gr.update(interactive=False), gr.skip(), state
        last = first
        summarised_before = conversation.summarised
        for update in updates:
            last = update
            if update.answer and not update.done:
                history[-1] = {"role": "assistant", "content": update.answer}
                yield history, gr.skip(), gr.skip(), gr.skip(), state
        if last.turn is not None:
            try:
                runtime.sessions().save_turn(conversation, last.turn)
            except Exception as exc:  # noqa: BLE001 - say so; the turn stays on the page
                gr.Warning(f"This turn could not be saved: {redact(str(exc), runtime.settings)}")
            content = answer_markdown(last.turn)
            if last.turn.summarised > summarised_before:
                notice = summarised_notice(conversation)
                gr.Info(notice)
                content += f"\n\n<span class='muted'>{html.escape(notice)}</span>"
            history[-1] = {"role": "assistant", "content": content}
        yield (
            history,
            gr.update(interactive=True),
            gr.update(interactive=True),
            feedback_html(conversation.turns),
            state,
        )

    def on_draft(message: str, state: dict[str, Any]) -> None:
        """While the seeker types: have the local model read the notes for the draft ahead."""
        conversation: Conversation | None = (state or {}).get("conversation")
        # From the fourth word: earlier drafts rarely retrieve the notes the question will.
        if conversation is None or not runtime.model_ready or len((message or "").split()) < 4:
            return
        runtime.informant().read_ahead_in_background(conversation, message)

    def on_end(state: dict[str, Any]):
        conversation: Conversation | None = (state or {}).get("conversation")
        if conversation is None:
            return "Start a conversation first."
        if conversation.session_id:
            runtime.sessions().end(conversation.session_id)
        report = build_report(conversation.turns, conversation.persona, conversation.goal, conversation.minutes)
        return runtime.polish_report(report).markdown()

    # ------------------------------------------------------------------ history

    def session_choices() -> list[tuple[str, str]]:
        return [
            (f"{r.display_title} ({r.turn_count} q, score {r.score if r.score is not None else '–'})", r.id)
            for r in runtime.sessions().list()
        ]

    def sessions_table() -> pd.DataFrame:
        rows = [
            {
                "title": r.display_title,
                "professional": runtime.personas.or_placeholder(r.persona).name,
                "started": r.started[:16].replace("T", " "),
                "questions": r.turn_count,
                "score": r.score,
                "id": r.id,
            }
            for r in runtime.sessions().list()
        ]
        return pd.DataFrame(rows, columns=["title", "professional", "started", "questions", "score", "id"])

    def progress_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
        frame = pd.DataFrame(runtime.sessions().progress(), columns=["started", "series", "score", "coverage"])
        frame["started"] = pd.to_datetime(frame["started"])
        return frame[["started", "series", "score"]], frame[["started", "series", "coverage"]]

    def on_history_refresh(selected: str | None):
        choices = session_choices()
        ids = [c[1] for c in choices]
        value = selected if selected in ids else (ids[0] if ids else None)
        score, coverage = progress_frames()
        return (
            gr.update(choices=choices, value=value),
            sessions_table(),
            score,
            coverage,
            NO_SESSIONS if not choices else (ONE_SESSION if len(choices) == 1 else ""),
        )

    def write_exports(session_id: str) -> tuple[str, str]:
        EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        store = runtime.sessions()
        md = EXPORT_DIR / f"mock-informant-{session_id}.md"
        js = EXPORT_DIR / f"mock-informant-{session_id}.json"
        md.write_text(store.export_markdown(session_id), encoding="utf-8")
        js.write_text(json.dumps(store.export_json(session_id), indent=2, ensure_ascii=False), encoding="utf-8")
        return str(md), str(js)

    def on_select_session(session_id: str | None):
        if not session_id:
            return "", gr.update(value=None, interactive=False), gr.update(value=None, interactive=False), ""
        try:
            record = runtime.sessions().get(session_id)
            md, js = write_exports(session_id)
        except SessionError as exc:
            return str(exc), gr.skip(), gr.skip(), ""
        transcript = record.report().markdown() + "\n\n---\n\n" + runtime.sessions().export_markdown(session_id)
        return (
            transcript,
            gr.update(value=md, interactive=True),
            gr.update(value=js, interactive=True),
            record.title,
        )

    def on_ask_coach(session_id: str | None, asked: str):
        if not session_id:
            return "Choose a session first."
        if not (asked or "").strip():
            return "Ask about one of your questions, e.g. “Why did Q2 get 2/5?”"
        try:
            report = runtime.sessions().get(session_id).report()
        except SessionError as exc:
            return str(exc)
        return ask_coach(report, asked).replace("\n", "\n\n")

    def on_rename(session_id: str | None, title: str):
        if not session_id:
            gr.Warning("Choose a session first.")
            return gr.skip(), gr.skip()
        try:
            runtime.sessions().rename(session_id, title or "")
        except SessionError as exc:
            gr.Warning(str(exc))
            return gr.skip(), gr.skip()
        gr.Info("Renamed.")
        return gr.update(choices=session_choices(), value=session_id), sessions_table()

    def on_delete(session_id: str | None):
        if not session_id:
            gr.Warning("Choose a session first.")
            return gr.skip(), gr.skip(), gr.skip()
        try:
            runtime.sessions().delete(session_id)
        except SessionError as exc:
            gr.Warning(str(exc))
        else:
            gr.Info("Session deleted.")
        choices = session_choices()
        return gr.update(choices=choices, value=choices[0][1] if choices else None), sessions_table(), ""

    def on_import(path: str | None):
        if not path:
            return gr.skip(), gr.skip()
        try:
            session_id = runtime.sessions().import_json(Path(path).read_bytes())
        except SessionError as exc:
            gr.Warning(str(exc))
            return gr.skip(), gr.skip()
        gr.Info("Imported.")
        return gr.update(choices=session_choices(), value=session_id), sessions_table()

    def on_resume(session_id: str | None, state: dict[str, Any]):
        if not session_id:
            gr.Warning("Choose a session first.")
            return (gr.skip(),) * 9 + (state,)
        try:
            conversation = runtime.sessions().resume(session_id)
        except (SessionError, PersonaError) as exc:
            gr.Warning(str(exc))
            return (gr.skip(),) * 9 + (state,)
        persona = conversation.persona
        try:
            runtime.informant().warm_in_background(conversation)
        except Exception as exc:  # noqa: BLE001 - the transcript still opens; sending will say more
            gr.Warning(f"The model is not available: {redact(str(exc), runtime.settings)}")
        return (
            gr.Tabs(selected="practice"),
            gr.update(value=persona.industry),
            gr.update(choices=persona_choices(runtime.personas, persona.industry), value=persona.id),
            persona_card(persona),
            conversation.goal,
            chat_history(conversation),
            feedback_html(conversation.turns),
            "",
            gr.update(interactive=True, placeholder="Ask a question… (Enter to send)"),
            {"conversation": conversation},
        )

    # ------------------------------------------------------------------ knowledge

    source_columns = ["source", "origin", "type", "industry", "role", "persona", "sections", "chunks", "added"]

    def knowledge_view():
        rows = runtime.store().sources()
        yours = [r["source"] for r in rows if r["origin"] == "yours"]
        frame = pd.DataFrame(rows, columns=source_columns)
        return frame, gr.update(choices=yours, value=yours[0] if yours else None)

    def on_upload(paths: list[str] | None, role: str | None):
        if not paths:
            return gr.skip(), gr.skip(), ""
        extra = {"role": role, "industry": roles()[role][0]} if role else None
        try:
            result = runtime.store().ingest_user_files([Path(p) for p in paths], extra=extra)
        except IngestError as exc:
            return gr.skip(), gr.skip(), f"**Not added:** {exc}"
        return *knowledge_view(), f"Added: {result.summary()}."

    def on_forget(source: str | None):
        if not source:
            return gr.skip(), gr.skip(), "Choose one of your sources first."
        try:
            removed = runtime.store().forget(source)
        except IngestError as exc:
            return gr.skip(), gr.skip(), f"**Not removed:** {exc}"
        return *knowledge_view(), f"Forgot {source} ({removed} chunks)."

    def on_create_persona(bio: str, bio_file: str | None, role: str | None, name: str, title: str, temperament: str):
        from agents.custom_persona import create_persona

        if not role:
            return gr.skip(), gr.skip(), gr.skip(), "Choose the closest role first."
        try:
            persona = create_persona(
                runtime.store(),
                runtime.personas,
                role=role,
                bio=None if bio_file else bio,
                bio_file=Path(bio_file) if bio_file else None,
                name=name or None,
                title=title or None,
                temperament=temperament or "warm",
            )
        except (PersonaError, IngestError, ValueError) as exc:
            return gr.skip(), gr.skip(), gr.skip(), f"**No persona made:** {exc}"
        return (
            gr.update(value=persona.industry),
            gr.update(choices=persona_choices(runtime.personas, persona.industry), value=persona.id),
            persona_card(persona),
            f"Made **{persona.name}**, {persona.title} ({persona.seniority}, {persona.temperament}). "
            "They are selected on the Practice tab: press Start conversation.",
        )

    def on_search(query: str, persona_id: str | None):
        if not (query or "").strip():
            return "Type what a seeker might ask."
        notes = runtime.search(query, persona_id, k=4)
        return "\n\n".join(f"**{n.title}** ({n.source}; similarity {n.score:.2f})\n\n{n.text}" for n in notes)

    # ------------------------------------------------------------------ prepare

    def notes_for(persona: Persona):
        return runtime.store().notes_in_scope(persona.role, persona.id)

    def write_plan_files(plan: QuestionPlan) -> tuple[str, str]:
        EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        stem = f"questions-{plan.persona_id}-{abs(hash(tuple(q.question for q in plan.questions))) % 10**8:08d}"
        md, page = EXPORT_DIR / f"{stem}.md", EXPORT_DIR / f"{stem}.html"
        md.write_text(plan.markdown(), encoding="utf-8")
        page.write_text(plan.html(), encoding="utf-8")
        return str(md), str(page)

    def plan_outputs(plan: QuestionPlan, brief: Any = None):
        md, page = write_plan_files(plan)
        return (
            plan_frame(plan),
            plan_summary(plan),
            gr.update(value=md, interactive=True),
            gr.update(value=page, interactive=True),
            {"plan": plan},
        ) + ((brief,) if brief is not None else ())

    def on_prepare(persona_id: str | None, goal: str, background: str, minutes: float, prep: dict, new: bool):
        if not persona_id:
            gr.Warning("Pick a professional first.")
            return (gr.skip(),) * 6
        persona = runtime.personas.get(persona_id)
        old: QuestionPlan | None = (prep or {}).get("plan")
        same = old is not None and old.persona_id == persona_id
        variant = (old.variant + 1) if (new and same) else 0
        exclude = set(old.shown) if (new and same) else set()
        try:
            notes = notes_for(persona)
            plan = runtime.polish_questions(
                generate(
                    persona, notes, goal or "", background or "", int(minutes or DEFAULT_MINUTES), variant, exclude
                )
            )
            brief = research_brief(persona, notes, goal or "").markdown()
        except PrepareError as exc:
            gr.Warning(str(exc))
            return (gr.skip(),) * 6
        return plan_outputs(plan, brief)

    def _plan_or_warn(prep: dict) -> QuestionPlan | None:
        plan = (prep or {}).get("plan")
        if plan is None:
            gr.Warning("Make a list first.")
        return plan

    def on_plan_action(action: str, number: float | None, prep: dict):
        plan = _plan_or_warn(prep)
        if plan is None:
            return (gr.skip(),) * 5
        index = int(number or 0) - 1
        try:
            if action == "regenerate":
                persona = runtime.personas.get(plan.persona_id)
                regenerate_one(plan, index, persona, notes_for(persona))
            elif action == "up":
                move_question(plan, index, index - 1)
            elif action == "down":
                move_question(plan, index, index + 1)
            elif action == "remove":
                remove_question(plan, index)
        except (PrepareError, PersonaError) as exc:
            gr.Warning(str(exc))
            return (gr.skip(),) * 5
        return plan_outputs(plan)

    def on_plan_edit(frame: pd.DataFrame, prep: dict):
        """The user typed in the table: rows are matched to questions by their "#", so a deleted row
        removes its question and an added row (no "#") adds one; wording is kept and re-checked."""
        plan = _plan_or_warn(prep)
        if plan is None:
            return (gr.skip(),) * 5
        rows = frame.values.tolist() if isinstance(frame, pd.DataFrame) else list(frame or [])
        role = runtime.personas.or_placeholder(plan.persona_id).role or None
        from agents.critic import critique
        from agents.prepare import PlannedQuestion

        def cell(row: list, i: int) -> str:
            value = row[i] if len(row) > i else None
            return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value).strip()

        kept: list[PlannedQuestion] = []
        old = list(plan.questions)
        for row in rows:
            text, number = cell(row, 2), cell(row, 0)
            try:
                minutes = max(1, min(30, int(float(cell(row, 3)))))
            except ValueError:
                minutes = 3
            index = int(float(number)) - 1 if re.fullmatch(r"\d+(?:\.0)?", number) else -1
            if 0 <= index < len(old) and old[index] not in kept:
                q = old[index]
                plan.questions = [q]
                if text:
                    try:
                        edit_question(plan, 0, text, role)
                    except PrepareError as exc:
                        gr.Warning(f"Question {index + 1}: {exc}")
                q.minutes = minutes
                kept.append(q)
            elif text:  # a row the user added
                c = critique(text, role)
                kept.append(PlannedQuestion(text, c.topic, minutes, "Your question.", len(kept) + 1, flags=c.flags))
        plan.questions = kept
        return plan_outputs(plan)

    def on_practise_with(prep: dict):
        plan = (prep or {}).get("plan")
        if plan is None:
            raise gr.Error("Make a list first.", print_exception=False)  # and don't start a conversation
        persona = runtime.personas.get(plan.persona_id)
        gr.Info("Pick one of your prepared questions on the left (or type your own), then press Enter.")
        return (
            gr.Tabs(selected="practice"),
            gr.update(value=persona.industry),
            gr.update(choices=persona_choices(runtime.personas, persona.industry), value=persona.id),
            persona_card(persona),
            plan.goal,
            min(60, max(10, plan.minutes)),
            gr.update(choices=[q.question for q in plan.questions], value=None, visible=True),
        )

    def on_prepared_pick(question: str | None):
        return gr.update(value=question) if question else gr.skip()

    # ------------------------------------------------------------------ follow-up

    def on_followup_refresh(selected: str | None):
        choices = session_choices()
        ids = [c[1] for c in choices]
        return gr.update(choices=choices, value=selected if selected in ids else (ids[0] if ids else None))

    def on_thank_you(session_id: str | None, name: str, next_step: str):
        if not session_id:
            gr.Warning("Choose a saved session first (hold a conversation on the Practice tab).")
            return (gr.skip(),) * 4
        try:
            note = runtime.thank_you(session_id, name=name or "", next_step=next_step or "")
        except (SessionError, FollowUpError) as exc:
            gr.Warning(str(exc))
            return (gr.skip(),) * 4
        quoted = ", ".join(f"Q{q.turn}" for q in note.quotes)
        where = f" It quotes what they said in answer to {quoted}, word for word." if quoted else ""
        due = f"{note.due()}{where} No resume attached: offer it only if they ask."
        return note.text, due, write_note_file(session_id, note.text), {"session": session_id, "due": due}

    def write_note_file(session_id: str, text: str):
        EXPORT_DIR.mkdir(parents=True, exist_ok=True)
        path = EXPORT_DIR / f"thank-you-{session_id}.txt"
        path.write_text(text or "", encoding="utf-8")
        return gr.update(value=str(path), interactive=bool(text))

    def on_note_edit(text: str, fu: dict):
        session_id = (fu or {}).get("session")
        if not session_id:
            return gr.skip(), gr.skip()
        return write_note_file(session_id, text), f"{fu.get('due', '')} Your edits are in the download."

    # ------------------------------------------------------------------ layout

    def persona_pickers(elem_id: str | None = None) -> tuple[gr.Dropdown, gr.Dropdown]:
        """An industry dropdown and the professionals in it (Practice and Prepare each have a pair)."""
        industry = gr.Dropdown(
            choices=[(industry_label(i), i) for i in all_industries], value=first_industry, label="Industry"
        )
        persona = gr.Dropdown(
            choices=first_choices,
            value=first_choices[0][1] if first_choices else None,
            label="Professional",
            elem_id=elem_id,
        )
        return industry, persona

    with gr.Blocks(title=TITLE) as demo:
        state = gr.State({})
        prep_state = gr.State({})
        fu_state = gr.State({})
        gr.Markdown(
            f"# {TITLE}\nPractise an informational interview: ask a professional about their career, role and "
            "industry. Answers come from industry notes (listed under each answer); every question gets feedback."
        )
        status = gr.Markdown(status_text, elem_id="status")  # a callable: computed on each page load
        with gr.Tabs() as tabs:
            with gr.Tab("Practice", id="practice"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260):
                        industry, persona = persona_pickers()
                        card = gr.Markdown(
                            persona_card(runtime.personas.get(first_choices[0][1])) if first_choices else ""
                        )
                        goal = gr.Textbox(
                            label="Your goal (optional)", placeholder="e.g. Decide whether nursing suits me", lines=2
                        )
                        minutes = gr.Slider(
                            10, 60, value=25, step=5, label="Minutes of the real conversation", elem_id="minutes"
                        )
                        prepared = gr.Dropdown(
                            label="Your prepared questions (pick one to ask it)",
                            choices=[],
                            visible=False,
                            elem_id="prepared",
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
                                min_width=200,
                                max_lines=4,
                                interactive=False,
                                elem_id="question",
                            )
                            send = gr.Button("Send", variant="primary", scale=1, min_width=80)
                        summary = gr.Markdown(elem_id="summary")
                    with gr.Column(scale=1, min_width=280):
                        gr.Markdown("### Feedback on your questions")
                        feedback = gr.HTML(feedback_html([]), elem_id="feedback")
            with gr.Tab("Prepare", id="prepare"):
                gr.Markdown(
                    "Prepare for a real conversation: a question list fitted to the time, opening with their story "
                    "and ending with who else to talk to, plus a one-page brief to read first. Edit the questions "
                    "in the table; each is checked again."
                )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260):
                        prep_industry, prep_persona = persona_pickers(elem_id="prep-persona")
                        prep_goal = gr.Textbox(
                            label="Your goal (optional)",
                            placeholder="e.g. Decide between hospital and retail pharmacy",
                            lines=2,
                            elem_id="prep-goal",
                        )
                        prep_background = gr.Textbox(
                            label="Your background (optional)",
                            placeholder="e.g. Career changer from retail management",
                            elem_id="prep-background",
                        )
                        prep_minutes = gr.Slider(
                            MIN_MINUTES,
                            MAX_MINUTES,
                            value=DEFAULT_MINUTES,
                            step=5,
                            label="Minutes of the real conversation",
                        )
                        make_list = gr.Button("Make my list", variant="primary", elem_id="make-list")
                        new_list = gr.Button("New list")
                    with gr.Column(scale=3, min_width=320):
                        plan_info = gr.Markdown(elem_id="plan-summary")
                        plan_table = gr.Dataframe(
                            headers=PLAN_COLUMNS,
                            interactive=True,
                            static_columns=[0, 1, 4, 5],
                            wrap=True,
                            column_widths=["4%", "11%", "45%", "6%", "9%", "25%"],
                            max_height=720,
                            elem_id="plan-table",
                        )
                        with gr.Row():
                            plan_number = gr.Number(
                                label="Question #", value=1, precision=0, minimum=1, min_width=90, scale=1
                            )
                            regen = gr.Button("Regenerate it", scale=1, min_width=110)
                            move_up = gr.Button("Move up", scale=1, min_width=90)
                            move_down = gr.Button("Move down", scale=1, min_width=90)
                            remove = gr.Button("Remove", scale=1, min_width=90, variant="stop")
                        with gr.Row():
                            practise_with = gr.Button("Practise with this list", variant="primary")
                            plan_md = gr.DownloadButton("Download Markdown", interactive=False)
                            plan_html = gr.DownloadButton("Download printable page", interactive=False)
                        with gr.Accordion("Research brief: read this before the call", open=False):
                            brief_md = gr.Markdown(elem_id="brief")
            with gr.Tab("Follow-up", id="followup") as followup_tab:
                gr.Markdown(
                    "After the conversation: a thank-you note that quotes one or two things they said, word for "
                    "word, says what you will do next, and keeps in touch. Edit it, copy it, send it within 24 hours."
                )
                with gr.Row(equal_height=False):
                    with gr.Column(scale=1, min_width=260):
                        fu_session = gr.Dropdown(label="Session", choices=[], elem_id="fu-session")
                        fu_name = gr.Textbox(label="Your name", elem_id="fu-name")
                        fu_next = gr.Textbox(
                            label="What you will do next (optional)",
                            placeholder="e.g. shadow a nurse on a night shift this month",
                            elem_id="fu-next",
                        )
                        write_note = gr.Button("Write my thank-you note", variant="primary", elem_id="write-note")
                    with gr.Column(scale=2, min_width=320):
                        fu_note = gr.Textbox(
                            label="Your note (edit freely)", lines=16, buttons=["copy"], elem_id="thank-you"
                        )
                        fu_due = gr.Markdown(elem_id="fu-due")
                        fu_download = gr.DownloadButton("Download .txt", interactive=False, elem_id="fu-download")
            with gr.Tab("History", id="history") as history_tab:
                empty_note = gr.Markdown()
                with gr.Row():
                    score_plot = gr.LinePlot(
                        x="started",
                        y="score",
                        color="series",
                        title="Average question score (1–5) by session",
                        y_lim=[1, 5],
                        height=260,
                        x_title="session",
                        y_title="score",
                    )
                    coverage_plot = gr.LinePlot(
                        x="started",
                        y="coverage",
                        color="series",
                        title="Core topics covered (%) by session",
                        y_lim=[0, 100],
                        height=260,
                        x_title="session",
                        y_title="% of topics",
                    )
                table = gr.Dataframe(label="Saved sessions", interactive=False, wrap=True)
                with gr.Row():
                    chosen = gr.Dropdown(label="Session", choices=[], scale=3, elem_id="session-picker")
                    refresh = gr.Button("Refresh", scale=1, min_width=80)
                with gr.Row():
                    resume = gr.Button("Resume in Practice", variant="primary")
                    export_md = gr.DownloadButton("Export Markdown", interactive=False)
                    export_json = gr.DownloadButton("Export JSON", interactive=False)
                    delete = gr.Button("Delete", variant="stop")
                with gr.Row():
                    new_title = gr.Textbox(label="Rename to", scale=3)
                    rename = gr.Button("Rename", scale=1, min_width=80)
                with gr.Row():
                    coach_question = gr.Textbox(
                        label="Ask the coach", placeholder="e.g. Why did Q2 get 2/5?", scale=4, elem_id="coach-question"
                    )
                    coach_ask = gr.Button("Ask", scale=1, min_width=80)
                coach_answer = gr.Markdown(elem_id="coach-answer")
                transcript = gr.Markdown(elem_id="transcript")
                upload_session = gr.File(
                    label="Import a session (.json export)",
                    file_types=[".json"],
                    type="filepath",
                    elem_id="import-session",
                )
            with gr.Tab("Knowledge", id="knowledge") as knowledge_tab:
                gr.Markdown(
                    "The notes the informants answer from: built-in industry notes, and your own notes (a job "
                    "posting, notes from reading) as .md, .txt, .pdf, .docx or .html files of up to "
                    f"{MAX_FILE_BYTES // 1_000_000} MB each. They are reference material only: the informant never "
                    "takes instructions from them. Adding the same file again changes nothing; a changed file "
                    "replaces its old version."
                )
                overview = gr.Dataframe(label="Sources in the knowledge base", interactive=False, elem_id="sources")
                with gr.Row():
                    upload = gr.File(
                        label="Add your own notes (.md .txt .pdf .docx .html)",
                        file_types=[".md", ".txt", ".pdf", ".docx", ".html", ".htm"],
                        file_count="multiple",
                        type="filepath",
                        scale=3,
                        elem_id="upload",
                    )
                    with gr.Column(scale=1, min_width=220):
                        upload_role = gr.Dropdown(
                            label="For which role (optional)", choices=role_choices, value=None, elem_id="upload-role"
                        )
                        yours = gr.Dropdown(label="Your sources", choices=[], elem_id="your-sources")
                        forget = gr.Button("Forget this source", variant="stop")
                upload_result = gr.Markdown(elem_id="upload-result")
                with gr.Accordion("Practise with the person you are about to meet", open=False):
                    gr.Markdown(
                        "Paste their public bio (or upload it as .txt, .pdf, .docx or .html) and pick the closest "
                        "role: you get a persona with their name, title and background, answering from their bio "
                        "and that role's notes."
                    )
                    with gr.Row():
                        bio = gr.Textbox(label="Their bio", lines=6, scale=3, elem_id="bio")
                        with gr.Column(scale=1, min_width=220):
                            bio_file = gr.File(
                                label="…or a bio file",
                                file_types=[".txt", ".md", ".pdf", ".docx", ".html"],
                                type="filepath",
                            )
                            bio_role = gr.Dropdown(label="Closest role", choices=role_choices, elem_id="bio-role")
                    with gr.Row():
                        bio_name = gr.Textbox(label="Name (if not first in the bio)")
                        bio_title = gr.Textbox(label="Job title (optional)")
                        bio_temperament = gr.Radio(["warm", "busy", "sceptical"], value="warm", label="How they talk")
                    make_persona = gr.Button("Create persona", variant="primary")
                    persona_result = gr.Markdown(elem_id="persona-result")
                with gr.Row():
                    query = gr.Textbox(label="Try a question against the notes", scale=4)
                    search = gr.Button("Search", scale=1, min_width=80)
                found = gr.Markdown()

        # events: practice
        # .input, not .change: only a person's choice re-filters; Resume sets both without a cascade.
        industry.input(on_industry, industry, [persona, card], api_visibility="private")
        persona.input(on_persona, persona, card, api_visibility="private")
        start.click(
            on_start, [persona, goal, minutes, state], [chatbot, feedback, summary, message, state], api_name="start"
        )
        send_outputs = [chatbot, message, send, feedback, state]
        message.submit(on_send, [message, chatbot, state], send_outputs, api_name="send")
        message.input(
            on_draft,
            [message, state],
            None,
            api_visibility="private",
            trigger_mode="always_last",
            show_progress="hidden",
        )
        send.click(on_send, [message, chatbot, state], send_outputs, api_visibility="private")
        end.click(on_end, state, summary, api_name="end")
        timer = gr.Timer(1.0)
        timer.tick(on_tick, None, [status, timer], api_visibility="private")

        def api_status() -> str:
            """The app's state in one line: loading, indexing, ready, or why the model could not load."""
            return status_text()

        gr.api(api_status, api_name="status")

        # events: prepare
        prep_industry.input(lambda i: on_industry(i)[0], prep_industry, prep_persona, api_visibility="private")
        plan_outputs_list = [plan_table, plan_info, plan_md, plan_html, prep_state]
        prep_inputs = [prep_persona, prep_goal, prep_background, prep_minutes, prep_state]
        make_list.click(
            lambda *a: on_prepare(*a, new=False),
            prep_inputs,
            [*plan_outputs_list, brief_md],
            api_name="prepare",
        )
        new_list.click(
            lambda *a: on_prepare(*a, new=True), prep_inputs, [*plan_outputs_list, brief_md], api_name="new_list"
        )
        for button, action in ((regen, "regenerate"), (move_up, "up"), (move_down, "down"), (remove, "remove")):
            button.click(
                lambda n, p, action=action: on_plan_action(action, n, p),
                [plan_number, prep_state],
                plan_outputs_list,
                api_name=f"plan_{action}",
            )
        plan_table.input(on_plan_edit, [plan_table, prep_state], plan_outputs_list, api_name="plan_edit")
        practise_with.click(
            on_practise_with,
            prep_state,
            [tabs, industry, persona, card, goal, minutes, prepared],
            api_visibility="private",
        ).success(on_start, [persona, goal, minutes, state], [chatbot, feedback, summary, message, state])
        prepared.input(on_prepared_pick, prepared, message, api_visibility="private")

        # events: follow-up
        followup_tab.select(on_followup_refresh, fu_session, fu_session, api_visibility="private")
        write_note.click(
            on_thank_you, [fu_session, fu_name, fu_next], [fu_note, fu_due, fu_download, fu_state], api_name="thank_you"
        )
        fu_note.input(on_note_edit, [fu_note, fu_state], [fu_download, fu_due], api_visibility="private")

        # events: history
        history_outputs = [chosen, table, score_plot, coverage_plot, empty_note]
        history_tab.select(on_history_refresh, chosen, history_outputs, api_name="history")
        refresh.click(on_history_refresh, chosen, history_outputs, api_visibility="private")
        chosen.change(on_select_session, chosen, [transcript, export_md, export_json, new_title], api_name="session")
        rename.click(on_rename, [chosen, new_title], [chosen, table], api_name="rename")
        coach_ask.click(on_ask_coach, [chosen, coach_question], coach_answer, api_name="coach")
        coach_question.submit(on_ask_coach, [chosen, coach_question], coach_answer, api_visibility="private")
        delete.click(on_delete, chosen, [chosen, table, transcript], api_name="delete")
        upload_session.upload(on_import, upload_session, [chosen, table], api_visibility="private")
        resume.click(
            on_resume,
            [chosen, state],
            [tabs, industry, persona, card, goal, chatbot, feedback, summary, message, state],
            api_name="resume",
        )

        # events: knowledge
        knowledge_tab.select(knowledge_view, None, [overview, yours], api_visibility="private")
        upload.upload(on_upload, [upload, upload_role], [overview, yours, upload_result], api_visibility="private")
        forget.click(on_forget, yours, [overview, yours, upload_result], api_visibility="private")
        make_persona.click(
            on_create_persona,
            [bio, bio_file, bio_role, bio_name, bio_title, bio_temperament],
            [industry, persona, card, persona_result],
            api_name="create_persona",
        )
        search.click(on_search, [query, persona], found, api_visibility="private")
        query.submit(on_search, [query, persona], found, api_visibility="private")
    return demo


def launch(host: str = "127.0.0.1", port: int = 7860) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    settings = get_settings()
    install_log_redaction(settings)  # no API key or password in the log, whatever logs it
    settings.check_listen(host)  # 127.0.0.1 only, unless INFORMANT_AUTH is set
    runtime = Runtime(settings)
    demo = build_app(runtime)
    # Model requests take turns in agents.models.LOCAL_QUEUE (fair between conversations), so
    # many events may run at once: each shows its place in that queue instead of a spinner.
    demo.queue(default_concurrency_limit=16)
    demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=settings.login(),
        max_file_size=MAX_FILE_BYTES,  # the browser refuses bigger uploads before sending them
        css=CSS,
        footer_links=[],
        prevent_thread_lock=True,
    )
    # The page is up first; the notes and the model load behind it (the page says so meanwhile).
    runtime.load_in_background()
    print(f"Mock Informant on http://{host}:{port} ({runtime.settings.describe()})", flush=True)
    demo.block_thread()


if __name__ == "__main__":
    launch(port=int(os.environ.get("INFORMANT_PORT", "7860")))
