"""The three demo companies: countries, organisation recipes, business priorities and the
built-in shortfalls of their workforce.

A scenario only describes; `org.py` turns a scenario and a headcount into units and seats, and
the rest of the generator fills the seats with people and their history.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class City:
    """A city the company works in, with its time zone."""

    name: str
    timezone: str


@dataclass(frozen=True)
class Country:
    """A country the company operates in."""

    code: str
    name: str
    locale: str
    language: str
    cities: tuple[City, ...]
    weight: float
    second_languages: tuple[tuple[str, float], ...] = ()
    currency: str = "EUR"


@dataclass(frozen=True)
class TeamSpec:
    """A kind of team: its lead role, its member roles (minimum count, weight) and size."""

    name: str
    lead: str
    members: tuple[tuple[str, int, float], ...]
    size: tuple[int, int] = (5, 10)
    weight: float = 1.0


@dataclass(frozen=True)
class FunctionSpec:
    """A central function (HQ department): a head, teams placed in hub countries."""

    name: str
    head: str
    group_role: str
    filler: str
    teams: tuple[TeamSpec, ...]
    share: float
    hubs: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class SiteSpec:
    """A kind of site repeated in every country (a store, a distribution centre, an office)."""

    name: str
    kind: str
    head: str
    group_role: str
    group_name: str
    direct: tuple[tuple[str, int], ...]
    teams: tuple[TeamSpec, ...]
    share: float
    min_country_weight: float = 0.0
    scalable_team: int = 0


@dataclass(frozen=True)
class Priority:
    """A strategic priority: the skills and roles it weights and the headcount it asks for."""

    name: str
    description: str
    months_to_target: int
    skills: tuple[tuple[str, float], ...]
    roles: tuple[tuple[str, float, float], ...]


@dataclass(frozen=True)
class Scenario:
    """Everything that makes one demo company what it is."""

    key: str
    company: str
    email_domain: str
    default_employees: int
    countries: tuple[Country, ...]
    ceo: str
    coo: str | None
    country_head: str
    country_filler: str
    functions: tuple[FunctionSpec, ...]
    sites: tuple[SiteSpec, ...]
    priorities: tuple[Priority, ...]
    skill_shift: dict[str, float] = field(default_factory=dict)
    growth_roles: dict[str, float] = field(default_factory=dict)
    emerging_skills: tuple[str, ...] = ()
    emerging_families: tuple[str, ...] = ()
    story_employee_role: str = "customer_support_rep"
    story_target_role: str = "salesforce_administrator"
    story_second_role: str = "marketing_coordinator"
    story_second_target: str = "data_analyst"
    aspiration_share: float = 0.3
    annual_turnover: dict[str, float] = field(default_factory=dict)


def _c(name: str, timezone: str) -> City:
    return City(name, timezone)


GB = Country(
    "GB",
    "United Kingdom",
    "en-GB",
    "en",
    (
        _c("London", "Europe/London"),
        _c("Manchester", "Europe/London"),
        _c("Birmingham", "Europe/London"),
        _c("Leeds", "Europe/London"),
        _c("Glasgow", "Europe/London"),
        _c("Bristol", "Europe/London"),
        _c("Liverpool", "Europe/London"),
        _c("Edinburgh", "Europe/London"),
        _c("Cardiff", "Europe/London"),
        _c("Newcastle", "Europe/London"),
    ),
    0.25,
    (("fr", 0.08), ("es", 0.06)),
    "GBP",
)
US = Country(
    "US",
    "United States",
    "en-US",
    "en",
    (
        _c("New York", "America/New_York"),
        _c("Chicago", "America/Chicago"),
        _c("Dallas", "America/Chicago"),
        _c("Denver", "America/Denver"),
        _c("Los Angeles", "America/Los_Angeles"),
        _c("Seattle", "America/Los_Angeles"),
        _c("Atlanta", "America/New_York"),
        _c("Boston", "America/New_York"),
    ),
    0.2,
    (("es", 0.15),),
    "USD",
)
DE = Country(
    "DE",
    "Germany",
    "de-DE",
    "de",
    (
        _c("Berlin", "Europe/Berlin"),
        _c("Hamburg", "Europe/Berlin"),
        _c("Munich", "Europe/Berlin"),
        _c("Cologne", "Europe/Berlin"),
        _c("Frankfurt", "Europe/Berlin"),
        _c("Stuttgart", "Europe/Berlin"),
        _c("Düsseldorf", "Europe/Berlin"),
        _c("Leipzig", "Europe/Berlin"),
    ),
    0.13,
    (("en", 0.6),),
)
FR = Country(
    "FR",
    "France",
    "fr-FR",
    "fr",
    (
        _c("Paris", "Europe/Paris"),
        _c("Lyon", "Europe/Paris"),
        _c("Marseille", "Europe/Paris"),
        _c("Toulouse", "Europe/Paris"),
        _c("Lille", "Europe/Paris"),
        _c("Bordeaux", "Europe/Paris"),
        _c("Nantes", "Europe/Paris"),
    ),
    0.11,
    (("en", 0.5),),
)
ES = Country(
    "ES",
    "Spain",
    "es-ES",
    "es",
    (
        _c("Madrid", "Europe/Madrid"),
        _c("Barcelona", "Europe/Madrid"),
        _c("Valencia", "Europe/Madrid"),
        _c("Seville", "Europe/Madrid"),
        _c("Bilbao", "Europe/Madrid"),
        _c("Málaga", "Europe/Madrid"),
    ),
    0.09,
    (("en", 0.45),),
)
MX = Country(
    "MX",
    "Mexico",
    "es-MX",
    "es",
    (
        _c("Mexico City", "America/Mexico_City"),
        _c("Guadalajara", "America/Mexico_City"),
        _c("Monterrey", "America/Monterrey"),
        _c("Puebla", "America/Mexico_City"),
        _c("Querétaro", "America/Mexico_City"),
    ),
    0.08,
    (("en", 0.35),),
    "MXN",
)
BR = Country(
    "BR",
    "Brazil",
    "pt-BR",
    "pt-BR",
    (
        _c("São Paulo", "America/Sao_Paulo"),
        _c("Rio de Janeiro", "America/Sao_Paulo"),
        _c("Belo Horizonte", "America/Sao_Paulo"),
        _c("Curitiba", "America/Sao_Paulo"),
        _c("Porto Alegre", "America/Sao_Paulo"),
        _c("Recife", "America/Recife"),
    ),
    0.08,
    (("en", 0.35), ("es", 0.15)),
    "BRL",
)
PL = Country(
    "PL",
    "Poland",
    "pl-PL",
    "pl",
    (
        _c("Kraków", "Europe/Warsaw"),
        _c("Warsaw", "Europe/Warsaw"),
        _c("Wrocław", "Europe/Warsaw"),
        _c("Poznań", "Europe/Warsaw"),
        _c("Gdańsk", "Europe/Warsaw"),
    ),
    0.06,
    (("en", 0.65), ("de", 0.1)),
    "PLN",
)
IN = Country(
    "IN",
    "India",
    "en-IN",
    "en",
    (_c("Bengaluru", "Asia/Kolkata"), _c("Pune", "Asia/Kolkata"), _c("Hyderabad", "Asia/Kolkata")),
    0.12,
    (("hi", 0.7),),
    "INR",
)
CA = Country(
    "CA",
    "Canada",
    "en-CA",
    "en",
    (
        _c("Toronto", "America/Toronto"),
        _c("Vancouver", "America/Vancouver"),
        _c("Montreal", "America/Toronto"),
        _c("Calgary", "America/Edmonton"),
    ),
    0.07,
    (("fr", 0.25),),
    "CAD",
)
AE = Country(
    "AE",
    "United Arab Emirates",
    "en-AE",
    "en",
    (_c("Dubai", "Asia/Dubai"), _c("Abu Dhabi", "Asia/Dubai")),
    0.1,
    (("ar", 0.4), ("hi", 0.2)),
    "AED",
)
AU = Country(
    "AU",
    "Australia",
    "en-AU",
    "en",
    (
        _c("Sydney", "Australia/Sydney"),
        _c("Melbourne", "Australia/Melbourne"),
        _c("Brisbane", "Australia/Brisbane"),
        _c("Perth", "Australia/Perth"),
    ),
    0.1,
    (),
    "AUD",
)

# Retail: Northwind Retail, store-heavy and shifting to e-commerce

_RETAIL_FUNCTIONS = (
    FunctionSpec(
        "Marketing",
        "marketing_director",
        "marketing_manager",
        "marketing_analyst",
        (
            TeamSpec(
                "Marketing",
                "marketing_manager",
                (
                    ("marketing_coordinator", 2, 3.0),
                    ("digital_marketing_specialist", 1, 2.0),
                    ("content_marketing_specialist", 1, 1.0),
                    ("seo_specialist", 0, 0.7),
                    ("marketing_analyst", 1, 1.0),
                ),
            ),
        ),
        0.025,
        (("GB", 0.6), ("US", 0.2), ("DE", 0.2)),
    ),
    FunctionSpec(
        "E-commerce",
        "ecommerce_director",
        "ecommerce_manager",
        "web_analyst",
        (
            TeamSpec(
                "Online Trading",
                "ecommerce_manager",
                (
                    ("ecommerce_specialist", 2, 3.0),
                    ("web_analyst", 1, 1.0),
                    ("ecommerce_merchandiser", 1, 1.5),
                ),
            ),
        ),
        0.02,
        (("GB", 0.7), ("US", 0.3)),
    ),
    FunctionSpec(
        "Data & Analytics",
        "head_of_data",
        "analytics_manager",
        "data_analyst",
        (
            TeamSpec(
                "Analytics",
                "analytics_manager",
                (
                    ("data_analyst", 2, 3.0),
                    ("senior_data_analyst", 1, 1.2),
                    ("bi_developer", 1, 1.0),
                    ("data_engineer", 0, 0.8),
                    ("data_scientist", 0, 0.5),
                ),
            ),
        ),
        0.015,
        (("GB", 0.7), ("PL", 0.3)),
    ),
    FunctionSpec(
        "Customer Experience",
        "customer_experience_director",
        "customer_support_manager",
        "crm_analyst",
        (
            TeamSpec(
                "Customer Support",
                "customer_support_team_lead",
                (("customer_support_rep", 4, 6.0), ("senior_customer_support_rep", 1, 1.0)),
                (6, 11),
                5.0,
            ),
            TeamSpec(
                "CRM Platform",
                "crm_manager",
                (
                    ("salesforce_administrator", 2, 2.0),
                    ("senior_salesforce_administrator", 1, 1.0),
                    ("crm_analyst", 1, 1.0),
                ),
                (4, 7),
                1.0,
            ),
        ),
        0.05,
        (("GB", 0.35), ("PL", 0.35), ("MX", 0.3)),
    ),
    FunctionSpec(
        "Supply Chain Planning",
        "supply_chain_director",
        "supply_chain_manager",
        "procurement_specialist",
        (
            TeamSpec(
                "Supply Chain Planning",
                "supply_chain_manager",
                (
                    ("supply_chain_analyst", 2, 2.0),
                    ("senior_supply_chain_analyst", 0, 0.6),
                    ("demand_planner", 1, 1.5),
                    ("procurement_specialist", 1, 1.0),
                    ("transport_planner", 1, 0.8),
                ),
            ),
        ),
        0.02,
        (("GB", 0.6), ("DE", 0.2), ("US", 0.2)),
    ),
    FunctionSpec(
        "Business Sales",
        "sales_director",
        "sales_manager",
        "account_manager",
        (
            TeamSpec(
                "Business Sales",
                "sales_manager",
                (("sales_representative", 3, 3.0), ("account_manager", 1, 1.0)),
            ),
        ),
        0.015,
        (("GB", 0.4), ("US", 0.3), ("DE", 0.15), ("FR", 0.15)),
    ),
    FunctionSpec(
        "Technology",
        "cto",
        "engineering_manager",
        "it_support_specialist",
        (
            TeamSpec(
                "Engineering",
                "engineering_manager",
                (
                    ("software_engineer_1", 1, 1.0),
                    ("software_engineer_2", 1, 1.5),
                    ("senior_software_engineer", 1, 1.2),
                    ("staff_software_engineer", 0, 0.3),
                    ("qa_engineer", 0, 0.6),
                    ("devops_engineer", 0, 0.5),
                ),
                (5, 9),
                2.0,
            ),
            TeamSpec(
                "IT Service Desk",
                "it_service_manager",
                (("it_support_specialist", 4, 1.0),),
                (5, 9),
                1.0,
            ),
        ),
        0.03,
        (("GB", 0.5), ("PL", 0.5)),
    ),
    FunctionSpec(
        "People & HR",
        "hr_director",
        "hr_manager",
        "hr_business_partner",
        (
            TeamSpec(
                "People",
                "hr_manager",
                (
                    ("hr_coordinator", 1, 1.5),
                    ("recruiter", 1, 1.5),
                    ("hr_business_partner", 1, 1.5),
                    ("ld_specialist", 1, 0.8),
                    ("payroll_specialist", 0, 0.5),
                ),
            ),
        ),
        0.015,
        (("GB", 0.4), ("US", 0.2), ("DE", 0.15), ("FR", 0.1), ("ES", 0.15)),
    ),
    FunctionSpec(
        "Finance",
        "finance_director",
        "finance_manager",
        "financial_analyst",
        (
            TeamSpec(
                "Finance",
                "finance_manager",
                (
                    ("accountant", 2, 2.0),
                    ("financial_analyst", 1, 1.5),
                    ("payroll_specialist", 0, 0.8),
                ),
            ),
        ),
        0.012,
        (("GB", 0.6), ("PL", 0.4)),
    ),
)

_STORE = SiteSpec(
    "Store",
    "store",
    "store_manager",
    "area_manager",
    "Area",
    (("visual_merchandiser", 1),),
    (
        TeamSpec(
            "Sales Floor",
            "sales_floor_supervisor",
            (("store_associate", 4, 6.0), ("cashier", 1, 1.5)),
            (5, 10),
        ),
        TeamSpec(
            "Stock & Click-and-Collect",
            "assistant_store_manager",
            (
                ("stock_controller", 1, 1.0),
                ("click_collect_associate", 1, 1.5),
                ("store_associate", 2, 2.0),
            ),
            (4, 7),
        ),
    ),
    0.62,
    scalable_team=0,
)
_DC = SiteSpec(
    "Distribution Centre",
    "distribution centre",
    "dc_manager",
    "dc_manager",
    "Logistics Region",
    (("inventory_controller", 1), ("logistics_coordinator", 1)),
    (
        TeamSpec(
            "Warehouse Shift",
            "warehouse_shift_supervisor",
            (("warehouse_associate", 4, 5.0), ("forklift_operator", 1, 1.5)),
            (6, 11),
        ),
        TeamSpec(
            "Transport & Inventory",
            "transport_planner",
            (
                ("logistics_coordinator", 1, 1.5),
                ("inventory_controller", 1, 1.0),
                ("warehouse_associate", 1, 1.0),
            ),
            (4, 7),
        ),
    ),
    0.16,
    min_country_weight=0.08,
    scalable_team=0,
)

RETAIL = Scenario(
    key="retail",
    company="Northwind Retail",
    email_domain="northwind-retail.example",
    default_employees=1500,
    countries=(GB, US, DE, FR, ES, MX, BR, PL),
    ceo="ceo",
    coo="coo",
    country_head="country_manager",
    country_filler="office_manager",
    functions=_RETAIL_FUNCTIONS,
    sites=(_STORE, _DC),
    priorities=(
        Priority(
            "E-commerce shift",
            "Grow online sales to 40% of revenue within two years: better digital marketing "
            "analytics, faster and cheaper fulfilment and last-mile logistics, a stronger web "
            "shop, and more people in the roles that run them.",
            24,
            (
                ("digital_marketing_analytics", 3.0),
                ("supply_chain_logistics", 3.0),
                ("ecommerce_platforms", 2.0),
                ("web_analytics", 2.0),
                ("order_fulfilment", 1.5),
                ("omnichannel_retail", 1.5),
            ),
            (
                ("digital_marketing_specialist", 2.0, 0.5),
                ("marketing_analyst", 2.0, 0.5),
                ("ecommerce_specialist", 2.0, 0.5),
                ("web_analyst", 2.0, 0.5),
                ("supply_chain_analyst", 2.0, 0.5),
                ("logistics_coordinator", 1.5, 0.4),
                ("transport_planner", 1.5, 0.3),
                ("ecommerce_manager", 1.5, 0.2),
            ),
        ),
    ),
    skill_shift={
        "digital_marketing_analytics": -0.34,
        "supply_chain_logistics": -0.32,
        "ecommerce_platforms": -0.1,
        "web_analytics": -0.1,
        "in_store_sales": 0.06,
        "customer_service": 0.05,
        "cash_handling": 0.05,
        "visual_merchandising": 0.04,
    },
    growth_roles={
        "digital_marketing_specialist": 0.6,
        "marketing_analyst": 0.6,
        "ecommerce_specialist": 0.6,
        "web_analyst": 0.6,
        "supply_chain_analyst": 0.5,
        "logistics_coordinator": 0.4,
        "click_collect_associate": 0.5,
    },
    annual_turnover={
        "Store Operations": 0.24,
        "Supply Chain": 0.17,
        "Customer Support": 0.2,
        "default": 0.1,
    },
)

# AEC: Stonebridge Engineering, offices delivering projects in several regions

_AEC_OFFICE = SiteSpec(
    "Office",
    "office",
    "operations_director",
    "operations_director",
    "Region",
    (("project_manager", 1),),
    (
        TeamSpec(
            "Civil Engineering",
            "senior_civil_engineer",
            (("civil_engineer", 2, 3.0), ("graduate_engineer", 1, 1.5), ("bim_technician", 0, 0.8)),
            (5, 9),
            1.0,
        ),
        TeamSpec(
            "Structural Engineering",
            "principal_engineer",
            (
                ("structural_engineer", 2, 3.0),
                ("senior_structural_engineer", 1, 1.0),
                ("graduate_engineer", 1, 1.0),
            ),
            (5, 9),
            1.0,
        ),
        TeamSpec(
            "Project Delivery",
            "senior_project_manager",
            (
                ("project_manager", 1, 2.0),
                ("project_engineer", 2, 2.0),
                ("quantity_surveyor", 1, 1.0),
                ("estimator", 0, 0.6),
            ),
            (5, 9),
            1.0,
        ),
        TeamSpec(
            "Site Operations",
            "site_manager",
            (("site_engineer", 2, 3.0), ("hse_advisor", 1, 1.0)),
            (5, 9),
            1.0,
        ),
    ),
    0.82,
    scalable_team=0,
)

AEC = Scenario(
    key="aec",
    company="Stonebridge Engineering",
    email_domain="stonebridge-eng.example",
    default_employees=800,
    countries=(GB, US, DE, AE, AU, CA, ES, FR),
    ceo="ceo",
    coo="coo",
    country_head="country_manager",
    country_filler="office_manager",
    functions=(
        FunctionSpec(
            "Digital Engineering",
            "cto",
            "bim_manager",
            "bim_coordinator",
            (
                TeamSpec(
                    "BIM",
                    "bim_manager",
                    (
                        ("bim_coordinator", 2, 2.0),
                        ("bim_technician", 2, 2.0),
                        ("architect", 0, 0.6),
                    ),
                ),
            ),
            0.05,
            (("GB", 0.6), ("AE", 0.2), ("US", 0.2)),
        ),
        FunctionSpec(
            "Commercial",
            "finance_director",
            "commercial_manager",
            "estimator",
            (
                TeamSpec(
                    "Commercial",
                    "commercial_manager",
                    (
                        ("quantity_surveyor", 2, 2.0),
                        ("estimator", 1, 1.0),
                        ("accountant", 1, 1.0),
                        ("financial_analyst", 0, 0.5),
                    ),
                ),
            ),
            0.05,
            (("GB", 0.6), ("US", 0.4)),
        ),
        FunctionSpec(
            "People & HR",
            "hr_director",
            "hr_manager",
            "hr_business_partner",
            (
                TeamSpec(
                    "People",
                    "hr_manager",
                    (
                        ("hr_coordinator", 1, 1.0),
                        ("recruiter", 1, 1.0),
                        ("hr_business_partner", 1, 1.0),
                        ("ld_specialist", 1, 1.0),
                    ),
                ),
            ),
            0.03,
            (("GB", 0.6), ("US", 0.4)),
        ),
        FunctionSpec(
            "IT",
            "it_service_manager",
            "it_service_manager",
            "it_support_specialist",
            (
                TeamSpec(
                    "IT Service Desk",
                    "it_service_manager",
                    (("it_support_specialist", 3, 2.0), ("devops_engineer", 0, 0.5)),
                ),
            ),
            0.02,
            (("GB", 1.0),),
        ),
    ),
    sites=(_AEC_OFFICE,),
    priorities=(
        Priority(
            "Digital delivery and net zero",
            "Deliver every project in BIM to ISO 19650 and cut embodied carbon: more BIM "
            "coordination, digital twins and sustainable design across disciplines.",
            30,
            (
                ("bim", 2.5),
                ("bim_coordination", 2.5),
                ("iso_19650", 2.0),
                ("digital_twins", 2.0),
                ("sustainable_construction", 2.0),
            ),
            (
                ("bim_coordinator", 2.0, 0.5),
                ("bim_manager", 1.5, 0.3),
                ("senior_civil_engineer", 1.5, 0.2),
                ("senior_structural_engineer", 1.5, 0.2),
            ),
        ),
    ),
    skill_shift={
        "bim_coordination": -0.2,
        "iso_19650": -0.2,
        "digital_twins": -0.25,
        "sustainable_construction": -0.2,
        "site_safety": 0.05,
        "structural_analysis": 0.04,
    },
    growth_roles={"bim_coordinator": 0.5, "bim_technician": 0.3},
    story_employee_role="civil_engineer",
    story_target_role="bim_coordinator",
    story_second_role="graduate_engineer",
    story_second_target="structural_engineer",
    aspiration_share=0.45,
    annual_turnover={"default": 0.11},
)

# Tech: Lumen Software, engineering-heavy, with mentoring both ways

_TECH_ENGINEERING = TeamSpec(
    "Product Engineering",
    "engineering_manager",
    (
        ("software_engineer_1", 1, 1.5),
        ("software_engineer_2", 2, 2.0),
        ("senior_software_engineer", 1, 1.5),
        ("staff_software_engineer", 0, 0.4),
        ("qa_engineer", 0, 0.5),
        ("mobile_engineer", 0, 0.5),
    ),
    (5, 9),
    4.0,
)

TECH = Scenario(
    key="tech",
    company="Lumen Software",
    email_domain="lumen-software.example",
    default_employees=600,
    countries=(US, GB, DE, PL, IN, BR, ES, CA),
    ceo="ceo",
    coo=None,
    country_head="country_manager",
    country_filler="office_manager",
    functions=(
        FunctionSpec(
            "Engineering",
            "cto",
            "director_of_engineering",
            "staff_software_engineer",
            (
                _TECH_ENGINEERING,
                TeamSpec(
                    "Platform & Reliability",
                    "engineering_manager",
                    (
                        ("site_reliability_engineer", 2, 2.0),
                        ("devops_engineer", 1, 1.5),
                        ("security_engineer", 1, 0.8),
                        ("software_engineer_2", 0, 0.5),
                    ),
                    (5, 8),
                    1.0,
                ),
            ),
            0.5,
            (("US", 0.3), ("PL", 0.25), ("IN", 0.25), ("GB", 0.1), ("BR", 0.1)),
        ),
        FunctionSpec(
            "Product & Design",
            "senior_product_manager",
            "design_manager",
            "ux_researcher",
            (
                TeamSpec(
                    "Product", "senior_product_manager", (("product_manager", 3, 2.0),), (4, 7), 1.0
                ),
                TeamSpec(
                    "Design",
                    "design_manager",
                    (
                        ("product_designer", 2, 2.0),
                        ("senior_product_designer", 1, 1.0),
                        ("ux_researcher", 1, 0.8),
                    ),
                    (4, 8),
                    1.0,
                ),
            ),
            0.1,
            (("US", 0.5), ("GB", 0.3), ("DE", 0.2)),
        ),
        FunctionSpec(
            "Data",
            "head_of_data",
            "analytics_manager",
            "data_analyst",
            (
                TeamSpec(
                    "Data",
                    "analytics_manager",
                    (
                        ("data_analyst", 1, 1.5),
                        ("senior_data_analyst", 1, 1.0),
                        ("data_scientist", 1, 1.5),
                        ("data_engineer", 1, 1.2),
                    ),
                ),
            ),
            0.07,
            (("US", 0.4), ("PL", 0.3), ("IN", 0.3)),
        ),
        FunctionSpec(
            "Go-to-Market",
            "sales_director",
            "sales_manager",
            "customer_success_manager",
            (
                TeamSpec(
                    "Sales",
                    "sales_manager",
                    (("sales_representative", 3, 2.0), ("account_manager", 1, 1.0)),
                    (5, 9),
                    2.0,
                ),
                TeamSpec(
                    "Customer Success",
                    "customer_support_manager",
                    (("customer_success_manager", 2, 2.0), ("customer_support_rep", 2, 2.0)),
                    (5, 9),
                    1.0,
                ),
                TeamSpec(
                    "Marketing",
                    "marketing_manager",
                    (
                        ("marketing_coordinator", 1, 1.0),
                        ("digital_marketing_specialist", 1, 1.0),
                        ("content_marketing_specialist", 1, 1.0),
                    ),
                    (4, 7),
                    1.0,
                ),
            ),
            0.16,
            (("US", 0.5), ("GB", 0.2), ("DE", 0.15), ("BR", 0.15)),
        ),
        FunctionSpec(
            "People & Finance",
            "hr_director",
            "hr_manager",
            "hr_business_partner",
            (
                TeamSpec(
                    "People",
                    "hr_manager",
                    (
                        ("recruiter", 2, 2.0),
                        ("hr_business_partner", 1, 1.0),
                        ("ld_specialist", 1, 0.6),
                        ("hr_coordinator", 1, 1.0),
                    ),
                ),
                TeamSpec(
                    "Finance",
                    "finance_manager",
                    (
                        ("accountant", 1, 1.0),
                        ("financial_analyst", 1, 1.0),
                        ("payroll_specialist", 1, 0.6),
                    ),
                ),
            ),
            0.06,
            (("US", 0.6), ("GB", 0.2), ("PL", 0.2)),
        ),
        FunctionSpec(
            "IT",
            "it_service_manager",
            "it_service_manager",
            "it_support_specialist",
            (
                TeamSpec(
                    "IT Service Desk",
                    "it_service_manager",
                    (("it_support_specialist", 3, 1.0),),
                    (4, 6),
                ),
            ),
            0.02,
            (("US", 0.5), ("PL", 0.5)),
        ),
    ),
    sites=(),
    priorities=(
        Priority(
            "AI-assisted product",
            "Ship AI features safely and use AI tools across engineering: generative AI, "
            "prompt engineering, MLOps and vector search.",
            18,
            (
                ("generative_ai", 3.0),
                ("prompt_engineering", 2.5),
                ("mlops", 2.5),
                ("vector_search", 2.0),
                ("ai_fluency", 1.5),
            ),
            (
                ("data_scientist", 2.0, 0.4),
                ("senior_software_engineer", 1.5, 0.2),
                ("site_reliability_engineer", 1.5, 0.2),
            ),
        ),
        Priority(
            "Leadership pipeline",
            "Grow the next engineering and product leaders from within.",
            36,
            (
                ("people_management", 2.0),
                ("coaching", 2.0),
                ("decision_making", 1.5),
                ("hybrid_team_management", 1.5),
                ("emotional_intelligence", 1.5),
            ),
            (
                ("engineering_manager", 2.0, 0.2),
                ("director_of_engineering", 2.0, 0.1),
                ("senior_product_manager", 1.5, 0.1),
            ),
        ),
    ),
    skill_shift={
        "generative_ai": -0.2,
        "prompt_engineering": -0.15,
        "mlops": -0.2,
        "vector_search": -0.2,
    },
    growth_roles={"data_scientist": 0.5, "site_reliability_engineer": 0.3},
    emerging_skills=(
        "generative_ai",
        "prompt_engineering",
        "vector_search",
        "mlops",
        "typescript",
        "kubernetes",
    ),
    emerging_families=("Engineering", "Data & Analytics", "Product", "Design"),
    story_employee_role="software_engineer_2",
    story_target_role="senior_software_engineer",
    story_second_role="marketing_coordinator",
    story_second_target="data_analyst",
    aspiration_share=0.4,
    annual_turnover={"default": 0.12},
)

SCENARIOS: dict[str, Scenario] = {s.key: s for s in (RETAIL, AEC, TECH)}
