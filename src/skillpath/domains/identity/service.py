"""Use cases of identity: users, passwords, logins with throttling, API tokens, audit."""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from skillpath.core.clock import utcnow
from skillpath.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    Problem,
    ThrottledError,
    UnauthorizedError,
)
from skillpath.core.reports import ImportReport
from skillpath.domains.identity import repository
from skillpath.domains.identity.models import USER_ROLES, ApiToken, AuditEvent, LoginAttempt, User
from skillpath.domains.identity.visibility import Viewer
from skillpath.domains.people import repository as people_repository

_hasher = PasswordHasher()
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PREFIX = "skp_"  # noqa: S105 - a public marker, not a secret
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True)
class ThrottlePolicy:
    """How many failed logins are allowed in a sliding window, per account and per address."""

    max_failures: int = 5
    window_seconds: int = 15 * 60

    @property
    def max_failures_per_address(self) -> int:
        """An address may fail more often (shared offices), but not without bound."""
        return self.max_failures * 4


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the stored hash (false for users without a password)."""
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def viewer_for(user: User) -> Viewer:
    """The visibility identity of a user."""
    return Viewer(user_id=user.id, email=user.email, role=user.role, employee_id=user.employee_id)


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    employee_external_id: str | None = None,
    password: str | None = None,
    actor: str = "system",
) -> User:
    """Create a user, optionally linked to an employee and with a password."""
    problems: list[Problem] = []
    email = email.strip().lower()
    if not EMAIL_PATTERN.match(email):
        problems.append(Problem("is not a valid e-mail address", column="email", value=email))
    if role not in USER_ROLES:
        problems.append(
            Problem(f"must be one of {', '.join(USER_ROLES)}", column="role", value=role)
        )
    if password is not None and len(password) < MIN_PASSWORD_LENGTH:
        problems.append(
            Problem(f"must have at least {MIN_PASSWORD_LENGTH} characters", column="password")
        )
    employee_id: int | None = None
    if employee_external_id is not None:
        employee = people_repository.employee_by_external_id(session, employee_external_id)
        if employee is None:
            problems.append(
                Problem("no employee has this id", column="employee", value=employee_external_id)
            )
        else:
            employee_id = employee.id
            if repository.user_by_employee(session, employee.id) is not None:
                problems.append(
                    Problem(
                        "this employee already has a user",
                        column="employee",
                        value=employee_external_id,
                    )
                )
    if problems:
        raise InvalidInputError("cannot create the user", problems)
    if repository.user_by_email(session, email) is not None:
        raise ConflictError(f"a user with e-mail {email} already exists")
    user = User(
        email=email,
        role=role,
        employee_id=employee_id,
        password_hash=hash_password(password) if password else None,
    )
    repository.add(session, user)
    record_audit(
        session,
        actor=actor,
        action="user.create",
        entity_type="user",
        entity_id=str(user.id),
        summary=f"created user {email} with role {role}",
    )
    return user


def set_password(session: Session, *, email: str, password: str, actor: str = "system") -> User:
    """Set or replace a user's password."""
    user = repository.user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"no user has e-mail {email}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            "cannot set the password",
            [Problem(f"must have at least {MIN_PASSWORD_LENGTH} characters", column="password")],
        )
    user.password_hash = hash_password(password)
    record_audit(
        session,
        actor=actor,
        action="user.password",
        entity_type="user",
        entity_id=str(user.id),
        summary=f"password set for {user.email}",
    )
    session.flush()
    return user


def authenticate(
    session: Session, *, email: str, password: str, ip: str, policy: ThrottlePolicy
) -> User:
    """Check a login; throttles repeated failures and records every attempt."""
    email = email.strip().lower()
    now = utcnow()
    since = now - timedelta(seconds=policy.window_seconds)
    by_email, by_ip = repository.count_failed_logins(session, email=email, ip=ip, since=since)
    if by_email >= policy.max_failures or by_ip >= policy.max_failures_per_address:
        oldest = repository.oldest_failure_since(session, email=email, since=since) or now
        retry = max(1, int((oldest - since).total_seconds()))
        raise ThrottledError(
            "Too many failed logins. Please wait a few minutes and try again.", retry
        )
    user = repository.user_by_email(session, email)
    ok = user is not None and user.active and password_matches(user.password_hash, password)
    repository.add(session, LoginAttempt(email=email, ip=ip, attempted_at=now, succeeded=ok))
    if not ok or user is None:
        record_audit(
            session,
            actor=email,
            action="login.failed",
            entity_type="user",
            entity_id=str(user.id) if user else "",
            summary=f"failed login for {email}",
            ip=ip,
        )
        raise UnauthorizedError("The e-mail or password is not right.")
    user.last_login_at = now
    record_audit(
        session,
        actor=email,
        actor_user_id=user.id,
        action="login",
        entity_type="user",
        entity_id=str(user.id),
        summary=f"{email} logged in",
        ip=ip,
    )
    return user


def record_logout(session: Session, *, user_id: int, ip: str) -> None:
    """Note a logout in the audit log."""
    user = repository.user_by_id(session, user_id)
    if user is None:
        return
    record_audit(
        session,
        actor=user.email,
        actor_user_id=user.id,
        action="logout",
        entity_type="user",
        entity_id=str(user.id),
        summary=f"{user.email} logged out",
        ip=ip,
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(session: Session, *, email: str, name: str = "", actor: str = "system") -> str:
    """Issue a bearer token for a user; only its hash is stored, the token is returned once."""
    user = repository.user_by_email(session, email)
    if user is None:
        raise NotFoundError(f"no user has e-mail {email}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    repository.add(
        session,
        ApiToken(user_id=user.id, name=name, token_hash=_token_hash(token), prefix=token[:8]),
    )
    record_audit(
        session,
        actor=actor,
        action="token.create",
        entity_type="user",
        entity_id=str(user.id),
        summary=f"API token {token[:8]}… issued for {user.email}",
    )
    return token


def user_for_token(session: Session, token: str) -> User:
    """The active user a bearer token belongs to, or UnauthorizedError."""
    row = repository.token_by_hash(session, _token_hash(token.strip()))
    if row is None:
        raise UnauthorizedError("The API token is not valid.")
    user = repository.user_by_id(session, row.user_id)
    if user is None or not user.active:
        raise UnauthorizedError("The API token is not valid.")
    now = utcnow()
    if row.last_used_at is None or (now - row.last_used_at) > timedelta(minutes=5):
        row.last_used_at = now
    return user


def user_by_id(session: Session, user_id: int) -> User | None:
    """The active user with this id (for sessions), or None."""
    user = repository.user_by_id(session, user_id)
    if user is None or not user.active:
        return None
    return user


def record_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    entity_type: str = "",
    entity_id: str = "",
    summary: str = "",
    details: dict[str, Any] | None = None,
    actor_user_id: int | None = None,
    ip: str = "",
) -> AuditEvent:
    """Append an event to the audit log (in the caller's transaction)."""
    event = AuditEvent(
        actor=actor,
        actor_user_id=actor_user_id,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary,
        details=details or {},
        ip=ip,
    )
    repository.add(session, event)
    return event


# Reads for pages and the API


def audit_events(
    session: Session, *, action: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[Sequence[AuditEvent], int]:
    """The audit log, newest first, optionally of one kind of action, with the total."""
    return repository.recent_audit_events(session, limit=limit, offset=offset, action=action)


def audit_actions(session: Session) -> list[str]:
    """The kinds of action found in the audit log."""
    return repository.audit_actions(session)


def record_import(session: Session, *, kind: str, file: str, report: ImportReport) -> AuditEvent:
    """Note a successful CSV import in the audit log with what it created and updated."""
    created, updated = sum(report.created.values()), sum(report.updated.values())
    return record_audit(
        session,
        actor="system",
        action="import.csv",
        entity_type=kind,
        entity_id=file[:100],
        summary=f"imported {kind} from {file}: {report.rows_read} rows, "
        f"{created} created, {updated} updated",
        details={
            "kind": kind,
            "file": file,
            "rows": report.rows_read,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "removed": report.removed,
        },
    )
