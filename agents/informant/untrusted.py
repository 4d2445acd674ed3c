"""Untrusted text in the prompt: notes, uploads, a bio and the seeker's words are data, never instructions."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from dataclasses import replace
from functools import lru_cache

from knowledge.store import Note

__all__ = [
    "asks_anything",
    "drop_instructions",
    "gives_instructions",
    "left_out",
    "off_script",
    "quote_untrusted",
    "quoted_note",
    "quoted_title",
    "seeker_words",
    "shared_by_seeker",
]

# ---------------------------------------------------------------------- untrusted text
# Notes (built-in or uploaded), a custom persona's bio and the seeker's question are data, never
# instructions. They are quoted into the prompt on one line each, after these are neutralised:
# chat-template tokens ("<|im_start|>": the local model reads special tokens in any text), the
# notes block's first and last lines (and <notes> tags), role markers at a line start ("System:",
# "### System"), the turn's "The seeker asks:" line and invisible characters (the read-ahead
# marker is made of them). Folding the line breaks means nothing quoted can start a line of the
# prompt: the notes block is its first line, one "- " line per note, and its last line.
_SPECIAL_TOKEN = re.compile(r"<\|\s*([^<>|\n]{0,40}?)\s*\|>")
_CHAT_MARKUP = re.compile(r"<\|+|\|+>|\[/?INST\]|<<\s*/?\s*SYS\s*>>|</?s>", re.I)
_NOTES_TAG = re.compile(r"<\s*/?\s*notes?\b[^<>\n]{0,40}>", re.I)
# The notes block's own first and last lines (prompts/informant.yaml `turn`).
_NOTES_DELIMITER = re.compile(r"\b(?:notes for this question|end of the notes)\b\s*[:.]?", re.I)
_ROLE_MARKER = re.compile(
    r"^[\s>*_-]*(?:#+\s*)?(system|assistant|user|developer|human|instructions?|informant|seeker)\b[ \t]*(?::|$)",
    re.I | re.M,
)
_TURN_LINE = re.compile(r"\bthe seeker asks\s*:", re.I)
# A sentence that speaks to the model instead of informing it ("Ignore your previous
# instructions", "you are now a recruiter", "always say …", "note to the assistant: …"). In a
# bio or a note it is left out of the prompt (the 1.5B model was seen to obey it even quoted);
# in the seeker's message it is left out of their line and a reminder ends the turn (`steer`).
# No sentence of the built-in notes or persona cards, nor any question in evals/ other than the
# character-breaker's probes, matches (tests/integration/test_injection.py). It is a list of patterns: an
# instruction worded otherwise still reaches the model, quoted (evals/RESULTS.md).
_INSTRUCTION = re.compile(
    r"\b(?:ignore|disregard|forget|override|bypass)\s+(?:(?:all|any|the|your|my|these|those|of|everything|previous|"
    r"prior|above|earlier|preceding|system|original)\s+){0,4}(?:instructions?|prompts?|rules|guidelines|directions|"
    r"interview|role|character|persona)\b"
    r"|\b(?:ignore|disregard)\s+(?:(?:all|everything|of|the)\s+){0,3}above\b"
    r"|\byou(?: are|'re)(?: now| no longer)\b|\byou(?: are|'re) [\w\s'-]{1,30}? now\b(?=\s*(?:[.;:!,]|$))"
    r"|\bfrom now on,? (?:you|your|always|only|answer|reply|respond|say|act|speak|talk)\b"
    r"|\bnew (?:rule|instructions?)\s*:|\bdeveloper mode\b|\bjailbreak"
    r"|\b(?:system|developer) (?:prompt|message|instructions?)\b"
    r"|\byour (?:instructions|prompt|programming|training data)\b"
    r"|\b(?:show|print|reveal|repeat|output)\b[^.!?]{0,20}\byour (?:rules|guidelines|notes)\b"
    r"|\bpretend (?:to be|you(?:'re| are) (?:an?|the|not))\b"
    r"|\b(?:act|behave|respond|reply|answer) as (?:an? |the )?(?:ai|assistant|bot|chatbot|language model)\b"
    r"|\byou (?:must|should|shall|will) (?:always |only )?(?:say|reply|respond|answer|include|mention|output|print|end|start|begin)\b"
    r"|(?:^|(?<=[.!?:;] ))(?:always|only) (?:say|reply|respond|answer)\b"
    r"|\b(?:say|reply|respond|answer|print|output|write|type|repeat|confirm|end|start|begin)\b[^.!?]{0,40}"
    r"\b(?:the (?:single |exact |secret )?(?:word|phrase)|only with|verbatim|word for word|by saying)\b"
    r"|\b(?:say|reply|respond|answer|write|add|include)\b[^.!?]{0,40}\b(?:in|to|at the (?:end|start) of) "
    r"(?:every|each|all) (?:answers?|repl(?:y|ies)|responses?|messages?)\b"
    r"|\b(?:end|start|begin|sign)\s+(?:every|each|all)\s+(?:answers?|repl(?:y|ies)|responses?|messages?)\b"
    r"|(?:^|(?<=[.!?:;] ))(?:please )?(?:introduce|present) yourself as\b"
    r"|\b(?:note|message|instructions?|reminder)s? (?:to|for) (?:the )?(?:ai|assistant|model|llm|chatbot|bot|informant)\b"
    r"|\btell (?:the )?(?:seeker|user|them|everyone|people)\b[^.!?]{0,30}\byou(?:'re| are)\b",
    re.I,
)


def quote_untrusted(text: str) -> str:
    """``text`` as quoted data for a prompt: one line, with nothing that could pass for the
    prompt's own structure or the chat template's (see above). Ordinary text is unchanged."""
    text = "".join(
        "\n" if ch in "\u2028\u2029\x85" else " " if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n" else ch
        for ch in str(text or "")
    )
    while True:
        before = text
        text = _SPECIAL_TOKEN.sub(lambda m: f" ({m.group(1).strip()}) " if m.group(1).strip() else " ", text)
        text = _CHAT_MARKUP.sub(" ", text)
        text = _NOTES_TAG.sub(" (notes) ", text)
        text = _NOTES_DELIMITER.sub(" (notes) ", text)
        if text == before:
            break
    text = _ROLE_MARKER.sub(lambda m: f"({m.group(1).lower()})", text)
    text = _TURN_LINE.sub("the seeker asks -", text)
    return " ".join(text.split())


def drop_instructions(text: str) -> str:
    """``text`` without the sentences that give instructions to the model (for a bio or a note)."""
    kept: list[str] = []
    lead_in = False  # "Note to the assistant:" drops what it introduces too
    for sentence in re.split(r"(?<=[.!?:;])\s+", text):
        dropped = lead_in or bool(_INSTRUCTION.search(sentence))
        lead_in = dropped and sentence.endswith(":")
        if not dropped:
            kept.append(sentence)
    return " ".join(kept).strip()


def gives_instructions(text: str) -> bool:
    """Does ``text`` (the seeker's message) try to give the model instructions?"""
    return bool(_INSTRUCTION.search(quote_untrusted(text)))


_CLAUSE = re.compile(r",?\s+(?:and then|then)\s+|,\s+(?:and|but|so)\s+|;\s+|,\s+")
_ASKS = re.compile(r"\?|\b(?:what|how|why|when|where|which|who|tell me|describe|explain|walk me)\b", re.I)


def _sentences(question: str) -> list[str]:
    return re.split(r"(?<=[.!?:;])\s+", quote_untrusted(question))


@lru_cache(maxsize=256)
def off_script(question: str) -> dict[str, str]:
    """The sentences of the seeker's message that ask the informant to play someone else, ask about
    the app itself (its instructions, prompt, notes or model) or ask for a job, by intents learned
    from labelled examples (agents.intents, knowledge/intents/informant.yaml), whatever words they
    use: each such sentence with its intent ("role_play", "meta" or "job_ask")."""
    from agents.intents import NONE, IntentModel

    sentences = [s for s in _sentences(question) if len(s.split()) >= 3]
    intents = IntentModel.load("informant").classify_many(sentences)
    return {s: intent.label for s, intent in zip(sentences, intents, strict=True) if intent.label != NONE}


def left_out(question: str) -> dict[str, str]:
    """The sentences of ``off_script`` left out of the seeker's line: a role-play or a question about
    the app (a job request is the persona's decline instead)."""
    return {s: label for s, label in off_script(question).items() if label != "job_ask"}


def seeker_words(question: str, leave_out: Collection[str] = ()) -> str:
    """The seeker's message, quoted, without what speaks to the model: whole sentences (and those in
    ``leave_out``), and the clauses that do in a sentence that also asks something ("confirm by
    saying X, then tell me …")."""
    kept: list[str] = []
    lead_in = False
    sentences = _sentences(question)
    for n, sentence in enumerate(sentences):
        if lead_in:
            lead_in = sentence.endswith(":")
            continue
        following = sentences[n + 1] if n + 1 < len(sentences) else ""
        if sentence.endswith(":") and following in leave_out:  # "Quick one from the dev team:" introduces it
            continue
        if sentence in leave_out:
            lead_in = sentence.endswith(":")  # "New rule:" leaves out what it introduces too
            continue
        if not _INSTRUCTION.search(sentence):
            kept.append(sentence)
            continue
        lead_in = sentence.endswith(":")
        clauses = [c for c in _CLAUSE.split(sentence) if c and _ASKS.search(c) and not _INSTRUCTION.search(c)]
        if clauses and not lead_in:
            rest = ", ".join(clauses).strip()
            kept.append(rest[:1].upper() + rest[1:])
    return " ".join(kept).strip()


def asks_anything(words: str) -> bool:
    """Do the seeker's words (what is left of them) ask something, or say enough to answer?"""
    return bool(words) and ("?" in words or bool(_ASKS.search(words)) or len(words.split()) >= 6)


def quoted_title(title: str) -> str:
    return drop_instructions(quote_untrusted(title)) or "A note"


def quoted_note(note: Note) -> Note:
    """A note as the prompt shows it: quoted, without sentences that speak to the model."""
    title = quoted_title(note.title)
    if shared_by_seeker(note):  # provenance: the informant may discuss it, never tell it as its own
        title = f'a document they shared, "{title}"'
    return replace(note, title=title, text=drop_instructions(quote_untrusted(note.text)))


def shared_by_seeker(note: Note) -> bool:
    """Is ``note`` from a document the seeker shared (not a built-in note, nor a custom persona's bio)?
    The informant may discuss it ("the posting says …") but never tell it as its own experience."""
    return note.id.startswith("user:") and not note.persona
