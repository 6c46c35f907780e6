"""Mentoring: programs, enrolment, matching rounds, matches and their lifecycle, check-ins
(who sees what: docs/mentoring.md)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from skillpath.domains.mentoring import service
from skillpath.domains.mentoring.schemas import (
    AnswerIn,
    CheckInIn,
    CheckInRead,
    CompleteIn,
    EndIn,
    EnrolIn,
    EnrolmentRead,
    MatchRead,
    OverdueRead,
    ProgramIn,
    ProgramRead,
    ProgramStatusIn,
    ProgramUpdate,
    RoundRead,
    SkillSuggestion,
)
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(prefix="/mentoring", tags=["mentoring"])
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may not do this (HR only, or not a member)"},
    404: {
        "description": "No such program, round, enrolment or match, or one the caller may not see"
    },
    409: {"description": "Not possible in the current state"},
    422: {"description": "The request is not valid: each problem names the field and reason"},
}


@router.get("/programs", response_model=list[ProgramRead], summary="Mentoring programs")
def list_programs(session: DbSession, viewer: ApiViewer) -> list[ProgramRead]:
    """HR: every program. Others: the programs open to them (eligible by unit with sub-units,
    role, location and role level) and those they are enrolled in. Each has its `kind`:
    one_to_one, reverse, group, micro or circle."""
    return service.list_programs(session, viewer=viewer)


@router.post(
    "/programs",
    response_model=ProgramRead,
    status_code=201,
    summary="Create a program (HR)",
    responses=ANSWERS,
)
def create_program(session: DbSession, viewer: ApiViewer, body: ProgramIn) -> ProgramRead:
    """A new program in draft."""
    return service.create_program(session, viewer=viewer, data=body)


@router.get(
    "/programs/{program_id}", response_model=ProgramRead, summary="A program", responses=ANSWERS
)
def get_program(session: DbSession, viewer: ApiViewer, program_id: int) -> ProgramRead:
    """One program the caller may see."""
    return service.get_program(session, viewer=viewer, program_id=program_id)


@router.patch(
    "/programs/{program_id}",
    response_model=ProgramRead,
    summary="Edit a program (HR)",
    responses=ANSWERS,
)
def update_program(
    session: DbSession, viewer: ApiViewer, program_id: int, body: ProgramUpdate
) -> ProgramRead:
    """Only the fields sent change."""
    return service.update_program(session, viewer=viewer, program_id=program_id, data=body)


@router.post(
    "/programs/{program_id}/status",
    response_model=ProgramRead,
    summary="Open enrolment, close it, run or close a program (HR)",
    responses=ANSWERS,
)
def set_status(
    session: DbSession, viewer: ApiViewer, program_id: int, body: ProgramStatusIn
) -> ProgramRead:
    """draft → enrolling → matching → running → closed (closing ends live relationships)."""
    return service.set_program_status(
        session, viewer=viewer, program_id=program_id, status=body.status
    )


@router.get(
    "/programs/{program_id}/enrolments",
    response_model=list[EnrolmentRead],
    summary="Enrolments (HR: all; others: their own)",
    responses=ANSWERS,
)
def list_enrolments(session: DbSession, viewer: ApiViewer, program_id: int) -> list[EnrolmentRead]:
    """With each skill's consolidated level."""
    return service.list_enrolments(session, viewer=viewer, program_id=program_id)


@router.post(
    "/programs/{program_id}/enrolments",
    response_model=EnrolmentRead,
    status_code=201,
    summary="Enrol as mentor, mentee or peer",
    responses=ANSWERS,
)
def enrol(session: DbSession, viewer: ApiViewer, program_id: int, body: EnrolIn) -> EnrolmentRead:
    """The caller (HR may name `employee_id`). Enrolling again changes the enrolment."""
    return service.enrol(session, viewer=viewer, program_id=program_id, data=body)


@router.post(
    "/enrolments/{enrolment_id}/withdraw",
    response_model=EnrolmentRead,
    summary="Withdraw an enrolment",
    responses=ANSWERS,
)
def withdraw(session: DbSession, viewer: ApiViewer, enrolment_id: int) -> EnrolmentRead:
    """The person or HR; someone in a live match ends it first."""
    return service.withdraw(session, viewer=viewer, enrolment_id=enrolment_id)


@router.get(
    "/programs/{program_id}/suggested-skills",
    response_model=list[SkillSuggestion],
    summary="Skills the caller could ask a mentor for",
    responses=ANSWERS,
)
def suggested_skills(
    session: DbSession, viewer: ApiViewer, program_id: int
) -> list[SkillSuggestion]:
    """From the caller's gaps against their role, then their open learning path."""
    return service.suggest_skills(session, viewer=viewer, program_id=program_id)


@router.get(
    "/programs/{program_id}/rounds",
    response_model=list[RoundRead],
    summary="Matching rounds (HR)",
    responses=ANSWERS,
)
def list_rounds(session: DbSession, viewer: ApiViewer, program_id: int) -> list[RoundRead]:
    """Oldest first."""
    return service.list_rounds(session, viewer=viewer, program_id=program_id)


@router.post(
    "/programs/{program_id}/rounds",
    response_model=RoundRead,
    status_code=201,
    summary="Run a matching round (HR)",
    responses=ANSWERS,
)
def run_round(session: DbSession, viewer: ApiViewer, program_id: int) -> RoundRead:
    """A draft of optimal proposals (maximum total pair score under capacities and
    exclusions), with the greedy total for reference; replaces an earlier draft."""
    return service.run_round(session, viewer=viewer, program_id=program_id)


@router.post(
    "/programs/{program_id}/rounds/{round_id}/publish",
    response_model=RoundRead,
    summary="Publish a round's proposals (HR)",
    responses=ANSWERS,
)
def publish_round(
    session: DbSession, viewer: ApiViewer, program_id: int, round_id: int
) -> RoundRead:
    """The people see their proposals; unmatched mentees are waitlisted for the next round."""
    return service.publish_round(session, viewer=viewer, program_id=program_id, round_id=round_id)


@router.get(
    "/programs/{program_id}/matches",
    response_model=list[MatchRead],
    summary="Pairs or groups with mentor, mentees, score and reasons",
    responses=ANSWERS,
)
def list_matches(
    session: DbSession,
    viewer: ApiViewer,
    program_id: int,
    round_id: Annotated[int | None, Query(description="Only this round's")] = None,
) -> list[MatchRead]:
    """HR sees all (drafts too); a person sees their own, from published rounds."""
    return service.list_matches(session, viewer=viewer, program_id=program_id, round_id=round_id)


@router.get("/matches/{match_id}", response_model=MatchRead, summary="A match", responses=ANSWERS)
def get_match(session: DbSession, viewer: ApiViewer, match_id: int) -> MatchRead:
    """Its mentor, members and HR."""
    return service.get_match(session, viewer=viewer, match_id=match_id)


@router.post(
    "/matches/{match_id}/answer",
    response_model=MatchRead,
    summary="Accept or decline a proposal",
    responses=ANSWERS,
)
def answer(session: DbSession, viewer: ApiViewer, match_id: int, body: AnswerIn) -> MatchRead:
    """All accepted → active; a decline frees both and the mentee re-enters the next round."""
    return service.answer_match(
        session, viewer=viewer, match_id=match_id, accept=body.accept, mentee_id=body.mentee_id
    )


@router.post(
    "/matches/{match_id}/end",
    response_model=MatchRead,
    summary="End a relationship",
    responses=ANSWERS,
)
def end(session: DbSession, viewer: ApiViewer, match_id: int, body: EndIn) -> MatchRead:
    """The mentor, a member or HR, with a reason."""
    return service.end_match(session, viewer=viewer, match_id=match_id, reason=body.reason)


@router.post(
    "/matches/{match_id}/complete",
    response_model=MatchRead,
    summary="Complete a relationship with its outcome",
    responses=ANSWERS,
)
def complete(session: DbSession, viewer: ApiViewer, match_id: int, body: CompleteIn) -> MatchRead:
    """The mentor or HR; the mentor's assessments of mentees who met objectives become
    evidence (source assessment, rater the mentor)."""
    return service.complete_match(session, viewer=viewer, match_id=match_id, data=body)


@router.get(
    "/matches/{match_id}/checkins",
    response_model=list[CheckInRead],
    summary="A match's check-ins",
    responses=ANSWERS,
)
def list_checkins(session: DbSession, viewer: ApiViewer, match_id: int) -> list[CheckInRead]:
    """Latest first."""
    return service.list_checkins(session, viewer=viewer, match_id=match_id)


@router.post(
    "/matches/{match_id}/checkins",
    response_model=CheckInRead,
    status_code=201,
    summary="Record a check-in",
    responses=ANSWERS,
)
def add_checkin(
    session: DbSession, viewer: ApiViewer, match_id: int, body: CheckInIn
) -> CheckInRead:
    """By the mentor or a mentee of an active match."""
    return service.add_checkin(
        session,
        viewer=viewer,
        match_id=match_id,
        held_on=body.held_on,
        notes=body.notes,
        progress=body.progress,
        rating=body.rating,
    )


@router.get("/checkins/overdue", response_model=list[OverdueRead], summary="Overdue check-ins")
def overdue(session: DbSession, viewer: ApiViewer) -> list[OverdueRead]:
    """Active matches with no check-in within the program's rhythm (HR: all; others: their
    own)."""
    return service.overdue_list(session, viewer=viewer)
