"""SQL of the identity domain: users, tokens, login attempts, audit events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillpath.domains.identity.models import ApiToken, AuditEvent, LoginAttempt, User


def user_by_email(session: Session, email: str) -> User | None:
    """The user with this e-mail (case-insensitive), if any."""
    return session.scalars(select(User).where(func.lower(User.email) == email.lower())).first()


def user_by_id(session: Session, user_id: int) -> User | None:
    """The user with this id, if any."""
    return session.get(User, user_id)


def user_by_employee(session: Session, employee_id: int) -> User | None:
    """The user linked to an employee record, if any."""
    return session.scalars(select(User).where(User.employee_id == employee_id)).first()


def add(session: Session, row: User | ApiToken | LoginAttempt | AuditEvent) -> None:
    """Stage a new row and flush so it gets its id."""
    session.add(row)
    session.flush()


def token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, if any."""
    return session.scalars(
        select(ApiToken).where(ApiToken.token_hash == token_hash, ApiToken.revoked_at.is_(None))
    ).first()


def count_failed_logins(
    session: Session, *, email: str, ip: str, since: datetime
) -> tuple[int, int]:
    """Failed attempts since a moment, for this account and for this address."""
    by_email = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.email == email.lower(),
            LoginAttempt.attempted_at >= since,
            LoginAttempt.succeeded.is_(False),
        )
    )
    by_ip = session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.ip == ip,
            LoginAttempt.attempted_at >= since,
            LoginAttempt.succeeded.is_(False),
        )
    )
    return int(by_email or 0), int(by_ip or 0)


def oldest_failure_since(session: Session, *, email: str, since: datetime) -> datetime | None:
    """When the oldest failure in the window happened (to say when to try again)."""
    return session.scalar(
        select(func.min(LoginAttempt.attempted_at)).where(
            LoginAttempt.email == email.lower(),
            LoginAttempt.attempted_at >= since,
            LoginAttempt.succeeded.is_(False),
        )
    )


def recent_audit_events(
    session: Session, *, limit: int, offset: int = 0, action: str | None = None
) -> tuple[Sequence[AuditEvent], int]:
    """The newest audit events first, with the total count."""
    query = select(AuditEvent)
    count = select(func.count()).select_from(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
        count = count.where(AuditEvent.action == action)
    rows = session.scalars(
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return rows, int(session.scalar(count) or 0)


def list_users(session: Session) -> Sequence[User]:
    """Every user, by e-mail."""
    return session.scalars(select(User).order_by(User.email)).all()


# Reads for pages and the API


def audit_actions(session: Session) -> list[str]:
    """Every kind of action the audit log holds, A to Z."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))
