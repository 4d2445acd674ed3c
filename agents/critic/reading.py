"""How the critic reads a question: normalised text, its sentences, and the ask inside each.

1. Sentences that ask something (a question mark, a question word, a polite request or an
   indirect "I'd love to hear...") are the questions; greetings and statements are not.
2. Inside each, the *ask* is found after any preamble ("I'm a career changer from retail, so which
   skills matter most?" -> "which skills matter most?").
A very long text is cut to the window where its question is, so every rule stays linear and fast.
"""

from __future__ import annotations

import re

__all__ = [
    "AUX",
    "FORMAT_CHARS",
    "IMPERATIVE",
    "INDIRECT",
    "NEG_AUX",
    "REQUEST_VERBS",
    "WH",
    "WINDOW",
    "ask_clause",
    "canon",
    "is_request",
    "normalise",
    "sentences_of",
    "strip_filler",
    "window",
    "words_of",
]

AUX = "do|does|did|is|are|was|were|am|have|has|had|can|could|will|would|should|shall|may|might|must"
NEG_AUX = (
    "don't|doesn't|didn't|isn't|aren't|wasn't|weren't|wouldn't|won't|shouldn't|can't|couldn't|"
    "haven't|hasn't|hadn't|mustn't"
)
WH = "what|how|why|when|where|which|who|whom|whose"
_FILLER = re.compile(
    r"^(?:(?:so|ok|okay|and|also|but|well|um|uh|hi|hello|hey|great|cool|thanks|thank you|"
    r"interesting|right|sure|yeah|yes|oh|first|lastly|finally|quick question|one more thing|"
    r"out of curiosity|i see|got it|that makes sense|that's helpful|that is helpful|"
    r"next|now|then|anyway|honestly|actually|alright|all right|one last thing|last question)\b[\s,.:;!-]*)+",
    re.I,
)
# Verbs of a polite request: "Can you tell me...", "Could you walk me through...".
REQUEST_VERBS = (
    r"tell|describe|walk|share|explain|talk|give|elaborate|expand|outline|help|list|go over|go through|"
    r"speak|say more|paint|point|introduce|name|think of|clarify|offer|refer|pass|forward|send|connect|"
    r"put in|set me up|remind|show|teach|interview|look at|look over|review|advise|summari[sz]e|"
    r"break down|compare|sketch|mention|identify|take me|fill me in|let me know|give me"
)
INDIRECT = re.compile(
    r"\b(?:i'?d (?:love|like) to (?:know|hear|learn|understand|ask)|i'?m (?:curious|wondering)|"
    r"i was (?:wondering|curious|hoping (?:you|to (?:ask|hear|learn|understand)))|i wonder|i would (?:love|like) to (?:know|hear|learn|understand|ask)|"
    r"curious (?:about|what|how|why|whether|if)|wondering (?:what|how|why|whether|if|about)|"
    r"\b(?:grateful|appreciate it|appreciative|thankful|helpful|great|love it|be nice) if you (?:could|would|can|might)\b|"
    r"any (?:advice|tips|thoughts|suggestions|recommendations|pointers)\b|"
    r"\b(?:want|wanted|trying|hoping|try|like|love|need|wish|keen) to (?:know|understand|learn|hear|figure out|find out|"
    r"get a sense of|ask|get a feel for|picture|see) (?:more )?(?:about )?(?:what|how|why|whether|if|where|which|who|when|your|you)\b|\bhelp me (?:understand|see|picture|figure out)\b)",
    re.I,
)
IMPERATIVE = re.compile(
    rf"^(?:please\b|(?:{REQUEST_VERBS})\b|help me understand|what about|how about)|\bplease[.!]?$", re.I
)
# Spoken-style spellings that would hide a question word from the rules ("whats", "dont").
_CANON = [
    (re.compile(r"\b(what|how|where|who|when|why|that)s\b", re.I), r"\1's"),
    (re.compile(r"\b(do|does|did|is|are|was|were|would|could|should|have|has)nt\b", re.I), r"\1n't"),
    (re.compile(r"\bwont\b", re.I), "won't"),
    (re.compile(r"\bu\b", re.I), "you"),
    (re.compile(r"\bur\b", re.I), "your"),
    (re.compile(r"\b(you|they)re\b", re.I), r"\1're"),
    (re.compile(r"\bi(m|ve|d)\b", re.I), r"I'\1"),
]


def normalise(text: str) -> str:
    text = str(text or "")
    text = (
        text.replace("\u2019", "'")
        .replace("\u2018", "'")
        .replace("\u201c", '"')
        .replace("\u201d", '"')
        .replace("\u00a0", " ")
    )
    text = re.sub(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\ufeff]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


FORMAT_CHARS = re.compile(r"[\u200c-\u200f\u202a-\u202e\u2066-\u2069]")


def canon(text: str) -> str:
    for pattern, repl in _CANON:
        text = pattern.sub(repl, text)
    return text


def sentences_of(text: str) -> list[str]:
    parts = re.split(r"(?<=[?!.])\s+(?=[A-Za-z\"'(])", text)
    return [p.strip() for p in parts if p.strip()]


def strip_filler(sentence: str) -> str:
    stripped = _FILLER.sub("", sentence).strip()
    return stripped or sentence


_PRONOUN_SUBJ = r"(?:i|you|we|they|he|she|my|your|our|their)"


def is_request(sentence: str) -> bool:
    s = strip_filler(sentence).lower()
    if s.endswith("?"):
        return True
    if re.match(rf"^(?:{WH})\b(?!\s+{_PRONOUN_SUBJ}\b)|^(?:{AUX}|{NEG_AUX})\b", s):
        return True
    return bool(IMPERATIVE.search(s) or INDIRECT.search(s))


def words_of(text: str) -> list[str]:
    return text.split()


# Where the question itself starts inside a sentence with a preamble:
# "I'm a career changer from retail, so which skills matter most?" -> "which skills matter most?"
_SUBJ = (
    r"(?:you|i|it|there|they|we|he|she|that|this|these|those|your|my|our|their|the|any|most|some|"
    r"people|anyone|someone|[a-z]+s|(?:new|most|many|all|other|junior|senior|young|entry-level) [a-z]+s)"
)
_STARTER = re.compile(
    rf"(?:{WH})(?:'s|'re|'d)?\b(?!\s+{_PRONOUN_SUBJ}\b)|(?:{AUX})\s+{_SUBJ}\b|(?:{NEG_AUX})\s|"
    rf"(?:please\s+)?(?:{REQUEST_VERBS})\s+(?:me|us)\b|any (?:advice|tips|thoughts|suggestions|recommendations)\b",
    re.I,
)
_BOUNDARY = re.compile(
    r"(?:[,;:]|\s[-\u2013\u2014]|\bso\b|\bbut\b)\s*"
    r"(?:(?:so|yeah|well|anyway|honestly|okay|ok|um|uh|and|then|now|basically|really|just|my question is|"
    r"i guess|i suppose)\b[\s,]*)*",
    re.I,
)


def ask_clause(sentence: str) -> str:
    """The question inside a sentence, without a leading preamble."""
    s = strip_filler(sentence)
    if _STARTER.match(s) or IMPERATIVE.match(s):
        return s
    for m in _BOUNDARY.finditer(s):
        rest = s[m.end() :]
        if rest and _STARTER.match(rest):
            return rest
    return s


WINDOW = 600


def window(text: str) -> str:
    """The end of a very long text, where its question is: keeps every rule linear and fast."""
    if len(text) <= WINDOW:
        return text
    starts = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Za-z\"'(])", text)]
    fitting = [i for i in starts if len(text) - i <= WINDOW]
    if fitting:
        return text[fitting[0] :]
    # One very long sentence: keep its opening (a question word or a request) and its end.
    last = text[starts[-1] :] if starts else text
    head = last[:200].rsplit(" ", 1)[0]
    tail = last[-(WINDOW - 200) :]
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return f"{head}, {tail}"
