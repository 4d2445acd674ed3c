"""The informant: a LangChain agent that role-plays a professional, grounded in retrieved notes.

Every turn, whatever the model:
1. the critic judges the question (deterministic, ``agents.critic``);
2. the persona's notes are retrieved from Chroma for the question;
3. the agent answers in character.

The prompt is built so that a turn reads as few new tokens as possible on a laptop CPU:
- The system prompt depends only on the persona; the notes and the question go in the turn's
  message, at the end, so everything before it is unchanged from the last turn and llama.cpp
  reuses it. Only the few note sentences that answer the question are sent, within
  ``TURN_NOTES_TOKENS`` (agents.informant.excerpts); a sentence sent earlier is not sent again.
- The app reads ahead: the system prompt when a conversation starts, the last answer while the
  seeker reads it, and, while they type, the notes retrieved for their draft (everything before
  "The seeker asks:"). When the question is sent, only the question is left to read.
- Conversations take turns on the one local model through a fair queue, and each one's evaluated
  state is kept (agents.models), so alternating conversations don't re-read each other's prompts.
- When the conversation would outgrow the context, the oldest turns are summarised into the end
  of the system prompt and the turn records it, so the seeker is told.
Tokens are counted with the model's own tokenizer (local) or tiktoken (OpenAI-compatible).

Requests for a job, an interview or a referral get a fixed, in-character decline: small local
models have been seen to agree to them.
"""

from agents.informant.agent import Informant
from agents.informant.conversation import (
    MAX_QUESTION_CHARS,
    Conversation,
    Turn,
    TurnUpdate,
    fault_line,
    summarised_notice,
    validate_question,
)
from agents.informant.prompt import ANSWER_TOKENS, READ_AHEAD, system_prompt, temperament_text, whole_sentences
from agents.informant.untrusted import drop_instructions, gives_instructions, quote_untrusted, seeker_words

__all__ = [
    "ANSWER_TOKENS",
    "MAX_QUESTION_CHARS",
    "READ_AHEAD",
    "Conversation",
    "Informant",
    "Turn",
    "TurnUpdate",
    "drop_instructions",
    "fault_line",
    "gives_instructions",
    "quote_untrusted",
    "seeker_words",
    "summarised_notice",
    "system_prompt",
    "temperament_text",
    "validate_question",
    "whole_sentences",
]
