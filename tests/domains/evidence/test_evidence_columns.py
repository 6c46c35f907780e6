"""The column checker and the row checker of evidence files agree: same files accepted, same
problems reported, same rows stored (field by field, and in the database's own text)."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from skillpath.core.errors import InvalidInputError
from skillpath.core.tabular import open_table
from skillpath.domains.evidence import evidence_columns, evidence_csv, service
from skillpath.domains.evidence.evidence_rules import OPTIONAL, REQUIRED
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.people import repository as people_repository
from skillpath.domains.taxonomy import repository as taxonomy_repository
from skillpath.domains.taxonomy.models import Skill
from skillpath.domains.taxonomy.references import SkillIndex
from tests.factories import make_employee, make_skill, make_source

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
COLUMNS = [
    "fingerprint",
    "employee_id",
    "skill_id",
    "source",
    "rater_id",
    "level",
    "confidence",
    "observed_at",
    "expires_on",
    "item_id",
    "note",
    "recorded_at",
]


@dataclass(frozen=True)
class World:
    """External ids of the people and skills the files refer to."""

    boss: str
    ana: str
    bob: str
    sql: str
    excel: str


@pytest.fixture
def world(session: Session) -> World:
    """Three people, two custom skills, and an ESCO skill sharing SQL's external id."""
    boss = make_employee(session, "Boss")
    ana = make_employee(session, "Ana", manager=boss)
    bob = make_employee(session, "Bob", manager=boss)
    sql = make_skill(session, "SQL")
    excel = make_skill(session, "Excel")
    session.add(
        Skill(
            source_id=make_source(session, "esco").id,
            external_id=sql.external_id,
            name="SQL (ESCO)",
            name_lower="sql (esco)",
        )
    )
    session.flush()
    return World(
        boss.external_id, ana.external_id, bob.external_id, sql.external_id, excel.external_id
    )


# Cells: mostly good ones (in the first lists), and a few bad ones to mix in.
GOOD = {
    "employee": ["{ana}", " {bob} ", "{boss}"],
    "skill": [("", "{excel}"), ("custom", "{sql}"), (" esco ", " {sql}"), ("custom", "{excel}")],
    "source": ["self", "Manager", " peer ", "assessment", "CERTIFICATION"],
    "rater": ["", "{boss}", " {ana}"],
    "level": [
        ("0.5", ""),
        (" 0.25 ", "latent"),
        ("4", "five_point"),
        ("5", "SFIA"),
        ("7", " onet "),
        ("1e-1", ""),
        ("2.5", "five_point"),
        ("1", "LATENT"),
        ("0", ""),
    ],
    "confidence": ["", "0.7", "1", " 0.3 ", "1e-3"],
    "observed_at": [
        "2024-05-01",
        "2024-05-01T10:00:00+02:00",
        "2024-05-01T23:30:00-05:00",
        "2024-05-01 10:00",
        "2024-05-01T08:00:00Z",
        "2024-05-01T10:00:00.123456",
        "20240501",
        "2025-03-02T11:00:00",
    ],
    "expires_on": ["", "2026-06-01", "2024-05-02", " 2030-01-01 "],
    "note": [
        "",
        "  solid  ",
        "ünïcødé ✓ 日本",
        'comma, "quote"',
        "line\nbreak",
        "\u3000",
        "x" * 2000,
    ],
}
BAD = {
    "employee": ["GHOST", ""],
    "skill": [("", "{sql}"), ("nope", "{excel}"), ("", "NOSKILL"), ("", "")],
    "source": ["gossip", ""],
    "rater": ["NOBODY"],
    "level": [("1.5", ""), ("9", "five_point"), ("3", "stars"), ("", ""), ("x", ""), ("nan", "")],
    "confidence": ["0", "2", "x"],
    "observed_at": ["2024-13-01", "2999-01-01", "", "2025-03-02T13:00:01"],
    "expires_on": ["bad", "2024-04-30", "2024-05-01x"],
    "note": ["x" * 2001],
}


@st.composite
def evidence_files(draw: st.DrawFn) -> tuple[list[str], list[dict[str, Any]], bool, str]:
    """Columns (required, some optional, any order), rows of cells, quoting and line end."""
    optional = draw(st.lists(st.sampled_from(OPTIONAL), unique=True))
    columns = draw(st.permutations([*REQUIRED, *optional]))
    rows = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        row = {key: draw(st.sampled_from(choices)) for key, choices in GOOD.items()}
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            key = draw(st.sampled_from(sorted(BAD)))
            row[key] = draw(st.sampled_from(BAD[key]))
        rows.append(row)
    return columns, rows, draw(st.booleans()), draw(st.sampled_from(["\n", "\r\n"]))


def _cells(row: dict[str, Any], columns: list[str], world: World) -> list[str]:
    """The cells of a row in column order, with the world's ids in place."""
    ids = vars(world)
    skill_source, skill = row["skill"]
    level, scale = row["level"]
    values = {**row, "skill": skill, "skill_source": skill_source, "level": level, "scale": scale}
    return [str(values[column]).format(**ids) for column in columns]


def _write(
    folder: Path, world: World, file: tuple[list[str], list[dict[str, Any]], bool, str]
) -> Path:
    columns, rows, quote_all, newline = file
    buffer = io.StringIO(newline="")
    writer = csv.writer(
        buffer, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL, lineterminator=newline
    )
    writer.writerow(columns)
    writer.writerows(_cells(row, columns, world) for row in rows)
    path = folder / "evidence.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    return path


@contextmanager
def _fixed_clock() -> Iterator[None]:
    with mock.patch.object(evidence_csv, "utcnow", return_value=NOW):
        yield


@contextmanager
def _row_checker_only() -> Iterator[None]:
    declined = evidence_columns.ColumnCheck(None, found_problem=False)
    with mock.patch.object(evidence_columns, "check", return_value=declined):
        yield


def _stored(session: Session) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Every evidence row in id order, as the ORM types read it and as the database holds it."""
    typed = [
        tuple(row)
        for row in session.execute(
            select(*(getattr(SkillEvidence, name) for name in COLUMNS)).order_by(SkillEvidence.id)
        )
    ]
    raw = [
        tuple(row)
        for row in session.execute(
            text(f"SELECT {', '.join(COLUMNS)} FROM skill_evidence ORDER BY id")
        )
    ]
    return typed, raw


def _outcome(session: Session, path: Path) -> tuple[Any, ...]:
    """What an import does: its report and the stored rows, or the problems that refused it;
    undone afterwards."""
    savepoint = session.begin_nested()
    try:
        with _fixed_clock():
            report = service.import_evidence_csv(session, path=path)
        return ("imported", report.rows_read, report.created, report.unchanged, _stored(session))
    except InvalidInputError as error:
        return ("refused", error.message, error.problems)
    finally:
        savepoint.rollback()


def _column_check(session: Session, path: Path) -> evidence_columns.ColumnCheck:
    table = open_table(path, required=REQUIRED, optional=OPTIONAL)
    return evidence_columns.check(
        path.read_bytes(),
        table,
        employees=people_repository.employee_ids(session),
        skills=SkillIndex(taxonomy_repository.skill_keys(session)),
        now=NOW,
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(file=evidence_files())
def test_both_checkers_accept_the_same_files_and_store_the_same_rows(
    session: Session, world: World, file: tuple[list[str], list[dict[str, Any]], bool, str]
) -> None:
    """For varied files (optional columns, scales, time zones, unicode notes, quoting, bad
    cells): the import with the column checker and the import with the row checker alone have
    the same outcome, and the column checker decides every such file by itself."""
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), world, file)
        fast = _outcome(session, path)
        with _row_checker_only():
            slow = _outcome(session, path)
        checked = _column_check(session, path)
    assert fast == slow
    if slow[0] == "imported":
        assert checked.frame is not None, "a good plain file must not need the row checker"
    else:
        assert checked.frame is None
        assert checked.found_problem


def _every_option_file(folder: Path, world: World) -> Path:
    """A good file with every optional column and many kinds of cells."""
    columns = [*REQUIRED, *OPTIONAL]
    rows = [
        {
            key: GOOD[key][(n * (index + 3) + index) % len(GOOD[key])]
            for index, key in enumerate(GOOD)
        }
        for n in range(60)
    ]
    return _write(folder, world, (columns, rows, False, "\r\n"))


def test_rows_stored_by_both_paths_are_identical(
    session: Session, world: World, tmp_path: Path
) -> None:
    """Field by field, through the ORM (aware UTC datetimes) and in the database's own form."""
    path = _every_option_file(tmp_path, world)
    assert _column_check(session, path).frame is not None
    fast = _outcome(session, path)
    with _row_checker_only():
        slow = _outcome(session, path)
    assert fast[0] == "imported"
    assert fast == slow
    typed, _raw = fast[4]
    assert len(typed) == fast[2]["skill evidence"] > 30
    for row in typed:
        observed, recorded = row[7], row[11]
        assert observed.tzinfo is not None
        assert observed.utcoffset().total_seconds() == 0
        assert recorded == NOW
        assert row[8] is None or isinstance(row[8], date)
    observed_of = {row[0]: row[7] for row in typed}
    # 2024-05-01T23:30:00-05:00 is stored as the UTC instant, and a naive time is UTC.
    assert datetime(2024, 5, 2, 4, 30, tzinfo=UTC) in observed_of.values()
    assert datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC) in observed_of.values()
    notes = {row[10] for row in typed}
    assert {"solid", "ünïcødé ✓ 日本", "", "line\nbreak", 'comma, "quote"'} <= notes


def test_stored_fingerprints_are_those_of_the_stored_values(
    session: Session, world: World, tmp_path: Path
) -> None:
    """Each row's fingerprint is `evidence_fingerprint` of the values stored with it."""
    path = _every_option_file(tmp_path, world)
    service.import_evidence_csv(session, path=path)
    rows = session.execute(select(SkillEvidence)).scalars().all()
    for row in rows:
        assert row.fingerprint == evidence_csv.evidence_fingerprint(
            employee_id=row.employee_id,
            skill_id=row.skill_id,
            source=row.source,
            rater_id=row.rater_id,
            level=row.level,
            confidence=row.confidence,
            observed_at=row.observed_at,
            expires_on=row.expires_on,
            note=row.note,
        )
    again = service.import_evidence_csv(session, path=path)
    assert sum(again.created.values()) == 0
    assert sum(again.unchanged.values()) == again.rows_read == 60


def test_a_file_only_the_row_reader_can_read_still_imports(
    session: Session, world: World, tmp_path: Path
) -> None:
    """A quote inside an unquoted cell is text to the csv module: the column checker declines
    the file, and the row checker imports it."""
    path = tmp_path / "evidence.csv"
    path.write_text(
        f"employee,skill,source,level,observed_at,note\n{world.ana},{world.excel},self,0.5,"
        f'2024-05-01,say "hi"\n',
        encoding="utf-8",
    )
    checked = _column_check(session, path)
    assert checked.frame is None
    assert not checked.found_problem
    report = service.import_evidence_csv(session, path=path)
    assert report.created == {"skill evidence": 1}
    assert session.scalars(select(SkillEvidence.note)).one() == 'say "hi"'


def test_a_file_without_rows(session: Session, world: World, tmp_path: Path) -> None:
    """A header alone imports nothing."""
    path = tmp_path / "evidence.csv"
    path.write_text("employee,skill,source,level,observed_at\n\n", encoding="utf-8")
    report = service.import_evidence_csv(session, path=path)
    assert report.rows_read == 0
    assert report.created == {"skill evidence": 0}


def test_stored_text_is_what_the_orm_writes(session: Session, world: World, tmp_path: Path) -> None:
    """Times and dates written by the bulk insert are byte for byte what an ORM object of the
    same values is stored as (SQLite keeps them as text), and read back as aware UTC."""
    path = tmp_path / "evidence.csv"
    path.write_text(
        "employee,skill,source,level,observed_at,expires_on\n"
        f"{world.ana},{world.excel},self,0.5,2024-05-01T10:00:00.5+02:00,2026-01-31\n",
        encoding="utf-8",
    )
    with _fixed_clock():
        service.import_evidence_csv(session, path=path)
    imported = session.scalars(select(SkillEvidence)).one()
    twin = SkillEvidence(
        fingerprint=imported.fingerprint + 1,
        employee_id=imported.employee_id,
        skill_id=imported.skill_id,
        source="self",
        level=0.5,
        confidence=0.5,
        observed_at=datetime(2024, 5, 1, 8, 0, 0, 500000, tzinfo=UTC),
        expires_on=date(2026, 1, 31),
        recorded_at=NOW,
    )
    session.add(twin)
    session.flush()
    session.expire_all()
    raw = session.execute(
        text("SELECT observed_at, expires_on, recorded_at FROM skill_evidence ORDER BY id")
    ).all()
    assert raw[0] == raw[1]
    stored = session.get(SkillEvidence, imported.id)
    assert stored is not None
    assert stored.observed_at == datetime(2024, 5, 1, 8, 0, 0, 500000, tzinfo=UTC)
    assert stored.observed_at.utcoffset() is not None
    assert stored.recorded_at == NOW


def test_bom_crlf_blank_rows_and_an_unnamed_column(
    session: Session, world: World, tmp_path: Path
) -> None:
    """A byte-order mark, CRLF, blank rows (empty, or blank cells) and a trailing unnamed
    column: the column checker reads the file as the row reader does."""
    path = tmp_path / "evidence.csv"
    lines = [
        "\ufeffemployee,skill,source,level,observed_at,",
        f"{world.ana},{world.excel},self,0.5,2024-05-01,",
        "",
        " , ,\t, , , ",
        f'"{world.bob}","{world.excel}","peer","0.7","2024-05-02",""',
        "",
    ]
    path.write_bytes("\r\n".join(lines).encode("utf-8"))
    checked = _column_check(session, path)
    assert checked.frame is not None
    assert checked.frame.height == 2
    fast = _outcome(session, path)
    with _row_checker_only():
        slow = _outcome(session, path)
    assert fast == slow
    assert fast[:2] == ("imported", 2)
