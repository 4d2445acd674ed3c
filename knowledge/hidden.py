"""What a reader of a document never sees is left out at ingest.

An uploaded page or note can carry text no person reading it would see: an HTML element styled
``display:none`` or marked ``hidden``/``aria-hidden``, a ``<template>``, an HTML or Markdown comment,
a Markdown footnote's body, white text of size zero, a Word run marked hidden. Such text is where an
injection hides ("note to the assistant: …"), and the informant should know only what the seeker
could read. The sources view then shows exactly what was kept.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["strip_hidden_html", "strip_hidden_markdown", "visible_docx_text"]

# An inline style that hides an element: not displayed, invisible, transparent, zero-sized, off-screen.
_HIDING_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|opacity\s*:\s*0(?:\.0+)?\s*(?:;|$|!)"
    r"|font-size\s*:\s*0(?:\.0+)?(?:px|pt|em|rem|%)?\s*(?:;|$|!)|(?:^|;)\s*(?:max-)?(?:height|width)\s*:\s*0"
    r"(?:px)?\s*(?:;|$|!)[^\"']*overflow\s*:\s*hidden|(?:left|top|text-indent)\s*:\s*-\d{3,}"
    r"|clip\s*:\s*rect\(\s*0",
    re.I,
)
# White (or nearly) text with no background of its own: white on the page's white.
_WHITE_TEXT = re.compile(r"(?:^|;)\s*color\s*:\s*(?:white|#fff(?:fff)?|rgba?\(\s*255\s*,\s*255\s*,\s*255)\b", re.I)
_BACKGROUND = re.compile(r"background", re.I)
_HIDDEN_CLASSES = {"hidden", "d-none", "sr-only", "visually-hidden", "invisible", "screen-reader-text"}

# Markdown: HTML comments, link-reference comments ("[//]: # (…)") and footnote bodies ("[^1]: …").
_HTML_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_REF_COMMENT = re.compile(r"^[ \t]*\[(?://|comment|_)\]:\s*(?:#|<>)\s*.*$", re.M | re.I)
_FOOTNOTE_BODY = re.compile(r"^[ \t]*\[\^[^\]\n]+\]:.*(?:\n(?:[ \t]{2,}|\t).*)*", re.M)
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\n]+\]")
# Raw HTML in Markdown that hides its content: <div hidden>, <span style="display:none">, <template>.
_HIDDEN_BLOCK = re.compile(
    r"<(\w+)\b[^>]*(?:\bhidden\b|aria-hidden\s*=\s*[\"']?true|style\s*=\s*[\"'][^\"']*"
    r"(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0|opacity\s*:\s*0\b))[^>]*>.*?</\1\s*>"
    r"|<template\b.*?</template\s*>",
    re.S | re.I,
)


def _hides(tag: Any) -> bool:
    attrs = getattr(tag, "attrs", None)
    if not attrs:
        return False
    if "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    classes = attrs.get("class") or []
    if isinstance(classes, str):
        classes = classes.split()
    if _HIDDEN_CLASSES & {c.lower() for c in classes}:
        return True
    style = str(attrs.get("style", ""))
    if _HIDING_STYLE.search(style):
        return True
    return bool(_WHITE_TEXT.search(style) and not _BACKGROUND.search(style))


def strip_hidden_html(soup: Any) -> None:
    """Remove from a Beautiful Soup tree, in place, everything a browser would not show its reader."""
    from bs4 import Comment

    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all("template"):
        tag.decompose()
    for tag in soup.find_all(_hides):
        if not tag.decomposed:  # inside a hidden element already removed
            tag.decompose()


def strip_hidden_markdown(text: str) -> str:
    """``text`` without its comments, footnote bodies and raw HTML that hides its content."""
    while True:
        before = text
        text = _HIDDEN_BLOCK.sub("", text)
        if text == before:
            break
    text = _HTML_COMMENT.sub("", text)
    text = _REF_COMMENT.sub("", text)
    text = _FOOTNOTE_BODY.sub("", text)
    return _FOOTNOTE_MARK.sub("", text)


def visible_docx_text(paragraph: Any) -> str:
    """A Word paragraph's text without its hidden runs (Hidden font, white text, size below 2 pt)."""
    from docx.text.run import Run

    parts = []
    for item in paragraph.iter_inner_content():  # runs and hyperlinks, in order
        runs = [item] if isinstance(item, Run) else list(item.runs)
        parts += [run.text for run in runs if not _hidden_run(run)]
    return "".join(parts)


def _hidden_run(run: Any) -> bool:
    font = run.font
    if font.hidden or (font.size is not None and font.size.pt < 2):
        return True
    color = font.color.rgb if font.color is not None and font.color.type is not None else None
    return color is not None and str(color).upper() == "FFFFFF"
