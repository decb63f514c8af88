"""Where things are: the project a command works on, the per-user data folder, the shipped files.

A *project* is a folder holding ``raw/`` (with the lock), ``processed/`` and ``build/``. Commands
that write (``fetch``, ``build``, ``validate``'s repairs) work on, in this order: the ``--root``
argument, ``KZEGOV_ROOT``, the source checkout the current folder lies in, else the per-user data
folder (:func:`user_data_dir`), so that a ``pip install``-ed package never litters the current folder.

``kzegov_data.load()`` reads, in this order: its ``data_dir`` argument, ``KZEGOV_DATA_DIR``, the
user build (:func:`user_processed_dir`, when it holds tables) and the tables shipped in the package
(:func:`shipped_processed_dir`).

Nothing here imports pandas.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: The distribution name in pyproject.toml that marks a source checkout of this package.
PROJECT_NAME = "kzegov_data"
_NAME_LINE = re.compile(r'^name\s*=\s*["\']([^"\']+)["\']', re.MULTILINE)


def user_data_dir() -> Path:
    """The per-user project folder (``~/.local/share/kzegov_data`` on Linux, by platformdirs).

    >>> user_data_dir().name
    'kzegov_data'
    """
    from platformdirs import user_data_path

    return Path(user_data_path(PROJECT_NAME, appauthor=False))


def user_processed_dir() -> Path:
    """``processed/`` of the per-user project: where ``kzegov-data build`` publishes outside a checkout."""
    return user_data_dir() / "processed"


def package_dir() -> Path:
    """The folder of the installed (or checked-out) ``kzegov_data`` package."""
    return Path(__file__).resolve().parent


def shipped_processed_dir() -> Path:
    """The published tables that come with the package: inside the wheel, else the checkout's."""
    shipped = package_dir() / "processed"
    if (shipped / "datapackage.json").is_file():
        return shipped
    return package_dir().parent.parent / "processed"


def shipped_document(name: str) -> Path | None:
    """A file the package ships beside its tables (``LICENSE``, ``DATACARD.md``, ``docs/figures/...``).

    The wheel holds them inside the package; a checkout at its root. ``None`` when neither has it.
    """
    for folder in (package_dir(), package_dir().parent.parent):
        if (folder / name).is_file():
            return folder / name
    return None


def is_checkout(folder: Path) -> bool:
    """``folder`` holds the ``pyproject.toml`` of this package."""
    try:
        text = (folder / "pyproject.toml").read_text("utf-8")
    except OSError:
        return False
    found = _NAME_LINE.search(text)
    return found is not None and found.group(1).replace("-", "_").lower() == PROJECT_NAME


def checkout_root(start: Path | None = None) -> Path | None:
    """The source checkout ``start`` (default: the current folder) lies in, or ``None``."""
    here = (start or Path.cwd()).resolve()
    return next((folder for folder in (here, *here.parents) if is_checkout(folder)), None)


def project_root(root: str | Path | None = None) -> Path:
    """The project a command works on: ``root``, ``KZEGOV_ROOT``, the enclosing checkout, the user folder."""
    explicit = root or os.environ.get("KZEGOV_ROOT")
    if explicit:
        return Path(explicit).resolve()
    return checkout_root() or user_data_dir()
