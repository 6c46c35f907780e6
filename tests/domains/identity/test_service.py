"""Users, passwords, login throttling, API tokens and the audit trail."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from skillpath.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    ThrottledError,
    UnauthorizedError,
)
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import ApiToken, AuditEvent
from skillpath.domains.identity.service import ThrottlePolicy
from tests.factories import make_employee, make_user

POLICY = ThrottlePolicy(max_failures=3, window_seconds=600)


def test_create_user_links_employee_and_hashes_password(session: Session) -> None:
    """The password is stored as an argon2 hash, never in clear."""
    employee = make_employee(session)
    user = identity.create_user(
        session,
        email="Ana@Example.com",
        role="manager",
        employee_external_id=employee.external_id,
        password="s3cret-pass",
    )
    assert user.email == "ana@example.com"
    assert user.employee_id == employee.id
    assert user.password_hash is not None
    assert user.password_hash.startswith("$argon2")
    assert "s3cret-pass" not in user.password_hash


def test_create_user_reports_every_problem(session: Session) -> None:
    """Bad e-mail, unknown role, short password and unknown employee are all named."""
    with pytest.raises(InvalidInputError) as caught:
        identity.create_user(
            session, email="nope", role="boss", employee_external_id="X404", password="short"
        )
    columns = {p.column for p in caught.value.problems}
    assert columns == {"email", "role", "password", "employee"}


def test_duplicate_email_is_a_conflict(session: Session) -> None:
    """Two users cannot share an e-mail, whatever its case."""
    make_user(session, email="same@example.com")
    with pytest.raises(ConflictError):
        identity.create_user(session, email="SAME@example.com", role="employee")


def test_authenticate_success_and_audit(session: Session) -> None:
    """A right password logs in and leaves an audit event."""
    user = make_user(session, email="ok@example.com", password="correct-horse")
    found = identity.authenticate(
        session, email="OK@example.com", password="correct-horse", ip="10.0.0.1", policy=POLICY
    )
    assert found.id == user.id
    assert found.last_login_at is not None
    actions = session.scalars(select(AuditEvent.action)).all()
    assert "login" in actions


def test_wrong_password_then_throttled(session: Session) -> None:
    """After `max_failures` failures even the right password is refused for a while."""
    make_user(session, email="t@example.com", password="correct-horse")
    for _ in range(POLICY.max_failures):
        with pytest.raises(UnauthorizedError):
            identity.authenticate(
                session, email="t@example.com", password="wrong", ip="10.0.0.2", policy=POLICY
            )
    with pytest.raises(ThrottledError) as caught:
        identity.authenticate(
            session, email="t@example.com", password="correct-horse", ip="10.0.0.2", policy=POLICY
        )
    assert caught.value.retry_after_seconds > 0


def test_unknown_user_fails_like_a_wrong_password(session: Session) -> None:
    """No hint whether the account exists."""
    with pytest.raises(UnauthorizedError) as caught:
        identity.authenticate(
            session, email="ghost@example.com", password="x" * 10, ip="1.1.1.1", policy=POLICY
        )
    assert caught.value.message == "The e-mail or password is not right."


def test_tokens_are_stored_hashed_and_resolve_to_their_user(session: Session) -> None:
    """A token works, is stored only as a hash, and a wrong token is refused."""
    user = make_user(session, email="api@example.com")
    token = identity.create_token(session, email="api@example.com", name="ci")
    assert token.startswith("skp_")
    stored = session.scalars(select(ApiToken)).one()
    assert token not in stored.token_hash
    assert identity.user_for_token(session, token).id == user.id
    with pytest.raises(UnauthorizedError):
        identity.user_for_token(session, token + "x")
    with pytest.raises(NotFoundError):
        identity.create_token(session, email="nobody@example.com")


def test_inactive_users_cannot_use_tokens(session: Session) -> None:
    """Deactivating a user cuts off their tokens."""
    user = make_user(session, email="gone@example.com")
    token = identity.create_token(session, email="gone@example.com")
    user.active = False
    session.flush()
    with pytest.raises(UnauthorizedError):
        identity.user_for_token(session, token)
