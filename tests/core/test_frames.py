"""`read_frame` reads a CSV file exactly as the row reader does, or declines to."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillpath.core.frames import read_frame
from skillpath.core.tabular import Table, read_table

HEADER = b"a,b,c\n"
PIECES = [b"a", b"b", b" ", b",", b'"', b"\n", b"\r", b"\r\n", b"\t", "é".encode(), b"\x1f", b""]


def _table(data: bytes) -> Table:
    """The file as `open_table` opens it (after its UTF-8 check)."""
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    return read_table(stream, file="f.csv", required=["a", "b", "c"])


def _row_reader(data: bytes) -> tuple[list[tuple[str, ...]], int]:
    """The rows the row reader gives, and how many problems it logged."""
    table = _table(data)
    assert table.lines is not None
    rows = [tuple(values) for _line, values in table.lines]
    return rows, table.log.count


def _frame_rows(data: bytes) -> list[tuple[str, ...]] | None:
    frame = read_frame(data, _table(data))
    return None if frame is None else frame.rows()


UNQUOTED = st.text(alphabet=" ab\té\x1f", max_size=3)
QUOTED = st.text(alphabet=' ab,"\n\r\té', max_size=4).map(
    lambda t: '"' + t.replace('"', '""') + '"'
)
ROW = st.lists(st.one_of(UNQUOTED, QUOTED), min_size=3, max_size=3).map(",".join)


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, bool]:
    """A CSV file of three columns, CRLF or LF, blank lines included; sometimes damaged by a
    stray piece. Returns the bytes and whether the file is well formed."""
    rows = draw(st.lists(st.one_of(ROW, st.just("")), max_size=6))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    body = newline.join(rows) + draw(st.sampled_from(["", newline]))
    if not draw(st.booleans()):
        return HEADER + body.encode(), True
    at = draw(st.integers(min_value=0, max_value=len(body)))
    piece = draw(st.sampled_from(PIECES)).decode()
    return HEADER + (body[:at] + piece + body[at:]).encode(), False


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_random_bytes_are_read_right_or_declined(pieces: list[bytes]) -> None:
    """Whenever read_frame accepts a file, it holds exactly the row reader's rows, and the row
    reader found nothing wrong with the file."""
    data = HEADER + b"".join(pieces)
    frame = _frame_rows(data)
    if frame is not None:
        rows, problems = _row_reader(data)
        assert problems == 0
        assert frame == rows


@settings(max_examples=300, deadline=None)
@given(csv_files())
def test_well_formed_files_are_read_and_damaged_ones_right_or_declined(
    file: tuple[bytes, bool],
) -> None:
    """Well-formed files are accepted (quoting, CRLF, blank lines); any file accepted holds
    exactly the row reader's rows."""
    data, well_formed = file
    frame = _frame_rows(data)
    if well_formed:
        assert frame is not None
    if frame is not None:
        rows, problems = _row_reader(data)
        assert problems == 0
        assert frame == rows


@pytest.mark.parametrize(
    "body",
    [
        b"1,2,3\n4,5,6\n",
        b"1,2,3\r\n4,5,6\r\n",
        b"1,2,3\n4,5,6",
        b'"1,x","2""y","3\nz"\n"",,""\n',
        b'"1","2","3"\r\n"a\r\nb",c,d\r\n',
        b"1,2,3\n\n\n4,5,6\n\n",
        b"1,2,3\n , ,\t\n4,5,6\n",
        b" 1 , 2 ,3\n",
        b"",
    ],
)
def test_plain_files_are_read(body: bytes) -> None:
    """Plain CSV, quoted fields (delimiters, quotes and line breaks inside), CRLF, blank rows."""
    data = HEADER + body
    rows, problems = _row_reader(data)
    assert problems == 0
    assert _frame_rows(data) == rows


@pytest.mark.parametrize(
    "body",
    [
        b"1,2,3\r4,5,6\n",  # a lone carriage return ends a row for the csv module only
        b'1,2"x,3\n',  # a quote inside an unquoted field
        b'1,"2"x,3\n',  # text after a closing quote
        b'1, "2",3\n',  # a quote after a space
        b'1,"2,3\n',  # an unterminated quote
        b"1,2\n",  # too few values
        b"1,2,3,4\n",  # too many values
        b"1,2,3,\n1,2\n",  # one too many and one too few: the totals alone would agree
        b"1,2,3\n   \n",  # a blank line with the wrong number of values
        b"1,\x002,3\n",  # a NUL byte
    ],
)
def test_doubtful_files_are_declined(body: bytes) -> None:
    """Anything the two readers might split differently goes to the row reader."""
    assert _frame_rows(HEADER + body) is None


def test_bom_and_tabs() -> None:
    """A byte-order mark and a tab-separated file read like the row reader reads them."""
    data = b"\xef\xbb\xbfa\tb\tc\r\n1\t2\t3\r\n"
    table = _table(data)
    assert table.delimiter == "\t"
    frame = read_frame(data, table)
    assert frame is not None
    assert frame.columns == ["a", "b", "c"]
    assert frame.rows() == [("1", "2", "3")]


def test_header_names_come_from_the_row_reader() -> None:
    """Header cells are stripped as the row reader strips them; empty cells are ""."""
    data = b" a , b ,c\n1,,\n"
    frame = read_frame(data, _table(data))
    assert frame is not None
    assert frame.columns == ["a", "b", "c"]
    assert frame.rows() == [("1", "", "")]
