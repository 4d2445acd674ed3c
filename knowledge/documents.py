"""Read the user's documents into sections of text: Markdown, plain text, PDF, DOCX, HTML.

Parsing uses well-kept libraries (pypdf, python-docx, Beautiful Soup); splitting into headed
sections uses langchain-text-splitters. Every failure is an :class:`IngestError` whose message
names the fix; nothing here writes anywhere.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from langchain_text_splitters import MarkdownHeaderTextSplitter

from core.errors import IngestError
from knowledge.hidden import strip_hidden_html, strip_hidden_markdown, visible_docx_text

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "SUPPORTED_TEXT",
    "describe",
    "Document",
    "load_document",
    "Section",
]

MAX_FILE_BYTES = 20 * 1024 * 1024  # 20 MB, as the browser counts them
MAX_TEXT_CHARS = 2_000_000  # what a document may expand to (a DOCX is a zip: it can inflate)
SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt", ".pdf", ".docx", ".html", ".htm"}
SUPPORTED_TEXT = ".md, .txt, .pdf, .docx or .html"

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
_header_splitter = MarkdownHeaderTextSplitter(
    headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
)


@dataclass
class Section:
    heading: str
    text: str
    page: int | None = None


@dataclass
class Document:
    kind: str  # md, txt, pdf, docx, html
    sections: list[Section]
    meta: dict[str, str] = field(default_factory=dict)  # front matter of a Markdown note


def _check(path: Path) -> str:
    if not path.exists():
        raise IngestError(f"{path}: no such file. Fix: check the path.")
    if path.is_dir():
        raise IngestError(f"{path}: is a folder. Fix: name the files, e.g. {path}/*.md")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(
            f"{path.name}: unsupported file type '{suffix or 'none'}'. Fix: give a {SUPPORTED_TEXT} file."
        )
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise IngestError(
            f"{path.name}: larger than {MAX_FILE_BYTES // 1_000_000} MB. Fix: split it into smaller files."
        )
    if size == 0:
        raise IngestError(f"{path.name}: the file is empty. Fix: add some notes to it.")
    return suffix


def _markdown_sections(text: str) -> list[Section]:
    parts = _header_splitter.split_text(text)
    sections = [
        Section(p.metadata.get("h2") or p.metadata.get("h3") or p.metadata.get("h1") or "", p.page_content.strip())
        for p in parts
    ]
    return [s for s in sections if s.text]


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path.name}: not UTF-8 text. Fix: re-save it as UTF-8.") from exc


def _markdown(path: Path) -> Document:
    raw = _read_text(path)
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(raw)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except (yaml.YAMLError, RecursionError) as exc:  # deep nesting ("[[[[...") exhausts the parser's stack
            raise IngestError(f"{path.name}: the front matter is not valid YAML. Fix it or remove it.") from exc
        if not isinstance(loaded, dict):
            raise IngestError(f"{path.name}: the front matter must be key: value lines. Fix it or remove it.")
        meta = {str(k): str(v) for k, v in loaded.items() if isinstance(v, str | int | float)}
        raw = raw[match.end() :]
    sections = _markdown_sections(strip_hidden_markdown(raw))
    if not sections:  # only front matter or headings
        raise IngestError(f"{path.name}: no text under the headings. Fix: add some notes to it.")
    return Document("md", sections, meta)


def _pdf(path: Path) -> Document:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise IngestError(f"{path.name}: the PDF is password-protected. Fix: save an unprotected copy.")
        sections, total = [], 0
        for number, page in enumerate(reader.pages, 1):
            text = (page.extract_text() or "").strip()
            total += len(text)
            if total > MAX_TEXT_CHARS:
                raise IngestError(f"{path.name}: over {MAX_TEXT_CHARS:,} characters of text. Fix: split the PDF.")
            if text:
                sections.append(Section("", text, page=number))
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken file (even AssertionError)
        raise IngestError(
            f"{path.name}: not a readable PDF ({type(exc).__name__}). Fix: re-save or re-export it."
        ) from exc
    if not sections:
        raise IngestError(f"{path.name}: the PDF has no text (a scan?). Fix: use a PDF with selectable text.")
    return Document("pdf", sections)


def _docx(path: Path) -> Document:
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as exc:
        raise IngestError(f"{path.name}: not a readable .docx file. Fix: re-save it from your word processor.") from exc
    if inflated > 10 * MAX_TEXT_CHARS:
        raise IngestError(f"{path.name}: expands to {inflated // 1_000_000} MB. Fix: split the document.")
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds for a broken file
        raise IngestError(f"{path.name}: not a readable .docx file. Fix: re-save it from your word processor.") from exc
    try:
        sections = _docx_sections(path, document)
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx reads the XML lazily: a bad attribute fails here
        raise IngestError(f"{path.name}: not a readable .docx file. Fix: re-save it from your word processor.") from exc
    if not sections:
        raise IngestError(f"{path.name}: the document has no text. Fix: check it is the right file.")
    return Document("docx", sections)


def _docx_sections(path: Path, document: Any) -> list[Section]:
    sections: list[Section] = [Section("", "")]
    total = 0
    for paragraph in document.paragraphs:
        text = visible_docx_text(paragraph).strip()
        if not text:
            continue
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise IngestError(f"{path.name}: over {MAX_TEXT_CHARS:,} characters of text. Fix: split the document.")
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.lower().startswith(("heading", "title")):
            sections.append(Section(text, ""))
        else:
            sections[-1].text = f"{sections[-1].text}\n{text}".strip()
    for table in document.tables:
        rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
        text = "\n".join(" | ".join(cells) for cells in rows if any(cells))  # no blank rows
        sections.append(Section("Table", text))
    return [s for s in sections if s.text]


def _html(path: Path) -> Document:
    from bs4 import BeautifulSoup

    raw = path.read_bytes()
    soup = BeautifulSoup(raw, "html.parser")  # guesses the encoding from the page itself
    strip_hidden_html(soup)  # what the reader never sees is not kept (knowledge/hidden.py)
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "form", "svg", "iframe"]):
        tag.decompose()
    body = soup.body or soup
    lines: list[str] = []
    for element in body.find_all(["h1", "h2", "h3", "h4", "p", "li", "td", "th", "pre", "blockquote", "dd", "dt"]):
        if element.find_parent(["li", "td", "th", "blockquote"]) and element.name in {"p"}:
            continue
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        level = {"h1": "#", "h2": "##", "h3": "###", "h4": "###"}.get(element.name)
        if not level:
            text = text.lstrip("#").strip() or text  # a paragraph starting "# …" is not a heading
        lines.append(f"{level} {text}" if level else (f"- {text}" if element.name == "li" else text))
    if not lines:  # pages that keep text outside those tags
        lines = [line.strip() for line in body.get_text("\n").splitlines() if line.strip()]
    text = "\n\n".join(lines)
    if len(text) > MAX_TEXT_CHARS:
        raise IngestError(f"{path.name}: over {MAX_TEXT_CHARS:,} characters of text. Fix: save a smaller page.")
    sections = _markdown_sections(text)
    if not sections:
        raise IngestError(f"{path.name}: the page has no readable text. Fix: save the page as HTML or PDF again.")
    title = soup.title.get_text(strip=True) if soup.title else ""
    return Document("html", sections, {"title": title} if title else {})


def load_document(path: Path) -> Document:
    """Read one file into headed sections of text (raises IngestError with the fix)."""
    suffix = _check(path)
    if suffix in {".md", ".markdown"}:
        return _markdown(path)
    if suffix == ".txt":
        text = _read_text(path).strip()
        if not text:
            raise IngestError(f"{path.name}: the file is empty. Fix: add some notes to it.")
        return Document("txt", [Section("", text)])
    if suffix == ".pdf":
        return _pdf(path)
    if suffix == ".docx":
        return _docx(path)
    return _html(path)


def describe(meta: dict[str, Any]) -> str:
    """A short label for a chunk's origin in a source list."""
    page = f", page {meta['page']}" if meta.get("page") else ""
    return f"{meta.get('file_name', '?')}{page}"
