"""Explained match scores between people and opportunities, vectorised over the workforce.

A match score in [0, 1] is a published weighted sum of three sub-scores (docs/mobility.md):

    score = 0.70 · skills + 0.15 · aspiration + 0.15 · logistics

- **skills** — level-aware fit, weighted by importance, over-qualification capped:
  Σₛ wₛ · min(level, target)/target / Σₛ wₛ over the opportunity's skills (no skills: 0).
- **aspiration** — ½ · [the opportunity's role is one the person targets] + ½ · the importance
  share of the opportunity's skills the person wants to develop.
- **logistics** — the mean of three parts: place (1 when remote or the same location, ½ in the
  same country, 0 otherwise), time zone (1 − |Δ hours|/8, at least 0) and language (1 when the
  opportunity asks for no language or the person speaks it, else 0). An opportunity that names
  no location constrains neither place nor time zone (both 1).

No demographic attribute is an input. The sub-scores and weights reproduce the score exactly
(`Match.score == Σ weight · sub-score`). Rankings order by score rounded to `SCORE_DIGITS`
decimals (descending), then by id, so that the vectorised ranking and the per-pair reference
(`reference_*`, the test oracle and benchmark baseline) agree exactly.

People are rows of sparse matrices over skills (latent levels; "develop" intents as 1s) and of a
people × roles matrix of target roles; opportunities are rows of sparse matrices of target
levels and importances with the same pattern. Languages are bit masks (bit k: language k).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

W_SKILLS = 0.70
W_ASPIRATION = 0.15
W_LOGISTICS = 0.15
WEIGHTS = {"skills": W_SKILLS, "aspiration": W_ASPIRATION, "logistics": W_LOGISTICS}
"""The published weights of the sub-scores (they add up to 1)."""
TIMEZONE_SPAN = 8.0
"""Hours of time-zone difference at which the time-zone part reaches 0."""
SCORE_DIGITS = 9
"""Scores are ranked after rounding to this many decimals (ties: the lower id first)."""
BANDS = ((0.80, "very_high"), (0.65, "high"), (0.50, "medium"), (0.0, "low"))
"""Lower bound of each band, highest first."""
EPSILON = 1e-9


def band(score: float) -> str:
    """The band of a score: very_high ≥ 0.80, high ≥ 0.65, medium ≥ 0.50, else low."""
    for bound, name in BANDS:
        if score >= bound - EPSILON:
            return name
    return "low"


@dataclass(frozen=True, eq=False)
class People:
    """The workforce as columns: one row per person.

    `levels` (people × skills, latent levels), `develop` (people × skills, 1 where the person
    wants to develop the skill) and `targets` (people × roles, 1 where the person targets the
    role) are sparse; `location`, `country` are codes (−1: unknown), `utc_offset` in hours,
    `languages` bit masks.
    """

    ids: IntArray
    levels: sp.csc_matrix
    develop: sp.csc_matrix
    targets: sp.csc_matrix
    location: IntArray
    country: IntArray
    utc_offset: FloatArray
    languages: IntArray

    def __post_init__(self) -> None:
        """Check that every column has one entry per person and the matrices agree."""
        n = self.ids.shape[0]
        for name in ("location", "country", "utc_offset", "languages"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"{name} must have one value per person ({n})")
        for name in ("levels", "develop", "targets"):
            if getattr(self, name).shape[0] != n:
                raise ValueError(f"{name} must have one row per person ({n})")
        if self.levels.shape[1] != self.develop.shape[1]:
            raise ValueError("levels and develop must have the same skills")

    @property
    def size(self) -> int:
        """Number of people."""
        return int(self.ids.shape[0])

    def row(self, k: int) -> Person:
        """One person as dense vectors (for ranking opportunities for them)."""
        return Person(
            id=int(self.ids[k]),
            levels=np.asarray(self.levels[k].toarray()).ravel(),
            develop=np.asarray(self.develop[k].toarray()).ravel() > 0,
            targets=frozenset(int(r) for r in np.flatnonzero(self.targets[k].toarray().ravel())),
            location=int(self.location[k]),
            country=int(self.country[k]),
            utc_offset=float(self.utc_offset[k]),
            languages=int(self.languages[k]),
        )


@dataclass(frozen=True, eq=False)
class Person:
    """One person as dense vectors over skills."""

    id: int
    levels: FloatArray
    develop: BoolArray
    targets: frozenset[int]
    location: int
    country: int
    utc_offset: float
    languages: int


@dataclass(frozen=True, eq=False)
class Opportunities:
    """Opportunities as rows: `target` and `importance` (opportunities × skills, same sparsity
    pattern, targets in (0, 1], importances > 0), the role each fills (−1: none), where it is
    (`location`, `country`, −1: unknown), `remote`, `utc_offset` in hours and the `language`
    bit mask it asks for (0: any)."""

    ids: IntArray
    target: sp.csr_matrix
    importance: sp.csr_matrix
    role: IntArray
    location: IntArray
    country: IntArray
    remote: BoolArray
    utc_offset: FloatArray
    language: IntArray

    def __post_init__(self) -> None:
        """Check shapes and that targets and importances share one pattern."""
        m = self.ids.shape[0]
        for name in ("role", "location", "country", "remote", "utc_offset", "language"):
            if getattr(self, name).shape != (m,):
                raise ValueError(f"{name} must have one value per opportunity ({m})")
        if self.target.shape != self.importance.shape or self.target.shape[0] != m:
            raise ValueError("target and importance must be opportunities × skills")
        if not (
            np.array_equal(self.target.indptr, self.importance.indptr)
            and np.array_equal(self.target.indices, self.importance.indices)
        ):
            raise ValueError("target and importance must have the same sparsity pattern")
        if self.target.data.size and (
            self.target.data.min() <= 0 or self.target.data.max() > 1 + EPSILON
        ):
            raise ValueError("targets must be in (0, 1]")
        if self.importance.data.size and self.importance.data.min() <= 0:
            raise ValueError("importances must be positive")

    @property
    def size(self) -> int:
        """Number of opportunities."""
        return int(self.ids.shape[0])

    def requirements(self, k: int) -> tuple[IntArray, FloatArray, FloatArray]:
        """(skills, targets, importances) of opportunity k."""
        start, end = self.target.indptr[k], self.target.indptr[k + 1]
        return (
            self.target.indices[start:end].astype(np.int64),
            self.target.data[start:end].astype(np.float64),
            self.importance.data[start:end].astype(np.float64),
        )


@dataclass(frozen=True)
class Ranked:
    """Ranked rows (indexes into People or Opportunities) with their score and sub-scores."""

    index: IntArray
    score: FloatArray
    skills: FloatArray
    aspiration: FloatArray
    logistics: FloatArray


def combine(skills: FloatArray, aspiration: FloatArray, logistics: FloatArray) -> FloatArray:
    """The published weighted sum of the sub-scores."""
    return W_SKILLS * skills + W_ASPIRATION * aspiration + W_LOGISTICS * logistics


def _place(
    same_location: BoolArray, same_country: BoolArray, remote: BoolArray | bool
) -> FloatArray:
    return np.where(
        np.asarray(remote) | same_location, 1.0, np.where(same_country, 0.5, 0.0)
    ).astype(np.float64)


def _timezone(delta: FloatArray) -> FloatArray:
    return np.clip(1.0 - np.abs(delta) / TIMEZONE_SPAN, 0.0, 1.0)


def _language(asked: IntArray | int, spoken: IntArray | int) -> FloatArray:
    asked_arr = np.asarray(asked, dtype=np.int64)
    spoken_arr = np.asarray(spoken, dtype=np.int64)
    return np.where((asked_arr == 0) | ((asked_arr & spoken_arr) != 0), 1.0, 0.0)


def _top(score: FloatArray, ids: IntArray, eligible: BoolArray | None, limit: int) -> IntArray:
    """Indexes of the `limit` best rows: rounded score descending, then id ascending."""
    rounded = np.round(score, SCORE_DIGITS)
    candidates = np.arange(score.shape[0])
    if eligible is not None:
        candidates = candidates[eligible]
        rounded_c = rounded[eligible]
    else:
        rounded_c = rounded
    if limit <= 0 or candidates.size == 0:
        return np.zeros(0, dtype=np.int64)
    if candidates.size > limit:
        # Everything strictly above the limit-th best value is in; ties at it are settled by id.
        threshold = np.partition(rounded_c, candidates.size - limit)[candidates.size - limit]
        keep = rounded_c >= threshold
        candidates = candidates[keep]
        rounded_c = rounded_c[keep]
    order = np.lexsort((ids[candidates], -rounded_c))
    return candidates[order][:limit].astype(np.int64)


def rank_people(
    people: People,
    opportunities: Opportunities,
    k: int,
    *,
    limit: int,
    eligible: BoolArray | None = None,
) -> Ranked:
    """The best `limit` people for opportunity k (vectorised over everyone; `eligible` masks
    people out, e.g. those already in the role)."""
    skills, targets, weights = opportunities.requirements(k)
    n = people.size
    total = float(weights.sum())
    if skills.size and total > 0:
        # Only the people holding (or wanting) one of the skills contribute: sum their entries.
        held = people.levels[:, skills]
        column = np.repeat(np.arange(skills.size), np.diff(held.indptr))
        values = np.minimum(held.data, targets[column]) / targets[column] * weights[column]
        fit = np.bincount(held.indices, weights=values, minlength=n) / total
        wanted = people.develop[:, skills]
        column = np.repeat(np.arange(skills.size), np.diff(wanted.indptr))
        values = np.where(wanted.data > 0, weights[column], 0.0)
        develop_share = np.bincount(wanted.indices, weights=values, minlength=n) / total
    else:
        fit = np.zeros(n)
        develop_share = np.zeros(n)
    role = int(opportunities.role[k])
    targets_role = np.zeros(n)
    if role >= 0 and role < people.targets.shape[1]:
        targets_role = (people.targets[:, [role]].toarray().ravel() > 0).astype(np.float64)
    aspiration = 0.5 * targets_role + 0.5 * develop_share
    place = _place(
        (people.location == opportunities.location[k]) & (people.location >= 0),
        (people.country == opportunities.country[k]) & (people.country >= 0),
        bool(opportunities.remote[k]) or int(opportunities.location[k]) < 0,
    )
    zone = (
        np.ones(n)
        if int(opportunities.location[k]) < 0
        else _timezone(people.utc_offset - opportunities.utc_offset[k])
    )
    language = _language(int(opportunities.language[k]), people.languages)
    logistics = (place + zone + language) / 3.0
    score = combine(fit, aspiration, logistics)
    top = _top(score, people.ids, eligible, limit)
    return Ranked(top, score[top], fit[top], aspiration[top], logistics[top])


def rank_opportunities(
    person: Person,
    opportunities: Opportunities,
    *,
    limit: int,
    eligible: BoolArray | None = None,
) -> Ranked:
    """The best `limit` opportunities for one person (vectorised over every opportunity)."""
    target = opportunities.target
    rows = np.repeat(np.arange(opportunities.size), np.diff(target.indptr))
    skills = target.indices
    levels = person.levels[skills]
    weights = opportunities.importance.data
    held = np.minimum(levels, target.data) / target.data * weights
    totals = np.bincount(rows, weights=weights, minlength=opportunities.size)
    safe = np.where(totals > 0, totals, 1.0)
    fit = np.bincount(rows, weights=held, minlength=opportunities.size) / safe
    develop = (
        np.bincount(rows, weights=weights * person.develop[skills], minlength=opportunities.size)
        / safe
    )
    fit = np.where(totals > 0, fit, 0.0)
    develop = np.where(totals > 0, develop, 0.0)
    targets_role = np.isin(opportunities.role, np.fromiter(person.targets, dtype=np.int64))
    targets_role &= opportunities.role >= 0
    aspiration = 0.5 * targets_role.astype(np.float64) + 0.5 * develop
    place = _place(
        (opportunities.location == person.location) & (person.location >= 0),
        (opportunities.country == person.country) & (person.country >= 0),
        opportunities.remote | (opportunities.location < 0),
    )
    zone = np.where(
        opportunities.location < 0, 1.0, _timezone(opportunities.utc_offset - person.utc_offset)
    )
    language = _language(opportunities.language, person.languages)
    logistics = (place + zone + language) / 3.0
    score = combine(fit, aspiration, logistics)
    top = _top(score, opportunities.ids, eligible, limit)
    return Ranked(top, score[top], fit[top], aspiration[top], logistics[top])


# Explanations


@dataclass(frozen=True)
class SkillLine:
    """One required skill of a match: the person's level, the target, importance, and what
    raising it to the target would add to the score."""

    skill: int
    level: float
    target: float
    importance: float
    held: bool
    gain: float


@dataclass(frozen=True)
class Explanation:
    """Why a person and an opportunity match: every sub-score and its parts."""

    score: float
    skills: float
    aspiration: float
    logistics: float
    targets_role: bool
    develop_share: float
    place: float
    timezone: float
    language: float
    lines: tuple[SkillLine, ...]

    @property
    def matching(self) -> tuple[SkillLine, ...]:
        """Skills held at or above the target, most important first."""
        return tuple(line for line in self.lines if line.held)

    @property
    def missing(self) -> tuple[SkillLine, ...]:
        """Skills below the target, biggest effect on the score first."""
        return tuple(
            sorted(
                (line for line in self.lines if not line.held),
                key=lambda line: (-line.gain, line.skill),
            )
        )


def explain(person: Person, opportunities: Opportunities, k: int) -> Explanation:
    """The full explanation of one match (the same formulas, per pair)."""
    skills, targets, weights = opportunities.requirements(k)
    total = float(weights.sum())
    lines = []
    fit = 0.0
    develop = 0.0
    for skill, target, weight in zip(
        skills.tolist(), targets.tolist(), weights.tolist(), strict=True
    ):
        level = float(person.levels[skill]) if skill < person.levels.shape[0] else 0.0
        part = min(level, target) / target * weight / total if total > 0 else 0.0
        fit += part
        if skill < person.develop.shape[0] and person.develop[skill]:
            develop += weight / total if total > 0 else 0.0
        shortfall = (target - min(level, target)) / target * weight / total if total > 0 else 0.0
        lines.append(
            SkillLine(
                skill=skill,
                level=level,
                target=target,
                importance=weight,
                held=level >= target - EPSILON,
                gain=W_SKILLS * shortfall,
            )
        )
    lines.sort(key=lambda line: (-line.importance, line.skill))
    role = int(opportunities.role[k])
    targets_role = role >= 0 and role in person.targets
    aspiration = 0.5 * float(targets_role) + 0.5 * develop
    same_location = person.location >= 0 and person.location == int(opportunities.location[k])
    same_country = person.country >= 0 and person.country == int(opportunities.country[k])
    anywhere = bool(opportunities.remote[k]) or int(opportunities.location[k]) < 0
    place = 1.0 if anywhere or same_location else 0.5 * same_country
    zone = (
        1.0
        if int(opportunities.location[k]) < 0
        else float(_timezone(np.array(person.utc_offset - float(opportunities.utc_offset[k]))))
    )
    language = float(_language(int(opportunities.language[k]), person.languages))
    logistics = (place + zone + language) / 3.0
    score = W_SKILLS * fit + W_ASPIRATION * aspiration + W_LOGISTICS * logistics
    return Explanation(
        score=score,
        skills=fit,
        aspiration=aspiration,
        logistics=logistics,
        targets_role=targets_role,
        develop_share=develop,
        place=place,
        timezone=zone,
        language=language,
        lines=tuple(lines),
    )


# The per-pair reference (test oracle and benchmark baseline)


def _reference_score(
    levels: dict[int, float],
    develop: set[int],
    targets: frozenset[int],
    where: tuple[int, int, float, int],
    requirement: Sequence[tuple[int, float, float]],
    opportunity: tuple[int, int, int, bool, float, int],
) -> float:
    location, country, offset, languages = where
    role, o_location, o_country, remote, o_offset, language = opportunity
    total = sum(weight for _, _, weight in requirement)
    fit = 0.0
    share = 0.0
    if total > 0:
        for skill, target, weight in requirement:
            fit += min(levels.get(skill, 0.0), target) / target * weight
            if skill in develop:
                share += weight
        fit /= total
        share /= total
    aspiration = 0.5 * (1.0 if role >= 0 and role in targets else 0.0) + 0.5 * share
    if remote or o_location < 0 or (location >= 0 and location == o_location):
        place = 1.0
    elif country >= 0 and country == o_country:
        place = 0.5
    else:
        place = 0.0
    zone = (
        1.0 if o_location < 0 else max(0.0, min(1.0, 1.0 - abs(offset - o_offset) / TIMEZONE_SPAN))
    )
    spoken = 1.0 if language == 0 or (language & languages) != 0 else 0.0
    logistics = (place + zone + spoken) / 3.0
    return W_SKILLS * fit + W_ASPIRATION * aspiration + W_LOGISTICS * logistics


def _opportunity_tuple(
    opportunities: Opportunities, k: int
) -> tuple[int, int, int, bool, float, int]:
    return (
        int(opportunities.role[k]),
        int(opportunities.location[k]),
        int(opportunities.country[k]),
        bool(opportunities.remote[k]),
        float(opportunities.utc_offset[k]),
        int(opportunities.language[k]),
    )


def _requirement(opportunities: Opportunities, k: int) -> list[tuple[int, float, float]]:
    skills, targets, weights = opportunities.requirements(k)
    return list(zip(skills.tolist(), targets.tolist(), weights.tolist(), strict=True))


def _reference_top(scored: list[tuple[float, int, int]], limit: int) -> list[tuple[int, float]]:
    scored.sort(key=lambda row: (-round(row[0], SCORE_DIGITS), row[1]))
    return [(index, score) for score, _, index in scored[:limit]]


def reference_rank_people(
    people: People,
    opportunities: Opportunities,
    k: int,
    *,
    limit: int,
    eligible: BoolArray | None = None,
) -> list[tuple[int, float]]:
    """The per-pair loop: every person scored one at a time (same formula, plain Python)."""
    requirement = _requirement(opportunities, k)
    opportunity = _opportunity_tuple(opportunities, k)
    levels_csr = people.levels.tocsr()
    develop_csr = people.develop.tocsr()
    targets_csr = people.targets.tocsr()
    scored = []
    for row in range(people.size):
        if eligible is not None and not eligible[row]:
            continue
        start, end = levels_csr.indptr[row], levels_csr.indptr[row + 1]
        levels = dict(
            zip(
                levels_csr.indices[start:end].tolist(),
                levels_csr.data[start:end].tolist(),
                strict=True,
            )
        )
        start, end = develop_csr.indptr[row], develop_csr.indptr[row + 1]
        develop = set(develop_csr.indices[start:end][develop_csr.data[start:end] > 0].tolist())
        start, end = targets_csr.indptr[row], targets_csr.indptr[row + 1]
        targets = frozenset(
            targets_csr.indices[start:end][targets_csr.data[start:end] > 0].tolist()
        )
        where = (
            int(people.location[row]),
            int(people.country[row]),
            float(people.utc_offset[row]),
            int(people.languages[row]),
        )
        score = _reference_score(levels, develop, targets, where, requirement, opportunity)
        scored.append((score, int(people.ids[row]), row))
    return _reference_top(scored, limit)


def reference_rank_opportunities(
    person: Person,
    opportunities: Opportunities,
    *,
    limit: int,
    eligible: BoolArray | None = None,
) -> list[tuple[int, float]]:
    """The per-pair loop for one person over every opportunity."""
    levels = {int(s): float(v) for s, v in enumerate(person.levels.tolist()) if v > 0}
    develop = {int(s) for s in np.flatnonzero(person.develop).tolist()}
    where = (person.location, person.country, person.utc_offset, person.languages)
    scored = []
    for k in range(opportunities.size):
        if eligible is not None and not eligible[k]:
            continue
        score = _reference_score(
            levels,
            develop,
            person.targets,
            where,
            _requirement(opportunities, k),
            _opportunity_tuple(opportunities, k),
        )
        scored.append((score, int(opportunities.ids[k]), k))
    return _reference_top(scored, limit)
