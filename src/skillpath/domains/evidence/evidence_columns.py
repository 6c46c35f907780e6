"""The column checker of the evidence CSV import: a whole file checked column by column.

A file of millions of rows repeats a few thousand people, skills, dates and levels, so every
rule of the row checker (evidence_csv.py) is applied here once per distinct cell text, by the
same parsers (evidence_rules.py), and the answers are spread back over the rows with polars
and numpy. Columns of mostly distinct texts (timestamps to the second) are read by vectorised
readers of the common ISO forms (core/frames.py), which give exactly what the parsers give, and
only the cells they leave go to the parsers. The rules that involve two cells of a row
(expires_on against observed_at) or a bound (observed_at not in the future) are vectorised
comparisons of the parsed values. Values and verdicts are therefore exactly the row checker's.

It explains nothing: when a rule fails, or when the file cannot be read column-wise exactly as
the row reader reads it (core/frames.py), it says so and the import runs the row checker,
which names file, row, column and value of every problem.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import numpy as np
import polars as pl
from numpy.typing import NDArray

from skillpath.core.frames import iso_days, iso_micros, read_frame
from skillpath.core.tabular import CellError, Table, parse_date, parse_datetime
from skillpath.domains.evidence.engine.fingerprint import (
    NO_EXPIRY,
    NO_RATER,
    days_since_epoch,
    evidence_fingerprints,
    micros_since_epoch,
    note_hashes,
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
MOSTLY_DISTINCT = 4
"""A column with more distinct texts than a quarter of its cells is read cell by cell."""
FEW_TEXTS = 100_000
"""Up to this many distinct texts, cells are matched to them through an Enum, else a join."""

Vectorised = Callable[[pl.Series], tuple[NDArray[Any], NDArray[np.bool_]]]


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


@dataclass(frozen=True)
class _Rule:
    """How one value of each row is read: from which cells, and how."""

    columns: tuple[str, ...]
    """One column, or two: the value is then read from the pair of cells."""
    parse: Callable[..., Any]
    """From the stripped cell texts to the value; raises _RefusedError when a rule fails."""
    dtype: type[np.generic]
    vectorised: Vectorised | None = None
    """For one column: a reader of many cells at once, for the cells it reads (giving exactly
    what `parse` gives); `parse` decides the others."""


def _checked(
    frame: pl.DataFrame, employees: dict[str, int], skills: SkillIndex, now: datetime
) -> pl.DataFrame:
    """The columns to store of a file's rows; raises _RefusedError when any rule fails."""
    size = frame.height

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
        "observed_at": _Rule(("observed_at",), _observed, np.int64, vectorised=iso_micros),
        "rater": _Rule(("rater",), optional(employee, NO_RATER), np.int64),
        "confidence": _Rule(
            ("confidence",), optional(_cell(parse_confidence), DEFAULT_CONFIDENCE), np.float64
        ),
        "expires_on": _Rule(
            ("expires_on",),
            optional(lambda text: days_since_epoch(_cell(parse_date)(text)), NO_EXPIRY),
            np.int64,
            vectorised=iso_days,
        ),
    }
    values = _mapped(frame, rules)
    rater_ids = values.get("rater", np.full(size, NO_RATER, dtype=np.int64))
    confidences = values.get("confidence", np.full(size, DEFAULT_CONFIDENCE))
    expires = values.get("expires_on", np.full(size, NO_EXPIRY, dtype=np.int64))
    observed = values["observed_at"]
    if (observed > micros_since_epoch(now + FUTURE_TOLERANCE)).any():
        raise _RefusedError
    has_expiry = expires != NO_EXPIRY
    if (expires[has_expiry] < observed[has_expiry] // MICROS_PER_DAY).any():
        raise _RefusedError
    notes, hashes = _notes(frame["note"] if "note" in frame.columns else None, size)
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
        note_hashes=hashes,
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


def _mapped(frame: pl.DataFrame, rules: dict[str, _Rule]) -> dict[str, NDArray[Any]]:
    """Per rule whose (last) column is in the file, the value of every row; a missing first
    column of a pair reads as empty cells."""
    values: dict[str, NDArray[Any]] = {}
    for name, rule in rules.items():
        *first, last = rule.columns
        if last not in frame.columns:
            continue
        if first and first[0] in frame.columns:
            values[name] = _pair_values(_codes(frame[first[0]]), _codes(frame[last]), rule)
        elif first:
            values[name] = _values(frame[last], replace(rule, parse=partial(rule.parse, "")))
        else:
            values[name] = _values(frame[last], rule)
    return values


def _values(cells: pl.Series, rule: _Rule) -> NDArray[Any]:
    """The value of each cell of a column, each distinct text parsed once."""
    texts = cells.unique()
    if rule.vectorised is not None and len(texts) * MOSTLY_DISTINCT > len(cells):
        # Mostly distinct cells: the vectorised reader reads the cells themselves, and only
        # those it leaves go to Python, once per distinct text.
        values, read = rule.vectorised(cells)
        rest = np.flatnonzero(~read)
        if rest.size:
            values[rest] = _values(cells.gather(rest), replace(rule, vectorised=None))
        return values
    if rule.vectorised is None:
        parsed = np.array([rule.parse(text.strip()) for text in texts.to_list()], rule.dtype)
    else:
        parsed, read = rule.vectorised(texts)
        rest = np.flatnonzero(~read)
        parsed[rest] = [rule.parse(text.strip()) for text in texts.gather(rest).to_list()]
    mapped: NDArray[Any] = parsed[_positions(cells, texts)]
    return mapped


def _codes(cells: pl.Series) -> tuple[list[str], NDArray[np.integer[Any]]]:
    """The distinct texts of a column, and per cell the position of its text among them."""
    texts = cells.unique()
    return texts.to_list(), _positions(cells, texts)


def _positions(cells: pl.Series, texts: pl.Series) -> NDArray[np.integer[Any]]:
    """Per cell, the position of its text in `texts` (its distinct texts)."""
    if len(texts) <= FEW_TEXTS:
        # Cast to an Enum of the texts, a cell's physical value is that position.
        positions: NDArray[np.integer[Any]] = cells.cast(pl.Enum(texts)).to_physical().to_numpy()
        return positions
    # An Enum of millions of texts is slow to build; a join is not.
    numbered = pl.DataFrame({"text": texts, "position": np.arange(len(texts))})
    joined = (
        cells.rename("text").to_frame().join(numbered, on="text", how="left", maintain_order="left")
    )
    joined_positions: NDArray[np.integer[Any]] = joined["position"].to_numpy()
    return joined_positions


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
        by_table: NDArray[Any] = table[combined]
        return by_table
    pairs, rows = np.unique(combined, return_inverse=True)
    by_sort: NDArray[Any] = np.array(parsed(pairs), dtype=rule.dtype)[rows]
    return by_sort


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


def _observed(text: str) -> int:
    """observed_at in microseconds since the epoch (required)."""
    if not text:
        raise _RefusedError
    return micros_since_epoch(_cell(parse_datetime)(text))


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
    hashes[rows] = note_hashes(notes)
    if notes != texts:
        cells = cells.clone().scatter(rows, notes)
    return cells, hashes
