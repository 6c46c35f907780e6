"""A small taxonomy and a deterministic stand-in encoder for pure engine tests."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from skillpath.domains.ai.engine.build import build_skill_index, example_memory
from skillpath.domains.ai.engine.ranker import SkillIndex
from skillpath.domains.ai.engine.text import words

SKILLS = [
    ("esco:java", "Java (computer programming)", "Write programs in the Java language."),
    ("esco:python", "Python (computer programming)", "Write programs in Python."),
    ("esco:sql", "SQL", "Query relational databases with SQL."),
    ("esco:pigs", "handle pigs", "Care for swine and move them safely."),
    ("esco:customer", "customer service", "Help customers with their questions and complaints."),
    ("esco:r", "R", "Statistical computing with the R language."),
    ("esco:excel", "use spreadsheets software", "Work with spreadsheets such as Excel."),
]
ALIASES = [
    (0, "Java", False),
    (2, "structured query language", False),
    (3, "swine handling", False),
    (4, "client support", False),
    (6, "Microsoft Excel", False),
    (6, "exel", True),
]
DIMENSION = 64


class HashEncoder:
    """Bag of normalised words hashed into 64 dimensions: texts sharing words are close."""

    name = "hash-encoder"

    def encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        """One unit-length row per text."""
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in words(text):
                bucket = int(hashlib.md5(word.encode()).hexdigest(), 16) % DIMENSION  # noqa: S324
                out[row, bucket] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


def small_index(*, dense: bool = False, examples: bool = False) -> SkillIndex:
    """The small taxonomy as a skill index (with hash embeddings and examples when asked)."""
    encoder = HashEncoder()
    labels = [label for _, label, _ in SKILLS]
    memory = None
    if examples:
        memory = example_memory(
            embeddings=encoder.encode(["we farm swine and pork", "query databases daily"]),
            example_skills=[["esco:pigs"], ["esco:sql", "not-in-index"]],
            external_ids=[uri for uri, _, _ in SKILLS],
            neighbours=1,
            power=1.0,
        )
    return build_skill_index(
        external_ids=[uri for uri, _, _ in SKILLS],
        labels=labels,
        descriptions=[description for _, _, description in SKILLS],
        alias_owner=[owner for owner, _, _ in ALIASES],
        alias_labels=[label for _, label, _ in ALIASES],
        alias_hidden=[hidden for _, _, hidden in ALIASES],
        embeddings=encoder.encode(labels) if dense or examples else None,
        prior=np.asarray([0.5, 0.5, 1.0, 0.1, 0.8, 0.2, 0.9], dtype=np.float32),
        examples=memory,
    )
