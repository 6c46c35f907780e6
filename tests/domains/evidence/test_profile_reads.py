"""Reading consolidated profiles: the breakdown explains each stored level exactly, ratings,
assessments and completions visibly move it, and only the visibility rule's people read it."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from skillpath.core.errors import NotFoundError
from skillpath.core.levels import SFIA
from skillpath.domains.evidence import capture, profile_reads, service
from skillpath.domains.evidence.profile_schemas import ProfileSkill
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.visibility import Viewer
from tests.domains.evidence.capture_world import NOW, Org, build_org
from tests.factories import make_employee, make_evidence, make_skill, make_user


@pytest.fixture
def org(session: Session) -> Org:
    """The capture tests' company."""
    return build_org(session)


def _assert_explained(skill: ProfileSkill) -> None:
    """The breakdown adds up to the stored figures: shares to 1, weights to the total weight,
    Σ share × level to the weighted mean, and the level is the larger of that and the floor."""
    counted = [line for line in skill.breakdown if line.status == "counted"]
    assert len(counted) == skill.evidence_count
    assert sum(line.share for line in counted) == pytest.approx(1.0, abs=1e-12)
    assert sum(line.weight for line in counted) == pytest.approx(skill.total_weight, abs=1e-12)
    assert sum(line.share * line.level for line in counted) == pytest.approx(
        skill.weighted_mean, abs=1e-12
    )
    expected = max(skill.weighted_mean, skill.floor or 0.0)
    assert skill.level == pytest.approx(expected, abs=1e-12)
    assert all(
        line.weight == 0 and line.share == 0 for line in skill.breakdown if line.status != "counted"
    )
    assert skill.up_to_date


def _sql(session: Session, org: Org, viewer: Viewer | None = None) -> ProfileSkill:
    return profile_reads.profile_skill(
        session,
        viewer=viewer or org.viewers["ann"],
        employee_id=org.people["ann"].id,
        skill_id=org.sql.id,
    )


def test_a_rating_an_assessment_and_a_completion_visibly_change_level_and_confidence(
    session: Session, org: Org
) -> None:
    """Done-when of the skills issue: Ann's self-rating, then her manager's rating, an assessment
    and a completed course each change her level and confidence, and each time the breakdown
    says why (which evidence, how much weight, what share)."""
    ann = org.people["ann"].id
    capture.record_evidence(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.sql.id,
        display_level=2,
        now=NOW,
    )
    first = _sql(session, org)
    assert first.level == pytest.approx(0.4)
    assert [line.source for line in first.breakdown] == ["self"]
    _assert_explained(first)

    capture.record_evidence(
        session,
        viewer=org.viewers["max"],
        employee_id=ann,
        skill_id=org.sql.id,
        display_level=4,
        now=NOW + timedelta(days=1),
    )
    second = _sql(session, org)
    assert first.level < second.level < 0.8
    assert second.confidence != pytest.approx(first.confidence)
    by_source = {line.source: line for line in second.breakdown}
    assert set(by_source) == {"self", "manager"}
    assert by_source["manager"].rater is not None
    assert by_source["manager"].rater.name == "Max Manager"
    # The manager is twice as reliable as the person (0.7 vs 0.35 in the default policy).
    assert by_source["manager"].share > 0.6
    _assert_explained(second)

    capture.record_evidence(
        session,
        viewer=org.viewers["hr"],
        employee_id=ann,
        skill_id=org.sql.id,
        level=0.8,
        source="assessment",
        now=NOW + timedelta(days=2),
    )
    third = _sql(session, org)
    assert third.level > second.level
    assert third.confidence > second.confidence
    assert third.breakdown[0].source == "assessment"  # the largest share comes first
    _assert_explained(third)

    capture.record_evidence(
        session,
        viewer=org.viewers["hr"],
        employee_id=ann,
        skill_id=org.sql.id,
        source="learning",
        item_id=org.item_id,
        now=NOW + timedelta(days=3),
    )
    fourth = _sql(session, org)
    assert fourth.floor == pytest.approx(0.9)
    assert fourth.level == pytest.approx(0.9)
    assert fourth.weighted_mean < fourth.level
    assert fourth.evidence_count == 4
    _assert_explained(fourth)
    # The same numbers through the whole profile, as the API answers it.
    whole = profile_reads.profile(session, viewer=org.viewers["max"], employee_id=ann)
    assert whole.relation == "manager"
    assert whole.skills[0].model_dump() == fourth.model_dump()
    assert whole.skills[0].display_label == "Advanced"  # 0.9 × 5 = 4.5 rounds to 4
    assert whole.skills[0].confidence_band in ("medium", "high")


def test_the_breakdown_explains_every_stored_level_of_a_long_history(session: Session) -> None:
    """Random evidence over four years — several raters who change their minds, expired and
    valid certifications, completions — is consolidated by the profile refresh; the breakdown
    recomputed on demand matches every stored level, confidence and total weight."""
    rnd = random.Random(7)
    person = make_employee(session, "Kim", "Long")
    raters = [make_employee(session) for _ in range(3)]
    skills = [make_skill(session, kind=kind) for kind in ("tool", "skill", "knowledge")]
    sources = ("self", "manager", "peer", "assessment", "certification", "learning", "project")
    for _ in range(60):
        source = rnd.choice(sources)
        evidence = make_evidence(
            session,
            person,
            rnd.choice(skills),
            source=source,
            level=rnd.random(),
            confidence=rnd.uniform(0.1, 1.0),
            observed_at=NOW - timedelta(days=rnd.randint(0, 1400), minutes=rnd.randint(0, 600)),
            rater=rnd.choice(raters) if source in ("self", "manager", "peer") else None,
        )
        if source == "certification":
            evidence.expires_on = (NOW + timedelta(days=rnd.randint(-500, 500))).date()
    session.flush()
    service.refresh_profiles(session, employee_ids=[person.id], now=NOW)
    hr = identity.viewer_for(make_user(session, role="hr_admin", password=None))
    read = profile_reads.profile(session, viewer=hr, employee_id=person.id)
    assert read.relation == "viewer"
    assert read.computed_at == NOW
    assert len(read.skills) == 3
    statuses = {line.status for skill in read.skills for line in skill.breakdown}
    assert statuses == {"counted", "superseded", "expired"}
    assert sum(len(skill.breakdown) for skill in read.skills) == 60
    for skill in read.skills:
        _assert_explained(skill)
    assert [skill.level for skill in read.skills] == sorted(
        (skill.level for skill in read.skills), reverse=True
    )


def test_evidence_that_arrives_later_marks_the_level_out_of_date(
    session: Session, org: Org
) -> None:
    """An import adds evidence observed before the profile was computed, without a refresh: the
    stored level no longer follows from the evidence, and the profile says so."""
    ann = org.people["ann"]
    capture.record_evidence(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann.id,
        skill_id=org.sql.id,
        display_level=2,
        now=NOW,
    )
    assert _sql(session, org).up_to_date
    make_evidence(
        session, ann, org.sql, source="assessment", level=0.9, observed_at=NOW - timedelta(days=1)
    )
    late = _sql(session, org)
    assert not late.up_to_date
    assert late.level == pytest.approx(0.4)  # the stored number, until the next refresh


def test_profiles_follow_the_visibility_rule(session: Session, org: Org) -> None:
    """Yourself, your reporting line, HR and executives: yes; a teammate, another line: 404."""
    ann = org.people["ann"].id
    capture.record_evidence(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.sql.id,
        display_level=3,
        now=NOW,
    )
    relations = {
        who: profile_reads.profile(session, viewer=org.viewers[who], employee_id=ann).relation
        for who in ("ann", "max", "boss", "hr")
    }
    assert relations == {"ann": "self", "max": "manager", "boss": "manager", "hr": "viewer"}
    for outsider in ("bob", "oli", "sue"):
        with pytest.raises(NotFoundError):
            profile_reads.profile(session, viewer=org.viewers[outsider], employee_id=ann)
        with pytest.raises(NotFoundError):
            _sql(session, org, org.viewers[outsider])
    with pytest.raises(NotFoundError):
        profile_reads.profile(session, viewer=org.viewers["hr"], employee_id=10**9)


def test_levels_show_on_the_organisations_display_scale(session: Session, org: Org) -> None:
    """Entered on SFIA 1–7 and shown on it: 5/7 stays 5/7; a skill without evidence has no
    profile line; intents and pending validations come with the profile."""
    ann = org.people["ann"].id
    capture.record_evidence(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.sql.id,
        display_level=5,
        scale=SFIA,
        now=NOW,
    )
    capture.set_intent(
        session,
        viewer=org.viewers["ann"],
        employee_id=ann,
        skill_id=org.tool.id,
        intent="develop",
        now=NOW,
    )
    read = profile_reads.profile(session, viewer=org.viewers["ann"], employee_id=ann, scale=SFIA)
    assert read.scale.maximum == 7
    assert [(s.skill.name, s.display_level) for s in read.skills] == [("SQL", 5)]
    assert read.skills[0].level == pytest.approx(5 / 7)
    assert [(i.skill.name, i.intent) for i in read.intents] == [("Spreadsheets", "develop")]
    assert read.pending_validations == 1
    with pytest.raises(NotFoundError):
        profile_reads.profile_skill(
            session, viewer=org.viewers["ann"], employee_id=ann, skill_id=org.tool.id
        )


@pytest.mark.parametrize(
    ("value", "band"), [(0.0, "low"), (0.39, "low"), (0.4, "medium"), (0.7, "high"), (1.0, "high")]
)
def test_confidence_bands(value: float, band: str) -> None:
    """Low below 0.4, high from 0.7."""
    assert profile_reads.confidence_band(value) == band
