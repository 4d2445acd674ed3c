"""Prepare for a real conversation: a tailored question list that fits the time, and a research brief.

Everything here is decided by rules, so the embedded model (however small) is never asked to judge:

- **Candidates** come from two places. A bank of open questions per core topic (the rubric's
  criterion 8), filled in with the persona's role and workplace; and *note questions*, built from a
  short, specific sentence in the persona's notes ("I read that hospitals run around the clock, so
  nights and weekends are common. How has that shaped your own schedule?"). A note question shows
  homework (criterion 6), could not be asked of just anyone, and asks about their own experience,
  so a web search cannot answer it.
- **Every candidate passes the critic with no flags**, and near-duplicates (MiniLM cosine or word
  overlap) are dropped.
- **Selection** opens with their story, covers the core topics (the goal's topics first), keeps at
  least a third of the questions note-specific, fills the minutes (each question's minutes depend on
  its topic and the persona's temperament), and always ends by asking who else to talk to
  (criterion 15).
- **Order** follows the flow of a conversation (criterion 9 says to prioritise: each item has a
  priority, 1 = ask first if time runs short).

A capable chat model (OpenAI or a compatible server) may then reword the bank questions for the
user's goal and background; a rewording is kept only if the critic still finds no flag in it.
"""

from agents.prepare.brief import BriefPoint, ResearchBrief, research_brief
from agents.prepare.candidates import about_me, note_candidates
from agents.prepare.edit import (
    apply_table_rows,
    edit_question,
    move_question,
    polish_plan,
    regenerate_one,
    remove_question,
)
from agents.prepare.plan import (
    CORE,
    FLOW,
    MAX_MINUTES,
    MIN_MINUTES,
    NEAR_DUPLICATE,
    OVERHEAD_MINUTES,
    SPECIFIC_SHARE,
    TEMPERAMENT_FACTOR,
    PlannedQuestion,
    QuestionPlan,
)
from agents.prepare.select import asked_in, generate, too_similar, validate_inputs

__all__ = [
    "CORE",
    "FLOW",
    "MAX_MINUTES",
    "MIN_MINUTES",
    "NEAR_DUPLICATE",
    "OVERHEAD_MINUTES",
    "SPECIFIC_SHARE",
    "TEMPERAMENT_FACTOR",
    "asked_in",
    "BriefPoint",
    "PlannedQuestion",
    "QuestionPlan",
    "ResearchBrief",
    "about_me",
    "apply_table_rows",
    "edit_question",
    "generate",
    "move_question",
    "note_candidates",
    "polish_plan",
    "regenerate_one",
    "remove_question",
    "research_brief",
    "too_similar",
    "validate_inputs",
]
