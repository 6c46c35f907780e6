"""The `skillpath` command: assembles every command group and reports errors without tracebacks."""

from __future__ import annotations

import sys

import typer

from skillpath.cli import ai, db, demo, identity, imports, jobs, profiles, serve
from skillpath.cli.common import error_console
from skillpath.core.errors import InvalidInputError, SkillpathError

app = typer.Typer(
    help="Skillpath: skills intelligence and upskilling for employers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(db.app, name="db")
app.add_typer(imports.app, name="import")
app.add_typer(profiles.app, name="profiles")
app.add_typer(identity.users, name="users")
app.add_typer(identity.tokens, name="tokens")
app.add_typer(ai.skills, name="skills")
app.add_typer(ai.titles, name="titles")
app.command("serve")(serve.serve)
app.command("demo")(demo.demo)
app.command("worker")(jobs.run_worker)

EXIT_INVALID_INPUT = 2
EXIT_FAILURE = 1


def main() -> None:
    """Entry point: run the command; expected failures print a report and exit non-zero."""
    try:
        app(standalone_mode=True)
    except InvalidInputError as error:
        error_console.print(f"[bold red]Error:[/] {error.describe()}", markup=True)
        sys.exit(EXIT_INVALID_INPUT)
    except SkillpathError as error:
        error_console.print(f"[bold red]Error:[/] {error.message}", markup=True)
        sys.exit(EXIT_FAILURE)


if __name__ == "__main__":
    main()
