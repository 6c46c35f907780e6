"""The demo's role library: families, levels and skill profiles (target level and importance).

A profile is written as `"skill_key 4E other_key 3I …"`: the target on the 5-point scale (1–5,
stored as level / 5 on the latent scale) and the importance (E essential 0.9, I important 0.6,
N nice to have 0.3). Scenarios pick the roles their organisation uses.
"""

from __future__ import annotations

from dataclasses import dataclass

from skillpath.demo.taxonomy import SKILLS

IMPORTANCE = {"E": 0.9, "I": 0.6, "N": 0.3}


@dataclass(frozen=True)
class ProfileLine:
    """One line of a role's skill profile."""

    skill: str
    target: float
    importance: float

    @property
    def essential(self) -> bool:
        """Essential lines are the ones a role cannot do without."""
        return self.importance >= IMPORTANCE["E"]


@dataclass(frozen=True)
class DemoRole:
    """A role of the library."""

    key: str
    title: str
    family: str
    level: int
    description: str
    profile: tuple[ProfileLine, ...]
    aliases: tuple[str, ...] = ()
    critical: bool = False


def _profile(text: str) -> tuple[ProfileLine, ...]:
    """Parse `"key 4E key 3I …"` into profile lines."""
    tokens = text.split()
    if len(tokens) % 2:
        raise ValueError(f"odd profile: {text}")
    lines = []
    for key, spec in zip(tokens[::2], tokens[1::2], strict=True):
        lines.append(ProfileLine(key, int(spec[0]) / 5, IMPORTANCE[spec[1]]))
    return tuple(lines)


def _role(
    key: str,
    title: str,
    family: str,
    level: int,
    description: str,
    profile: str,
    aliases: tuple[str, ...] = (),
    *,
    critical: bool = False,
) -> DemoRole:
    return DemoRole(key, title, family, level, description, _profile(profile), aliases, critical)


_COMMON_FRONTLINE = "communication 3I teamwork 3I"
_COMMON_LEAD = "people_management 4E coaching 3I performance_management 3I"

ROLES: tuple[DemoRole, ...] = (
    # Store operations
    _role(
        "store_associate",
        "Store Associate",
        "Store Operations",
        1,
        "Serves customers on the shop floor, keeps shelves full and tidy, works the till.",
        "in_store_sales 3E customer_service 3E product_knowledge 3I cash_handling 3I "
        "stock_management 2I planogram_compliance 2N handling_objections 2N "
        "health_and_safety 2I " + _COMMON_FRONTLINE,
        ("Sales Associate", "Retail Assistant"),
    ),
    _role(
        "cashier",
        "Cashier",
        "Store Operations",
        1,
        "Runs the tills and self-checkout, handles payments and refunds.",
        "cash_handling 3E customer_service 3E returns_processing 3I loss_prevention 2I "
        "pci_dss 2I attention_to_detail 3I " + _COMMON_FRONTLINE,
        ("Checkout Operator",),
    ),
    _role(
        "click_collect_associate",
        "Click & Collect Associate",
        "Store Operations",
        1,
        "Picks online orders in store and hands them over at the click-and-collect desk.",
        "order_fulfilment 3E customer_service 3E stock_management 3I omnichannel_retail 2I "
        "ecommerce_platforms 1N attention_to_detail 3I " + _COMMON_FRONTLINE,
        ("Online Order Picker",),
    ),
    _role(
        "visual_merchandiser",
        "Visual Merchandiser",
        "Store Operations",
        2,
        "Designs windows and displays and keeps the store on plan.",
        "visual_merchandising 4E planogram_compliance 3E product_knowledge 3I creativity 3I "
        "retail_kpis 2I in_store_sales 2N brand_management 2N " + _COMMON_FRONTLINE,
    ),
    _role(
        "stock_controller",
        "Stock Controller",
        "Store Operations",
        2,
        "Owns deliveries, counts and replenishment for a store.",
        "stock_management 4E inventory_optimisation 2I erp_systems 2I loss_prevention 3I "
        "excel 2N attention_to_detail 3E manual_handling 3I health_and_safety 2I",
    ),
    _role(
        "sales_floor_supervisor",
        "Sales Floor Supervisor",
        "Store Operations",
        3,
        "Leads a shift of associates on the floor and coaches them to sell.",
        "in_store_sales 4E people_management 3E coaching 3I shift_scheduling 3I "
        "retail_kpis 3I customer_service 4I handling_objections 3I complaint_handling 3I "
        "health_and_safety 3I",
        ("Floor Supervisor", "Team Leader (Store)"),
    ),
    _role(
        "assistant_store_manager",
        "Assistant Store Manager",
        "Store Operations",
        3,
        "Runs the store with the Store Manager and leads the stock and fulfilment team.",
        "store_operations 3E people_management 3E retail_kpis 3I shift_scheduling 3I "
        "stock_management 3I order_fulfilment 3I omnichannel_retail 2I loss_prevention 3I "
        "coaching 3N",
        ("Deputy Store Manager",),
    ),
    _role(
        "store_manager",
        "Store Manager",
        "Store Operations",
        4,
        "Accountable for a store's sales, people, stock and standards.",
        "store_operations 4E retail_kpis 4E " + _COMMON_LEAD + " budget_management 3I "
        "in_store_sales 4I omnichannel_retail 3I loss_prevention 3I health_and_safety 3I "
        "business_acumen 3I",
        ("Shop Manager",),
        critical=True,
    ),
    _role(
        "area_manager",
        "Area Manager",
        "Store Operations",
        5,
        "Leads a group of store managers across an area.",
        "store_operations 4E retail_kpis 4E people_management 4E coaching 4I "
        "strategic_thinking 3I budget_management 3I change_management 3I omnichannel_retail 3I "
        "business_acumen 4I talent_development 3I",
        ("District Manager",),
        critical=True,
    ),
    # Supply chain and logistics
    _role(
        "warehouse_associate",
        "Warehouse Associate",
        "Supply Chain",
        1,
        "Receives, stores, picks and packs goods in a distribution centre.",
        "warehouse_operations 3E manual_handling 3E order_fulfilment 3I wms 2I "
        "health_and_safety 3E attention_to_detail 3I teamwork 3I",
        ("Warehouse Operative", "Picker Packer"),
    ),
    _role(
        "forklift_operator",
        "Forklift Operator",
        "Supply Chain",
        1,
        "Moves pallets safely around the distribution centre.",
        "forklift_operation 4E warehouse_operations 3I health_and_safety 3E wms 2N "
        "manual_handling 3I attention_to_detail 3I teamwork 3N",
    ),
    _role(
        "inventory_controller",
        "Inventory Controller",
        "Supply Chain",
        2,
        "Keeps the distribution centre's stock records accurate.",
        "inventory_optimisation 3E wms 3E stock_management 4I excel 3I erp_systems 3I "
        "data_analysis 2N attention_to_detail 4E reverse_logistics 2N",
    ),
    _role(
        "logistics_coordinator",
        "Logistics Coordinator",
        "Supply Chain",
        2,
        "Books carriers, tracks shipments and fixes delivery problems.",
        "supply_chain_logistics 4E transport_planning 3E last_mile_delivery 3I excel 3I "
        "erp_systems 3I supplier_management 2I problem_solving 3I customs_trade 2N "
        "stakeholder_communication 3I",
        ("Logistics Administrator",),
    ),
    _role(
        "warehouse_shift_supervisor",
        "Warehouse Shift Supervisor",
        "Supply Chain",
        3,
        "Leads a warehouse shift to hit its targets safely.",
        "warehouse_operations 4E people_management 3E health_and_safety 4E lean_operations 3I "
        "shift_scheduling 3I wms 3I supply_chain_logistics 3I coaching 3N",
    ),
    _role(
        "transport_planner",
        "Transport Planner",
        "Supply Chain",
        3,
        "Plans routes and loads for store and home deliveries.",
        "transport_planning 4E supply_chain_logistics 4E last_mile_delivery 4I excel 3I "
        "data_analysis 3I erp_systems 3I cost_control 3I sustainability 2N",
    ),
    _role(
        "supply_chain_analyst",
        "Supply Chain Analyst",
        "Supply Chain",
        2,
        "Analyses flows, stock and service levels and proposes improvements.",
        "supply_chain_logistics 4E data_analysis 4E excel 4E sql 3I demand_planning 3I "
        "inventory_optimisation 3I forecasting 3I data_visualisation 3I "
        "stakeholder_communication 3I erp_systems 2N python_data 2N",
        ("Logistics Analyst",),
    ),
    _role(
        "senior_supply_chain_analyst",
        "Senior Supply Chain Analyst",
        "Supply Chain",
        3,
        "Leads supply chain analyses and models network changes.",
        "supply_chain_logistics 5E data_analysis 4E sql 4I excel 4I forecasting 4I "
        "inventory_optimisation 4I sop_planning 3I python_data 3I data_storytelling 3I "
        "mentoring 3N",
    ),
    _role(
        "demand_planner",
        "Demand Planner",
        "Supply Chain",
        3,
        "Forecasts demand by product and channel and sets stock plans.",
        "demand_planning 4E forecasting 4E sop_planning 3I excel 4I statistics 3I "
        "inventory_optimisation 3I erp_systems 3I stakeholder_communication 3I "
        "supply_chain_logistics 3I",
    ),
    _role(
        "procurement_specialist",
        "Procurement Specialist",
        "Supply Chain",
        2,
        "Sources goods and services and negotiates with suppliers.",
        "procurement 4E supplier_management 3E negotiation 3I contract_management 2I excel 3I "
        "erp_systems 3I sustainability 2N anti_bribery 3I",
    ),
    _role(
        "supply_chain_manager",
        "Supply Chain Manager",
        "Supply Chain",
        4,
        "Leads supply chain planning and analysis.",
        "supply_chain_logistics 5E sop_planning 4E " + _COMMON_LEAD + " demand_planning 4I "
        "stakeholder_management 4I budget_management 3I data_analysis 3I",
        critical=True,
    ),
    _role(
        "dc_manager",
        "Distribution Centre Manager",
        "Supply Chain",
        5,
        "Runs a distribution centre: people, safety, cost and service.",
        "warehouse_operations 5E supply_chain_logistics 4E people_management 4E "
        "health_and_safety 4E lean_operations 4I budget_management 4I change_management 3I "
        "coaching 3I",
        critical=True,
    ),
    _role(
        "supply_chain_director",
        "Supply Chain Director",
        "Supply Chain",
        6,
        "Sets supply chain strategy across the network.",
        "supply_chain_logistics 5E strategic_thinking 5E people_management 4E "
        "stakeholder_management 4I sop_planning 4I change_management 4I budget_management 4I "
        "sustainability 3I",
        critical=True,
    ),
    # Marketing
    _role(
        "marketing_coordinator",
        "Marketing Coordinator",
        "Marketing",
        1,
        "Coordinates campaigns, assets and schedules across channels.",
        "campaign_management 3E digital_marketing 3E social_media_marketing 3I "
        "email_marketing 3I copywriting 3I excel 2I content_marketing 2I "
        "digital_marketing_analytics 2N stakeholder_communication 3I time_management 3I",
        ("Marketing Assistant",),
    ),
    _role(
        "digital_marketing_specialist",
        "Digital Marketing Specialist",
        "Marketing",
        2,
        "Runs paid, social and e-mail campaigns and optimises them on the numbers.",
        "digital_marketing_analytics 4E digital_marketing 4E sem 3I social_media_marketing 3I "
        "email_marketing 3I ab_testing 3I web_analytics 3I marketing_automation 3I "
        "customer_segmentation 3I excel 3N",
        ("Performance Marketer",),
    ),
    _role(
        "content_marketing_specialist",
        "Content Marketing Specialist",
        "Marketing",
        2,
        "Plans and produces content for web, social and e-mail.",
        "content_marketing 4E copywriting 4E seo 3I social_media_marketing 3I "
        "brand_management 3I digital_marketing_analytics 2I creativity 3I",
    ),
    _role(
        "seo_specialist",
        "SEO Specialist",
        "Marketing",
        2,
        "Grows organic traffic to the web shop.",
        "seo 4E web_analytics 4E content_marketing 3I digital_marketing_analytics 3I "
        "ecommerce_platforms 2I excel 3I ab_testing 2N",
    ),
    _role(
        "marketing_analyst",
        "Marketing Analyst",
        "Marketing",
        2,
        "Measures marketing performance and attribution and advises on spend.",
        "digital_marketing_analytics 4E data_analysis 4E excel 4I sql 3I web_analytics 4I "
        "customer_segmentation 3I ab_testing 3I data_visualisation 3I statistics 3I "
        "data_storytelling 3N",
    ),
    _role(
        "marketing_manager",
        "Marketing Manager",
        "Marketing",
        4,
        "Leads a marketing team and its plan and budget.",
        "marketing_strategy 4E digital_marketing_analytics 4E " + _COMMON_LEAD + " "
        "campaign_management 4I budget_management 3I brand_management 3I "
        "digital_marketing 4I stakeholder_management 3I",
    ),
    _role(
        "marketing_director",
        "Marketing Director",
        "Marketing",
        6,
        "Sets the marketing strategy and leads the function.",
        "marketing_strategy 5E brand_management 4E people_management 4E "
        "digital_marketing_analytics 4I strategic_thinking 4I budget_management 4I "
        "change_management 3I business_acumen 4I",
        critical=True,
    ),
    # E-commerce
    _role(
        "ecommerce_specialist",
        "E-commerce Specialist",
        "E-commerce",
        2,
        "Runs the web shop day to day: catalogue, promotions and conversion.",
        "ecommerce_platforms 4E web_analytics 4E online_merchandising 3I "
        "conversion_rate_optimisation 3I digital_marketing_analytics 3I "
        "product_information_management 3I excel 3I ab_testing 2N omnichannel_retail 3I",
        ("Online Trading Executive",),
    ),
    _role(
        "web_analyst",
        "Web Analyst",
        "E-commerce",
        2,
        "Tracks and analyses the customer journey on web and app.",
        "web_analytics 5E digital_marketing_analytics 4E ab_testing 4I sql 3I excel 3I "
        "data_visualisation 3I statistics 3I conversion_rate_optimisation 3I",
        ("Digital Analyst",),
    ),
    _role(
        "ecommerce_merchandiser",
        "E-commerce Merchandiser",
        "E-commerce",
        2,
        "Curates ranges and pages so online customers find what sells.",
        "online_merchandising 4E ecommerce_platforms 3E product_information_management 3I "
        "web_analytics 3I product_knowledge 3I marketplace_management 2I excel 3N",
    ),
    _role(
        "ecommerce_manager",
        "E-commerce Manager",
        "E-commerce",
        4,
        "Leads the online trading team and owns online sales.",
        "ecommerce_platforms 4E web_analytics 4E digital_marketing_analytics 4E "
        + _COMMON_LEAD
        + " conversion_rate_optimisation 3I omnichannel_retail 4I "
        "budget_management 3I",
        critical=True,
    ),
    _role(
        "ecommerce_director",
        "E-commerce Director",
        "E-commerce",
        6,
        "Sets the online strategy and leads the e-commerce function.",
        "omnichannel_retail 5E ecommerce_platforms 4E strategic_thinking 5E "
        "people_management 4E digital_marketing_analytics 4I change_management 4I "
        "business_acumen 4I supply_chain_logistics 3I",
        critical=True,
    ),
    # Data and analytics
    _role(
        "data_analyst",
        "Data Analyst",
        "Data & Analytics",
        2,
        "Answers business questions with data, dashboards and clear recommendations.",
        "data_analysis 4E excel 3E sql 3E statistics 3I tableau 3I python_data 3I "
        "r_programming 3I data_cleaning 3I data_storytelling 3I stakeholder_communication 3I "
        "business_acumen 2N",
        ("Business Analyst (Data)", "Reporting Analyst"),
    ),
    _role(
        "senior_data_analyst",
        "Senior Data Analyst",
        "Data & Analytics",
        3,
        "Leads complex analyses and mentors analysts.",
        "data_analysis 5E sql 4E python_data 4I statistics 4E tableau 4I data_storytelling 4I "
        "experiment_design 3I data_modelling 3I mentoring 3I stakeholder_management 3I "
        "r_programming 3N",
    ),
    _role(
        "bi_developer",
        "BI Developer",
        "Data & Analytics",
        3,
        "Builds the data models and dashboards the business runs on.",
        "business_intelligence 4E sql 4E data_modelling 4E tableau 4I power_bi 3I "
        "etl_pipelines 3I data_visualisation 4I data_governance 2N",
    ),
    _role(
        "data_engineer",
        "Data Engineer",
        "Data & Analytics",
        3,
        "Builds and runs the data pipelines and warehouse.",
        "etl_pipelines 4E sql 4E python_engineering 4E data_modelling 3I dbt 3I spark 3I "
        "cloud_computing 3I data_governance 3N git 3I",
    ),
    _role(
        "data_scientist",
        "Data Scientist",
        "Data & Analytics",
        3,
        "Builds predictive models and experiments that change decisions.",
        "machine_learning 4E statistics 4E python_data 4E sql 3I experiment_design 3I "
        "forecasting 3I data_storytelling 3I mlops 2N generative_ai 2N",
    ),
    _role(
        "analytics_manager",
        "Analytics Manager",
        "Data & Analytics",
        4,
        "Leads an analytics team and its roadmap.",
        "data_analysis 4E " + _COMMON_LEAD + " stakeholder_management 4I sql 3I "
        "data_storytelling 4I business_intelligence 3I business_acumen 3I ai_fluency 3I",
        critical=True,
    ),
    _role(
        "head_of_data",
        "Head of Data & Analytics",
        "Data & Analytics",
        6,
        "Sets the data strategy and leads the data function.",
        "data_governance 4E strategic_thinking 5E people_management 4E ai_fluency 4E "
        "stakeholder_management 4I business_intelligence 4I machine_learning 3I "
        "change_management 3I",
        ("Chief Data Officer",),
        critical=True,
    ),
    # CRM
    _role(
        "crm_analyst",
        "CRM Analyst",
        "CRM",
        2,
        "Analyses customer data and campaigns in the CRM.",
        "crm 4E customer_segmentation 3E data_analysis 3I salesforce_reports 3I sql 3I "
        "excel 3I email_marketing 2N data_quality_management 3I",
    ),
    _role(
        "salesforce_administrator",
        "Salesforce Administrator",
        "CRM",
        2,
        "Configures and supports Salesforce for sales and service teams.",
        "salesforce_administration 4E crm 4E salesforce_reports 4E workflow_automation 3I "
        "data_quality_management 3I user_access_management 3I requirements_gathering 3I "
        "stakeholder_communication 3N customer_service 2N",
        ("CRM Administrator", "Salesforce Admin"),
    ),
    _role(
        "senior_salesforce_administrator",
        "Senior Salesforce Administrator",
        "CRM",
        3,
        "Owns the Salesforce platform's design and mentors admins.",
        "salesforce_administration 5E crm 4E salesforce_reports 4I workflow_automation 4E "
        "user_access_management 4I data_quality_management 4I requirements_gathering 4I "
        "mentoring 3I system_design 2N",
    ),
    _role(
        "crm_manager",
        "CRM Manager",
        "CRM",
        4,
        "Leads CRM platform and customer-data work.",
        "crm 5E " + _COMMON_LEAD + " salesforce_administration 3I customer_segmentation 3I "
        "stakeholder_management 4I data_governance 3I budget_management 3N",
    ),
    # Customer support
    _role(
        "customer_support_rep",
        "Customer Support Rep",
        "Customer Support",
        1,
        "Helps customers by phone, chat and e-mail and logs every case in the CRM.",
        "customer_service 4E complaint_handling 3E crm 2I ticketing_systems 3I "
        "live_chat_support 3I phone_etiquette 3I customer_empathy 3I returns_processing 3I "
        "product_knowledge 3I data_protection 2I",
        ("Customer Service Representative", "Customer Support Agent"),
    ),
    _role(
        "senior_customer_support_rep",
        "Senior Customer Support Rep",
        "Customer Support",
        2,
        "Handles escalations and helps newer reps.",
        "customer_service 4E complaint_handling 4E de_escalation 3E crm 3I "
        "first_contact_resolution 3I knowledge_base_writing 3I mentoring 2I "
        "ticketing_systems 3I product_knowledge 4I",
    ),
    _role(
        "customer_support_team_lead",
        "Customer Support Team Lead",
        "Customer Support",
        3,
        "Leads a team of reps to fast, friendly resolution.",
        "customer_service 4E people_management 3E coaching 3I performance_management 3I "
        "crm 3I first_contact_resolution 3I de_escalation 4I shift_scheduling 3I "
        "data_analysis 2N",
        ("Contact Centre Team Leader",),
    ),
    _role(
        "customer_support_manager",
        "Customer Support Manager",
        "Customer Support",
        4,
        "Runs customer support: service levels, quality and people.",
        "customer_service 5E " + _COMMON_LEAD + " crm 3I workflow_automation 2N "
        "stakeholder_management 3I budget_management 3I data_analysis 3I",
    ),
    _role(
        "customer_experience_director",
        "Customer Experience Director",
        "Customer Support",
        6,
        "Owns the customer experience across service and CRM.",
        "customer_service 5E strategic_thinking 4E people_management 4E crm 4I "
        "change_management 4I omnichannel_retail 3I budget_management 4I ai_fluency 3I",
        critical=True,
    ),
    # Sales
    _role(
        "sales_representative",
        "Sales Representative",
        "Sales",
        1,
        "Prospects and sells to business customers by phone and in person, working in the CRM.",
        "prospecting 3E handling_objections 3E consultative_selling 3E crm 3I "
        "product_knowledge 3I negotiation 2I closing_sales 3I sales_pipeline_management 2I "
        "communication 4I",
        ("Sales Rep", "Business Development Representative"),
    ),
    _role(
        "account_manager",
        "Account Manager",
        "Sales",
        2,
        "Grows relationships with existing business customers.",
        "account_management 4E consultative_selling 4E negotiation 3I crm 3I "
        "handling_objections 4I sales_pipeline_management 3I stakeholder_management 3I "
        "business_acumen 3I",
    ),
    _role(
        "sales_manager",
        "Sales Manager",
        "Sales",
        4,
        "Leads a sales team to its targets.",
        "sales_pipeline_management 4E " + _COMMON_LEAD + " negotiation 4I crm 3I "
        "forecasting 2N handling_objections 4I business_acumen 3I",
    ),
    _role(
        "sales_director",
        "Sales Director",
        "Sales",
        6,
        "Sets the sales strategy for business customers.",
        "strategic_thinking 4E people_management 4E negotiation 4I "
        "sales_pipeline_management 4I business_acumen 4I stakeholder_management 4I "
        "change_management 3I",
        critical=True,
    ),
    # Engineering
    _role(
        "software_engineer_1",
        "Software Engineer I",
        "Engineering",
        1,
        "Builds well-scoped features with guidance.",
        "programming_fundamentals 3E python_engineering 2I javascript 2I git 3E "
        "software_testing 2I debugging 3I code_review 2N agile_delivery 2I databases 2N "
        "teamwork 3I",
        ("Junior Software Engineer", "Graduate Developer"),
    ),
    _role(
        "software_engineer_2",
        "Software Engineer II",
        "Engineering",
        2,
        "Builds features end to end and owns their quality.",
        "programming_fundamentals 4E python_engineering 3E javascript 3I typescript 2I git 4I "
        "software_testing 3E api_design 3I code_review 3I debugging 3I databases 3I "
        "cloud_computing 2N ci_cd 2N",
        ("Software Developer",),
    ),
    _role(
        "senior_software_engineer",
        "Senior Software Engineer",
        "Engineering",
        3,
        "Designs and leads delivery of significant systems; mentors engineers.",
        "system_design 4E python_engineering 4E api_design 4I software_testing 4I "
        "code_review 4E cloud_computing 3I ci_cd 3I secure_coding 3I mentoring 3I "
        "performance_engineering 3N observability 3N generative_ai 2N",
        ("Senior Developer",),
    ),
    _role(
        "staff_software_engineer",
        "Staff Software Engineer",
        "Engineering",
        4,
        "Shapes architecture across teams and raises the engineering bar.",
        "system_design 5E api_design 4E code_review 4I cloud_computing 4I mentoring 4E "
        "performance_engineering 4I secure_coding 4I stakeholder_communication 3I "
        "strategic_thinking 3I technical_writing 3N",
        ("Principal Engineer",),
    ),
    _role(
        "qa_engineer",
        "QA Engineer",
        "Engineering",
        2,
        "Designs and automates tests and guards release quality.",
        "software_testing 4E programming_fundamentals 3I attention_to_detail 4E ci_cd 3I "
        "javascript 2I agile_delivery 3I debugging 3I",
        ("Test Engineer",),
    ),
    _role(
        "devops_engineer",
        "DevOps Engineer",
        "Engineering",
        3,
        "Builds the platform, pipelines and monitoring that keep software running.",
        "ci_cd 4E cloud_computing 4E infrastructure_as_code 4E docker 4I kubernetes 3I "
        "linux 4I observability 3I incident_management 3I aws 3I",
        ("Platform Engineer",),
    ),
    _role(
        "site_reliability_engineer",
        "Site Reliability Engineer",
        "Engineering",
        3,
        "Keeps production reliable with SLOs, automation and incident response.",
        "observability 4E incident_management 4E kubernetes 4I linux 4I go_lang 3I "
        "infrastructure_as_code 3I networking 3I performance_engineering 3I aws 3I",
        ("SRE",),
    ),
    _role(
        "security_engineer",
        "Security Engineer",
        "Engineering",
        3,
        "Finds and fixes security weaknesses in systems and code.",
        "cybersecurity 4E secure_coding 4E networking 3I cloud_computing 3I "
        "incident_management 3I risk_management 3I linux 3N",
    ),
    _role(
        "mobile_engineer",
        "Mobile Engineer",
        "Engineering",
        2,
        "Builds the iOS and Android apps.",
        "mobile_development 4E programming_fundamentals 4E api_design 3I software_testing 3I "
        "git 3I ux_design 2N accessibility 2N",
    ),
    _role(
        "engineering_manager",
        "Engineering Manager",
        "Engineering",
        4,
        "Leads an engineering team: people, delivery and technical health.",
        _COMMON_LEAD + " agile_delivery 4E system_design 3I stakeholder_management 3I "
        "talent_development 3I hybrid_team_management 3I mentoring 3N",
        ("Software Development Manager",),
        critical=True,
    ),
    _role(
        "director_of_engineering",
        "Director of Engineering",
        "Engineering",
        5,
        "Leads several engineering teams and their managers.",
        "people_management 5E strategic_thinking 4E talent_development 4E "
        "change_management 4I system_design 3I budget_management 3I "
        "hybrid_team_management 4I decision_making 4I",
        critical=True,
    ),
    _role(
        "cto",
        "Chief Technology Officer",
        "Engineering",
        6,
        "Sets the technology strategy and leads the technology function.",
        "strategic_thinking 5E people_management 4E system_design 4I cybersecurity 3I "
        "ai_fluency 4I change_management 4I budget_management 4I decision_making 4I",
        ("CTO", "Technology Director"),
        critical=True,
    ),
    _role(
        "it_support_specialist",
        "IT Support Specialist",
        "Engineering",
        1,
        "Keeps colleagues' devices, accounts and tills working.",
        "it_support 4E networking 2I customer_service 3I ticketing_systems 3I linux 2N "
        "cybersecurity 2I problem_solving 3I",
        ("Service Desk Analyst",),
    ),
    _role(
        "it_service_manager",
        "IT Service Manager",
        "Engineering",
        4,
        "Leads IT support and service management.",
        "it_support 4E " + _COMMON_LEAD + " incident_management 4I cybersecurity 3I "
        "stakeholder_management 3I budget_management 3N",
    ),
    # Product and design
    _role(
        "product_manager",
        "Product Manager",
        "Product",
        3,
        "Decides what the team builds and why, and measures the outcome.",
        "product_management 4E product_discovery 4E roadmapping 3I stakeholder_management 4I "
        "data_analysis 3I user_research 3I agile_delivery 3I ab_testing 3N "
        "requirements_gathering 3I",
    ),
    _role(
        "senior_product_manager",
        "Senior Product Manager",
        "Product",
        4,
        "Owns a product area's strategy and results.",
        "product_management 5E product_discovery 4E roadmapping 4E strategic_thinking 4I "
        "stakeholder_management 4I data_analysis 3I ai_fluency 3I mentoring 3N",
    ),
    _role(
        "product_designer",
        "Product Designer",
        "Design",
        2,
        "Designs flows and interfaces and tests them with users.",
        "ux_design 4E ui_design 4E figma 4E prototyping 3I user_research 3I "
        "accessibility 3I design_systems 2N",
    ),
    _role(
        "senior_product_designer",
        "Senior Product Designer",
        "Design",
        3,
        "Leads design for a product area and mentors designers.",
        "ux_design 5E ui_design 4E figma 4I prototyping 4I user_research 4I "
        "design_systems 3I accessibility 3I mentoring 3I facilitation 3N",
    ),
    _role(
        "ux_researcher",
        "UX Researcher",
        "Design",
        3,
        "Runs research that tells the team what users need.",
        "user_research 5E ux_design 3I statistics 2I facilitation 3I data_storytelling 3I "
        "product_discovery 3I communication 4I",
    ),
    _role(
        "design_manager",
        "Design Manager",
        "Design",
        4,
        "Leads the design team.",
        "ux_design 4E " + _COMMON_LEAD + " design_systems 3I stakeholder_management 3I "
        "facilitation 3I",
    ),
    _role(
        "customer_success_manager",
        "Customer Success Manager",
        "Sales",
        2,
        "Helps customers adopt the product and renew.",
        "account_management 4E customer_service 4E crm 3I product_knowledge 4I "
        "handling_objections 3I stakeholder_communication 3I",
    ),
    # HR
    _role(
        "hr_coordinator",
        "HR Coordinator",
        "People & HR",
        1,
        "Runs HR administration: contracts, records and onboarding.",
        "hris 3E onboarding 3E employment_law 2I data_protection 3E excel 2I "
        "attention_to_detail 3I communication 3I",
    ),
    _role(
        "recruiter",
        "Recruiter",
        "People & HR",
        2,
        "Finds and hires great people.",
        "recruiting 4E interviewing 4E stakeholder_management 3I employment_law 2I hris 2I "
        "negotiation 2N communication 4I",
    ),
    _role(
        "hr_business_partner",
        "HR Business Partner",
        "People & HR",
        3,
        "Advises leaders on people matters for their area.",
        "employee_relations 4E employment_law 3E performance_management 3I "
        "workforce_planning 3I coaching 3I hr_analytics 2I change_management 3I "
        "stakeholder_management 4I",
    ),
    _role(
        "ld_specialist",
        "Learning & Development Specialist",
        "People & HR",
        2,
        "Designs and runs learning programmes.",
        "learning_design 4E facilitation 4E coaching 3I talent_development 3I "
        "hr_analytics 2N presentation_skills 3I",
    ),
    _role(
        "hr_manager",
        "HR Manager",
        "People & HR",
        4,
        "Leads an HR team.",
        _COMMON_LEAD + " employment_law 4E employee_relations 4I workforce_planning 3I "
        "hr_analytics 3I compensation_benefits 3I",
    ),
    _role(
        "hr_director",
        "HR Director",
        "People & HR",
        6,
        "Sets the people strategy and leads HR.",
        "strategic_thinking 5E people_management 4E workforce_planning 4E "
        "talent_development 4I change_management 4I employment_law 4I hr_analytics 3I "
        "compensation_benefits 3I",
        ("Chief People Officer",),
        critical=True,
    ),
    # Finance
    _role(
        "accountant",
        "Accountant",
        "Finance",
        2,
        "Keeps the books and prepares accounts.",
        "accounting 4E financial_reporting 3E excel 4I erp_systems 3I tax_compliance 2I "
        "attention_to_detail 4I",
    ),
    _role(
        "payroll_specialist",
        "Payroll Specialist",
        "Finance",
        2,
        "Runs payroll accurately and on time.",
        "payroll 4E employment_law 2I excel 3I hris 3I data_protection 3E "
        "attention_to_detail 4E tax_compliance 3I",
    ),
    _role(
        "financial_analyst",
        "Financial Analyst",
        "Finance",
        2,
        "Analyses results and builds forecasts and business cases.",
        "financial_analysis 4E fp_and_a 3E excel 4E financial_modelling 3I "
        "data_visualisation 2I sql 2N business_acumen 3I",
    ),
    _role(
        "finance_manager",
        "Finance Manager",
        "Finance",
        4,
        "Leads a finance team and the monthly close.",
        _COMMON_LEAD + " financial_reporting 4E fp_and_a 4I cost_control 3I accounting 4I "
        "stakeholder_management 3I",
    ),
    _role(
        "finance_director",
        "Finance Director",
        "Finance",
        6,
        "Leads finance and sets financial strategy.",
        "strategic_thinking 5E financial_reporting 4E people_management 4E fp_and_a 4I "
        "risk_management 4I business_acumen 5I change_management 3I",
        ("Chief Financial Officer", "CFO"),
        critical=True,
    ),
    # General management
    _role(
        "ceo",
        "Chief Executive Officer",
        "Executive",
        7,
        "Leads the company.",
        "strategic_thinking 5E people_management 5E change_management 5E business_acumen 5E "
        "decision_making 5I stakeholder_management 5I ai_fluency 3I sustainability 3I",
        ("CEO", "Managing Director"),
        critical=True,
    ),
    _role(
        "coo",
        "Chief Operating Officer",
        "Executive",
        7,
        "Runs the company's operations across countries.",
        "strategic_thinking 5E people_management 5E business_acumen 5E "
        "change_management 4I budget_management 4I decision_making 4I "
        "omnichannel_retail 3I supply_chain_logistics 3I",
        ("COO",),
        critical=True,
    ),
    _role(
        "country_manager",
        "Country Manager",
        "Executive",
        6,
        "Leads the business in one country.",
        "people_management 5E business_acumen 4E strategic_thinking 4E "
        "stakeholder_management 4I budget_management 4I change_management 3I "
        "cross_cultural_communication 3I retail_kpis 3I",
        ("General Manager",),
        critical=True,
    ),
    _role(
        "office_manager",
        "Office Manager",
        "Executive",
        2,
        "Keeps an office running and supports its leadership team.",
        "time_management 4E communication 4E stakeholder_communication 3I excel 3I "
        "budget_management 2I health_and_safety 2I attention_to_detail 3I",
    ),
    # Architecture, engineering and construction
    _role(
        "graduate_engineer",
        "Graduate Civil Engineer",
        "Civil Engineering",
        1,
        "Supports designs and site work while training toward chartership.",
        "civil_design 2E structural_analysis 2I autocad 3I eurocodes 2I surveying 2I "
        "excel 3I site_safety 2I teamwork 3I",
        ("Graduate Engineer",),
    ),
    _role(
        "civil_engineer",
        "Civil Engineer",
        "Civil Engineering",
        2,
        "Designs roads, drainage and earthworks.",
        "civil_design 4E hydraulics 3I geotechnics 3I autocad 3I bim 2I "
        "building_regulations 3I site_safety 3I problem_solving 3I",
    ),
    _role(
        "senior_civil_engineer",
        "Senior Civil Engineer",
        "Civil Engineering",
        3,
        "Leads civil design packages and checks others' work.",
        "civil_design 5E hydraulics 4I geotechnics 4I professional_licensure 4E bim 3I "
        "client_management 3I mentoring 3I sustainable_construction 3N",
    ),
    _role(
        "structural_engineer",
        "Structural Engineer",
        "Structural Engineering",
        2,
        "Analyses and designs structures to code.",
        "structural_analysis 4E structural_design 4E eurocodes 3E finite_element_analysis 3I "
        "revit 2I bim 2I building_regulations 3I",
    ),
    _role(
        "senior_structural_engineer",
        "Senior Structural Engineer",
        "Structural Engineering",
        3,
        "Leads structural design and signs off calculations.",
        "structural_analysis 5E structural_design 5E eurocodes 4E professional_licensure 4E "
        "finite_element_analysis 4I temporary_works 3I mentoring 3I client_management 3I",
    ),
    _role(
        "principal_engineer",
        "Principal Engineer",
        "Structural Engineering",
        4,
        "Technical lead for major projects and the discipline.",
        "structural_design 5E professional_licensure 5E client_management 4I "
        "people_management 3I sustainable_construction 3I mentoring 4I strategic_thinking 3I "
        "risk_management 3I",
        critical=True,
    ),
    _role(
        "bim_technician",
        "BIM Technician",
        "Digital Engineering",
        1,
        "Builds discipline models and drawings.",
        "bim 3E revit 3E autocad 3I iso_19650 2I attention_to_detail 3I teamwork 3I point_cloud 2N",
        ("CAD Technician",),
    ),
    _role(
        "bim_coordinator",
        "BIM Coordinator",
        "Digital Engineering",
        2,
        "Federates models, runs clash detection and keeps information to standard.",
        "bim_coordination 4E bim 4E revit 4I iso_19650 3E parametric_design 2N "
        "stakeholder_communication 3I digital_twins 2N",
    ),
    _role(
        "bim_manager",
        "BIM Manager",
        "Digital Engineering",
        4,
        "Sets BIM standards and leads digital delivery.",
        "bim 5E iso_19650 4E bim_coordination 4I " + _COMMON_LEAD + " digital_twins 3I "
        "parametric_design 3N",
        critical=True,
    ),
    _role(
        "project_engineer",
        "Project Engineer",
        "Project Delivery",
        2,
        "Coordinates design and site information for a project.",
        "project_management 3E construction_scheduling 3I contract_management 2I "
        "site_safety 3I civil_design 2I stakeholder_communication 3I bim 2N",
    ),
    _role(
        "project_manager",
        "Project Manager",
        "Project Delivery",
        3,
        "Delivers projects to scope, time and budget.",
        "project_management 4E construction_scheduling 4I contract_management 3I "
        "risk_management 3I client_management 4I budget_management 3I "
        "stakeholder_management 3I site_safety 3I",
        ("Construction Project Manager",),
    ),
    _role(
        "senior_project_manager",
        "Senior Project Manager",
        "Project Delivery",
        4,
        "Leads major projects and project teams.",
        "project_management 5E contract_management 4E client_management 4I "
        "people_management 4I risk_management 4I budget_management 4I "
        "stakeholder_management 4I",
        critical=True,
    ),
    _role(
        "site_engineer",
        "Site Engineer",
        "Construction",
        2,
        "Sets out work and checks quality on site.",
        "surveying 4E construction_management 3E site_safety 4E temporary_works 2I "
        "risk_assessment_method 3I autocad 2I quality_management 3I",
    ),
    _role(
        "site_manager",
        "Site Manager",
        "Construction",
        3,
        "Runs a construction site day to day.",
        "construction_management 4E site_safety 5E risk_assessment_method 4E "
        "people_management 3I construction_scheduling 3I temporary_works 3I "
        "quality_management 3I",
    ),
    _role(
        "hse_advisor",
        "Health and Safety Advisor",
        "Construction",
        2,
        "Advises and audits on health, safety and environment.",
        "site_safety 5E health_and_safety 4E risk_assessment_method 4I "
        "environmental_compliance 3I first_aid 3I fire_safety 3I communication 3I",
        ("HSE Advisor",),
    ),
    _role(
        "quantity_surveyor",
        "Quantity Surveyor",
        "Commercial",
        2,
        "Measures work and manages costs and contracts.",
        "quantity_surveying 4E cost_estimating 3I contract_management 3E excel 4I "
        "negotiation 3I construction_scheduling 2N",
    ),
    _role(
        "estimator",
        "Estimator",
        "Commercial",
        2,
        "Prices bids and variations.",
        "cost_estimating 4E quantity_surveying 3I excel 4E construction_management 2I "
        "risk_management 2I attention_to_detail 3I",
    ),
    _role(
        "commercial_manager",
        "Commercial Manager",
        "Commercial",
        4,
        "Leads the commercial team and contract strategy.",
        "contract_management 5E quantity_surveying 4I " + _COMMON_LEAD + " negotiation 4I "
        "risk_management 3I",
    ),
    _role(
        "architect",
        "Architect",
        "Architecture",
        3,
        "Designs buildings and leads them through approvals.",
        "building_regulations 4E revit 3I bim 3I sustainable_construction 3I "
        "client_management 3I creativity 4E parametric_design 2N",
    ),
    _role(
        "operations_director",
        "Operations Director",
        "Executive",
        6,
        "Leads a delivery division.",
        "strategic_thinking 4E people_management 5E client_management 4I risk_management 4I "
        "budget_management 4I change_management 3I",
        critical=True,
    ),
)

RESKILL_PATHS: tuple[tuple[str, str], ...] = (
    ("customer_support_rep", "salesforce_administrator"),
    ("senior_customer_support_rep", "salesforce_administrator"),
    ("customer_support_rep", "crm_analyst"),
    ("marketing_coordinator", "data_analyst"),
    ("marketing_coordinator", "digital_marketing_specialist"),
    ("marketing_analyst", "data_analyst"),
    ("store_associate", "ecommerce_specialist"),
    ("store_associate", "customer_support_rep"),
    ("click_collect_associate", "ecommerce_specialist"),
    ("click_collect_associate", "logistics_coordinator"),
    ("cashier", "customer_support_rep"),
    ("warehouse_associate", "logistics_coordinator"),
    ("warehouse_associate", "inventory_controller"),
    ("inventory_controller", "supply_chain_analyst"),
    ("logistics_coordinator", "supply_chain_analyst"),
    ("stock_controller", "inventory_controller"),
    ("financial_analyst", "data_analyst"),
    ("data_analyst", "data_scientist"),
    ("qa_engineer", "software_engineer_2"),
    ("it_support_specialist", "devops_engineer"),
    ("sales_representative", "crm_analyst"),
    ("hr_coordinator", "recruiter"),
    ("software_engineer_2", "site_reliability_engineer"),
    ("senior_software_engineer", "engineering_manager"),
    ("product_designer", "ux_researcher"),
    ("bim_technician", "bim_coordinator"),
    ("graduate_engineer", "structural_engineer"),
    ("site_engineer", "project_engineer"),
    ("civil_engineer", "bim_coordinator"),
    ("estimator", "quantity_surveyor"),
)
"""Reskilling moves people make between families (from role, to role)."""

ROLES_BY_KEY: dict[str, DemoRole] = {role.key: role for role in ROLES}


def validate() -> None:
    """Check every role: known skills, 6–15 lines, no duplicate skill, unique keys and titles."""
    known = {skill.key for skill in SKILLS}
    if len(ROLES_BY_KEY) != len(ROLES):
        raise ValueError("duplicate role key")
    if len({role.title for role in ROLES}) != len(ROLES):
        raise ValueError("duplicate role title")
    for role in ROLES:
        skills = [line.skill for line in role.profile]
        unknown = set(skills) - known
        if unknown:
            raise ValueError(f"role {role.key} names unknown skills {sorted(unknown)}")
        if len(set(skills)) != len(skills):
            raise ValueError(f"role {role.key} repeats a skill")
        if not 6 <= len(skills) <= 15:
            raise ValueError(f"role {role.key} has {len(skills)} profile lines (6–15 expected)")
    for start, end in RESKILL_PATHS:
        if start not in ROLES_BY_KEY or end not in ROLES_BY_KEY:
            raise ValueError(f"reskill path {start} → {end} names an unknown role")
