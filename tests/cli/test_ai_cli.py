"""`skillpath skills rank | extract | index` and `skillpath titles match` as a user runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from skillpath.cli.ai import read_json_lines
from skillpath.core.errors import InvalidInputError

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def run_cli(
    args: list[str], database: Path, stdin: bytes = b"", cache: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    """Run the real command in a subprocess against a scratch SQLite database."""
    env = {
        **os.environ,
        "SKILLPATH_DATABASE_URL": f"sqlite:///{database}",
        "SKILLPATH_CACHE_DIR": str(cache or database.parent / "cache"),
    }
    return subprocess.run(
        [sys.executable, "-m", "skillpath.cli.main", *args],
        input=stdin,
        capture_output=True,
        env=env,
        check=False,
        timeout=300,
    )


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated scratch database with the example skills and roles."""
    path = tmp_path_factory.mktemp("ai-cli") / "cli.db"
    for args in (
        ["db", "upgrade"],
        ["import", "csv", "skills", str(EXAMPLES / "skills.csv")],
        ["import", "csv", "roles", str(EXAMPLES / "roles.csv")],
    ):
        result = run_cli(args, path)
        assert result.returncode == 0, result.stderr.decode()
    return path


def test_rank_writes_one_line_per_input_in_order(database: Path) -> None:
    """Rank writes one line per input in order."""
    lines = [{"text": "Strong structured query language"}, {"text": "pivot tables in excel"}]
    stdin = "\n".join(json.dumps(line) for line in lines).encode() + b"\n"
    result = run_cli(["skills", "rank", "--top", "3", "--lexical"], database, stdin)
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 2
    assert out[0]["skills"][0]["label"] == "SQL"
    assert out[0]["skills"][0]["uri"] == "SQL"
    assert out[0]["skills"][0]["span"] == "structured query language"
    assert set(out[0]["skills"][0]) == {"uri", "label", "score", "span"}
    assert out[1]["skills"][0]["label"] == "Microsoft Excel"
    assert b"lexical" in result.stderr


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        (b"not json\n", "not JSON"),
        (b'{"txt": "SQL"}\n', '"text"'),
        (b'["SQL"]\n', '"text"'),
        (b'{"text": "caf\xe9"}\n', "not UTF-8"),
    ],
)
def test_json_lines_are_checked(stdin: bytes, message: str) -> None:
    """Json lines are checked."""
    with pytest.raises(InvalidInputError) as refused:
        read_json_lines(stdin, "text")
    assert message in refused.value.describe()
    assert read_json_lines(b'\n{"text": "a"}\n\n{"text": "b"}', "text") == ["a", "b"]
    assert read_json_lines(b'{"text": "a"}', "title", fallback="text") == ["a"]


def test_rank_refuses_bad_lines_clearly(database: Path) -> None:
    """Rank refuses bad lines clearly."""
    result = run_cli(["skills", "rank", "--lexical"], database, b'{"text": "ok"}\nnot json\n')
    assert result.returncode == 2
    assert b"row 2" in result.stderr
    assert b"Traceback" not in result.stderr + result.stdout
    empty = run_cli(["skills", "rank", "--lexical"], database, b'{"text": "   "}\n')
    assert empty.returncode == 2
    assert b"empty" in empty.stderr


def test_rank_with_an_unknown_source_is_refused(database: Path) -> None:
    """Rank with an unknown source is refused."""
    result = run_cli(
        ["skills", "rank", "--source", "nope", "--lexical"], database, b'{"text": "x"}'
    )
    assert result.returncode == 2
    assert b"unknown taxonomy source" in result.stderr


def test_extract_reads_files_and_stdin(database: Path, tmp_path: Path) -> None:
    """Extract reads files and stdin."""
    document = tmp_path / "ad.txt"
    document.write_text("We need:\n- SQL\n- Tableau dashboards\n", encoding="utf-8")
    result = run_cli(["skills", "extract", str(document), "--json", "--lexical"], database)
    assert result.returncode == 0, result.stderr.decode()
    body = json.loads(result.stdout)
    assert {"SQL", "Tableau"} <= {s["label"] for s in body["skills"]}
    piped = run_cli(["skills", "extract", "-", "--lexical"], database, b"SQL and Tableau")
    assert piped.returncode == 0
    assert b"SQL" in piped.stdout


def test_extract_refuses_what_it_cannot_read(database: Path, tmp_path: Path) -> None:
    """Extract refuses what it cannot read."""
    for content, message in [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", b"not text"),
        (b"word " * 2_100_000, b"too large"),
    ]:
        document = tmp_path / "input.bin"
        document.write_bytes(content)
        result = run_cli(["skills", "extract", str(document), "--lexical"], database)
        assert result.returncode == 2
        assert message in result.stderr
        assert b"Traceback" not in result.stderr + result.stdout
    missing = run_cli(["skills", "extract", str(tmp_path / "none.txt")], database)
    assert missing.returncode == 2
    assert b"not found" in missing.stderr


def test_titles_match(database: Path) -> None:
    """Titles match."""
    stdin = b'{"title": "data analyst"}\n{"text": "store manager"}\n'
    result = run_cli(["titles", "match", "--top", "2", "--lexical"], database, stdin)
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(out) == 2
    assert out[0]["roles"]
    assert set(out[0]) == {"roles", "occupations"}


def test_index_reports_what_it_built(database: Path) -> None:
    """Index reports what it built."""
    result = run_cli(["skills", "index", "--lexical"], database)
    assert result.returncode == 0, result.stderr.decode()
    assert b"skills" in result.stdout
