"""Read the O*NET text database (zip or folder) into a `TaxonomyBundle`.

Mapping decisions are recorded in docs/adr/0002-taxonomy-imports.md. In short: occupations
become role templates; Skills and Knowledge elements become skills (external id = Element ID)
under their Content Model categories; each occupation's importance (IM 1–5) and level (LV 0–7)
become a profile line with importance (IM−1)/4 and target level LV/7, leaving out pairs that
O*NET marks "Not Relevant" or recommends suppressing; Technology Skills examples become tools
under their UNSPSC commodity; Alternate Titles (and their short forms) become role aliases.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from skillpath.core.levels import FIVE_POINT, ONET
from skillpath.core.reports import ProgressCallback, no_progress
from skillpath.core.tabular import ProblemLog, RowContext, parse_float, parse_int
from skillpath.domains.taxonomy.files import InputFile, find_input_files, rows_of
from skillpath.domains.taxonomy.schemas import (
    RoleSkillRecord,
    RoleTemplateRecord,
    SkillRecord,
    TaxonomyBundle,
)

SOURCE_KEY = "onet"
TITLE = "O*NET — Occupational Information Network"
ATTRIBUTION = (
    "O*NET Database by the U.S. Department of Labor, Employment and Training Administration "
    "(USDOL/ETA), used under the CC BY 4.0 licence"
)

OCCUPATIONS_FILE = "Occupation Data.txt"
SKILLS_FILE = "Skills.txt"
KNOWLEDGE_FILE = "Knowledge.txt"
TECHNOLOGY_FILE = "Technology Skills.txt"
ALTERNATE_TITLES_FILE = "Alternate Titles.txt"
CONTENT_MODEL_FILE = "Content Model Reference.txt"
JOB_ZONES_FILE = "Job Zones.txt"
READ_ME_FILE = "Read Me.txt"
REQUIRED_FILES = (
    OCCUPATIONS_FILE,
    SKILLS_FILE,
    KNOWLEDGE_FILE,
    TECHNOLOGY_FILE,
    ALTERNATE_TITLES_FILE,
    CONTENT_MODEL_FILE,
)
OPTIONAL_FILES = (JOB_ZONES_FILE, READ_ME_FILE)
HINT = (
    "an O*NET import needs the text release of the database (db_XX_X_text.zip, or the folder "
    "it was extracted to), not the Excel, MySQL or Oracle one"
)

CODE = "O*NET-SOC Code"
IMPORTANCE_SCALE, LEVEL_SCALE = "IM", "LV"
IMPORTANCE_MIN, IMPORTANCE_MAX = 1.0, 5.0
ESSENTIAL_FROM = 0.75
"""IM 4 "very important" and above makes a profile line essential (the UI's "Essential")."""
TECHNOLOGY_GROUP = "5.F"
TECHNOLOGY_IMPORTANCE = 0.5
HOT_TECHNOLOGY_IMPORTANCE = 0.7
IN_DEMAND_IMPORTANCE = 0.9
TOOL_TARGET_LEVEL = FIVE_POINT.to_latent(3)
"""O*NET gives no level for technology: templates ask for "Intermediate" (latent 0.6)."""
VERSION_IN_READ_ME = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
VERSION_IN_NAME = re.compile(r"(\d+)[._](\d+)")


@dataclass
class _Rating:
    """The IM and LV ratings of one element for one occupation, as read so far."""

    importance: float | None = None
    level: float | None = None
    excluded: bool = False


def _flag(row: RowContext, column: str) -> bool:
    return row.raw(column).upper() == "Y"


def detect_version(path: Path, files: dict[str, InputFile]) -> str:
    """The release number from `Read Me.txt`, else from the folder or zip name, else ''."""
    if READ_ME_FILE in files:
        match = VERSION_IN_READ_ME.search(files[READ_ME_FILE].text())
        if match:
            return match.group(1)
    for label in (files[OCCUPATIONS_FILE].label, path.name):
        match = VERSION_IN_NAME.search(label)
        if match:
            return f"{match.group(1)}.{match.group(2)}"
    return ""


def _soc_code(onet_code: str) -> str:
    """The SOC code of an O*NET-SOC code ("15-1252.00" → "15-1252")."""
    return onet_code.split(".", 1)[0]


class _OnetReader:
    """Reads the files of one release in dependency order into a bundle."""

    def __init__(self, files: dict[str, InputFile], bundle: TaxonomyBundle) -> None:
        self.files = files
        self.bundle = bundle
        self.log = ProblemLog()
        self.content_model: dict[str, tuple[str, str]] = {}
        self.titles: dict[str, tuple[str, str]] = {}
        self.groups: dict[str, SkillRecord] = {}
        self.skills: list[SkillRecord] = []

    def rows(self, name: str, *required: str) -> Iterator[RowContext]:
        """The rows of one file, counted as read."""
        for row in rows_of(self.files[name], required=required, delimiter="\t", log=self.log):
            self.bundle.rows_read += 1
            yield row

    def note(self, count: int, text: str) -> None:
        """Tell the report about rows that were skipped, when there were any."""
        if count:
            self.bundle.notes.append(f"{count:,} {text}")

    def read_occupations(self) -> None:
        """The Content Model names, then occupations with job zones and alternate titles."""
        for row in self.rows(CONTENT_MODEL_FILE, "Element ID", "Element Name"):
            self.content_model[row.raw("Element ID")] = (
                row.raw("Element Name"),
                row.raw("Description"),
            )
        job_zones: dict[str, int] = {}
        if JOB_ZONES_FILE in self.files:
            for row in self.rows(JOB_ZONES_FILE, CODE, "Job Zone"):
                zone = row.required("Job Zone", parse_int)
                if zone is not None:
                    job_zones[row.raw(CODE)] = zone
        for row in self.rows(OCCUPATIONS_FILE, CODE, "Title"):
            code, title = row.raw(CODE), row.raw("Title")
            if not code or not title:
                row.problem(CODE if not code else "Title", "is required but empty")
            elif code in self.titles:
                row.problem(CODE, "appears twice in the release", code)
            else:
                self.titles[code] = (title, row.raw("Description"))
        aliases: dict[str, dict[str, None]] = {code: {} for code in self.titles}
        unknown = 0
        for row in self.rows(ALTERNATE_TITLES_FILE, CODE, "Alternate Title"):
            code = row.raw(CODE)
            if code not in aliases:
                unknown += 1
                continue
            for alias in (row.raw("Alternate Title"), row.raw("Short Title")):
                if alias and alias != self.titles[code][0]:
                    aliases[code][alias] = None
        self.note(unknown, "alternate title(s) name an unknown occupation; skipped")
        self.bundle.roles = [
            RoleTemplateRecord(
                external_id=code,
                title=title,
                description=description,
                code=_soc_code(code),
                level=job_zones.get(code, 1),
                aliases=tuple(aliases[code]),
            )
            for code, (title, description) in self.titles.items()
        ]

    def read_ratings(self) -> None:
        """Skills and Knowledge elements, and one profile line per rated occupation."""
        elements: dict[str, SkillRecord] = {}
        ratings: dict[tuple[str, str], _Rating] = {}
        unknown = 0
        for file_name, kind in ((SKILLS_FILE, "skill"), (KNOWLEDGE_FILE, "knowledge")):
            for row in self.rows(
                file_name, CODE, "Element ID", "Element Name", "Scale ID", "Data Value"
            ):
                code, element = row.raw(CODE), row.raw("Element ID")
                value = row.required("Data Value", parse_float)
                if code not in self.titles:
                    unknown += 1
                    continue
                if element not in elements:
                    name, description = self.content_model.get(
                        element, (row.raw("Element Name"), "")
                    )
                    elements[element] = SkillRecord(
                        external_id=element,
                        name=name,
                        kind=kind,
                        description=description,
                        broader=self.category_above(element),
                    )
                rating = ratings.setdefault((code, element), _Rating())
                if _flag(row, "Recommend Suppress") or _flag(row, "Not Relevant"):
                    rating.excluded = True
                if value is not None:
                    self.rate(row, rating, value)
        self.note(unknown, "Skills/Knowledge row(s) name an unknown occupation; skipped")
        self.skills.extend(elements.values())
        excluded = incomplete = 0
        for (code, element), rating in ratings.items():
            if rating.excluded:
                excluded += 1
            elif rating.importance is None or rating.level is None:
                incomplete += 1
            else:
                importance = round(
                    (rating.importance - IMPORTANCE_MIN) / (IMPORTANCE_MAX - IMPORTANCE_MIN), 6
                )
                self.bundle.role_skills.append(
                    RoleSkillRecord(
                        role_external_id=code,
                        skill_external_id=element,
                        target_level=round(rating.level / ONET.maximum, 6),
                        importance=importance,
                        essential=importance >= ESSENTIAL_FROM,
                    )
                )
        self.note(
            excluded,
            "occupation–element rating(s) marked Not Relevant or Recommend Suppress; "
            "left out of the profiles",
        )
        self.note(incomplete, "occupation–element rating(s) lack an IM or LV value; left out")

    @staticmethod
    def rate(row: RowContext, rating: _Rating, value: float) -> None:
        """Record an IM or LV value, checked against its scale."""
        scale = row.raw("Scale ID")
        if scale == IMPORTANCE_SCALE:
            if IMPORTANCE_MIN <= value <= IMPORTANCE_MAX:
                rating.importance = value
            else:
                row.problem("Data Value", "an importance (IM) must be between 1 and 5", str(value))
        elif scale == LEVEL_SCALE:
            if ONET.minimum <= value <= ONET.maximum:
                rating.level = value
            else:
                row.problem("Data Value", "a level (LV) must be between 0 and 7", str(value))

    def category_above(self, element_id: str) -> tuple[str, ...]:
        """Create the Content Model categories above an element as groups; its parent's id."""
        parent = element_id.rsplit(".", 1)[0]
        # Single-part ids ("2" Worker Requirements) are domains of the model, not groups.
        if "." not in element_id or "." not in parent or parent not in self.content_model:
            return ()
        if parent not in self.groups:
            name, description = self.content_model[parent]
            self.groups[parent] = SkillRecord(
                external_id=parent,
                name=name,
                kind="group",
                description=description,
                broader=self.category_above(parent),
            )
        return (parent,)

    def read_technology(self) -> None:
        """Technology Skills: examples as tools under their commodity, linked to occupations."""
        commodities: dict[str, str] = {}
        filed_under: dict[str, Counter[str]] = {}
        lines: dict[tuple[str, str], float] = {}
        unknown = 0
        for row in self.rows(TECHNOLOGY_FILE, CODE, "Example", "Commodity Code", "Commodity Title"):
            code, example = row.raw(CODE), row.raw("Example")
            commodity = row.raw("Commodity Code")
            if not example or not commodity:
                row.problem("Example" if not example else "Commodity Code", "is required but empty")
                continue
            if code not in self.titles:
                unknown += 1
                continue
            commodities.setdefault(commodity, row.raw("Commodity Title") or commodity)
            filed_under.setdefault(example, Counter())[commodity] += 1
            importance = TECHNOLOGY_IMPORTANCE
            if _flag(row, "Hot Technology"):
                importance = HOT_TECHNOLOGY_IMPORTANCE
            if _flag(row, "In Demand"):
                importance = IN_DEMAND_IMPORTANCE
            lines[(code, example)] = max(lines.get((code, example), 0.0), importance)
        self.note(unknown, "Technology Skills row(s) name an unknown occupation; skipped")
        if commodities:
            name, description = self.content_model.get(TECHNOLOGY_GROUP, ("Technology Skills", ""))
            self.groups[TECHNOLOGY_GROUP] = SkillRecord(
                external_id=TECHNOLOGY_GROUP, name=name, kind="group", description=description
            )
        for commodity, title in commodities.items():
            self.groups[commodity_id(commodity)] = SkillRecord(
                external_id=commodity_id(commodity),
                name=title,
                kind="group",
                broader=(TECHNOLOGY_GROUP,),
            )
        for example, counts in filed_under.items():
            # The commodity an example is filed under most often is its parent; ties go to the
            # lowest code so the choice is stable across re-imports.
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            self.skills.append(
                SkillRecord(
                    external_id=example,
                    name=example,
                    kind="tool",
                    broader=tuple(commodity_id(commodity) for commodity, _ in ordered),
                )
            )
        for (code, example), importance in lines.items():
            self.bundle.role_skills.append(
                RoleSkillRecord(
                    role_external_id=code,
                    skill_external_id=example,
                    target_level=TOOL_TARGET_LEVEL,
                    importance=importance,
                    essential=importance >= ESSENTIAL_FROM,
                )
            )


def read_onet(path: Path, *, progress: ProgressCallback = no_progress) -> TaxonomyBundle:
    """Parse and check an O*NET text release; raises `InvalidInputError` listing every problem."""
    files = find_input_files([path], required=REQUIRED_FILES, optional=OPTIONAL_FILES, hint=HINT)
    bundle = TaxonomyBundle(
        source_key=SOURCE_KEY,
        label="O*NET",
        title=TITLE,
        version=detect_version(path, files),
        attribution=ATTRIBUTION,
    )
    reader = _OnetReader(files, bundle)
    steps = (reader.read_occupations, reader.read_ratings, reader.read_technology)
    for done, step in enumerate(steps):
        progress("Reading O*NET files", done, len(steps))
        step()
    bundle.skills = [*reader.groups.values(), *reader.skills]
    progress("Reading O*NET files", len(steps), len(steps))
    reader.log.raise_if_any("the O*NET database has problems")
    return bundle


def commodity_id(commodity_code: str) -> str:
    """External id of the group of a UNSPSC commodity (kept apart from element ids)."""
    return f"unspsc:{commodity_code}"
