"""Find the files of a taxonomy release in zip archives, folders or plain files, by name.

Official releases ship as zip archives (ESCO: two of them; O*NET: one with a `db_…_text/`
folder) that users may also have extracted. Callers name the files they need; this module looks
for them by base name wherever they are and reports every path it cannot use.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from skillpath.core.errors import InvalidInputError, Problem
from skillpath.core.tabular import ProblemLog, RowContext, decode, read_table


@dataclass(frozen=True)
class InputFile:
    """One file found in the input; `label` says where, for problem reports."""

    name: str
    label: str
    read_bytes: Callable[[], bytes]

    def text(self) -> str:
        """The file as UTF-8 text (refused with a clear problem when it is not)."""
        return decode(self.read_bytes(), self.label)


def _zip_member_reader(archive: Path, member: str) -> Callable[[], bytes]:
    def read() -> bytes:
        with zipfile.ZipFile(archive) as opened:
            return opened.read(member)

    return read


def _file_reader(path: Path) -> Callable[[], bytes]:
    return path.read_bytes


def _files_in_zip(archive: Path, wanted: Collection[str]) -> dict[str, InputFile]:
    found: dict[str, InputFile] = {}
    with zipfile.ZipFile(archive) as opened:
        for member in opened.namelist():
            name = PurePosixPath(member).name
            if name in wanted and name not in found and not member.endswith("/"):
                found[name] = InputFile(
                    name=name,
                    label=f"{archive.name}/{member}",
                    read_bytes=_zip_member_reader(archive, member),
                )
    return found


def _files_in_folder(
    folder: Path, wanted: Collection[str]
) -> tuple[dict[str, InputFile], list[Problem]]:
    found: dict[str, InputFile] = {}
    problems: list[Problem] = []
    archives: list[Path] = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        if path.name in wanted and path.name not in found:
            found[path.name] = InputFile(
                name=path.name, label=str(path), read_bytes=_file_reader(path)
            )
        elif path.suffix.lower() == ".zip":
            archives.append(path)
    # Extracted files win over archives lying next to them (a folder may hold both).
    for archive in archives:
        try:
            in_zip = _files_in_zip(archive, wanted)
        except zipfile.BadZipFile:
            problems.append(Problem("is not a valid zip archive", file=str(archive)))
            continue
        for name, input_file in in_zip.items():
            found.setdefault(name, input_file)
    return found, problems


def find_input_files(
    paths: Sequence[Path],
    *,
    required: Collection[str],
    optional: Collection[str] = (),
    hint: str = "",
) -> dict[str, InputFile]:
    """The required (and any optional) files found in the given zips, folders or files.

    Raises `InvalidInputError` naming every unusable path, every required file not found and
    every file found in two different given paths (two releases mixed up); `hint` tells
    what the release looks like when required files are missing.
    """
    wanted = set(required) | set(optional)
    problems: list[Problem] = []
    found: dict[str, InputFile] = {}
    if not paths:
        problems.append(Problem("no path given"))
    for path in paths:
        in_path: dict[str, InputFile] = {}
        if not path.exists():
            problems.append(Problem("file or folder not found", file=str(path)))
            continue
        if path.is_dir():
            in_path, folder_problems = _files_in_folder(path, wanted)
            problems.extend(folder_problems)
        elif zipfile.is_zipfile(path) or path.suffix.lower() == ".zip":
            try:
                in_path = _files_in_zip(path, wanted)
            except zipfile.BadZipFile:
                problems.append(Problem("is not a valid zip archive", file=str(path)))
                continue
        elif path.name in wanted:
            in_path = {path.name: InputFile(path.name, str(path), _file_reader(path))}
        else:
            problems.append(
                Problem(
                    "is neither a zip archive, a folder, nor one of the expected files",
                    file=str(path),
                )
            )
            continue
        for name, input_file in in_path.items():
            if name in found:
                problems.append(
                    Problem(
                        f"{name} was found twice (also in {found[name].label}); "
                        "give each file of the release once",
                        file=input_file.label,
                    )
                )
            else:
                found[name] = input_file
    if not problems:
        for name in sorted(set(required) - set(found)):
            problems.append(Problem(f"required file {name} was not found in the given path(s)"))
        if hint and len(problems) > 0:
            problems.append(Problem(hint))
    if problems:
        given = ", ".join(str(p) for p in paths) or "nothing"
        raise InvalidInputError(f"cannot import from {given}", problems)
    return found


def rows_of(
    input_file: InputFile, *, required: Sequence[str], delimiter: str, log: ProblemLog
) -> Iterator[RowContext]:
    """The rows of one release file (extra columns allowed), their problems going to `log`."""
    table = read_table(
        input_file.text(),
        file=input_file.label,
        required=required,
        allow_unknown=True,
        delimiter=delimiter,
    )
    for row in table.rows:
        row.log = log
        yield row
    for problem in table.log.problems:
        log.add(problem)
