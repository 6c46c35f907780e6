"""Assessment campaigns, rating tasks, notifications and the skills pulse (docs/campaigns.md).

HR administrators define, launch, follow and close campaigns. Every employee lists and answers
their own rating tasks: a task of someone else is 404 (HR: 403 on answering), and answering
after the campaign closed is 409. Every refusal changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, status

from skillpath.domains.campaigns import service
from skillpath.domains.campaigns.schemas import (
    AnswersIn,
    CampaignCreate,
    CampaignRead,
    CampaignSummary,
    CloseSummary,
    Completion,
    LaunchSummary,
    NotificationRead,
    PopulationPreview,
    PulseIn,
    PulseRead,
    PulseSummary,
    TaskDetail,
    TaskSummary,
)
from skillpath.web.api.common import Limit, Offset, Page
from skillpath.web.deps import ApiViewer, DbSession
from skillpath.web.scales import OrgScale

router = APIRouter()
HR_ONLY: dict[int | str, dict[str, Any]] = {
    403: {"description": "The caller is not an HR administrator"},
    404: {"description": "No such campaign"},
}
STATE: dict[int | str, dict[str, Any]] = {
    **HR_ONLY,
    409: {"description": "The campaign is not in a state that allows this"},
    422: {"description": "The definition is not valid (every problem is listed)"},
}
ANSWERING: dict[int | str, dict[str, Any]] = {
    403: {"description": "HR may read any task but only its rater answers it"},
    404: {"description": "No such task, or not the caller's"},
    409: {"description": "The campaign is closed or cancelled, or the task already submitted"},
    422: {"description": "An answer is not valid, or (submit) a skill has no answer"},
}
CampaignStatus = Literal["draft", "open", "closed", "cancelled"]


@router.get(
    "/campaigns",
    tags=["campaigns"],
    response_model=Page[CampaignSummary],
    summary="List campaigns",
    responses={403: HR_ONLY[403]},
)
def list_campaigns(
    session: DbSession,
    viewer: ApiViewer,
    status_: Annotated[
        CampaignStatus | None, Query(alias="status", description="Only campaigns in this state")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[CampaignSummary]:
    """Campaigns, newest first, with participants, tasks, submitted tasks, the completion rate
    and unfinished tasks past the deadline."""
    items, total = service.list_campaigns(
        session, viewer=viewer, status=status_, limit=limit, offset=offset
    )
    return Page[CampaignSummary](items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/campaigns",
    tags=["campaigns"],
    response_model=CampaignRead,
    status_code=status.HTTP_201_CREATED,
    summary="Create a draft campaign",
    responses={403: HR_ONLY[403], 422: STATE[422]},
)
def create_campaign(
    session: DbSession, viewer: ApiViewer, scale: OrgScale, body: CampaignCreate
) -> CampaignRead:
    """A new campaign, saved as a draft: the population (`unit_ids` with every unit below them,
    and/or `role_ids`; with both, people in both), optionally only some `skill_ids` of their role
    profiles, the raters (`include_self`, `include_manager`, `peer_count` teammates), the
    `deadline` (after today, within a year) and the reminder schedule. Answers are given on the
    organisation's display scale."""
    return service.create_campaign(session, viewer=viewer, data=body, scale_code=scale.code)


@router.get(
    "/campaigns/{campaign_id}",
    tags=["campaigns"],
    response_model=CampaignRead,
    summary="Read a campaign",
    responses=HR_ONLY,
)
def read_campaign(session: DbSession, viewer: ApiViewer, campaign_id: int) -> CampaignRead:
    """A campaign's definition and state (draft, open, closed, cancelled)."""
    return service.campaign_detail(session, viewer=viewer, campaign_id=campaign_id)


@router.put(
    "/campaigns/{campaign_id}",
    tags=["campaigns"],
    response_model=CampaignRead,
    summary="Change a draft campaign",
    responses=STATE,
)
def update_campaign(
    session: DbSession, viewer: ApiViewer, scale: OrgScale, campaign_id: int, body: CampaignCreate
) -> CampaignRead:
    """Replace a draft's definition (same rules as creating one); a launched campaign is 409."""
    return service.update_campaign(
        session, viewer=viewer, campaign_id=campaign_id, data=body, scale_code=scale.code
    )


@router.get(
    "/campaigns/{campaign_id}/population",
    tags=["campaigns"],
    response_model=PopulationPreview,
    summary="Preview who a campaign reaches",
    responses=HR_ONLY,
)
def preview_population(
    session: DbSession, viewer: ApiViewer, campaign_id: int
) -> PopulationPreview:
    """The participants and tasks a launch would create today, and how many people of the
    population have no skill to rate (their role profile has none of the campaign's skills)."""
    return service.preview_population(session, viewer=viewer, campaign_id=campaign_id)


@router.post(
    "/campaigns/{campaign_id}/launch",
    tags=["campaigns"],
    response_model=LaunchSummary,
    summary="Launch a draft campaign",
    responses=STATE,
)
def launch_campaign(session: DbSession, viewer: ApiViewer, campaign_id: int) -> LaunchSummary:
    """Resolve the population to the people employed today, create one task per participant
    and rater, and notify every rater. 422 when nobody can be rated or the deadline passed."""
    return service.launch_campaign(session, viewer=viewer, campaign_id=campaign_id)


@router.post(
    "/campaigns/{campaign_id}/close",
    tags=["campaigns"],
    response_model=CloseSummary,
    summary="Close an open campaign",
    responses=STATE,
)
def close_campaign(session: DbSession, viewer: ApiViewer, campaign_id: int) -> CloseSummary:
    """Turn every level of a submitted task into dated evidence (source self, manager or peer,
    with the rater) and refresh the participants' profiles, in one transaction. Unsubmitted
    tasks and "can't judge" answers add nothing."""
    return service.close_campaign(session, viewer=viewer, campaign_id=campaign_id)


@router.post(
    "/campaigns/{campaign_id}/cancel",
    tags=["campaigns"],
    response_model=CampaignRead,
    summary="Cancel a campaign",
    responses=STATE,
)
def cancel_campaign(session: DbSession, viewer: ApiViewer, campaign_id: int) -> CampaignRead:
    """Cancel a draft or open campaign: its tasks disappear and nothing becomes evidence."""
    return service.cancel_campaign(session, viewer=viewer, campaign_id=campaign_id)


@router.get(
    "/campaigns/{campaign_id}/completion",
    tags=["campaigns"],
    response_model=Completion,
    summary="Follow a campaign's completion",
    responses=HR_ONLY,
)
def read_completion(session: DbSession, viewer: ApiViewer, campaign_id: int) -> Completion:
    """Tasks submitted, in progress and not started: overall, by rater kind and by the
    participants' unit (least complete first), and after the deadline the raters with the most
    unfinished tasks."""
    return service.completion(session, viewer=viewer, campaign_id=campaign_id)


@router.get(
    "/tasks", tags=["rating tasks"], response_model=Page[TaskSummary], summary="List my tasks"
)
def list_my_tasks(session: DbSession, viewer: ApiViewer) -> Page[TaskSummary]:
    """The caller's rating tasks in open campaigns: unfinished first, then by deadline."""
    items = service.my_tasks(session, viewer=viewer)
    return Page[TaskSummary](items=items, total=len(items), limit=len(items), offset=0)


@router.get(
    "/tasks/{task_id}",
    tags=["rating tasks"],
    response_model=TaskDetail,
    summary="Read a rating task",
    responses={404: ANSWERING[404]},
)
def read_task(session: DbSession, viewer: ApiViewer, task_id: int) -> TaskDetail:
    """A task: who is rated, the skills with the answers saved so far, and the display scale
    (levels, labels, descriptors) to answer on."""
    return service.task_detail(session, viewer=viewer, task_id=task_id)


@router.patch(
    "/tasks/{task_id}/answers",
    tags=["rating tasks"],
    response_model=TaskDetail,
    summary="Save some answers",
    responses=ANSWERING,
)
def save_answers(
    session: DbSession, viewer: ApiViewer, task_id: int, body: AnswersIn
) -> TaskDetail:
    """Save answers of the caller's own task, leaving the others as they are: per skill a
    `display_level` of the scale, or `cant_judge: true`, or neither to clear the answer."""
    return service.save_answers(session, viewer=viewer, task_id=task_id, answers=body.answers)


@router.post(
    "/tasks/{task_id}/submit",
    tags=["rating tasks"],
    response_model=TaskDetail,
    summary="Submit a task",
    responses=ANSWERING,
)
def submit_task(
    session: DbSession,
    viewer: ApiViewer,
    task_id: int,
    body: Annotated[AnswersIn | None, Body()] = None,
) -> TaskDetail:
    """Save the answers given (if any) and complete the task; every skill needs a level or
    "can't judge". A submitted task cannot change."""
    answers = body.answers if body is not None else []
    return service.save_answers(
        session, viewer=viewer, task_id=task_id, answers=answers, submit=True
    )


@router.get(
    "/notifications",
    tags=["rating tasks"],
    response_model=list[NotificationRead],
    summary="List my notifications",
)
def list_notifications(session: DbSession, viewer: ApiViewer) -> list[NotificationRead]:
    """The caller's latest campaign notifications (tasks assigned, reminders, overdue
    notices), newest first, with when each was sent. No e-mail is sent."""
    return service.notifications(session, viewer=viewer)


@router.get(
    "/pulse",
    tags=["pulse"],
    response_model=PulseRead,
    summary="Read this month's skills pulse",
    responses={403: {"description": "The caller has no employee record"}},
)
def read_pulse(session: DbSession, viewer: ApiViewer) -> PulseRead:
    """ "Which skills did you use this month?": the skills offered (the role profile's first,
    then the caller's own), this month's answer so far and the last months' answers."""
    return service.pulse(session, viewer=viewer)


@router.put(
    "/pulse",
    tags=["pulse"],
    response_model=PulseRead,
    summary="Answer this month's skills pulse",
    responses={
        403: {"description": "The caller has no employee record"},
        422: {"description": "A skill is not one of those offered"},
    },
)
def answer_pulse(session: DbSession, viewer: ApiViewer, body: PulseIn) -> PulseRead:
    """Record (or replace) this month's answer. It is a usage signal only: it adds no evidence
    and does not move any level (docs/campaigns.md)."""
    return service.answer_pulse(session, viewer=viewer, skill_ids=body.skill_ids)


@router.get(
    "/pulse/summary",
    tags=["pulse"],
    response_model=PulseSummary,
    summary="Read the organisation's pulse",
    responses={403: {"description": "Only HR administrators and executives"}},
)
def read_pulse_summary(
    session: DbSession,
    viewer: ApiViewer,
    month: Annotated[
        date | None, Query(description="Any day of the month (default: this one)")
    ] = None,
) -> PulseSummary:
    """How many people answered a month's pulse and the skills they used most."""
    return service.pulse_summary(session, viewer=viewer, month=month)
