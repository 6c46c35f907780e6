"""Reading tabular input (CSV/TSV) with exact, user-facing problem reports.

Every import goes through `read_table`: it checks the encoding (UTF-8, with or without BOM),
the header (missing and unknown columns), and hands rows to the caller as dictionaries with the
1-based line number of the file, so every `Problem` can name file, row and column.
Parsers (`parse_date`, `parse_float` …) raise `CellError`, which `RowContext.cell` turns into a
`Problem` while the import carries on, so one run reports every problem of a file.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zoneinfo
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, TypeVar

from babel import Locale, UnknownLocaleError
from babel.numbers import list_currencies

from skillpath.core.errors import InvalidInputError, Problem

T = TypeVar("T")
MAX_PROBLEMS = 1000
csv.field_size_limit(10 * 1024 * 1024)


class CellError(ValueError):
    """A cell's value cannot be used; the message says why in plain words."""


@dataclass
class ProblemLog:
    """Collects problems of one input; stops collecting (not checking) after MAX_PROBLEMS."""

    problems: list[Problem] = field(default_factory=list)
    count: int = 0

    def add(self, problem: Problem) -> None:
        """Record one problem."""
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def raise_if_any(self, message: str) -> None:
        """Refuse the whole input when anything was wrong."""
        if self.count:
            noun = "problem" if self.count == 1 else "problems"
            raise InvalidInputError(
                f"{message}: {self.count} {noun}; nothing was written", self.problems
            )


@dataclass
class RowContext:
    """One data row: its values by column, where it is, and the log its problems go to."""

    file: str
    row: int
    values: dict[str, str]
    log: ProblemLog

    def raw(self, column: str) -> str:
        """The stripped text of a cell ('' when the column is absent)."""
        return (self.values.get(column) or "").strip()

    def problem(self, column: str | None, reason: str, value: str | None = None) -> None:
        """Record a problem of this row."""
        self.log.add(Problem(reason, file=self.file, row=self.row, column=column, value=value))

    def cell(
        self,
        column: str,
        parse: Callable[[str], T],
        *,
        required: bool = False,
        default: T | None = None,
    ) -> T | None:
        """Parse a cell; record a problem and return None when it is missing or invalid."""
        text = self.raw(column)
        if not text:
            if required:
                self.problem(column, "is required but empty")
            return default
        try:
            return parse(text)
        except CellError as error:
            self.problem(column, str(error), text)
            return None

    def required(self, column: str, parse: Callable[[str], T]) -> T | None:
        """Parse a required cell."""
        return self.cell(column, parse, required=True)


@dataclass
class Table:
    """An open table: its columns and an iterator over its rows."""

    file: str
    columns: list[str]
    rows: Iterator[RowContext]
    log: ProblemLog
    lines: Iterator[tuple[int, list[str]]] | None = None
    """The same rows as (line number, values in column order), for hot loops of huge files;
    `rows` and `lines` share one reader, so consume only one of them."""
    delimiter: str = ","
    """The column separator the file uses (a comma, or a tab for TSV)."""


def decode(data: bytes, file: str) -> str:
    """UTF-8 text of a file (a BOM is accepted); anything else is refused with the byte offset."""
    if b"\x00" in data[:4096]:
        raise InvalidInputError(
            f"cannot read {file}",
            [Problem("is a binary file, not UTF-8 text (CSV)", file=file)],
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInputError(
            f"cannot read {file}",
            [
                Problem(
                    f"is not UTF-8 text (byte {error.start}); save the file as UTF-8 and retry",
                    file=file,
                    row=line,
                )
            ],
        ) from None


def open_text(path: Path) -> str:
    """Read a whole file as UTF-8 text, with a clear error when it is missing or unreadable."""
    if not path.exists():
        raise InvalidInputError(f"cannot read {path}", [Problem("file not found", file=str(path))])
    if path.is_dir():
        raise InvalidInputError(
            f"cannot read {path}", [Problem("is a folder, not a file", file=str(path))]
        )
    return decode(path.read_bytes(), path.name)


def open_table(
    path: Path,
    *,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> Table:
    """Open a CSV/TSV file for import: checks like `open_text`, then streams its rows.

    The whole file is checked as UTF-8 first (so a wrong encoding is reported with its line
    before any row is used), then read through a decoding stream instead of one big string.
    """
    if not path.exists():
        raise InvalidInputError(f"cannot read {path}", [Problem("file not found", file=str(path))])
    if path.is_dir():
        raise InvalidInputError(
            f"cannot read {path}", [Problem("is a folder, not a file", file=str(path))]
        )
    data = path.read_bytes()
    decode(data, path.name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return read_table(stream, file=path.name, required=required, optional=optional)


def read_table(
    text: str | IO[str],
    *,
    file: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    delimiter: str | None = None,
    allow_unknown: bool = False,
) -> Table:
    """Open CSV/TSV text; header problems are raised at once (nothing can be read without them)."""
    stream = io.StringIO(text) if isinstance(text, str) else text
    if delimiter is None:
        sample = stream.read(4096)
        stream.seek(0)
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(stream, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInputError(
            f"cannot import {file}", [Problem("is empty: a header row is needed", file=file, row=1)]
        ) from None
    except csv.Error as error:
        raise InvalidInputError(
            f"cannot import {file}",
            [Problem(f"header is not valid CSV: {error}", file=file, row=1)],
        ) from None
    columns = [h.strip() for h in header]
    problems = []
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            problems.append(Problem("appears twice in the header", file=file, row=1, column=name))
        seen.add(name)
    for name in required:
        if name not in seen:
            problems.append(Problem("required column is missing", file=file, row=1, column=name))
    if not allow_unknown:
        known = set(required) | set(optional)
        for name in columns:
            if name and name not in known:
                problems.append(
                    Problem(
                        f"unknown column; expected some of: {', '.join([*required, *optional])}",
                        file=file,
                        row=1,
                        column=name,
                    )
                )
    if problems:
        raise InvalidInputError(f"cannot import {file}", problems)
    log = ProblemLog()

    def lines() -> Iterator[tuple[int, list[str]]]:
        line = 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                log.add(Problem(f"is not valid CSV: {error}", file=file, row=reader.line_num))
                return
            line = reader.line_num
            if not values or all(not v.strip() for v in values):
                continue
            if len(values) != len(columns):
                log.add(
                    Problem(
                        f"has {len(values)} values but the header has {len(columns)} columns",
                        file=file,
                        row=line,
                    )
                )
                continue
            yield line, values

    raw = lines()

    def rows() -> Iterator[RowContext]:
        for line, values in raw:
            yield RowContext(
                file=file, row=line, values=dict(zip(columns, values, strict=True)), log=log
            )

    return Table(file=file, columns=columns, rows=rows(), log=log, lines=raw, delimiter=delimiter)


# Cell parsers: each takes stripped, non-empty text and raises CellError with a plain reason.


def parse_date(text: str) -> date:
    """An ISO date (YYYY-MM-DD)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("is not a date in the form YYYY-MM-DD") from None


def parse_datetime(text: str) -> datetime:
    """An ISO date or timestamp; a naive timestamp is taken as UTC."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise CellError("is not a date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SS)") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def parse_float(text: str) -> float:
    """A finite decimal number (a dot as decimal separator)."""
    try:
        value = float(text)
    except ValueError:
        raise CellError("is not a number") from None
    if not math.isfinite(value):
        raise CellError("is not a finite number")
    return value


def parse_int(text: str) -> int:
    """A whole number."""
    try:
        return int(text)
    except ValueError:
        raise CellError("is not a whole number") from None


def parse_bool(text: str) -> bool:
    """yes/no, true/false, 1/0 (any case)."""
    lowered = text.lower()
    if lowered in {"1", "true", "yes", "y"}:
        return True
    if lowered in {"0", "false", "no", "n"}:
        return False
    raise CellError("is not yes/no, true/false or 1/0")


def parse_unit_interval(text: str) -> float:
    """A number in [0, 1]."""
    value = parse_float(text)
    if not 0.0 <= value <= 1.0:
        raise CellError("must be between 0 and 1")
    return value


def parse_list(text: str, separator: str = ";") -> list[str]:
    """A separated list of non-empty items ("en;fr")."""
    return [item.strip() for item in text.split(separator) if item.strip()]


def one_of(choices: Sequence[str]) -> Callable[[str], str]:
    """A parser accepting one of a fixed set of words (case-insensitive)."""
    allowed = {c.lower(): c for c in choices}

    def parse(text: str) -> str:
        found = allowed.get(text.lower())
        if found is None:
            raise CellError(f"must be one of: {', '.join(choices)}")
        return found

    return parse


MAX_IDENTIFIER = 100
_COUNTRY_EXCLUDED = {"EU", "EZ", "UN", "QO", "ZZ"}


def bounded(limit: int) -> Callable[[str], str]:
    """A parser accepting text of at most `limit` characters."""

    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(f"is longer than {limit} characters")
        return text

    return parse


def parse_identifier(text: str) -> str:
    """An external id: at most 100 characters, no line breaks or tabs."""
    if len(text) > MAX_IDENTIFIER:
        raise CellError(f"is longer than {MAX_IDENTIFIER} characters")
    if "\n" in text or "\r" in text or "\t" in text:
        raise CellError("must not contain line breaks or tabs")
    return text


def parse_email(text: str) -> str:
    """An e-mail address, lower-cased."""
    if len(text) > 254 or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise CellError("is not an e-mail address")
    return text.lower()


def parse_country(text: str) -> str:
    """An ISO 3166-1 alpha-2 country code (upper-cased)."""
    code = text.upper()
    if len(code) != 2 or code in _COUNTRY_EXCLUDED or code not in _territories():
        raise CellError("is not an ISO 3166-1 alpha-2 country code (like GB, DE, US)")
    return code


def parse_locale(text: str) -> str:
    """A locale known to Babel/CLDR ('en', 'en-GB', 'pt_BR'), written with a hyphen."""
    return _parse_locale(text)


@lru_cache(maxsize=4096)
def _parse_locale(text: str) -> str:
    # Cached: Babel loads locale data on each parse, and files repeat a few locales.
    normalised = text.replace("_", "-")
    try:
        locale = Locale.parse(normalised, sep="-")
    except (ValueError, UnknownLocaleError):
        raise CellError("is not a known locale (like en, en-GB, fr-CA)") from None
    return "-".join(part for part in (locale.language, locale.script, locale.territory) if part)


def parse_timezone(text: str) -> str:
    """An IANA time zone name ('Europe/Paris', 'UTC')."""
    if text not in _timezones():
        raise CellError("is not an IANA time zone name (like Europe/Paris, America/New_York)")
    return text


def parse_currency(text: str) -> str:
    """An ISO 4217 currency code (upper-cased)."""
    code = text.upper()
    if code not in _currencies():
        raise CellError("is not an ISO 4217 currency code (like EUR, USD, GBP)")
    return code


def parse_nonnegative(text: str) -> float:
    """A finite number ≥ 0."""
    value = parse_float(text)
    if value < 0:
        raise CellError("must not be negative")
    return value


@lru_cache(maxsize=1)
def _territories() -> frozenset[str]:
    return frozenset(str(code) for code in Locale("en").territories if len(str(code)) == 2)


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())
