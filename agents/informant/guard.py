"""Says only what it knows, and sounds like a person: every sentence of an answer is checked before
the seeker sees it.

A small model invents figures and names with confidence ("my budget is about $3 million"). So each
sentence, as soon as it is complete, is checked against what this informant may know: the persona's
card, its story (knowledge/stories), the notes in its scope and what the seeker said about
themselves. A sentence with a number (money, a percentage, a count, a year) or a name (an acronym, a
capitalised word the notes never use in lower case) found in none of them is left out. When nothing
is left, the informant says in its own words that it doesn't know and won't guess.

The same check leaves out what no person says: a canned "you could ask me: …" line, "as an AI …",
the question read back as the answer's first sentence, the seeker's own situation said back as the
informant's ("I'm 41 and I've been a flight attendant …"), a sentence the informant already said in
this conversation, a copy of one of its own fixed lines, and a copy of the app's instructions.

While a sentence is still being written it is shown as it grows until it holds a number or a name;
from then on it waits until it is complete and checked (``Stream``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.text import content_words, lower_first, novel_specifics
from knowledge.corpus import corpus

__all__ = ["Guard", "Stream", "checked", "promises_job", "risky"]

# What might be invented: a digit, a currency or percent sign, or a capitalised word after the first.
_RISKY = re.compile(r"\d|[$€£%]|(?<=[\s(\"“])(?:[A-Z]{2,}|[A-Z][a-z]+)")
_END = re.compile(r"(?<=[.!?])([\"”')\]]*)(\s+)(?=\S)")
_PHRASE = re.compile(r"\b[A-Z][\w'’&-]*(?:\s+(?:of|and|for|the|&)?\s*[A-Z][\w'’&-]*)+")
_ABBREVIATION = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr|vs|etc|e\.g|i\.e|U\.S|approx|No)\.$")
# Capitalised words that name no one: days, months, and words said with a capital for emphasis.
_COMMON_CAPITALS = set(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december english spanish american honestly okay ok yes no hi hello "
    "thanks sure well also but and so".split()
)


# Speaking as oneself: "I", "my", "we".
_FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|my|me|mine|we|our|us|we're|we've)\b", re.I)

# A sentence no person says: that they are an AI, a model or a chatbot, or about their instructions.
_NOT_A_PERSON = re.compile(
    r"\b(?:as an ai|i(?:'m| am) (?:an ai|a (?:large )?language model|a chatbot|a virtual assistant|an assistant)|"
    r"ai (?:language )?model|language model|ai assistant|chatbot|virtual assistant|"
    r"my (?:training data|instructions|programming|system prompt)|i was (?:trained|programmed|instructed))\b",
    re.I,
)
_TO_THEM = re.compile(r"(?:you|your|yes|no|sure|honestly|actually|well|that's|it depends|if you)\b", re.I)

# A line a small model writes in place of an answer: "You could ask me: '…'".
_CANNED = re.compile(
    r"\b(?:you (?:could|can|might|may) (?:also )?ask me|a (?:good|better) question (?:would be|to ask))\b", re.I
)


# A sentence copied from the app's own instructions in an earlier turn's message (the history holds
# them): 'You have already said "That's not right, actually."'.
_INSTRUCTION = re.compile(
    r"\b(?:you have already said|they assumed something about you|they are asking about their own situation|"
    r"talk to them as|speaking to them about their move|reply as \w+|answer from what you say under|"
    r"in your story above|the seeker (?:asks|introduced)|notes for this question|end of the notes|"
    r"from notes given earlier|say so honestly in your own words|if it fits, end by asking|"
    r"ask what they really want to know|then ask which part they'd like|they could look this up|"
    r"do not guess any figure|there are no notes on this question)\b"
    # An assistant's sign-off, which no one says at the end of an answer in a conversation.
    r"|\b(?:feel free to ask|let me know if you have any (?:other |more )?questions|"
    r"if you have any (?:other |more )?questions|i hope (?:this|that) helps)\b",
    re.I,
)
# The seeker's own situation said back as the informant's ("I'm 41 and I've been a flight attendant …").
_SEEKER_I = re.compile(r"\b(?:I'm|I am|I've|I have|I was|I haven't|I had|I've been)\b")

# The model agreeing to help with a job, whatever words the question used: "I'd be happy to let you
# know if a spot opens", "I'll pass your résumé along", "you could do a stage with us".
_PROMISES_JOB = re.compile(
    r"\b(?:I'd|I would|I'll|I will|I can|I could|happy to|glad to|sure,)\b[^.?!]{0,60}"
    r"\b(?:refer you|pass (?:it|them|your \w+) (?:along|on)|put in a (?:good )?word|let you know (?:if|when) "
    r"(?:a|an|any|something)\b|forward (?:it|your)|introduce you|help you get (?:started|hired|a job|in)|"
    r"keep you in mind|consider you|have you (?:come in|shadow|stage)|set (?:you )?up (?:a|an) (?:interview|meeting))"
    r"|\byou(?:'re| are) welcome to (?:do a stage|shadow|come in|send (?:me )?your)",
    re.I,
)

_READ_BACK = re.compile(
    r"^(?:(?:so|well|ah|oh),? )?(?:you(?:'d| would)? (?:want|like) to know\b"
    r"|you(?:'re| are) (?:asking|wondering|curious)\b|(?:so )?what (?:a|my) typical .{0,40} (?:is|looks) like\b)",
    re.I,
)
# Words that frame a question read back ("you want to know …") rather than answer it.
_FRAMING = {"want", "know", "asking", "asked", "wondering", "question", "great", "tell", "curious"}


def _stems(text: str) -> set[str]:
    return {w.removesuffix("s") for w in content_words(text)} - _FRAMING


def _echoes(sentence: str, question: str) -> bool:
    """Is ``sentence`` the question read back ("So you want to know what my day is like.")? A sentence
    that answers it ("Yes, …", "No, …") is not."""
    if _READ_BACK.search(sentence.strip()):
        return True
    if re.match(r"\W*(?:yes|no|not)\b", sentence, re.I):
        return False
    words, asked = _stems(sentence), _stems(question)
    return len(sentence.split()) <= 16 and len(words) >= 2 and len(words & asked) >= 0.75 * len(words)


def _as_the_seeker(sentence: str, question: str) -> bool:
    """Does ``sentence`` say the seeker's own situation, from the question, as if it were the informant's
    ("I'm 41 and I've been a flight attendant for twelve years")? A small model slips into their "I"."""
    if not _SEEKER_I.search(sentence) or not _SEEKER_I.search(question):
        return False
    words, asked = _stems(sentence), _stems(question)
    return len(words) >= 3 and len(words & asked) >= 0.75 * len(words)


def _repeats(sentence: str, said: tuple[frozenset[str], ...]) -> bool:
    """Did the informant already say this (nearly word for word) earlier in the conversation?"""
    words = content_words(sentence)
    return len(words) >= 4 and any(len(words & s) >= 0.8 * len(words | s) for s in said)


def _norm(sentence: str) -> str:
    return " ".join(re.findall(r"[a-z']+", sentence.lower().replace("’", "'")))


def promises_job(answer: str) -> bool:
    """Does the answer agree to help with a job, a referral or an introduction (which no informant in
    this app does)?"""
    return bool(_PROMISES_JOB.search(answer.replace("’", "'")))


def risky(text: str) -> bool:
    """Does ``text`` hold something the guard must check (a number or a name)?"""
    return bool(_RISKY.search(text))


@dataclass
class Guard:
    """Checks sentences against ``known``: everything this informant may say figures and names from."""

    known: str
    question: str = ""  # what was asked (not to be read back)
    said: tuple[frozenset[str], ...] = ()  # the content words of each sentence said earlier
    canned: tuple[frozenset[str], ...] = ()  # the content words of the persona's fixed lines' sentences
    canned_exact: frozenset[str] = frozenset()  # the fixed lines' sentences themselves, however short
    frame: str = ""  # said before a first sentence that doesn't speak as the person ("In my experience, ")
    removed: list[str] = field(default_factory=list)  # the sentences left out, for the turn's record
    invented: list[str] = field(default_factory=list)  # of those, the ones with a figure or a name it can't know
    promised_job: bool = False  # a sentence agreed to help with a job (the answer becomes a decline)
    repeated: list[str] = field(default_factory=list)  # of those, the ones said before

    @classmethod
    def for_turn(cls, known: str, question: str, earlier: list[str], fixed: tuple[str, ...] = ()) -> Guard:
        """A guard for one answer, given what the informant said in the conversation's earlier answers
        and its fixed lines (``fixed``: a model that copies one from the history is not answering)."""

        def words(texts: list[str] | tuple[str, ...]) -> tuple[frozenset[str], ...]:
            return tuple(frozenset(content_words(s)) for a in texts for s in re.split(r"(?<=[.!?])\s+", a))

        exact = frozenset(_norm(x) for a in fixed for x in re.split(r"(?<=[.!?])\s+", a) if x.strip())
        return cls(known, question, words(earlier), words(fixed), exact)

    def novel(self, sentence: str) -> list[str]:
        """The numbers and names in ``sentence`` that nothing known mentions."""
        lower_words = corpus().lower
        known = self.known.lower()
        # A name of several capitalised words ("Department of Healthcare Services") must be known as a
        # whole, even when each word is an ordinary one.
        rest = re.sub(r"^\W*\w+", lambda m: m.group(0).lower(), sentence)  # the first word is capitalised anyway
        found = [
            m.group(0)
            for m in _PHRASE.finditer(rest)
            if m.group(0).lower() not in known and not set(m.group(0).lower().split()) <= _COMMON_CAPITALS
        ]
        for item in novel_specifics(sentence, self.known):
            if item.lower() in _COMMON_CAPITALS:
                continue
            if item[:1].isupper() and not item.isupper() and item.lower() in lower_words:
                continue  # an ordinary word with a capital ("Night shifts are …" after a dash)
            found.append(item)
        return found

    def framed(self, sentence: str) -> str:
        """A first sentence that reads like a textbook ("Software engineering is a …") said as the
        person's own view ("In my experience, software engineering is a …")."""
        if not self.frame or _FIRST_PERSON.search(sentence) or sentence.endswith("?") or len(sentence.split()) < 6:
            return sentence
        if _TO_THEM.match(sentence):  # speaking to the seeker is already a person talking
            return sentence
        return f"{self.frame} {lower_first(sentence)}"

    def check(self, sentence: str, first: bool = False) -> str | None:
        """The sentence, or None when it says what this informant can't know, is a canned line,
        reads the question back (``first``: it would open the answer) or was said before."""
        if promises_job(sentence):
            self.promised_job = True
        elif _repeats(sentence, self.said):
            self.repeated.append(sentence)
        elif not (
            _CANNED.search(sentence)
            or _INSTRUCTION.search(sentence)
            or _repeats(sentence, self.canned)
            or _norm(sentence) in self.canned_exact
            or (first and _echoes(sentence, self.question))
            or _as_the_seeker(sentence, self.question)
        ):
            if not risky(sentence) or not self.novel(sentence):
                return sentence
            self.invented.append(sentence)
        self.removed.append(sentence)
        return None


@dataclass
class Stream:
    """An answer as it streams: complete sentences are checked, the one being written is shown only
    while it holds nothing to check.

    ``feed`` takes the whole answer so far; ``shown`` is what the seeker may see now, ``checked``
    the part that is final (whole, checked sentences), ``finish`` checks the last sentence.
    """

    guard: Guard
    checked: str = ""
    _done: int = 0  # characters of the raw answer already split into sentences
    _pending: str = ""
    _gap: str = ""  # what goes before the next sentence kept: a space, or a blank line between paragraphs

    def feed(self, raw: str) -> str:
        rest = raw[self._done :]
        start = 0
        while (m := _END.search(rest, start)) is not None:
            if _ABBREVIATION.search(rest[: m.start()]) and "\n" not in m.group(2):
                start = m.end()  # "Dr. Patel": not the end of a sentence
                continue
            self._accept(rest[: m.start()] + m.group(1), "\n\n" if "\n" in m.group(2) else " ")
            self._done += m.end()
            rest, start = raw[self._done :], 0
        self._pending = rest
        return self.shown

    @property
    def shown(self) -> str:
        pending = self._pending.strip()
        if pending and not risky(pending):
            return f"{self.checked}{self._gap if self.checked else ''}{pending}"
        return self.checked

    def finish(self) -> str:
        """Check what is left and return the final answer."""
        if self._pending.strip():
            self._accept(self._pending, "")
        self._pending = ""
        return self.checked

    def _accept(self, sentence: str, gap: str) -> None:
        sentence = sentence.strip()
        if sentence and self.guard.check(sentence, first=not self.checked) is not None:
            if not self.checked:
                sentence = self.guard.framed(sentence)
            self.checked = f"{self.checked}{self._gap}{sentence}" if self.checked else sentence
            self._gap = gap
        elif self.checked and "\n" in gap:
            self._gap = gap  # a paragraph ended with the sentence left out


def checked(answer: str, guard: Guard) -> str:
    """A whole answer with the sentences ``guard`` refuses left out."""
    stream = Stream(guard)
    stream.feed(answer)
    return stream.finish()
