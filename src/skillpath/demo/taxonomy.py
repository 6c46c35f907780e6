"""The demo's own compact skills taxonomy, written for this project (no third-party data).

Groups form a two-level hierarchy; each skill has a stable key, a kind, a one-line description and
a few aliases (some of them the labels other taxonomies use, so `--taxonomy esco` can map demo
skills onto ESCO by label). A handful of prerequisite and related links give the graph some shape.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoGroup:
    """A skill group (stored as a skill of kind 'group')."""

    key: str
    name: str
    description: str
    parent: str | None = None


@dataclass(frozen=True)
class DemoSkill:
    """A skill of the demo taxonomy."""

    key: str
    name: str
    group: str
    description: str
    kind: str = "skill"
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Certification:
    """A certificate that proves a skill at a level for a number of years (some per country)."""

    name: str
    level: float
    valid_years: int
    countries: tuple[str, ...] = ()


GROUPS: tuple[DemoGroup, ...] = (
    DemoGroup("g_business", "Business and commercial", "Marketing, sales, retail and customers."),
    DemoGroup(
        "g_digital_marketing",
        "Digital marketing and growth",
        "Reaching, converting and keeping customers through digital channels.",
        "g_business",
    ),
    DemoGroup(
        "g_ecommerce",
        "E-commerce",
        "Selling online: platforms, merchandising, conversion and fulfilment.",
        "g_business",
    ),
    DemoGroup(
        "g_crm_sales",
        "CRM and sales",
        "Customer relationship management systems and the craft of selling.",
        "g_business",
    ),
    DemoGroup(
        "g_retail_ops",
        "Retail operations",
        "Running stores: selling on the floor, stock, cash and visual merchandising.",
        "g_business",
    ),
    DemoGroup(
        "g_customer_service",
        "Customer service and support",
        "Helping customers by phone, chat, e-mail and in person.",
        "g_business",
    ),
    DemoGroup("g_operations", "Operations and supply chain", "Moving and planning goods."),
    DemoGroup(
        "g_supply_chain",
        "Supply chain and logistics",
        "Planning, sourcing, warehousing and transporting goods.",
        "g_operations",
    ),
    DemoGroup("g_technology", "Technology and data", "Software, infrastructure, data and design."),
    DemoGroup(
        "g_data",
        "Data and analytics",
        "Collecting, analysing, modelling and presenting data.",
        "g_technology",
    ),
    DemoGroup(
        "g_software",
        "Software engineering",
        "Designing, building, testing and running software.",
        "g_technology",
    ),
    DemoGroup(
        "g_cloud",
        "Cloud and infrastructure",
        "Running systems reliably on cloud platforms.",
        "g_technology",
    ),
    DemoGroup(
        "g_emerging",
        "Emerging technologies",
        "New technology that is changing how work is done.",
        "g_technology",
    ),
    DemoGroup(
        "g_product_design",
        "Product and design",
        "Deciding what to build and designing how people use it.",
        "g_technology",
    ),
    DemoGroup("g_people", "People and organisation", "Leading, developing and supporting people."),
    DemoGroup(
        "g_leadership",
        "Leadership and management",
        "Leading people, teams and change.",
        "g_people",
    ),
    DemoGroup(
        "g_hr",
        "People and HR",
        "Hiring, developing, rewarding and supporting employees.",
        "g_people",
    ),
    DemoGroup(
        "g_finance",
        "Finance",
        "Accounting, planning, reporting and controlling money.",
        "g_people",
    ),
    DemoGroup(
        "g_personal",
        "Personal effectiveness",
        "Transversal skills every role draws on.",
        "g_people",
    ),
    DemoGroup(
        "g_compliance",
        "Compliance and safety",
        "Working safely and within the law and company policy.",
    ),
    DemoGroup("g_languages", "Languages", "Speaking, reading and writing languages at work."),
    DemoGroup(
        "g_aec",
        "Architecture, engineering and construction",
        "Designing, engineering and building structures and infrastructure.",
    ),
    DemoGroup(
        "g_bim",
        "Digital engineering and BIM",
        "Building information modelling and digital delivery.",
        "g_aec",
    ),
    DemoGroup(
        "g_structural_civil",
        "Structural and civil engineering",
        "Analysis and design of structures and civil works.",
        "g_aec",
    ),
    DemoGroup(
        "g_construction",
        "Construction and site management",
        "Delivering projects on site safely, on time and on budget.",
        "g_aec",
    ),
)


def _skills(group: str, *rows: tuple[str, str, str, str, tuple[str, ...]]) -> list[DemoSkill]:
    """Skills of one group from (key, name, kind, description, aliases) rows."""
    return [
        DemoSkill(key=key, name=name, group=group, kind=kind, description=text, aliases=aliases)
        for key, name, kind, text, aliases in rows
    ]


SKILLS: tuple[DemoSkill, ...] = tuple(
    _skills(
        "g_digital_marketing",
        (
            "digital_marketing_analytics",
            "Digital marketing analytics",
            "skill",
            "Measure campaigns across channels, attribute conversions and turn the numbers into "
            "budget decisions.",
            ("marketing analytics", "campaign analytics", "marketing attribution"),
        ),
        (
            "digital_marketing",
            "Digital marketing",
            "knowledge",
            "Plan and run marketing through search, social, e-mail and display channels.",
            ("digital marketing techniques", "online marketing techniques"),
        ),
        (
            "seo",
            "Search engine optimisation",
            "skill",
            "Improve how pages rank in organic search results.",
            ("SEO", "search engine optimization"),
        ),
        (
            "sem",
            "Paid search advertising",
            "skill",
            "Plan, bid on and optimise paid search campaigns.",
            ("SEM", "PPC", "pay-per-click"),
        ),
        (
            "social_media_marketing",
            "Social media marketing",
            "skill",
            "Build audiences and campaigns on social networks.",
            ("social media management",),
        ),
        (
            "email_marketing",
            "E-mail marketing",
            "skill",
            "Design, segment and test e-mail campaigns.",
            ("email marketing", "CRM campaigns"),
        ),
        (
            "content_marketing",
            "Content marketing",
            "skill",
            "Plan and produce content that attracts and keeps customers.",
            ("content strategy",),
        ),
        (
            "copywriting",
            "Copywriting",
            "skill",
            "Write clear, persuasive text for ads, pages and messages.",
            ("advertising copy",),
        ),
        (
            "marketing_automation",
            "Marketing automation",
            "tool",
            "Automate journeys and campaigns with a marketing automation platform.",
            ("automated marketing",),
        ),
        (
            "customer_segmentation",
            "Customer segmentation",
            "skill",
            "Group customers by behaviour and value to target them well.",
            ("audience segmentation", "market segmentation"),
        ),
        (
            "ab_testing",
            "A/B testing",
            "skill",
            "Design controlled experiments and read their results correctly.",
            ("split testing", "online experiments"),
        ),
        (
            "campaign_management",
            "Campaign management",
            "skill",
            "Run a campaign from brief to report, on time and on budget.",
            ("marketing campaign management",),
        ),
        (
            "brand_management",
            "Brand management",
            "skill",
            "Keep a brand's voice, look and promise consistent.",
            ("branding",),
        ),
        (
            "market_research",
            "Market research",
            "skill",
            "Collect and analyse information about markets and customers.",
            ("consumer research",),
        ),
        (
            "marketing_strategy",
            "Marketing strategy",
            "competence",
            "Set marketing goals, positioning and the plan to reach them.",
            ("marketing planning",),
        ),
        (
            "influencer_marketing",
            "Influencer marketing",
            "skill",
            "Work with creators to reach new audiences.",
            (),
        ),
    )
    + _skills(
        "g_ecommerce",
        (
            "ecommerce_platforms",
            "E-commerce platforms",
            "tool",
            "Configure and run an online shop platform: catalogue, checkout, promotions.",
            ("e-commerce systems", "online store platforms", "webshop platforms"),
        ),
        (
            "web_analytics",
            "Web analytics",
            "skill",
            "Track and analyse how visitors use a website and where they drop out.",
            ("website analytics", "digital analytics"),
        ),
        (
            "conversion_rate_optimisation",
            "Conversion rate optimisation",
            "skill",
            "Raise the share of visitors who buy, through research and experiments.",
            ("CRO", "conversion optimization"),
        ),
        (
            "online_merchandising",
            "Online merchandising",
            "skill",
            "Present and promote products online so they sell.",
            ("digital merchandising",),
        ),
        (
            "product_information_management",
            "Product information management",
            "skill",
            "Keep product data complete, correct and consistent across channels.",
            ("PIM",),
        ),
        (
            "marketplace_management",
            "Marketplace management",
            "skill",
            "Sell through third-party online marketplaces.",
            (),
        ),
        (
            "omnichannel_retail",
            "Omnichannel retail",
            "knowledge",
            "Join stores, web and app into one customer experience.",
            ("omni-channel retailing",),
        ),
        (
            "order_fulfilment",
            "Order fulfilment",
            "skill",
            "Pick, pack and ship online orders quickly and accurately.",
            ("e-commerce fulfilment", "click and collect"),
        ),
        (
            "digital_payments",
            "Digital payments",
            "knowledge",
            "Understand online payment methods, fraud checks and refunds.",
            ("payment processing",),
        ),
        (
            "ux_writing",
            "UX writing",
            "skill",
            "Write the words of interfaces so people understand and act.",
            ("microcopy",),
        ),
    )
    + _skills(
        "g_crm_sales",
        (
            "crm",
            "Customer relationship management",
            "knowledge",
            "Manage customer data and interactions in a CRM system to serve and sell better.",
            ("CRM", "CRM basics", "customer relationship management systems"),
        ),
        (
            "salesforce_administration",
            "Salesforce administration",
            "tool",
            "Configure Salesforce: objects, fields, page layouts, users and security.",
            ("Salesforce admin", "Salesforce CRM administration"),
        ),
        (
            "salesforce_reports",
            "Salesforce reports and dashboards",
            "tool",
            "Build custom report types, reports and dashboards in Salesforce.",
            ("CRM reporting", "custom reports"),
        ),
        (
            "workflow_automation",
            "Workflow automation",
            "skill",
            "Automate business processes with flows, rules and approvals.",
            ("process automation", "Salesforce Flow"),
        ),
        (
            "user_access_management",
            "User and access management",
            "skill",
            "Manage user accounts, roles, profiles and permissions.",
            ("permission management",),
        ),
        (
            "data_quality_management",
            "Data quality management",
            "skill",
            "Keep records complete, deduplicated and correct.",
            ("data hygiene", "data cleansing"),
        ),
        (
            "handling_objections",
            "Handling objections",
            "skill",
            "Hear a customer's objection, understand it and answer it convincingly.",
            ("objection handling", "overcoming objections"),
        ),
        (
            "prospecting",
            "Sales prospecting",
            "skill",
            "Find and qualify potential customers and open the conversation.",
            ("lead generation", "cold calling"),
        ),
        (
            "consultative_selling",
            "Consultative selling",
            "skill",
            "Sell by understanding the customer's needs and advising.",
            ("solution selling",),
        ),
        (
            "negotiation",
            "Negotiation",
            "skill",
            "Reach agreements that work for both sides.",
            ("negotiate",),
        ),
        (
            "account_management",
            "Account management",
            "skill",
            "Grow and keep relationships with existing customers.",
            ("key account management",),
        ),
        (
            "sales_pipeline_management",
            "Sales pipeline management",
            "skill",
            "Keep opportunities moving and forecast sales.",
            ("pipeline management",),
        ),
        (
            "closing_sales",
            "Closing sales",
            "skill",
            "Recognise buying signals and ask for the order.",
            (),
        ),
        (
            "product_knowledge",
            "Product knowledge",
            "knowledge",
            "Know the range, features and benefits of the products sold.",
            (),
        ),
    )
    + _skills(
        "g_retail_ops",
        (
            "in_store_sales",
            "In-store sales",
            "skill",
            "Greet, advise and sell to customers on the shop floor.",
            ("retail sales", "selling in store"),
        ),
        (
            "visual_merchandising",
            "Visual merchandising",
            "skill",
            "Lay out displays and windows that draw customers in and sell.",
            ("store display design",),
        ),
        (
            "cash_handling",
            "Cash handling",
            "skill",
            "Operate tills, handle cash and card payments and balance the drawer.",
            ("point of sale operation", "POS operation"),
        ),
        (
            "stock_management",
            "Stock management",
            "skill",
            "Receive, count, replenish and rotate stock in a store.",
            ("stock control", "inventory replenishment"),
        ),
        (
            "loss_prevention",
            "Loss prevention",
            "skill",
            "Reduce shrinkage from theft, damage and errors.",
            ("shrinkage control",),
        ),
        (
            "store_operations",
            "Store operations",
            "knowledge",
            "Run a store's daily routines: opening, rotas, tasks and closing.",
            (),
        ),
        (
            "planogram_compliance",
            "Planogram compliance",
            "skill",
            "Set shelves exactly to plan and keep them that way.",
            ("planograms",),
        ),
        (
            "retail_kpis",
            "Retail KPIs",
            "knowledge",
            "Read and act on sales, footfall, conversion and basket figures.",
            ("store performance metrics",),
        ),
        (
            "shift_scheduling",
            "Shift scheduling",
            "skill",
            "Plan rotas that cover demand within hours and budget.",
            ("rota planning",),
        ),
        (
            "clienteling",
            "Clienteling",
            "skill",
            "Build lasting relationships with regular store customers.",
            (),
        ),
    )
    + _skills(
        "g_customer_service",
        (
            "customer_service",
            "Customer service",
            "skill",
            "Help customers courteously and solve their problems.",
            ("customer care", "client service"),
        ),
        (
            "complaint_handling",
            "Complaint handling",
            "skill",
            "Turn an unhappy customer around and fix the cause.",
            ("handle customer complaints",),
        ),
        (
            "ticketing_systems",
            "Ticketing systems",
            "tool",
            "Work cases in a help-desk ticketing tool.",
            ("help desk software",),
        ),
        (
            "live_chat_support",
            "Live chat support",
            "skill",
            "Serve several customers at once by chat, clearly and quickly.",
            ("chat support",),
        ),
        (
            "phone_etiquette",
            "Telephone etiquette",
            "skill",
            "Handle calls professionally and warmly.",
            ("call handling",),
        ),
        (
            "first_contact_resolution",
            "First contact resolution",
            "skill",
            "Solve the customer's issue in the first interaction.",
            (),
        ),
        (
            "knowledge_base_writing",
            "Knowledge base writing",
            "skill",
            "Write help articles customers and colleagues can follow.",
            (),
        ),
        (
            "customer_empathy",
            "Customer empathy",
            "competence",
            "Understand the customer's situation and feelings.",
            ("empathy",),
        ),
        (
            "de_escalation",
            "De-escalation",
            "skill",
            "Calm tense conversations and find a way forward.",
            (),
        ),
        (
            "returns_processing",
            "Returns and refunds processing",
            "skill",
            "Process returns, exchanges and refunds correctly.",
            (),
        ),
    )
    + _skills(
        "g_supply_chain",
        (
            "supply_chain_logistics",
            "Supply chain logistics",
            "skill",
            "Plan and run the flow of goods from suppliers through warehouses to customers and "
            "stores, including last-mile delivery.",
            ("logistics", "supply chain management", "logistics management"),
        ),
        (
            "demand_planning",
            "Demand planning",
            "skill",
            "Forecast demand and plan stock to meet it.",
            ("demand forecasting",),
        ),
        (
            "inventory_optimisation",
            "Inventory optimisation",
            "skill",
            "Set stock levels that balance availability and cost.",
            ("inventory management",),
        ),
        (
            "warehouse_operations",
            "Warehouse operations",
            "skill",
            "Receive, store, pick and dispatch goods in a warehouse.",
            ("warehousing",),
        ),
        (
            "transport_planning",
            "Transport planning",
            "skill",
            "Plan routes, loads and carriers for deliveries.",
            ("route planning",),
        ),
        (
            "procurement",
            "Procurement",
            "skill",
            "Source suppliers, negotiate terms and buy goods and services.",
            ("purchasing",),
        ),
        (
            "supplier_management",
            "Supplier management",
            "skill",
            "Manage supplier relationships and performance.",
            ("vendor management",),
        ),
        (
            "forklift_operation",
            "Forklift operation",
            "skill",
            "Operate a forklift truck safely.",
            ("forklift driving",),
        ),
        (
            "wms",
            "Warehouse management systems",
            "tool",
            "Use a warehouse management system for stock and tasks.",
            ("WMS",),
        ),
        (
            "last_mile_delivery",
            "Last-mile delivery",
            "knowledge",
            "Organise the final delivery step to the customer's door.",
            (),
        ),
        (
            "sop_planning",
            "Sales and operations planning",
            "skill",
            "Align sales plans with supply capacity every month.",
            ("S&OP",),
        ),
        (
            "lean_operations",
            "Lean operations",
            "knowledge",
            "Remove waste and improve flow with lean methods.",
            ("lean management",),
        ),
        (
            "erp_systems",
            "ERP systems",
            "tool",
            "Use an enterprise resource planning system for orders, stock and finance.",
            ("ERP",),
        ),
        (
            "customs_trade",
            "Customs and trade compliance",
            "knowledge",
            "Move goods across borders with the right documents and duties.",
            (),
        ),
        (
            "reverse_logistics",
            "Reverse logistics",
            "knowledge",
            "Handle returned goods efficiently.",
            (),
        ),
    )
    + _skills(
        "g_data",
        (
            "excel",
            "Microsoft Excel",
            "tool",
            "Organise and analyse data in spreadsheets: formulas, pivot tables, charts.",
            ("Excel", "spreadsheets", "spreadsheet software"),
        ),
        (
            "sql",
            "SQL",
            "tool",
            "Query and combine data in relational databases.",
            ("Structured Query Language",),
        ),
        (
            "tableau",
            "Tableau",
            "tool",
            "Build interactive dashboards and visual analyses in Tableau.",
            ("Tableau Desktop",),
        ),
        (
            "power_bi",
            "Power BI",
            "tool",
            "Model data and build reports in Power BI.",
            ("Microsoft Power BI",),
        ),
        (
            "python_data",
            "Python",
            "tool",
            "Analyse and automate with Python and its data libraries (pandas, NumPy).",
            ("Python", "Python programming"),
        ),
        (
            "r_programming",
            "R",
            "tool",
            "Analyse data and build statistical models in R.",
            ("R programming", "R language"),
        ),
        (
            "data_analysis",
            "Data analysis",
            "skill",
            "Frame a question, explore data and reach a sound answer.",
            ("analyse data",),
        ),
        (
            "statistics",
            "Statistics",
            "knowledge",
            "Describe data, test hypotheses and quantify uncertainty.",
            ("statistical analysis",),
        ),
        (
            "data_visualisation",
            "Data visualisation",
            "skill",
            "Choose and build charts that make data clear.",
            ("data visualization", "visualise data"),
        ),
        (
            "data_storytelling",
            "Data storytelling",
            "skill",
            "Turn an analysis into a story decision-makers act on.",
            (),
        ),
        (
            "data_cleaning",
            "Data cleaning",
            "skill",
            "Find and fix errors, gaps and duplicates in data.",
            ("data preparation",),
        ),
        (
            "data_modelling",
            "Data modelling",
            "skill",
            "Design tables and relationships for analysis.",
            ("dimensional modelling",),
        ),
        (
            "etl_pipelines",
            "Data pipelines",
            "skill",
            "Build and run pipelines that move and transform data.",
            ("ETL",),
        ),
        (
            "machine_learning",
            "Machine learning",
            "skill",
            "Train, evaluate and deploy predictive models.",
            ("ML",),
        ),
        (
            "forecasting",
            "Forecasting",
            "skill",
            "Predict future values from history and drivers.",
            ("time series forecasting",),
        ),
        (
            "business_intelligence",
            "Business intelligence",
            "knowledge",
            "Deliver reporting and dashboards the business relies on.",
            ("BI",),
        ),
        (
            "data_governance",
            "Data governance",
            "knowledge",
            "Set ownership, definitions and rules for data.",
            (),
        ),
        (
            "experiment_design",
            "Experiment design",
            "skill",
            "Design tests that answer causal questions.",
            (),
        ),
        ("dbt", "dbt", "tool", "Transform warehouse data with tested SQL models.", ()),
        ("spark", "Apache Spark", "tool", "Process large data sets in parallel.", ("Spark",)),
    )
    + _skills(
        "g_software",
        (
            "programming_fundamentals",
            "Programming fundamentals",
            "knowledge",
            "Variables, control flow, functions, data structures and debugging.",
            ("computer programming",),
        ),
        (
            "python_engineering",
            "Python engineering",
            "tool",
            "Build and maintain production services in Python.",
            ("Python development",),
        ),
        (
            "javascript",
            "JavaScript",
            "tool",
            "Build web front ends and services in JavaScript.",
            ("JS",),
        ),
        ("typescript", "TypeScript", "tool", "Write typed JavaScript for larger codebases.", ()),
        ("java", "Java", "tool", "Build back-end services in Java.", ()),
        ("go_lang", "Go", "tool", "Build fast network services in Go.", ("Golang",)),
        ("react", "React", "tool", "Build user interfaces with React.", ("React.js",)),
        (
            "api_design",
            "API design",
            "skill",
            "Design clear, versioned and secure APIs.",
            ("REST API design",),
        ),
        (
            "system_design",
            "System design",
            "skill",
            "Design systems that scale, fail gracefully and can change.",
            ("software architecture",),
        ),
        (
            "software_testing",
            "Software testing",
            "skill",
            "Write unit, integration and end-to-end tests.",
            ("test automation",),
        ),
        (
            "code_review",
            "Code review",
            "skill",
            "Review changes for correctness, clarity and risk.",
            (),
        ),
        (
            "git",
            "Git",
            "tool",
            "Version code with branches, merges and history.",
            ("version control",),
        ),
        (
            "agile_delivery",
            "Agile delivery",
            "knowledge",
            "Deliver in short iterations with Scrum or Kanban.",
            ("Scrum", "agile methods"),
        ),
        (
            "secure_coding",
            "Secure coding",
            "skill",
            "Avoid common vulnerabilities in code.",
            ("application security",),
        ),
        (
            "databases",
            "Database design",
            "skill",
            "Design schemas, indexes and queries that perform.",
            (),
        ),
        ("mobile_development", "Mobile development", "skill", "Build iOS and Android apps.", ()),
        (
            "performance_engineering",
            "Performance engineering",
            "skill",
            "Measure and improve latency and throughput.",
            (),
        ),
        (
            "technical_writing",
            "Technical writing",
            "skill",
            "Write documentation engineers and users can follow.",
            ("documentation",),
        ),
        ("debugging", "Debugging", "skill", "Find and fix the cause of defects.", ()),
        (
            "it_support",
            "IT support",
            "skill",
            "Diagnose and fix users' hardware, software and access problems.",
            ("technical support", "help desk"),
        ),
    )
    + _skills(
        "g_cloud",
        (
            "cloud_computing",
            "Cloud computing",
            "knowledge",
            "Use cloud services for compute, storage and networking.",
            ("cloud platforms",),
        ),
        ("aws", "Amazon Web Services", "tool", "Build and run systems on AWS.", ("AWS",)),
        (
            "kubernetes",
            "Kubernetes",
            "tool",
            "Deploy and operate containers with Kubernetes.",
            ("K8s",),
        ),
        ("docker", "Docker", "tool", "Package software in containers.", ("containers",)),
        (
            "ci_cd",
            "CI/CD",
            "skill",
            "Automate build, test and deployment pipelines.",
            ("continuous integration", "continuous delivery"),
        ),
        (
            "infrastructure_as_code",
            "Infrastructure as code",
            "skill",
            "Define infrastructure in versioned code (Terraform and similar).",
            ("Terraform",),
        ),
        (
            "observability",
            "Observability",
            "skill",
            "Instrument systems with metrics, logs and traces.",
            ("monitoring",),
        ),
        (
            "incident_management",
            "Incident management",
            "skill",
            "Respond to, resolve and learn from incidents.",
            ("on-call",),
        ),
        ("linux", "Linux", "tool", "Administer and troubleshoot Linux systems.", ()),
        (
            "networking",
            "Computer networking",
            "knowledge",
            "TCP/IP, DNS, load balancing and firewalls.",
            (),
        ),
        (
            "cybersecurity",
            "Cybersecurity",
            "knowledge",
            "Protect systems and data from attack.",
            ("information security",),
        ),
    )
    + _skills(
        "g_emerging",
        (
            "generative_ai",
            "Generative AI",
            "knowledge",
            "Use large language models and generative tools productively and safely.",
            ("GenAI", "large language models"),
        ),
        (
            "prompt_engineering",
            "Prompt engineering",
            "skill",
            "Write instructions that get reliable results from AI models.",
            (),
        ),
        (
            "ai_fluency",
            "Data and AI fluency",
            "competence",
            "Understand what data and AI can and cannot do for the business.",
            ("AI literacy", "data literacy"),
        ),
        ("mlops", "MLOps", "skill", "Deploy, monitor and retrain models in production.", ()),
        (
            "vector_search",
            "Vector search",
            "skill",
            "Search by meaning with embeddings and vector indexes.",
            ("embeddings",),
        ),
        (
            "automation_rpa",
            "Robotic process automation",
            "tool",
            "Automate repetitive desktop tasks with software robots.",
            ("RPA",),
        ),
        (
            "iot",
            "Internet of things",
            "knowledge",
            "Connect sensors and devices to collect data.",
            ("IoT",),
        ),
        (
            "edge_computing",
            "Edge computing",
            "knowledge",
            "Process data close to where it is made.",
            (),
        ),
    )
    + _skills(
        "g_product_design",
        (
            "product_management",
            "Product management",
            "competence",
            "Decide what to build and why, and see it through.",
            (),
        ),
        (
            "product_discovery",
            "Product discovery",
            "skill",
            "Find problems worth solving and test ideas cheaply.",
            (),
        ),
        ("roadmapping", "Roadmapping", "skill", "Plan and communicate a product roadmap.", ()),
        (
            "user_research",
            "User research",
            "skill",
            "Learn about users through interviews, tests and data.",
            ("UX research",),
        ),
        (
            "ux_design",
            "UX design",
            "skill",
            "Design flows and interactions people find easy.",
            ("user experience design",),
        ),
        (
            "ui_design",
            "UI design",
            "skill",
            "Design clear, consistent interfaces.",
            ("visual design",),
        ),
        ("prototyping", "Prototyping", "skill", "Make quick prototypes to test ideas.", ()),
        ("figma", "Figma", "tool", "Design and prototype interfaces in Figma.", ()),
        (
            "accessibility",
            "Accessibility",
            "knowledge",
            "Make products usable by people with disabilities.",
            ("a11y", "WCAG"),
        ),
        (
            "requirements_gathering",
            "Requirements gathering",
            "skill",
            "Elicit, write and agree requirements with stakeholders.",
            ("business analysis", "requirements analysis"),
        ),
        (
            "design_systems",
            "Design systems",
            "skill",
            "Build and maintain shared components and guidelines.",
            (),
        ),
    )
    + _skills(
        "g_leadership",
        (
            "people_management",
            "People management",
            "competence",
            "Set goals, give feedback and support a team's performance.",
            ("team management", "managing staff"),
        ),
        (
            "coaching",
            "Coaching",
            "skill",
            "Help others find their own answers and grow.",
            ("coaching employees",),
        ),
        ("mentoring", "Mentoring", "skill", "Share experience to develop someone over time.", ()),
        (
            "strategic_thinking",
            "Strategic thinking",
            "competence",
            "See the big picture and choose where to play.",
            ("strategic planning",),
        ),
        (
            "change_management",
            "Change management",
            "competence",
            "Lead people through organisational change.",
            (),
        ),
        (
            "decision_making",
            "Adaptive decision-making",
            "competence",
            "Decide well under uncertainty and adjust as facts change.",
            ("decision making",),
        ),
        (
            "emotional_intelligence",
            "Emotional intelligence",
            "competence",
            "Recognise and manage emotions in yourself and others.",
            (),
        ),
        (
            "hybrid_team_management",
            "Hybrid and remote team management",
            "skill",
            "Lead teams spread across places and time zones.",
            ("remote team management",),
        ),
        ("delegation", "Delegation", "skill", "Hand over work with clear ownership.", ()),
        (
            "performance_management",
            "Performance management",
            "skill",
            "Run goals, reviews and improvement plans fairly.",
            (),
        ),
        (
            "budget_management",
            "Budget management",
            "skill",
            "Plan and control a budget.",
            ("budgeting",),
        ),
        (
            "stakeholder_management",
            "Stakeholder management",
            "skill",
            "Identify stakeholders and keep them informed and on side.",
            (),
        ),
        (
            "project_management",
            "Project management",
            "skill",
            "Plan, run and close projects on scope, time and budget.",
            ("project planning", "manage projects"),
        ),
        (
            "business_acumen",
            "Business acumen",
            "competence",
            "Understand how the business makes money and what drives results.",
            (),
        ),
        (
            "talent_development",
            "Talent development",
            "skill",
            "Spot potential and grow people into bigger roles.",
            (),
        ),
    )
    + _skills(
        "g_hr",
        (
            "recruiting",
            "Recruiting",
            "skill",
            "Source, assess and hire candidates.",
            ("recruitment", "talent acquisition"),
        ),
        (
            "interviewing",
            "Interviewing",
            "skill",
            "Run structured interviews and assess candidates fairly.",
            (),
        ),
        (
            "employee_relations",
            "Employee relations",
            "skill",
            "Handle grievances, disciplinaries and workplace issues.",
            (),
        ),
        (
            "employment_law",
            "Employment law",
            "knowledge",
            "Apply employment legislation to everyday HR decisions.",
            ("labour law",),
        ),
        (
            "learning_design",
            "Learning design",
            "skill",
            "Design courses and programmes that change how people work.",
            ("instructional design",),
        ),
        (
            "compensation_benefits",
            "Compensation and benefits",
            "knowledge",
            "Design pay and benefits that are fair and competitive.",
            ("reward",),
        ),
        (
            "hr_analytics",
            "People analytics",
            "skill",
            "Analyse workforce data to inform people decisions.",
            ("HR analytics",),
        ),
        ("hris", "HR information systems", "tool", "Keep employee records in an HRIS.", ("HRIS",)),
        ("onboarding", "Onboarding", "skill", "Bring new joiners up to speed quickly.", ()),
        (
            "workforce_planning",
            "Workforce planning",
            "skill",
            "Plan the people and skills the business will need.",
            (),
        ),
    )
    + _skills(
        "g_finance",
        (
            "financial_analysis",
            "Financial analysis",
            "skill",
            "Analyse financial results and explain the variances.",
            (),
        ),
        (
            "accounting",
            "Accounting",
            "knowledge",
            "Record transactions and prepare accounts.",
            ("bookkeeping",),
        ),
        (
            "financial_reporting",
            "Financial reporting",
            "skill",
            "Prepare statutory and management reports.",
            (),
        ),
        (
            "fp_and_a",
            "Financial planning and analysis",
            "skill",
            "Budget, forecast and model the business.",
            ("FP&A",),
        ),
        ("payroll", "Payroll", "skill", "Run accurate, compliant payroll.", ()),
        ("cost_control", "Cost control", "skill", "Track costs and keep them within plan.", ()),
        ("tax_compliance", "Tax compliance", "knowledge", "Meet tax obligations correctly.", ()),
        (
            "financial_modelling",
            "Financial modelling",
            "skill",
            "Build spreadsheet models of business cases.",
            (),
        ),
    )
    + _skills(
        "g_personal",
        (
            "communication",
            "Communication",
            "competence",
            "Explain ideas clearly in speech and writing.",
            ("communication skills",),
        ),
        (
            "stakeholder_communication",
            "Stakeholder communication",
            "skill",
            "Tailor messages to each audience and keep them informed.",
            (),
        ),
        (
            "problem_solving",
            "Problem solving",
            "competence",
            "Break a problem down and find a workable solution.",
            ("solve problems",),
        ),
        (
            "teamwork",
            "Teamwork",
            "competence",
            "Work well with others toward shared goals.",
            ("collaboration",),
        ),
        (
            "time_management",
            "Time management",
            "competence",
            "Prioritise and finish work on time.",
            ("prioritisation",),
        ),
        (
            "presentation_skills",
            "Presentation skills",
            "skill",
            "Present to groups with clarity and confidence.",
            ("public speaking",),
        ),
        (
            "critical_thinking",
            "Critical thinking",
            "competence",
            "Question assumptions and weigh evidence.",
            (),
        ),
        ("adaptability", "Adaptability", "competence", "Adjust quickly when things change.", ()),
        (
            "attention_to_detail",
            "Attention to detail",
            "competence",
            "Get the details right, first time.",
            (),
        ),
        (
            "cross_cultural_communication",
            "Cross-cultural communication",
            "skill",
            "Work well with colleagues and customers from other cultures.",
            (),
        ),
        ("creativity", "Creativity", "competence", "Come up with new and useful ideas.", ()),
        ("facilitation", "Facilitation", "skill", "Run meetings and workshops that decide.", ()),
    )
    + _skills(
        "g_compliance",
        (
            "data_protection",
            "Data protection",
            "knowledge",
            "Handle personal data lawfully (GDPR and local equivalents).",
            ("GDPR", "data privacy"),
        ),
        (
            "health_and_safety",
            "Workplace health and safety",
            "knowledge",
            "Spot hazards and follow safe working practices.",
            ("occupational health and safety",),
        ),
        (
            "food_safety",
            "Food safety",
            "knowledge",
            "Store, handle and sell food safely.",
            ("food hygiene",),
        ),
        ("first_aid", "First aid", "skill", "Give emergency first aid at work.", ()),
        ("fire_safety", "Fire safety", "knowledge", "Prevent fires and evacuate safely.", ()),
        (
            "anti_bribery",
            "Anti-bribery and ethics",
            "knowledge",
            "Recognise and refuse bribery and conflicts of interest.",
            ("business ethics",),
        ),
        ("manual_handling", "Manual handling", "skill", "Lift and move loads without injury.", ()),
        (
            "pci_dss",
            "Payment card security",
            "knowledge",
            "Protect cardholder data (PCI DSS).",
            ("PCI DSS",),
        ),
        ("risk_management", "Risk management", "skill", "Identify, assess and treat risks.", ()),
        (
            "quality_management",
            "Quality management",
            "knowledge",
            "Run quality systems and continuous improvement (ISO 9001).",
            ("ISO 9001",),
        ),
        (
            "environmental_compliance",
            "Environmental compliance",
            "knowledge",
            "Meet environmental rules and reporting duties.",
            (),
        ),
        (
            "sustainability",
            "Sustainability",
            "knowledge",
            "Reduce environmental impact across operations and products.",
            ("ESG",),
        ),
    )
    + _skills(
        "g_languages",
        ("lang_english", "English", "language", "Work in English.", ()),
        ("lang_spanish", "Spanish", "language", "Work in Spanish.", ()),
        ("lang_french", "French", "language", "Work in French.", ()),
        ("lang_german", "German", "language", "Work in German.", ()),
        ("lang_portuguese", "Portuguese", "language", "Work in Portuguese.", ()),
        ("lang_polish", "Polish", "language", "Work in Polish.", ()),
        ("lang_arabic", "Arabic", "language", "Work in Arabic.", ()),
        ("lang_hindi", "Hindi", "language", "Work in Hindi.", ()),
        ("lang_italian", "Italian", "language", "Work in Italian.", ()),
        ("lang_dutch", "Dutch", "language", "Work in Dutch.", ()),
    )
    + _skills(
        "g_bim",
        (
            "bim",
            "Building information modelling",
            "skill",
            "Create and coordinate information-rich 3D models of built assets.",
            ("BIM", "building information modeling"),
        ),
        (
            "revit",
            "Autodesk Revit",
            "tool",
            "Model buildings and produce drawings in Revit.",
            ("Revit",),
        ),
        ("autocad", "AutoCAD", "tool", "Produce 2D drawings and details in AutoCAD.", ("CAD",)),
        (
            "bim_coordination",
            "BIM coordination",
            "skill",
            "Federate discipline models and resolve clashes.",
            ("clash detection",),
        ),
        (
            "iso_19650",
            "ISO 19650 information management",
            "knowledge",
            "Manage project information to ISO 19650.",
            (),
        ),
        (
            "digital_twins",
            "Digital twins",
            "knowledge",
            "Link models to live asset data for operations.",
            (),
        ),
        (
            "point_cloud",
            "Laser scanning and point clouds",
            "skill",
            "Capture and use as-built geometry from scans.",
            (),
        ),
        (
            "parametric_design",
            "Parametric design",
            "skill",
            "Generate design options with scripts (Dynamo, Grasshopper).",
            (),
        ),
    )
    + _skills(
        "g_structural_civil",
        (
            "structural_analysis",
            "Structural analysis",
            "skill",
            "Calculate loads, forces and deflections in structures.",
            (),
        ),
        (
            "structural_design",
            "Structural design",
            "skill",
            "Design steel, concrete and timber members to code.",
            (),
        ),
        ("eurocodes", "Eurocodes", "knowledge", "Apply the European structural design codes.", ()),
        (
            "geotechnics",
            "Geotechnical engineering",
            "knowledge",
            "Assess ground conditions and design foundations.",
            ("geotechnics",),
        ),
        (
            "civil_design",
            "Civil engineering design",
            "skill",
            "Design roads, drainage and earthworks.",
            ("civil engineering",),
        ),
        (
            "finite_element_analysis",
            "Finite element analysis",
            "skill",
            "Model structures numerically with FEA software.",
            ("FEA",),
        ),
        (
            "hydraulics",
            "Hydraulics and drainage",
            "knowledge",
            "Design water and drainage systems.",
            (),
        ),
        ("surveying", "Surveying", "skill", "Set out and measure sites accurately.", ()),
        (
            "building_regulations",
            "Building regulations",
            "knowledge",
            "Apply building codes and approvals.",
            ("building codes",),
        ),
        (
            "professional_licensure",
            "Professional engineering practice",
            "competence",
            "Practise as a licensed or chartered engineer, with its duties and ethics.",
            ("chartered engineer", "professional engineer"),
        ),
    )
    + _skills(
        "g_construction",
        (
            "site_safety",
            "Construction site safety",
            "skill",
            "Plan and enforce safe working on construction sites.",
            ("site safety management", "construction safety"),
        ),
        (
            "construction_management",
            "Construction management",
            "skill",
            "Run construction work on site: trades, sequence, quality.",
            (),
        ),
        (
            "cost_estimating",
            "Cost estimating",
            "skill",
            "Estimate the cost of construction work.",
            ("estimating",),
        ),
        (
            "quantity_surveying",
            "Quantity surveying",
            "skill",
            "Measure work and manage construction contracts and costs.",
            (),
        ),
        (
            "contract_management",
            "Contract management",
            "skill",
            "Administer contracts, variations and claims.",
            (),
        ),
        (
            "construction_scheduling",
            "Construction scheduling",
            "skill",
            "Plan programmes and critical paths (Primavera, MS Project).",
            (),
        ),
        (
            "temporary_works",
            "Temporary works",
            "knowledge",
            "Design and check scaffolds, props and excavations.",
            (),
        ),
        (
            "risk_assessment_method",
            "Risk assessments and method statements",
            "skill",
            "Write RAMS that keep work safe.",
            ("RAMS",),
        ),
        (
            "sustainable_construction",
            "Sustainable construction",
            "knowledge",
            "Cut embodied carbon and waste in construction.",
            (),
        ),
        (
            "client_management",
            "Client management",
            "skill",
            "Keep clients informed and satisfied through delivery.",
            (),
        ),
    )
)

PREREQUISITES: tuple[tuple[str, str], ...] = (
    ("salesforce_administration", "crm"),
    ("salesforce_reports", "salesforce_administration"),
    ("workflow_automation", "salesforce_administration"),
    ("digital_marketing_analytics", "web_analytics"),
    ("digital_marketing_analytics", "digital_marketing"),
    ("conversion_rate_optimisation", "web_analytics"),
    ("ab_testing", "statistics"),
    ("tableau", "data_visualisation"),
    ("power_bi", "data_visualisation"),
    ("machine_learning", "statistics"),
    ("machine_learning", "python_data"),
    ("forecasting", "statistics"),
    ("demand_planning", "forecasting"),
    ("inventory_optimisation", "demand_planning"),
    ("supply_chain_logistics", "warehouse_operations"),
    ("sop_planning", "demand_planning"),
    ("dbt", "sql"),
    ("etl_pipelines", "sql"),
    ("kubernetes", "docker"),
    ("mlops", "machine_learning"),
    ("system_design", "programming_fundamentals"),
    ("python_engineering", "programming_fundamentals"),
    ("bim_coordination", "bim"),
    ("revit", "bim"),
    ("digital_twins", "bim"),
    ("structural_design", "structural_analysis"),
    ("finite_element_analysis", "structural_analysis"),
    ("coaching", "communication"),
    ("prompt_engineering", "generative_ai"),
)

RELATED: tuple[tuple[str, str], ...] = (
    ("digital_marketing_analytics", "ab_testing"),
    ("web_analytics", "data_analysis"),
    ("ecommerce_platforms", "online_merchandising"),
    ("supply_chain_logistics", "transport_planning"),
    ("supply_chain_logistics", "last_mile_delivery"),
    ("order_fulfilment", "warehouse_operations"),
    ("crm", "customer_service"),
    ("handling_objections", "consultative_selling"),
    ("in_store_sales", "handling_objections"),
    ("tableau", "power_bi"),
    ("python_data", "r_programming"),
    ("coaching", "mentoring"),
    ("people_management", "performance_management"),
    ("bim", "revit"),
    ("site_safety", "health_and_safety"),
    ("generative_ai", "ai_fluency"),
)

CERTIFICATIONS: dict[str, Certification] = {
    "salesforce_administration": Certification("Certified Salesforce Administrator", 0.8, 2),
    "web_analytics": Certification("Web Analytics Professional Certificate", 0.6, 2),
    "forklift_operation": Certification("Forklift Operator Licence", 0.6, 3),
    "first_aid": Certification("First Aid at Work Certificate", 0.6, 3),
    "food_safety": Certification("Food Hygiene Certificate (Level 2)", 0.6, 3),
    "aws": Certification("AWS Certified Solutions Architect", 0.8, 3),
    "kubernetes": Certification("Certified Kubernetes Administrator", 0.8, 3),
    "project_management": Certification("Project Management Professional", 0.8, 3),
    "site_safety": Certification("Site Safety Supervisor Certificate", 0.6, 5),
    "bim": Certification("BIM Professional Certificate (ISO 19650)", 0.8, 3),
    "professional_licensure": Certification(
        "Professional engineering licence", 0.8, 2, ("US", "GB", "CA", "AU", "DE", "FR", "ES")
    ),
    "agile_delivery": Certification("Certified Scrum Practitioner", 0.6, 2),
}
"""Skills that certificates prove; the generator issues them with an expiry date."""

LANGUAGE_SKILL_BY_TAG: dict[str, str] = {
    "en": "lang_english",
    "es": "lang_spanish",
    "fr": "lang_french",
    "de": "lang_german",
    "pt-BR": "lang_portuguese",
    "pt": "lang_portuguese",
    "pl": "lang_polish",
    "ar": "lang_arabic",
    "hi": "lang_hindi",
    "it": "lang_italian",
    "nl": "lang_dutch",
}
"""The language skill of each language tag employees and catalog items use."""


def skill_keys() -> tuple[str, ...]:
    """Every skill key in a fixed order (groups excluded)."""
    return tuple(skill.key for skill in SKILLS)


def validate() -> None:
    """Check the taxonomy is self-consistent (unique keys and names, links to known keys)."""
    keys = [group.key for group in GROUPS] + [skill.key for skill in SKILLS]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in the demo taxonomy")
    names = [skill.name.lower() for skill in SKILLS] + [group.name.lower() for group in GROUPS]
    if len(names) != len(set(names)):
        raise ValueError("duplicate name in the demo taxonomy")
    known = set(keys)
    group_keys = {group.key for group in GROUPS}
    for skill in SKILLS:
        if skill.group not in group_keys:
            raise ValueError(f"skill {skill.key} has unknown group {skill.group}")
    for start, end in PREREQUISITES + RELATED:
        if start not in known or end not in known:
            raise ValueError(f"link {start} → {end} names an unknown skill")
    for key in CERTIFICATIONS:
        if key not in known:
            raise ValueError(f"certification for unknown skill {key}")
