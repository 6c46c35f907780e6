"""The demo learning catalog: hand-written items the stories need, plus items generated per skill
and per role family, in several locales, some offline-capable, from several providers.

Levels: foundational e-learning, videos and readings teach to 0.4 (5-point level 2), microlearning
to 0.2–0.4, project-based courses and workshops to 0.6, advanced e-learning, mentorships and
capstones to 0.8. Skills the stories plan on (the Salesforce Administrator and Data Analyst
profiles) are taught beyond 0.4 only by the named items, so an optimal plan for those stories is
made of them. Assessments link the skill they measure at the level they certify; they do not teach.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from skillpath.demo.roles import DemoRole
from skillpath.demo.taxonomy import SKILLS, DemoSkill

LOCALES = ("en", "es", "fr", "de", "pt-BR", "pl")
TRANSLATION_ODDS = {"es": 0.35, "fr": 0.3, "de": 0.3, "pt-BR": 0.25, "pl": 0.15}
CURRENCY = "EUR"

VENDORS = (
    "Brightpath Learning",
    "Meridian Courses",
    "Atlas Professional Institute",
    "Cobalt Tech Academy",
)
LANGUAGE_PROVIDER = "Lingua Works"
SAFETY_PROVIDER = "SafeWork Training"

STORY_SKILLS = frozenset(
    {
        "crm",
        "salesforce_administration",
        "salesforce_reports",
        "workflow_automation",
        "data_quality_management",
        "user_access_management",
        "requirements_gathering",
        "stakeholder_communication",
        "excel",
        "sql",
        "tableau",
        "python_data",
        "r_programming",
        "statistics",
        "data_analysis",
        "data_cleaning",
        "data_storytelling",
        "handling_objections",
    }
)
"""Skills that only the named items teach above level 0.4 (see the module docstring)."""

NAMED_FAMILY_ITEMS = frozenset({"CRM", "Data & Analytics"})
"""Role families whose mentorship and capstone are hand-written."""


@dataclass(frozen=True)
class DemoItem:
    """A catalog item before it is written."""

    key: str
    title: str
    kind: str
    minutes: int
    cost: float
    provider: str
    description: str
    teaches: tuple[tuple[str, float], ...]
    requires_items: tuple[str, ...] = ()
    requires_skills: tuple[tuple[str, float], ...] = ()
    locales: tuple[str, ...] = ("en",)
    offline: bool = False
    mandatory_for: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """A stable, clearly fictitious address for the item."""
        slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")
        provider = re.sub(r"[^a-z0-9]+", "-", self.provider.lower()).strip("-")
        return f"https://learning.example/{provider}/{slug}"


def _named_items(academy: str) -> list[DemoItem]:
    """The items the product stories name, written by hand."""
    all_locales = ("en", "es", "fr", "de", "pt-BR", "pl")
    return [
        DemoItem(
            "crm-basics",
            "CRM Basics",
            "e-learning",
            600,
            0.0,
            academy,
            "Self-paced introduction to customer relationship management: accounts, contacts, "
            "cases and opportunities, data entry standards, and a first look at Salesforce "
            "administration.",
            (("crm", 0.6), ("salesforce_administration", 0.4), ("data_quality_management", 0.4)),
            locales=all_locales,
            offline=True,
        ),
        DemoItem(
            "building-custom-reports",
            "Building Custom Reports",
            "project-based course",
            480,
            0.0,
            academy,
            "Build the custom report types, reports and dashboards a real team asks for, on a "
            "copy of our Salesforce org, reviewed by an administrator.",
            (("salesforce_reports", 0.8), ("data_visualisation", 0.4)),
            requires_items=("crm-basics",),
            locales=("en", "es", "pl"),
        ),
        DemoItem(
            "salesforce-admin-mentorship",
            "Salesforce Administration Mentorship",
            "mentorship",
            180,
            0.0,
            academy,
            "Three sessions with a senior Salesforce administrator: configuration decisions, "
            "users and permissions, gathering requirements from the business.",
            (
                ("salesforce_administration", 0.8),
                ("crm", 0.8),
                ("user_access_management", 0.6),
                ("requirements_gathering", 0.6),
            ),
            requires_items=("crm-basics",),
            locales=("en", "es", "pl"),
        ),
        DemoItem(
            "salesforce-admin-capstone",
            "Salesforce Administrator Capstone",
            "capstone",
            300,
            0.0,
            academy,
            "Design and deliver a real change to our Salesforce org end to end: requirements, "
            "automation, data quality rules, security and a demo to stakeholders.",
            (
                ("salesforce_administration", 0.8),
                ("workflow_automation", 0.6),
                ("data_quality_management", 0.6),
                ("user_access_management", 0.6),
                ("stakeholder_communication", 0.6),
            ),
            requires_items=("building-custom-reports",),
            locales=("en", "es", "pl"),
        ),
        DemoItem(
            "excel-essentials",
            "Excel Essentials",
            "e-learning",
            480,
            49.0,
            VENDORS[0],
            "Formulas, lookups, pivot tables and charts for everyday analysis.",
            (("excel", 0.6), ("data_cleaning", 0.4)),
            locales=all_locales,
            offline=True,
        ),
        DemoItem(
            "sql-basics",
            "SQL Basics",
            "e-learning",
            600,
            59.0,
            VENDORS[3],
            "Query relational data: SELECT, filters, joins, grouping and window functions.",
            (("sql", 0.6), ("data_analysis", 0.4)),
            locales=("en", "es", "fr", "de", "pt-BR"),
            offline=True,
        ),
        DemoItem(
            "tableau-fundamentals",
            "Tableau Fundamentals",
            "e-learning",
            360,
            79.0,
            VENDORS[1],
            "Connect to data, build views and publish interactive dashboards in Tableau.",
            (("tableau", 0.6), ("data_visualisation", 0.6)),
            requires_items=("excel-essentials",),
            locales=("en", "es", "fr", "de"),
        ),
        DemoItem(
            "python-for-data-analysis",
            "Python for Data Analysis",
            "e-learning",
            360,
            89.0,
            VENDORS[3],
            "Load, clean, analyse and chart data with Python, pandas and notebooks.",
            (("python_data", 0.6), ("statistics", 0.6), ("data_cleaning", 0.6)),
            requires_items=("sql-basics",),
            locales=("en", "es", "pt-BR"),
            offline=True,
        ),
        DemoItem(
            "r-for-data-analysis",
            "R for Data Analysis",
            "e-learning",
            360,
            79.0,
            VENDORS[2],
            "Explore and model data in R with the tidyverse and ggplot2.",
            (("r_programming", 0.6), ("statistics", 0.6)),
            requires_items=("sql-basics",),
            locales=("en", "es", "fr"),
        ),
        DemoItem(
            "cross-department-analytics-project",
            "Cross-Department Analytics Project",
            "project-based course",
            600,
            0.0,
            academy,
            "Answer a real question for another department: scope it with them, clean the data, "
            "analyse it and present the recommendation.",
            (
                ("data_analysis", 0.6),
                ("data_storytelling", 0.6),
                ("data_cleaning", 0.6),
                ("stakeholder_communication", 0.6),
                ("business_acumen", 0.4),
            ),
            requires_items=("sql-basics", "tableau-fundamentals"),
            locales=("en", "es", "pl"),
        ),
        DemoItem(
            "analytics-mentorship",
            "Analytics Mentorship with a Senior Analyst",
            "mentorship",
            360,
            0.0,
            academy,
            "Fortnightly sessions with a senior data analyst while you deliver analyses: framing "
            "questions, choosing methods, presenting with confidence.",
            (("data_analysis", 0.8), ("statistics", 0.6), ("data_storytelling", 0.6)),
            requires_items=("cross-department-analytics-project",),
            locales=("en", "es", "pl"),
        ),
        DemoItem(
            "advanced-sql-for-analytics",
            "Advanced SQL for Analytics",
            "e-learning",
            480,
            99.0,
            VENDORS[3],
            "Window functions, query plans, CTEs and modelling for analysts.",
            (("sql", 0.8), ("data_modelling", 0.4)),
            requires_items=("sql-basics",),
            locales=("en",),
        ),
        DemoItem(
            "python-for-data-science",
            "Python for Data Science",
            "e-learning",
            600,
            129.0,
            VENDORS[3],
            "From notebooks to reproducible analysis: pandas in depth, statistics, first models.",
            (("python_data", 0.8), ("statistics", 0.8), ("machine_learning", 0.4)),
            requires_items=("python-for-data-analysis",),
            locales=("en", "de"),
        ),
        DemoItem(
            "data-storytelling-lab",
            "Data Storytelling Lab",
            "workshop",
            360,
            450.0,
            VENDORS[1],
            "A day of turning analyses into decisions: structure, charts, narrative.",
            (("data_storytelling", 0.8), ("data_visualisation", 0.6), ("presentation_skills", 0.6)),
            requires_items=("tableau-fundamentals",),
            locales=("en", "fr", "de"),
        ),
        DemoItem(
            "advanced-salesforce-administration",
            "Advanced Salesforce Administration",
            "e-learning",
            480,
            149.0,
            VENDORS[1],
            "Complex automation, sharing models and release management for experienced admins.",
            (
                ("salesforce_administration", 1.0),
                ("workflow_automation", 0.8),
                ("user_access_management", 0.8),
            ),
            requires_items=("salesforce-admin-capstone",),
            locales=("en",),
        ),
        DemoItem(
            "handling-common-objections",
            "Handling Common Objections",
            "microlearning",
            2,
            0.0,
            academy,
            "Two minutes before a call: the five objections prospects raise most, and an answer "
            "for each.",
            (("handling_objections", 0.4),),
            locales=all_locales,
            offline=True,
        ),
        DemoItem(
            "objection-handling-role-play",
            "Objection Handling Role-Play",
            "workshop",
            180,
            0.0,
            academy,
            "Practise answering objections in pairs with feedback from a sales coach.",
            (("handling_objections", 0.6), ("consultative_selling", 0.6)),
            requires_items=("handling-common-objections",),
            locales=("en", "es", "de", "fr"),
        ),
        DemoItem(
            "digital-marketing-analytics-bootcamp",
            "Digital Marketing Analytics Bootcamp",
            "project-based course",
            900,
            690.0,
            VENDORS[1],
            "Build a channel attribution model and a campaign dashboard on real data.",
            (("digital_marketing_analytics", 0.8), ("web_analytics", 0.6), ("ab_testing", 0.6)),
            locales=("en", "es", "de"),
        ),
        DemoItem(
            "last-mile-logistics-lab",
            "Last-Mile Logistics Lab",
            "project-based course",
            840,
            520.0,
            VENDORS[2],
            "Redesign a delivery network for online orders: routes, slots, costs and service.",
            (
                ("supply_chain_logistics", 0.8),
                ("last_mile_delivery", 0.6),
                ("transport_planning", 0.6),
            ),
            locales=("en", "de", "fr", "es"),
        ),
        DemoItem(
            "development-fridays-kickoff",
            "Development Fridays: Making Learning Time Count",
            "video",
            12,
            0.0,
            academy,
            "How to use two protected hours a week for your learning path, and how managers "
            "celebrate progress in team meetings.",
            (("time_management", 0.4),),
            locales=all_locales,
            offline=True,
        ),
    ]


def _mandatory_items(academy: str) -> list[DemoItem]:
    """Compliance items with the role families that must complete them every year."""
    everyone = ("*",)
    return [
        DemoItem(
            "data-protection-essentials",
            "Data Protection Essentials",
            "e-learning",
            45,
            0.0,
            academy,
            "Handle personal data lawfully: GDPR principles, rights and breaches.",
            (("data_protection", 0.6),),
            locales=LOCALES,
            offline=True,
            mandatory_for=everyone,
        ),
        DemoItem(
            "health-and-safety-at-work",
            "Health and Safety at Work",
            "e-learning",
            60,
            0.0,
            SAFETY_PROVIDER,
            "Hazards, reporting and safe working for every workplace.",
            (("health_and_safety", 0.6), ("fire_safety", 0.4)),
            locales=LOCALES,
            offline=True,
            mandatory_for=("Store Operations", "Supply Chain", "Construction"),
        ),
        DemoItem(
            "anti-bribery-and-ethics",
            "Anti-Bribery and Ethics",
            "e-learning",
            30,
            0.0,
            academy,
            "Recognise and refuse bribery, gifts and conflicts of interest.",
            (("anti_bribery", 0.6),),
            locales=LOCALES,
            offline=True,
            mandatory_for=("Sales", "Supply Chain", "Commercial", "Executive", "Finance"),
        ),
        DemoItem(
            "payment-card-security",
            "Payment Card Security for Store Teams",
            "microlearning",
            5,
            0.0,
            academy,
            "Keep card data safe at the till (PCI DSS).",
            (("pci_dss", 0.4),),
            locales=LOCALES,
            offline=True,
            mandatory_for=("Store Operations",),
        ),
        DemoItem(
            "manual-handling",
            "Manual Handling",
            "video",
            20,
            0.0,
            SAFETY_PROVIDER,
            "Lift, carry and move loads without injury.",
            (("manual_handling", 0.6),),
            locales=LOCALES,
            offline=True,
            mandatory_for=("Supply Chain", "Store Operations"),
        ),
        DemoItem(
            "food-hygiene-level-2",
            "Food Hygiene (Level 2)",
            "e-learning",
            180,
            25.0,
            SAFETY_PROVIDER,
            "Safe storage, handling and selling of food.",
            (("food_safety", 0.6),),
            locales=LOCALES,
            offline=True,
        ),
        DemoItem(
            "site-safety-induction",
            "Construction Site Safety Induction",
            "workshop",
            480,
            180.0,
            SAFETY_PROVIDER,
            "Site rules, hazards, permits and emergency procedures.",
            (("site_safety", 0.6), ("health_and_safety", 0.6)),
            locales=("en", "es", "fr", "de"),
            mandatory_for=(
                "Construction",
                "Civil Engineering",
                "Structural Engineering",
                "Project Delivery",
            ),
        ),
        DemoItem(
            "first-aid-at-work",
            "First Aid at Work",
            "workshop",
            1080,
            240.0,
            SAFETY_PROVIDER,
            "Three-day course leading to the First Aid at Work certificate.",
            (("first_aid", 0.6),),
            locales=("en", "es", "fr", "de", "pt-BR", "pl"),
        ),
    ]


_MICRO_TITLES = ("{name} in 5 Minutes", "Quick Tips: {name}", "{name}: a Refresher")
_VIDEO_TITLES = ("{name} Explained", "Introduction to {name}", "{name} Masterclass")
_READING_TITLES = ("The {name} Handbook", "{name}: a Practical Guide", "{name} Field Notes")


def _vary(rng: np.random.Generator, low: int, high: int, step: int = 5) -> int:
    """A duration between low and high minutes, rounded to `step`."""
    return int(max(low, round(int(rng.integers(low, high + 1)) / step) * step))


def _locales(rng: np.random.Generator) -> tuple[str, ...]:
    chosen = ["en"]
    for locale, odds in TRANSLATION_ODDS.items():
        if rng.random() < odds:
            chosen.append(locale)
    return tuple(chosen)


def _cost(rng: np.random.Generator, provider: str, academy: str, low: float, high: float) -> float:
    if provider == academy:
        return 0.0
    return float(round(rng.uniform(low, high) / 5) * 5)


def _generated_items(
    rng: np.random.Generator, academy: str, covered: set[tuple[str, str]]
) -> list[DemoItem]:
    """Items generated per skill: foundations, microlearning, video, reading, projects …"""
    items: list[DemoItem] = []
    providers = (academy, *VENDORS)
    for number, skill in enumerate(SKILLS):
        if skill.kind == "language":
            items.extend(_language_items(skill))
            continue
        low_only = skill.key in STORY_SKILLS
        lower = skill.name[0].lower() + skill.name[1:] if skill.kind != "tool" else skill.name
        provider = providers[number % len(providers)]
        foundation_key = f"{skill.key}-foundations"
        if (skill.key, "e-learning") not in covered:
            items.append(
                DemoItem(
                    foundation_key,
                    f"{skill.name} Foundations",
                    "e-learning",
                    _vary(rng, 90, 300),
                    _cost(rng, provider, academy, 19, 149),
                    provider,
                    f"Self-paced foundations of {lower}. {skill.description}",
                    ((skill.key, 0.4),),
                    locales=_locales(rng),
                    offline=rng.random() < 0.3,
                )
            )
        else:
            foundation_key = ""
        if number % 3 == 0 and (skill.key, "microlearning") not in covered:
            title = _MICRO_TITLES[number % len(_MICRO_TITLES)].format(name=skill.name)
            items.append(
                DemoItem(
                    f"{skill.key}-micro",
                    title,
                    "microlearning",
                    int(rng.integers(2, 6)),
                    0.0,
                    academy,
                    f"A few minutes on {lower}, to use right before you need it.",
                    ((skill.key, 0.2),),
                    locales=_locales(rng),
                    offline=rng.random() < 0.6,
                )
            )
        if number % 4 == 1:
            title = _VIDEO_TITLES[number % len(_VIDEO_TITLES)].format(name=skill.name)
            items.append(
                DemoItem(
                    f"{skill.key}-video",
                    title,
                    "video",
                    _vary(rng, 10, 45),
                    _cost(rng, provider, academy, 0, 29),
                    provider,
                    f"A video walk-through of {lower}.",
                    ((skill.key, 0.4),),
                    locales=_locales(rng),
                    offline=rng.random() < 0.5,
                )
            )
        if number % 5 == 2:
            title = _READING_TITLES[number % len(_READING_TITLES)].format(name=skill.name)
            items.append(
                DemoItem(
                    f"{skill.key}-reading",
                    title,
                    "reading",
                    _vary(rng, 20, 90),
                    _cost(rng, provider, academy, 0, 39),
                    provider,
                    f"A practical guide to {lower} with examples and checklists.",
                    ((skill.key, 0.4),),
                    locales=_locales(rng),
                    offline=True,
                )
            )
        if low_only:
            continue
        requires = (foundation_key,) if foundation_key else ()
        if number % 4 in (0, 3):
            items.append(
                DemoItem(
                    f"{skill.key}-practice",
                    f"{skill.name} in Practice",
                    "project-based course",
                    _vary(rng, 480, 960, 30),
                    _cost(rng, provider, academy, 150, 600),
                    provider,
                    f"Apply {lower} to a real piece of work, reviewed by an expert.",
                    ((skill.key, 0.6),),
                    requires_items=requires,
                    locales=_locales(rng),
                )
            )
        if number % 6 == 1:
            items.append(
                DemoItem(
                    f"{skill.key}-workshop",
                    f"{skill.name} Workshop",
                    "workshop",
                    _vary(rng, 180, 480, 30),
                    _cost(rng, provider, academy, 150, 900),
                    provider,
                    f"A hands-on workshop on {lower} with exercises and peer feedback.",
                    ((skill.key, 0.6),),
                    locales=_locales(rng),
                )
            )
        if number % 5 == 0:
            items.append(
                DemoItem(
                    f"{skill.key}-advanced",
                    f"Advanced {skill.name}",
                    "e-learning",
                    _vary(rng, 240, 600, 30),
                    _cost(rng, provider, academy, 49, 249),
                    provider,
                    f"Advanced techniques in {lower} for experienced practitioners.",
                    ((skill.key, 0.8),),
                    requires_skills=((skill.key, 0.4),),
                    locales=_locales(rng),
                )
            )
        if number % 8 == 3:
            items.append(
                DemoItem(
                    f"{skill.key}-assessment",
                    f"{skill.name} Skills Assessment",
                    "assessment",
                    _vary(rng, 30, 90),
                    _cost(rng, provider, academy, 0, 120),
                    provider,
                    f"A scored assessment of {lower}; passing certifies level 3 of 5.",
                    ((skill.key, 0.6),),
                    locales=_locales(rng),
                )
            )
    return items


def _language_items(skill: DemoSkill) -> list[DemoItem]:
    name = skill.name
    return [
        DemoItem(
            f"{skill.key}-a2",
            f"{name} for the Workplace (A2)",
            "e-learning",
            1200,
            120.0,
            LANGUAGE_PROVIDER,
            f"Everyday {name} for work: introductions, e-mails, meetings.",
            ((skill.key, 0.4),),
            locales=("en",),
            offline=True,
        ),
        DemoItem(
            f"{skill.key}-b2",
            f"Professional {name} (B2)",
            "e-learning",
            2400,
            240.0,
            LANGUAGE_PROVIDER,
            f"Confident professional {name}: negotiations, presentations.",
            ((skill.key, 0.6),),
            requires_items=(f"{skill.key}-a2",),
            locales=("en",),
            offline=True,
        ),
        DemoItem(
            f"{skill.key}-conversation",
            f"{name} Conversation Circle",
            "workshop",
            600,
            90.0,
            LANGUAGE_PROVIDER,
            f"Weekly small-group conversation practice in {name}.",
            ((skill.key, 0.6),),
            requires_items=(f"{skill.key}-a2",),
            locales=("en",),
        ),
    ]


def _family_items(roles: tuple[DemoRole, ...], academy: str) -> list[DemoItem]:
    """A mentorship and a capstone per role family, teaching the family's essential skills."""
    families: dict[str, list[DemoRole]] = {}
    for role in roles:
        families.setdefault(role.family, []).append(role)
    items: list[DemoItem] = []
    for family, members in sorted(families.items()):
        if family in NAMED_FAMILY_ITEMS or family == "Executive":
            continue
        weight: dict[str, float] = {}
        for role in members:
            for line in role.profile:
                if line.skill not in STORY_SKILLS:
                    weight[line.skill] = weight.get(line.skill, 0.0) + line.importance
        top = sorted(weight, key=lambda key: (-weight[key], key))[:4]
        slug = re.sub(r"[^a-z0-9]+", "-", family.lower()).strip("-")
        items.append(
            DemoItem(
                f"{slug}-mentorship",
                f"{family} Mentorship",
                "mentorship",
                360,
                0.0,
                academy,
                f"Six sessions with an experienced colleague from {family}, on real work.",
                tuple((key, 0.8) for key in top[:3]),
                locales=("en", "es", "fr", "de"),
            )
        )
        items.append(
            DemoItem(
                f"{slug}-capstone",
                f"{family} Capstone Project",
                "capstone",
                960,
                0.0,
                academy,
                f"Deliver a stretch project for {family} end to end and present it to leaders.",
                tuple((key, 0.8) for key in top),
                requires_items=(f"{slug}-mentorship",),
                locales=("en",),
            )
        )
    return items


def build_catalog(
    roles: tuple[DemoRole, ...], academy: str, rng: np.random.Generator
) -> list[DemoItem]:
    """The whole catalog, named items first, with unique keys."""
    named = _named_items(academy) + _mandatory_items(academy)
    covered = {(skill, item.kind) for item in named for skill, _level in item.teaches}
    covered |= {
        (skill, "e-learning") for item in named for skill, level in item.teaches if level >= 0.4
    }
    items = named + _generated_items(rng, academy, covered) + _family_items(roles, academy)
    keys = [item.key for item in items]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate catalog key")
    known = set(keys)
    for item in items:
        for required in item.requires_items:
            if required not in known:
                raise ValueError(f"item {item.key} requires unknown item {required}")
    return items
