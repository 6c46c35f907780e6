"""The column checker of the evidence CSV import: a whole file checked column by column.

A file of millions of rows repeats a few thousand people, skills, dates and levels, so every
rule of the row checker (evidence_csv.py) is applied here once per distinct cell text, by the
same parsers (evidence_rules.py), and the answers are spread back over the rows with polars
and numpy; the few rules that involve two cells of a row (expires_on against observed_at) are
vectorised comparisons of the parsed values. Values and verdicts are therefore exactly the
row checker's.

It explains nothing: when a rule fails, or when the file cannot be read column-wise exactly as
the row reader reads it (core/frames.py), it says so and the import runs the row checker,
which names file, row, column and value of every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import numpy as np
import polars as pl
from numpy.typing import NDArray

from skillpath.core.frames import read_frame
from skillpath.core.tabular import CellError, Table, parse_date, parse_datetime
from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    NO_RATER,
    days_since_epoch,
    evidence_fingerprints,
    micros_since_epoch,
    note_hash,
    text_hash,
)
from skillpath.domains.evidence.evidence_rules import (
    DEFAULT_CONFIDENCE,
    FUTURE_TOLERANCE,
    MAX_NOTE,
    level_parser,
    parse_confidence,
    parse_source,
)
from skillpath.domains.evidence.models import EVIDENCE_SOURCES
from skillpath.domains.taxonomy.references import SkillIndex

T = TypeVar("T")
MICROS_PER_DAY = 86_400_000_000


class _RefusedError(Exception):
    """A rule failed somewhere in the file (the row checker will say where)."""


@dataclass(frozen=True)
class ColumnCheck:
    """The outcome of the column checker."""

    frame: pl.DataFrame | None
    """The rows to store, in file order: the columns of `EVIDENCE_IMPORT_COLUMNS` but
    recorded_at (typed: ints, floats, strings, UTC datetimes, dates), or None."""
    found_problem: bool
    """When `frame` is None: whether a rule failed (False: the file needs the row reader)."""


def check(
    data: bytes,
    table: Table,
    *,
    employees: dict[str, int],
    skills: SkillIndex,
    now: datetime,
) -> ColumnCheck:
    """Check a whole evidence file opened with `open_table` (`data` are its bytes)."""
    frame = read_frame(data, table)
    if frame is None:
        return ColumnCheck(None, found_problem=False)
    try:
        return ColumnCheck(_checked(frame, employees, skills, now), found_problem=False)
    except _RefusedError:
        return ColumnCheck(None, found_problem=True)


def _checked(
    frame: pl.DataFrame, employees: dict[str, int], skills: SkillIndex, now: datetime
) -> pl.DataFrame:
    """The columns to store of a file's rows; raises _RefusedError when any rule fails."""
    size = frame.height
    present = set(frame.columns)
    latest = micros_since_epoch(now + FUTURE_TOLERANCE)

    def employee(text: str) -> int:
        return _required(employees.get(text))

    def optional(parse: Callable[[str], Any], missing: Any) -> Callable[[str], Any]:
        return lambda text: parse(text) if text else missing

    rules = {
        "employee": _Rule(("employee",), employee, np.int64),
        "skill": _Rule(
            ("skill_source", "skill"),
            lambda source_key, text: _skill(skills, source_key, text),
            np.int64,
        ),
        "source": _Rule(
            ("source",),
            lambda text: EVIDENCE_SOURCES.index(_required(parse_source(text))),
            np.int64,
        ),
        "level": _Rule(("scale", "level"), _level, np.float64),
        "observed_at": _Rule(("observed_at",), lambda text: _observed(text, latest), np.int64),
        "rater": _Rule(("rater",), optional(employee, NO_RATER), np.int64),
        "confidence": _Rule(
            ("confidence",), optional(_cell(parse_confidence), DEFAULT_CONFIDENCE), np.float64
        ),
        "expires_on": _Rule(
            ("expires_on",),
            optional(lambda text: days_since_epoch(_cell(parse_date)(text)), NO_EXPIRY),
            np.int64,
        ),
    }
    values = _mapped(
        frame, {name: rule for name, rule in rules.items() if rule.columns[-1] in present}
    )
    rater_ids = values.get("rater", np.full(size, NO_RATER, dtype=np.int64))
    confidences = values.get("confidence", np.full(size, DEFAULT_CONFIDENCE))
    expires = values.get("expires_on", np.full(size, NO_EXPIRY, dtype=np.int64))
    observed = values["observed_at"]
    has_expiry = expires != NO_EXPIRY
    if (expires[has_expiry] < observed[has_expiry] // MICROS_PER_DAY).any():
        raise _RefusedError
    notes, note_hashes = _notes(frame["note"] if "note" in present else None, size)
    source_hashes = np.array([text_hash(source) for source in EVIDENCE_SOURCES], dtype=np.uint64)
    fingerprints = evidence_fingerprints(
        employee_ids=values["employee"],
        skill_ids=values["skill"],
        source_hashes=source_hashes[values["source"]],
        rater_ids=rater_ids,
        levels=values["level"],
        confidences=confidences,
        observed_micros=observed,
        expires_days=expires,
        note_hashes=note_hashes,
    )
    return pl.DataFrame(
        {
            "fingerprint": fingerprints,
            "employee_id": values["employee"],
            "skill_id": values["skill"],
            "source": pl.Series(EVIDENCE_SOURCES, dtype=pl.String).gather(values["source"]),
            "rater_id": pl.Series(rater_ids).set(pl.Series(rater_ids == NO_RATER), None),
            "level": values["level"],
            "confidence": confidences,
            "observed_at": pl.Series(observed).cast(pl.Datetime("us", "UTC")),
            "expires_on": pl.Series(expires)
            .set(pl.Series(~has_expiry), None)
            .cast(pl.Int32)
            .cast(pl.Date),
            "note": notes,
        }
    )


@dataclass(frozen=True)
class _Rule:
    """How one value of each row is read: from which cells, and how."""

    columns: tuple[str, ...]
    """One column, or two: the value is then read from the pair of cells."""
    parse: Callable[..., Any]
    """From the stripped cell texts to the value; raises _RefusedError when a rule fails."""
    dtype: type[np.generic]


def _mapped(frame: pl.DataFrame, rules: dict[str, _Rule]) -> dict[str, NDArray[Any]]:
    """Per rule, the value of every row, each distinct text (or pair of texts) parsed once
    in Python; an absent column reads as empty cells."""
    values: dict[str, NDArray[Any]] = {}
    for name, rule in rules.items():
        if len(rule.columns) == 2 and rule.columns[0] in frame.columns:
            first, second = (_codes(frame, column) for column in rule.columns)
            values[name] = _pair_values(first, second, rule)
            continue
        texts, codes = _codes(frame, rule.columns[-1])
        prefix = ("",) * (len(rule.columns) - 1)
        parsed = [rule.parse(*prefix, text.strip()) for text in texts]
        values[name] = np.array(parsed, dtype=rule.dtype)[codes]
    return values


def _pair_values(
    first: tuple[list[str], NDArray[np.integer[Any]]],
    second: tuple[list[str], NDArray[np.integer[Any]]],
    rule: _Rule,
) -> NDArray[Any]:
    """Per row, the value of its pair of cells, each distinct pair parsed once."""
    (first_texts, first_codes), (second_texts, second_codes) = first, second
    width = len(second_texts)
    possible = len(first_texts) * width
    combined = first_codes.astype(np.int64) * width + second_codes

    def parsed(pairs: NDArray[np.int64]) -> list[Any]:
        firsts, seconds = np.divmod(pairs, width)
        return [
            rule.parse(first_texts[one].strip(), second_texts[other].strip())
            for one, other in zip(firsts.tolist(), seconds.tolist(), strict=True)
        ]

    if possible <= 4 * combined.size + 1024:
        # A table of every possible pair, when that is small (a few scales times a hundred
        # levels, usually), finds the distinct pairs without sorting millions of rows.
        seen = np.zeros(possible, dtype=np.bool_)
        seen[combined] = True
        pairs = np.flatnonzero(seen)
        table = np.zeros(possible, dtype=rule.dtype)
        table[pairs] = parsed(pairs)
        return table[combined]
    pairs, rows = np.unique(combined, return_inverse=True)
    values: NDArray[Any] = np.array(parsed(pairs), dtype=rule.dtype)[rows]
    return values


def _codes(frame: pl.DataFrame, column: str) -> tuple[list[str], NDArray[np.integer[Any]]]:
    """The distinct texts of a column, and per row the position of its text among them (the
    column cast to an Enum of those texts); an absent column is one empty text."""
    if column not in frame.columns:
        return [""], np.zeros(frame.height, dtype=np.uint8)
    cells = frame[column]
    texts = cells.unique()
    codes: NDArray[np.integer[Any]] = cells.cast(pl.Enum(texts)).to_physical().to_numpy()
    return texts.to_list(), codes


def _required(value: T | None) -> T:
    """A found value, or _RefusedError."""
    if value is None:
        raise _RefusedError
    return value


def _cell(parse: Callable[[str], T]) -> Callable[[str], T]:
    """A cell parser whose failures (CellError, ValueError) refuse the file."""

    def parsed(text: str) -> T:
        try:
            return parse(text)
        except (CellError, ValueError):
            raise _RefusedError from None

    return parsed


def _skill(skills: SkillIndex, source_key: str, skill_text: str) -> int:
    """The skill id of a reference, as the row checker resolves it."""
    found = skills.resolve(skill_text, source_key)
    if isinstance(found, str):
        raise _RefusedError
    return found


def _level(scale_text: str, level_text: str) -> float:
    """A level on a scale (latent when no scale), as the row checker parses it."""
    if not level_text:
        raise _RefusedError
    try:
        parse = level_parser(scale_text)
    except CellError:
        raise _RefusedError from None
    return _cell(parse)(level_text)


def _observed(text: str, latest: int) -> int:
    """observed_at in microseconds since the epoch; not empty, not in the future."""
    if not text:
        raise _RefusedError
    micros = micros_since_epoch(_cell(parse_datetime)(text))
    if micros > latest:
        raise _RefusedError
    return micros


def _notes(cells: pl.Series | None, size: int) -> tuple[pl.Series, NDArray[np.uint64]]:
    """The stripped notes and their fingerprint hashes (only non-empty cells go to Python)."""
    hashes = np.zeros(size, dtype=np.uint64)
    if cells is None:
        return pl.repeat("", size, dtype=pl.String, eager=True), hashes
    rows = np.flatnonzero(cells.str.len_bytes().to_numpy() > 0)
    if rows.size == 0:
        return cells, hashes
    texts = cells.gather(rows).to_list()
    notes = [text.strip() for text in texts]
    if any(len(note) > MAX_NOTE for note in notes):
        raise _RefusedError
    hashes[rows] = np.array([note_hash(note) for note in notes], dtype=np.uint64)
    if notes != texts:
        cells = cells.clone().scatter(rows, notes)
    return cells, hashes
