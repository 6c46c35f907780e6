"""Learning paths: plan (preview or save), read, approve, complete steps, re-plan; templates and
cohorts (visibility: the person, their reporting line, HR and executives; changes by the person,
their manager or HR; decisions by the manager or HR)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, status

from skillpath.core.errors import NotFoundError
from skillpath.domains.learning import paths
from skillpath.domains.learning.path_schemas import (
    CohortIn,
    CohortRead,
    Decision,
    PathRead,
    PathRequest,
    PathSummary,
    PlanPreview,
    StepCompleted,
    StepCompletion,
    TemplateIn,
    TemplateRead,
)
from skillpath.web.deps import ApiViewer, DbSession

router = APIRouter(tags=["paths"])
ANSWERS: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller may see the person but not do this"},
    404: {"description": "No such person or path, or one the caller may not see"},
    409: {"description": "The path is not in a state that allows this"},
    422: {"description": "The request is not valid: each problem names the field and reason"},
}
Note = Annotated[str, Body(embed=True, max_length=2000)]


@router.post(
    "/employees/{employee_id}/paths",
    response_model=PathRead,
    status_code=status.HTTP_201_CREATED,
    summary="Plan and save a learning path (draft)",
    responses=ANSWERS,
)
def create_path(
    session: DbSession, viewer: ApiViewer, employee_id: int, body: PathRequest
) -> PathRead:
    """The optimal plan for the mode asked — `upskill` (gaps to the current role), `reskill`
    (gaps to `target_role_id`), `wanted` (skills marked "develop", or `goals`), `assigned`
    (`goals` set by a manager or HR) — saved as a draft.

    Items are chosen to reach every target level with the fewest learning hours (ties: the
    lowest cost), proven optimal by an integer program (`optimal`), and scheduled from
    foundations to practice, mentorship and a capstone at `hours_per_week` (default 2) from
    `start` (default today). `months[].steps[].closes` names the skills each step raises;
    `unreachable` lists the gaps no usable item closes, why, and the closest alternatives;
    `explanations` say why a plan is impossible (no time, a language no item has, a budget)."""
    return paths.create_path(session, viewer=viewer, employee_id=employee_id, request=body)


@router.post(
    "/employees/{employee_id}/paths/preview",
    response_model=PlanPreview,
    summary="The plan a request would give, not saved, with the weekly-time trade-off",
    responses=ANSWERS,
)
def preview_path(
    session: DbSession, viewer: ApiViewer, employee_id: int, body: PathRequest
) -> PlanPreview:
    """Same as planning, without saving; `trade_offs` give the months and end date at 1, 2, 4
    and 8 hours a week (and the hours asked)."""
    return paths.preview_path(session, viewer=viewer, employee_id=employee_id, request=body)


@router.get(
    "/employees/{employee_id}/paths",
    response_model=list[PathSummary],
    summary="A person's learning paths, newest first",
    responses=ANSWERS,
)
def list_paths(session: DbSession, viewer: ApiViewer, employee_id: int) -> list[PathSummary]:
    """Every path of the person with status, hours, progress and weeks behind."""
    return paths.paths_of(session, viewer=viewer, employee_id=employee_id)


@router.get(
    "/employees/{employee_id}/paths/current",
    response_model=PathRead,
    summary="The path the person is on (active, else approved, proposed, draft)",
    responses=ANSWERS,
)
def current_path(session: DbSession, viewer: ApiViewer, employee_id: int) -> PathRead:
    """404 when the person has no open path."""
    found = paths.current_path(session, viewer=viewer, employee_id=employee_id)
    if found is None:
        raise NotFoundError("This person has no open learning path.")
    return found


@router.get(
    "/paths/approvals",
    response_model=list[PathSummary],
    summary="Paths waiting for the caller's decision",
)
def approval_queue(session: DbSession, viewer: ApiViewer) -> list[PathSummary]:
    """Proposed paths of the caller's reporting line (HR: everyone's), oldest first."""
    return paths.approval_queue(session, viewer=viewer)


@router.get(
    "/paths/{path_id}",
    response_model=PathRead,
    summary="A learning path with its months, steps, progress and history",
    responses=ANSWERS,
)
def read_path(session: DbSession, viewer: ApiViewer, path_id: int) -> PathRead:
    """`replan_reasons` say when re-planning would help (behind schedule, learned elsewhere,
    catalog changed); `events` is the path's history."""
    return paths.get_path(session, viewer=viewer, path_id=path_id)


@router.post(
    "/paths/{path_id}/propose",
    response_model=PathRead,
    summary="Send a draft to the manager",
    responses=ANSWERS,
)
def propose_path(session: DbSession, viewer: ApiViewer, path_id: int, note: Note = "") -> PathRead:
    """draft → proposed."""
    return paths.propose_path(session, viewer=viewer, path_id=path_id, note=note)


@router.post(
    "/paths/{path_id}/decision",
    response_model=PathRead,
    summary="Approve a path, or send it back with a note",
    responses=ANSWERS,
)
def decide_path(session: DbSession, viewer: ApiViewer, path_id: int, body: Decision) -> PathRead:
    """By the person's manager (anyone above them) or HR, never the person: approve (draft or
    proposed → approved) or request changes (proposed → draft, a note is required)."""
    return paths.decide_path(
        session, viewer=viewer, path_id=path_id, approve=body.approve, note=body.note
    )


@router.post(
    "/paths/{path_id}/start",
    response_model=PathRead,
    summary="Begin an approved path",
    responses=ANSWERS,
)
def start_path(session: DbSession, viewer: ApiViewer, path_id: int) -> PathRead:
    """approved → active (completing a first step does this too)."""
    return paths.start_path(session, viewer=viewer, path_id=path_id)


@router.post(
    "/paths/{path_id}/abandon",
    response_model=PathRead,
    summary="Stop a path",
    responses=ANSWERS,
)
def abandon_path(session: DbSession, viewer: ApiViewer, path_id: int, note: Note = "") -> PathRead:
    """Any open state → abandoned; completed steps and the evidence they gave stay."""
    return paths.abandon_path(session, viewer=viewer, path_id=path_id, note=note)


@router.post(
    "/paths/{path_id}/replan",
    response_model=PathRead,
    summary="Re-plan the rest of a path from what the person knows now",
    responses=ANSWERS,
)
def replan_path(session: DbSession, viewer: ApiViewer, path_id: int) -> PathRead:
    """Completed steps stay; the rest is planned again from today; the last event says which
    steps were added and removed and the hours before and after."""
    return paths.replan_path(session, viewer=viewer, path_id=path_id)


@router.post(
    "/paths/{path_id}/steps/{step_id}/complete",
    response_model=StepCompleted,
    summary="Complete a step: a completion, learning evidence, a refreshed profile",
    responses=ANSWERS,
)
def complete_step(
    session: DbSession, viewer: ApiViewer, path_id: int, step_id: int, body: StepCompletion
) -> StepCompleted:
    """Records the completion (dated `completed_on`, default today; optional `score` 0–1),
    which becomes learning evidence for each skill the item teaches; the person's consolidated
    profile is refreshed in the same transaction, so their gaps move. `changed_skills` gives the
    levels before and after. An approved path becomes active; the last step completes it."""
    return paths.complete_step(
        session,
        viewer=viewer,
        path_id=path_id,
        step_id=step_id,
        completed_on=body.completed_on,
        score=body.score,
        note=body.note,
    )


@router.get(
    "/path-templates",
    response_model=list[TemplateRead],
    summary="Path templates (transitions and academies)",
    responses=ANSWERS,
)
def list_templates(session: DbSession, viewer: ApiViewer) -> list[TemplateRead]:
    """HR, executives and managers."""
    return paths.list_templates(session, viewer=viewer)


@router.post(
    "/path-templates",
    response_model=TemplateRead,
    status_code=status.HTTP_201_CREATED,
    summary="Define a path template (HR)",
    responses=ANSWERS,
)
def create_template(session: DbSession, viewer: ApiViewer, body: TemplateIn) -> TemplateRead:
    """A transition (`reskill` to `target_role_id`, optionally from `from_role_id`), an
    upskilling academy (`upskill`), or assigned goals (`assigned` with `goals`)."""
    return paths.create_template(session, viewer=viewer, data=body)


@router.post(
    "/path-templates/{template_id}/cohorts",
    response_model=CohortRead,
    status_code=status.HTTP_201_CREATED,
    summary="Assign a template to a cohort: one personalised, approved plan each (HR)",
    responses=ANSWERS,
)
def assign_template(
    session: DbSession, viewer: ApiViewer, template_id: int, body: CohortIn
) -> CohortRead:
    """Members: `employee_ids`, plus everyone employed in `unit_ids` and/or `role_id`. Each plan
    skips what that person already knows (`skipped_hours`); people who cannot get one are in
    `refused` with the reason."""
    return paths.assign_template(session, viewer=viewer, template_id=template_id, data=body)


@router.get(
    "/path-cohorts",
    response_model=list[CohortRead],
    summary="Cohorts and their progress (HR)",
    responses=ANSWERS,
)
def list_cohorts(session: DbSession, viewer: ApiViewer) -> list[CohortRead]:
    """Newest first."""
    return paths.list_cohorts(session, viewer=viewer)


@router.get(
    "/path-cohorts/{cohort_id}",
    response_model=CohortRead,
    summary="A cohort's members, status and progress (HR)",
    responses=ANSWERS,
)
def read_cohort(session: DbSession, viewer: ApiViewer, cohort_id: int) -> CohortRead:
    """Per member: path status, percent done, weeks behind, hours skipped thanks to what they
    already knew."""
    return paths.cohort_progress(session, viewer=viewer, cohort_id=cohort_id)
