"""Retrieval quality on labelled seeker queries: recall@5 and MRR.

    python -m evals.retrieval_eval

Each query in ``retrieval_queries.yaml`` names a role and the note section(s) whose text answers
it. A query counts as found at rank r when the r-th retrieved chunk belongs to one of those
sections of that role. Two settings:
- *in role*: the search is scoped to the persona's notes, as the informant searches;
- *all notes*: no scope, so the right role must be found too (harder).
Variants compared: plain vector search, and the informant's hybrid (vector + BM25, fused by rank).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import BaseModel

from knowledge.retrieval import Retriever
from knowledge.store import NoteStore

__all__ = ["DEPTH", "K", "QUERIES", "evaluate", "load_queries", "main", "Query", "Score", "table"]

QUERIES = Path(__file__).parent / "retrieval_queries.yaml"
K = 5
DEPTH = 10  # ranks looked at for MRR


class Query(BaseModel):
    query: str
    role: str
    sections: list[str]
    note: str | None = None


def load_queries(path: Path = QUERIES) -> list[Query]:
    return [Query.model_validate(q) for q in yaml.safe_load(path.read_text(encoding="utf-8"))["queries"]]


@dataclass
class Score:
    name: str
    recall_at_5: float
    mrr: float
    n: int

    def line(self) -> str:
        return f"{self.name:<34}{self.recall_at_5:>10.3f}{self.mrr:>8.3f}{self.n:>6}"


def _rank(notes, q: Query) -> int | None:
    for i, note in enumerate(notes, 1):
        if note.role == q.role and note.section in q.sections:
            return i
    return None


def evaluate(store: NoteStore, queries: list[Query]) -> list[Score]:
    retriever = Retriever(store)
    variants = {
        "in role, vector only": lambda q: retriever.vector_search(q.query, q.role, None, DEPTH),
        "in role, hybrid (the informant's)": lambda q: retriever.search(q.query, q.role, k=DEPTH),
        "all notes, vector only": lambda q: retriever.vector_search(q.query, None, None, DEPTH),
        "all notes, hybrid": lambda q: retriever.search(q.query, None, k=DEPTH),
    }
    scores = []
    for name, run in variants.items():
        ranks = [_rank(run(q), q) for q in queries]
        recall = sum(1 for r in ranks if r is not None and r <= K) / len(queries)
        mrr = statistics.mean(1 / r if r else 0.0 for r in ranks)
        scores.append(Score(name, round(recall, 3), round(mrr, 3), len(queries)))
    return scores


def table(scores: list[Score]) -> str:
    return "\n".join([f"{'retrieval':<34}{'recall@5':>10}{'MRR':>8}{'n':>6}", *(s.line() for s in scores)])


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        store = NoteStore(Path(tmp) / "chroma")
        store.ingest_builtin()
        print(table(evaluate(store, load_queries())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
