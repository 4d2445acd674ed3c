"""Industry notes in a persistent Chroma collection: parsing, idempotent ingestion, retrieval.

A note file is Markdown with YAML front matter (industry, role, …) and one ``## `` section per
topic; a section may end with a ``Source: …`` line naming where its facts come from. Each
section becomes one or more chunks whose ids are stable (file + section + index), so ingesting
twice adds nothing and a changed section replaces its old chunks.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

NOTES_DIR = Path(__file__).parent / "notes"
COLLECTION = "notes"
SUPPORTED_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_FILE_BYTES = 2_000_000

# Section headings of the built-in notes, mapped to the critic's topic vocabulary.
HEADING_TOPICS = {
    "typical day": "typical_day",
    "responsibilities": "typical_day",
    "skills": "skills",
    "career paths in": "career_path",
    "challenges": "challenges",
    "industry trends": "industry_trends",
    "advice for entering": "advice",
    "resources": "resources",
    "pay": "compensation",
}

_SOURCE_LINE = re.compile(r"^\s*Source:\s*(.+?)\s*$", re.MULTILINE)
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class IngestError(ValueError):
    """Bad input to ingestion; the message names the fix."""


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    source: str
    text: str
    topic: str = "other"
    score: float = 0.0

    def as_source(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "source": self.source}


def unique_sources(sources: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(title, source) once per note section: passages of one section share a title."""
    seen: dict[str, str] = {}
    for s in sources:
        seen.setdefault(s["title"], s["source"])
    return list(seen.items())


@dataclass
class IngestResult:
    files: int = 0
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.files} file(s): {self.added} chunk(s) added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged"
        )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


_header_splitter = MarkdownHeaderTextSplitter(
    headers_to_split_on=[("#", "h1"), ("##", "h2"), ("###", "h3")], strip_headers=True
)
_text_splitter = RecursiveCharacterTextSplitter(chunk_size=600, chunk_overlap=60)


def parse_note_file(path: Path, origin: str, key: str) -> list[tuple[str, str, dict[str, Any]]]:
    """Split one file into ``(chunk_id, text, metadata)`` triples."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise IngestError(f"{path}: unsupported file type '{path.suffix or 'none'}'. Fix: give a .md or .txt file.")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise IngestError(f"{path}: larger than {MAX_FILE_BYTES // 1_000_000} MB. Fix: split it into smaller files.")
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise IngestError(f"{path}: not UTF-8 text. Fix: re-save it as UTF-8.") from exc
    raw = raw.replace("\r\n", "\n")
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(raw)
    if match:
        try:
            loaded = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError as exc:
            raise IngestError(f"{path}: the front matter is not valid YAML. Fix it or remove it.") from exc
        if not isinstance(loaded, dict):
            raise IngestError(f"{path}: the front matter must be key: value lines.")
        meta = {k: str(v) for k, v in loaded.items() if isinstance(v, str | int | float)}
        raw = raw[match.end() :]
    if not raw.strip():
        raise IngestError(f"{path}: the file is empty. Fix: add some notes to it.")

    role_name = meta.get("role_name") or path.stem.replace("-", " ").replace("_", " ").capitalize()
    file_source = meta.get("source") or (path.name if origin == "user" else "Mock Informant notes")
    sections = (_header_splitter.split_text(raw) if path.suffix.lower() in {".md", ".markdown"} else []) or [
        _PlainSection(raw)
    ]
    chunks: list[tuple[str, str, dict[str, Any]]] = []
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    for section in sections:
        heading = section.metadata.get("h2") or section.metadata.get("h3") or section.metadata.get("h1") or ""
        body = section.page_content.strip()
        if not body:
            continue
        source_match = _SOURCE_LINE.search(body)
        source = source_match.group(1) if source_match else file_source
        body = _SOURCE_LINE.sub("", body).strip()
        topic = HEADING_TOPICS.get(heading.strip().lower(), "other")
        title = f"{role_name}: {heading}" if heading else role_name
        for i, piece in enumerate(_text_splitter.split_text(body)):
            chunk_id = f"{origin}:{key}#{_slug(heading)}-{i}"
            metadata = {
                "origin": origin,
                "source_key": key,
                "file_name": path.name,
                "industry": meta.get("industry", ""),
                "role": meta.get("role", ""),
                "topic": topic,
                "title": title,
                "source": source,
                "hash": _hash(piece + title + source),
                "added": added_at,
            }
            chunks.append((chunk_id, piece, metadata))
    if not chunks:
        raise IngestError(f"{path}: no text found to ingest.")
    return chunks


class _PlainSection:
    def __init__(self, text: str) -> None:
        self.page_content = text
        self.metadata: dict[str, str] = {}


class NoteStore:
    """A persistent Chroma collection of notes under one directory."""

    def __init__(self, directory: Path) -> None:
        os.environ.setdefault("SQLITE_TMPDIR", str(directory))
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        from knowledge.embeddings import MiniLMEmbeddingFunction

        directory.mkdir(parents=True, exist_ok=True)
        self.directory = directory
        self.client = chromadb.PersistentClient(
            path=str(directory), settings=ChromaSettings(anonymized_telemetry=False)
        )
        self.embedding_function = MiniLMEmbeddingFunction()
        self.collection = self.client.get_or_create_collection(
            COLLECTION,
            embedding_function=self.embedding_function,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._lock = threading.Lock()

    def count(self) -> int:
        return self.collection.count()

    # ----------------------------------------------------------------- ingestion

    def ingest_files(
        self,
        paths: Iterable[Path],
        origin: str,
        key_for: Callable[[Path], str],
        progress: Callable[[int, int, str], None] | None = None,
    ) -> IngestResult:
        paths = list(paths)
        result = IngestResult()
        for n, path in enumerate(paths, 1):
            if progress:
                progress(n, len(paths), path.name)
            chunks = parse_note_file(path, origin, key_for(path))
            self._replace_source(origin, key_for(path), chunks, result)
            result.files += 1
        return result

    def _replace_source(
        self, origin: str, key: str, chunks: list[tuple[str, str, dict[str, Any]]], result: IngestResult
    ) -> None:
        with self._lock:
            existing = self.collection.get(
                where={"$and": [{"origin": origin}, {"source_key": key}]}, include=["metadatas"]
            )
            old = {i: m.get("hash") for i, m in zip(existing["ids"], existing["metadatas"] or [], strict=False)}
            new_ids = {c[0] for c in chunks}
            stale = [i for i in old if i not in new_ids]
            changed = [c for c in chunks if old.get(c[0]) != c[2]["hash"]]
            if changed:
                # The title goes into the vector too: short questions match "Pay" or "Typical day"
                # far better than they match a paragraph alone.
                vectors = self.embedding_function([f"{c[2]['title']}. {c[1]}" for c in changed])
                self.collection.upsert(
                    ids=[c[0] for c in changed],
                    documents=[c[1] for c in changed],
                    metadatas=[c[2] for c in changed],
                    embeddings=vectors,
                )
            if stale:
                self.collection.delete(ids=stale)
            result.added += sum(1 for c in changed if c[0] not in old)
            result.updated += sum(1 for c in changed if c[0] in old)
            result.removed += len(stale)
            result.unchanged += len(chunks) - len(changed)

    def ingest_builtin(self, progress: Callable[[int, int, str], None] | None = None) -> IngestResult:
        """Ingest ``knowledge/notes`` (fast no-op when nothing changed since the last run)."""
        files = sorted(NOTES_DIR.rglob("*.md"))
        fingerprint = _hash("".join(f"{p.relative_to(NOTES_DIR)}:{p.read_text(encoding='utf-8')}" for p in files))
        marker = self.directory / "builtin.fingerprint"
        if marker.is_file() and marker.read_text() == fingerprint and self.count() > 0:
            return IngestResult(files=len(files), unchanged=-1)
        result = self.ingest_files(files, "builtin", lambda p: str(p.relative_to(NOTES_DIR).with_suffix("")), progress)
        # Built-in files that were removed from the repository: drop their chunks.
        keys = {str(p.relative_to(NOTES_DIR).with_suffix("")) for p in files}
        existing = self.collection.get(where={"origin": "builtin"}, include=["metadatas"])
        gone = [
            i for i, m in zip(existing["ids"], existing["metadatas"] or [], strict=False) if m["source_key"] not in keys
        ]
        if gone:
            self.collection.delete(ids=gone)
            result.removed += len(gone)
        marker.write_text(fingerprint)
        return result

    def ingest_user_files(
        self, paths: Iterable[Path], progress: Callable[[int, int, str], None] | None = None
    ) -> IngestResult:
        paths = [Path(p) for p in paths]
        for path in paths:
            if not path.exists():
                raise IngestError(f"{path}: no such file. Fix: check the path.")
            if path.is_dir():
                raise IngestError(f"{path}: is a folder. Fix: name the files, e.g. {path}/*.md")
        # Parse everything first, so a bad file stops the run before anything is stored.
        for path in paths:
            parse_note_file(path, "user", path.name)
        return self.ingest_files(paths, "user", lambda p: p.name, progress)

    # ----------------------------------------------------------------- retrieval

    def retrieve(self, query: str, role: str | None = None, k: int = 3) -> list[Note]:
        where: dict[str, Any] | None = None
        if role:
            where = {"$or": [{"role": role}, {"origin": "user"}]}
        res = self.collection.query(
            query_texts=[query], n_results=k, where=where, include=["documents", "metadatas", "distances"]
        )
        notes = []
        for nid, doc, meta, dist in zip(
            res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0], strict=False
        ):
            notes.append(
                Note(
                    id=nid,
                    title=str(meta.get("title", nid)),
                    source=str(meta.get("source", "")),
                    text=doc,
                    topic=str(meta.get("topic", "other")),
                    score=round(1.0 - float(dist), 4),
                )
            )
        return notes

    def overview(self) -> list[dict[str, Any]]:
        """One row per source file: where it came from, its industry and role, sections, chunks."""
        res = self.collection.get(include=["metadatas"])
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for meta in res["metadatas"] or []:
            key = (str(meta["origin"]), str(meta["source_key"]))
            row = rows.setdefault(
                key,
                {
                    "origin": "built-in" if key[0] == "builtin" else "yours",
                    "industry": meta.get("industry") or "–",
                    "role": meta.get("role") or "–",
                    "file": meta.get("file_name", key[1]),
                    "sections": set(),
                    "chunks": 0,
                },
            )
            row["sections"].add(meta.get("title", ""))
            row["chunks"] += 1
        out = sorted(rows.values(), key=lambda r: (r["origin"] != "yours", r["industry"], r["role"], r["file"]))
        for row in out:
            row["sections"] = len(row["sections"])
        return out

    def notes_for_role(self, role: str) -> list[Note]:
        res = self.collection.get(where={"role": role}, include=["documents", "metadatas"])
        return [
            Note(id=i, title=str(m["title"]), source=str(m["source"]), text=d, topic=str(m["topic"]))
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=False)
        ]


_STORES: dict[Path, NoteStore] = {}
_STORES_LOCK = threading.Lock()


def open_store(directory: Path) -> NoteStore:
    """One store per directory per process."""
    with _STORES_LOCK:
        if directory not in _STORES:
            _STORES[directory] = NoteStore(directory)
        return _STORES[directory]
