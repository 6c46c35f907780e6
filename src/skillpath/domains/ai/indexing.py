"""Ranking indexes of a taxonomy: built from the database, embeddings cached on disk, kept in
memory per process; and the trained artefacts shipped in `artefacts/`.

The label embeddings of a source are the slow part (MiniLM over every skill label); they are
written once per taxonomy content to `<cache_dir>/ai/` as `.npz` (no pickles) and reused until
the skills or their labels change (the fingerprint in the file name covers counts, ids, update
times and source versions). The lexical models are rebuilt from the texts when a process first
needs them (a few seconds for ESCO) and then kept in memory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from skillpath.domains.ai import repository
from skillpath.domains.ai.embeddings import Encoder
from skillpath.domains.ai.engine.build import (
    build_skill_index,
    example_memory,
    role_prior,
    skill_embedding_texts,
)
from skillpath.domains.ai.engine.ranker import RankingModel, SkillIndex
from skillpath.domains.ai.engine.titles import TitleIndex, build_title_index

logger = logging.getLogger(__name__)

ARTEFACT_FILE = "skill_ranker.npz"
CACHE_FORMAT = 1
MEMORY_SLOTS = 3


@dataclass(frozen=True)
class Examples:
    """Labelled example sentences shipped as an artefact: embeddings and skill external ids."""

    embeddings: npt.NDArray[np.float32]
    skills: list[list[str]]
    neighbours: int
    power: float


@dataclass(frozen=True)
class Artefacts:
    """What `scripts/train_skill_ranker.py` produced: fusion models, calibration, examples."""

    dense: RankingModel
    lexical: RankingModel
    examples: Examples | None
    title_weights: dict[str, float]
    meta: dict[str, Any]


def _model(data: Any, prefix: str) -> RankingModel:
    """A ranking model from the `<prefix>_weights` and `<prefix>_calibration` arrays."""
    names = [str(name) for name in data["signals"]]
    weights = {
        name: float(value)
        for name, value in zip(names, data[f"{prefix}_weights"], strict=True)
        if float(value)
    }
    slope, intercept = (float(v) for v in data[f"{prefix}_calibration"])
    return RankingModel(weights=weights, calibration=(slope, intercept), name=prefix)


DEFAULT_DENSE = RankingModel(
    weights={"phrase": 0.1, "lexical_labels": 0.35, "lexical_documents": 0.15, "dense": 0.5},
    name="dense-untrained",
)
DEFAULT_LEXICAL = RankingModel(
    weights={"phrase": 0.2, "lexical_labels": 0.6, "lexical_documents": 0.3},
    name="lexical-untrained",
)
UNTRAINED = Artefacts(DEFAULT_DENSE, DEFAULT_LEXICAL, None, {}, {})


def read_artefacts(handle: Any) -> Artefacts:
    """Artefacts from an open `.npz` file (no pickles)."""
    with np.load(handle, allow_pickle=False) as data:
        examples = None
        if "example_embeddings" in data.files:
            offsets = [int(v) for v in data["example_offsets"]]
            uris = [str(uri) for uri in data["example_uris"]]
            flat = [uris[int(i)] for i in data["example_uri_index"]]
            examples = Examples(
                embeddings=np.asarray(data["example_embeddings"], dtype=np.float32),
                skills=[flat[offsets[n] : offsets[n + 1]] for n in range(len(offsets) - 1)],
                neighbours=int(data["example_neighbours"]),
                power=float(data["example_power"]),
            )
        titles = {
            str(name): float(value)
            for name, value in zip(data["title_signals"], data["title_weights"], strict=True)
        }
        return Artefacts(
            dense=_model(data, "dense"),
            lexical=_model(data, "lexical"),
            examples=examples,
            title_weights=titles,
            meta=json.loads(str(data["meta_json"])),
        )


@lru_cache(maxsize=1)
def load_artefacts() -> Artefacts:
    """The trained artefacts shipped with the package (plain defaults when absent)."""
    resource = resources.files("skillpath.domains.ai").joinpath("artefacts", ARTEFACT_FILE)
    if not resource.is_file():
        logger.warning("no trained ranking artefacts found; using untrained defaults")
        return UNTRAINED
    with resource.open("rb") as handle:
        return read_artefacts(handle)


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def cache_file(cache_dir: Path, kind: str, source: str | None, digest: str) -> Path:
    """Where the embeddings of one taxonomy content are kept."""
    name = (source or "all").replace("/", "_")
    return cache_dir / "ai" / f"{kind}-{name}-{digest}.npz"


def _read_cached(path: Path, keys: list[str]) -> npt.NDArray[np.float32] | None:
    """Cached embeddings when the file exists and describes exactly these keys."""
    if not path.is_file():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            if int(data["format"]) != CACHE_FORMAT or [str(k) for k in data["keys"]] != keys:
                return None
            return np.asarray(data["embeddings"], dtype=np.float32)
    except (OSError, ValueError, KeyError):
        logger.warning("ignoring an unreadable embedding cache file %s", path)
        return None


def _write_cached(path: Path, keys: list[str], embeddings: npt.NDArray[np.float32]) -> None:
    """Write embeddings atomically (a temporary file renamed into place)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp.npz")
    np.savez(
        temporary,
        format=np.int64(CACHE_FORMAT),
        keys=np.asarray(keys, dtype=np.str_),
        embeddings=embeddings.astype(np.float16),
    )
    temporary.replace(path)


def cached_embeddings(
    encoder: Encoder, texts: list[str], keys: list[str], path: Path
) -> tuple[npt.NDArray[np.float32], bool]:
    """Embeddings of the texts from the cache file, or computed and written; True if computed."""
    found = _read_cached(path, keys)
    if found is not None and found.shape[0] == len(texts):
        return found, False
    vectors = encoder.encode(texts)
    _write_cached(path, keys, vectors)
    return vectors, True


@dataclass(frozen=True)
class LoadedSkills:
    """A skill index with the database ids and labels behind its rows."""

    index: SkillIndex
    skill_ids: list[int]
    alias_count: int
    cache_path: Path | None
    built_embeddings: bool
    seconds: float


_lock = threading.Lock()
_memory: dict[tuple[object, ...], Any] = {}


def _remember(key: tuple[object, ...], value: Any) -> None:
    """Keep a few indexes per process (oldest forgotten first)."""
    _memory[key] = value
    while len(_memory) > MEMORY_SLOTS:
        _memory.pop(next(iter(_memory)))


def forget_loaded_indexes() -> None:
    """Drop the in-memory indexes (tests)."""
    with _lock:
        _memory.clear()


def skill_index(
    session: Session,
    *,
    source: str | None,
    cache_dir: Path,
    encoder: Encoder | None,
) -> LoadedSkills:
    """The ranking index of a source's skills (all sources when None), with embeddings when an
    encoder is given; built at most once per process and taxonomy content."""
    fingerprint = repository.skill_fingerprint(session, source)
    model_name = encoder.name if encoder is not None else None
    key = ("skills", source, fingerprint, model_name)
    with _lock:
        found = _memory.get(key)
        if isinstance(found, LoadedSkills):
            return found
        started = time.perf_counter()
        texts = repository.skill_texts(session, source)
        artefacts = load_artefacts()
        embeddings = None
        path = None
        built = False
        if encoder is not None and texts.ids:
            path = cache_file(cache_dir, "skills", source, _digest(fingerprint, model_name))
            embeddings, built = cached_embeddings(
                encoder,
                skill_embedding_texts(texts.names, texts.descriptions),
                texts.external_ids,
                path,
            )
        prior = role_prior(repository.role_demand(session, texts.ids))
        examples = None
        if embeddings is not None and artefacts.examples is not None:
            examples = example_memory(
                embeddings=artefacts.examples.embeddings,
                example_skills=artefacts.examples.skills,
                external_ids=texts.external_ids,
                neighbours=artefacts.examples.neighbours,
                power=artefacts.examples.power,
            )
        index = build_skill_index(
            external_ids=texts.external_ids,
            labels=texts.names,
            descriptions=texts.descriptions,
            alias_owner=texts.alias_owner,
            alias_labels=texts.alias_labels,
            alias_hidden=texts.alias_hidden,
            embeddings=embeddings,
            prior=prior,
            examples=examples,
        )
        loaded = LoadedSkills(
            index=index,
            skill_ids=texts.ids,
            alias_count=len(texts.alias_labels),
            cache_path=path,
            built_embeddings=built,
            seconds=time.perf_counter() - started,
        )
        _remember(key, loaded)
        return loaded


@dataclass(frozen=True)
class LoadedRoles:
    """A title index with the database rows behind its entries."""

    index: TitleIndex
    role_ids: list[int]
    sources: list[str]
    external_ids: list[str]
    titles: list[str]
    is_template: list[bool]


def title_index(session: Session, *, cache_dir: Path, encoder: Encoder | None) -> LoadedRoles:
    """The job-title index over every role (internal roles and ESCO/O*NET templates)."""
    fingerprint = repository.role_fingerprint(session, [])
    model_name = encoder.name if encoder is not None else None
    key = ("titles", fingerprint, model_name)
    with _lock:
        found = _memory.get(key)
        if isinstance(found, LoadedRoles):
            return found
        texts = repository.role_texts(session, [])
        embeddings = None
        if encoder is not None and texts.ids:
            path = cache_file(cache_dir, "titles", None, _digest(fingerprint, model_name))
            embeddings, _built = cached_embeddings(
                encoder, texts.titles, [str(role_id) for role_id in texts.ids], path
            )
        index = build_title_index(
            titles=texts.titles,
            alias_owner=texts.alias_owner,
            alias_titles=texts.alias_titles,
            embeddings=embeddings,
        )
        loaded = LoadedRoles(
            index=index,
            role_ids=texts.ids,
            sources=texts.sources,
            external_ids=texts.external_ids,
            titles=texts.titles,
            is_template=texts.is_template,
        )
        _remember(key, loaded)
        return loaded
