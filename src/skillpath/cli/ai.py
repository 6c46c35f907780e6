"""`skillpath skills …` and `skillpath titles …`: text → skills and job titles → roles, offline.

`skills rank` and `titles match` read JSON lines on stdin and write one JSON line per input, in
order, on stdout (the batch interface evaluations use); notes go to stderr so stdout stays
machine-readable. Nothing is sent over the network: the model and indexes are local.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from skillpath.cli.common import console, error_console, progress_callback, unit_of_work
from skillpath.config import get_settings
from skillpath.core.errors import InvalidInputError, Problem, SkillpathError
from skillpath.domains.ai import service
from skillpath.domains.identity.visibility import Viewer

skills = typer.Typer(
    help="Text → skills: rank, extract, tag roles and the catalog.", no_args_is_help=True
)
titles = typer.Typer(
    help="Job titles → internal roles and ESCO/O*NET occupations.", no_args_is_help=True
)

MAX_STDIN_BYTES = 200_000_000
"""JSON lines on stdin are read whole (and checked) before anything is ranked."""
SYSTEM = Viewer(user_id=0, email="cli", role="hr_admin", employee_id=None)
"""The command line acts as an administrator of the installation."""

SourceOption = typer.Option(None, "--source", help="Only skills of this taxonomy source (esco …).")
LexicalOption = typer.Option(False, "--lexical", help="Leave embeddings out (faster, weaker).")


def _read_stdin() -> bytes:
    """All of stdin as bytes, refusing more than MAX_STDIN_BYTES."""
    data = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(data) > MAX_STDIN_BYTES:
        raise InvalidInputError(
            "standard input is too large",
            [Problem(f"more than {MAX_STDIN_BYTES:,} bytes; split the input", file="stdin")],
        )
    return data


def read_json_lines(data: bytes, field: str, *, fallback: str | None = None) -> list[str]:
    """The `field` value of each JSON line (blank lines skipped); every bad line is reported."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInputError(
            "standard input is not UTF-8",
            [Problem(f"byte {error.start} is not UTF-8", file="stdin", row=line)],
        ) from None
    values: list[str] = []
    problems: list[Problem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as error:
            problems.append(Problem(f"not JSON: {error.msg}", file="stdin", row=number))
            continue
        value: Any = None
        if isinstance(record, dict):
            value = record.get(field)
            if value is None and fallback is not None:
                value = record.get(fallback)
        if not isinstance(value, str):
            problems.append(
                Problem(f'expected an object with a "{field}" string', file="stdin", row=number)
            )
            continue
        values.append(value)
        if len(problems) >= 50:
            break
    if problems:
        raise InvalidInputError("some input lines cannot be read", problems)
    return values


def _note_once(note: str) -> None:
    """Say once, on stderr, how the results were made (e.g. the lexical path)."""
    if note:
        error_console.print(f"[yellow]Note:[/] {note}", markup=True)


@skills.command("rank")
def rank(
    source: str | None = SourceOption,
    top: int = typer.Option(10, "--top", min=1, max=200, help="Skills per input."),
    lexical: bool = LexicalOption,
) -> None:
    """Rank the skills of the database for each JSON line {"text": "…"} on stdin; write one line
    {"skills": [{"uri", "label", "score", "span"}, …]} per input, in order, best first."""
    texts = read_json_lines(_read_stdin(), "text")
    if not texts:
        return
    with unit_of_work() as session:
        run = service.rank_texts(
            session,
            texts=texts,
            source=source,
            top=top,
            cache_dir=get_settings().cache_dir,
            use_embeddings=not lexical,
        )
    _note_once(run.note)
    out = sys.stdout
    for result in run.results:
        skills_out = [
            {"uri": s.uri, "label": s.label, "score": s.score, "span": s.span}
            for s in result.skills
        ]
        out.write(json.dumps({"skills": skills_out}, ensure_ascii=False) + "\n")
    out.flush()


@skills.command("extract")
def extract(
    file: str = typer.Argument(..., help="A plain-text file (UTF-8), or - for stdin."),
    source: str | None = SourceOption,
    top: int = typer.Option(20, "--top", min=1, max=200, help="How many skills."),
    as_json: bool = typer.Option(False, "--json", help="Write the result as JSON."),
    lexical: bool = LexicalOption,
) -> None:
    """The skills a whole document speaks of (a job ad, course description, CV), with the words
    that support each."""
    if file == "-":
        data, name = _read_stdin(), "stdin"
    else:
        path = Path(file)
        if not path.is_file():
            raise InvalidInputError(f"{file} not found", [Problem("no such file", file=file)])
        with path.open("rb") as handle:
            data = handle.read(service.MAX_DOCUMENT_BYTES + 1)
        name = file
    text = service.decode_text(data, name=name)
    with unit_of_work() as session:
        result = service.extract_skills(
            session,
            text=text,
            source=source,
            top=top,
            cache_dir=get_settings().cache_dir,
            use_embeddings=not lexical,
        )
    _note_once(result.note)
    if as_json:
        sys.stdout.write(result.model_dump_json() + "\n")
        return
    console.print(
        f"{len(result.skills)} skills in {result.sentences} sentences ({result.mode} path)"
    )
    for skill in result.skills:
        console.print(
            f"{skill.score:5.2f}  {skill.label}  [dim]← “{skill.span}” ({skill.found_by})[/]",
            markup=True,
            highlight=False,
        )


@skills.command("tag")
def tag(
    what: str = typer.Argument(..., help="catalog (every active item) or roles (organisation)."),
    source: str | None = SourceOption,
    lexical: bool = LexicalOption,
) -> None:
    """Read every catalog item or organisation role description and store skill suggestions for
    review (rejected suggestions are never made again)."""
    if what not in ("catalog", "roles"):
        raise InvalidInputError(
            "unknown target", [Problem("must be catalog or roles", column="WHAT", value=what)]
        )
    settings = get_settings()
    with unit_of_work() as session, progress_callback() as progress:
        if what == "catalog":
            counts = service.suggest_for_items(
                session,
                viewer=SYSTEM,
                item_ids=None,
                source=source,
                cache_dir=settings.cache_dir,
                use_embeddings=not lexical,
                progress=progress,
            )
        else:
            counts = service.suggest_for_roles(
                session,
                viewer=SYSTEM,
                role_ids=None,
                source=source,
                cache_dir=settings.cache_dir,
                use_embeddings=not lexical,
                progress=progress,
            )
    _note_once(counts.note)
    console.print(
        f"Read {counts.targets:,} texts ({counts.mode} path): {counts.created:,} new suggestions, "
        f"{counts.updated:,} refreshed, {counts.skipped_rejected:,} left out as rejected before, "
        f"{counts.skipped_known:,} already known."
    )


@skills.command("index")
def index(source: str | None = SourceOption, lexical: bool = LexicalOption) -> None:
    """Build the ranking index of a taxonomy (label embeddings cached on disk) ahead of use."""
    settings = get_settings()
    with unit_of_work() as session:
        engine = service.ranker(
            session, source=source, cache_dir=settings.cache_dir, use_embeddings=not lexical
        )
    _note_once(engine.note)
    loaded = engine.loaded
    where = f" → {loaded.cache_path}" if loaded.cache_path else ""
    state = "built" if loaded.built_embeddings else "ready"
    console.print(
        f"{loaded.index.size:,} skills, {loaded.alias_count:,} aliases, {engine.mode} path, "
        f"{state} in {loaded.seconds:.1f} s{where}"
    )


@titles.command("match")
def match(
    top: int = typer.Option(5, "--top", min=1, max=50, help="Roles and occupations per title."),
    lexical: bool = LexicalOption,
) -> None:
    """For each JSON line {"title": "…"} (or {"text": "…"}) on stdin, write one line
    {"roles": […], "occupations": […]}: the best internal roles and ESCO/O*NET occupations."""
    values = read_json_lines(_read_stdin(), "title", fallback="text")
    if not values:
        return
    with unit_of_work() as session:
        results = service.match_titles(
            session,
            titles=values,
            top=top,
            cache_dir=get_settings().cache_dir,
            use_embeddings=not lexical,
        )
    for result in results:
        sys.stdout.write(result.model_dump_json() + "\n")
    sys.stdout.flush()


def index_after_import(source: str) -> None:
    """Build (and cache) the ranking index of a freshly imported taxonomy, so the first text
    read is fast; a failure here is reported and never undoes the import."""
    settings = get_settings()
    try:
        with unit_of_work() as session:
            engine = service.ranker(
                session,
                source=source,
                cache_dir=settings.cache_dir,
                use_embeddings=settings.ai_embeddings,
            )
    except SkillpathError as error:
        error_console.print(f"[yellow]Note:[/] skill index not built: {error.message}", markup=True)
        return
    loaded = engine.loaded
    where = f", embeddings cached in {loaded.cache_path}" if loaded.cache_path else ""
    console.print(
        f"Skill index of {source}: {loaded.index.size:,} skills ({engine.mode} path{where}) "
        f"in {loaded.seconds:.1f} s"
    )
    _note_once(engine.note)
