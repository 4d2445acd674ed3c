"""Intents learned from labelled examples on the MiniLM embeddings, not from a list of patterns.

A set of intents is a YAML file in ``knowledge/intents/``: ``labels: {label: [example, …]}`` with a
``none`` label for ordinary messages that look like the others, ``templates`` (frames filled with
words: ``expand``), ``files`` (more examples in the same ``{label: [example, …]}`` shape, kept in
their own file) and ``from`` (files of labelled seeker questions, ``cases[*]``: a question with
the entry's ``flag`` takes its ``label``, every other one is ``none``). A softmax regression on the
examples' embeddings (class-balanced, L2-regularised, a few hundred steps of gradient descent in
numpy) learns what separates the labels; a message takes the most probable label when its
probability reaches ``threshold``, else ``none``. Words the examples never used land near them in
the embedding space, which a pattern list can't do.

    IntentModel.load("informant").classify("pretend you're my hiring manager")  # Intent("role_play", 0.93)

Training embeds every example once (a few seconds on two cores), so the learned weights ship beside
the examples (``knowledge/intents/<name>.npz``, with the examples' fingerprint) and load in
milliseconds; after an edit to the examples, rebuild them (a test says so):

    python -m agents.intents build informant
"""

from __future__ import annotations

import hashlib
import json
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

__all__ = ["INTENTS_DIR", "NONE", "Intent", "IntentModel", "expand"]

ROOT = Path(__file__).resolve().parent.parent
INTENTS_DIR = ROOT / "knowledge" / "intents"
NONE = "none"
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Intent:
    label: str  # one of the file's labels; "none" for an ordinary message
    probability: float  # of that label


def _train(x: np.ndarray, y: np.ndarray, classes: int, l2: float, steps: int, rate: float) -> np.ndarray:
    """Softmax regression weights (features + 1 bias row) by full-batch gradient descent."""
    n, d = x.shape
    x1 = np.hstack([x, np.ones((n, 1))])
    weights = np.zeros((d + 1, classes))
    counts = np.bincount(y, minlength=classes)
    sample = (n / (classes * counts))[y] / n  # each label weighs the same, however many examples it has
    target = np.eye(classes)[y]
    penalty = np.ones((d + 1, 1))
    penalty[-1] = 0.0  # the bias is not shrunk
    for _ in range(steps):
        z = x1 @ weights
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        weights -= rate * (x1.T @ ((p - target) * sample[:, None]) + l2 * penalty * weights)
    return weights


def _probabilities(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    z = np.hstack([x, np.ones((len(x), 1))]) @ weights
    z -= z.max(axis=1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=1, keepdims=True)


def expand(template: dict[str, list[str]]) -> list[str]:
    """Every frame filled with every combination of the words it names (``{who}`` from ``who``, …)."""
    import itertools
    import re

    out: list[str] = []
    for frame in template["frames"]:
        slots = list(dict.fromkeys(re.findall(r"\{(\w+)\}", frame)))
        for values in itertools.product(*(template[slot] for slot in slots)):
            text = frame.format(**dict(zip(slots, values, strict=True)))
            out.append(text[:1].upper() + text[1:])
    return out


class IntentModel:
    """A message's intent among a file's labels (see the module's docstring)."""

    def __init__(
        self,
        examples: dict[str, list[str]],
        threshold: float = 0.6,
        l2: float = 1e-3,
        steps: int = 1500,
        shipped: Path | None = None,
    ) -> None:
        if NONE not in examples:
            raise ValueError(f"the examples need a {NONE!r} label for ordinary messages")
        self.labels = sorted(examples)
        self.texts = [t for label in self.labels for t in examples[label]]
        self.targets = np.array([i for i, label in enumerate(self.labels) for _ in examples[label]])
        self.threshold, self.l2, self.steps = threshold, l2, steps
        self.shipped = shipped  # learned weights saved with the examples' fingerprint
        self._weights: np.ndarray | None = None
        self._x: np.ndarray | None = None
        self._lock = threading.Lock()

    @classmethod
    @lru_cache(maxsize=8)
    def load(cls, name: str) -> IntentModel:
        """The intents of ``knowledge/intents/<name>.yaml`` (one model per process), with the weights
        shipped beside them when they were learned from these very examples."""
        data = yaml.safe_load((INTENTS_DIR / f"{name}.yaml").read_text(encoding="utf-8"))
        examples = {label: list(texts) for label, texts in data["labels"].items()}
        for label, template in (data.get("templates") or {}).items():
            examples.setdefault(label, []).extend(expand(template))
        for path in data.get("files", []):  # more labelled examples, kept apart (e.g. written by someone else)
            more = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
            for label, texts in more.items():
                examples.setdefault(label, []).extend(texts)
        for source in data.get("from", []):  # labelled questions elsewhere: those with the flag take the label
            cases = yaml.safe_load((ROOT / source["path"]).read_text(encoding="utf-8"))["cases"]
            for case in cases:
                label = source["label"] if source["flag"] in (case.get("flags") or []) else NONE
                examples.setdefault(label, []).append(case["question"])
        return cls(examples, threshold=float(data.get("threshold", 0.6)), shipped=INTENTS_DIR / f"{name}.npz")

    @property
    def fingerprint(self) -> str:
        text = json.dumps([_CACHE_VERSION, self.labels, self.texts, self.l2, self.steps])
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    @staticmethod
    def embed(texts: list[str]) -> np.ndarray:
        from knowledge.embeddings import MiniLMEmbedder

        return np.asarray(MiniLMEmbedder.shared().embed(texts), dtype=np.float64)

    def features(self) -> np.ndarray:
        """The examples' embeddings (computed once)."""
        if self._x is None:
            self._x = self.embed(self.texts)
        return self._x

    def fit(self, rows: np.ndarray | None = None) -> np.ndarray:
        """Weights learned from the examples (``rows``: only those, for cross-validation)."""
        x = self.features()
        rows = np.arange(len(self.texts)) if rows is None else rows
        return _train(x[rows], self.targets[rows], len(self.labels), self.l2, self.steps, rate=2.0)

    def weights(self) -> np.ndarray:
        with self._lock:
            if self._weights is None:
                cached = self._cached()
                self._weights = cached if cached is not None else self.fit()
            return self._weights

    def _cached(self) -> np.ndarray | None:
        """The shipped weights, if they were learned from these examples."""
        if self.shipped is None or not self.shipped.exists():
            return None
        try:
            with np.load(self.shipped) as saved:
                if str(saved["fingerprint"]) != self.fingerprint:
                    return None
                return np.asarray(saved["weights"])
        except (OSError, ValueError, KeyError):
            return None

    def save(self) -> Path:
        """Learn the weights from the examples and ship them beside the examples."""
        assert self.shipped is not None
        self._weights = self.fit()
        np.savez(self.shipped, weights=self._weights, fingerprint=np.array(self.fingerprint))
        return self.shipped

    def up_to_date(self) -> bool:
        return self._cached() is not None

    def classify(self, text: str) -> Intent:
        return self.classify_many([text])[0]

    def classify_many(self, texts: list[str]) -> list[Intent]:
        """The intent of each of ``texts`` (one embedding call)."""
        if not texts:
            return []
        return self._decide(_probabilities(self.weights(), self.embed(texts)))

    def _decide(self, probabilities: np.ndarray) -> list[Intent]:
        """Each row's most probable label, or ``none`` below the threshold."""
        out = []
        for row in probabilities:
            best = int(row.argmax())
            label = self.labels[best] if row[best] >= self.threshold else NONE
            out.append(Intent(label, round(float(row[best]), 3)))
        return out

    def cross_validate(self, folds: int = 5, seed: int = 0) -> dict[tuple[str, str], int]:
        """(true label, predicted label) counts, each example predicted by a model that never saw it."""
        order = np.random.default_rng(seed).permutation(len(self.texts))
        counts: dict[tuple[str, str], int] = {}
        x = self.features()
        for held in np.array_split(order, folds):
            weights = self.fit(np.setdiff1d(order, held))
            for i, intent in zip(held, self._decide(_probabilities(weights, x[held])), strict=True):
                key = (self.labels[self.targets[i]], intent.label)
                counts[key] = counts.get(key, 0) + 1
        return counts


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] != "build":
        print("usage: python -m agents.intents build NAME   (NAME: a file of knowledge/intents without .yaml)")
        return 2
    model = IntentModel.load(argv[1])
    path = model.save()
    counts = model.cross_validate()
    right = sum(n for (truth, guess), n in counts.items() if truth == guess)
    print(f"wrote {path.relative_to(ROOT)}; 5-fold cross-validation on the examples: {right}/{sum(counts.values())}")
    for label in model.labels:
        row = {guess: n for (truth, guess), n in counts.items() if truth == label}
        print(f"  {label}: {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
