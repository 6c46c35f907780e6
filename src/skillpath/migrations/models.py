"""Imports every domain's tables so Alembic and tests see the whole schema."""

from skillpath.db.base import Base
from skillpath.domains.ai import models as ai_models
from skillpath.domains.analytics import models as analytics_models
from skillpath.domains.campaigns import models as campaigns_models
from skillpath.domains.evidence import models as evidence_models
from skillpath.domains.gaps import models as gaps_models
from skillpath.domains.identity import models as identity_models
from skillpath.domains.learning import models as learning_models
from skillpath.domains.mentoring import models as mentoring_models
from skillpath.domains.mobility import models as mobility_models
from skillpath.domains.people import models as people_models
from skillpath.domains.taxonomy import models as taxonomy_models

__all__ = [
    "Base",
    "ai_models",
    "analytics_models",
    "campaigns_models",
    "evidence_models",
    "gaps_models",
    "identity_models",
    "learning_models",
    "mentoring_models",
    "mobility_models",
    "people_models",
    "taxonomy_models",
]
