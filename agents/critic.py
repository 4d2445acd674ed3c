"""The critic: a deterministic judgement of one seeker question.

Small local models cannot judge questions reliably, so the decision (score, flags, topic) is made
here by rules that are measured against the labelled set in ``evals/``; no chat model is asked.

Each rule follows ``../shared/rubric.md``: open not closed (polite requests are open), neutral
wording, one topic per question, never ask for a job, do the homework first, keep it short.

How a question is read:
1. Sentences that ask something (a question mark, a question word, a polite request or an
   indirect "I'd love to hear...") are the questions; greetings and statements are not.
2. Inside each, the *ask* is found after any preamble ("I'm a career changer from retail, so which
   skills matter most?" -> "which skills matter most?") and split at a second clause that asks
   again ("..., and what do you wish you had known?").
3. Flags are judged on the asks; the topic is scored from cue lexicons on the first ask, with cues
   in a subordinate clause ("when you first moved into PR") counting half.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import lru_cache

from core.text import lower_first, sentence_case, with_article

FLAGS = (
    "closed",
    "leading",
    "double_barreled",
    "asks_for_job",
    "googleable",
    "vague",
    "too_long",
    "not_a_question",
)
TOPICS = (
    "typical_day",
    "career_path",
    "skills",
    "challenges",
    "industry_trends",
    "advice",
    "resources",
    "networking",
    "compensation",
    "culture",
    "other",
)
TOPIC_LABELS = {
    "typical_day": "a typical day",
    "career_path": "their career path",
    "skills": "skills",
    "challenges": "challenges",
    "industry_trends": "industry trends",
    "advice": "advice for entering the field",
    "resources": "resources for learning",
    "networking": "networking",
    "compensation": "pay",
    "culture": "culture",
    "other": "something else",
}
MAX_WORDS = 35


@dataclass
class Critique:
    """The judgement of one question, from the critic alone or in a conversation (agents.coach)."""

    question: str
    score: int
    flags: list[str]
    topic: str
    feedback: str
    rewrite: str | None
    praise: list[str] = field(default_factory=list, repr=False, compare=False)
    # What earned credit, when judged in a conversation (agents.coach.critique_in_context); None
    # for a question judged alone.
    credits: list[str] | None = None

    def to_dict(self) -> dict:
        """The JSON shape (sessions, exports, the CLI): no praise; credits only from a conversation."""
        data = asdict(self)
        data.pop("praise")
        if self.credits is None:
            data.pop("credits")
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Critique:
        """A critique as ``to_dict`` wrote it (or as an older session stored it)."""
        return cls(
            question=str(data.get("question", "")),
            score=int(data["score"]),
            flags=list(data.get("flags", [])),
            topic=str(data.get("topic", "other")),
            feedback=str(data.get("feedback", "")),
            rewrite=data.get("rewrite"),
            credits=list(data["credits"]) if data.get("credits") is not None else None,
        )

    @property
    def earned(self) -> list[str]:
        """The credits, as a list (empty for a question judged alone)."""
        return self.credits or []


# --------------------------------------------------------------------------- text helpers

_AUX = "do|does|did|is|are|was|were|am|have|has|had|can|could|will|would|should|shall|may|might|must"
_NEG_AUX = (
    "don't|doesn't|didn't|isn't|aren't|wasn't|weren't|wouldn't|won't|shouldn't|can't|couldn't|"
    "haven't|hasn't|hadn't|mustn't"
)
_WH = "what|how|why|when|where|which|who|whom|whose"
_FILLER = re.compile(
    r"^(?:(?:so|ok|okay|and|also|but|well|um|uh|hi|hello|hey|great|cool|thanks|thank you|"
    r"interesting|right|sure|yeah|yes|oh|first|lastly|finally|quick question|one more thing|"
    r"out of curiosity|i see|got it|that makes sense|that's helpful|that is helpful|"
    r"next|now|then|anyway|honestly|actually|alright|all right|one last thing|last question)\b[\s,.:;!-]*)+",
    re.I,
)
# Verbs of a polite request: "Can you tell me...", "Could you walk me through...".
_REQUEST_VERBS = (
    r"tell|describe|walk|share|explain|talk|give|elaborate|expand|outline|help|list|go over|go through|"
    r"speak|say more|paint|point|introduce|name|think of|clarify|offer|refer|pass|forward|send|connect|"
    r"put in|set me up|remind|show|teach|interview|look at|look over|review|advise|summari[sz]e|"
    r"break down|compare|sketch|mention|identify|take me|fill me in|let me know|give me"
)
_INDIRECT = re.compile(
    r"\b(?:i'?d (?:love|like) to (?:know|hear|learn|understand|ask)|i'?m (?:curious|wondering)|"
    r"i was (?:wondering|curious|hoping (?:you|to (?:ask|hear|learn|understand)))|i wonder|i would (?:love|like) to (?:know|hear|learn|understand|ask)|"
    r"curious (?:about|what|how|why|whether|if)|wondering (?:what|how|why|whether|if|about)|"
    r"\b(?:grateful|appreciate it|appreciative|thankful|helpful|great|love it|be nice) if you (?:could|would|can|might)\b|"
    r"any (?:advice|tips|thoughts|suggestions|recommendations|pointers)\b|"
    r"\b(?:want|wanted|trying|hoping|try|like|love|need|wish|keen) to (?:know|understand|learn|hear|figure out|find out|"
    r"get a sense of|ask|get a feel for|picture|see) (?:more )?(?:about )?(?:what|how|why|whether|if|where|which|who|when|your|you)\b|\bhelp me (?:understand|see|picture|figure out)\b)",
    re.I,
)
_IMPERATIVE = re.compile(
    rf"^(?:please\b|(?:{_REQUEST_VERBS})\b|help me understand|what about|how about)|\bplease[.!]?$", re.I
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


def _normalise(text: str) -> str:
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


_FORMAT_CHARS = re.compile(r"[\u200c-\u200f\u202a-\u202e\u2066-\u2069]")


def _canon(text: str) -> str:
    for pattern, repl in _CANON:
        text = pattern.sub(repl, text)
    return text


def _sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[?!.])\s+(?=[A-Za-z\"'(])", text)
    return [p.strip() for p in parts if p.strip()]


def _strip_filler(sentence: str) -> str:
    stripped = _FILLER.sub("", sentence).strip()
    return stripped or sentence


_PRONOUN_SUBJ = r"(?:i|you|we|they|he|she|my|your|our|their)"


def _is_request(sentence: str) -> bool:
    s = _strip_filler(sentence).lower()
    if s.endswith("?"):
        return True
    if re.match(rf"^(?:{_WH})\b(?!\s+{_PRONOUN_SUBJ}\b)|^(?:{_AUX}|{_NEG_AUX})\b", s):
        return True
    return bool(_IMPERATIVE.search(s) or _INDIRECT.search(s))


def _words(text: str) -> list[str]:
    return text.split()


# Where the question itself starts inside a sentence with a preamble:
# "I'm a career changer from retail, so which skills matter most?" -> "which skills matter most?"
_SUBJ = (
    r"(?:you|i|it|there|they|we|he|she|that|this|these|those|your|my|our|their|the|any|most|some|"
    r"people|anyone|someone|[a-z]+s|(?:new|most|many|all|other|junior|senior|young|entry-level) [a-z]+s)"
)
_STARTER = re.compile(
    rf"(?:{_WH})(?:'s|'re|'d)?\b(?!\s+{_PRONOUN_SUBJ}\b)|(?:{_AUX})\s+{_SUBJ}\b|(?:{_NEG_AUX})\s|"
    rf"(?:please\s+)?(?:{_REQUEST_VERBS})\s+(?:me|us)\b|any (?:advice|tips|thoughts|suggestions|recommendations)\b",
    re.I,
)
_BOUNDARY = re.compile(
    r"(?:[,;:]|\s[-\u2013\u2014]|\bso\b|\bbut\b)\s*"
    r"(?:(?:so|yeah|well|anyway|honestly|okay|ok|um|uh|and|then|now|basically|really|just|my question is|"
    r"i guess|i suppose)\b[\s,]*)*",
    re.I,
)


def _ask_clause(sentence: str) -> str:
    """The question inside a sentence, without a leading preamble."""
    s = _strip_filler(sentence)
    if _STARTER.match(s) or _IMPERATIVE.match(s):
        return s
    for m in _BOUNDARY.finditer(s):
        rest = s[m.end() :]
        if rest and _STARTER.match(rest):
            return rest
    return s


# --------------------------------------------------------------------------- flag rules

# Polite requests and list requests are open ("Can you tell me...", "Are there any books...").
_OPEN_REQUEST = re.compile(
    rf"^(?:{_AUX}) you(?: please| possibly| maybe| perhaps| kindly)?(?: be (?:willing|able|open) to)? (?:{_REQUEST_VERBS})\b|"
    r"^(?:can|could|would|will) you(?: please| possibly| maybe| perhaps| kindly)?"
    r"(?: be (?:willing|able|open|comfortable|happy|ok|okay|available)(?: to)?)? [a-z]+ (?:me|us)\b|"
    r"^(?:are|were) you (?:able|willing|open|happy|available) to (?:[a-z]+ (?:me|us)\b|"
    rf"(?:{_REQUEST_VERBS})\b)|"
    r"^(?:can|could|would|will) you(?: please| possibly| maybe| perhaps| kindly)? (?:take|have) a (?:quick )?look\b|"
    r"^(?:can|could|would|will) you (?:please |possibly |maybe |perhaps )?(?:recommend|suggest|name|point to) "
    r"(?:any|some|a|an|a few|a couple|one|anything|anyone|someone|somebody|something|what|which|who|where|how|"
    r"good|other|people|resources|books|courses|ways)\b|"
    r"^(?:would|do) you mind\b|"
    r"^(?:is|are) there\b.*\byou(?:'d| would)? (?:recommend|suggest|encourage|advise|point)\b|"
    r"^(?:can|could|may) i (?:send|give|share|pass|forward|ask|follow up|email|contact|reach out|connect|add|call|bring|"
    r"stay in touch|keep in touch|mention|use your name)\b|"
    r"^(?:do|did|would|will|can|could) you (?:have|know|think of|know of)\b.*\b(?:any|anyone|anybody|"
    r"anything|some|someone|somebody|advice|tips|suggestions|recommendations|thoughts|insights|resources|"
    r"books?|courses?|ideas|stories|examples|words of wisdom)\b|"
    r"^(?:is|are|was|were) there (?:any|anyone|anybody|anything|someone|somebody|other|people|a person)\b|"
    r"^(?:is|was) there (?:a|one) (?:resource|book|course|person|mistake|misconception|thing)\b|"
    r"^(?:are|were) there (?:any|some|other|particular|specific)\b",
    re.I,
)
# "Do you know if/whether..." embeds a yes/no question.
_EMBEDDED_YES_NO = re.compile(
    rf"^(?:{_AUX}) you (?:happen to )?(?:know|think|remember|feel|believe|see|expect|reckon) (?:if|whether)\b", re.I
)
_CLOSED_WH = re.compile(
    r"^how (?:many|long|often|old|soon|frequently)\b|"
    r"^how much (?:money|time|vacation|pto|do (?:you|they|\w+s) (?:make|earn|charge|get paid)|does (?:it|the \w+|a \w+|an \w+) pay)\b|"
    r"^how much (?:do|does|did|can|could|will|would) .{0,40}\b(?:make|earn|cost|charge|pay)\b|"
    r"^when (?:did|do|does|was|were|is|are|will)\b|"
    r"^where (?:did|was|were|is|are)\b(?!.*\b(?:heading|headed|going|moving|evolving)\b)|"
    r"^where (?:do|does)\b(?!.*\b(?:heading|headed|going|moving|evolving)\b)(?! (?:you|i|people|someone|one|[a-z]+s) "
    r"(?:usually |typically |normally )?(?:see|think|expect|imagine|predict|go|look|turn|find|recommend|suggest|hang out|meet|learn|"
    r"get (?:your|their|the) (?:news|information|info)))|"
    r"^what (?:year|age|percentage|percent|grade|gpa)\b|"
    r"^who (?:is|was|are) (?:the|your) (?:ceo|founder|president|owner|head|cfo|cto|coo|chair|chairman)\b|"
    r"^what(?:'s| is) the (?:[\w-]+ )?(?:score|cost|price|fee|deadline|date|cutoff|cut-off)\b|"
    r"^which (?:one |option |path )?(?:do|would|did) you (?:prefer|recommend|choose|pick|like better|think is better)\b|"
    r"^which (?:is|are|was|would be|one is) (?:more|most|better|worse|harder|easier|the better|the best)\b.*\bor\b|"
    r"^(?:what|which)(?:'s| is| was) (?:the|your|a|an) (?:(?:typical|usual|average|median|mean|starting|base|"
    r"hourly|annual|entry-level|current) )*(?:salary|pay|wage|hourly rate|rate)\b(?! (?:range|band|structure|like|progression|growth))|"
    r"^which (?:(?!of\b|in\b|for\b|about\b|at\b|to\b|on\b)[a-z-]+ )?(?:[a-z-]*[^s\W]|[a-z-]+ss) "
    r"(?:do|does|did|would|should|is|was|will|can|could|has|have)\b",
    re.I,
)
_EITHER_OR = re.compile(r"\bor (?:not|no)\b|\b(?:rather|prefer)\b.*\bor\b", re.I)
_LEADING = re.compile(
    rf"^(?:{_NEG_AUX})\b|"
    r"^(?:surely|obviously|clearly|of course)\b|\bsurely\b|\b(?:is|are|was|were|it's|that's) (?:surely|obviously|clearly)\b|\bi'?m sure (?:you|it|that|there|the|your|this|a|an|most|people)\b|"
    r"\bi bet\b|\bi assume\b|\bi'?m guessing\b|"
    r"\bwouldn't you (?:agree|say)\b|\byou(?:'d| would)? agree\b|\byou must (?:love|hate|be|find|get|work|have|feel|enjoy)\b|"
    r"(?:,\s*(?:right|correct|true|yeah|yes|no|ok|okay)|[,\s](?:isn't it|don't you|aren't you|wouldn't it|didn't you|"
    r"doesn't it|isn't that so|am i right|wouldn't you say|don't they|aren't they|isn't she|isn't he|won't it|"
    r"can't you|haven't you|hasn't it))\?\s*$|"
    r"^how (?:much|great|amazing|awesome|cool|exciting|rewarding|fun|boring|awful|terrible|stressful) "
    r"(?:do you (?:love|enjoy|like|hate|dislike|miss|regret|resent|appreciate)|is it)\b|"
    r"^why (?:is|are|was|were|does|do|did) .{2,60}\b(?:the best|the worst|\w+est (?:way|path|route|field|job|language|option|choice)|"
    r"so much better|better than|worse than|so great|so bad|so boring|so much more|superior|a waste|overrated|"
    r"underrated|dying|dead|pointless|useless|worthless|(?:the )?(?:best|worst|highest|lowest|most|least)[- ](?:paid|paying))\b|"
    r"^why (?:is|are|was|were|does|do|did) .{2,60}\b(?:such|so) (?:a |an )?(?!many\b|much\b|few\b|often\b|far\b|long\b)\w+|"
    r"\beveryone knows\b|\bit'?s obvious\b|\bthe best (?:career|job|field|industry) (?:ever|there is)\b",
    re.I,
)
_YOUR_ORG = (
    r"(?:your|the) (?:\w+ )?(?:team|company|firm|office|department|hospital|clinic|school|district|agency|"
    r"organi[sz]ation|group|practice|unit|lab|startup|business|employer|org|store|branch|shop)"
)
_JOB = re.compile(
    r"\b(?:are|is) (?:you|your \w+|you guys|y'all|they|the team|your team|your company|your firm) "
    r"(?:currently |still |now |even |ever )?(?:hiring|recruiting)\b|"
    r"\b(?:are|is) (?:you(?: guys)?|y'all|your \w+) (?:currently |still |now |ever )?(?:taking(?: on)?|accepting|looking for|bringing on|"
    r"onboarding) (?:any |new |more |summer |junior |entry-level )*(?:interns?|applicants|applications|candidates|"
    r"new grads?|grads|graduates|hires|people|staff|employees|volunteers|associates|juniors|resumes)\b|"
    rf"\b(?:openings?|vacanc(?:y|ies)|open (?:positions?|roles?|reqs?|jobs?|spots?)|job postings?|positions? open)\b"
    rf".*(?:{_YOUR_ORG}|\byou guys\b|\by'all\b|\b(?:at|on|with) (?:your|you)\b(?! experience| opinion| view))|"
    rf"(?:{_YOUR_ORG}|\byou guys\b|\by'all\b|\byou (?:have|got|know of)\b).*"
    rf"\b(?:openings?|vacanc(?:y|ies)|open (?:positions?|roles?|reqs?|spots?))\b|"
    r"\b(?:any|open) (?:job )?(?:openings|open positions|positions|vacancies|roles|jobs|internships?|spots) "
    rf"(?:at|on|in|with|for) {_YOUR_ORG}\b|"
    r"\brefer (?:me|my \w+)\b(?! to\b)|\brefer (?:me|my \w+) to (?:your|the|a|an) (?:\w+ )?(?:recruiters?|hiring|hr|"
    r"manager|position|opening|role|job|team|company|firm|internship)\b|"
    r"\b(?:a|your|any) referral\b|\bput in a (?:good )?word\b|\bvouch for\b|"
    r"\brecommend me (?:for|to (?:your|the) (?:recruiter|hiring|team|manager|hr|boss))\b|"
    r"\b(?:pass|send|forward|share|give|hand|submit|get) (?:along |on )?(?:you|them|him|her) my (?:resume|cv|résumé|application)\b|"
    r"\b(?:pass|forward|hand) (?:along |on )?my (?:resume|cv|résumé|application)\b|"
    r"\bmy (?:resume|cv|résumé|application) (?:to|along|on to|on)\b|"
    r"\b(?:give|get|offer|find|land|set) me (?:up )?(?:with )?(?:a|an) (?:job|internship|interview|position|role|offer)\b|"
    r"\bhire me\b|"
    rf"{_YOUR_ORG}\b.*\b(?:i|me) (?:could|can|might|should|would) apply\b|"
    r"\b(?:your|you guys) (?:\w+ )?(?:have|has|offer|offers|run|runs) (?:any )?(?:\w+ )?(?:internships?|openings?|jobs|"
    r"positions|vacancies|open roles)\b|\b(?:hir(?:e|ing)|consider(?:ing)?|interview(?:ing)?) (?:me|someone like me|people like me)\b|"
    r"\b(?:jobs?|positions?|roles?|openings?|internships?|spots?|vacanc(?:y|ies)) (?:available|open|opening up) (?:at|on|in|with) (?:your|you)\b|"
    r"\bapply\b.{0,30}\b(?:at|with|to|on|for) (?:your|you)\b(?! experience| field| industry| profession| line)|\b(?:to|with|meet|introduce me to|connect me with) (?:your|the) (?:hiring manager|recruiters?|hr)\b|(?<!your )(?<!first )(?<!current )(?<!previous )(?<!last )(?<!own )(?<!my )\b(?:job|position|role|internship|opening|spot) (?:at|with) your\b|"
    r"(?<!you )(?<!they )\b(?:get|getting|be|being) (?:hired|a job|an internship|an interview|my foot in the door|an offer|considered) "
    rf"(?:at|with|on|by|in) (?:your|you|{_YOUR_ORG})\b|"
    r"\b(?:to|i|me) (?:come )?(?:work|intern)(?:ing)? (?:for|with|under) you\b|"
    r"\b(?:you|your \w+|you guys|they) (?:are|is|'re|'s) (?:currently |still |now )?(?:hiring|recruiting)\b|"
    r"\b(?:recruiting|hiring|recruitment) (?:at|for|on|in) your\b|\breach out (?:to \w+ )?about (?:jobs|openings|positions|roles|"
    r"internships|a job|an opening|a position|a role|an internship)\b|"
    r"\b(?:pass|send|forward|give|share|put) (?:along |on )?my (?:name|information|info|details|portfolio)\b.*"
    r"\b(?:opening|position|role|job|hiring|recruiter|hr|internship)\b|\bjoin your (?:team|company|firm|practice|group|unit|agency)\b|"
    r"\bhelp me (?:get|land|find|secure) (?:a|an|the) (?:job|internship|position|role|interview)\b|"
    r"\binterview (?:me|with you|at your)\b|"
    r"(?<!your )(?<!first )(?<!current )(?<!previous )(?<!last )(?<!own )(?<!my )(?<!you get )(?<!you got )"
    r"(?<!you land )(?<!you landed )\b(?:hired|foot in the door|jobs|internships|interviews|positions|openings|"
    r"an? (?:job|role|offer|internship|interview|opening|position)) "
    r"(?:here |there )?(?:at|with) (?:your|you)\b(?! experience| opinion| view| field| industry| profession| career| line| area| own)|\b(?:an|the) interview (?:at|with) your\b|"
    r"\b(?:apply|applying|applied) (?:to|at|for|with) (?:your|a position at your|a job at your|a role at your|you)\b|"
    r"\bi'?d (?:really |also |very much )?(?:love|like) to (?:apply|work|intern) (?:at|for|with|on|there|here) "
    r"(?:your|you|there|here)?|\bi'?d (?:really |also )?(?:love|like) to apply\b|"
    r"\b(?:hiring|interview|application|recruiting|recruitment|onboarding) process (?:at|for|with|in|on) "
    r"(?:your|you)\b|\bhiring process (?:is )?like (?:at|with|on|in) (?:your|you)\b|"
    r"\b(?:any|a) (?:chance|way) (?:i|of|for me to) .{0,30}\b(?:job|internship|position|role|hired)\b|"
    r"\bintroduce me to (?:your|the|a) (?:recruiter|hiring|hr)\b|"
    r"\bhow (?:do|can|could|would|should) i get (?:a job|hired|an internship|an interview|in) (?:at|with) (?:your|you)\b|"
    r"\bsend (?:you )?my (?:resume|cv|application) (?:to|over)\b",
    re.I,
)
# Facts about a company or a textbook definition: a web search answers them, and they name no topic.
_GOOGLE_FACT = re.compile(
    r"\bwhen (?:was|did|were) (?:your|the|\w+'s) (?:company|firm|organi[sz]ation|hospital|agency|school|business|district|"
    r"startup|clinic|practice|brand) (?:first )?(?:founded|started|established|created|begin|start|open|opened|launched)\b|"
    r"\bwhen (?:was|did) \w+ (?:founded|established|start|go public|launch)\b|"
    r"\bwhat (?:industry|sector|market|business) (?:is|are) (?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|employer|"
    r"startup|business) in\b|"
    r"\b(?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|business|startup|nonprofit|non-profit|hospital|practice|clinic)\b"
    r".*\b(?:founded|established|incorporated|went public|go public)\b|"
    r"\bwhere (?:is|are) (?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|business|startup|offices?)\b.*"
    r"\b(?:headquartered|based|located)\b|\bwhere (?:is|are) (?:your|the|\w+'s) (?:headquarters|hq|head office|main office)\b|"
    r"\bwhere (?:is|are) \w+ (?:headquartered|based)\b|"
    r"\bhow many (?:employees|people|staff|workers|offices|locations|stores|branches|clients|customers) "
    r"(?:does|do|are|work|are there|is)\b(?!.*\byou\b).*\b(?:company|firm|organi[sz]ation|agency|there|it have|\w+ have)\b|"
    r"\bhow many (?:employees|offices|locations|stores|branches)\b(?!.*\byou\b)|"
    r"\bhow many (?:people|employees|staff|workers) (?:does|do) (?!you\b)\w+(?: \w+)? (?:employ|have|hire)\b|"
    r"\bwho (?:founded|started|owns|runs|created|established|leads) (?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|"
    r"business|startup|practice|clinic)\b|"
    r"\bhow (?:big|large|old) is (?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|business|startup)\b|"
    r"\bwho (?:is|was|are|were) (?:the|your|\w+'s) (?:ceo|founders?|president|chair|chairman|owner|cfo|cto|coo|competitors)\b|"
    r"\bwhat (?:exactly |actually |really )?(?:does|do)? ?(?:your|the|\w+'s) (?:company|firm|organi[sz]ation|agency|business|"
    r"startup|employer|nonprofit|non-profit|charity|foundation)(?:'s)? "
    r"(?:actually |really |exactly |even )?(?:(?:do|does)(?: exactly| actually| these days| now| again)?$|sell|sells|make|makes|build|builds|"
    r"offer|offers|produce|produces|provide|provides)\b|"
    r"\bwhat (?:products|services|software|apps|brands) (?:does|do) (?!you\b)\w+(?: \w+)? (?:make|sell|offer|build|produce|provide|have)\b|"
    r"\bwhat(?: is| was|'s) (?:your|the) (?:company|firm|organi[sz]ation|agency|nonprofit|non-profit|charity|foundation)'?s? "
    r"(?:mission|revenue|size|history|headcount|mission statement)\b|"
    r"\bwhat(?: is| was|'s) the (?:mission|mission statement|history|revenue|size|headcount) of (?:your|the|\w+'s) (?:company|firm|"
    r"organi[sz]ation|agency|nonprofit|non-profit|charity|foundation|business|startup)\b|"
    r"\b(?:stock price|market cap|ticker symbol|publicly traded|annual revenue)\b|"
    r"\b(?:your|the|\w+'s) (?:company's |firm's |organi[sz]ation's )?(?:main |biggest |top |largest |key )?competitors\b|"
    r"\bwhat does (?:\w+ ){0,2}(?:stand for)\b|\bwhat(?:'s| is) the (?:definition|meaning) of\b|^(?:please )?define\b|"
    r"\bwhat(?:'s| is| are) the differences? between\b(?!.*\b(?:good|great|average|successful|best|strong|weak|"
    r"mediocre|excellent|okay|ok|bad|you|your)\b)",
    re.I,
)
# Published statistics, requirements and reports: a search answers them, but they keep their topic.
_GOOGLE_STAT = re.compile(
    r"\b(?:median|average|mean) (?:annual |hourly |national |starting )?(?:salary|salaries|pay|wage|wages|income|earnings)\b|"
    r"\bjob (?:outlook|growth rate)\b|\bhow fast is (?:the )?(?:field|industry|occupation|job market) growing\b|"
    r"\bwhat percentage of\b|\bbureau of labor statistics\b|\bbls\b|\bo\*?net\b|\boccupational outlook\b|"
    r"\b(?:projected|expected|forecast|predicted)\b.{0,20}\bgrowth\b|\bgrowth rate\b|"
    r"\b(?:salary|pay) (?:guide|survey|report)\b|\bcensus\b|\bpass(?:ing)? (?:rate|score|mark)s?\b|"
    r"\bhow much (?:does|do|is|are) (?:the |a |an )?(?:[\w-]+ ){0,3}(?:exam|test|license|licence|certification|certificate|"
    r"course|program|programme|degree|tuition|application|credential|bootcamp)s? (?:cost|costs|fee|fees)\b|"
    r"\bwhat (?:does|do|did) (?:the )?(?:government|data|statistics|report|survey|handbook|website|internet|google|glassdoor|"
    r"indeed|law|regulation|\w+ (?:report|survey|guide|website)) say\b|"
    r"\bhow many (?:\w+ ){0,2}(?:are there|work) (?:in|across) (?:the )?(?:us|u\.s\.|united states|country|america|world|state|uk|canada)\b|"
    r"^how many (?:[\w-]+ ){1,3}(?:are|were|is) (?:there )?(?:in|across|within) (?!(?:your|a typical|an average|a given|each|every|my)\b)|"
    r"\bwhat (?:are|is) the (?:official |formal |minimum |basic |state |legal |educational |licensing )?(?:requirements?|"
    r"prerequisites?|eligibility (?:criteria|requirements)|pass(?:ing)? (?:rate|score)|fees?|deadlines?) (?:for|to|of) "
    r"(?:[\w-]+ ){0,4}?(?:licen[sc]|certif|credential|degree|admission|exam|visa|program|becom|get licensed|practi[cs]e|"
    r"apply|application|enrol|registration|board)|"
    r"\b(?:legal |capital |minimum |licensing |educational |official )?requirements? (?:for|to) (?:open|opening|start|starting|"
    r"become|becoming|get|getting|practi[cs]e|practi[cs]ing|register|registering)\b",
    re.I,
)
# "What degree do you need to become a pharmacist?": generic "you", a published requirement.
_PUBLISHED_REQUIREMENT = re.compile(
    r"^what (?:degree|degrees|license|licence|licenses|certifications?|qualifications?|credentials?|exams?|education) "
    r"(?:do|does) (?:you|one|someone|a person|i|people) (?:need|have) to (?:have |get |take |pass )?(?:to )?"
    r"(?:become|be|work as|practi[cs]e|get licensed)\b",
    re.I,
)
_WHAT_DOES_ROLE_DO = re.compile(r"^what (?:does|do) (?:a|an) [a-z -]{2,40} (?:do|does)\??$", re.I)
_DEFINITION = re.compile(
    r"^what(?:'s| is| are) (?:a |an |the )?(?P<thing>[a-z0-9 .&/+-]{2,40}?)(?: exactly| anyway| again| actually)?\??$",
    re.I,
)
_NOT_DEFINITION = re.compile(
    r"\b(?:like|best|worst|hardest|easiest|favorite|favourite|most|least|typical|next|biggest|it|that|this|these|those|"
    r"pros|cons|upsides?|downsides?|benefits?|advantages?|disadvantages?|deal|catch|point|secret|key|trick|reality|"
    r"truth|plan|future|story|process|culture|vibe|goal|mission|schedule|day|week|of|about|for|in|at|on|with|to|from|"
    r"between|there|here|going|happening|new|up|next|left|involved|needed|required|expected|main|key|major|common|usual|"
    r"general|different|other|first|real|actual|job|role|work|career|field|industry|team|company|plan|hours|"
    r"responsibilities|duties|pay|salary|benefits|problem|issue|question|answer|difference|situation|good|bad|realistic|"
    r"reasonable|fair|normal|great|ideal|right|wrong|hard|easy|workload|commute|turnover|dress code|hierarchy)\b",
    re.I,
)
_PERSONAL = re.compile(
    r"\b(?:you|your|you've|you're|you'd|yourself|in your experience|you have seen|i should|for me|i|my|we|our)\b", re.I
)
_EXPERIENCE = re.compile(
    r"\b(?:in your experience|you've seen|you have seen|you've noticed|where you(?:'ve)? work(?:ed)?|at your (?:level|stage)|"
    r"from what you|you personally|your own|around here|in your area|in your region|in your city)\b",
    re.I,
)
_GREETING_ONLY = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks?(?: you)?(?: so much| very much| again)?|"
    r"nice to meet you|great|cool|ok(?:ay)?|bye|goodbye|see you|cheers)[\s!.,a-z]*$",
    re.I,
)

# A second clause that asks a second question: "..., and what do you wish you had known?"
_CLAUSE_START = re.compile(
    rf",?\s+(?:and|or|but|plus|also)\s+(?:also\s+)?(?:then\s+)?(?=(?:{_WH})\b(?!(?: not| so)?\s*[?.!]*$)|"
    rf"(?:tell|describe|explain|share|walk|talk|give)\s+(?:me|us)\b|(?:{_AUX})\s+(?:you|it|there|they|i|that|this|your|the)\b)",
    re.I,
)
_VERB_PAIR = re.compile(
    r"\byou (?:like|love|enjoy|miss|find) (?:most )?(?:and|or) (?:dislike|hate|don't like|not like|least|like least)\b|"
    r"\b(?:like|love|enjoy) (?:the )?most (?:and|or) (?:least|the least)\b",
    re.I,
)

# --------------------------------------------------------------------------- vague

# A broad frame ("What's X like?", "Tell me about X") whose slot names no aspect of the work.
_VAGUE_FRAMES = [
    re.compile(p, re.I)
    for p in (
        r"^(?:(?:can|could|would|will) you )?(?:please )?(?:tell me|talk|speak|say something)(?: to me)? "
        r"(?:a (?:little|bit|little bit) |a bit |more |briefly )*(?:about )?(?P<slot>.+)$",
        r"^(?:please )?talk (?:to me |with me )?about (?P<slot>.+)$",
        r"^what(?:'s| is| was| are| were) (?P<slot>.+?) (?:really |actually |honestly )?like"
        r"(?: these days| nowadays| right now| now| overall| in general| for you)?$",
        r"^what(?:'s| is) it (?:really |actually )?like (?:to work|working|being|to be)(?: (?:in|at|as|for|on|with))? (?P<slot>.+)$",
        r"^how(?:'s| is| are| was| has| have) (?P<slot>.+?)(?: (?:going|been|doing|these days|lately|overall|so far|treating you|in general))*$",
        r"^what(?:'s| is) (?:the (?:deal|story|scoop|thing)|up|going on|happening|new) (?:with|on|about|in) (?P<slot>.+)$",
        r"^how (?:do|did) you (?:like|feel about) (?P<slot>.+)$",
        r"^what(?:'s| is| are) (?P<slot>.+?) (?:all |really |actually )?about$",
        r"^what (?:do|can) you (?:think|say|tell me) (?:about|of) (?P<slot>.+)$",
        r"^what(?:'s| is| are) your (?:take|thoughts?|opinion|views?|perspective|impressions?|feelings?) (?:on|of|about) (?P<slot>.+)$",
        r"^(?:what|anything) (?:else )?(?:can you tell me|should i know|do i need to know|should i be aware of|"
        r"(?:would|do) you (?:want|like) me to know)(?: about (?P<slot>.+))?$",
        r"^(?:any|anything|something) (?:else |other |more |final |last )?(?:thoughts|ideas|comments|insights|interesting|to add|"
        r"interesting to (?:share|add|tell)|to share|i should know|"
        r"you (?:want|would like|'d like) to (?:share|add))$",
        r"^what (?:do|does|did) (?:you|people) do$",
        r"^what do you think$",
        r"^what(?:'s| is) (?:good|new|up|going on)$",
    )
]
_VAGUE_YES_NO = re.compile(
    r"^(?:is|was|are) (?:it|that|this|the job|the work|your job|your work|the field|the industry) "
    r"(?:really |actually |pretty |very )?(?:good|bad|fun|nice|ok|okay|great|cool|fine|interesting|worth it|enjoyable|"
    r"awesome|amazing|terrible|any good)$|"
    r"^(?:do|did) you (?:like|enjoy|love|hate|dislike) (?:it|that|this|your job|the job|your work|the work|what you do|"
    r"your career|the field|the industry)(?: so far)?$",
    re.I,
)
_WHOLE = re.compile(
    r"^(?:(?:the|your|this|that|my|a|an|our) )?(?:it|that|this|things?|everything|anything|stuff|yourself|life|"
    r"job|work|career|role|field|industry|company|firm|agency|organi[sz]ation|profession|experience|position|"
    r"business|area|sector|space|line of work|occupation|world|what you do|you|all|it all)"
    r"(?: (?:in|of|at) (?:the |your |this )?(?:field|industry|job|work|company|general|there|it))?$|"
    r"^(?:everything|anything|things|stuff)\b|^all(?: of it| that| of that)?$|"
    r"^(?:the |your )?(?:life|job|work|career|role) (?:as|of) (?:a|an) [\w -]+$",
    re.I,
)
_SLOT_HEDGE = re.compile(
    r"\b(?:in general|generally|overall|exactly|as a (?:career|field|job|profession)|right now|these days|nowadays|"
    r"for you|there|here|really|actually|honestly|basically|so far|anyway|please)\b",
    re.I,
)
_ASPECT_WORDS = re.compile(
    r"\b(?:team|teams|manager|boss|clients?|patients?|customers?|students?|part|side|aspect|parts|sides|aspects|first|"
    r"typical|hardest|best|worst|favorite|favourite|biggest)\b",
    re.I,
)


def _slot_is_vague(slot: str | None) -> bool:
    if slot is None:
        return True
    s = _SLOT_HEDGE.sub(" ", slot.lower())
    s = re.sub(r"[^\w' -]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if not s:
        return True
    if _WHOLE.match(s):
        return True
    if len(s.split()) > 3 or _ASPECT_WORDS.search(s):
        return False
    return _topic_scores(s)[0] < 1.5


def _is_vague(ask: str) -> bool:
    s = ask.lower().strip().rstrip("?.! ").strip()
    if _VAGUE_YES_NO.match(s):
        return True
    for frame in _VAGUE_FRAMES:
        m = frame.match(s)
        if m:
            slot = m.groupdict().get("slot")
            if _slot_is_vague(slot):
                return True
    return False


def _is_yes_no_form(ask: str) -> bool:
    s = ask.lower()
    if _EMBEDDED_YES_NO.match(s):
        return True
    if _OPEN_REQUEST.search(s):
        return False
    return bool(re.match(rf"^(?:(?:{_AUX})\b|(?:{_NEG_AUX})\s)", s))


def _flag_closed(ask: str) -> bool:
    """Fully answerable with yes/no, or with one word or number."""
    s = ask.lower().strip()
    if re.search(r"\b(?:and|or) (?:why|how)(?: not| so)?\s*[?.!]*$", s):
        return False  # "Did you ever consider leaving, and why?" asks for the reason
    if _is_yes_no_form(s):
        return True
    if _OPEN_REQUEST.search(s) or _IMPERATIVE.match(s) or _INDIRECT.search(s):
        return False
    if _CLOSED_WH.match(s):
        return True
    if re.match(rf"^(?:{_WH})\b|^(?:any|anything|anyone|anybody|something|someone|other|what about|how about)\b", s):
        return False
    # A statement with a question mark ("Surely the pay makes up for it?", "You like it, right?") asks for a yes.
    return s.endswith("?") and len(re.findall(r"\b[a-z]{2,}\b", s)) >= 2


def _is_googleable(ask: str) -> tuple[bool, bool]:
    """(googleable, names no topic) for one ask."""
    s = ask.lower().rstrip("?. ")
    if _EXPERIENCE.search(s):
        return False, False
    if _GOOGLE_FACT.search(s):
        return True, True
    if _GOOGLE_STAT.search(s) and not re.search(r"\b(?:you|your|you've|you're)\b", s):
        return True, False
    if _PUBLISHED_REQUIREMENT.search(s):
        return True, False
    if _WHAT_DOES_ROLE_DO.match(s + "?") and not _PERSONAL.search(s):
        return True, True
    if re.match(
        r"^what does (?!(?:that|this|it|he|she|they|you|your)\b)(?:[\w-]+ ){1,2}mean$", s
    ) and not _PERSONAL.search(s):
        return True, True
    m = _DEFINITION.match(s)
    if m and not _PERSONAL.search(s) and not _NOT_DEFINITION.search(m.group("thing")):
        thing = m.group("thing")
        if len(thing.split()) <= 4 and (
            not s.startswith(("what is the", "what's the")) or _topic_scores(thing)[0] < 1.5
        ):
            return True, True
    return False, False


# --------------------------------------------------------------------------- topic

_TOPIC_KEYWORDS: dict[str, list[tuple[str, float]]] = {
    "typical_day": [
        (r"typical (?:day|week|workday|shift)", 3),
        (r"day[- ]to[- ]day", 3),
        (r"\bweek[- ]to[- ]week\b", 3),
        (r"\bwhat does (?:that|this|it) look like\b", 1.5),
        (r"\bdaily\b", 2),
        (r"\ba day in\b", 3),
        (
            r"\b(?:average|normal|usual|regular|ordinary|given|busy|slow|good|bad|long|quiet|hectic) (?:day|week|shift|morning|workday)\b",
            3,
        ),
        (r"\bschedules?\b", 2),
        (r"\bhours\b", 1.5),
        (r"\broutines?\b", 2),
        (r"spend (?:most of )?your (?:time|day|days)", 2),
        (r"\bresponsibilit", 2),
        (r"\btasks?\b", 1.5),
        (r"\bshifts?\b", 1.5),
        (r"\bmornings?\b", 1),
        (r"\bwhat do you (?:actually )?do (?:all day|at work|each day|every day|day)", 3),
        (r"\bworkload\b", 1.5),
        (r"\bon the job\b", 1),
        (r"\b(?:day|week|shift|morning) looks? like\b", 3),
        (r"\bmeetings\b", 1),
        (r"\bwhat (?:does|do) (?:your|the) (?:job|role|work) (?:involve|entail|look like)\b", 3),
        (r"\byour (?:day|days|week|weeks|workday|workweek|shift|shifts|mornings?|afternoons?)\b", 2.5),
        (r"\b(?:structure|plan|organi[sz]e|spend|split|divide) (?:your|the|a) (?:day|time|week)\b", 2),
        (r"\byesterday\b", 2.5),
        (r"\b(?:monday|tuesday|wednesday|thursday|friday|weekday)s?\b", 2),
        (r"\bweekends?\b", 2),
        (r"\bdesks?\b", 1.5),
        (r"\b(?:kinds?|types?|sorts?) of (?:projects|tasks|work|cases|clients|patients|assignments|problems)\b", 2.5),
        (r"\btravel\b", 1.5),
        (r"\bwhat time\b", 1.5),
        (r"\b(?:start|finish|end|begin) (?:work|your day|the day|your shift|the shift)\b", 2),
        (r"\b(?:nights?|overtime|on call|on-call|holidays)\b", 1),
        (r"\b(?:in|per|a|each|every) (?:day|week|shift)\b", 2),
        (r"\btime (?:splits?|is split|divided)\b", 2),
        (r"\b(?:get|got|arrive|arrived) (?:to|at) (?:work|the office|the clinic|the hospital|the site|school)\b", 2),
        (r"\buntil you (?:leave|left|go home|head home|clock out)\b", 2),
        (r"\bhour to hour\b", 2.5),
        (r"\bwhat (?:does|did) .{0,40} (?:involve|entail)\b", 1.5),
        (r"\blooks? like for you\b", 1.5),
    ],
    "career_path": [
        (r"\bget(?:ting)? started\b", 3),
        (r"\bgot started\b", 3),
        (r"\bget into\b", 2),
        (r"\bgot into\b", 3),
        (r"\bcareer paths?\b", 3),
        (r"\bpaths?\b", 1.5),
        (r"\bbackground\b", 2),
        (r"\bdegree\b", 2),
        (r"\bmajor(?:ed|ing)?\b", 2),
        (r"\bstud(?:y|ied)\b", 1.5),
        (r"\bschool\b", 1),
        (r"\beducation\b", 2),
        (r"\bmaster'?s\b", 2),
        (
            r"\bhow did you (?:become|end up|get|land|decide|choose|transition|switch|move|break|know|first|make|start|begin|go)\b",
            3,
        ),
        (r"\bhow did you\b", 1),
        (r"\bhow long have you been\b", 3),
        (r"\btransition(?:ed)?\b", 2),
        (r"\bswitch(?:ed)? careers?\b", 3),
        (r"\bpromot", 2),
        (r"\bhas your (?:role|job|work|career|position|responsibilities) (?:changed|evolved|grown)\b", 2.5),
        (r"\b(?:came|come|coming) (?:from|into)\b", 2),
        (r"\bcareers\b", 1),
        (r"\bhow many (?:different )?(?:roles|jobs|positions|employers|companies|careers)\b", 2.5),
        (r"\bjourney\b", 2),
        (r"\broute\b", 1.5),
        (r"\bwhy did you (?:choose|pick|go into|decide|become|get|leave|switch|move)\b", 3),
        (r"\bstart(?:ed)? (?:your|out)\b", 2),
        (r"\bcareer change\b", 2),
        (r"\bbootcamp\b", 1.5),
        (r"\bcollege\b", 1),
        (r"\bphd\b", 1.5),
        (r"\bprogress(?:ed)?\b", 1),
        (r"\bbecome a\b", 1.5),
        (r"\bentry[- ]level\b", 0.5),
        (r"\blicens", 1),
        (r"\bcertified\b", 0.5),
        (r"\bend up\b", 2),
        (r"\bwhere did you\b", 1),
        (r"\bearly (?:in your )?career\b", 2),
        (r"\bmov(?:e|ed|ing) (?:up|into|over)\b", 1.5),
        (r"\b(?:make|made|making) the (?:jump|leap|switch|move|shift|change|transition|pivot)\b", 3),
        (r"\bpivot", 2),
        (r"\bwhat (?:made|led|drew|inspired|motivated|brought|got|pushed|prompted) you (?:to|into|towards?)?\b", 3),
        (r"\b(?:led|drew|brought) you (?:to|into)\b", 3),
        (r"\bturning points?\b", 3),
        (r"\blooking back\b", 1),
        (r"\byour (?:\w+ )?career\b", 1),
        (r"\b(?:choose|chose|choosing|picked)\b", 1.5),
        (r"\bleav(?:e|ing)\b", 1.5),
        (r"\bconsider(?:ed)? (?:leaving|switching|quitting|changing)\b", 2.5),
        (r"\b(?:hard|difficult|easy|tough|competitive) (?:was it |is it )?to get (?:in|into|accepted|admitted)\b", 3),
        (r"\bget (?:in|accepted|admitted)\b", 1.5),
        (r"\bwhat role did\b", 2),
        (r"\bfirst (?:year|role|position)\b", 1),
        (r"\binternships?\b", 1.5),
        (r"\b(?:previous|prior|earlier|last) (?:job|role|career)\b", 2),
        (r"\b(?:move[ds]?|moving|switch(?:ed|ing)?|went|going|transitioned|pivoted|jumped|came) (?:over )?from\b", 2),
        (r"\bswitch(?:ed|ing)?\b", 1),
        (r"\bhave you always\b", 2),
        (r"\balways (?:work|worked|been|want|wanted|plan|planned|know|knew)\b", 1.5),
        (r"\bwant(?:ed)? to be(?:come)? (?:a|an)\b", 2),
        (r"\bfirst (?:few |couple of |two |three )?jobs?\b", 3),
        (r"\bafter (?:college|school|graduating|graduation|university)\b", 2),
        (r"\bgraduat(?:e|ed|ing|ion)\b", 2),
        (r"\bquit(?:s|ting)?\b", 1.5),
        (r"\bhow (?:many years|long) did it take (?:you )?to\b", 3),
        (r"\bwhen you (?:started|began|first)\b", 2),
    ],
    "skills": [
        (r"\bski?l+s?\b", 3),
        (r"\bqualit(?:y|ies)\b", 2.5),
        (r"\btraits?\b", 2.5),
        (r"\bstrengths?\b", 2),
        (r"\btools?\b", 3),
        (r"\bsoftware\b", 1),
        (r"\bprogramming\b", 1.5),
        (r"\blanguages?\b", 1.5),
        (r"\bsucce(?:ed|ss|ssful)\b", 2),
        (r"\bexcel\b", 2),
        (r"\bwhat makes (?:someone|a person|a|an|people)\b", 2.5),
        (r"\bsoft skills\b", 3),
        (r"\btechnical\b", 1.5),
        (r"\bcompeten", 2),
        (r"\bknow how to\b", 1),
        (r"\btech stack\b", 2),
        (r"\bexpertise\b", 1.5),
        (r"\babilit(?:y|ies)\b", 1.5),
        (r"\bstrong (?:candidate|\w+er)\b", 1),
        (r"\bthrive\b", 2),
        (r"\b(?:separates?|distinguish(?:es)?|sets? (?:\w+ )?apart|differentiates?)\b", 2.5),
        (
            r"\b(?:great|good|successful|top|strong|effective|excellent|exceptional) (?:\w+ ){0,2}(?:from|vs\.?|versus) (?:an? )?(?:average|mediocre|okay|ok|bad|weak|good)\b",
            2,
        ),
        (r"\bcreativ(?:e|ity)\b", 2),
        (
            r"\b(?:communication|empathy|patience|attention to detail|detail[- ]oriented|"
            r"personality|mindset|attitude|temperament|resilience|organi[sz]ation(?:al)? skills|critical thinking|"
            r"problem[- ]solving|curiosity)\b",
            2,
        ),
        (r"\b(?:do|did) you (?:use|rely on)\b", 1.5),
        (r"\bneeds? (?:most|to know|to learn)\b", 1.5),
        (r"\b(?:learn|pick up|master|develop|build) (?:the )?(?:\w+ )?(?:skills?|tools?|languages?)\b", 1),
        (r"\bwhat (?:does it|do you) take to\b", 2),
        (r"\bwhat (?:kind|type|sort)s? of (?:person|people|personality|personalities|someone|candidate)\b", 3),
        (r"\b(?:does|do) (?:well|best)\b", 2),
        (r"\bhabits?\b", 2.5),
        (r"\bimprov(?:e|es|ing)\b", 1.5),
        (r"\b(?:get|getting) better\b|\bgrow as\b", 2),
        (
            r"\b(?:employers|hiring managers|recruiters|managers|firms|companies) (?:value|look for|want|expect|prioriti[sz]e)\b",
            2.5,
        ),
        (r"\bbehaviou?rs?\b", 2),
        (r"\bhave in common\b", 2),
        (r"\blook for\b", 2),
        (r"\b(?:better|best|good|great|stronger) at\b", 2),
        (r"\bcommunicat(?:e|es|ion|ing)\b", 1.5),
        (
            r"\bdifference between (?:an? |the )?(?:good|great|average|successful|strong|weak|excellent|mediocre|top)\b",
            3,
        ),
    ],
    "challenges": [
        (r"\bchalleng", 3),
        (r"\bhard(?:est)?\b", 2),
        (r"\bdifficult", 2.5),
        (r"\bstruggl", 2.5),
        (r"\bfrustrat", 2.5),
        (r"\bstress", 2.5),
        (r"\bdownsides?\b", 3),
        (r"\bcons\b", 2),
        (r"\bworst\b", 2.5),
        (r"\bdislike\b", 2.5),
        (r"\bleast (?:favou?rite|enjoy|like)", 2.5),
        (r"\bobstacles?\b", 2.5),
        (r"\bburn(?:ing)? ?out\b", 2.5),
        (r"\btough(?:est)?\b", 2),
        (r"\bproblems?\b", 1.5),
        (r"\bpain points?\b", 2.5),
        (r"\bdrawbacks?\b", 3),
        (r"\bannoy", 2),
        (r"\bsetbacks?\b", 2),
        (r"\bmistakes?\b", 1),
        (r"\bdeal with\b", 1),
        (r"\bcope\b", 1.5),
        (r"\bpressure\b", 2),
        (r"\bburden\b", 1.5),
        (r"\b(?:draining|exhausting|tiring|taxing|tedious|grind|grueling|gruelling|overwhelming|demanding)\b", 2.5),
        (r"\bhate\b", 2),
        (r"\bwhat (?:keeps|kept) you up\b", 2.5),
        (r"\bthe catch\b", 2),
        (r"\bunpleasant\b", 2),
        (r"\bburn(?:ed|t) out\b", 2.5),
        (r"\b(?:boring|thankless|monotonous|repetitive|unrewarding|brutal|unbearable)\b", 2),
        (r"\bbureaucra|\bred tape\b", 2),
        (r"\bget (?:you )?through\b", 2),
        (r"\bdisagree(?:ments?)?\b", 2),
        (r"\bhandle\b", 1),
        (r"\bworr(?:y|ied|ies)\b", 2),
        (r"\bjob security\b", 2),
        (r"\bconflicts?\b", 1.5),
        (r"\bangry|difficult (?:clients|patients|customers)\b", 1),
    ],
    "industry_trends": [
        (r"\btrends?\b", 3),
        (r"\bfuture\b", 2.5),
        (r"\bchang(?:e|es|ing|ed)\b", 1.5),
        (r"\bevolv", 2.5),
        (r"\bai\b", 2),
        (r"\bautomation\b", 2.5),
        (r"\bautomat", 1.5),
        (r"\bartificial intelligence\b", 2.5),
        (r"\bchatgpt\b", 2),
        (r"\bnext (?:few|five|5|ten|10|couple|decade|several|\d+)\b", 2.5),
        (r"\boutlook\b", 2),
        (r"\bgrow(?:s|ing|th)?\b", 1.5),
        (r"\bdirection\b", 1.5),
        (r"\bemerging\b", 2.5),
        (r"\bnew technolog", 2),
        (r"\bdisrupt", 2.5),
        (r"\bheading\b", 2),
        (r"\bheaded\b", 2),
        (r"\bshift(?:ing)?\b", 1),
        (r"\bregulat", 1.5),
        (r"\bin (?:the )?coming years\b", 2.5),
        (r"\breplace\b", 1.5),
        (r"\bdemand\b", 1),
        (r"\bmarket\b", 0.5),
        (r"\bgenerative\b", 2),
        (r"\bremote\b", 0.5),
        (r"\bjob market\b", 1.5),
        (r"\bindustry (?:going|heading)\b", 3),
        (r"\badapt(?:ed|ing|s)?\b", 2.5),
        (r"\b(?:over|in|during) the (?:past|last) (?:few|several|couple|\d+|two|three|five|ten|decade)\b", 2.5),
        (r"\b(?:do|would) you (?:expect|predict|anticipate|foresee)\b", 2.5),
        (r"\bexpect\b", 1),
        (r"\b(?:where|how) (?:do|would) you see\b", 1.5),
        (r"\bgoing forward\b", 2),
        (r"\bin (?:five|ten|5|10|20) years\b", 2.5),
        (r"\bsocial media\b", 1),
        (r"\b(?:affect|affects|affecting|affected|impact|impacts|impacting|impacted|reshap\w*|transform\w*)\b", 2),
        (r"\b(?:are you|have you been) (?:seeing|noticing)\b", 2.5),
        (r"\btelehealth\b", 1.5),
        (r"\b(?:kill|wipe out|eliminate|obsolete|finished|dying)\b", 1.5),
        (r"\bsince (?:you started|then|the pandemic|covid)\b", 2),
        (r"\bnew (?:specialties|roles|areas|fields|tools|technologies)\b", 2),
    ],
    "advice": [
        (r"\badvice\b", 3),
        (r"\badvise\b", 3),
        (r"\btips?\b", 2.5),
        (
            r"\bwish (?:you|i)(?:'d| had| would have)? (?:knew|known|learned|learnt|been told|done|realized|understood)\b",
            3,
        ),
        (
            r"\b(?:you|i)(?:'d|'ll| would| will| could| might)?(?: have)? (?:do|done|did) (?:anything |things |it |something |much )?differently\b",
            3,
        ),
        (r"\bif you were (?:starting|me|in my|trying|just|new|a student|looking|entering|beginning|to start)\b", 3),
        (r"\bstarting (?:out|over) (?:today|now|again)\b", 2),
        (
            r"\bhow (?:should|can|could|do|would|might) (?:i|someone|a student|a beginner|people|a recent grad|a new grad|a career changer|"
            r"newcomers|students|beginners) (?:best )?(?:prepare|stand out|break in|get into|get started|start|position|improve|learn|become|"
            r"make|transition|switch|enter|move|approach|go about|succeed|build)\b",
            3,
        ),
        (
            r"\bwhat should (?:i|someone|a new grad|new grads|students|a student|beginners|people) (?:do|focus|study|learn|know|avoid|"
            r"prioriti[sz]e|take|try|look|expect|read|get)\b",
            3,
        ),
        (r"\bstand out\b", 2.5),
        (r"\bbreak(?:ing)? into\b", 2.5),
        (r"\bsuggest(?:ions?)? (?:for|to) (?:someone|me|people|a)\b", 2.5),
        (r"\bprepare\b", 1.5),
        (r"\bsomeone (?:like me|in my|new|starting|entering|trying|who)\b", 1.5),
        (r"\bshould i\b", 1.5),
        (r"^should i\b", 3),
        (
            r"\bwould you recommend (?:i|someone|that i|getting|doing|taking|going|pursuing|starting|studying|switching)\b",
            2.5,
        ),
        (r"\brecommend (?:for|to) (?:someone|me)\b", 1.5),
        (r"\bmy (?:position|situation|shoes)\b", 1.5),
        (r"\blessons?\b", 1.5),
        (r"\bavoid\b", 1),
        (r"\bfocus on\b", 1.5),
        (r"\bworth (?:it|getting|doing)\b", 1),
        (r"\bcareer changers?\b", 1),
        (
            r"\bwhat would you (?:tell|say to|recommend to|suggest to) (?:a|an|someone|me|people|students|your|new|young|anyone)\b",
            3,
        ),
        (
            r"\b(?:best|right|smartest|fastest) way to (?:prepare|get|break|start|learn|enter|become|land|stand|build)\b",
            2.5,
        ),
        (r"\benough to (?:get|land|become|break|start|be)\b", 3),
        (r"\bget(?:ting)? hired\b", 2),
        (
            r"\b(?:new grads?|students|beginners|newcomers|career changers|someone|people|i) (?:should|shouldn't|ought to|need to)\b",
            2.5,
        ),
        (r"\bwhat (?:experience|classes|courses|steps|skills) should\b", 2),
        (r"\bbefore (?:applying|i apply|starting)\b", 1.5),
        (r"\bif you (?:could|were to) (?:go back|start over|do it (?:all )?(?:again|over))\b", 3),
        (r"\b(?:tell|say to|advise) (?:yourself|your younger self)\b", 3),
        (r"\bwhat steps\b", 2),
        (r"\b(?:is it|would it be) (?:realistic|possible|feasible|too late|smart|wise|a good idea)\b", 2.5),
        (r"\btoo (?:old|late|young)\b", 2),
        (
            r"\b(?:necessary|required|needed|essential|enough) (?:to|for) (?:get|getting|break|breaking|become|becoming|start|land|enter)\b",
            2.5,
        ),
        (r"^(?:will|would|do|should|must) i (?:need|have to|be expected to)\b", 3),
        (
            r"\b(?:smarter|wiser|better|best) (?:for me |for someone )?to (?:just )?(?:skip|get|go|take|start|do|study|wait|apply|focus)\b",
            2.5,
        ),
        (r"\bmistakes?\b.{0,30}\b(?:make|avoid|making)\b", 2.5),
        (r"\bwhat would you recommend for (?:a|an|someone|me|people)\b", 2.5),
        (r"\b(?:recommendations?|suggestions?|ideas) (?:for|on) (?:\w+ing|how)\b", 2.5),
        (r"\bas a (?:new|first-year|junior|beginning)\b", 1.5),
    ],
    "resources": [
        (r"\bresources?\b", 3),
        (r"\bbooks?\b", 3),
        (r"\bcourses?\b", 2.5),
        (r"\bpodcasts?\b", 3),
        (r"\bwebsites?\b", 2.5),
        (r"\bblogs?\b", 2.5),
        (r"\bnewsletters?\b", 2.5),
        (r"\bcertificat(?:e|es|ion|ions)\b", 2.5),
        (r"\bread(?:ing)?\b", 1.5),
        (r"\blearn more\b", 2.5),
        (r"\bfurther learning\b", 3),
        (r"\bpublications?\b", 2.5),
        (r"\bjournals?\b", 2),
        (r"\bassociations?\b", 1.5),
        (r"\bclasses\b", 2),
        (r"\btutorials?\b", 2.5),
        (r"\bmaterials?\b", 1.5),
        (r"\bchannels?\b", 1.5),
        (r"\bkeep up\b", 1.5),
        (r"\bstay (?:current|up to date|informed)\b", 2),
        (r"\bself-stud", 2),
        (
            r"\bwhere (?:do|should|can|would|could) (?:you|i|people|someone|one|\w+s) (?:usually |typically )?(?:go|look|turn) (?:to|for)\b",
            2.5,
        ),
        (r"\blearn(?:ing)? (?:about|more)\b", 1.5),
        (r"\bresearch\b", 1),
        (r"\bstud(?:y|ying|ied) (?:for|from|with)\b", 1.5),
        (r"\bexams?\b", 0.5),
        (r"\buse[ds]? (?:\S+ ){1,3}to (?:study|learn|prepare|prep|practi[cs]e)\b", 3),
        (r"\bexam prep\b", 2),
        (r"\btraining (?:programs?|courses?|materials?)\b", 3),
        (r"\bprograms?\b", 1),
        (r"\bprepar(?:e|ed|ing) for (?:the|a|an|your) (?:[\w-]+ )?(?:exam|test|boards|licensing)\b", 2),
        (r"\b(?:online|free|paid) (?:courses?|programs?|classes|tutorials?|certificates?|resources?)\b", 1),
        (r"\byoutube\b", 2),
        (r"\bcoursera|udemy|edx|khan academy\b", 2.5),
    ],
    "networking": [
        (r"\bwho else\b", 3.5),
        (r"\banyone else\b", 3),
        (r"\bsomeone else\b", 3),
        (r"\btalk (?:to|with)\b", 1.5),
        (r"\bspeak (?:to|with)\b", 1.5),
        (r"\bconnect(?:ed)? (?:with|to)\b", 2.5),
        (r"\bintroduc", 2),
        (r"\bnetwork", 3),
        (r"\bevents?\b", 2),
        (r"\bmeetups?\b", 2.5),
        (r"\bconferences?\b", 2),
        (r"\bcommunit(?:y|ies)\b", 2),
        (r"\blinkedin\b", 2),
        (r"\b(?:keep|keeping|kept|stay|staying|stayed) (?:in touch|connected)\b", 3),
        (r"\breach(?:ing)? out\b", 2),
        (r"\bmentors?(?:ship)?\b", 2),
        (r"\bprofessional (?:groups?|organi[sz]ations?)\b", 2),
        (r"\bmeet(?:ing)? (?:people|professionals|others|each other|one another|new people)\b", 3),
        (r"\bwho (?:are|is) the (?:people|person|leaders|voices|names)\b", 2.5),
        (r"\bfollow(?:ing)?\b(?! up)", 1),
        (r"\bcontacts?\b", 1.5),
        (r"\brelationships?\b", 1.5),
        (r"\bfollow(?:ed|ing|s)? up\b", 2),
        (r"\brefer (?:me|us) to\b", 2.5),
        (r"\bgroups?\b", 1.5),
        (r"\bjoin\b", 2),
        (r"\balumni\b", 2.5),
        (r"\b(?:chat|talk|speak|meet) with (?:me|you|them|someone)\b", 2),
        (r"\bwilling to (?:chat|talk|speak|meet|connect)\b", 2.5),
        (r"\bsomeone (?:on|at|in) your (?:team|company|firm|office|unit)\b", 2),
        (r"\bapproach (?:alumni|people|professionals|someone|recruiters|them|contacts|strangers|others|senior)\b", 3),
        (r"\bcold (?:email|message|call|outreach)", 3),
        (r"\binformational interviews?\b", 2),
    ],
    "compensation": [
        (r"\bsalar(?:y|ies)\b", 3.5),
        (r"\bpay\b", 2.5),
        (r"\bpaid\b", 2.5),
        (r"\bearn", 3),
        (r"\bcompensation\b", 3.5),
        (r"\bmoney\b", 2),
        (r"\bwages?\b", 3),
        (r"\bincome\b", 2.5),
        (r"\bbenefits\b", 2),
        (r"\bbonus(?:es)?\b", 2.5),
        (r"\braises?\b", 1.5),
        (r"\bhow much (?:do|does|did|can|could|will|would) .{0,30}\bmake\b", 3.5),
        (r"\bsix figures\b", 3),
        (r"\bnegotiat", 3),
        (r"\bstarting (?:salary|pay)\b", 3),
        (r"\bpay range\b", 3),
        (r"\bequity\b", 1.5),
        (r"\bstock options\b", 1.5),
        (r"\b(?:best|worst|highest|lowest|better|well|under|over|poorly|badly)[- ]?(?:paid|paying)\b", 3),
        (r"\b(?:usually|typically|generally|normally|actually|realistically) (?:make|earn)\b", 3),
        (r"\bwhat (?:do|does|did|can|could) .{1,40}\b(?:make|earn)\b", 2),
        (r"\boffers?\b", 1),
        (r"\bpto\b|\bvacation\b", 1.5),
    ],
    "culture": [
        (r"\bculture\b", 3.5),
        (r"\benvironment\b", 2.5),
        (r"\bteams?\b", 1),
        (r"\bcolleagues\b", 2),
        (r"\bco-?workers\b", 2),
        (r"\bwork[- ]life balance\b", 3.5),
        (r"\bbalance\b", 2),
        (r"\bremote(?:ly)?\b", 2),
        (r"\bhybrid\b", 2),
        (r"\boffice\b", 1),
        (r"\b(?<!hiring )managers?\b", 1.5),
        (r"\bmanagement style\b", 3),
        (r"\bvalues\b", 3),
        (r"\batmosphere\b", 2.5),
        (r"\bvibe\b", 2),
        (r"\bpeople you work with\b", 2.5),
        (r"\bflexib", 2),
        (r"\bdiversity\b", 2),
        (r"\binclusi", 2),
        (r"\bcollaborat", 1.5),
        (r"\bwork from home\b", 2.5),
        (r"\bmorale\b", 2),
        (r"\bboss\b", 1.5),
        (r"\bhierarch", 2),
        (r"\bdress code\b", 2),
        (r"\bovertime\b", 1),
        (r"\bfeel like to work\b", 2),
        (r"\blike to work (?:at|in|there|for)\b", 2),
        (r"\bsupport (?:each other|one another|new|junior)\b", 3),
        (r"\beach other\b", 1.5),
        (r"\bone another\b", 1.5),
        (r"\bcare about\b", 1),
        (r"\bdecisions? (?:are|is|get|gets)? ?(?:usually |typically )?made\b", 2.5),
        (
            r"\bhow (?:does|do) (?:your |the )?(?:team|company|firm|unit|office|agency|department|management|leadership|staff)\b",
            1.5,
        ),
        (r"\b(?:leadership|management|executives|senior leaders|leaders) (?:at|in|on) (?:your|the)\b", 2),
        (r"\bleadership\b", 1),
        (r"\bplaces? to work\b", 3),
        (r"\bfit(?:s)? in\b|\bcultur(?:e|al) fit\b", 3),
        (
            r"\b(?:your|the) (?:agency|company|firm|organi[sz]ation|office|practice|hospital|school|startup|employer)\b",
            1,
        ),
        (r"\bnew (?:employees|hires|staff|team members|joiners)\b", 1.5),
        (r"\b(?:corporate|startup) (?:life|world|culture|environment)\b", 2),
        (r"\b(?:treated|treat)\b", 1),
        (r"\bonboard", 1.5),
        (r"\bfeedback\b", 1),
    ],
}
_TOPIC_PATTERNS = {t: [(re.compile(p, re.I), w) for p, w in kws] for t, kws in _TOPIC_KEYWORDS.items()}
# One pass per topic first: most texts name only a few topics, so most cue lists are skipped.
_TOPIC_ANY = {t: re.compile("|".join(f"(?:{p})" for p, _ in kws), re.I) for t, kws in _TOPIC_KEYWORDS.items()}


# Cues inside a subordinate clause ("..., when you first moved into PR") count half: the main clause
# carries what the question is about.
_SUBORDINATE = re.compile(
    r"(?<=\w)[,;]?\s+(?:when|while|since|after|before|if|because|once|until|whenever|even though)\b", re.I
)


@lru_cache(maxsize=4096)
def _topic_scores(text: str) -> tuple[float, str]:
    """(best score, best topic); ties go to the topic whose cue comes first."""
    text = text[:300]  # a question names its topic early; this bounds the cost on very long input
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    sub = _SUBORDINATE.search(text)
    cut = sub.start() if sub else len(text)
    for topic, patterns in _TOPIC_PATTERNS.items():
        if not _TOPIC_ANY[topic].search(text):
            continue
        for pattern, weight in patterns:
            m = pattern.search(text)
            if m:
                if m.start() >= cut:
                    weight *= 0.5
                scores[topic] = scores.get(topic, 0.0) + weight
                first[topic] = min(first.get(topic, 10**6), m.start())
    if not scores:
        return 0.0, "other"
    best = max(scores, key=lambda t: (scores[t], -first[t]))
    return scores[best], best


def classify_topic(text: str) -> str:
    text = _canon(_normalise(text))
    score, topic = _topic_scores(text)
    return topic if score >= 0.75 else "other"


# --------------------------------------------------------------------------- rewrites and feedback

_CANONICAL = {
    "typical_day": "What does a typical day look like for you as {a_role}?",
    "career_path": "How did you get started on your path to becoming {a_role}?",
    "skills": "Which skills have mattered most for your success as {a_role}?",
    "challenges": "What is the most challenging part of your work as {a_role}?",
    "industry_trends": "What changes do you see coming in your field over the next few years?",
    "advice": "What would you advise someone in my position to focus on first to prepare for this field?",
    "resources": "Which resources would you recommend for learning more about this field?",
    "networking": "Is there anyone else you think I should talk to?",
    "compensation": "What pay range is typical for entry-level roles like the ones you have seen?",
    "culture": "How would you describe the culture on your team?",
    "other": "What do you find most rewarding about your work as {a_role}?",
}
_FLAG_FEEDBACK = {
    "asks_for_job": "It asks for a job, an interview or a referral, which turns a learning conversation into a request "
    "they did not agree to; ask what makes people succeed in the role instead.",
    "not_a_question": "There is no question here, so the informant has nothing to answer; end with one clear question.",
    "leading": "The wording suggests the answer you expect, so you learn what you already think; ask neutrally.",
    "googleable": "A quick web search answers this, so it spends their time on facts you could have looked up; "
    "ask about their own experience instead.",
    "double_barreled": "It asks two things at once, so one part usually goes unanswered; ask them one at a time.",
    "closed": "It can be answered with yes, no or a single word, so it invites a short answer; ask how, what or why.",
    "vague": "It names no part of the work, so it is too broad to answer well; name the part you want to hear about.",
    "too_long": "At {words} words it is long; cut the preamble and keep the focus on them.",
}
_FLAG_NAMES = {
    "asks_for_job": "a request for a job",
    "not_a_question": "not a question",
    "leading": "leading",
    "googleable": "answerable by a web search",
    "double_barreled": "double-barreled",
    "closed": "closed (yes/no or one word)",
    "vague": "vague",
    "too_long": "over {max} words",
}
_SEVERITY = {
    "asks_for_job": 5,
    "not_a_question": 5,
    "googleable": 3,
    "leading": 2,
    "closed": 2,
    "vague": 2,
    "double_barreled": 1,
    "too_long": 1,
}
_SPECIFIC = re.compile(
    r"\byou (?:mentioned|said|talked about|wrote|described|noted|posted|shared)\b|"
    r"\bi (?:read|saw|noticed|heard|came across|watched|listened)\b|"
    r"\bin your experience\b|\byour (?:post|article|talk|team's|move|switch|transition|time at|book|podcast|paper)\b|"
    r"\"[^\"]{3,}\"|\b(?:when you|since you|after you|as someone who)\b",
    re.I,
)
SPECIFIC = _SPECIFIC  # public: the coach credits research with the same pattern
_GRADABLE = (
    r"hard|difficult|easy|stressful|common|competitive|important|necessary|good|bad|demanding|rewarding|flexible|busy|"
    r"long|stable|risky|valuable|useful|helpful|hectic|intense|popular|realistic|tough|challenging|satisfying|"
    r"fulfilling|boring|collaborative|relevant|worth it|worthwhile|predictable|fast-paced|competitive|"
    r"manageable|reasonable|flexible|secure|exhausting|lonely"
)


def _role_text(role: str | None) -> str:
    role = re.sub(r"[^\w &/'+.-]", " ", _normalise(role or ""))
    role = re.sub(r"\s+", " ", role).strip(" .")
    if not re.search(r"[^\W\d_]", role) or len(role) > 60:
        return "someone in your role"
    return with_article(role.lower())


_PREP_END = re.compile(r"\b(?:for|of|in|at|on|with|to|the|a|an|and|or|as|by|from|about)\s*$", re.I)


def _transform(ask: str, flags: set[str]) -> str | None:
    """A rewrite that keeps the seeker's own subject where a simple transformation can."""
    s = ask.strip().rstrip(" ?.!").strip()
    s = re.sub(r"^(?:so|and|but|also|ok|okay|well),?\s+", "", s, flags=re.I)
    if "leading" in flags:
        # "Don't you think X?", "Isn't it true that X?", "Surely X?", "X, right?" -> ask about X neutrally.
        m = re.match(
            r"^(?:don't|doesn't|wouldn't|won't|didn't|aren't|isn't)\s+you\s+(?:really\s+)?(?:think|agree|feel|believe|find|say|"
            r"expect|reckon)\s+(?:that\s+)?(.+)$|^(?:isn't|wasn't)\s+it\s+true\s+(?:that\s+)?(.+)$|"
            r"^(?:surely|obviously|clearly|of course|i'?m sure|i bet|i assume)\s*,?\s*(?:that\s+)?(.+)$",
            s,
            re.I,
        )
        clause = next((g for g in m.groups() if g), None) if m else None
        if clause is None:
            m = re.match(
                r"^(.+?),\s*(?:right|correct|true|yeah|yes|no|ok|okay|isn't it|don't you|aren't you|wouldn't it|"
                r"doesn't it|am i right|wouldn't you say|don't they|aren't they)$",
                s,
                re.I,
            )
            if m:
                clause = re.sub(
                    r"^(?:i'?m sure|surely|obviously|clearly|i bet|i assume)\s+(?:that\s+)?", "", m.group(1), flags=re.I
                )
        if clause:
            clause = re.sub(r",?\s*(?:right|correct)$", "", clause.strip(" ,"), flags=re.I)
            if len(clause.split()) >= 3 and not re.match(r"^(?:you|i|we)\b", clause, re.I):
                return f"What is your view on whether {lower_first(clause)}?"
        m = re.match(r"^how much do you (?:love|like|enjoy|hate|dislike|miss|resent|appreciate) (.+)$", s, re.I)
        if m:
            return f"How do you feel about {m.group(1)}?"
        m = re.match(r"^why (is|are) (.+?) (?:the|so|such|a|an|better|worse|superior|overrated|underrated)\b", s, re.I)
        if m and len(m.group(2).split()) <= 5:
            verb = "does" if m.group(1).lower() == "is" else "do"
            return f"How {verb} {m.group(2)} compare with the alternatives, in your experience?"
        m = re.match(
            rf"^(isn't|wasn't|aren't|weren't) ((?:[\w'-]+ ){{1,6}}?)(?:really |so |very |pretty )?({_GRADABLE})$",
            s,
            re.I,
        )
        if m and not _PREP_END.search(m.group(2)):
            aux = {"isn't": "is", "wasn't": "was", "aren't": "are", "weren't": "were"}[m.group(1).lower()]
            return f"In your experience, how {m.group(3)} {aux} {m.group(2).strip()}?"
    if "closed" in flags:
        m = re.match(r"^(?:do|did) you (?:really |still |ever )?(?:like|enjoy|love) (.+)$", s, re.I)
        if m and not re.match(r"^(?:it|that|this|them)\b", m.group(1), re.I):
            return f"What do you enjoy most about {m.group(1)}?"
        m = re.match(r"^(did|do) you (?:really )?(?:need|have to get|have to have|require) (.+)$", s, re.I)
        if m:
            if m.group(1).lower() == "did":
                return f"How much did {m.group(2)} matter in getting where you are?"
            return f"How much does {m.group(2)} matter in this line of work?"
        m = re.match(rf"^(is|was|are|were) ((?:[\w'-]+ ){{1,6}}?)({_GRADABLE})\b(.*)$", s, re.I)
        if m:
            aux, subject, adj, rest = m.group(1).lower(), m.group(2).strip(), m.group(3), m.group(4).strip()
            rest_ok = not rest or re.match(
                r"^(?:to|in|at|for|among|on|with|as|when|during|after|before|compared)\b", rest, re.I
            )
            if (
                rest_ok
                and not _PREP_END.search(subject)
                and (rest or not re.match(r"^(?:it|that|this)$", subject, re.I))
            ):
                tail = f" {rest}" if rest else ""
                return f"In your experience, how {adj} {aux} {subject}{tail}?"
        m = re.match(
            r"^(?:do you think )?will (.+?) (?:replace|kill|eliminate|take over|wipe out|make obsolete) (.+)$", s, re.I
        )
        if m:
            return f"How do you think {m.group(1)} will change the work of {m.group(2)}?"
    return None


def _rewrite(analysis: _Analysis, role: str | None) -> str | None:
    flags = set(analysis.flags)
    if not flags:
        return None
    a_role = _role_text(role)
    candidates: list[str] = []
    if "asks_for_job" in flags:
        candidates.append(f"What do the people who do well as {a_role} have in common?")
    elif "not_a_question" not in flags and analysis.asks:
        first = analysis.asks[0].strip().rstrip(" ?.,;:!")
        first = re.sub(r"^(?:so|and|but|also|ok|okay|well),?\s+", "", first, flags=re.I)
        if {"too_long", "double_barreled"} & flags:
            candidates.append(sentence_case(first) + "?")
        transformed = _transform(first, flags)
        if transformed:
            candidates.append(sentence_case(transformed))
    # A statement still names what the seeker cares about ("I want to become a nurse" -> their path).
    topic = analysis.hint_topic if "not_a_question" in flags else analysis.topic
    candidates.append(_CANONICAL[topic].format(a_role=a_role))
    candidates.append(_CANONICAL["other"].format(a_role=a_role))
    candidates.append(_CANONICAL["other"].format(a_role="someone in your role"))
    for candidate in candidates:
        if len(candidate.split()) >= 3 and not _analyse(_normalise(candidate)).flags:
            return candidate
    return candidates[-1]


def _feedback(flags: list[str], topic: str, words: int, specific: bool) -> tuple[str, list[str]]:
    if flags:
        first = _FLAG_FEEDBACK[flags[0]].format(words=words)
        if len(flags) > 1:
            names = [_FLAG_NAMES[f].format(max=MAX_WORDS) for f in flags[1:]]
            joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            return f"{first} It is also {joined}.", []
        return first, []
    if topic == "other":
        praise = ["It is open and asks about their own work, so it invites a real answer."]
    else:
        praise = [f"It is open and about {TOPIC_LABELS[topic]}, so it invites a story from their own experience."]
    if specific:
        praise.append("It builds on something specific, which shows you listened or did your homework.")
    return " ".join(praise), praise


# --------------------------------------------------------------------------- decision


@dataclass(frozen=True)
class _Analysis:
    flags: tuple[str, ...]
    topic: str
    hint_topic: str  # for a statement: what it is about, so the rewrite can ask about that
    asks: tuple[str, ...]
    words: int


_WINDOW = 600


def _window(text: str) -> str:
    """The end of a very long text, where its question is: keeps every rule linear and fast."""
    if len(text) <= _WINDOW:
        return text
    starts = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-Za-z\"'(])", text)]
    fitting = [i for i in starts if len(text) - i <= _WINDOW]
    if fitting:
        return text[fitting[0] :]
    # One very long sentence: keep its opening (a question word or a request) and its end.
    last = text[starts[-1] :] if starts else text
    head = last[:200].rsplit(" ", 1)[0]
    tail = last[-(_WINDOW - 200) :]
    tail = tail.split(" ", 1)[1] if " " in tail else tail
    return f"{head}, {tail}"


@lru_cache(maxsize=2048)
def _analyse(text: str) -> _Analysis:
    """Flags in severity order, topic and the question's asks for normalised text."""
    words = len(_words(text))
    t = _FORMAT_CHARS.sub("", _window(text)).replace("\u061f", "?").replace("\uff1f", "?")
    t = _canon(re.sub(r"\s+", " ", t).strip())
    sentences = _sentences(t)
    questions = [s for s in sentences if _is_request(s) and not _GREETING_ONLY.match(_strip_filler(s))]
    flags: set[str] = set()
    asks: list[str] = []
    first_sentence = ""
    for q in questions:
        clause = _ask_clause(q)
        parts = [p.strip(" ,;:") for p in _CLAUSE_START.split(clause) if re.search(r"\w", p)]
        if not asks and any(parts):
            first_sentence = _strip_filler(q)
        asks.extend(p for p in parts if p)
    if _JOB.search(t) or (len(text) > _WINDOW and _JOB.search(_canon(text[:_WINDOW]))):
        flags.add("asks_for_job")
    if words > MAX_WORDS:
        flags.add("too_long")
    if not questions or not asks:
        flags.add("not_a_question")
        ordered = sorted(flags, key=lambda f: (-_SEVERITY[f], FLAGS.index(f)))
        hint_score, hint_topic = _topic_scores(t)
        return _Analysis(tuple(ordered), "other", hint_topic if hint_score >= 0.75 else "other", (), words)

    real = [
        q
        for q in questions
        if q.rstrip().endswith("?") or re.match(rf"^(?:{_WH}|{_AUX}|{_NEG_AUX})\b", _strip_filler(q), re.I)
    ]
    double = len(real) >= 2 or len(asks) >= 2 or any(_VERB_PAIR.search(a) for a in asks)
    if double:
        flags.add("double_barreled")
    if any(_LEADING.search(a) for a in asks):
        flags.add("leading")
    if any(re.match(r"^(?:surely|obviously|clearly|of course)\b", _strip_filler(q), re.I) for q in questions):
        flags.add("leading")
    no_topic = False
    if "asks_for_job" not in flags:
        for a in asks:
            google, fact = _is_googleable(a)
            if google:
                flags.add("googleable")
                no_topic = no_topic or fact
    vague = len(asks) == 1 and _is_vague(asks[0])
    if vague:
        flags.add("vague")
    if double:
        closed = len(asks) >= 2 and all(_is_yes_no_form(a) for a in asks)
    else:
        closed = _flag_closed(asks[0])
    if closed:
        flags.add("closed")

    score, topic = _topic_scores(asks[0])
    if score < 0.75:
        # The preamble of the same sentence may name the subject: "You switched from retail; what made it work?"
        score, topic = _topic_scores(_CLAUSE_START.split(first_sentence)[0])
        if score < 0.75 and re.search(r"\b(?:that|this|those|these|it)\b", asks[0], re.I):
            # "I read that nurses work 12-hour shifts. How has that affected you?": the research says what.
            before = sentences[: sentences.index(questions[0])] if questions[0] in sentences else []
            if before:
                score, topic = _topic_scores(" ".join(before))
        if score < 0.75:
            topic = "other"
    if vague or no_topic or "asks_for_job" in flags:
        topic = "other"
    ordered = sorted(flags, key=lambda f: (-_SEVERITY[f], FLAGS.index(f)))
    return _Analysis(tuple(ordered), topic, topic, tuple(asks), words)


def _decide(text: str) -> tuple[list[str], str, str]:
    """Return (flags in severity order, topic, core question) for normalised text."""
    analysis = _analyse(text)
    return list(analysis.flags), analysis.topic, analysis.asks[0] if analysis.asks else text


def critique(question: str, role: str | None = None) -> Critique:
    """Judge one question. ``role`` (e.g. "data scientist") makes the rewrite concrete."""
    text = _normalise(question)
    analysis = _analyse(text)
    flags, topic = list(analysis.flags), analysis.topic
    specific = bool(_SPECIFIC.search(_canon(text)))
    if not flags:
        score = 5 if specific else 4
    else:
        score = 5 - sum(_SEVERITY[f] for f in flags)
        score = max(1, min(3, score))
        if "asks_for_job" in flags or "not_a_question" in flags:
            score = 1
    feedback, praise = _feedback(flags, topic, analysis.words, specific)
    rewrite = _rewrite(analysis, role)
    return Critique(text, score, flags, topic, feedback, rewrite, praise)


def critique_many(questions: Iterable[str], role: str | None = None) -> list[Critique]:
    return [critique(q, role) for q in questions]
