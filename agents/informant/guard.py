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

from agents.informant.prompt import shows_instructions
from core.text import content_words, lower_first, novel_specifics
from knowledge.corpus import corpus

__all__ = ["Guard", "Stream", "checked", "contacts", "promises_job", "risky"]

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

# A sentence no person says: that they are an AI, a model, a chatbot or a character, or about their
# instructions, prompt, rules or reference notes, or the model underneath (issue 17).
_NOT_A_PERSON = re.compile(
    r"\b(?:as an ai|i(?:'m| am) (?:just |only |really |actually )?(?:an ai|a (?:large )?language model|a chatbot|"
    r"a (?:chat )?bot|a virtual assistant|an? (?:ai )?assistant|a simulation|a (?:fictional )?character|"
    r"a persona|not (?:a real|an actual) person)|ai (?:language )?model|language model|ai assistant|chatbot|"
    r"virtual assistant|(?:my|the|your) system prompt|my (?:instructions|prompt|programming|training data|"
    r"guidelines|reference (?:material|notes))|the (?:instructions|rules|guidelines|notes) (?:i was|i've been|"
    r"i am|i'm|i have been) (?:given|told|provided)|(?:my|the) notes (?:say|tell me|given to me|i was given)|"
    r"i was (?:programmed|instructed|told to)|i(?:'ve| have) been (?:programmed|instructed|told to)|"
    r"i(?:'m| am) (?:programmed|instructed|not allowed to reveal)|this (?:is a )?simulation|"
    r"(?:qwen|llama|chatgpt|openai|gpt-\d|smollm|alibaba cloud|hugging ?face))\b",
    re.I,
)
# A web address, an e-mail address or a phone number: said only when the card or the built-in notes
# give it (an upload's "apply at http://…" must never reach the seeker).
_CONTACT = re.compile(
    r"\bhttps?://[^\s)\]>\"'”]+|\bwww\.[^\s)\]>\"'”]+|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![\w$.])\+?\d{0,3}[\s.-]?\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|org|net|io|co|example|info|biz|app|jobs|careers)\b(?:/\S*)?",
    re.I,
)
# A figure or name from a document the seeker shared, or from their message, said as theirs ("the
# posting says …", "you mentioned …"), not as the informant's own; and agreeing with it is not that.
_ATTRIBUTED = re.compile(
    r"\b(?:the|that|this|your|their) (?:job )?(?:posting|post|listing|ad|advert|document|doc|page|file|article|"
    r"policy|pdf|summary|site|website|handbook|brochure|description|notes? you)\b|\byou (?:shared|sent|uploaded|"
    r"mentioned|said|wrote|quoted|read|brought up)\b|\baccording to\b|\b(?:it|they) (?:says?|claims?|mentions?|"
    r"lists?|promises?|advertises?)\b",
    re.I,
)
_AGREES = re.compile(
    r"^\W*(?:yes|yeah|yep|right|correct|exactly|true|that's (?:right|correct|true))\b|\bas i (?:said|mentioned|told you)\b",
    re.I,
)
# Advice said as an order ("Talk to a copy editor …") or as "you should …": a person giving advice
# speaks for themselves ("If I were you, I'd talk to …", "I think you should …").
_IMPERATIVE = re.compile(
    r"^(?:talk|start|look into|try|get|focus|ask|join|build|take|find|learn|reach out|spend|apply|work on|keep|"
    r"read|volunteer|shadow|consider|think about|sign up|save|practise|practice)\b(?!,)",
    re.I,
)
_YOU_SHOULD = re.compile(r"\byou (?:should|need to|might want to|'d want to|would want to)\b", re.I)
_TO_YOU = re.compile(r"\b(?:you|your|you're|you've|you'd|you'll)\b", re.I)
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
    r"if you have any (?:other |more )?questions|i hope (?:this|that) helps)\b"
    # A chatbot's greeting, sympathy and send-off around an answer, which a person in a conversation doesn't add.
    r"|^\W*(?:hey there|hi there|hello there|good luck|best of luck|all the best)\W*$"
    r"|\bsorry to hear (?:that )?you(?:'re| are) (?:feeling|unsure|uncertain|worried|confused)\b",
    re.I,
)
# The seeker's own situation said back as the informant's ("I'm 41 and I've been a flight attendant …").
_SEEKER_I = re.compile(r"\bI\b")

# The model agreeing to help with a job, whatever words the question used: "I'd be happy to let you
# know if a spot opens", "I'll pass your résumé along", "you could do a stage with us".
_PROMISES_JOB = re.compile(
    r"\b(?:I'd|I would|I'll|I will|I can|I could|happy to|glad to|sure,)\b[^.?!]{0,60}"
    r"\b(?:refer you|pass (?:it|them|your \w+) (?:along|on)|put in a (?:good )?word|let you know (?:if|when) "
    r"(?:a|an|any|something)\b|forward (?:it|your)|introduce you|help you get (?:started|hired|a job|in)|"
    r"keep you in mind|consider you|have you (?:come in|shadow|stage)|set (?:you )?up (?:a|an) (?:interview|meeting))"
    r"|\byou(?:'re| are) welcome to (?:do a stage|shadow|come in|send (?:me )?your)"
    # Offering the job itself, which a role-play ("you're my hiring manager") asks for.
    r"|\byou(?:'re| are| have been|'ve been) (?:hired|selected|accepted)\b|\b(?:the|this) (?:job|position|role|offer) "
    r"is yours\b|\byou got the (?:[\w-]+ ){0,2}(?:job|position|role|offer)\b"
    r"|\b(?:mention|use|drop) my name\b|\b(?:tell|let) (?:them|him|her) (?:i|that i) sent you\b|\b(?:we|i)(?:'d| would) (?:love|be (?:happy|glad|thrilled)) "
    r"to (?:have|hire|bring on|welcome) you\b|\bwelcome (?:to the team|aboard)\b|\b(?:i|we)(?:'d| would) like to "
    r"(?:offer|extend) you\b|\bwhen can you start\b|\b(?:let's|i'll|i can|we can|we'll) (?:schedule|set up|book|arrange) "
    r"(?:an?|your|the) (?:interview|start date|call with (?:hr|the hiring))|\bsend (?:me|us) your (?:r[ée]sum[ée]|cv)\b",
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


_NEGATED = re.compile(r"\b(?:not|never|no|didn't|don't|wasn't|isn't|haven't|hadn't|nor)\b|n't\b", re.I)


def _restates(sentence: str, claim: str) -> bool:
    """Does ``sentence`` say, as so, the untrue ``claim`` it was just corrected on ("my father was an
    accountant too, and that pushed me toward it")?"""
    if not claim:
        return False
    asked = _stems(claim) - {"you", "your", "mentioned", "said", "since"}
    return len(asked) >= 2 and len(_stems(sentence) & asked) >= 0.6 * len(asked) and not _NEGATED.search(sentence)


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


def contacts(text: str) -> list[str]:
    """The web addresses, e-mail addresses and phone numbers in ``text``."""
    return [m.group(0).rstrip(".,;:") for m in _CONTACT.finditer(text)]


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
    trusted: str | None = None  # of ``known``, what it may say as its own (not the seeker's documents or message)
    claim: str = ""  # an untrue thing the question took for granted, just corrected: not to be said as so
    frame: str = ""  # said before a first sentence that doesn't speak as the person ("In my experience, ")
    removed: list[str] = field(default_factory=list)  # the sentences left out, for the turn's record
    invented: list[str] = field(default_factory=list)  # of those, the ones with a figure or a name it can't know
    promised_job: bool = False  # a sentence agreed to help with a job (the answer becomes a decline)
    repeated: list[str] = field(default_factory=list)  # of those, the ones said before
    unsafe: list[str] = field(default_factory=list)  # of those, the ones no person says or sourced from the seeker

    @classmethod
    def for_turn(
        cls, known: str, question: str, earlier: list[str], fixed: tuple[str, ...] = (), trusted: str | None = None
    ) -> Guard:
        """A guard for one answer, given what the informant said in the conversation's earlier answers
        and its fixed lines (``fixed``: a model that copies one from the history is not answering)."""

        def words(texts: list[str] | tuple[str, ...]) -> tuple[frozenset[str], ...]:
            return tuple(frozenset(content_words(s)) for a in texts for s in re.split(r"(?<=[.!?])\s+", a))

        exact = frozenset(_norm(x) for a in fixed for x in re.split(r"(?<=[.!?])\s+", a) if x.strip())
        return cls(known, question, words(earlier), words(fixed), exact, known if trusted is None else trusted)

    def novel(self, sentence: str, known: str | None = None) -> list[str]:
        """The numbers and names in ``sentence`` that nothing known (or ``known``) mentions."""
        lower_words = corpus().lower
        source = self.known if known is None else known
        known = source.lower()
        # A name of several capitalised words ("Department of Healthcare Services") must be known as a
        # whole, even when each word is an ordinary one.
        rest = re.sub(r"^\W*\w+", lambda m: m.group(0).lower(), sentence)  # the first word is capitalised anyway
        found = [
            m.group(0)
            for m in _PHRASE.finditer(rest)
            if m.group(0).lower() not in known and not set(m.group(0).lower().split()) <= _COMMON_CAPITALS
        ]
        for item in novel_specifics(sentence, source):
            if item.lower() in _COMMON_CAPITALS:
                continue
            if item[:1].isupper() and not item.isupper() and item.lower() in lower_words:
                continue  # an ordinary word with a capital ("Night shifts are …" after a dash)
            found.append(item)
        return found

    def framed(self, sentence: str) -> str:
        """A first sentence that reads like a textbook ("Software engineering is a …") said as the
        person's own view ("In my experience, software engineering is a …"), and advice given as an
        order or a "you should" said as theirs ("If I were you, I'd talk to …", "I think you should …")."""
        if _FIRST_PERSON.search(sentence) or sentence.endswith("?") or len(sentence.split()) < 4:
            return sentence
        if _IMPERATIVE.match(sentence):
            return f"If I were you, I'd {lower_first(sentence)}"
        should = _YOU_SHOULD.search(sentence)
        if should:
            said = should.group(0)
            return f"{sentence[: should.start()]}I think {said[:1].lower()}{said[1:]}{sentence[should.end() :]}"
        if not self.frame or len(sentence.split()) < 6:
            return sentence
        if _TO_THEM.match(sentence):  # speaking to the seeker is already a person talking
            return sentence
        return f"{self.frame} {lower_first(sentence)}"

    def speaks_as_no_person(self, sentence: str) -> bool:
        """Does ``sentence`` speak as no person would (an AI, its instructions, its model) or give a web
        address, e-mail or phone number its card and built-in notes don't?"""
        if _NOT_A_PERSON.search(sentence) or shows_instructions(sentence):
            return True
        own = (self.known if self.trusted is None else self.trusted).lower()
        return any(c.lower() not in own for c in contacts(sentence))

    def borrowed(self, sentence: str) -> bool:
        """Does ``sentence`` tell as the informant's own (or agree with) a figure or name that only the
        seeker's document or message gives? Quoting it as theirs is fine ("the posting says …"), and
        so is giving the seeker's own figure back to them ("with 10 years in retail, you …")."""
        if self.trusted is None or self.trusted == self.known or not risky(sentence):
            return False
        if not self.novel(sentence, self.trusted):
            return False
        if _AGREES.search(sentence):
            return True
        if _ATTRIBUTED.search(sentence):
            return False
        to_them = _TO_YOU.search(sentence) and not _FIRST_PERSON.search(sentence)
        return not (to_them and not self.novel(sentence, f"{self.trusted}\n{self.question}"))

    def check(self, sentence: str, first: bool = False) -> str | None:
        """The sentence, or None when it says what this informant can't know, is a canned line,
        reads the question back (``first``: it would open the answer), was said before, speaks as no
        person would, or owns what only the seeker's document or message says."""
        if promises_job(sentence):
            self.promised_job = True
        elif _repeats(sentence, self.said):
            self.repeated.append(sentence)
        elif self.speaks_as_no_person(sentence):
            self.unsafe.append(sentence)
        elif not (
            _CANNED.search(sentence)
            or _INSTRUCTION.search(sentence)
            or _repeats(sentence, self.canned)
            or _norm(sentence) in self.canned_exact
            or (first and _echoes(sentence, self.question))
            or _as_the_seeker(sentence, self.question)
            or _restates(sentence, self.claim)
        ):
            if risky(sentence) and self.novel(sentence):
                self.invented.append(sentence)
            elif self.borrowed(sentence):
                self.unsafe.append(sentence)
            else:
                return sentence
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
