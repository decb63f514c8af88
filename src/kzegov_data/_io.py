"""The file mechanics every module shares: one atomic write, one file hash."""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file, read in chunks (``hashlib.file_digest``)."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


@contextlib.contextmanager
def temporary_file(folder: Path, name: str) -> Iterator[tuple[IO[bytes], Path]]:
    """A temporary file in ``folder`` (same file system, so the final move is atomic).

    Yields an open binary handle and its path; the file is removed on exit unless the caller
    moved it away with :func:`os.replace`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".part", dir=folder)
    temp_path = Path(temp_name)
    # mkstemp creates 0600; raw files, tables and the lock are ordinary readable files.
    os.chmod(descriptor, 0o644)
    handle = os.fdopen(descriptor, "wb")
    try:
        yield handle, temp_path
    finally:
        handle.close()
        temp_path.unlink(missing_ok=True)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new one, never half of one."""
    with temporary_file(path.parent, path.name) as (handle, temp_path):
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(temp_path, path)


def atomic_write_text(path: Path, text: str) -> None:
    """:func:`atomic_write` of UTF-8 text with ``\\n`` line ends."""
    atomic_write(path, text.encode("utf-8"))


def is_safe_archive_name(name: str) -> bool:
    """A ZIP member name that stays inside the folder it is unpacked to: relative, no ``..``, no
    drive letter, no NUL (a downloaded archive and an .xlsx workbook are checked the same way)."""
    path = PurePosixPath(name.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]) or "\x00" in name)
