"""A scripted chat model: for tests, and for driving the real app with no model."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field

__all__ = ["FakeChatModel"]


class FakeChatModel(BaseChatModel):
    """Scripted replies for tests (and for serving the real app with no model).

    ``enqueue`` queues replies (a string, or an ``AIMessage`` with tool calls); when the queue is
    empty it answers with ``default_reply``. Every call's messages are recorded in ``calls``.
    Streams word by word so streaming paths are exercised (LangChain reports each chunk to
    callbacks itself, so ``_stream`` only yields).
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    default_reply: str = "That's a good question. Honestly, it depends a lot on the team you end up on."
    delay_s: float = 0.0  # pause between streamed words (demos, browser tests)
    queue: list[Any] = Field(default_factory=list)
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    bound_tools: list[Any] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return "fake"

    def enqueue(self, *replies: str | AIMessage) -> FakeChatModel:
        self.queue.extend(replies)
        return self

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> FakeChatModel:
        self.bound_tools = list(tools)
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        reply = self.queue.pop(0) if self.queue else self._from_notes(messages) or self.default_reply
        return reply if isinstance(reply, AIMessage) else AIMessage(content=reply)

    @staticmethod
    def _from_notes(messages: list[BaseMessage]) -> str | None:
        """With nothing queued, answer with the first sentence of the first note for the question (one
        sent with it, or the first the question's message names from the system prompt), and a close."""
        text = str(messages[-1].content) if messages else ""
        match = re.search(r"^- [^:\n]+(?::[^:\n]+)?: (.+?[.!?])(?:\s|$)", text, re.MULTILINE)
        named = re.search(r"^Your notes on this: ([^;\n]+?)(?:;|\.\n|\.$)", text, re.MULTILINE)
        if named and messages:
            system = str(messages[0].content)
            line = re.search(rf"^- {re.escape(named.group(1))}: (.+?[.!?])(?:\s|$)", system, re.MULTILINE)
            match = line or match
        # A closing sentence with nothing to check, so the answer visibly streams word by word.
        return f"In my experience: {match.group(1)} That's how it goes for me, most days." if match else None

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:  # type: ignore[override]
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:  # type: ignore[override]
        reply = self._next(messages)
        if reply.tool_calls:
            yield ChatGenerationChunk(
                message=AIMessageChunk(
                    content=reply.text,
                    tool_call_chunks=[
                        {"name": tc["name"], "args": json.dumps(tc["args"]), "id": tc["id"], "index": i}
                        for i, tc in enumerate(reply.tool_calls)
                    ],
                )
            )
            return
        words = reply.text.split(" ")
        for i, word in enumerate(words):
            if self.delay_s:
                time.sleep(self.delay_s)
            piece = word if i == 0 else " " + word
            yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
