"""The flag rules: closed, leading, double-barreled, asks for a job, answerable by a web search,
vague. Each follows the rubric (knowledge/rubric.md); each is measured against evals/."""

from __future__ import annotations

import re

from agents.critic.reading import AUX, IMPERATIVE, INDIRECT, NEG_AUX, REQUEST_VERBS, WH
from agents.critic.topics import topic_scores

__all__ = [
    "CLAUSE_START",
    "GREETING_ONLY",
    "JOB",
    "LEADING",
    "VERB_PAIR",
    "flag_closed",
    "is_googleable",
    "is_vague",
    "is_yes_no_form",
]

# Polite requests and list requests are open ("Can you tell me...", "Are there any books...").
_OPEN_REQUEST = re.compile(
    rf"^(?:{AUX}) you(?: please| possibly| maybe| perhaps| kindly)?(?: be (?:willing|able|open) to)? (?:{REQUEST_VERBS})\b|"
    r"^(?:can|could|would|will) you(?: please| possibly| maybe| perhaps| kindly)?"
    r"(?: be (?:willing|able|open|comfortable|happy|ok|okay|available)(?: to)?)? [a-z]+ (?:me|us)\b|"
    r"^(?:are|were) you (?:able|willing|open|happy|available) to (?:[a-z]+ (?:me|us)\b|"
    rf"(?:{REQUEST_VERBS})\b)|"
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
    rf"^(?:{AUX}) you (?:happen to )?(?:know|think|remember|feel|believe|see|expect|reckon) (?:if|whether)\b", re.I
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
LEADING = re.compile(
    rf"^(?:{NEG_AUX})\b|"
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
JOB = re.compile(
    # Asking to be told of, kept in mind for, or brought in for an opening: "ping me when a spot opens",
    # "keep me in mind", "take me on", "let me shadow you", "do a stage", "mention me to your foreman".
    r"\b(?:let me know|tell me|ping me|text me|email me|give me a heads-?up) (?:if|when|whenever) "
    r"(?:a|an|any|anything|something|your|there'?s|you (?:have|get|hear))\b.{0,40}"
    r"\b(?:opens?|opening|spots?|roles?|positions?|jobs?|comes? up)\b|\bkeep me in mind\b|\btake me on\b|"
    r"\b(?:let me|can i|could i|may i) (?:come in and )?shadow\b|\b(?:do|doing) a stage\b|"
    r"\bmention me to\b|\bforward (?:it|this|my \w+) to (?:your|the) (?:\w+ )?(?:manager|director|recruiter|hr|boss|lead)\b|"
    r"\b(?:send|email|give) you my (?:portfolio|resume|résumé|cv)\b|"
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
    r"\bsend (?:you )?my (?:resume|cv|application) (?:to|over)\b|"
    # Indirect asks (issue 16's conversations, dev split): "keep me in mind if something opens up",
    # "take me on as a CAD tech", "a trial project to prove myself", "pass my portfolio to your director".
    r"\bkeep me in mind\b|\bif (?:something|anything|a (?:role|position|spot|job|seat)) (?:opens|comes) up\b|"
    r"\b(?:take|took|taking) (?:me|someone like me) on\b|\btrial (?:project|shift|day|week|period)\b|"
    r"\bsend (?:you )?my (?:resume|résumé|cv|portfolio)\b|\bpass (?:it|my \w+) (?:along |on )?to your\b|"
    r"\b(?:and|then) (?:maybe |possibly )?get hired\b|\b(?:be|being|serve as|act as) (?:a |my )?reference for me\b|"
    r"\btell (?:your|the) (?:recruiters?|hiring manager|boss|manager|hr|director) about me\b|"
    r"\bfoot in the door (?:where you work|at your|with you|there|on your)\b|"
    r"\b(?:spots?|places?|openings?|room) (?:left |open |available )?(?:in|on|for) your \w*\s?(?:internship|apprenticeship|"
    r"residency|fellowship|trainee|graduate) (?:program|programme|scheme|class)\b",
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
GREETING_ONLY = re.compile(
    r"^(?:hi|hello|hey|good (?:morning|afternoon|evening)|thanks?(?: you)?(?: so much| very much| again)?|"
    r"nice to meet you|great|cool|ok(?:ay)?|bye|goodbye|see you|cheers)[\s!.,a-z]*$",
    re.I,
)

# A second clause that asks a second question: "..., and what do you wish you had known?"
CLAUSE_START = re.compile(
    rf",?\s+(?:and|or|but|plus|also)\s+(?:also\s+)?(?:then\s+)?(?=(?:{WH})\b(?!(?: not| so)?\s*[?.!]*$)|"
    rf"(?:tell|describe|explain|share|walk|talk|give)\s+(?:me|us)\b|(?:{AUX})\s+(?:you|it|there|they|i|that|this|your|the)\b)",
    re.I,
)
VERB_PAIR = re.compile(
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
        r"^(?:so,? )?(?:your |any )?(?:thoughts|views|impressions)$",
        r"^(?:any|your) (?:thoughts|views|take|opinions?|impressions) (?:on|about|of) (?P<slot>.+)$",
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
    return topic_scores(s)[0] < 1.5


def is_vague(ask: str) -> bool:
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


def is_yes_no_form(ask: str) -> bool:
    s = ask.lower()
    if _EMBEDDED_YES_NO.match(s):
        return True
    if _OPEN_REQUEST.search(s):
        return False
    return bool(re.match(rf"^(?:(?:{AUX})\b|(?:{NEG_AUX})\s)", s))


def flag_closed(ask: str) -> bool:
    """Fully answerable with yes/no, or with one word or number."""
    s = ask.lower().strip()
    if re.search(r"\b(?:and|or) (?:why|how)(?: not| so)?\s*[?.!]*$", s):
        return False  # "Did you ever consider leaving, and why?" asks for the reason
    if is_yes_no_form(s):
        return True
    if _OPEN_REQUEST.search(s) or IMPERATIVE.match(s) or INDIRECT.search(s):
        return False
    if _CLOSED_WH.match(s):
        return True
    if re.match(rf"^(?:{WH})\b|^(?:any|anything|anyone|anybody|something|someone|other|what about|how about)\b", s):
        return False
    # A statement with a question mark ("Surely the pay makes up for it?", "You like it, right?") asks for a yes.
    return s.endswith("?") and len(re.findall(r"\b[a-z]{2,}\b", s)) >= 2


def is_googleable(ask: str) -> tuple[bool, bool]:
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
            not s.startswith(("what is the", "what's the")) or topic_scores(thing)[0] < 1.5
        ):
            return True, True
    return False, False
