"""ROI and impact of a period, from the organisation's own records (docs/analytics.md).

Participants are the people whose first program completion (an academy or a learning path) falls
in the period; their time at risk starts that day. Each is compared with a matched
non-participant (same role family, tenure band, location and performance band, employed on the
participant's day, nearest in hire date) whose time at risk starts the same day — and, to show
how much selection flatters, with everyone else from the start of the period. Fills, moves,
program costs and ROI come from openings, moves and completions; assumptions are editable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import numpy.typing as npt
from sqlalchemy.orm import Session

from skillpath.core.clock import today as utc_today
from skillpath.core.clock import utcnow
from skillpath.core.errors import ForbiddenError, InvalidInputError
from skillpath.core.errors import Problem as InputProblem
from skillpath.domains.analytics import assumptions as stored_assumptions
from skillpath.domains.analytics import impact_repository as repository
from skillpath.domains.analytics.engine.measures import (
    Assumptions,
    Change,
    distribution,
    mobility_rate,
    paired_change,
    rate,
    roi,
)
from skillpath.domains.analytics.engine.survival import (
    Comparison,
    Curve,
    compare,
    match_controls,
    strata,
)
from skillpath.domains.analytics.impact_schemas import (
    CurvePoint,
    Dashboard,
    FillRead,
    FillSpread,
    FlowRead,
    Metric,
    ParticipantRead,
    RetentionComparison,
    RetentionGroup,
)
from skillpath.domains.analytics.impact_schemas import Roi as RoiRead
from skillpath.domains.evidence import service as evidence_service
from skillpath.domains.evidence.engine.consolidation import consolidate
from skillpath.domains.identity.visibility import Viewer

DAYS_PER_MONTH = 365.25 / 12
HORIZON_MONTHS = 6.0
"""Retention is compared six months after joining (a one-year period follows most participants
that long)."""
CURVE_MONTHS = np.arange(0.0, 37.0, 1.0)
"""Months at which curves are drawn, up to the longest time anyone of the comparison was
followed (beyond it a curve would only repeat its last value)."""
TENURE_BANDS = (1.0, 3.0, 5.0)
"""Tenure bands in years: under 1, 1–3, 3–5, 5 and more."""


def _refused(reason: str, field: str, value: object = None) -> InvalidInputError:
    return InvalidInputError(
        "The analytics request is not valid.",
        [InputProblem(reason, column=field, value=None if value is None else str(value))],
    )


def _band(years: float) -> int:
    return int(np.searchsorted(TENURE_BANDS, years, side="right"))


def _performance_band(ratings: Sequence[tuple[date, int]], day: date) -> int:
    """The latest rating before the day: 0 none, 1 low (1–2), 2 solid (3), 3 high (4–5)."""
    before = [performance for period_end, performance in ratings if period_end <= day]
    if not before:
        return 0
    last = before[-1]
    return 1 if last <= 2 else (2 if last == 3 else 3)


def _months(start: date, end: date) -> float:
    return max(0.0, (end - start).days / DAYS_PER_MONTH)


def _group(label: str, curve: Curve) -> RetentionGroup:
    return RetentionGroup(
        label=label,
        people=curve.people,
        left=curve.events,
        curve=[
            CurvePoint(month=float(m), survival=float(s), low=float(lo), high=float(hi))
            for m, s, lo, hi in zip(
                curve.months, curve.survival, curve.low, curve.high, strict=True
            )
        ],
    )


def _comparison_read(against: str, result: Comparison) -> RetentionComparison:
    return RetentionComparison(
        against=against,
        participants=_group("participants", result.participants),
        others=_group(
            "matched non-participants" if against == "matched" else "everyone else", result.others
        ),
        horizon_months=result.horizon,
        retained_participants=result.retained_participants,
        retained_others=result.retained_others,
        difference=result.difference,
        difference_low=result.difference_low,
        difference_high=result.difference_high,
        log_rank_statistic=result.statistic,
        p_value=result.p_value,
        unmatched_participants=result.unmatched,
    )


@dataclass(frozen=True)
class Pair:
    """A participant and the non-participant they are compared with (None: unmatched)."""

    participant: repository.PersonRow
    entry: date
    control: repository.PersonRow | None


@dataclass(frozen=True)
class Retention:
    """The matched comparison, the naive one (everyone else), the participants and their
    pairs."""

    matched: Comparison | None
    naive: Comparison | None
    participants: int
    pairs: list[Pair]


def _retention(
    people: list[repository.PersonRow],
    ratings: dict[int, list[tuple[date, int]]],
    *,
    start: date,
    end: date,
    observed_until: date,
) -> Retention:
    """Participants of [start, end] against matched non-participants and against everyone
    else."""
    participants: list[tuple[repository.PersonRow, date]] = [
        (p, p.entry)
        for p in people
        if p.entry is not None
        and start <= p.entry <= end
        and p.hired_on <= p.entry
        and (p.left_on is None or p.left_on > p.entry)
    ]
    others = [p for p in people if p.entry is None or p.entry > observed_until]
    if not participants or not others:
        return Retention(None, None, len(participants), [Pair(p, e, None) for p, e in participants])
    day0 = date(1970, 1, 1)

    def day(value: date) -> float:
        return float((value - day0).days)

    codes = strata(
        [p.family for p, _ in participants] + [p.family for p in others],
        [p.location_id for p, _ in participants] + [p.location_id for p in others],
        [_band(_months(p.hired_on, e) / 12) for p, e in participants]
        + [_band(_months(p.hired_on, start) / 12) for p in others],
        [_performance_band(ratings.get(p.id, []), e) for p, e in participants]
        + [_performance_band(ratings.get(p.id, []), start) for p in others],
    )
    matched = match_controls(
        codes[: len(participants)],
        np.array([day(p.hired_on) for p, _ in participants]),
        codes[len(participants) :],
        np.array([day(p.hired_on) for p in others]),
        participant_entry=np.array([day(e) for _, e in participants]),
        other_left=np.array([day(p.left_on) if p.left_on else 1e9 for p in others]),
    )
    controls = [int(c) for c in matched.control.tolist()]
    pairs = [
        Pair(p, e, others[c] if c >= 0 else None)
        for (p, e), c in zip(participants, controls, strict=True)
    ]

    def at_risk(person: repository.PersonRow, since: date) -> tuple[float, bool]:
        gone = person.left_on is not None and person.left_on <= observed_until
        until = person.left_on if gone and person.left_on is not None else observed_until
        return _months(since, until), gone

    mine = [at_risk(p, e) for p, e in participants]
    p_time = [t for t, _ in mine]
    p_left = [g for _, g in mine]
    kept = [k for k, control in enumerate(controls) if control >= 0]
    c_rows = [at_risk(others[controls[k]], participants[k][1]) for k in kept]

    def grid(*times: list[float]) -> npt.NDArray[np.float64]:
        longest = max((max(t) for t in times if t), default=0.0)
        shown = np.searchsorted(CURVE_MONTHS, max(longest, 1.0), side="right")
        return CURVE_MONTHS[: int(shown)]

    matched_result = None
    if kept:
        matched_result = compare(
            np.array([p_time[k] for k in kept]),
            np.array([p_left[k] for k in kept]),
            np.array([t for t, _ in c_rows]),
            np.array([g for _, g in c_rows]),
            horizon=HORIZON_MONTHS,
            months=grid([p_time[k] for k in kept], [t for t, _ in c_rows]),
            unmatched=matched.unmatched,
        )
    employed = [
        p for p in others if p.hired_on <= start and (p.left_on is None or p.left_on > start)
    ]
    naive = None
    if employed:
        theirs = [at_risk(p, start) for p in employed]
        naive = compare(
            np.array(p_time),
            np.array(p_left),
            np.array([t for t, _ in theirs]),
            np.array([g for _, g in theirs]),
            horizon=HORIZON_MONTHS,
            months=grid(p_time, [t for t, _ in theirs]),
        )
    return Retention(matched_result, naive, len(participants), pairs)


def _check(
    viewer: Viewer, start: date | None, end: date | None, today: date | None
) -> tuple[date, date, date]:
    """The period asked for (default: the last twelve months) and today, checked."""
    if not viewer.sees_everyone:
        raise ForbiddenError("Only HR administrators and executives see ROI analytics.")
    day = today or utc_today()
    end = end or day
    start = start or end - timedelta(days=365)
    if start > end:
        raise _refused("must not be after the end", "from", start)
    if end > day:
        raise _refused("must not be in the future", "to", end)
    return start, end, day


def _levels_at(
    session: Session, employee_ids: Sequence[int], moment: datetime
) -> dict[tuple[int, int], float]:
    """Consolidated levels of some people as of a moment (from the evidence known then)."""
    if not employee_ids:
        return {}
    policy = evidence_service.policy_in_force(session)
    inputs = evidence_service.consolidation_inputs(
        session, as_of=moment, policy=policy, employee_ids=list(employee_ids)
    )
    result = consolidate(inputs.batch, policy)
    return {
        (int(e), int(k)): float(v)
        for e, k, v in zip(
            result.employee.tolist(), result.skill.tolist(), result.level.tolist(), strict=True
        )
    }


def _proficiency(
    session: Session, *, participants: Sequence[int], start: date, end: date
) -> Change:
    """Paired change of the participants' levels on the skills their programs taught, from the
    start of the period to its end."""
    pairs = repository.targeted_skills(session, participants, start=start, end=end)
    people = sorted({employee for employee, _ in pairs})
    first = _levels_at(session, people, datetime.combine(start, time.min, tzinfo=UTC))
    last_moment = min(datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC), utcnow())
    last = _levels_at(session, people, last_moment)
    return paired_change(
        np.array([first.get(pair, 0.0) for pair in pairs], dtype=np.float64),
        np.array([last.get(pair, 0.0) for pair in pairs], dtype=np.float64),
    )


@dataclass(frozen=True)
class Period:
    """Every figure of one period."""

    metrics: list[Metric]
    retention: Retention
    assumptions: Assumptions
    external_costs: int
    fills: list[repository.FillRow]


def _period(
    session: Session,
    *,
    start: date,
    end: date,
    unit_id: int | None,
    assumptions: Assumptions,
    people: list[repository.PersonRow],
    ratings: dict[int, list[tuple[date, int]]],
    observed_until: date,
) -> Period:
    """Fills, mobility, retention, costs and ROI of [start, end]."""
    a = assumptions
    kept = _retention(people, ratings, start=start, end=end, observed_until=observed_until)
    matched, participant_count = kept.matched, kept.participants
    filled = repository.fill_rows(session, start=start, end=end, unit_id=unit_id)
    internal = [(f.filled_on - f.opened_on).days for f in filled if f.source == "internal"]
    external = [(f.filled_on - f.opened_on).days for f in filled if f.source == "external"]
    critical_internal = sum(1 for f in filled if f.source == "internal" and f.critical)
    critical_all = sum(1 for f in filled if f.critical)
    external_costs = [f.cost for f in filled if f.source == "external" and f.cost > 0]
    moves = repository.moves(session, start=start, end=end, unit_id=unit_id)
    heads = np.array(
        [
            repository.headcount(session, start, unit_id),
            repository.headcount(session, end, unit_id),
        ],
        dtype=np.float64,
    )
    participants = [p.id for p in people if p.entry is not None and start <= p.entry <= end]
    item_costs, hours = repository.program_costs(session, participants, start=start, end=end)
    metrics: list[Metric] = [
        Metric(
            key="internal_fills",
            label="Roles filled internally",
            value=float(len(internal)),
            unit="count",
            formula="openings filled in the period by a current employee",
            inputs={"all_fills": len(internal) + len(external)},
        ),
        Metric(
            key="critical_roles_filled_internally",
            label="Critical roles filled internally",
            value=float(critical_internal),
            unit="count",
            formula="internal fills of openings whose role is marked critical",
            inputs={"critical_fills": critical_all},
        ),
    ]
    for label, key, days in (
        ("Time to fill, internal", "time_to_fill_internal", internal),
        ("Time to fill, external", "time_to_fill_external", external),
        ("Time to fill, all fills", "time_to_fill_all", internal + external),
    ):
        found = distribution(np.array(days, dtype=np.float64))
        metrics.append(
            Metric(
                key=key,
                label=label,
                value=found.median,
                unit="days",
                low=found.median_low,
                high=found.median_high,
                formula="median days from opening to filling (quartiles in inputs); interval: "
                "binomial order statistics",
                inputs={"fills": found.count, "q1": found.q1, "q3": found.q3, "mean": found.mean},
            )
        )
    fill_rate = rate(len(internal), len(internal) + len(external))
    metrics.append(
        Metric(
            key="internal_fill_rate",
            label="Internal fill rate",
            value=fill_rate.value,
            unit="share",
            low=fill_rate.low,
            high=fill_rate.high,
            formula="internal fills / all fills; Wilson interval",
            inputs={"internal": len(internal), "all": len(internal) + len(external)},
        )
    )
    total_moves = sum(moves.values())
    mobility = mobility_rate(total_moves, heads)
    metrics.append(
        Metric(
            key="internal_mobility_rate",
            label="Internal mobility rate",
            value=mobility.value,
            unit="share",
            low=mobility.low,
            high=mobility.high,
            formula="moves / average headcount of the period; Wilson interval",
            inputs={
                **{f"moves_{kind}": count for kind, count in sorted(moves.items())},
                "average_headcount": float(heads.mean()),
            },
        )
    )
    change = _proficiency(
        session,
        participants=[p.id for p in people if p.entry is not None and start <= p.entry <= end],
        start=start,
        end=end,
    )
    metrics.append(
        Metric(
            key="proficiency_change",
            label="Proficiency change of participants",
            value=None if change.mean_change is None else change.mean_change * 5,
            unit="levels",
            low=None if change.low is None else change.low * 5,
            high=None if change.high is None else change.high * 5,
            formula="mean of (level at the end of the period − level at its start) on the 5-point "
            "scale, over each participant and skill their program completions taught; levels "
            "consolidated from the evidence known on each day; t interval",
            inputs={
                "pairs": change.pairs,
                "mean_before": None if change.mean_before is None else change.mean_before * 5,
                "mean_after": None if change.mean_after is None else change.mean_after * 5,
            },
        )
    )
    if matched is not None:
        metrics.append(
            Metric(
                key="retention_difference",
                label="Retention of participants vs matched non-participants",
                value=matched.difference,
                unit="share_difference",
                low=matched.difference_low,
                high=matched.difference_high,
                formula="Kaplan–Meier retention six months after joining, participants minus "
                "matched non-participants; Greenwood interval",
                inputs={
                    "retained_participants": matched.retained_participants,
                    "retained_non_participants": matched.retained_others,
                    "matched_participants": participant_count - matched.unmatched,
                    "unmatched_participants": matched.unmatched,
                    "log_rank_p_value": matched.p_value,
                },
            )
        )
    avoided = 0.0
    avoided_low = avoided_high = None
    if matched is not None:
        compared = participant_count - matched.unmatched
        avoided = max(0.0, matched.difference) * compared
        avoided_low = max(0.0, matched.difference_low) * compared
        avoided_high = max(0.0, matched.difference_high) * compared
    cost_per_hire = float(np.mean(external_costs)) if external_costs else a.cost_per_external_hire
    used = Assumptions(**{**a.__dict__, "cost_per_external_hire": cost_per_hire})
    result = roi(
        internal_fills=len(internal),
        departures_avoided=avoided,
        item_costs=item_costs,
        learning_hours=hours,
        assumptions=used,
    )
    all_fills = len(internal) + len(external)
    metrics.extend(
        [
            Metric(
                key="time_to_productivity",
                label="Time to productivity (estimate)",
                value=(
                    (
                        len(internal) * a.productivity_ramp_months_internal
                        + len(external) * a.productivity_ramp_months_external
                    )
                    / all_fills
                    if all_fills
                    else None
                ),
                unit="months",
                formula="(internal fills × internal ramp + external fills × external ramp) / all "
                "fills — the ramps are assumptions, not measurements",
                inputs={"internal_fills": len(internal), "external_fills": len(external)},
                assumptions=[
                    "productivity_ramp_months_internal",
                    "productivity_ramp_months_external",
                ],
            ),
            Metric(
                key="departures_avoided",
                label="Departures avoided among participants",
                value=avoided,
                unit="people",
                low=avoided_low,
                high=avoided_high,
                formula="max(0, retention difference six months after joining vs matched "
                "non-participants) × matched participants",
                inputs={"participants": participant_count},
            ),
            Metric(
                key="recruiting_cost_avoided",
                label="Recruiting cost avoided",
                value=result.recruiting_cost_avoided,
                unit="currency",
                formula="internal fills × (cost per external hire − internal transition cost)",
                inputs={"internal_fills": len(internal), "cost_per_external_hire": cost_per_hire},
                assumptions=["internal_transition_cost"]
                + ([] if external_costs else ["cost_per_external_hire"]),
            ),
            Metric(
                key="program_cost",
                label="Program cost",
                value=result.cost,
                unit="currency",
                formula="item costs + learning hours × loaded hourly rate",
                inputs={"item_costs": item_costs, "learning_hours": hours},
                assumptions=["loaded_hourly_rate"],
            ),
            Metric(
                key="roi_percent",
                label="ROI",
                value=result.roi_percent,
                unit="percent",
                formula="(recruiting cost avoided + retention benefit + productivity benefit − "
                "program cost) / program cost",
                inputs={
                    "benefit": result.benefit,
                    "retention_benefit": result.retention_benefit,
                    "productivity_benefit": result.productivity_benefit,
                    "cost": result.cost,
                },
                assumptions=[
                    "replacement_cost_share",
                    "average_salary",
                    "productivity_ramp_months_external",
                    "productivity_ramp_months_internal",
                ],
            ),
        ]
    )
    return Period(metrics, kept, used, len(external_costs), filled)


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of the same length that ends the day before `start`: the same number of
    whole months when the period is whole months (a calendar year → the year before), else the
    same number of days."""
    next_day = end + timedelta(days=1)
    if start.day == 1 and next_day.day == 1:
        months = (next_day.year - start.year) * 12 + next_day.month - start.month
        return _add_months(start, -months), start - timedelta(days=1)
    length = end - start
    previous_end = start - timedelta(days=1)
    return previous_end - length, previous_end


def _with_previous(current: list[Metric], before: list[Metric]) -> list[Metric]:
    earlier = {m.key: m.value for m in before}
    compared = []
    for metric in current:
        previous = earlier.get(metric.key)
        change = (
            metric.value - previous if metric.value is not None and previous is not None else None
        )
        compared.append(metric.model_copy(update={"previous": previous, "change": change}))
    return compared


def _compute(
    session: Session,
    *,
    viewer: Viewer,
    start: date | None,
    end: date | None,
    unit_id: int | None,
    assumptions: Assumptions | None,
    today: date | None,
    compare_previous: bool = True,
) -> tuple[date, date, date, Period, Period | None]:
    start, end, day = _check(viewer, start, end, today)
    a = assumptions or stored_assumptions.current(session)
    people = repository.people(session, unit_id=unit_id)
    ratings = repository.performance_before(session, [p.id for p in people])
    now = _period(
        session,
        start=start,
        end=end,
        unit_id=unit_id,
        assumptions=a,
        people=people,
        ratings=ratings,
        observed_until=day,
    )
    before = None
    if compare_previous:
        first, last = previous_period(start, end)
        before = _period(
            session,
            start=first,
            end=last,
            unit_id=unit_id,
            assumptions=a,
            people=people,
            ratings=ratings,
            observed_until=day,
        )
    return start, end, day, now, before


def _roi_read(
    start: date, end: date, unit_id: int | None, now: Period, before: Period | None
) -> RoiRead:
    first, last = previous_period(start, end)
    notes = [
        "Participants: people whose first program or learning-path completion falls in the "
        "period; each is compared from that day with a non-participant of the same role family, "
        "location, tenure band and performance band employed that day.",
        "Matching on a few attributes cannot rule out every difference between the groups; the "
        "comparison with everyone else shows how much selection alone would flatter.",
        "Time to productivity is an estimate from the assumed ramps (internal and external), "
        "weighted by the period's fills; it changes with the mix of fills, not with measured "
        "ramp-up.",
        "Proficiency change: each participant's level on the skills their program completions "
        "taught, at the start and at the end of the period, from the evidence known on each "
        "day.",
    ]
    if now.external_costs:
        notes.append(
            f"Cost per external hire is the mean cost of the period's {now.external_costs} "
            "external fills, not the assumption."
        )
    matched, naive = now.retention.matched, now.retention.naive
    return RoiRead(
        start=start,
        end=end,
        unit_id=unit_id,
        previous_start=first,
        previous_end=last,
        metrics=_with_previous(now.metrics, before.metrics if before else []),
        retention=[
            _comparison_read(against, found)
            for against, found in (("matched", matched), ("everyone", naive))
            if found is not None
        ],
        assumptions={name: float(value) for name, value in now.assumptions.__dict__.items()},
        notes=notes,
    )


def roi_report(
    session: Session,
    *,
    viewer: Viewer,
    start: date | None = None,
    end: date | None = None,
    unit_id: int | None = None,
    assumptions: Assumptions | None = None,
    today: date | None = None,
) -> RoiRead:
    """Every ROI metric of [start, end] (default: the last twelve months) next to the previous
    period of the same length, for HR and executives. Without `assumptions`, the ones HR
    stored (else the defaults)."""
    start, end, _, now, before = _compute(
        session,
        viewer=viewer,
        start=start,
        end=end,
        unit_id=unit_id,
        assumptions=assumptions,
        today=today,
    )
    return _roi_read(start, end, unit_id, now, before)


def _spread(source: str, days: list[int]) -> FillSpread:
    if not days:
        return FillSpread(source=source, count=0)
    low, q1, median, q3, high = (float(v) for v in np.percentile(days, [0, 25, 50, 75, 100]))
    return FillSpread(
        source=source, count=len(days), min=low, q1=q1, median=median, q3=q3, max=high
    )


def dashboard(
    session: Session,
    *,
    viewer: Viewer,
    start: date | None = None,
    end: date | None = None,
    unit_id: int | None = None,
    today: date | None = None,
) -> Dashboard:
    """The ROI report with what lies behind it: the fills, the spread of days to fill by
    source, the moves between role families and each participant with their matched
    comparison person (names as the viewer may see them)."""
    start, end, _, now, before = _compute(
        session,
        viewer=viewer,
        start=start,
        end=end,
        unit_id=unit_id,
        assumptions=None,
        today=today,
    )
    report = _roi_read(start, end, unit_id, now, before)
    days = {
        source: [(f.filled_on - f.opened_on).days for f in now.fills if f.source == source]
        for source in ("internal", "external")
    }
    pairs = now.retention.pairs
    names = repository.summaries(
        session,
        viewer,
        [p.participant.id for p in pairs] + [p.control.id for p in pairs if p.control],
    )
    return Dashboard(
        roi=report,
        fills=[
            FillRead(
                opening=f.opening,
                role=f.role,
                family=f.family,
                critical=f.critical,
                unit=f.unit,
                opened_on=f.opened_on,
                filled_on=f.filled_on,
                days=(f.filled_on - f.opened_on).days,
                source=f.source,
                cost=f.cost,
            )
            for f in now.fills
        ],
        fill_spread=[_spread(source, found) for source, found in days.items()],
        flows=[
            FlowRead(source=a or "—", target=b or "—", moves=n)
            for a, b, n in repository.family_flows(session, start=start, end=end, unit_id=unit_id)
        ],
        participants=[
            ParticipantRead(
                employee_id=p.participant.id,
                name=names.get(p.participant.id, ""),
                family=p.participant.family,
                joined_on=p.entry,
                left_on=p.participant.left_on,
                control_id=p.control.id if p.control else None,
                control_name=names.get(p.control.id, "") if p.control else None,
                control_left_on=p.control.left_on if p.control else None,
            )
            for p in pairs
            if p.participant.id in names
        ],
    )
