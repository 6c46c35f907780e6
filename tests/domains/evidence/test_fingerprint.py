"""Evidence fingerprints: pinned values (stored data depends on them), one = many, properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    NO_RATER,
    days_since_epoch,
    evidence_fingerprint,
    evidence_fingerprints,
    micros_since_epoch,
    note_hash,
    text_hash,
)

# Changing any of these values means every database's evidence would be imported again as new
# rows by a re-import: the fingerprint must stay as it is.
PINNED: list[tuple[dict[str, Any], int]] = [
    (
        {
            "employee_id": 1,
            "skill_id": 2,
            "source": "self",
            "rater_id": None,
            "level": 0.6,
            "confidence": 0.5,
            "observed_at": datetime(2024, 5, 1, tzinfo=UTC),
            "expires_on": None,
            "note": "",
        },
        4407673662322106758,
    ),
    (
        {
            "employee_id": 1,
            "skill_id": 2,
            "source": "manager",
            "rater_id": 7,
            "level": 0.8,
            "confidence": 0.8,
            "observed_at": datetime(2024, 5, 1, 8, 0, tzinfo=UTC),
            "expires_on": date(2026, 6, 1),
            "note": "solid",
        },
        7462980363193623635,
    ),
    (
        {
            "employee_id": 123456,
            "skill_id": 98765,
            "source": "certification",
            "rater_id": None,
            "level": 5 / 7,
            "confidence": 1.0,
            "observed_at": datetime(2024, 6, 1, 23, 59, 59, 999999, tzinfo=UTC),
            "expires_on": date(2024, 6, 1),
            "note": "ünïcødé ✓",
        },
        4086919712636758741,
    ),
    (
        {
            "employee_id": 2**40,
            "skill_id": 1,
            "source": "inferred",
            "rater_id": 2**40 + 1,
            "level": 0.0,
            "confidence": 1e-6,
            "observed_at": datetime(1969, 12, 31, 23, 0, tzinfo=UTC),
            "expires_on": date(1969, 1, 1),
            "note": "x" * 2000,
        },
        3542608019668080176,
    ),
]


@pytest.mark.parametrize(("observation", "fingerprint"), PINNED)
def test_pinned_values(observation: dict[str, Any], fingerprint: int) -> None:
    """Known observations keep their known fingerprints."""
    assert evidence_fingerprint(**observation) == fingerprint


def test_pinned_text_hashes() -> None:
    """Text hashes are BLAKE2b-64 of UTF-8, little-endian; an empty note hashes to 0."""
    assert text_hash("self") == 7184761924116163360
    assert text_hash("ünïcødé ✓") == 17877583207562697982
    assert note_hash("") == 0
    assert note_hash("solid") == text_hash("solid")


def test_the_same_instant_in_any_zone_is_the_same_observation() -> None:
    """observed_at counts as an instant: 10:00+02:00 is 08:00 UTC."""
    observation = dict(PINNED[1][0])
    observation["observed_at"] = datetime(2024, 5, 1, 10, 0, tzinfo=timezone(timedelta(hours=2)))
    assert evidence_fingerprint(**observation) == PINNED[1][1]


def test_naive_times_are_refused() -> None:
    """A naive datetime has no instant; the caller must say which zone it is in."""
    observation = dict(PINNED[0][0])
    observation["observed_at"] = datetime(2024, 5, 1)
    with pytest.raises(ValueError, match="naive"):
        evidence_fingerprint(**observation)


def test_every_field_counts() -> None:
    """Changing any one field changes the fingerprint."""
    base = PINNED[1][0]
    changes = {
        "employee_id": 2,
        "skill_id": 3,
        "source": "peer",
        "rater_id": None,
        "level": 0.800001,
        "confidence": 0.799999,
        "observed_at": base["observed_at"] + timedelta(microseconds=1),
        "expires_on": None,
        "note": "solid ",
    }
    seen = {evidence_fingerprint(**base)}
    for name, value in changes.items():
        seen.add(evidence_fingerprint(**{**base, name: value}))
    assert len(seen) == len(changes) + 1


def test_levels_count_to_a_millionth() -> None:
    """Levels and confidences are compared after rounding to six decimals."""
    base = PINNED[0][0]
    same = evidence_fingerprint(**{**base, "level": 0.6 + 1e-9})
    assert same == PINNED[0][1]


OBSERVATIONS = st.fixed_dictionaries(
    {
        "employee_id": st.integers(min_value=1, max_value=2**62),
        "skill_id": st.integers(min_value=1, max_value=2**62),
        "source": st.sampled_from(["self", "manager", "peer", "assessment"]),
        "rater_id": st.none() | st.integers(min_value=1, max_value=2**62),
        "level": st.floats(min_value=0, max_value=1),
        "confidence": st.floats(min_value=1e-6, max_value=1),
        "observed_at": st.datetimes(
            min_value=datetime(1900, 1, 1),
            max_value=datetime(2100, 1, 1),
            timezones=st.just(UTC),
        ),
        "expires_on": st.none() | st.dates(),
        "note": st.text(max_size=20),
    }
)


@settings(max_examples=50, deadline=None)
@given(st.lists(OBSERVATIONS, min_size=1, max_size=40))
def test_one_at_a_time_equals_all_at_once(observations: list[dict[str, Any]]) -> None:
    """The vectorised function and the one-observation wrapper agree; results are non-negative
    63-bit integers."""
    many = evidence_fingerprints(
        employee_ids=[o["employee_id"] for o in observations],
        skill_ids=[o["skill_id"] for o in observations],
        source_hashes=np.array([text_hash(o["source"]) for o in observations], dtype=np.uint64),
        rater_ids=[NO_RATER if o["rater_id"] is None else o["rater_id"] for o in observations],
        levels=[o["level"] for o in observations],
        confidences=[o["confidence"] for o in observations],
        observed_micros=[micros_since_epoch(o["observed_at"]) for o in observations],
        expires_days=[
            NO_EXPIRY if o["expires_on"] is None else days_since_epoch(o["expires_on"])
            for o in observations
        ],
        note_hashes=np.array([note_hash(o["note"]) for o in observations], dtype=np.uint64),
    )
    assert many.dtype == np.int64
    assert (many >= 0).all()
    assert many.tolist() == [evidence_fingerprint(**o) for o in observations]


def test_columns_must_match() -> None:
    """Columns of different lengths are a programming error."""
    with pytest.raises(ValueError, match="equally long"):
        evidence_fingerprints(
            employee_ids=[1, 2],
            skill_ids=[1],
            source_hashes=[1],
            rater_ids=[1],
            levels=[0.5],
            confidences=[0.5],
            observed_micros=[0],
            expires_days=[0],
            note_hashes=[0],
        )


def test_large_columns_are_hashed_in_blocks_alike() -> None:
    """Columns longer than a block give the same values as one at a time."""
    size = 40_000
    rng = np.random.default_rng(3)
    columns = {
        "employee_ids": rng.integers(1, 10**6, size),
        "skill_ids": rng.integers(1, 10**5, size),
        "source_hashes": np.full(size, text_hash("peer"), dtype=np.uint64),
        "rater_ids": np.full(size, NO_RATER),
        "levels": rng.random(size),
        "confidences": rng.random(size),
        "observed_micros": rng.integers(0, 10**15, size),
        "expires_days": np.full(size, NO_EXPIRY),
        "note_hashes": np.zeros(size, dtype=np.uint64),
    }
    whole = evidence_fingerprints(**columns)
    for index in (0, 16_383, 16_384, size - 1):
        one = evidence_fingerprints(
            **{name: values[index : index + 1] for name, values in columns.items()}
        )
        assert one[0] == whole[index]
    assert len(np.unique(whole)) == size
