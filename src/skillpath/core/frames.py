"""Whole CSV files as polars frames, read exactly as `core/tabular` reads them, or not at all.

Imports of millions of rows check their files column by column (polars, numpy) instead of row
by row. That is only sound if the columns hold exactly the cells `read_table` would give, and
polars' CSV reader differs from Python's `csv` module on malformed input (a quote inside a
field, a lone carriage return, rows with too few values). So `read_frame` first proves, with a
few vectorised passes over the bytes, that the file is plain RFC 4180 CSV on which both readers
agree, and returns None otherwise: the caller then uses the exact row-by-row reader, which
also names every problem.
"""

from __future__ import annotations

import re

import numpy as np
import polars as pl
from numpy.typing import NDArray

from skillpath.core.tabular import Table

_BOM = b"\xef\xbb\xbf"
_LF, _CR, _QUOTE = ord("\n"), ord("\r"), ord('"')
_LONE_RETURN = re.compile(rb"\r(?!\n)")
PYTHON_WHITESPACE = "".join(chr(code) for code in range(0x110000) if chr(code).isspace())
"""The characters `str.strip()` removes, for stripping cells exactly as the row reader does."""


def read_frame(data: bytes, table: Table) -> pl.DataFrame | None:
    """The data rows of a file opened with `open_table` (same bytes), as a frame of strings.

    Columns are named and ordered as `table.columns`; empty cells are "" (never null) and
    cells are not stripped; the rows the row reader skips (every cell blank) are left out.
    Returns None when the file is not provably read the same way by both readers.
    """
    width = len(table.columns)
    if not _splits_like_csv_module(data, table.delimiter, width):
        return None
    try:
        frame = pl.read_csv(
            data,
            has_header=True,
            separator=table.delimiter,
            quote_char='"',
            infer_schema=False,
            encoding="utf8",
        )
    except pl.exceptions.PolarsError:
        # Among others, polars refuses a row with more values than the header: the row
        # reader reports it, so the exact path must run.
        return None
    if frame.width != width:
        return None
    frame = frame.select(
        pl.col(name).fill_null("").alias(column)
        for name, column in zip(frame.columns, table.columns, strict=True)
    )
    return frame.filter(pl.Series(~blank_rows(frame)))


def blank_rows(frame: pl.DataFrame) -> NDArray[np.bool_]:
    """Per row, whether every cell is empty once stripped like `str.strip()` (the row reader
    skips such rows).

    A cell starting with a visible ASCII character is not blank; the few others are checked in
    Python, and only in the rows still blank in every column before.
    """
    blank = np.ones(frame.height, dtype=np.bool_)
    for column in frame.columns:
        rows = np.flatnonzero(blank)
        if rows.size == 0:
            break
        cells = frame[column] if rows.size == frame.height else frame[column].gather(rows)
        visible = cells.str.contains(r"^[!-~]").to_numpy()
        maybe = np.flatnonzero(~visible)
        still = np.zeros(rows.size, dtype=np.bool_)
        texts = cells.gather(maybe).to_list()
        still[maybe] = [not text.strip() for text in texts]
        blank[rows] = still
    return blank


def _splits_like_csv_module(data: bytes, delimiter: str, width: int) -> bool:
    """Whether polars and `csv.reader(strict=True)` split `data` into the same rows and cells.

    True when: no NUL byte; every quote is RFC 4180 quoting (an opening quote starts a field,
    a closing quote ends one, doubled quotes inside); every carriage return outside quotes is
    part of a CRLF; and every non-empty line outside quotes has exactly `width` fields. The
    last condition is checked as a total: the delimiters outside quotes number (width - 1)
    per non-empty line, and polars refuses any row with more fields than the header, so no
    row can have fewer either.
    """
    if len(delimiter) != 1 or ord(delimiter) > 127 or b"\x00" in data:
        return False
    separator = ord(delimiter)
    start = len(_BOM) if data.startswith(_BOM) else 0
    if data.find(b'"', start) < 0:
        # The common case, in plain byte counts: no quotes, no empty line.
        if _LONE_RETURN.search(data, start):
            return False
        lines = data.count(b"\n", start) + (0 if data.endswith(b"\n") else 1)
        if data.count(delimiter.encode(), start) == (width - 1) * lines:
            return True
    buffer = np.frombuffer(data, dtype=np.uint8)[start:]
    size = buffer.size
    if size == 0:
        return False
    quotes = np.flatnonzero(buffer == _QUOTE)
    newlines = np.flatnonzero(buffer == _LF)
    returns = np.flatnonzero(buffer == _CR)
    separators = int(np.count_nonzero(buffer == separator))
    if quotes.size:
        if quotes.size % 2:
            return False
        previous = np.where(quotes > 0, buffer[np.maximum(quotes - 1, 0)], _LF)
        following = np.where(quotes < size - 1, buffer[np.minimum(quotes + 1, size - 1)], _LF)
        # Quote number k (from 0) opens a field when k is even and closes it when k is odd;
        # the two quotes of an escaped pair are an odd one followed by an even one.
        opening_ok = np.isin(previous[0::2], (separator, _LF, _QUOTE))
        closing_ok = np.isin(following[1::2], (separator, _LF, _CR, _QUOTE))
        if not (opening_ok.all() and closing_ok.all()):
            return False
        newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
        returns = returns[np.searchsorted(quotes, returns) % 2 == 0]
        at = np.flatnonzero(buffer == separator)
        before = np.searchsorted(at, quotes)
        separators -= int((before[1::2] - before[0::2]).sum())
    if returns.size and (
        returns[-1] == size - 1 or not (buffer[np.minimum(returns + 1, size - 1)] == _LF).all()
    ):
        return False
    starts = np.concatenate(([0], newlines + 1))
    ends = np.concatenate((newlines, [size]))
    lengths = ends - starts
    first = buffer[np.minimum(starts, size - 1)]
    empty = (lengths == 0) | ((lengths == 1) & (first == _CR))
    lines = int(np.count_nonzero(~empty))
    return separators == (width - 1) * lines


# Vectorised readers of the common ISO forms of dates and timestamps. Each gives exactly what
# `core.tabular.parse_date` / `parse_datetime` give for the cells it reads, and leaves every
# other cell (other forms, invalid values, surrounding spaces) to them: the caller parses
# those in Python.

_DATE = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
_ISO_DATE = rf"^{_DATE}$"
_ISO_TIMESTAMP = (
    rf"^{_DATE}(?:[T ](?P<hour>[0-9]{{2}}):(?P<minute>[0-9]{{2}})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,6}))?)?"
    r"(?P<zone>Z|[+-][0-9]{2}:[0-9]{2})?)?$"
)
_MONTH_DAYS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
_MICROS_PER_MINUTE = 60_000_000


def iso_days(cells: pl.Series) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Per cell, days since 1970-01-01 of a date `YYYY-MM-DD`, and whether the cell was read
    (only such dates are; `parse_date` decides the other cells)."""
    parts = cells.str.extract_groups(_ISO_DATE).struct.unnest()
    year, month, day = (_numbers(parts[name]) for name in ("year", "month", "day"))
    read = parts["year"].is_not_null().to_numpy() & _real_date(year, month, day, 1, 9999)
    return np.where(read, _days_since_epoch(year, month, day), 0), read


def iso_micros(cells: pl.Series) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
    """Per cell, microseconds since 1970-01-01 UTC of a date or timestamp, and whether the cell
    was read: `YYYY-MM-DD`, optionally with `T` or a space and `HH:MM`, `:SS`, `.ffffff` (1 to 6
    digits), and `Z` or `±HH:MM` (none is UTC), as `parse_datetime` reads them; it decides the
    other cells. Years 1 and 9999 are left to it too (an offset may take them out of range)."""
    parts = cells.str.extract_groups(_ISO_TIMESTAMP).struct.unnest()
    year, month, day, hour, minute, second = (
        _numbers(parts[name]) for name in ("year", "month", "day", "hour", "minute", "second")
    )
    fraction = _numbers(parts["fraction"].str.pad_end(6, "0"))
    zone = parts["zone"]
    behind = zone.str.starts_with("-").fill_null(False).to_numpy()
    zone_hours = _numbers(zone.str.slice(1, 2), strict=False)
    zone_minutes = _numbers(zone.str.slice(4, 2), strict=False)
    read = (
        parts["year"].is_not_null().to_numpy()
        & _real_date(year, month, day, 2, 9998)
        & (hour <= 23)
        & (minute <= 59)
        & (second <= 59)
        & (zone_hours <= 23)
        & (zone_minutes <= 59)
    )
    minutes = (_days_since_epoch(year, month, day) * 24 + hour) * 60 + minute
    minutes -= np.where(behind, -1, 1) * (zone_hours * 60 + zone_minutes)
    micros = minutes * _MICROS_PER_MINUTE + second * 1_000_000 + fraction
    return np.where(read, micros, 0), read


def _numbers(cells: pl.Series, *, strict: bool = True) -> NDArray[np.int64]:
    """Digit strings as integers (0 where there is none)."""
    numbers: NDArray[np.int64] = (
        cells.cast(pl.Int64, strict=strict).fill_null(0).to_numpy().astype(np.int64)
    )
    return numbers


def _real_date(
    year: NDArray[np.int64],
    month: NDArray[np.int64],
    day: NDArray[np.int64],
    first_year: int,
    last_year: int,
) -> NDArray[np.bool_]:
    """Whether year, month and day make a date of the Gregorian calendar."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _MONTH_DAYS[np.clip(month, 1, 12) - 1] + (leap & (month == 2))
    valid: NDArray[np.bool_] = (
        (year >= first_year)
        & (year <= last_year)
        & (month >= 1)
        & (month <= 12)
        & (day >= 1)
        & (day <= month_days)
    )
    return valid


def _days_since_epoch(
    year: NDArray[np.int64], month: NDArray[np.int64], day: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Days from 1970-01-01 to each date (proleptic Gregorian, years counted from March)."""
    years = year - (month <= 2)
    eras = years // 400
    year_of_era = years - eras * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days: NDArray[np.int64] = eras * 146_097 + day_of_era - 719_468
    return days
