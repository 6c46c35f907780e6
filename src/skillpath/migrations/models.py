"""Imports every domain's tables so Alembic and tests see the whole schema."""

from skillpath.db.base import Base
from skillpath.domains.evidence import models as evidence_models
from skillpath.domains.identity import models as identity_models
from skillpath.domains.learning import models as learning_models
from skillpath.domains.people import models as people_models
from skillpath.domains.taxonomy import models as taxonomy_models

__all__ = [
    "Base",
    "evidence_models",
    "identity_models",
    "learning_models",
    "people_models",
    "taxonomy_models",
]
