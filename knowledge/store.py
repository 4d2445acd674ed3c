"""Industry notes and the user's documents in a Chroma collection: parsing, idempotent
ingestion, sources, and retrieval.

A built-in note is Markdown with YAML front matter (industry, role, …) and one ``## `` section
per topic; a section may end with a ``Source: …`` line naming where its facts come from. A user
document (md, txt, pdf, docx, html) is read by :mod:`knowledge.documents`. Every section becomes
one or more chunks whose ids are stable (source + section + index), so ingesting twice adds
nothing, and a changed file replaces its old chunks. A chunk whose text another of the user's
sources already holds is not stored twice. An ingest killed half-way needs no clean-up: each file's
new chunks are written in one upsert before its stale ones are deleted, so running the same ingest
again converges on what one clean run stores (tests/system/test_slow.py kills one to check).

The collection lives in a local directory (``chromadb.PersistentClient``), or on a Chroma server
when ``CHROMA_HOST`` is set (``chromadb.HttpClient``): nothing else changes.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_text_splitters import RecursiveCharacterTextSplitter

from core.errors import IngestError
from core.text import slug
from knowledge import NOTES_DIR
from knowledge.documents import load_document
from knowledge.vocabulary import vocabulary

__all__ = ["IngestResult", "Note", "NoteStore", "parse_note_file", "unique_sources", "whole_sections"]

COLLECTION = "notes"
# Bump when chunk metadata changes: every chunk is then re-written on the next ingest.
METADATA_VERSION = "2"


VERSION_TTL_S = 2.0
_SOURCE_LINE = re.compile(r"^\s*Source:\s*(.+?)\s*$", re.MULTILINE)
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    source: str
    text: str
    topic: str = "other"
    score: float = 0.0
    section: str = ""
    role: str = ""
    persona: str = ""

    def as_source(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "source": self.source}

    @classmethod
    def from_chroma(cls, nid: str, doc: str, meta: dict[str, Any], score: float = 0.0) -> Note:
        """A note from one row of the Chroma collection (its id, text and metadata)."""
        return cls(
            id=nid,
            title=str(meta.get("title", nid)),
            source=str(meta.get("source", "")),
            text=doc,
            topic=str(meta.get("topic", "other")),
            score=score,
            section=str(meta.get("section", "")),
            role=str(meta.get("role", "")),
            persona=str(meta.get("persona", "")),
        )


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
    duplicates: int = 0
    errors: list[str] = field(default_factory=list)

    def plain(self) -> str:
        """The summary in plain words, for the page: "3 files: 5 new passages, 1 updated"."""

        def n(count: int, word: str) -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        done = [
            f"{n(self.added, 'new passage')}" if self.added else "",
            f"{self.updated} updated" if self.updated else "",
        ]
        done += [f"{self.removed} removed" if self.removed else ""]
        done += [f"{n(self.duplicates, 'repeated passage')} skipped" if self.duplicates else ""]
        said = ", ".join(d for d in done if d) or "nothing new (these were added before)"
        return f"{n(self.files, 'file')}: {said}"

    def summary(self) -> str:
        dupes = f", {self.duplicates} duplicate(s) skipped" if self.duplicates else ""
        return (
            f"{self.files} file(s): {self.added} chunk(s) added, {self.updated} updated, "
            f"{self.removed} removed, {self.unchanged} unchanged{dupes}"
        )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


_text_splitter = RecursiveCharacterTextSplitter(chunk_size=600, chunk_overlap=60)


def parse_note_file(
    path: Path, origin: str, key: str, extra: dict[str, str] | None = None
) -> list[tuple[str, str, dict[str, Any]]]:
    """Split one file into ``(chunk_id, text, metadata)`` triples."""
    document = load_document(path)
    meta = {**document.meta, **(extra or {})}
    default_name = path.stem.replace("-", " ").replace("_", " ")
    role_name = meta.get("role_name") or meta.get("title") or (default_name[:1].upper() + default_name[1:])
    file_source = meta.get("source") or (path.name if origin == "user" else "Mock Informant notes")
    added_at = datetime.now(UTC).isoformat(timespec="seconds")
    chunks: list[tuple[str, str, dict[str, Any]]] = []
    seen_ids: dict[str, int] = {}
    for section in document.sections:
        heading = section.heading.strip()
        source_match = _SOURCE_LINE.search(section.text)
        source = source_match.group(1) if source_match else file_source
        if section.page:
            source = f"{source}, page {section.page}"
        body = _SOURCE_LINE.sub("", section.text).strip()
        if not body:
            continue
        topic = vocabulary().heading_topics.get(heading.lower(), "other")  # knowledge/vocabulary.yaml
        title = f"{role_name}: {heading}" if heading else role_name
        base = slug(heading) + (f"-p{section.page}" if section.page else "")
        for piece in _text_splitter.split_text(body):
            n = seen_ids.get(base, 0)
            seen_ids[base] = n + 1
            metadata = {
                "origin": origin,
                "source_key": key,
                "file_name": path.name,
                "type": document.kind,
                "page": section.page or 0,
                "industry": meta.get("industry", ""),
                "role": meta.get("role", ""),
                "persona": meta.get("persona", ""),
                "topic": topic,
                "section": heading,
                "title": title,
                "source": source,
                "content_hash": _hash(piece),
                "hash": _hash(
                    METADATA_VERSION + piece + title + source + meta.get("persona", "") + meta.get("role", "")
                ),
                "added": added_at,
            }
            chunks.append((f"{origin}:{key}#{base}-{n}", piece, metadata))
    if not chunks:
        raise IngestError(f"{path.name}: no text found to ingest.")
    return chunks


def _chroma_client(directory: Path, host: str | None, port: int):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if host:
        return chromadb.HttpClient(host=host, port=port, settings=settings)
    os.environ.setdefault("SQLITE_TMPDIR", str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(directory), settings=settings)


class NoteStore:
    """The notes collection, local (a directory) or on a Chroma server (``host``/``port``)."""

    def __init__(self, directory: Path, host: str | None = None, port: int = 8000) -> None:
        from knowledge.embeddings import MiniLMEmbeddingFunction

        self.directory = directory
        self.where = f"http://{host}:{port}" if host else str(directory)
        self.client = _chroma_client(directory, host, port)
        self.embedding_function = MiniLMEmbeddingFunction()
        self.collection = self.client.get_or_create_collection(
            COLLECTION,
            embedding_function=self.embedding_function,
            configuration={"hnsw": {"space": "cosine"}},
        )
        self._lock = threading.Lock()
        self._writes = 0
        self._counted: tuple[float, int, int] | None = None  # (when, writes, count) for version()

    def count(self) -> int:
        return self.collection.count()

    def version(self) -> int:
        """Changes whenever the notes change: at once for writes by this process, and within
        ``VERSION_TTL_S`` for another process's (a different count; counting 10,000 chunks takes
        ~4 ms, too long to do on every search)."""
        now = time.monotonic()
        if self._counted is None or now - self._counted[0] > VERSION_TTL_S or self._counted[1] != self._writes:
            self._counted = (now, self._writes, self.count())
        return hash(self._counted[1:])

    # ----------------------------------------------------------------- ingestion

    def ingest_files(
        self,
        paths: Iterable[Path],
        origin: str,
        key_for: Callable[[Path], str],
        progress: Progress | None = None,
        extra: dict[str, str] | None = None,
    ) -> IngestResult:
        paths = list(paths)
        result = IngestResult()
        for n, path in enumerate(paths, 1):
            if progress:
                progress(n, len(paths), path.name)
            chunks = parse_note_file(path, origin, key_for(path), extra)
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
            if origin == "user":
                chunks = self._drop_duplicates(key, chunks, result)
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
            self._writes += 1
            result.added += sum(1 for c in changed if c[0] not in old)
            result.updated += sum(1 for c in changed if c[0] in old)
            result.removed += len(stale)
            result.unchanged += len(chunks) - len(changed)

    def _drop_duplicates(
        self, key: str, chunks: list[tuple[str, str, dict[str, Any]]], result: IngestResult
    ) -> list[tuple[str, str, dict[str, Any]]]:
        """Keep one copy of each text: within this file, and against the user's other sources."""
        hashes = list({c[2]["content_hash"] for c in chunks})
        elsewhere = self.collection.get(
            where={"$and": [{"origin": "user"}, {"content_hash": {"$in": hashes}}]}, include=["metadatas"]
        )
        taken = {m["content_hash"] for m in elsewhere["metadatas"] or [] if m["source_key"] != key}
        kept = []
        for chunk in chunks:
            h = chunk[2]["content_hash"]
            if h in taken:
                result.duplicates += 1
                continue
            taken.add(h)
            kept.append(chunk)
        return kept

    def ingest_builtin(self, progress: Progress | None = None) -> IngestResult:
        """Ingest ``knowledge/notes`` (a quick no-op when nothing changed since the last run)."""
        files = sorted(NOTES_DIR.rglob("*.md"))
        fingerprint = _hash(
            METADATA_VERSION + "".join(f"{p.relative_to(NOTES_DIR)}:{p.read_text(encoding='utf-8')}" for p in files)
        )
        if (self.collection.metadata or {}).get("builtin_fingerprint") == fingerprint and self.count() > 0:
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
        self.collection.modify(metadata={"builtin_fingerprint": fingerprint})
        return result

    def ingest_user_files(
        self, paths: Iterable[Path], progress: Progress | None = None, extra: dict[str, str] | None = None
    ) -> IngestResult:
        paths = [Path(p) for p in paths]
        if not paths:
            raise IngestError("no files given. Fix: name at least one .md, .txt, .pdf, .docx or .html file.")
        # Parse everything first, so a bad file stops the run before anything is stored.
        for path in paths:
            try:
                parse_note_file(path, "user", path.name, extra)
            except IngestError as exc:
                if len(paths) == 1:
                    raise
                raise IngestError(f"{exc} Nothing from these {len(paths)} files was added.") from exc
        return self.ingest_files(paths, "user", lambda p: p.name, progress, extra)

    # ----------------------------------------------------------------- sources

    def sources(self) -> list[dict[str, Any]]:
        """One row per source file: origin, file, type, industry, role, sections, chunks, when added."""
        res = self.collection.get(include=["metadatas"])
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        for meta in res["metadatas"] or []:
            key = (str(meta["origin"]), str(meta["source_key"]))
            row = rows.setdefault(
                key,
                {
                    "source": key[1],
                    "origin": "built-in" if key[0] == "builtin" else "yours",
                    "file": meta.get("file_name", key[1]),
                    "type": meta.get("type", "md"),
                    "industry": meta.get("industry") or "",
                    "role": meta.get("role") or "",
                    "persona": meta.get("persona") or "",
                    "sections": set(),
                    "chunks": 0,
                    "added": meta.get("added", ""),
                },
            )
            row["sections"].add(meta.get("title", ""))
            row["chunks"] += 1
        out = sorted(rows.values(), key=lambda r: (r["origin"] != "yours", r["industry"], r["role"], r["file"]))
        for row in out:
            row["sections"] = len(row["sections"])
        return out

    def kept_text(self, source: str) -> list[Note]:
        """What the informants read from one source (by the name `sources` lists), section by
        section: what was kept at ingest, without the text a reader never saw (knowledge/hidden.py)."""
        source = (source or "").strip()
        res = self.collection.get(where={"source_key": source}, include=["documents", "metadatas"])
        if not res["ids"]:
            raise IngestError(f"No source named '{source}'. Fix: see `informant sources` for the names.")
        notes = [
            Note.from_chroma(i, d, m) for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=False)
        ]
        return whole_sections(notes)

    def forget(self, source: str) -> int:
        """Delete one of the user's sources (by the name `sources` lists). Returns chunks removed."""
        source = (source or "").strip()
        with self._lock:
            found = self.collection.get(where={"$and": [{"origin": "user"}, {"source_key": source}]}, include=[])
            if not found["ids"]:
                builtin = self.collection.get(where={"source_key": source}, include=[], limit=1)
                if builtin["ids"]:
                    raise IngestError(f"'{source}' is a built-in note and can't be forgotten. Fix: pick one of yours.")
                raise IngestError(f"No source named '{source}'. Fix: see `informant sources` for the names.")
            self.collection.delete(ids=found["ids"])
            self._writes += 1
        return len(found["ids"])

    # ----------------------------------------------------------------- retrieval

    @staticmethod
    def scope(role: str | None, persona: str | None = None) -> dict[str, Any] | None:
        """The notes a persona may draw on: its role's notes (built-in, or the user's notes for
        that role), the user's notes for no particular role, and notes made for this persona."""
        if not role:
            return None
        clauses: list[dict[str, Any]] = [
            {"$and": [{"role": role}, {"persona": ""}]},
            {"$and": [{"origin": "user"}, {"role": ""}, {"persona": ""}]},
        ]
        if persona:
            clauses.append({"persona": persona})
        return {"$or": clauses}

    def notes_in_scope(self, role: str, persona: str | None = None) -> list[Note]:
        res = self.collection.get(where=self.scope(role, persona), include=["documents", "metadatas"])
        return [
            Note.from_chroma(i, d, m) for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=False)
        ]


def whole_sections(notes: list[Note]) -> list[Note]:
    """One note per section, its chunks joined again (the splitter overlaps them by a few words)."""
    groups: dict[tuple[str, str], list[Note]] = {}
    for note in notes:
        groups.setdefault((note.title, note.source), []).append(note)

    def order(note: Note) -> tuple[str, int]:
        base, _, n = note.id.rpartition("-")
        return (base, int(n) if n.isdigit() else 0)

    merged: list[Note] = []
    for chunks in groups.values():
        chunks = sorted(chunks, key=order)
        text = chunks[0].text
        for chunk in chunks[1:]:
            nxt = chunk.text
            overlap = next((k for k in range(min(len(text), len(nxt), 200), 9, -1) if text.endswith(nxt[:k])), 0)
            text = text + ("" if overlap else " ") + nxt[overlap:]
        merged.append(replace(chunks[0], text=text))
    return merged
