"""Text → skills services on the database: ranking, documents, titles, suggestions and review.

These run on the lexical path (always available); the embeddings path is covered in
`test_embeddings.py` when the `ai` extra is installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.ai import indexing, service
from skillpath.domains.ai.models import SkillSuggestion
from skillpath.domains.evidence.models import SkillEvidence
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.learning.models import ItemSkill
from skillpath.domains.people.models import Role, RoleSkill
from skillpath.domains.taxonomy.models import Skill, SkillAlias
from tests.factories import make_employee, make_item, make_role, make_skill, make_user


@pytest.fixture(autouse=True)
def fresh_indexes() -> Iterator[None]:
    """Each test builds its own indexes (ids repeat across rolled-back tests on SQLite)."""
    indexing.forget_loaded_indexes()
    yield
    indexing.forget_loaded_indexes()


@pytest.fixture
def taxonomy(session: Session) -> dict[str, Skill]:
    """A few skills with aliases, in the source `custom`."""
    skills = {
        name: make_skill(session, name, description=description)
        for name, description in [
            ("Java (computer programming)", "Write programs in Java."),
            ("SQL", "Query relational databases."),
            ("customer service", "Help customers with questions and complaints."),
            ("handle pigs", "Care for swine."),
            ("use spreadsheets software", "Excel and other spreadsheets."),
        ]
    }
    session.add(
        SkillAlias(
            skill_id=skills["SQL"].id,
            label="structured query language",
            label_lower="structured query language",
            kind="alt",
        )
    )
    session.flush()
    return skills


def hr_viewer(session: Session) -> Viewer:
    """An HR administrator."""
    user = make_user(session, role="hr_admin")
    return Viewer(user_id=user.id, email=user.email, role="hr_admin", employee_id=None)


def rank(
    session: Session, texts: list[str], tmp_path: Path, **kwargs: object
) -> service.RankingRun:
    """Rank on the lexical path."""
    options: dict[str, object] = {
        "source": None,
        "top": 5,
        "cache_dir": tmp_path,
        "use_embeddings": False,
        **kwargs,
    }
    return service.rank_texts(session, texts=texts, **options)  # type: ignore[arg-type]


def test_rank_texts_lexical(session: Session, taxonomy: dict[str, Skill], tmp_path: Path) -> None:
    """Rank texts lexical."""
    run = rank(session, ["Strong SQL and Java skills", "We look after our pigs"], tmp_path)
    assert run.mode == "lexical"
    assert run.note
    first, second = run.results
    assert {s.label for s in first.skills[:2]} == {"SQL", "Java (computer programming)"}
    sql = next(s for s in first.skills if s.label == "SQL")
    assert sql.span == "SQL"
    assert sql.uri == taxonomy["SQL"].external_id
    assert second.skills[0].label == "handle pigs"
    assert all(0.0 <= s.score <= 1.0 for r in run.results for s in r.skills)


def test_rank_refuses_bad_input(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Rank refuses bad input."""
    with pytest.raises(InvalidInputError, match="cannot be ranked"):
        rank(session, ["fine", "   "], tmp_path)
    with pytest.raises(InvalidInputError, match="unknown taxonomy source"):
        rank(session, ["SQL"], tmp_path, source="nope")
    with pytest.raises(InvalidInputError, match="top"):
        rank(session, ["SQL"], tmp_path, top=0)
    with pytest.raises(InvalidInputError, match="cannot be ranked"):
        rank(session, ["x" * (service.MAX_SENTENCE_CHARS + 1)], tmp_path)


def test_rank_without_skills_says_what_to_do(session: Session, tmp_path: Path) -> None:
    """Rank without skills says what to do."""
    with pytest.raises(InvalidInputError, match="no skills"):
        rank(session, ["SQL"], tmp_path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n ", "empty"),
        (b"caf\xe9 latte", "not UTF-8"),
        (b"%PDF-1.4\x00\x01\x02", "not text"),
        (b"a" * (10 * 1024 * 1024), "too large"),
    ],
)
def test_decode_text_refuses_what_it_cannot_read(data: bytes, message: str) -> None:
    """Decode text refuses what it cannot read."""
    with pytest.raises(InvalidInputError, match=message):
        service.decode_text(data, name="upload")


def test_decode_text_accepts_utf8() -> None:
    """Decode text accepts utf8."""
    assert service.decode_text("Café and SQL".encode()) == "Café and SQL"


def test_extract_skills_from_a_document(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Extract skills from a document."""
    document = "About the job\n\n- Structured query language\n- Excellent customer service."
    result = service.extract_skills(
        session, text=document, source="custom", top=5, cache_dir=tmp_path, use_embeddings=False
    )
    labels = [s.label for s in result.skills]
    assert {"SQL", "customer service"} <= set(labels)
    sql = next(s for s in result.skills if s.label == "SQL")
    assert document[sql.start : sql.end] == sql.span == "Structured query language"
    assert sql.sentence == "Structured query language"
    assert result.sentences == 3
    with pytest.raises(InvalidInputError, match="empty"):
        service.extract_skills(
            session, text=" ", source=None, top=5, cache_dir=tmp_path, use_embeddings=False
        )


def test_role_suggestions_accept_and_reject(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Role suggestions accept and reject."""
    hr = hr_viewer(session)
    role = make_role(session, "Data Clerk")
    role.description = "Requirements:\nExpert in SQL.\nNice to have:\nbasic Java"
    session.flush()
    counts = service.suggest_for_roles(
        session,
        viewer=hr,
        role_ids=[role.id],
        source=None,
        cache_dir=tmp_path,
        use_embeddings=False,
    )
    assert counts.created >= 2
    found = {
        s.skill_name: s
        for s in service.suggestions_for(session, viewer=hr, kind="role", target_id=role.id)
    }
    sql, java = found["SQL"], found["Java (computer programming)"]
    assert (sql.level, sql.importance) == (1.0, 1.0)
    assert (java.level, java.importance) == (0.4, 0.5)
    assert sql.span == "SQL"
    assert sql.target_title == "Data Clerk"

    decided = service.decide(session, viewer=hr, suggestion_ids=[sql.id], accept=True)
    assert (decided.accepted, decided.written) == (1, 1)
    line = session.scalars(select(RoleSkill).where(RoleSkill.role_id == role.id)).one()
    assert (line.skill_id, line.target_level, line.importance, line.essential) == (
        taxonomy["SQL"].id,
        1.0,
        1.0,
        True,
    )
    stored = session.get(SkillSuggestion, sql.id)
    assert stored is not None
    assert stored.decided_by_id == hr.user_id
    assert stored.decided_at is not None

    service.decide(session, viewer=hr, suggestion_ids=[java.id], accept=False)
    again = service.decide(session, viewer=hr, suggestion_ids=[java.id, sql.id], accept=True)
    assert again.unchanged == 2

    rerun = service.suggest_for_roles(
        session,
        viewer=hr,
        role_ids=[role.id],
        source=None,
        cache_dir=tmp_path,
        use_embeddings=False,
    )
    assert rerun.skipped_rejected >= 1
    assert rerun.skipped_known >= 1
    java_rows = session.scalars(
        select(SkillSuggestion).where(
            SkillSuggestion.role_id == role.id,
            SkillSuggestion.skill_id == taxonomy["Java (computer programming)"].id,
        )
    ).all()
    assert [r.status for r in java_rows] == ["rejected"]


def test_only_hr_tags_roles_and_templates_are_not_read(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Only hr tags roles and templates are not read."""
    employee = make_employee(session)
    user = make_user(session, employee=employee)
    viewer = Viewer(user_id=user.id, email=user.email, role="employee", employee_id=employee.id)
    with pytest.raises(ForbiddenError):
        service.suggest_for_roles(
            session,
            viewer=viewer,
            role_ids=None,
            source=None,
            cache_dir=tmp_path,
            use_embeddings=False,
        )
    template = make_role(session, "Template")
    template.is_template = True
    template.description = "SQL"
    session.flush()
    with pytest.raises(InvalidInputError, match="no description"):
        service.suggest_for_roles(
            session,
            viewer=hr_viewer(session),
            role_ids=[template.id],
            source=None,
            cache_dir=tmp_path,
            use_embeddings=False,
        )
    with pytest.raises(NotFoundError):
        service.suggest_for_roles(
            session,
            viewer=hr_viewer(session),
            role_ids=[10**9],
            source=None,
            cache_dir=tmp_path,
            use_embeddings=False,
        )


def test_catalog_tagging_writes_item_skills_on_acceptance(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Catalog tagging writes item skills on acceptance."""
    hr = hr_viewer(session)
    item = make_item(session, "Spreadsheets 101")
    item.description = "An introduction to spreadsheets software for beginners."
    plain = make_item(session, "No description")
    session.flush()
    counts = service.suggest_for_items(
        session, viewer=hr, item_ids=None, source=None, cache_dir=tmp_path, use_embeddings=False
    )
    assert counts.targets >= 1
    queue, total = service.review_queue(session, viewer=hr, kind="item")
    assert total == len(queue) >= 1
    assert all(s.target_id != plain.id for s in queue)
    mine = [s for s in queue if s.target_id == item.id]
    top = next(s for s in mine if s.skill_name == "use spreadsheets software")
    assert top.level == 0.4
    service.decide(session, viewer=hr, suggestion_ids=[top.id], accept=True)
    taught = session.scalars(select(ItemSkill).where(ItemSkill.item_id == item.id)).one()
    assert (taught.skill_id, taught.level_gained) == (taxonomy["use spreadsheets software"].id, 0.4)


def test_employee_text_becomes_inferred_evidence(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Employee text becomes inferred evidence."""
    manager = make_employee(session, "Mia")
    person = make_employee(session, "Noah", manager=manager)
    peer = make_employee(session, "Olu")
    user = make_user(session, employee=person)
    me = Viewer(user_id=user.id, email=user.email, role="employee", employee_id=person.id)
    peer_user = make_user(session, employee=peer)
    other = Viewer(
        user_id=peer_user.id, email=peer_user.email, role="employee", employee_id=peer.id
    )
    text = "Five years of customer service in retail; I also handle pigs on the family farm."
    with pytest.raises(NotFoundError):
        service.suggest_for_employee(
            session,
            viewer=other,
            employee_id=person.id,
            text=text,
            text_kind="cv",
            source=None,
            cache_dir=tmp_path,
            use_embeddings=False,
        )
    with pytest.raises(InvalidInputError, match="kind of text"):
        service.suggest_for_employee(
            session,
            viewer=me,
            employee_id=person.id,
            text=text,
            text_kind="diary",
            source=None,
            cache_dir=tmp_path,
            use_embeddings=False,
        )
    counts = service.suggest_for_employee(
        session,
        viewer=me,
        employee_id=person.id,
        text=text,
        text_kind="cv",
        source=None,
        cache_dir=tmp_path,
        use_embeddings=False,
    )
    assert counts.created >= 2
    assert service.review_queue(session, viewer=other)[1] == 0
    mine = service.suggestions_for(session, viewer=me, kind="employee", target_id=person.id)
    service_line = next(s for s in mine if s.skill_name == "customer service")
    result = service.decide(session, viewer=me, suggestion_ids=[service_line.id], accept=True)
    assert result.written == 1
    evidence = session.scalars(
        select(SkillEvidence).where(SkillEvidence.employee_id == person.id)
    ).one()
    assert evidence.source == "inferred"
    assert 0 < evidence.confidence <= service.INFERRED_CONFIDENCE
    assert evidence.fingerprint >= 0
    assert "customer service" in evidence.note
    rerun = service.suggest_for_employee(
        session,
        viewer=me,
        employee_id=person.id,
        text=text,
        text_kind="cv",
        source=None,
        cache_dir=tmp_path,
        use_embeddings=False,
    )
    assert rerun.skipped_known >= 1


def test_titles_match_roles_and_occupations(
    session: Session, taxonomy: dict[str, Skill], tmp_path: Path
) -> None:
    """Titles match roles and occupations."""
    make_role(session, "Customer Support Representative")
    template = make_role(session, "contact centre agent")
    template.source = "esco"
    template.is_template = True
    session.flush()
    (result,) = service.match_titles(
        session, titles=["customer suport rep"], top=3, cache_dir=tmp_path, use_embeddings=False
    )
    assert result.roles[0].title == "Customer Support Representative"
    assert all(not r.is_template for r in result.roles)
    assert all(o.is_template for o in result.occupations)
    with pytest.raises(InvalidInputError, match="cannot be matched"):
        service.match_titles(session, titles=[""], top=3, cache_dir=tmp_path, use_embeddings=False)
    assert isinstance(session.get(Role, template.id), Role)
