"""`skillpath users ...` and `skillpath tokens ...`."""

from __future__ import annotations

import typer

from skillpath.cli.common import console, unit_of_work
from skillpath.domains.identity import service as identity
from skillpath.domains.identity.models import USER_ROLES

users = typer.Typer(help="Users who can log in.", no_args_is_help=True)
tokens = typer.Typer(help="API tokens.", no_args_is_help=True)


@users.command("create")
def create_user(
    email: str = typer.Argument(..., help="Login e-mail."),
    role: str = typer.Option(..., "--role", help=f"One of: {', '.join(USER_ROLES)}."),
    employee: str | None = typer.Option(
        None, "--employee", help="External id of the employee record this user is."
    ),
    password: str | None = typer.Option(
        None, "--password", help="Password (at least 8 characters); omit for token-only users."
    ),
) -> None:
    """Create a user."""
    with unit_of_work() as session:
        user = identity.create_user(
            session,
            email=email,
            role=role,
            employee_external_id=employee,
            password=password,
            actor="cli",
        )
        console.print(f"Created user {user.email} (role {user.role}).")


@users.command("set-password")
def set_password(
    email: str = typer.Argument(..., help="Login e-mail."),
    password: str = typer.Option(..., "--password", prompt=True, hide_input=True),
) -> None:
    """Set a user's password."""
    with unit_of_work() as session:
        identity.set_password(session, email=email, password=password, actor="cli")
    console.print(f"Password set for {email}.")


@tokens.command("create")
def create_token(
    email: str = typer.Argument(..., help="E-mail of the user the token acts as."),
    name: str = typer.Option("", "--name", help="What the token is for."),
) -> None:
    """Issue an API token; the token is printed alone on the last line."""
    with unit_of_work() as session:
        token = identity.create_token(session, email=email, name=name, actor="cli")
    console.print(f"API token for {email} (shown once; keep it secret):")
    print(token)
