"""Ranking the notes for a question: what the informant reads, and what the evals measure.

Hybrid search within the persona's scope: vector search (MiniLM, cosine) and keyword search
(BM25, ``bm25s``) are fused by reciprocal rank, with the vector ranking weighted 0.7.

Chroma is the store of record. The retriever mirrors it in memory, rebuilt when it changes: the
chunks, their metadata, a BM25 index and the normalised vectors. A scoped vector search is then an
exact scan over the in-scope rows (10,000 chunks: 15 MB, about a millisecond), where Chroma's
filtered query took ~30 ms at that size on 2 cores; the two rank the same notes.
On ``evals/retrieval_queries.yaml`` (``python -m evals.retrieval_eval``) this raised recall@5 and
MRR over vector search alone, in the persona's notes and across all notes; a topic boost from the
critic's topic was tried and did not help, so it is not used.

Notes made for one persona (a custom persona's bio) rank ahead of the role's notes for that
persona. A note is dropped as not about the question when neither search finds it relevant: a cosine
similarity under ``MIN_NOTE_SCORE`` and a BM25 score under ``MIN_KEYWORD_SCORE``. With nothing
left, the informant says it can't speak to that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace
from typing import Any

import bm25s
import numpy as np

from knowledge.store import Note, NoteStore
from knowledge.vocabulary import vocabulary

__all__ = ["MIN_KEYWORD_SCORE", "MIN_NOTE_SCORE", "RRF_K", "VECTOR_WEIGHT", "in_scope", "Retriever"]

MIN_NOTE_SCORE = 0.15
MIN_KEYWORD_SCORE = 3.0
VECTOR_WEIGHT = 0.7
RRF_K = 60


def _tokens(texts: list[str]) -> Any:
    return bm25s.tokenize(texts, stopwords="en", show_progress=False)


def in_scope(meta: dict[str, Any], role: str | None, persona: str | None) -> bool:
    """Python twin of :meth:`NoteStore.scope` (keep the two in step)."""
    if not role:
        return True
    if meta.get("role") == role and not meta.get("persona"):
        return True
    if meta.get("origin") == "user" and not meta.get("role") and not meta.get("persona"):
        return True
    return bool(persona) and meta.get("persona") == persona


@dataclass
class _Mirror:
    notes: list[Note]
    metas: list[dict[str, Any]]
    bm25: Any
    vectors: np.ndarray  # one L2-normalised row per note
    _masks: dict[tuple[str, str | None], np.ndarray] = field(default_factory=dict)
    _rows: dict[tuple[str, str, str | None], tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def scope_rows(self, role: str, persona: str | None) -> tuple[np.ndarray, np.ndarray]:
        """The in-scope rows and their vectors (kept per scope: a role's notes are a few hundred rows)."""
        key = ("rows", role, persona)
        if key not in self._rows:
            rows = np.flatnonzero(self.scope_mask(role, persona))
            self._rows[key] = (rows, np.ascontiguousarray(self.vectors[rows]))
        return self._rows[key]

    def scope_mask(self, role: str, persona: str | None) -> np.ndarray:
        key = (role, persona)
        if key not in self._masks:
            self._masks[key] = np.array([in_scope(m, role, persona) for m in self.metas], dtype=bool)
        return self._masks[key]


@dataclass
class Retriever:
    store: NoteStore
    k: int = 3
    candidates: int = 20  # how deep each search looks before fusing
    min_score: float = MIN_NOTE_SCORE
    min_keyword_score: float = MIN_KEYWORD_SCORE
    vector_weight: float = VECTOR_WEIGHT
    _index: _Mirror | None = field(default=None, repr=False)
    _index_version: int = field(default=-1, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def mirror(self) -> _Mirror:
        """The in-memory mirror of the store (BM25 and vectors), rebuilt when the store has changed."""
        version = self.store.version()
        with self._lock:
            if self._index is None or self._index_version != version:
                res = self.store.collection.get(include=["documents", "metadatas", "embeddings"])
                metas = list(res["metadatas"] or [])
                notes = [
                    Note.from_chroma(i, d, m) for i, d, m in zip(res["ids"], res["documents"], metas, strict=False)
                ]
                bm25 = bm25s.BM25()
                if notes:
                    bm25.index(_tokens([f"{n.title}. {n.text}" for n in notes]), show_progress=False)
                vectors = np.asarray(res["embeddings"] if notes else np.zeros((0, 384)), dtype=np.float32)
                if len(vectors):
                    vectors /= np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)
                self._index, self._index_version = _Mirror(notes, metas, bm25, vectors), version
            return self._index

    def notes_in_scope(self, role: str | None, persona: str | None = None) -> list[Note]:
        """Every note a persona of ``role`` may draw on (every note for None), from the mirror."""
        index = self.mirror()
        if not role:
            return list(index.notes)
        rows, _ = index.scope_rows(role, persona)
        return [index.notes[i] for i in rows]

    def vector_search(
        self, query: str, role: str | None, persona: str | None, depth: int, index: _Mirror | None = None
    ) -> list[Note]:
        """Cosine similarity to every in-scope chunk (exact), best first (what Chroma's own query ranks)."""
        index = index or self.mirror()
        if not index.notes:
            return []
        query_vector = np.asarray(self.store.embedding_function([query])[0], dtype=np.float32)
        if role:
            rows, vectors = index.scope_rows(role, persona)
        else:
            rows, vectors = np.arange(len(index.notes)), index.vectors
        if not len(rows):
            return []
        scores = vectors @ query_vector
        depth = min(depth, len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.argsort(-scores[top])]
        return [replace(index.notes[rows[i]], score=round(float(scores[i]), 4)) for i in top]

    def keyword_search(
        self, query: str, role: str | None, persona: str | None, depth: int, index: _Mirror | None = None
    ) -> list[tuple[Note, float]]:
        index = index or self.mirror()
        words = bm25s.tokenize([query], stopwords="en", show_progress=False, return_ids=False)[0]
        if not index.notes or not words:
            return []
        scores = np.asarray(index.bm25.get_scores(words), dtype=np.float32)
        if role:
            scores = np.where(index.scope_mask(role, persona), scores, 0.0)
        depth = min(depth, len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.argsort(-scores[top])]
        return [(index.notes[i], float(scores[i])) for i in top if scores[i] > 0]

    def for_question(
        self, question: str, role: str | None, persona: str | None = None, topic: str = "other", k: int | None = None
    ) -> list[Note]:
        """The notes the informant reads for a seeker's question on ``topic`` (as the critic classifies
        it): the question, with the topic's search hint when it has one (knowledge/vocabulary.yaml)."""
        hint = vocabulary().by_id[topic].search_hint if topic in vocabulary().by_id else ""
        return self.search(f"{question} {hint}" if hint else question, role, persona, k)

    def search(self, query: str, role: str | None, persona: str | None = None, k: int | None = None) -> list[Note]:
        k = k or self.k
        index = self.mirror()
        vector = self.vector_search(query, role, persona, self.candidates, index)
        keyword = self.keyword_search(query, role, persona, self.candidates, index)
        fused: dict[str, float] = {}
        notes: dict[str, Note] = {}
        for rank, note in enumerate(vector, 1):
            fused[note.id] = fused.get(note.id, 0.0) + self.vector_weight / (RRF_K + rank)
            notes[note.id] = note
        keyword_score = {}
        for rank, (note, score) in enumerate(keyword, 1):
            fused[note.id] = fused.get(note.id, 0.0) + (1 - self.vector_weight) / (RRF_K + rank)
            notes.setdefault(note.id, note)
            keyword_score[note.id] = score
        if persona:  # what is known about this very person (their bio) comes first among equals
            for nid, note in notes.items():
                if note.persona == persona:
                    fused[nid] += 1 / (RRF_K + 1)
        ranked = sorted(fused, key=lambda i: -fused[i])
        kept = [
            notes[i]
            for i in ranked
            if notes[i].score >= self.min_score or keyword_score.get(i, 0.0) >= self.min_keyword_score
        ]
        return kept[:k]
