"""Migrations go base → head → base → head, and the models match the schema (`alembic check`)."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from skillpath.db.session import make_engine
from skillpath.migrations import alembic_config, downgrade_to_base, upgrade_to_head
from skillpath.migrations.models import Base


def test_upgrade_downgrade_and_check(database_url: str) -> None:
    """Every revision downgrades, and after upgrading again the models match the database."""
    downgrade_to_base(database_url)
    engine = make_engine(database_url)
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade_to_head(database_url)
    command.check(alembic_config(database_url))
    tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
    assert tables == set(Base.metadata.tables)
    engine.dispose()
