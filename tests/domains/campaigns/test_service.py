"""Campaign use cases on a database: define, launch, answer, remind, follow, close; the pulse."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from skillpath.domains.campaigns import service
from skillpath.domains.campaigns.models import (
    Campaign,
    CampaignAnswer,
    CampaignNotification,
    CampaignTask,
)
from skillpath.domains.campaigns.schemas import AnswerIn, CampaignCreate
from skillpath.domains.evidence.engine.fingerprint import evidence_fingerprint
from skillpath.domains.evidence.models import EmployeeSkill, SkillEvidence
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import AuditEvent
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people.models import Employee, OrgUnit, Role
from skillpath.domains.taxonomy.models import Skill
from tests.factories import (
    make_employee,
    make_evidence,
    make_role,
    make_skill,
    make_unit,
    make_user,
)

NOW = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
DEADLINE = date(2030, 3, 20)


@dataclass
class Company:
    """A small known company: Acme > Engineering > Data, and Sales."""

    hr: Viewer
    sql: Skill
    python: Skill
    listening: Skill
    units: dict[str, int]
    roles: dict[str, int]
    people: dict[str, Employee]

    def viewer(self, name: str) -> Viewer:
        """The viewer of an employee (an employee user, no user row needed to answer)."""
        person = self.people[name]
        return Viewer(
            user_id=0, email=f"{name}@example.com", role="employee", employee_id=person.id
        )


@pytest.fixture
def company(session: Session) -> Company:
    """Cara (no role) ← Max (manager, no profile) ← Ana, Ben, Cy (analysts in Data); Fay, an
    analyst who left; Gil, an analyst hired after the launch; Oli (sales) ← Cara."""
    sql, python = make_skill(session, "SQL"), make_skill(session, "Python")
    listening = make_skill(session, "Active listening")
    acme = make_unit(session, "Acme")
    engineering = make_unit(session, "Engineering", parent=acme)
    data = make_unit(session, "Data", parent=engineering)
    sales = make_unit(session, "Sales", parent=acme)
    analyst = make_role(session, "Analyst", skills=[(sql, 0.6, 0.9), (python, 0.4, 0.5)])
    lead = make_role(session, "Engineering lead")
    seller = make_role(session, "Seller", skills=[(listening, 0.8, 0.8)])
    cara = make_employee(session, "Cara", unit=acme)
    max_ = make_employee(session, "Max", manager=cara, unit=engineering, role=lead)
    people = {"cara": cara, "max": max_}
    for name in ("ana", "ben", "cy"):
        people[name] = make_employee(session, name.title(), manager=max_, unit=data, role=analyst)
    people["fay"] = make_employee(
        session, "Fay", manager=max_, unit=data, role=analyst, left_on=date(2030, 2, 1)
    )
    people["gil"] = make_employee(
        session, "Gil", manager=max_, unit=data, role=analyst, hired_on=date(2030, 4, 1)
    )
    people["oli"] = make_employee(session, "Oli", manager=cara, unit=sales, role=seller)
    hr_user = make_user(session, role="hr_admin")
    return Company(
        hr=identity.viewer_for(hr_user),
        sql=sql,
        python=python,
        listening=listening,
        units={"acme": acme.id, "engineering": engineering.id, "data": data.id, "sales": sales.id},
        roles={"analyst": analyst.id, "lead": lead.id, "seller": seller.id},
        people=people,
    )


def _definition(company: Company, **changes: object) -> CampaignCreate:
    values: dict[str, object] = {
        "name": "Spring skills review",
        "unit_ids": [company.units["engineering"]],
        "deadline": DEADLINE,
        "peer_count": 1,
    }
    values.update(changes)
    return CampaignCreate.model_validate(values)


def _launched(session: Session, company: Company, **changes: object) -> int:
    campaign = service.create_campaign(
        session, viewer=company.hr, data=_definition(company, **changes), now=NOW
    )
    service.launch_campaign(session, viewer=company.hr, campaign_id=campaign.id, now=NOW)
    return campaign.id


def _task(session: Session, campaign_id: int, subject: Employee, kind: str) -> CampaignTask:
    return session.scalars(
        select(CampaignTask).where(
            CampaignTask.campaign_id == campaign_id,
            CampaignTask.subject_id == subject.id,
            CampaignTask.rater_kind == kind,
        )
    ).one()


def _answer_all(
    session: Session, company: Company, task: CampaignTask, levels: tuple[int | None, ...]
) -> None:
    """Answer the task's skills in order (None: can't judge) and submit."""
    rater = next(name for name, p in company.people.items() if p.id == task.rater_id)
    detail = service.task_detail(session, viewer=company.viewer(rater), task_id=task.id)
    answers = [
        AnswerIn(skill_id=item.skill.id, display_level=level, cant_judge=level is None)
        for item, level in zip(detail.items, levels, strict=True)
    ]
    service.save_answers(
        session,
        viewer=company.viewer(rater),
        task_id=task.id,
        answers=answers,
        submit=True,
        now=NOW + timedelta(days=2),
    )


# Definition


def test_a_new_campaign_is_a_draft_with_its_definition(session: Session, company: Company) -> None:
    """Saved as a draft, names resolved, lists deduplicated, reminder days sorted, audited."""
    read = service.create_campaign(
        session,
        viewer=company.hr,
        data=_definition(
            company,
            name="  Spring  ",
            unit_ids=[company.units["data"], company.units["data"]],
            role_ids=[company.roles["analyst"]],
            skill_ids=[company.sql.id],
            reminder_days=[2, 7],
        ),
        now=NOW,
    )
    assert read.status == "draft"
    assert read.name == "Spring"
    assert [u.name for u in read.units] == ["Data"]
    assert [r.title for r in read.roles] == ["Analyst"]
    assert [s.name for s in read.skills] == ["SQL"]
    assert read.reminder_days == [7, 2]
    audit = session.scalars(select(AuditEvent).where(AuditEvent.action == "campaign.create")).one()
    assert audit.entity_id == str(read.id)


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"name": "   "}, "name"),
        ({"deadline": date(2030, 3, 1)}, "deadline"),
        ({"deadline": date(2031, 6, 1)}, "deadline"),
        ({"unit_ids": []}, "population"),
        ({"unit_ids": [999_999]}, "unit_ids"),
        ({"role_ids": [999_999]}, "role_ids"),
        ({"skill_ids": [999_999]}, "skill_ids"),
        ({"include_self": False, "include_manager": False, "peer_count": 0}, "raters"),
        ({"reminder_days": [7, 7]}, "reminder_days"),
        ({"reminder_days": [120]}, "reminder_days"),
    ],
)
def test_bad_definitions_are_refused_and_nothing_is_saved(
    session: Session, company: Company, changes: dict[str, object], column: str
) -> None:
    """Each bad field is named in the problems; no campaign row is written."""
    with pytest.raises(InvalidInputError) as refused:
        service.create_campaign(
            session, viewer=company.hr, data=_definition(company, **changes), now=NOW
        )
    assert column in {p.column for p in refused.value.problems}
    assert session.scalar(select(func.count()).select_from(Campaign)) == 0


def test_only_hr_manages_campaigns(session: Session, company: Company) -> None:
    """An employee, a manager or an executive cannot create, launch or see campaigns."""
    executive = Viewer(user_id=0, email="x@example.com", role="executive", employee_id=None)
    for viewer in (company.viewer("max"), executive):
        with pytest.raises(ForbiddenError):
            service.create_campaign(session, viewer=viewer, data=_definition(company), now=NOW)
        with pytest.raises(ForbiddenError):
            service.list_campaigns(session, viewer=viewer)


def test_a_draft_can_change_but_a_launched_campaign_cannot(
    session: Session, company: Company
) -> None:
    """Editing a draft replaces its definition; after launch it is a conflict."""
    draft = service.create_campaign(session, viewer=company.hr, data=_definition(company), now=NOW)
    changed = service.update_campaign(
        session,
        viewer=company.hr,
        campaign_id=draft.id,
        data=_definition(company, name="Renamed", peer_count=0),
        now=NOW,
    )
    assert (changed.name, changed.peer_count) == ("Renamed", 0)
    service.launch_campaign(session, viewer=company.hr, campaign_id=draft.id, now=NOW)
    with pytest.raises(ConflictError):
        service.update_campaign(
            session, viewer=company.hr, campaign_id=draft.id, data=_definition(company), now=NOW
        )
    with pytest.raises(NotFoundError):
        service.campaign_detail(session, viewer=company.hr, campaign_id=999_999)


# Launch


def test_launch_resolves_the_population_and_creates_one_task_per_rater(
    session: Session, company: Company
) -> None:
    """Engineering with its subtree: the three current analysts (Max has no profile, Fay left,
    Gil is not hired yet); each rated by self, Max and one teammate; everyone notified once."""
    campaign_id = _launched(session, company)
    tasks = session.scalars(
        select(CampaignTask).where(CampaignTask.campaign_id == campaign_id)
    ).all()
    analysts = {company.people[n].id for n in ("ana", "ben", "cy")}
    assert {t.subject_id for t in tasks} == analysts
    assert Counter(t.rater_kind for t in tasks) == {"self": 3, "manager": 3, "peer": 3}
    for task in tasks:
        if task.rater_kind == "self":
            assert task.rater_id == task.subject_id
        if task.rater_kind == "manager":
            assert task.rater_id == company.people["max"].id
        if task.rater_kind == "peer":
            assert task.rater_id in analysts - {task.subject_id}
    peer_load = Counter(t.rater_id for t in tasks if t.rater_kind == "peer")
    assert sorted(peer_load.values()) == [1, 1, 1]
    assert all(t.status == "pending" for t in tasks)
    notes = session.scalars(
        select(CampaignNotification).where(CampaignNotification.campaign_id == campaign_id)
    ).all()
    by_recipient = {n.recipient_id: n.open_tasks for n in notes}
    assert by_recipient[company.people["max"].id] == 3
    assert all(n.step == "assigned" for n in notes)
    read = service.campaign_detail(session, viewer=company.hr, campaign_id=campaign_id)
    assert read.status == "open"
    assert read.launched_at == NOW


def test_roles_and_units_intersect_and_skills_can_be_restricted(
    session: Session, company: Company
) -> None:
    """Acme ∩ Seller is Oli alone (rated by himself, Cara and his teammate Max); Analysts
    restricted to Python rate only Python."""
    preview_id = service.create_campaign(
        session,
        viewer=company.hr,
        data=_definition(
            company, unit_ids=[company.units["acme"]], role_ids=[company.roles["seller"]]
        ),
        now=NOW,
    ).id
    preview = service.preview_population(
        session, viewer=company.hr, campaign_id=preview_id, today=NOW.date()
    )
    assert preview.participants == 1
    # Max, who also reports to Cara, is Oli's one teammate and so his peer.
    assert preview.tasks_by_kind == {"self": 1, "manager": 1, "peer": 1}
    campaign_id = _launched(
        session,
        company,
        unit_ids=[],
        role_ids=[company.roles["analyst"]],
        skill_ids=[company.python.id],
        peer_count=0,
    )
    task = _task(session, campaign_id, company.people["ana"], "self")
    detail = service.task_detail(session, viewer=company.viewer("ana"), task_id=task.id)
    assert [item.skill.name for item in detail.items] == ["Python"]


def test_people_without_skills_to_rate_are_skipped_and_an_empty_population_is_refused(
    session: Session, company: Company
) -> None:
    """A unit with only people without a profile: launch refused, campaign still a draft."""
    preview_id = service.create_campaign(
        session, viewer=company.hr, data=_definition(company), now=NOW
    ).id
    preview = service.preview_population(
        session, viewer=company.hr, campaign_id=preview_id, today=NOW.date()
    )
    assert preview.skipped_without_skills == 1  # Max
    draft = service.create_campaign(
        session,
        viewer=company.hr,
        data=_definition(company, unit_ids=[], role_ids=[company.roles["lead"]]),
        now=NOW,
    )
    with pytest.raises(InvalidInputError) as refused:
        service.launch_campaign(session, viewer=company.hr, campaign_id=draft.id, now=NOW)
    assert refused.value.problems[0].column == "population"
    assert service.campaign_detail(session, viewer=company.hr, campaign_id=draft.id).status == (
        "draft"
    )
    assert session.scalar(select(func.count()).select_from(CampaignTask)) == 0


def test_launching_twice_or_after_the_deadline_is_refused(
    session: Session, company: Company
) -> None:
    """A second launch is a conflict; a draft whose deadline passed cannot be launched."""
    campaign_id = _launched(session, company)
    with pytest.raises(ConflictError):
        service.launch_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    draft = service.create_campaign(session, viewer=company.hr, data=_definition(company), now=NOW)
    with pytest.raises(InvalidInputError):
        service.launch_campaign(
            session, viewer=company.hr, campaign_id=draft.id, now=NOW + timedelta(days=30)
        )


def test_peers_come_from_the_same_manager_first_then_the_same_unit(
    session: Session, company: Company
) -> None:
    """Dee works in Data but reports to Cara: Ana (Max's report) gets Ben and Cy first, then
    Dee from her unit; Dee gets Cara's other reports (Max, Oli) and one analyst of Data."""
    dee = make_employee(
        session,
        "Dee",
        manager=company.people["cara"],
        unit=session.get(OrgUnit, company.units["data"]),
        role=session.get(Role, company.roles["analyst"]),
    )
    campaign_id = _launched(
        session,
        company,
        unit_ids=[company.units["data"]],
        peer_count=3,
        include_self=False,
        include_manager=False,
    )
    peers: dict[int, set[int]] = {}
    for task in session.scalars(
        select(CampaignTask).where(CampaignTask.campaign_id == campaign_id)
    ):
        assert task.rater_kind == "peer"
        peers.setdefault(task.subject_id, set()).add(task.rater_id)
    ids = {name: person.id for name, person in company.people.items()}
    assert peers[ids["ana"]] == {ids["ben"], ids["cy"], dee.id}
    assert {ids["max"], ids["oli"]} < peers[dee.id]
    assert len(peers[dee.id]) == 3
    assert all(subject not in raters for subject, raters in peers.items())


# Answering


def test_partial_saves_then_submit(session: Session, company: Company) -> None:
    """Saving one answer puts the task in progress; submitting needs every skill answered;
    a clear removes an answer; the latent level is the display level over the maximum."""
    campaign_id = _launched(session, company)
    task = _task(session, campaign_id, company.people["ana"], "self")
    ana = company.viewer("ana")
    detail = service.save_answers(
        session,
        viewer=ana,
        task_id=task.id,
        answers=[AnswerIn(skill_id=company.sql.id, display_level=4)],
        now=NOW,
    )
    assert detail.status == "in_progress"
    assert detail.answered == 1
    sql_item = next(i for i in detail.items if i.skill.id == company.sql.id)
    assert (sql_item.display_level, sql_item.level) == (4, 0.8)
    with pytest.raises(InvalidInputError) as incomplete:
        service.submit_task(session, viewer=ana, task_id=task.id, now=NOW)
    assert [p.column for p in incomplete.value.problems] == ["Python"]
    cleared = service.save_answers(
        session, viewer=ana, task_id=task.id, answers=[AnswerIn(skill_id=company.sql.id)], now=NOW
    )
    assert (cleared.status, cleared.answered) == ("pending", 0)
    done = service.save_answers(
        session,
        viewer=ana,
        task_id=task.id,
        answers=[
            AnswerIn(skill_id=company.sql.id, display_level=3),
            AnswerIn(skill_id=company.python.id, cant_judge=True),
        ],
        submit=True,
        now=NOW,
    )
    assert (done.status, done.submitted_at, done.editable) == ("submitted", NOW, False)
    with pytest.raises(ConflictError):
        service.save_answers(
            session,
            viewer=ana,
            task_id=task.id,
            answers=[AnswerIn(skill_id=company.sql.id, display_level=5)],
            now=NOW,
        )


@pytest.mark.parametrize(
    "answer",
    [
        AnswerIn(skill_id=999_999, display_level=3),
        AnswerIn(skill_id=-1, display_level=3),
        AnswerIn(skill_id=0, display_level=6),
        AnswerIn(skill_id=0, display_level=0),
        AnswerIn(skill_id=0, display_level=3, cant_judge=True),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    session: Session, company: Company, answer: AnswerIn
) -> None:
    """Unknown skill, level off the 1–5 scale, level and can't-judge together: 422, no rows.
    (skill_id 0 stands for SQL, a skill of the task.)"""
    campaign_id = _launched(session, company)
    task = _task(session, campaign_id, company.people["ana"], "self")
    if answer.skill_id == 0:
        answer = answer.model_copy(update={"skill_id": company.sql.id})
    good = AnswerIn(skill_id=company.python.id, display_level=2)
    with pytest.raises(InvalidInputError):
        service.save_answers(
            session, viewer=company.viewer("ana"), task_id=task.id, answers=[good, answer], now=NOW
        )
    assert session.scalar(select(func.count()).select_from(CampaignAnswer)) == 0
    assert session.get(CampaignTask, task.id).status == "pending"  # type: ignore[union-attr]


def test_nobody_answers_someone_elses_task(session: Session, company: Company) -> None:
    """Another employee: 404 (no existence leak); HR can read it but not answer (403)."""
    campaign_id = _launched(session, company)
    task = _task(session, campaign_id, company.people["ana"], "self")
    answer = [AnswerIn(skill_id=company.sql.id, display_level=3)]
    with pytest.raises(NotFoundError):
        service.save_answers(
            session, viewer=company.viewer("oli"), task_id=task.id, answers=answer, now=NOW
        )
    with pytest.raises(NotFoundError):
        service.task_detail(session, viewer=company.viewer("ben"), task_id=task.id)
    assert service.task_detail(session, viewer=company.hr, task_id=task.id).id == task.id
    with pytest.raises(ForbiddenError):
        service.save_answers(session, viewer=company.hr, task_id=task.id, answers=answer, now=NOW)
    with pytest.raises(NotFoundError):
        service.task_detail(session, viewer=company.viewer("ana"), task_id=999_999)


def test_my_tasks_and_the_open_count(session: Session, company: Company) -> None:
    """Max sees his three manager tasks (and the count drops as he submits); Oli sees none."""
    campaign_id = _launched(session, company, peer_count=0)
    tasks = service.my_tasks(session, viewer=company.viewer("max"), today=NOW.date())
    assert [t.rater_kind for t in tasks] == ["manager"] * 3
    assert service.open_task_count(session, employee_id=company.people["max"].id) == 3
    _answer_all(
        session, company, _task(session, campaign_id, company.people["ben"], "manager"), (4, 2)
    )
    assert service.open_task_count(session, employee_id=company.people["max"].id) == 2
    tasks = service.my_tasks(session, viewer=company.viewer("max"), today=NOW.date())
    assert tasks[-1].status == "submitted"
    assert service.my_tasks(session, viewer=company.viewer("oli")) == []
    assert service.open_task_count(session, employee_id=None) == 0


# Completion and reminders


def test_completion_by_kind_unit_and_overdue(session: Session, company: Company) -> None:
    """One of nine tasks submitted; after the deadline the unfinished raters are listed."""
    campaign_id = _launched(session, company)
    _answer_all(
        session, company, _task(session, campaign_id, company.people["ana"], "self"), (4, 3)
    )
    before = service.completion(
        session, viewer=company.hr, campaign_id=campaign_id, today=NOW.date()
    )
    assert (before.overall.tasks, before.overall.submitted) == (9, 1)
    assert before.overall.completion == pytest.approx(1 / 9)
    kinds = {row.key: (row.tasks, row.submitted) for row in before.by_kind}
    assert kinds == {"self": (3, 1), "manager": (3, 0), "peer": (3, 0)}
    assert [(row.label, row.tasks) for row in before.by_unit] == [("Data", 9)]
    assert (before.participants, before.participants_complete) == (3, 0)
    assert before.overdue_tasks == 0
    assert before.overdue_raters == []
    late = service.completion(
        session, viewer=company.hr, campaign_id=campaign_id, today=DEADLINE + timedelta(days=1)
    )
    assert late.overdue_tasks == 8
    assert late.overdue_raters[0].rater.id == company.people["max"].id
    assert late.overdue_raters[0].open_tasks == 3
    summaries, total = service.list_campaigns(
        session, viewer=company.hr, today=DEADLINE + timedelta(days=1)
    )
    assert total == 1
    assert (summaries[0].tasks, summaries[0].submitted, summaries[0].overdue) == (9, 1, 8)


def test_reminders_follow_the_schedule_and_are_sent_once(
    session: Session, company: Company
) -> None:
    """7 days before: every rater with unfinished tasks, once; a rater who finished gets no
    more; after the deadline an overdue notice; closing stops everything."""
    campaign_id = _launched(session, company, peer_count=0)
    assert service.send_reminders(session, now=NOW + timedelta(days=1)) == 0
    week_before = datetime(2030, 3, 13, 8, tzinfo=UTC)
    due = service.due_reminders(session, week_before)
    raters = {company.people[n].id for n in ("ana", "ben", "cy", "max")}
    assert {d.rater_id for d in due} == raters
    assert service.send_reminders(session, now=week_before) == 4
    assert service.send_reminders(session, now=week_before + timedelta(hours=5)) == 0
    _answer_all(
        session, company, _task(session, campaign_id, company.people["ana"], "self"), (4, 3)
    )
    two_days_before = datetime(2030, 3, 18, 8, tzinfo=UTC)
    assert {d.rater_id for d in service.due_reminders(session, two_days_before)} == raters - {
        company.people["ana"].id
    }
    assert service.send_reminders(session, now=two_days_before) == 3
    overdue = datetime(2030, 3, 21, 8, tzinfo=UTC)
    assert service.send_reminders(session, now=overdue) == 3
    notes = service.notifications(session, viewer=company.viewer("max"))
    assert [(n.kind, n.step, n.days_before) for n in notes] == [
        ("overdue", "overdue-1", None),
        ("reminder", "before-2", 2),
        ("reminder", "before-7", 7),
        ("assigned", "assigned", None),
    ]
    assert notes[0].open_tasks == 3
    assert notes[0].sent_at == overdue
    assert service.mark_notifications_read(session, viewer=company.viewer("max"), now=overdue) == 4
    assert service.mark_notifications_read(session, viewer=company.viewer("max"), now=overdue) == 0
    service.close_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=overdue)
    assert service.due_reminders(session, datetime(2030, 4, 30, tzinfo=UTC)) == []


# Closing


def test_closing_turns_submitted_levels_into_evidence_and_refreshes_profiles(
    session: Session, company: Company
) -> None:
    """Ana's self task (SQL 4, Python can't judge) and Max's rating of Ana (SQL 2, Python 3)
    become three evidence rows dated at submission with the rater and its kind; Ben's saved but
    unsubmitted answers add nothing; Ana's profile now has SQL and Python."""
    ana = company.people["ana"]
    make_evidence(session, ana, company.sql, level=0.2, source="self", rater=ana)
    campaign_id = _launched(session, company, peer_count=0)
    _answer_all(session, company, _task(session, campaign_id, ana, "self"), (4, None))
    _answer_all(session, company, _task(session, campaign_id, ana, "manager"), (2, 3))
    ben_task = _task(session, campaign_id, company.people["ben"], "self")
    service.save_answers(
        session,
        viewer=company.viewer("ben"),
        task_id=ben_task.id,
        answers=[AnswerIn(skill_id=company.sql.id, display_level=5)],
        now=NOW,
    )
    closed_at = NOW + timedelta(days=10)
    summary = service.close_campaign(
        session, viewer=company.hr, campaign_id=campaign_id, now=closed_at
    )
    assert (summary.evidence_written, summary.cant_judge) == (3, 1)
    assert summary.unsubmitted_tasks == 4
    assert summary.profiles_refreshed == 1
    assert summary.campaign.status == "closed"
    assert summary.campaign.evidence_written == 3
    rows = session.scalars(
        select(SkillEvidence)
        .where(SkillEvidence.note == "Assessment campaign: Spring skills review")
        .order_by(SkillEvidence.source, SkillEvidence.skill_id)
    ).all()
    assert [(r.employee_id, r.source, r.rater_id, r.level) for r in rows] == [
        (ana.id, "manager", company.people["max"].id, 0.4),
        (ana.id, "manager", company.people["max"].id, 0.6),
        (ana.id, "self", ana.id, 0.8),
    ]
    submitted_at = NOW + timedelta(days=2)
    assert all(r.observed_at == submitted_at for r in rows)
    assert all(r.confidence == service.CAMPAIGN_CONFIDENCE for r in rows)
    first = rows[2]
    assert first.fingerprint == evidence_fingerprint(
        employee_id=ana.id,
        skill_id=company.sql.id,
        source="self",
        rater_id=ana.id,
        level=0.8,
        confidence=service.CAMPAIGN_CONFIDENCE,
        observed_at=submitted_at,
        expires_on=None,
        note=first.note,
    )
    profile = {
        row.skill_id: row
        for row in session.scalars(select(EmployeeSkill).where(EmployeeSkill.employee_id == ana.id))
    }
    assert set(profile) == {company.sql.id, company.python.id}
    assert profile[company.python.id].level == pytest.approx(0.6)
    assert profile[company.sql.id].evidence_count == 2  # the old self-rating is superseded
    assert profile[company.sql.id].computed_at == closed_at


def test_closing_is_idempotent_and_answers_after_close_are_refused(
    session: Session, company: Company
) -> None:
    """A second close is a conflict; writing the same evidence again adds nothing; a rater
    answering after the close gets a conflict and nothing changes."""
    campaign_id = _launched(session, company, peer_count=0)
    ana = company.people["ana"]
    _answer_all(session, company, _task(session, campaign_id, ana, "self"), (4, 3))
    service.close_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    before = session.scalar(select(func.count()).select_from(SkillEvidence))
    with pytest.raises(ConflictError):
        service.close_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    campaign = session.get(Campaign, campaign_id)
    assert campaign is not None
    campaign.status = "open"  # as if the close had to run again after a crash
    session.flush()
    again = service.close_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    assert again.evidence_written == 0
    assert session.scalar(select(func.count()).select_from(SkillEvidence)) == before
    ben_task = _task(session, campaign_id, company.people["ben"], "self")
    with pytest.raises(ConflictError, match="closed"):
        service.save_answers(
            session,
            viewer=company.viewer("ben"),
            task_id=ben_task.id,
            answers=[AnswerIn(skill_id=company.sql.id, display_level=5)],
            now=NOW,
        )
    assert (
        session.scalar(
            select(func.count())
            .select_from(CampaignAnswer)
            .where(CampaignAnswer.task_id == ben_task.id)
        )
        == 0
    )


def test_a_cancelled_campaign_writes_no_evidence_and_takes_no_answers(
    session: Session, company: Company
) -> None:
    """Cancel from open: tasks leave My tasks, answering is a conflict, close is a conflict."""
    campaign_id = _launched(session, company, peer_count=0)
    task = _task(session, campaign_id, company.people["ana"], "self")
    service.cancel_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    assert service.my_tasks(session, viewer=company.viewer("ana")) == []
    with pytest.raises(ConflictError, match="cancelled"):
        service.save_answers(
            session,
            viewer=company.viewer("ana"),
            task_id=task.id,
            answers=[AnswerIn(skill_id=company.sql.id, display_level=5)],
            now=NOW,
        )
    with pytest.raises(ConflictError):
        service.close_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)
    with pytest.raises(ConflictError):
        service.cancel_campaign(session, viewer=company.hr, campaign_id=campaign_id, now=NOW)


# Pulse


def test_the_pulse_offers_role_and_profile_skills_and_keeps_one_answer_a_month(
    session: Session, company: Company
) -> None:
    """Ana is offered SQL and Python (role) and Listening (her own evidence); answering twice
    in a month replaces the answer; next month starts empty and lists the past answer; no
    evidence is written."""
    ana = company.people["ana"]
    make_evidence(session, ana, company.listening, level=0.4)
    viewer = company.viewer("ana")
    form = service.pulse(session, viewer=viewer, now=NOW)
    assert form.month == date(2030, 3, 1)
    assert form.answered_at is None
    assert [(o.skill.name, o.in_role) for o in form.options] == [
        ("Python", True),
        ("SQL", True),
        ("Active listening", False),
    ]
    evidence_before = session.scalar(select(func.count()).select_from(SkillEvidence))
    service.answer_pulse(
        session, viewer=viewer, skill_ids=[company.sql.id, company.python.id], now=NOW
    )
    answered = service.answer_pulse(
        session, viewer=viewer, skill_ids=[company.listening.id], now=NOW + timedelta(days=3)
    )
    assert [o.skill.name for o in answered.options if o.used] == ["Active listening"]
    assert answered.answered_at == NOW + timedelta(days=3)
    assert session.scalar(select(func.count()).select_from(SkillEvidence)) == evidence_before
    next_month = service.pulse(session, viewer=viewer, now=datetime(2030, 4, 2, tzinfo=UTC))
    assert next_month.answered_at is None
    assert [(h.month, [s.name for s in h.skills]) for h in next_month.history] == [
        (date(2030, 3, 1), ["Active listening"])
    ]
    summary = service.pulse_summary(session, viewer=company.hr, month=date(2030, 3, 17))
    assert (summary.month, summary.respondents) == (date(2030, 3, 1), 1)
    assert [(u.skill.name, u.people) for u in summary.top_skills] == [("Active listening", 1)]


def test_bad_pulse_answers_are_refused(session: Session, company: Company) -> None:
    """A skill not offered: 422 and nothing saved; someone without an employee record: 403;
    an employee cannot see the organisation's results."""
    with pytest.raises(InvalidInputError):
        service.answer_pulse(
            session, viewer=company.viewer("ana"), skill_ids=[company.listening.id], now=NOW
        )
    assert service.pulse(session, viewer=company.viewer("ana"), now=NOW).answered_at is None
    with pytest.raises(ForbiddenError):
        service.pulse(session, viewer=company.hr, now=NOW)
    with pytest.raises(ForbiddenError):
        service.pulse_summary(session, viewer=company.viewer("ana"))


def test_the_reminder_job_is_scheduled_and_sends_once(session: Session, company: Company) -> None:
    """`skillpath worker` runs the campaign reminders every hour on the real clock; the job is
    idempotent: every rater with unfinished tasks gets the before-2 step once."""
    from skillpath import worker

    job = worker.job_named("campaign-reminders")
    assert job.when.describe() == "5 * * * *"
    now = utcnow()
    definition = _definition(company, peer_count=0, deadline=now.date() + timedelta(days=3))
    campaign = service.create_campaign(session, viewer=company.hr, data=definition, now=now)
    service.launch_campaign(session, viewer=company.hr, campaign_id=campaign.id, now=now)
    assert job.run(session) == "sent 0 campaign reminders"  # launched today: nothing due yet
    raters = set(
        session.scalars(
            select(CampaignTask.rater_id).where(CampaignTask.campaign_id == campaign.id)
        )
    )
    tomorrow = now + timedelta(days=1)
    assert service.send_reminders(session, now=tomorrow) == len(raters) > 0
    assert service.send_reminders(session, now=tomorrow) == 0
    steps = session.scalars(
        select(CampaignNotification.step).where(
            CampaignNotification.campaign_id == campaign.id,
            CampaignNotification.kind == "reminder",
        )
    ).all()
    assert set(steps) == {"before-2"}
