"""Read the official ESCO CSV export (classification + relations) into a `TaxonomyBundle`.

Mapping decisions are recorded in docs/adr/0002-taxonomy-imports.md. In short: skills and
knowledge become skills (kind from `skillType`), skill groups become skills of kind 'group',
the first broader concept becomes the parent and every broader link a 'broader' relation,
skill–skill relations become 'essential_for'/'optional_for' links from the related skill to the
original one, and occupations become role templates whose essential skills weigh 1.0 and
optional ones 0.5, all at the default target level (ESCO has no proficiency levels).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from skillpath.core.levels import FIVE_POINT
from skillpath.core.reports import ProgressCallback, no_progress
from skillpath.core.tabular import ProblemLog, RowContext
from skillpath.domains.taxonomy.files import InputFile, find_input_files, rows_of
from skillpath.domains.taxonomy.schemas import (
    RoleSkillRecord,
    RoleTemplateRecord,
    SkillLinkRecord,
    SkillRecord,
    TaxonomyBundle,
)

SOURCE_KEY = "esco"
TITLE = "ESCO — European Skills, Competences, Qualifications and Occupations"
ATTRIBUTION = "ESCO, European Commission"

SKILLS_FILE = "skills_en.csv"
GROUPS_FILE = "skillGroups_en.csv"
OCCUPATIONS_FILE = "occupations_en.csv"
BROADER_FILE = "broaderRelationsSkillPillar.csv"
SKILL_RELATIONS_FILE = "skillSkillRelations.csv"
OCCUPATION_SKILLS_FILE = "occupationSkillRelations.csv"
ISCO_GROUPS_FILE = "ISCOGroups_en.csv"
REQUIRED_FILES = (
    SKILLS_FILE,
    GROUPS_FILE,
    OCCUPATIONS_FILE,
    BROADER_FILE,
    SKILL_RELATIONS_FILE,
    OCCUPATION_SKILLS_FILE,
)

HINT = (
    "an ESCO import needs the English CSV export: both zips "
    "(ESCO-dataset-…-classification-en-csv.zip and …-classification-relations-csv.zip) "
    "or the folder(s) they were extracted to"
)
DEFAULT_TARGET_LEVEL = FIVE_POINT.to_latent(3)
"""ESCO states no proficiency: a template asks for "Intermediate" (3 of 5, latent 0.6)."""
ESSENTIAL_IMPORTANCE = 1.0
OPTIONAL_IMPORTANCE = 0.5
SKILL_KIND_BY_TYPE = {"skill/competence": "skill", "knowledge": "knowledge"}
RELATION_KINDS = {"essential": "essential_for", "optional": "optional_for"}
VERSION_PATTERN = re.compile(r"v\d+(?:\.\d+)+")
MAX_FAMILY = 120


def detect_version(paths: Sequence[Path], files: Sequence[InputFile] = ()) -> str:
    """The ESCO version named by the files found (the official zips carry it in their names)
    or by the given paths, else ''."""
    names = [file.label for file in files]
    names.extend(part for path in paths for part in reversed(path.resolve().parts))
    for name in names:
        match = VERSION_PATTERN.search(name)
        if match:
            return match.group(0)
    return ""


def _labels(text: str) -> tuple[str, ...]:
    """ESCO label lists: one label per line; blank lines and duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        label = line.strip()
        if label:
            seen.setdefault(label, None)
    return tuple(seen)


def _status(text: str) -> str:
    return "active" if text in ("", "released") else "deprecated"


def _required_cells(row: RowContext, *columns: str) -> bool:
    """Whether the row has every one of these cells; records a problem for each empty one."""
    ok = True
    for column in columns:
        if not row.raw(column):
            row.problem(column, "is required but empty")
            ok = False
    return ok


class _EscoReader:
    """Reads the files of one export in dependency order into a bundle."""

    def __init__(self, files: dict[str, InputFile], bundle: TaxonomyBundle) -> None:
        self.files = files
        self.bundle = bundle
        self.log = ProblemLog()
        self.skills: dict[str, SkillRecord] = {}
        self.groups: dict[str, SkillRecord] = {}
        self.roles: set[str] = set()

    def rows(self, name: str, *required: str) -> Iterator[RowContext]:
        """The rows of one file, counted as read."""
        for row in rows_of(self.files[name], required=required, delimiter=",", log=self.log):
            self.bundle.rows_read += 1
            yield row

    def note(self, count: int, text: str) -> None:
        """Tell the report about rows that were skipped, when there were any."""
        if count:
            self.bundle.notes.append(f"{count:,} {text}")

    def read_concepts(self) -> None:
        """Skills (`skills_en.csv`) and skill groups (`skillGroups_en.csv`)."""
        untyped = 0
        for row in self.rows(SKILLS_FILE, "conceptUri", "preferredLabel", "skillType"):
            skill_type = row.raw("skillType")
            kind = SKILL_KIND_BY_TYPE.get(skill_type)
            if kind is None and skill_type:
                row.problem("skillType", "must be skill/competence or knowledge", skill_type)
                continue
            if kind is None:
                untyped += 1
            self.add_concept(row, kind or "skill", self.skills)
        self.note(untyped, "skill(s) without skillType imported as kind 'skill'")
        for row in self.rows(GROUPS_FILE, "conceptUri", "preferredLabel"):
            self.add_concept(row, "group", self.groups)

    def add_concept(self, row: RowContext, kind: str, into: dict[str, SkillRecord]) -> None:
        """One skill or group row, checked."""
        if not _required_cells(row, "conceptUri", "preferredLabel"):
            return
        uri = row.raw("conceptUri")
        if uri in self.skills or uri in self.groups:
            row.problem("conceptUri", "appears twice in the export", uri)
            return
        into[uri] = SkillRecord(
            external_id=uri,
            name=row.raw("preferredLabel"),
            kind=kind,
            description=row.raw("description") or row.raw("definition"),
            status=_status(row.raw("status")),
            reuse_level=row.raw("reuseLevel"),
            alt_labels=_labels(row.values.get("altLabels", "")),
            hidden_labels=_labels(row.values.get("hiddenLabels", "")),
        )

    def read_hierarchy(self) -> None:
        """Broader links (`broaderRelationsSkillPillar.csv`), kept in file order per concept."""
        concepts = {**self.groups, **self.skills}
        broader: dict[str, dict[str, None]] = {}
        unknown = 0
        for row in self.rows(BROADER_FILE, "conceptUri", "broaderUri"):
            narrower_uri, broader_uri = row.raw("conceptUri"), row.raw("broaderUri")
            if narrower_uri not in concepts or broader_uri not in concepts:
                unknown += 1
            elif narrower_uri != broader_uri:
                broader.setdefault(narrower_uri, {})[broader_uri] = None
        self.note(
            unknown,
            "broader link(s) name a concept that is neither a skill nor a skill group of this "
            "export; skipped",
        )
        self.bundle.skills = [
            replace(record, broader=tuple(broader.get(uri, ()))) for uri, record in concepts.items()
        ]

    def read_skill_links(self) -> None:
        """Skill–skill relations (`skillSkillRelations.csv`)."""
        skipped = 0
        seen: set[tuple[str, str, str]] = set()
        for row in self.rows(
            SKILL_RELATIONS_FILE, "originalSkillUri", "relationType", "relatedSkillUri"
        ):
            relation = RELATION_KINDS.get(row.raw("relationType"))
            if relation is None:
                row.problem(
                    "relationType", "must be essential or optional", row.raw("relationType")
                )
                continue
            original, related = row.raw("originalSkillUri"), row.raw("relatedSkillUri")
            if original not in self.skills or related not in self.skills or original == related:
                skipped += 1
                continue
            # "original has essential skill related" reads as "related is essential for original".
            key = (related, original, relation)
            if key not in seen:
                seen.add(key)
                self.bundle.links.append(SkillLinkRecord(related, original, relation))
        self.note(
            skipped,
            "skill–skill relation(s) name an unknown skill or link a skill to itself; skipped",
        )

    def read_occupations(self) -> None:
        """Occupations (`occupations_en.csv`) as role templates, with ISCO group labels."""
        isco_labels: dict[str, str] = {}
        if ISCO_GROUPS_FILE in self.files:
            for row in self.rows(ISCO_GROUPS_FILE, "code", "preferredLabel"):
                isco_labels[row.raw("code")] = row.raw("preferredLabel")
        for row in self.rows(OCCUPATIONS_FILE, "conceptUri", "preferredLabel"):
            if not _required_cells(row, "conceptUri", "preferredLabel"):
                continue
            uri, title = row.raw("conceptUri"), row.raw("preferredLabel")
            if uri in self.roles:
                row.problem("conceptUri", "appears twice in the export", uri)
                continue
            self.roles.add(uri)
            isco_code = row.raw("iscoGroup")
            self.bundle.roles.append(
                RoleTemplateRecord(
                    external_id=uri,
                    title=title,
                    description=row.raw("description") or row.raw("definition"),
                    code=isco_code,
                    family=isco_labels.get(isco_code, "")[:MAX_FAMILY],
                    aliases=tuple(
                        alias
                        for alias in _labels(row.values.get("altLabels", ""))
                        if alias != title
                    ),
                )
            )

    def read_occupation_skills(self) -> None:
        """Essential and optional skills of occupations (`occupationSkillRelations.csv`)."""
        unknown_occupation = unknown_skill = group_target = 0
        seen: set[tuple[str, str]] = set()
        for row in self.rows(OCCUPATION_SKILLS_FILE, "occupationUri", "relationType", "skillUri"):
            relation = row.raw("relationType")
            if relation not in RELATION_KINDS:
                row.problem("relationType", "must be essential or optional", relation)
                continue
            occupation, skill = row.raw("occupationUri"), row.raw("skillUri")
            if occupation not in self.roles:
                unknown_occupation += 1
                continue
            if skill not in self.skills:
                # A role profile asks for skills people can hold, never for a whole group.
                if skill in self.groups:
                    group_target += 1
                else:
                    unknown_skill += 1
                continue
            if (occupation, skill) in seen:
                continue
            seen.add((occupation, skill))
            essential = relation == "essential"
            self.bundle.role_skills.append(
                RoleSkillRecord(
                    role_external_id=occupation,
                    skill_external_id=skill,
                    target_level=DEFAULT_TARGET_LEVEL,
                    importance=ESSENTIAL_IMPORTANCE if essential else OPTIONAL_IMPORTANCE,
                    essential=essential,
                )
            )
        self.note(
            unknown_occupation,
            "occupation–skill link(s) name an occupation missing from occupations_en.csv; skipped",
        )
        self.note(
            unknown_skill,
            "occupation–skill link(s) name a skill missing from skills_en.csv; skipped",
        )
        self.note(
            group_target, "occupation–skill link(s) name a skill group instead of a skill; skipped"
        )


def read_esco(paths: Sequence[Path], *, progress: ProgressCallback = no_progress) -> TaxonomyBundle:
    """Parse and check an ESCO export; raises `InvalidInputError` listing every problem."""
    files = find_input_files(
        paths, required=REQUIRED_FILES, optional=(ISCO_GROUPS_FILE,), hint=HINT
    )
    bundle = TaxonomyBundle(
        source_key=SOURCE_KEY,
        label="ESCO",
        title=TITLE,
        version=detect_version(paths, [files[name] for name in REQUIRED_FILES]),
        attribution=ATTRIBUTION,
    )
    if not bundle.version:
        bundle.notes.append("ESCO version not found in the path names; the stored one is kept")
    reader = _EscoReader(files, bundle)
    steps = (
        reader.read_concepts,
        reader.read_hierarchy,
        reader.read_skill_links,
        reader.read_occupations,
        reader.read_occupation_skills,
    )
    for done, step in enumerate(steps):
        progress("Reading ESCO files", done, len(steps))
        step()
    progress("Reading ESCO files", len(steps), len(steps))
    reader.log.raise_if_any("the ESCO export has problems")
    return bundle
