"""Writing a file the user keeps (a report, an exported list) so that a crash never costs the old one.

The new content goes to a temporary file in the target's folder and is renamed over the
target with `os.replace` only once it is complete: a process killed while writing leaves
the previous file as it was (and, at worst, a hidden `.part` file beside it).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from camp_manager.errors import DomainError
from camp_manager.i18n import tr

PART_SUFFIX = ".part"


def output_folder_problem(folder: Path) -> str | None:
    """Why files cannot be written into `folder`, or None."""
    if not folder.is_dir():
        return tr("폴더 {folder}이(가) 없습니다. 있는 폴더를 고르세요.", folder=folder)
    if not os.access(folder, os.W_OK | os.X_OK):
        return tr("폴더 {folder}에 쓸 권한이 없습니다. 다른 폴더를 고르세요.", folder=folder)
    return None


def check_output_folder(folder: Path) -> None:
    problem = output_folder_problem(Path(folder))
    if problem is not None:
        raise DomainError(problem, field="out")


@contextmanager
def atomic_write(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path` to write to; on success it replaces `path` at once."""
    path = Path(path)
    check_output_folder(path.parent)
    try:
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=PART_SUFFIX)
    except OSError as error:
        raise DomainError(
            tr("폴더 {folder}에 파일을 쓸 수 없습니다({error}).", folder=path.parent, error=error.strerror or error),
            field="out",
        ) from error
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        _keep_mode_of(path, temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise DomainError(
            tr(
                "'{path}'에 저장하지 못했습니다. 파일이 다른 프로그램에서 열려 있으면 닫거나 다른 이름으로 저장하세요.\n({error})",
                path=path,
                error=error.strerror or error,
            ),
            field="out",
        ) from error
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()


NEW_FILE_MODE = 0o644  # what a program saving a document usually makes (mkstemp's file is owner-only)


def _keep_mode_of(path: Path, temporary: Path) -> None:
    """A replaced file keeps its permissions; a new one gets the usual ones."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    os.chmod(temporary, mode)
