"""Raw files: from a mirror folder or the network, pinned by sha256 in a committed lock.

Knows nothing about any particular source: it is handed a :class:`~kzegov_data.registry.Source`.
Every file is written to a temporary file beside its target, checked (not empty, not a web page),
hashed, checked against the lock and only then moved into ``raw/<source>/<file>``; a failed or
refused download, a full disk or a read-only folder leave ``raw/`` and the lock as they were.

Downloads are bounded: https only (plain http only to this machine, for tests), at most
``max_redirects`` hops each checked the same way, ``retries`` retries whose waits (including a
server's ``Retry-After``) are capped at ``max_retry_after``, and ``time_budget`` seconds per file in
all. While it waits, the fetcher says so on stderr.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import ipaddress
import json
import os
import re
import shutil
import sys
import threading
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import IO, Any
from urllib.parse import urljoin, urlsplit

from ._io import atomic_write_text, is_safe_archive_name, sha256_file, temporary_file
from ._version import __version__
from .errors import (
    DownloadRefused,
    FetchError,
    HashMismatchError,
    LockFileError,
    ManualDownloadRequired,
    SourceUnavailable,
)
from .registry import RawFile, Source, unsafe_name_problem

LOCK_VERSION = 1
CHUNK = 1 << 16
#: Largest file the fetcher writes, compressed or unpacked: far above any source (~20 MB).
MAX_FILE_BYTES = 512 * 1024 * 1024
#: Publishers see who is asking and where to complain.
USER_AGENT = f"kzegov_data/{__version__} (+https://github.com/kzegov-data/kzegov_data)"
#: The server is busy or briefly broken: worth another try.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: The server refuses this client; a browser (a person) may still get the file.
REFUSED_STATUSES = frozenset({401, 403, 429})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
#: How much of an error page (or of an HTML body) is read to tell a bot check from other pages.
PAGE_SAMPLE_BYTES = 64 * 1024
#: Text that bot checks (Cloudflare, Akamai, Imperva, DataDome, PerimeterX, captchas) put in their pages.
CHALLENGE_MARKERS = (
    "cf-browser-verification", "challenge-platform", "cf_chl_", "cf-chl-", "just a moment...",
    "attention required! | cloudflare", "checking your browser", "enable javascript and cookies to continue",
    "captcha", "are you a robot", "are you a human", "_incapsula_resource", "px-captcha", "datadome",
    "access denied", "request unsuccessful. incapsula", "bot detection",
)
#: The first tag of an HTML page (after a BOM, white space, comments and an XML prolog).
HTML_START = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|title|meta|link|script|style|noscript|div|iframe|form|center|h1|p)[\s>/]",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FetchSettings:
    """Where raw files go and come from, and how long a download may take. Times in seconds.

    ``timeout`` is (connect, read) per request; ``time_budget`` bounds one file in all (every
    attempt, redirect and wait); a ``Retry-After`` above ``max_retry_after`` is cut to it, because a
    server asking for an hour should not hang a build for one; after ``stall_notice`` seconds without
    data a line on stderr says what is being waited for.
    """

    raw_dir: Path
    mirror: Path | None = None
    timeout: tuple[float, float] = (10.0, 60.0)
    retries: int = 3
    backoff: float = 0.5
    progress: bool = True
    max_bytes: int = MAX_FILE_BYTES
    offline: bool = False
    max_redirects: int = 5
    max_retry_after: float = 30.0
    time_budget: float = 300.0
    stall_notice: float = 5.0


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
        for source_id, files in entries.items() if isinstance(entries, dict) else ():
            for name in files:
                problem = unsafe_name_problem(str(name))
                if problem:
                    msg = (f"{path}: {source_id} pins a raw file named {name!r}, which {problem}; the lock was "
                           f"edited by hand or damaged: restore it from git (git checkout -- {path})")
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

    def source_entries(self, source: Source, files: tuple[RawFile, ...] | None = None) -> list[dict[str, Any]]:
        """The pinned entries of a source's files (or of ``files``, one edition's), in declaration order
        (missing ones skipped)."""
        files = source.files if files is None else files
        found = (self.get(source.id, raw_file.name) for raw_file in files)
        return [dict(entry, name=raw_file.name) for raw_file, entry in zip(files, found, strict=True) if entry]

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
    Leftovers of a killed fetch (``raw/<source>/.*.part``) are removed by the pipeline, which fetches
    under the project lock (:func:`kzegov_data.pipeline.tidy`).
    """
    if settings.progress:
        announce_downloads(source, settings)
    return {raw_file.name: fetch_file(source, raw_file, settings, lock, update=update) for raw_file in source.files}


def announce_downloads(source: Source, settings: FetchSettings) -> None:
    """One line on stderr per source that goes to the network (not one per file): which hosts, how many."""
    if settings.mirror is not None or settings.offline:
        return
    missing = [f for f in source.files if f.url is not None and not (settings.raw_dir / source.id / f.name).is_file()]
    if missing:
        hosts = ", ".join(sorted({urlsplit(str(f.url)).hostname or "" for f in missing}))
        print(f"{source.id}: downloading {len(missing)} file(s) from {hosts} (a mirror avoids the network: "
              "--mirror DIR or KZEGOV_MIRROR)", file=sys.stderr, flush=True)


def fetch_file(
    source: Source, raw_file: RawFile, settings: FetchSettings, lock: Lock, *, update: bool = False
) -> Path:
    """One raw file into ``raw/<source>/<name>``, verified; a disk or permission error is one line."""
    target = settings.raw_dir / source.id / raw_file.name
    try:
        return place_file(source, raw_file, settings, lock, target, update=update)
    except OSError as error:
        # Network errors never get here (the download turns them into FetchError): this is the disk.
        raise FetchError(disk_problem(source, raw_file, target, error)) from None


def place_file(
    source: Source, raw_file: RawFile, settings: FetchSettings, lock: Lock, target: Path, *, update: bool
) -> Path:
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
            Download(source, raw_file, settings, target).run(handle, temp_path)
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
        size = temp_path.stat().st_size
        if size == 0:
            msg = f"{source.id}/{raw_file.name}: the {origin} copy is empty; nothing was changed"
            raise FetchError(msg)
        if not is_html_name(raw_file.name) and looks_like_html("", head_of(temp_path)):
            # Before the hash: an error page is not a revision of the file, and must never be pinned.
            raise FetchError(html_instead_of_file(source, raw_file, origin, target, settings))
        digest = sha256_file(temp_path)
        if pinned and digest != pinned["sha256"] and not update:
            msg = (
                f"{source.id}/{raw_file.name}: sha256 {digest[:12]}... ({size} bytes, from {origin}) "
                f"differs from the lock ({pinned['sha256'][:12]}..., {pinned['bytes']} bytes). The "
                "publisher may have revised the file, or the copy is damaged. Nothing was changed. "
                f"Inspect it; to accept it run: kzegov-data fetch --update {source.id}"
            )
            raise HashMismatchError(msg)
        replaced = pinned["sha256"] if pinned and target.is_file() and digest != pinned["sha256"] else None
        replace_keeping_previous(temp_path, target, replaced)
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


def replace_keeping_previous(temp_path: Path, target: Path, previous_sha256: str | None) -> None:
    """Move the new file into place; with ``--update`` keep the one the old hash pinned, so nothing is lost.

    If the final move fails (disk, permissions) the kept file goes back, so ``raw/`` is as it was.
    """
    kept = None
    if previous_sha256 is not None:
        kept = target.with_name(f"{target.name}.{previous_sha256[:12]}.previous")
        os.replace(target, kept)
    try:
        os.replace(temp_path, target)
    except OSError:
        if kept is not None:
            os.replace(kept, target)
        raise


#: What to do about a file-system error while saving a raw file, by errno.
DISK_ADVICE = {
    errno.ENOSPC: "the disk is full: free some space there (or work on a larger disk)",
    errno.EDQUOT: "the disk quota is used up: free some space there",
    errno.EFBIG: "the file is larger than this file system (or ulimit -f) allows: work on another disk",
    errno.EACCES: "you may not write there: make the folder writable (chmod u+w) or work in a copy you own",
    errno.EPERM: "you may not write there: make the folder writable (chmod u+w) or work in a copy you own",
    errno.EROFS: "the file system is read-only: work in a writable copy of the project",
    errno.EEXIST: "a file stands where a folder should be: move it away",
    errno.ENOTDIR: "a file stands where a folder should be: move it away",
    errno.EISDIR: "a folder stands where a file should be: move it away",
}


def disk_problem(source: Source, raw_file: RawFile, target: Path, error: OSError) -> str:
    folder, raw_dir = target.parent, target.parent.parent
    path = Path(error.filename) if error.filename else None
    if path is not None and path != raw_dir and raw_dir not in path.parents:
        # Reading the mirror (or another input), not writing raw/.
        return (
            f"{source.id}/{raw_file.name}: could not read {path}: {error.strerror or error}; check that file and "
            f"its folder. raw/ and the lock were left as they were; then run: kzegov-data fetch {source.id}"
        )
    involved = f" ({path})" if path is not None and folder not in (path, path.parent) else ""
    advice = DISK_ADVICE.get(error.errno or 0, "check the folder and the disk")
    return (
        f"{source.id}/{raw_file.name}: could not save into {folder}{involved}: {error.strerror or error}; "
        f"{advice}. raw/ and the lock were left as they were; then run: kzegov-data fetch {source.id}"
    )


def is_html_name(name: str) -> bool:
    return name.lower().endswith((".html", ".htm"))


def head_of(path: Path, size: int = 4096) -> bytes:
    with path.open("rb") as handle:
        return handle.read(size)


def html_instead_of_file(source: Source, raw_file: RawFile, origin: str, target: Path, settings: FetchSettings) -> str:
    label = f"{source.id}/{raw_file.name}"
    if origin == "mirror" and settings.mirror is not None:
        return (
            f"{label}: the mirror's copy ({settings.mirror / source.id / raw_file.name}) is a web page (HTML), "
            f"not the publisher's file; nothing was changed or pinned. Replace it with the file from "
            f"{raw_file.url or source.landing_page}"
        )
    if origin == "manual":
        return (
            f"{label}: {target} is a web page (HTML), not the publisher's file (a browser may have saved the "
            f"page instead of the download); nothing was pinned. Save the file itself from {source.landing_page} "
            f"in its place, then run: kzegov-data fetch {source.id}"
        )
    return (
        f"{label}: {raw_file.url} returned a web page (HTML) instead of the file; nothing was changed or pinned. "
        f"The download link may have changed: open {source.landing_page} to check"
    )


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


# --- downloading ---------------------------------------------------------------------------------


class Retryable(Exception):
    """One attempt failed in a way another attempt may mend (5xx, 429, connection, broken body)."""

    def __init__(self, reason: str, *, kind: str, status: int | None = None, wait: float | None = None):
        super().__init__(reason)
        self.kind, self.reason, self.status, self.wait = kind, reason, status, wait


class OutOfTime(Exception):
    """The file's time budget is spent."""


class EncodingProblem(Exception):
    """The body does not decode as its Content-Encoding says."""


class Download:
    """One raw file from the network: a bounded loop of attempts, each following redirects itself.

    requests/urllib3 do the HTTP; the loop is ours rather than urllib3's ``Retry`` because ``Retry``
    sleeps silently for whatever ``Retry-After`` says and follows redirects without letting us check
    each hop, and the body (which ``Retry`` does not cover) needs the same retries and time budget.
    """

    def __init__(self, source: Source, raw_file: RawFile, settings: FetchSettings, target: Path):
        self.source, self.raw_file, self.settings, self.target = source, raw_file, settings, target
        self.url = str(raw_file.url)
        self.label = f"{source.id}/{raw_file.name}"
        self.started = time.monotonic()
        self.deadline = self.started + settings.time_budget
        self.progress = Progress(self.label, enabled=settings.progress, stall_notice=settings.stall_notice)

    def run(self, handle: IO[bytes], temp_path: Path) -> None:
        """Stream the file (unpacked from its archive if it has one) into ``handle``, or raise one error."""
        import requests  # here, not at module level: `import kzegov_data` must stay cheap

        problem = url_problem(self.url)
        if problem:
            msg = f"{self.label}: {self.url} is {problem}; only https URLs are fetched. The source's URL needs fixing"
            raise FetchError(msg)
        attempts = self.settings.retries + 1
        with requests.Session() as session:
            # Encodings we decode ourselves (so Content-Length counts the bytes on the wire).
            session.headers.update({"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"})
            last: Retryable | None = None
            for attempt in range(1, attempts + 1):
                try:
                    self.attempt(session, handle, temp_path)
                    return
                except OutOfTime:
                    raise self.out_of_time(last) from None
                except Retryable as failure:
                    last = failure
                    if attempt == attempts:
                        raise self.gave_up(failure, attempts) from None
                    wait = failure.wait if failure.wait is not None else self.settings.backoff * 2 ** (attempt - 1)
                    wait = max(0.0, min(wait, self.settings.max_retry_after))
                    if time.monotonic() + wait >= self.deadline:
                        raise self.out_of_time(failure) from None
                    self.progress.waiting(wait, failure.reason, attempt + 1, attempts)
                    time.sleep(wait)

    def attempt(self, session: Any, handle: IO[bytes], temp_path: Path) -> None:
        handle.seek(0)
        handle.truncate()
        if self.raw_file.archive_member:
            with temporary_file(temp_path.parent, "archive.zip") as (archive, archive_path):
                self.stream(session, archive, expect_html=False)
                archive.close()
                extract_member(
                    archive_path, self.raw_file.archive_member, handle, self.settings.max_bytes,
                    label=f"{self.label}: the archive from {self.url}",
                )
        else:
            self.stream(session, handle, expect_html=is_html_name(self.raw_file.name))

    def stream(self, session: Any, handle: IO[bytes], *, expect_html: bool) -> None:
        """One GET (with its redirects) into ``handle``: the wire bytes counted, the encoding undone."""
        with self.progress.watching(self.url, self.deadline, self.settings.timeout[1]):
            response = self.open(session)
            with response:
                self.check_status(response)
                self.body(response, handle, expect_html=expect_html)

    def open(self, session: Any) -> Any:
        """GET the URL and follow its redirects, each hop https (or loopback http), at most ``max_redirects``."""
        url, seen = self.url, [self.url]
        while True:
            response = self.request(session, url)
            if response.status_code not in REDIRECT_STATUSES:
                return response
            location = response.headers.get("Location")
            response.close()
            if not location:
                msg = f"{self.label}: {url} answered HTTP {response.status_code} (a redirect) without saying where to"
                raise FetchError(msg)
            following = urljoin(url, location)
            problem = url_problem(following)
            if problem:
                msg = (
                    f"{self.label}: {url} redirects to {following}, which is {problem}; not followed. "
                    f"Download the file by hand from {self.source.landing_page} into {self.target.parent}"
                )
                raise FetchError(msg)
            if following in seen:
                msg = (
                    f"{self.label}: redirect loop: {url} sends back to {following}; the publisher's site is "
                    f"misconfigured. Try again later, or save the file by hand from {self.source.landing_page} "
                    f"into {self.target.parent}"
                )
                raise FetchError(msg)
            seen.append(following)
            if len(seen) > self.settings.max_redirects + 1:
                msg = (
                    f"{self.label}: more than {self.settings.max_redirects} redirects from {self.url} (the last to "
                    f"{following}); not followed. Try again later, or save the file by hand from "
                    f"{self.source.landing_page} into {self.target.parent}"
                )
                raise FetchError(msg)
            url = following

    def request(self, session: Any, url: str) -> Any:
        import requests

        self.progress.touch()
        try:
            return session.get(url, stream=True, timeout=self.timeouts(), allow_redirects=False, verify=True)
        except (requests.ConnectionError, requests.Timeout) as error:
            raise Retryable(short(error), kind="connect") from None
        except requests.RequestException as error:
            msg = f"{self.label}: could not request {url} ({short(error)})"
            raise FetchError(msg) from None

    def timeouts(self) -> tuple[float, float]:
        """The (connect, read) timeouts, cut to what is left of the time budget."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise OutOfTime
        connect, read = self.settings.timeout
        return min(connect, left), min(read, left)

    def check_status(self, response: Any) -> None:
        status = response.status_code
        if status == 200:
            return
        reason = f"HTTP {status} {response.reason or ''}".rstrip()
        sample = read_sample(response)
        if is_challenge(response.headers, sample):
            raise DownloadRefused(self.refused(f"{reason}, a bot check"))
        if status == 429:
            raise Retryable(reason, kind="status", status=status, wait=retry_after(response))
        if status in REFUSED_STATUSES:
            raise DownloadRefused(self.refused(reason))
        if status in RETRY_STATUSES:
            raise Retryable(reason, kind="status", status=status, wait=retry_after(response))
        if status >= 500:
            msg = f"{self.label}: {self.url} answered {reason}; the publisher may be down. {TRY_LATER}"
            raise SourceUnavailable(msg)
        msg = (
            f"{self.label}: {self.url} answered {reason}; the publisher may have moved the file. Check "
            f"{self.source.landing_page}, or use a mirror folder (--mirror DIR / KZEGOV_MIRROR)"
        )
        raise FetchError(msg)

    def body(self, response: Any, handle: IO[bytes], *, expect_html: bool) -> None:
        headers = response.headers
        declared = headers.get("Content-Length", "")
        expected = int(declared) if declared.strip().isdigit() else None
        if expected is not None and expected > self.settings.max_bytes:
            msg = f"{self.label}: {self.url} announces {expected} bytes, above the {self.settings.max_bytes}-byte cap"
            raise FetchError(msg)
        if not expect_html and looks_like_html(headers.get("Content-Type", ""), b""):
            self.refuse_page(headers, read_sample(response))
        encoding = headers.get("Content-Encoding", "")
        try:
            decoder = BodyDecoder(encoding)
        except EncodingProblem as problem:
            msg = f"{self.label}: {self.url} sent Content-Encoding {encoding!r}, {problem}"
            raise FetchError(msg) from None
        self.progress.start(expected)
        wire = written = 0
        # read1 (urllib3 >= 2.3) returns what has arrived, so a stall is reported with the bytes really in.
        read = getattr(response.raw, "read1", response.raw.read)
        try:
            while True:
                try:
                    chunk = read(CHUNK, decode_content=False) or None
                except body_errors() as error:
                    reason = f"the connection broke after {wire} bytes ({short(error)})"
                    raise Retryable(reason, kind="body") from None
                pieces = decoder.finish() if chunk is None else decoder.feed(chunk)
                wire += len(chunk or b"")
                for piece in pieces:
                    if written == 0 and not expect_html and looks_like_html("", piece):
                        self.refuse_page(headers, piece)
                    written += len(piece)
                    if max(wire, written) > self.settings.max_bytes:
                        msg = f"{self.label}: {self.url}: more than {self.settings.max_bytes} bytes; refusing to go on"
                        raise FetchError(msg)
                    handle.write(piece)
                self.progress(written)
                if chunk is None:
                    break
                if time.monotonic() > self.deadline:
                    raise OutOfTime
        except EncodingProblem as problem:
            msg = (
                f"{self.label}: {self.url} says Content-Encoding {encoding!r} but {problem}; nothing was saved. "
                f"Try again later, or save the file by hand from {self.source.landing_page} into {self.target.parent}"
            )
            raise FetchError(msg) from None
        if expected is not None and wire != expected:
            reason = f"the body ended after {wire} of the {expected} bytes announced"
            raise Retryable(reason, kind="body")
        self.progress.done(written)

    def refuse_page(self, headers: Any, sample: bytes) -> None:
        """A web page came instead of the file: a bot check (save it by hand) or a moved link."""
        if is_challenge(headers, sample):
            raise DownloadRefused(self.refused("a bot-check page instead of the file"))
        msg = (
            f"{self.label}: {self.url} returned a web page (HTML) instead of the file: the download link may have "
            f"changed or need a browser. Open {self.source.landing_page} to check; nothing was changed"
        )
        raise FetchError(msg)

    def refused(self, reason: str) -> str:
        """The manual path, as for a source without a URL: which page, which name, which folder, then what."""
        member = self.raw_file.archive_member
        unpack = f", take the member matching {member!r} out of the ZIP" if member else ""
        return (
            f"{self.label}: {self.url} refuses scripts ({reason}).\n"
            f"Save it by hand: open {self.url} (or {self.source.landing_page}) in a browser{unpack}, save it as "
            f"{self.target}, then run: kzegov-data fetch {self.source.id}"
        )

    def gave_up(self, failure: Retryable, attempts: int) -> FetchError:
        if failure.status in REFUSED_STATUSES:
            return DownloadRefused(self.refused(f"{failure.reason} {attempts} times"))
        if failure.kind == "status":
            msg = f"{self.label}: {self.url} answered {failure.reason} {attempts} times; the publisher may be down. "
        elif failure.kind == "connect":
            msg = f"{self.label}: could not reach {self.url} ({failure.reason}) after {attempts} attempts. "
        else:
            msg = f"{self.label}: could not download {self.url}: {failure.reason}, {attempts} attempts. "
        return SourceUnavailable(msg + TRY_LATER)

    def out_of_time(self, last: Retryable | None) -> FetchError:
        spent = time.monotonic() - self.started
        what = f"; last: {last.reason}" if last else ""
        if last is not None and last.status in REFUSED_STATUSES:
            return DownloadRefused(self.refused(f"{last.reason}, until the time budget ran out"))
        msg = (
            f"{self.label}: gave up on {self.url} after {spent:.1f} s (time budget per file: "
            f"{self.settings.time_budget:g} s){what}. {TRY_LATER}"
        )
        return SourceUnavailable(msg)


TRY_LATER = "Try again later, or use a mirror folder: --mirror DIR or KZEGOV_MIRROR=DIR"


def url_problem(url: str) -> str | None:
    """Why the fetcher will not GET ``url`` (None when it will): https, or http to this machine only."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https":
        return None if parts.hostname else "an https URL without a host"
    if scheme == "http":
        return None if is_loopback(parts.hostname) else "not https but plain http to a public host"
    return f"not https but {scheme}:" if scheme else "not an absolute URL"


def is_loopback(host: str | None) -> bool:
    """127.0.0.0/8, ::1 or localhost: this machine, where plain http (tests) cannot be intercepted."""
    if not host:
        return False
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def retry_after(response: Any) -> float | None:
    """The server's ``Retry-After`` in seconds (a number or an HTTP date), or None."""
    from urllib3.exceptions import InvalidHeader
    from urllib3.util.retry import Retry

    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return float(Retry(0).parse_retry_after(value))
    except InvalidHeader:
        return None


def body_errors() -> tuple[type[BaseException], ...]:
    """What reading a body can raise when the network fails (never a disk error: writing is elsewhere)."""
    from http.client import HTTPException

    from urllib3.exceptions import HTTPError

    return (HTTPError, HTTPException, OSError)


def read_sample(response: Any, limit: int = PAGE_SAMPLE_BYTES) -> bytes:
    """Up to ``limit`` bytes of a body, decoded if it can be: enough to recognise an error page."""
    try:
        sample = response.raw.read(limit, decode_content=False) or b""
    except body_errors():
        return b""
    try:
        return b"".join(BodyDecoder(response.headers.get("Content-Encoding", "")).feed(sample))
    except EncodingProblem:
        return sample


def is_challenge(headers: Any, sample: bytes) -> bool:
    """A bot check (Cloudflare and the like) rather than a plain error page."""
    if str(headers.get("cf-mitigated", "")).lower() == "challenge":
        return True
    text = sample.decode("utf-8", "replace").lower()
    return any(marker in text for marker in CHALLENGE_MARKERS)


def looks_like_html(content_type: str, head: bytes) -> bool:
    """True for a web page: a text/html type, or a body whose first tag is HTML.

    Sees through a byte-order mark, white space, comments and an XML prolog, and knows pages that
    have only a ``<head>`` (a redirect or script page); a CSV, a spreadsheet or a ZIP never starts so.
    """
    media_type = content_type.split(";")[0].strip().lower()
    if media_type in ("text/html", "application/xhtml+xml"):
        return True
    text = head[:4096]
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = text.decode("utf-16", "replace").encode("utf-8", "replace")
    text = text.removeprefix(b"\xef\xbb\xbf")
    while True:
        text = text.lstrip()
        for opening, closing in ((b"<!--", b"-->"), (b"<?xml", b"?>")):
            if text[: len(opening)].lower() == opening:
                end = text.find(closing)
                if end < 0:
                    return opening == b"<!--"  # a comment longer than the sample: markup, not data
                text = text[end + len(closing) :]
                break
        else:
            return bool(HTML_START.match(text))


class BodyDecoder:
    """Undo a Content-Encoding (gzip, deflate) ourselves.

    So that ``Content-Length`` is compared with the bytes on the wire (CDNs send the compressed
    length), and so that a body labelled gzip that is not, or a gzip stream cut short (which urllib3
    passes on silently), is noticed.
    """

    def __init__(self, encoding: str):
        self.encoding = encoding.strip().lower()
        self.decompressor: Any = None
        if self.encoding in ("gzip", "x-gzip"):
            self.decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif self.encoding not in ("", "identity", "deflate"):
            msg = "an encoding this client did not ask for (it accepts gzip and deflate)"
            raise EncodingProblem(msg)

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.encoding in ("", "identity"):
            if data:
                yield data
            return
        if self.decompressor is None:
            # "deflate" is zlib-wrapped by the standard, raw deflate by some servers: the header tells.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] * 256 + data[1]) % 31 == 0
            self.decompressor = zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)
        try:
            while data:
                # Bounded pieces, so that a small body that unpacks to gigabytes is stopped by the cap.
                yield self.decompressor.decompress(data, CHUNK * 16)
                data = self.decompressor.unconsumed_tail
                if self.decompressor.eof and self.decompressor.unused_data:
                    data = self.decompressor.unused_data
                    if self.encoding == "deflate" or not data.startswith(b"\x1f\x8b"):
                        msg = "bytes follow the end of the compressed stream"
                        raise EncodingProblem(msg)
                    self.decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)  # another gzip member
        except zlib.error as error:
            msg = f"the body is not {self.encoding} data ({error}): the server mislabels it"
            raise EncodingProblem(msg) from None

    def finish(self) -> Iterator[bytes]:
        if self.encoding in ("", "identity"):
            return
        if self.decompressor is None or not self.decompressor.eof:
            msg = f"the {self.encoding} stream ends before its end marker (the server sent a truncated file)"
            raise EncodingProblem(msg)
        yield self.decompressor.flush()


def short(error: BaseException) -> str:
    """An exception in a few words: urllib3's ``(message, cause)`` pairs give their message only."""
    arguments = error.args
    text = arguments[0] if len(arguments) == 2 and isinstance(arguments[0], str) else str(error)
    text = text or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


class Progress:
    """Download progress on stderr: a live line on a terminal, a start and an end line otherwise.

    Also says, on a line of its own, when the fetcher waits before a retry and when a server has sent
    nothing for ``stall_notice`` seconds, since a silent wait looks like a hang: what is waited for,
    how long, and that Ctrl-C aborts (leaving raw/ as it was). Silent when not ``enabled``.
    """

    def __init__(self, label: str, *, enabled: bool, stall_notice: float = 5.0, stream: IO[str] | None = None):
        self.label, self.enabled, self.stall_notice = label, enabled, stall_notice
        self.stream = stream or sys.stderr
        self.live = enabled and self.stream.isatty()
        self.total = 0
        self.last = -1
        self.active = time.monotonic()

    def start(self, total: int | None) -> None:
        self.total, self.last = total or 0, -1
        self.touch()
        if self.enabled and not self.live:
            size = f" ({megabytes(self.total)})" if self.total else ""
            print(f"downloading {self.label}{size}", file=self.stream)

    def touch(self) -> None:
        """Something arrived (or a request was sent): the stall clock restarts."""
        self.active = time.monotonic()

    def __call__(self, received: int) -> None:
        self.touch()
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

    def note(self, text: str) -> None:
        if self.enabled:
            print(("\n" if self.live else "") + text, file=self.stream, flush=True)

    def waiting(self, wait: float, reason: str, attempt: int, attempts: int) -> None:
        self.note(
            f"{self.label}: {reason}; retrying in {seconds(wait)} (attempt {attempt} of {attempts}); Ctrl-C aborts"
        )

    def stalled(self, url: str, quiet: float, left: float) -> None:
        self.note(
            f"{self.label}: nothing received from {url} for {seconds(quiet)}; waiting up to "
            f"{seconds(max(left, 0.0))} more; Ctrl-C aborts"
        )

    @contextlib.contextmanager
    def watching(self, url: str, deadline: float, read_timeout: float) -> Iterator[None]:
        """While the block runs, a thread reports stalls (at stall_notice, then twice as long each time).

        The wait left is the sooner of the read timeout (counted from the last data) and the deadline.
        """
        if not self.enabled or self.stall_notice <= 0:
            yield
            return
        stop = threading.Event()

        def watch() -> None:
            announced = 0.0
            while not stop.wait(min(self.stall_notice / 2, 0.5)):
                quiet = time.monotonic() - self.active
                if quiet < announced:
                    announced = 0.0  # data came in since the last notice: a new stall
                if quiet >= max(self.stall_notice, 2 * announced):
                    announced = quiet
                    self.stalled(url, quiet, min(deadline - time.monotonic(), read_timeout - quiet))

        watcher = threading.Thread(target=watch, name=f"stall-watch {self.label}", daemon=True)
        self.touch()
        watcher.start()
        try:
            yield
        finally:
            stop.set()
            watcher.join()


def seconds(value: float) -> str:
    return f"{value:.0f} s" if value >= 10 else f"{value:.1f} s"


def megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


# --- archives ----------------------------------------------------------------------------------


def extract_member(
    archive_path: Path, pattern: str, handle: IO[bytes], max_bytes: int, *, label: str = ""
) -> str:
    """Copy the one member of a ZIP whose base name matches ``pattern`` into ``handle``.

    Every member name is checked first (no absolute path, no ``..``, no drive letter) and the
    archive is refused whole if one is unsafe; the member's declared size is capped, and so is what
    is actually read, in case the header lies; a bad CRC, a damaged stream or a size other than the
    header's is refused too. ``label`` (what and from where) starts every message.
    """
    prefix = f"{label}: " if label else ""
    try:
        archive = zipfile.ZipFile(archive_path)
    except zipfile.BadZipFile:
        msg = f"{prefix}the download is not a ZIP archive, though one holding {pattern!r} was expected"
        raise FetchError(msg) from None
    with archive:
        infos = archive.infolist()
        unsafe = [info.filename for info in infos if not is_safe_archive_name(info.filename)]
        if unsafe:
            msg = f"{prefix}refusing the archive: unsafe member path(s) {unsafe[:5]} (absolute or with '..')"
            raise FetchError(msg)
        matches = [i for i in infos if not i.is_dir() and fnmatch.fnmatch(PurePosixPath(i.filename).name, pattern)]
        if len(matches) != 1:
            names = [i.filename for i in infos]
            msg = f"{prefix}expected one archive member matching {pattern!r}, found {len(matches)} among {names[:10]}"
            raise FetchError(msg)
        member = matches[0]
        if member.file_size > max_bytes:
            msg = (
                f"{prefix}refusing archive member {member.filename}: {member.file_size} bytes unpacked, "
                f"cap {max_bytes}"
            )
            raise FetchError(msg)
        written = 0
        damaged = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError)
        try:
            with archive.open(member) as source:
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    written += len(chunk)
                    if written > max_bytes:
                        msg = (
                            f"{prefix}refusing archive member {member.filename}: unpacks beyond the "
                            f"{max_bytes}-byte cap"
                        )
                        raise FetchError(msg)
                    handle.write(chunk)
        except damaged as error:
            msg = (
                f"{prefix}archive member {member.filename} is damaged ({short(error)}); nothing was changed. "
                "Try again later, or download and unpack the file by hand"
            )
            raise FetchError(msg) from None
        if written != member.file_size:
            msg = (
                f"{prefix}archive member {member.filename} unpacks to {written} bytes, its header says "
                f"{member.file_size}: the archive is damaged; nothing was changed. Try again later"
            )
            raise FetchError(msg)
        return member.filename
