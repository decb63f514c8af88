"""Raw files: from a mirror folder or the network, pinned by sha256 in a committed lock.

Knows nothing about any particular source: it is handed a :class:`~kzegov_data.registry.Source`.
Every file is written to a temporary file beside its target, hashed, checked against the lock and
only then moved into ``raw/<source>/<file>``; a failed or refused download leaves ``raw/`` as it was.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import sys
import time
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO, Any

from ._io import atomic_write_text, sha256_file, temporary_file
from .errors import FetchError, HashMismatchError, LockFileError, ManualDownloadRequired, SourceUnavailable
from .registry import RawFile, Source

LOCK_VERSION = 1
CHUNK = 1 << 16
#: Largest file the fetcher writes, compressed or unpacked: far above any source (~20 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class FetchSettings:
    """Where raw files go and come from. Timeouts in seconds: (connect, read)."""

    raw_dir: Path
    mirror: Path | None = None
    timeout: tuple[float, float] = (10.0, 60.0)
    retries: int = 3
    backoff: float = 0.5
    progress: bool = True
    max_bytes: int = MAX_FILE_BYTES
    offline: bool = False


# --- the lock --------------------------------------------------------------------------------


class Lock:
    """``raw/sources.lock.json``: name, bytes, sha256, URL and retrieval date of every raw file."""

    def __init__(self, path: Path, entries: dict[str, dict[str, dict[str, Any]]] | None = None):
        self.path = path
        self.entries: dict[str, dict[str, dict[str, Any]]] = entries or {}

    @classmethod
    def load(cls, path: Path) -> Lock:
        if not path.exists():
            return cls(path)
        try:
            document = json.loads(path.read_text("utf-8"))
            version, entries = document["version"], document["sources"]
        except (ValueError, KeyError, TypeError) as error:
            msg = f"{path}: not a readable lock file ({error}); restore it from git (git checkout -- {path})"
            raise LockFileError(msg) from None
        if version != LOCK_VERSION:
            msg = (
                f"{path}: lock format version {version!r}, this kzegov_data reads version {LOCK_VERSION}; "
                "use the kzegov_data release that wrote it, or restore the lock from git"
            )
            raise LockFileError(msg)
        return cls(path, entries)

    def get(self, source_id: str, name: str) -> dict[str, Any] | None:
        return self.entries.get(source_id, {}).get(name)

    def snapshot(self, source_id: str) -> dict[str, dict[str, Any]]:
        return {name: dict(entry) for name, entry in self.entries.get(source_id, {}).items()}

    def restore(self, source_id: str, entries: dict[str, dict[str, Any]]) -> None:
        """Undo the pins a failed fetch made, so that a lock names only files that were used."""
        if entries:
            self.entries[source_id] = entries
        else:
            self.entries.pop(source_id, None)

    def pin(self, source_id: str, name: str, entry: dict[str, Any]) -> None:
        self.entries.setdefault(source_id, {})[name] = entry

    def source_entries(self, source: Source) -> list[dict[str, Any]]:
        """The pinned entries of a source's files, in declaration order (missing ones skipped)."""
        found = (self.get(source.id, raw_file.name) for raw_file in source.files)
        return [dict(entry, name=raw_file.name) for raw_file, entry in zip(source.files, found, strict=True) if entry]

    def to_json(self) -> str:
        document = {"version": LOCK_VERSION, "sources": self.entries}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def save(self) -> None:
        atomic_write_text(self.path, self.to_json())


# --- fetching ----------------------------------------------------------------------------------


def fetch_source(
    source: Source, settings: FetchSettings, lock: Lock, *, update: bool = False
) -> dict[str, Path]:
    """Make every raw file of ``source`` present and verified in ``raw/``; return their paths.

    The lock is changed in memory (new pins, or new hashes with ``update``); the caller saves it.
    """
    return {raw_file.name: fetch_file(source, raw_file, settings, lock, update=update) for raw_file in source.files}


def fetch_file(
    source: Source, raw_file: RawFile, settings: FetchSettings, lock: Lock, *, update: bool = False
) -> Path:
    target = settings.raw_dir / source.id / raw_file.name
    pinned = lock.get(source.id, raw_file.name)
    if not update and pinned and target.is_file() and sha256_file(target) == pinned["sha256"]:
        # Up to date, unless the mirror (the declared input) now holds something else.
        if settings.mirror is None or sha256_file(mirror_file(source, raw_file, settings.mirror)) == pinned["sha256"]:
            return target

    with temporary_file(target.parent, target.name) as (handle, temp_path):
        if settings.mirror is not None:
            origin = "mirror"
            copy_from_mirror(source, raw_file, settings.mirror, handle)
        elif raw_file.url is not None and not settings.offline:
            origin = "download"
            download(raw_file, settings, handle, temp_path)
        elif target.is_file():
            origin = "manual"
            with target.open("rb") as placed:
                shutil.copyfileobj(placed, handle, CHUNK)
        elif raw_file.url is not None:
            msg = f"{source.id}/{raw_file.name}: not in {target.parent}, and downloads are off (--offline)"
            raise SourceUnavailable(msg)
        else:
            msg = (
                f"{source.id}/{raw_file.name} has no stable download URL and is not in {target.parent}. "
                f"{source.manual_download} Then run: kzegov-data fetch {source.id}"
            )
            raise ManualDownloadRequired(msg)
        handle.close()
        digest = sha256_file(temp_path)
        size = temp_path.stat().st_size
        if size == 0:
            msg = f"{source.id}/{raw_file.name}: the {origin} copy is empty; nothing was changed"
            raise FetchError(msg)
        if pinned and digest != pinned["sha256"] and not update:
            msg = (
                f"{source.id}/{raw_file.name}: sha256 {digest[:12]}... ({size} bytes, from {origin}) "
                f"differs from the lock ({pinned['sha256'][:12]}..., {pinned['bytes']} bytes). The "
                "publisher may have revised the file, or the copy is damaged. Nothing was changed. "
                f"Inspect it; to accept it run: kzegov-data fetch --update {source.id}"
            )
            raise HashMismatchError(msg)
        if target.is_file() and pinned and digest != pinned["sha256"]:
            # --update: keep the file that the old hash pinned, so nothing is lost.
            kept = target.with_name(f"{target.name}.{pinned['sha256'][:12]}.previous")
            os.replace(target, kept)
        os.replace(temp_path, target)
    if not pinned or pinned["sha256"] != digest:
        lock.pin(
            source.id,
            raw_file.name,
            {
                "bytes": size,
                "sha256": digest,
                "url": raw_file.url or source.landing_page,
                "retrieved": date.today().isoformat(),
            },
        )
    return target


def mirror_file(source: Source, raw_file: RawFile, mirror: Path) -> Path:
    candidate = mirror / source.id / raw_file.name
    if not candidate.is_file():
        msg = (
            f"the mirror {mirror} has no {source.id}/{raw_file.name}; the mirror must be laid out "
            "as <source>/<file> with the publisher's file names"
        )
        raise FetchError(msg)
    return candidate


def copy_from_mirror(source: Source, raw_file: RawFile, mirror: Path, handle: IO[bytes]) -> None:
    with mirror_file(source, raw_file, mirror).open("rb") as original:
        shutil.copyfileobj(original, handle, CHUNK)


def session_with_retries(settings: FetchSettings) -> Any:
    # requests is imported here, not at module level: `import kzegov_data` must stay cheap.
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        backoff_factor=settings.backoff,
        status_forcelist=(429, 500, 502, 503, 504),
        allowed_methods=frozenset({"GET"}),
        raise_on_status=False,
        respect_retry_after_header=True,
    )
    session = requests.Session()
    session.headers["User-Agent"] = "kzegov_data (https://pypi.org/project/kzegov_data)"
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.mount("http://", HTTPAdapter(max_retries=retry))
    return session


def download(raw_file: RawFile, settings: FetchSettings, handle: IO[bytes], temp_path: Path) -> None:
    """Stream ``raw_file.url`` into ``handle`` (unpacking the archive member if there is one).

    Connection errors, timeouts and 5xx answers are retried with exponential backoff (urllib3's
    ``Retry``); a body cut off mid-way is retried here, since ``Retry`` covers only the headers.
    """
    attempts = settings.retries + 1
    with session_with_retries(settings) as session:
        for attempt in range(1, attempts + 1):
            if try_download(session, raw_file, settings, handle, temp_path, last=attempt == attempts):
                return
            time.sleep(settings.backoff * 2 ** (attempt - 1))


def try_download(
    session: Any, raw_file: RawFile, settings: FetchSettings, handle: IO[bytes], temp_path: Path,
    *, last: bool,
) -> bool:
    """One attempt: True when done, False when a retry may help; an error when none can."""
    import requests

    url = str(raw_file.url)
    handle.seek(0)
    handle.truncate()
    try:
        if raw_file.archive_member:
            with temporary_file(temp_path.parent, "archive.zip") as (archive, archive_path):
                stream_body(session, url, f"{raw_file.name} (zip)", settings, archive, expect_html=False)
                archive.close()
                extract_member(archive_path, raw_file.archive_member, handle, settings.max_bytes)
        else:
            expect_html = raw_file.name.endswith((".html", ".htm"))
            stream_body(session, url, raw_file.name, settings, handle, expect_html=expect_html)
    except IncompleteDownload as error:
        # The body broke off: retry here (urllib3's Retry already covered the connection itself).
        if last:
            msg = (
                f"could not download {url}: {error} after {settings.retries + 1} attempts. Try "
                "again later, or use a mirror folder: --mirror DIR or KZEGOV_MIRROR=DIR"
            )
            raise FetchError(msg) from None
        return False
    except (requests.ConnectionError, requests.Timeout) as error:
        msg = (
            f"could not reach {url} ({short(error)}) after {settings.retries + 1} attempts. Check "
            "the network, or use a mirror folder: --mirror DIR or KZEGOV_MIRROR=DIR"
        )
        raise SourceUnavailable(msg) from None
    return True


class IncompleteDownload(Exception):
    """The body broke off, or ended before Content-Length bytes arrived."""


def body_errors() -> tuple[type[BaseException], ...]:
    import requests

    return (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def stream_body(
    session: Any, url: str, label: str, settings: FetchSettings, handle: IO[bytes], *, expect_html: bool
) -> None:
    with session.get(url, stream=True, timeout=settings.timeout, verify=True) as response:
        if response.status_code != 200:
            reason = response.reason or ""
            msg = (
                f"{url} answered HTTP {response.status_code} {reason}".rstrip()
                + "; the publisher may be down or have moved the file. Try again later, or use a "
                "mirror folder (--mirror DIR / KZEGOV_MIRROR)"
            )
            error_class = SourceUnavailable if response.status_code >= 500 else FetchError
            raise error_class(msg)
        content_type = response.headers.get("Content-Type", "")
        expected = int(response.headers.get("Content-Length") or 0)
        if expected > settings.max_bytes:
            msg = f"{url} announces {expected} bytes, above the {settings.max_bytes}-byte cap"
            raise FetchError(msg)
        received = 0
        show = Progress(label, expected, enabled=settings.progress)
        try:
            for chunk in response.iter_content(CHUNK):
                if received == 0 and not expect_html and looks_like_html(content_type, chunk):
                    msg = (
                        f"{url} returned a web page (HTML) instead of {label}: the download link "
                        "may have changed or needs a browser. Open the source's landing page to check"
                    )
                    raise FetchError(msg)
                received += len(chunk)
                if received > settings.max_bytes:
                    msg = f"{url}: more than {settings.max_bytes} bytes; refusing to go on"
                    raise FetchError(msg)
                handle.write(chunk)
                show(received)
        except body_errors() as error:
            msg = f"the connection broke after {received} bytes ({short(error)})"
            raise IncompleteDownload(msg) from None
        show.done(received)
        if expected and received != expected:
            msg = f"received {received} of {expected} bytes"
            raise IncompleteDownload(msg)


def looks_like_html(content_type: str, first_chunk: bytes) -> bool:
    head = first_chunk[:512].lstrip().lower()
    return "text/html" in content_type.lower() or head.startswith((b"<!doctype html", b"<html"))


def short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class Progress:
    """Download progress on stderr: a live line on a terminal, a start and an end line otherwise."""

    def __init__(self, label: str, total: int, *, enabled: bool, stream: IO[str] | None = None):
        self.label, self.total, self.enabled = label, total, enabled
        self.stream = stream or sys.stderr
        self.live = enabled and self.stream.isatty()
        self.last = -1
        if enabled and not self.live:
            size = f" ({megabytes(total)})" if total else ""
            print(f"downloading {label}{size}", file=self.stream)

    def __call__(self, received: int) -> None:
        if not self.live:
            return
        percent = int(100 * received / self.total) if self.total else -1
        if percent != self.last:
            self.last = percent
            shown = f"{percent:3d}%" if percent >= 0 else megabytes(received)
            print(f"\rdownloading {self.label}: {shown}", end="", file=self.stream, flush=True)

    def done(self, received: int) -> None:
        if self.enabled:
            end = "\r" if self.live else ""
            print(f"{end}downloaded {self.label}: {megabytes(received)}", file=self.stream)


def megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


# --- archives ----------------------------------------------------------------------------------


def extract_member(archive_path: Path, pattern: str, handle: IO[bytes], max_bytes: int) -> str:
    """Copy the one member of a ZIP whose base name matches ``pattern`` into ``handle``.

    Every member name is checked first (no absolute path, no ``..``, no drive letter) and the
    archive is refused whole if one is unsafe; the member's declared size is capped, and so is what
    is actually read, in case the header lies.
    """
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile:
        msg = f"the download is not a ZIP archive, though one holding {pattern!r} was expected"
        raise FetchError(msg) from None
    with archive:
        infos = archive.infolist()
        unsafe = [info.filename for info in infos if not is_safe_member(info.filename)]
        if unsafe:
            msg = f"refusing the archive: unsafe member path(s) {unsafe[:5]} (absolute or with '..')"
            raise FetchError(msg)
        matches = [i for i in infos if not i.is_dir() and fnmatch.fnmatch(PurePosixPath(i.filename).name, pattern)]
        if len(matches) != 1:
            names = [i.filename for i in infos]
            msg = f"expected one archive member matching {pattern!r}, found {len(matches)} among {names[:10]}"
            raise FetchError(msg)
        member = matches[0]
        if member.file_size > max_bytes:
            msg = f"refusing archive member {member.filename}: {member.file_size} bytes unpacked, cap {max_bytes}"
            raise FetchError(msg)
        written = 0
        with archive.open(member) as source:
            for chunk in iter(lambda: source.read(CHUNK), b""):
                written += len(chunk)
                if written > max_bytes:
                    msg = f"refusing archive member {member.filename}: unpacks beyond the {max_bytes}-byte cap"
                    raise FetchError(msg)
                handle.write(chunk)
        return member.filename


def is_safe_member(name: str) -> bool:
    path = PurePosixPath(name.replace("\\", "/"))
    return not (path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]))

