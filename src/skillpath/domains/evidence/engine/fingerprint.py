"""Evidence fingerprints: a stable 63-bit key of one observation, computed for millions at once.

Evidence is append-only history, and re-importing a file must add nothing: every row carries a
fingerprint of the whole observation, unique per employee in the database, and rows whose
fingerprint is already stored are skipped.

The fingerprint is a splitmix64-style chain over nine 64-bit words, in wrapping uint64
arithmetic (numpy), so a whole column of observations is hashed in a few vectorised passes:

1. employee id, 2. skill id,
3. the source word's text hash (`text_hash("manager")`),
4. rater id (`NO_RATER` when nobody rated),
5. level and 6. confidence, each quantised to integers as round(x × 10^6) (half to even),
7. observed_at as integer microseconds since 1970-01-01 UTC,
8. expires_on as integer days since 1970-01-01 (`NO_EXPIRY` when absent),
9. the note's text hash (`NO_NOTE` for an empty note).

Each step is `state = mix((state + GAMMA) XOR word)` with splitmix64's finaliser as `mix` (a
bijection of 64-bit words with full avalanche); the result is the top 63 bits, so it fits a
signed BIGINT and is never negative. Text hashes are the first 8 bytes (little-endian) of a
BLAKE2b digest of the UTF-8 text, computed only for the texts that need one (each distinct
source word once, each non-empty note).

It is not a cryptographic hash: it only has to tell apart the observations of one person. Two
different observations of a person with n observations collide with probability about
n² / 2^64 (10^-13 for a thousand observations).

The values are part of stored data: changing anything here makes re-imports of files already
imported add every row again. Tests pin known values.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

import numpy as np
from numpy.typing import ArrayLike, NDArray

SEED = 0x5EED_E71D_E9CE_0001
NO_RATER = -1
NO_EXPIRY = -(2**63)
NO_NOTE = 0
QUANTUM = 1_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_DAY = date(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)

_GAMMA = np.uint64(0x9E37_79B9_7F4A_7C15)
_MIX_1 = np.uint64(0xBF58_476D_1CE4_E5B9)
_MIX_2 = np.uint64(0x94D0_49BB_1331_11EB)
_SHIFT_1, _SHIFT_2, _SHIFT_3 = np.uint64(30), np.uint64(27), np.uint64(31)
_BLOCK = 16_384


def text_hash(text: str) -> int:
    """A stable unsigned 64-bit hash of a text (BLAKE2b of its UTF-8 bytes, first 8 bytes)."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def note_hash(note: str) -> int:
    """The fingerprint word of a note: `NO_NOTE` when empty, else its text hash."""
    return text_hash(note) if note else NO_NOTE


def note_hashes(notes: Sequence[str]) -> NDArray[np.uint64]:
    """`note_hash` of many notes (one tight loop: files can hold millions of notes)."""
    blake2b, from_bytes = hashlib.blake2b, int.from_bytes
    return np.array(
        [
            from_bytes(blake2b(note.encode("utf-8"), digest_size=8).digest(), "little")
            if note
            else NO_NOTE
            for note in notes
        ],
        dtype=np.uint64,
    )


def micros_since_epoch(moment: datetime) -> int:
    """Whole microseconds from 1970-01-01 UTC to an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to an evidence fingerprint")
    return (moment - EPOCH) // _MICROSECOND


def days_since_epoch(day: date) -> int:
    """Days from 1970-01-01 to a date."""
    return (day - EPOCH_DAY).days


def quantised(values: ArrayLike) -> NDArray[np.int64]:
    """Levels or confidences as integers: round(x × 10^6), half to even."""
    return np.rint(np.asarray(values, dtype=np.float64) * QUANTUM).astype(np.int64)


def _word(values: ArrayLike) -> NDArray[np.uint64]:
    """Signed or unsigned 64-bit integers as uint64 words (two's complement for negatives)."""
    array = np.asarray(values)
    if array.dtype == np.uint64:
        return array
    return np.asarray(array, dtype=np.int64).view(np.uint64)


def evidence_fingerprints(
    *,
    employee_ids: ArrayLike,
    skill_ids: ArrayLike,
    source_hashes: ArrayLike,
    rater_ids: ArrayLike,
    levels: ArrayLike,
    confidences: ArrayLike,
    observed_micros: ArrayLike,
    expires_days: ArrayLike,
    note_hashes: ArrayLike,
) -> NDArray[np.int64]:
    """Fingerprints (non-negative int64) of observations given as equally long columns.

    Ids are integers, `rater_ids` uses `NO_RATER` and `expires_days` `NO_EXPIRY` for missing
    values; hashes are unsigned 64-bit (`text_hash`, `note_hash`); levels and confidences are
    floats, quantised here.
    """
    words = (
        _word(employee_ids),
        _word(skill_ids),
        _word(source_hashes),
        _word(rater_ids),
        _word(quantised(levels)),
        _word(quantised(confidences)),
        _word(observed_micros),
        _word(expires_days),
        _word(note_hashes),
    )
    size = words[0].shape[0]
    if any(word.shape != (size,) for word in words):
        raise ValueError("fingerprint columns must be one-dimensional and equally long")
    fingerprints = np.empty(size, dtype=np.uint64)
    # Blocks small enough to stay in the CPU cache through the 72 passes over each block.
    for start in range(0, size, _BLOCK):
        stop = min(start + _BLOCK, size)
        state = fingerprints[start:stop]
        state.fill(SEED)
        scratch = np.empty_like(state)
        for word in words:
            state += _GAMMA
            state ^= word[start:stop]
            # splitmix64's finaliser: z ^= z >> 30; z *= M1; z ^= z >> 27; z *= M2; z ^= z >> 31
            np.right_shift(state, _SHIFT_1, out=scratch)
            state ^= scratch
            state *= _MIX_1
            np.right_shift(state, _SHIFT_2, out=scratch)
            state ^= scratch
            state *= _MIX_2
            np.right_shift(state, _SHIFT_3, out=scratch)
            state ^= scratch
        state >>= np.uint64(1)
    return fingerprints.view(np.int64)


def evidence_fingerprint(
    *,
    employee_id: int,
    skill_id: int,
    source: str,
    rater_id: int | None,
    level: float,
    confidence: float,
    observed_at: datetime,
    expires_on: date | None,
    note: str,
) -> int:
    """The fingerprint of one observation (the same as `evidence_fingerprints` gives it)."""
    return int(
        evidence_fingerprints(
            employee_ids=[employee_id],
            skill_ids=[skill_id],
            source_hashes=np.array([text_hash(source)], dtype=np.uint64),
            rater_ids=[NO_RATER if rater_id is None else rater_id],
            levels=[level],
            confidences=[confidence],
            observed_micros=[micros_since_epoch(observed_at)],
            expires_days=[NO_EXPIRY if expires_on is None else days_since_epoch(expires_on)],
            note_hashes=np.array([note_hash(note)], dtype=np.uint64),
        )[0]
    )
