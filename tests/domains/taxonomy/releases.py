"""Tiny hand-made ESCO- and O*NET-shaped releases, written as files for the import tests."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

ESCO = "http://data.europa.eu/esco"
GROUP_SKILLS = f"{ESCO}/skill/S"
GROUP_COMMUNICATION = f"{ESCO}/skill/S1"
MUSICAL_STAFF = f"{ESCO}/skill/0005c151"
MUSIC_THEORY = f"{ESCO}/skill/0a1b"
COACH_SINGERS = f"{ESCO}/skill/0c2d"
UNTYPED = f"{ESCO}/skill/0e3f"
UNKNOWN_SKILL = f"{ESCO}/skill/ffff"
MUSIC_DIRECTOR = f"{ESCO}/occupation/0001"
VOCAL_COACH = f"{ESCO}/occupation/0002"

ESCO_FILES: dict[str, tuple[list[str], list[list[str]]]] = {
    "skills_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "description",
        ],
        [
            [
                "KnowledgeSkillCompetence",
                MUSICAL_STAFF,
                "skill/competence",
                "sector-specific",
                "manage musical staff",
                "manage music staff\nmanage musical staff",
                "music staf",
                "released",
                "Assign and manage staff tasks.",
            ],
            [
                "KnowledgeSkillCompetence",
                MUSIC_THEORY,
                "knowledge",
                "cross-sector",
                "music theory",
                "theory of music",
                "",
                "released",
                "The principles of music.",
            ],
            [
                "KnowledgeSkillCompetence",
                COACH_SINGERS,
                "skill/competence",
                "occupation-specific",
                "coach singers",
                "",
                "",
                "released",
                "Coach singers in voice technique.",
            ],
            [
                "KnowledgeSkillCompetence",
                UNTYPED,
                "",
                "transversal",
                "implement cloud security",
                "",
                "",
                "released",
                "",
            ],
        ],
    ),
    "skillGroups_en.csv": (
        ["conceptType", "conceptUri", "preferredLabel", "altLabels", "status", "description"],
        [
            ["SkillGroup", GROUP_SKILLS, "skills", "", "released", ""],
            [
                "SkillGroup",
                GROUP_COMMUNICATION,
                "communication, collaboration and creativity",
                "communication",
                "released",
                "Communicating with people.",
            ],
        ],
    ),
    "broaderRelationsSkillPillar.csv": (
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        [
            ["SkillGroup", GROUP_COMMUNICATION, "SkillGroup", GROUP_SKILLS],
            ["KnowledgeSkillCompetence", MUSICAL_STAFF, "SkillGroup", GROUP_COMMUNICATION],
            ["KnowledgeSkillCompetence", MUSIC_THEORY, "SkillGroup", GROUP_SKILLS],
            ["KnowledgeSkillCompetence", COACH_SINGERS, "KnowledgeSkillCompetence", MUSICAL_STAFF],
            ["KnowledgeSkillCompetence", COACH_SINGERS, "SkillGroup", GROUP_COMMUNICATION],
            ["KnowledgeSkillCompetence", UNKNOWN_SKILL, "SkillGroup", GROUP_SKILLS],
        ],
    ),
    "skillSkillRelations.csv": (
        [
            "originalSkillUri",
            "originalSkillType",
            "relationType",
            "relatedSkillType",
            "relatedSkillUri",
        ],
        [
            [MUSICAL_STAFF, "skill/competence", "essential", "knowledge", MUSIC_THEORY],
            [COACH_SINGERS, "skill/competence", "optional", "knowledge", MUSIC_THEORY],
            [MUSICAL_STAFF, "skill/competence", "optional", "knowledge", UNKNOWN_SKILL],
            [UNTYPED, "skill/competence", "optional", "skill/competence", UNTYPED],
        ],
    ),
    "occupations_en.csv": (
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "description",
            "code",
        ],
        [
            [
                "Occupation",
                MUSIC_DIRECTOR,
                "2652",
                "music director",
                "conductor\nmusic director",
                "Music directors conduct.",
                "2652.3",
            ],
            [
                "Occupation",
                VOCAL_COACH,
                "2354",
                "vocal coach",
                "",
                "Vocal coaches coach.",
                "2354.2",
            ],
        ],
    ),
    "ISCOGroups_en.csv": (
        ["conceptType", "conceptUri", "code", "preferredLabel"],
        [["ISCOGroup", f"{ESCO}/isco/C2652", "2652", "Musicians, singers and composers"]],
    ),
    "occupationSkillRelations.csv": (
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [
            [MUSIC_DIRECTOR, "essential", "skill/competence", MUSICAL_STAFF],
            [MUSIC_DIRECTOR, "optional", "knowledge", MUSIC_THEORY],
            [VOCAL_COACH, "essential", "skill/competence", COACH_SINGERS],
            [VOCAL_COACH, "optional", "", GROUP_COMMUNICATION],
            [VOCAL_COACH, "optional", "skill/competence", UNKNOWN_SKILL],
        ],
    ),
}
ESCO_RELATIONS_FILES = (
    "broaderRelationsSkillPillar.csv",
    "skillSkillRelations.csv",
    "occupationSkillRelations.csv",
)


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    """Write a CSV (or TSV) file the way the official exports do."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def esco_files(
    changes: dict[str, tuple[list[str], list[list[str]]]] | None = None,
) -> dict[str, tuple[list[str], list[list[str]]]]:
    """The tiny ESCO release, with some files replaced."""
    return {**ESCO_FILES, **(changes or {})}


def write_esco_folder(
    folder: Path, files: dict[str, tuple[list[str], list[list[str]]]] | None = None
) -> Path:
    """The tiny ESCO release extracted to a folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in (files or ESCO_FILES).items():
        write_csv(folder / name, header, rows)
    return folder


def write_esco_zips(folder: Path) -> list[Path]:
    """The tiny ESCO release as the official two zips (classification and relations)."""
    extracted = write_esco_folder(folder / "extracted")
    classification = folder / "ESCO-dataset-v1.1.0-classification-en-csv.zip"
    relations = folder / "ESCO-dataset-v1.1.0-classification-relations-csv.zip"
    with zipfile.ZipFile(classification, "w") as first, zipfile.ZipFile(relations, "w") as second:
        for name in ESCO_FILES:
            target = second if name in ESCO_RELATIONS_FILES else first
            target.write(extracted / name, arcname=name)
    return [classification, relations]


SOFTWARE = "15-1252.00"
CHIEF = "11-1011.00"
RATING_HEADER = [
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Scale Name",
    "Data Value",
    "N",
    "Recommend Suppress",
    "Not Relevant",
]

ONET_FILES: dict[str, tuple[list[str], list[list[str]]]] = {
    "Read Me.txt": (["O*NET 29.3 Database"], [["May 2025 Release"]]),
    "Occupation Data.txt": (
        ["O*NET-SOC Code", "Title", "Description"],
        [
            [SOFTWARE, "Software Developers", "Design and develop software."],
            [CHIEF, "Chief Executives", "Determine and formulate policies."],
        ],
    ),
    "Content Model Reference.txt": (
        ["Element ID", "Element Name", "Description"],
        [
            ["2", "Worker Requirements", "Worker Requirements"],
            ["2.A", "Basic Skills", "Developed capacities"],
            ["2.A.1", "Content", "Background structures"],
            ["2.A.1.a", "Reading Comprehension", "Understanding written sentences."],
            ["2.C", "Knowledge", "Organized sets of principles"],
            ["2.C.3", "Engineering and Technology", "Knowledge of technology"],
            ["2.C.3.a", "Computers and Electronics", "Knowledge of circuit boards."],
            ["5.F", "Technology Skills", "Information technology and software skills."],
        ],
    ),
    "Skills.txt": (
        RATING_HEADER,
        [
            [
                SOFTWARE,
                "Software Developers",
                "2.A.1.a",
                "Reading Comprehension",
                "IM",
                "Importance",
                "4",
                "8",
                "N",
                "",
            ],
            [
                SOFTWARE,
                "Software Developers",
                "2.A.1.a",
                "Reading Comprehension",
                "LV",
                "Level",
                "3.5",
                "8",
                "N",
                "N",
            ],
            [
                CHIEF,
                "Chief Executives",
                "2.A.1.a",
                "Reading Comprehension",
                "IM",
                "Importance",
                "1",
                "8",
                "N",
                "",
            ],
            [
                CHIEF,
                "Chief Executives",
                "2.A.1.a",
                "Reading Comprehension",
                "LV",
                "Level",
                "0",
                "8",
                "N",
                "Y",
            ],
        ],
    ),
    "Knowledge.txt": (
        RATING_HEADER,
        [
            [
                SOFTWARE,
                "Software Developers",
                "2.C.3.a",
                "Computers and Electronics",
                "IM",
                "Importance",
                "4.5",
                "8",
                "N",
                "",
            ],
            [
                SOFTWARE,
                "Software Developers",
                "2.C.3.a",
                "Computers and Electronics",
                "LV",
                "Level",
                "6",
                "8",
                "",
                "N",
            ],
            [
                CHIEF,
                "Chief Executives",
                "2.C.3.a",
                "Computers and Electronics",
                "IM",
                "Importance",
                "2",
                "8",
                "N",
                "",
            ],
            [
                CHIEF,
                "Chief Executives",
                "2.C.3.a",
                "Computers and Electronics",
                "LV",
                "Level",
                "2",
                "8",
                "Y",
                "N",
            ],
        ],
    ),
    "Technology Skills.txt": (
        [
            "O*NET-SOC Code",
            "Title",
            "Example",
            "Commodity Code",
            "Commodity Title",
            "Hot Technology",
            "In Demand",
        ],
        [
            [SOFTWARE, "Software Developers", "Python", "43232701", "Object software", "Y", "Y"],
            [
                SOFTWARE,
                "Software Developers",
                "Microsoft Excel",
                "43232110",
                "Spreadsheet",
                "Y",
                "N",
            ],
            [CHIEF, "Chief Executives", "Microsoft Excel", "43232110", "Spreadsheet", "N", "N"],
            [CHIEF, "Chief Executives", "Python", "43231507", "Project software", "N", "N"],
        ],
    ),
    "Alternate Titles.txt": (
        ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
        [
            [SOFTWARE, "Software Developers", "Application Developer", "App Dev", "08"],
            [SOFTWARE, "Software Developers", "Software Developers", "", "08"],
            [CHIEF, "Chief Executives", "CEO", "", "10"],
        ],
    ),
    "Job Zones.txt": (
        ["O*NET-SOC Code", "Title", "Job Zone"],
        [[SOFTWARE, "Software Developers", "4"], [CHIEF, "Chief Executives", "5"]],
    ),
}


def write_onet_folder(
    folder: Path, files: dict[str, tuple[list[str], list[list[str]]]] | None = None
) -> Path:
    """The tiny O*NET text release, extracted (files inside `db_29_3_text/`)."""
    inner = folder / "db_29_3_text"
    inner.mkdir(parents=True, exist_ok=True)
    for name, (header, rows) in (files or ONET_FILES).items():
        write_csv(inner / name, header, rows, delimiter="\t")
    return folder


def write_onet_zip(folder: Path) -> Path:
    """The tiny O*NET text release as a zip with its `db_29_3_text/` folder inside."""
    extracted = write_onet_folder(folder / "extracted")
    archive = folder / "onet-29.3-db-text.zip"
    with zipfile.ZipFile(archive, "w") as opened:
        for path in sorted((extracted / "db_29_3_text").iterdir()):
            opened.write(path, arcname=f"db_29_3_text/{path.name}")
    return archive
