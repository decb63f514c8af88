"""The fetcher's fault suite: a fake publisher on 127.0.0.1 plays each way a download goes wrong.

Every failing case checks the same promises: the right exception class, a message of one or two
lines that names the file, ``raw/`` (with the lock file in it) byte for byte as before, the lock in
memory unchanged, no ``.part`` leftover, and a bounded time. Each case records its outcome and
duration as test properties (``--junitxml``) for the fault table; nothing is printed.
"""

from __future__ import annotations

import contextlib
import copy
import errno
import gzip
import http.server
import io
import os
import struct
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest

import kzegov_data.fetch
from kzegov_data._version import __version__
from kzegov_data.errors import DownloadRefused, FetchError, HashMismatchError, SourceUnavailable
from kzegov_data.fetch import FetchSettings, Lock, fetch_source, looks_like_html
from kzegov_data.registry import Licence, RawFile, Source

# Compressible, and large enough that gzip changes its length a lot (what trips a naive length check).
PAYLOAD = b"Survey Year,Country Name,EGDI\n" + b"".join(
    f"{2000 + i % 25},Country {i},{i / 7919:.5f}\n".encode() for i in range(3000)
)
CLOUDFLARE_CHALLENGE = (
    b'<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title>'
    b'<meta http-equiv="refresh" content="390"></head><body><noscript>Enable JavaScript and cookies to '
    b'continue</noscript><script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script>'
    b"</body></html>"
)
ERROR_PAGE = b"<!DOCTYPE html><html><body><h1>Service temporarily moved</h1></body></html>"
#: A request or a whole fetch that takes longer than this is a hang, not a fault handled.
BOUND = 4.0

Step = Callable[["Handler"], None]


class Handler(http.server.BaseHTTPRequestHandler):
    """Answers GET with the next step planned for the path (404 when none)."""

    server: PublisherServer

    def do_GET(self) -> None:
        publisher = self.server.publisher
        publisher.requests.append((self.path, dict(self.headers.items())))
        count = publisher.hits.get(self.path, 0)
        publisher.hits[self.path] = count + 1
        steps = publisher.plans.get(self.path) or [status(404)]
        steps[min(count, len(steps) - 1)](self)

    def log_message(self, *args: object) -> None:
        pass


class PublisherServer(http.server.ThreadingHTTPServer):
    publisher: Publisher

    def handle_error(self, request: Any, client_address: Any) -> None:
        # The client hanging up on a stalled or oversized answer is part of the play.
        pass


@dataclass
class Publisher:
    """What the fake publisher answers, and what it was asked."""

    base: str = ""
    plans: dict[str, list[Step]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    #: Set at teardown: stalled answers stop waiting, so the server's threads end.
    release: threading.Event = field(default_factory=threading.Event)

    def on(self, path: str, *steps: Step) -> str:
        self.plans[path] = list(steps)
        return f"{self.base}{path}"


@pytest.fixture
def publisher() -> Iterator[Publisher]:
    httpd = PublisherServer(("127.0.0.1", 0), Handler)
    httpd.publisher = Publisher(base=f"http://127.0.0.1:{httpd.server_address[1]}")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd.publisher
    finally:
        httpd.publisher.release.set()
        httpd.shutdown()
        httpd.server_close()  # joins the request threads
        thread.join(timeout=5)
        assert not thread.is_alive()


def serve(
    body: bytes, content_type: str = "text/csv", *, length: int | None = None, **headers: str
) -> Step:
    """200 with ``body``; ``length`` overrides the Content-Length (a lying server)."""

    def step(request: Handler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body) if length is None else length))
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.end_headers()
        request.wfile.write(body)

    return step


def status(code: int, body: bytes = b"", content_type: str = "text/plain", **headers: str) -> Step:
    def step(request: Handler) -> None:
        request.send_response(code)
        request.send_header("Content-Type", content_type)
        request.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            request.send_header(name.replace("_", "-"), value)
        request.end_headers()
        request.wfile.write(body)

    return step


def redirect(location: str, code: int = 302) -> Step:
    return status(code, Location=location)


def stall_mid_body(request: Handler) -> None:
    """Headers and a third of the body, then nothing until the test ends."""
    request.send_response(200)
    request.send_header("Content-Type", "text/csv")
    request.send_header("Content-Length", str(len(PAYLOAD)))
    request.end_headers()
    request.wfile.write(PAYLOAD[: len(PAYLOAD) // 3])
    request.wfile.flush()
    request.server.publisher.release.wait(10)


def make_source(url: str | None, name: str = "data.csv", archive_member: str | None = None) -> Source:
    return Source(
        id="demo", publisher="Test", title="Demo", landing_page="https://example.org/demo",
        licence=Licence("CC0", "https://example.org/cc0"), citation="Demo",
        files=(RawFile(name, url=url, archive_member=archive_member),), tables=("demo",),
        manual_download="Open https://example.org/demo and save the file.",
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def parts(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.part"))


@dataclass
class Scene:
    """A project whose raw/ already holds another source and a lock: what a fault must leave alone."""

    root: Path
    record: Callable[[str, object], None]

    def __post_init__(self) -> None:
        other = self.raw / "other" / "keep.csv"
        other.parent.mkdir(parents=True)
        other.write_bytes(b"kept\n")
        lock = Lock(self.lock_path)
        entry = {"bytes": 5, "sha256": "0" * 64, "url": "https://example.org/keep.csv", "retrieved": "2025-01-01"}
        lock.pin("other", "keep.csv", entry)
        lock.save()

    @property
    def raw(self) -> Path:
        return self.root / "raw"

    @property
    def lock_path(self) -> Path:
        return self.raw / "sources.lock.json"

    def settings(self, **options: Any) -> FetchSettings:
        """Fast and bounded: short timeouts, tiny waits, a 3-second budget per file, quiet."""
        chosen: dict[str, Any] = {
            "raw_dir": self.raw, "timeout": (2.0, 1.0), "retries": 2, "backoff": 0.01, "progress": False,
            "max_retry_after": 0.2, "time_budget": 3.0, "stall_notice": 0.2,
        }
        chosen.update(options)
        return FetchSettings(**chosen)

    def fails(
        self, expected: type[FetchError], source: Source, settings: FetchSettings, *,
        update: bool = False, bound: float = BOUND,
    ) -> str:
        """Fetch, expecting ``expected`` (exactly) and nothing changed; return the message."""
        lock = Lock.load(self.lock_path)
        entries, before = copy.deepcopy(lock.entries), snapshot(self.raw)
        started = time.monotonic()
        with pytest.raises(FetchError) as caught:
            fetch_source(source, settings, lock, update=update)
        elapsed = time.monotonic() - started
        self.record("outcome", type(caught.value).__name__)
        self.record("seconds", f"{elapsed:.2f}")
        message = str(caught.value)
        self.record("message", message)
        assert type(caught.value) is expected, message
        assert 1 <= len(message.splitlines()) <= 2, message
        assert "Traceback" not in message
        assert f"{source.id}/{source.files[0].name}" in message
        assert snapshot(self.raw) == before
        assert lock.entries == entries
        assert parts(self.raw) == []
        assert elapsed < bound
        return message

    def succeeds(self, source: Source, settings: FetchSettings) -> Path:
        lock = Lock.load(self.lock_path)
        started = time.monotonic()
        paths = fetch_source(source, settings, lock)
        elapsed = time.monotonic() - started
        self.record("outcome", "ok")
        self.record("seconds", f"{elapsed:.2f}")
        assert parts(self.raw) == []
        assert elapsed < BOUND
        return paths[source.files[0].name]


@pytest.fixture
def scene(tmp_path: Path, record_property: Callable[[str, object], None]) -> Scene:
    return Scene(tmp_path, record_property)


# --- encodings and lengths ----------------------------------------------------------------------


def test_gzip_with_compressed_content_length_gives_the_decoded_file(publisher: Publisher, scene: Scene) -> None:
    body = gzip.compress(PAYLOAD)
    assert len(body) < len(PAYLOAD) // 2  # the CDN's Content-Length is far below the file's size
    url = publisher.on("/data.csv", serve(body, Content_Encoding="gzip"))
    assert scene.succeeds(make_source(url), scene.settings()).read_bytes() == PAYLOAD


@pytest.mark.parametrize(
    "compress", [zlib.compress, lambda data: zlib.compress(data)[2:-4]], ids=["zlib-deflate", "raw-deflate"]
)
def test_deflate_gives_the_decoded_file(
    publisher: Publisher, scene: Scene, compress: Callable[[bytes], bytes]
) -> None:
    url = publisher.on("/data.csv", serve(compress(PAYLOAD), Content_Encoding="deflate"))
    assert scene.succeeds(make_source(url), scene.settings()).read_bytes() == PAYLOAD


def test_gzip_header_on_a_plain_body_is_one_line(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", serve(PAYLOAD, Content_Encoding="gzip"))
    message = scene.fails(FetchError, make_source(url), scene.settings())
    assert url in message
    assert "not gzip data" in message
    assert publisher.hits["/data.csv"] == 1  # a mislabelled body is not retried


def test_truncated_gzip_is_refused(publisher: Publisher, scene: Scene) -> None:
    body = gzip.compress(PAYLOAD)
    url = publisher.on("/data.csv", serve(body[: len(body) // 2], Content_Encoding="gzip"))
    assert "truncated" in scene.fails(FetchError, make_source(url), scene.settings())


def test_an_encoding_not_asked_for_is_refused(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", serve(PAYLOAD, Content_Encoding="br"))
    assert "did not ask for" in scene.fails(FetchError, make_source(url), scene.settings())


def test_content_length_above_the_body_is_retried_then_unavailable(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", serve(PAYLOAD[:1000], length=len(PAYLOAD)))
    message = scene.fails(SourceUnavailable, make_source(url), scene.settings())
    assert "3 attempts" in message
    assert publisher.hits["/data.csv"] == 3


def test_content_length_below_the_body_of_a_pinned_file_is_a_hash_mismatch(
    publisher: Publisher, scene: Scene
) -> None:
    # HTTP cannot tell a short Content-Length from a short file; the pin can.
    url = publisher.on("/data.csv", serve(PAYLOAD))
    lock = Lock.load(scene.lock_path)
    fetch_source(make_source(url), scene.settings(), lock)
    lock.save()
    (scene.raw / "demo" / "data.csv").unlink()
    publisher.on("/data.csv", serve(PAYLOAD, length=len(PAYLOAD) - 100))
    scene.fails(HashMismatchError, make_source(url), scene.settings())


# --- retries, waits and the time budget ---------------------------------------------------------


def test_500_then_200_succeeds(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", status(500), serve(PAYLOAD))
    assert scene.succeeds(make_source(url), scene.settings()).read_bytes() == PAYLOAD
    assert publisher.hits["/data.csv"] == 2


def test_retry_after_an_hour_is_capped_and_said(
    publisher: Publisher, scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    url = publisher.on("/data.csv", status(503, Retry_After="3600"))
    message = scene.fails(SourceUnavailable, make_source(url), scene.settings(progress=True), bound=2.5)
    assert "HTTP 503" in message
    assert "3 times" in message
    printed = capsys.readouterr().err
    assert "demo/data.csv: HTTP 503 Service Unavailable; retrying in 0.2 s (attempt 2 of 3); Ctrl-C aborts" in printed


def test_endless_503_is_bounded_by_the_time_budget(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", status(503, Retry_After="3600"))
    settings = scene.settings(retries=1000, time_budget=1.0)
    message = scene.fails(SourceUnavailable, make_source(url), settings, bound=2.5)
    assert "time budget per file: 1 s" in message
    assert "HTTP 503" in message


def test_waits_are_silent_without_progress(
    publisher: Publisher, scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    url = publisher.on("/data.csv", status(503, Retry_After="3600"))
    scene.fails(SourceUnavailable, make_source(url), scene.settings())
    assert capsys.readouterr().err == ""


def test_a_stall_mid_body_is_said_and_bounded(
    publisher: Publisher, scene: Scene, capsys: pytest.CaptureFixture[str]
) -> None:
    url = publisher.on("/data.csv", stall_mid_body)
    settings = scene.settings(progress=True, timeout=(2.0, 0.6), retries=1)
    message = scene.fails(SourceUnavailable, make_source(url), settings, bound=2.5)
    assert "connection broke" in message
    printed = capsys.readouterr().err
    assert f"demo/data.csv: nothing received from {url} for" in printed
    assert "Ctrl-C aborts" in printed


def test_a_stall_longer_than_the_budget_gives_up_at_the_budget(publisher: Publisher, scene: Scene) -> None:
    # The production read timeout (60 s) is cut to what is left of the budget.
    url = publisher.on("/data.csv", stall_mid_body)
    settings = scene.settings(timeout=(2.0, 60.0), time_budget=1.0)
    message = scene.fails(SourceUnavailable, make_source(url), settings, bound=2.5)
    assert "time budget" in message


# --- URLs and redirects ---------------------------------------------------------------------------


def test_a_redirect_on_this_machine_is_followed(publisher: Publisher, scene: Scene) -> None:
    publisher.on("/data.csv", serve(PAYLOAD))
    url = publisher.on("/old/data.csv", redirect("/data.csv", 301))
    assert scene.succeeds(make_source(url), scene.settings()).read_bytes() == PAYLOAD


def test_a_redirect_loop_is_one_line(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", redirect("/elsewhere"))
    publisher.on("/elsewhere", redirect("/data.csv"))
    assert "redirect loop" in scene.fails(FetchError, make_source(url), scene.settings())


def test_too_many_redirects_are_one_line(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", redirect("/hop/1"))
    for hop in range(1, 10):
        publisher.on(f"/hop/{hop}", redirect(f"/hop/{hop + 1}"))
    assert "more than 5 redirects" in scene.fails(FetchError, make_source(url), scene.settings())
    assert "/hop/6" not in publisher.hits


@pytest.mark.parametrize(
    "location", ["ftp://example.org/data.csv", "file:///etc/passwd", "http://example.org/data.csv"],
    ids=["ftp", "file", "http-public-host"],
)
def test_a_redirect_off_https_is_not_followed(publisher: Publisher, scene: Scene, location: str) -> None:
    url = publisher.on("/data.csv", redirect(location))
    message = scene.fails(FetchError, make_source(url), scene.settings())
    assert f"redirects to {location}" in message
    assert "not followed" in message


@pytest.mark.parametrize("url", ["http://example.org/data.csv", "ftp://example.org/data.csv"])
def test_a_source_url_off_https_is_refused_before_any_request(scene: Scene, url: str) -> None:
    assert "only https" in scene.fails(FetchError, make_source(url), scene.settings())


def test_the_client_says_who_it_is(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", serve(PAYLOAD))
    scene.succeeds(make_source(url), scene.settings())
    headers = publisher.requests[0][1]
    assert headers["User-Agent"] == f"kzegov_data/{__version__} (+https://github.com/kzegov-data/kzegov_data)"
    assert headers["Accept-Encoding"] == "gzip, deflate"


# --- refusals: the manual path ------------------------------------------------------------------


def assert_manual_path(message: str, scene: Scene, url: str) -> None:
    assert "Save it by hand" in message
    assert url in message
    assert str(scene.raw / "demo" / "data.csv") in message
    assert "kzegov-data fetch demo" in message


@pytest.mark.parametrize("code", [401, 403])
def test_a_refusal_gives_the_manual_path(publisher: Publisher, scene: Scene, code: int) -> None:
    url = publisher.on("/data.csv", status(code))
    message = scene.fails(DownloadRefused, make_source(url), scene.settings())
    assert_manual_path(message, scene, url)
    assert publisher.hits["/data.csv"] == 1  # asking again would not change the answer


def test_429_is_retried_then_gives_the_manual_path(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", status(429, Retry_After="120"))
    message = scene.fails(DownloadRefused, make_source(url), scene.settings())
    assert_manual_path(message, scene, url)
    assert "HTTP 429" in message
    assert publisher.hits["/data.csv"] == 3


@pytest.mark.parametrize("code", [403, 503])
def test_a_cloudflare_challenge_gives_the_manual_path(publisher: Publisher, scene: Scene, code: int) -> None:
    challenge = status(code, CLOUDFLARE_CHALLENGE, "text/html; charset=UTF-8", cf_mitigated="challenge",
                       Server="cloudflare")
    url = publisher.on("/data.csv", challenge)
    message = scene.fails(DownloadRefused, make_source(url), scene.settings())
    assert "bot check" in message
    assert_manual_path(message, scene, url)
    assert publisher.hits["/data.csv"] == 1


def test_a_challenge_page_served_as_200_gives_the_manual_path(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", serve(CLOUDFLARE_CHALLENGE, "text/html"))
    assert_manual_path(scene.fails(DownloadRefused, make_source(url), scene.settings()), scene, url)


def test_404_is_a_fetch_error(publisher: Publisher, scene: Scene) -> None:
    url = publisher.on("/data.csv", status(404))
    assert "HTTP 404" in scene.fails(FetchError, make_source(url), scene.settings())


# --- web pages instead of files ---------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        b"\xef\xbb\xbf<!DOCTYPE html><html><body>Sorry</body></html>",
        b"\n  <!-- served by cache-7 -->\n<HEAD><meta http-equiv='refresh' content='0;url=/login'></HEAD>",
        b"<!doctype HTML>\n<title>Maintenance</title>",
        b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    ],
    ids=["bom", "head-only-after-comment", "doctype-any-case", "xhtml"],
)
def test_a_web_page_with_a_data_content_type_is_refused(publisher: Publisher, scene: Scene, page: bytes) -> None:
    url = publisher.on("/data.csv", serve(page, "application/octet-stream"))
    assert "web page (HTML)" in scene.fails(FetchError, make_source(url), scene.settings())


def test_data_files_are_not_mistaken_for_web_pages() -> None:
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.csv", "x")
    for head in (PAYLOAD, zipped.getvalue(), b'<?xml version="1.0"?><wb:data page="1"/>', b"\xd0\xcf\x11\xe0"):
        assert not looks_like_html("application/octet-stream", head)


def test_a_web_page_in_the_mirror_is_never_pinned_with_update(scene: Scene) -> None:
    mirror = scene.root / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD)
    source = make_source(None)
    lock = Lock.load(scene.lock_path)
    fetch_source(source, scene.settings(mirror=mirror), lock)
    lock.save()
    (mirror / "demo" / "data.csv").write_bytes(b"\xef\xbb\xbf  <head><title>Error 500</title></head>")
    message = scene.fails(FetchError, source, scene.settings(mirror=mirror), update=True)
    assert "the mirror's copy" in message
    assert "web page (HTML)" in message


def test_a_hand_saved_web_page_is_never_pinned(scene: Scene) -> None:
    saved = scene.raw / "demo" / "data.csv"
    saved.parent.mkdir(parents=True)
    saved.write_bytes(ERROR_PAGE)
    message = scene.fails(FetchError, make_source(None), scene.settings())
    assert f"{saved} is a web page (HTML)" in message
    assert "kzegov-data fetch demo" in message


# --- archives -----------------------------------------------------------------------------------


def zip_bytes(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def tampered(archive: bytes, field_offset: int, change: Callable[[int], int]) -> bytes:
    """``archive`` with one 32-bit field of its (only) central-directory entry changed."""
    data = bytearray(archive)
    entry = data.rfind(b"PK\x01\x02")
    (value,) = struct.unpack_from("<I", data, entry + field_offset)
    struct.pack_into("<I", data, entry + field_offset, change(value))
    return bytes(data)


CRC, UNCOMPRESSED_SIZE = 16, 24  # offsets in a central-directory entry


@pytest.mark.parametrize(
    ("method", "field_offset", "change", "said"),
    [
        (zipfile.ZIP_DEFLATED, CRC, lambda crc: crc ^ 0xFFFF, "CRC"),
        (zipfile.ZIP_STORED, UNCOMPRESSED_SIZE, lambda size: size + 100, "its header says"),
        (zipfile.ZIP_DEFLATED, UNCOMPRESSED_SIZE, lambda size: size + 100, "its header says"),
        (zipfile.ZIP_STORED, UNCOMPRESSED_SIZE, lambda size: size - 100, "CRC"),
    ],
    ids=["bad-crc", "stored-size-too-large", "deflated-size-too-large", "size-too-small"],
)
def test_a_damaged_archive_is_one_line(
    publisher: Publisher, scene: Scene, method: int, field_offset: int, change: Callable[[int], int], said: str
) -> None:
    archive = tampered(zip_bytes({"data_2025.csv": PAYLOAD}, method), field_offset, change)
    url = publisher.on("/bundle", serve(archive, "application/zip"))
    message = scene.fails(FetchError, make_source(url, archive_member="data_*.csv"), scene.settings())
    assert said in message
    assert "data_2025.csv" in message


# --- the disk -----------------------------------------------------------------------------------


class FullDisk:
    """A temporary file's handle whose writes fail as on a full (or too small) file system."""

    def __init__(self, handle: IO[bytes], code: int):
        self.handle, self.code = handle, code

    def write(self, data: bytes) -> int:
        raise OSError(self.code, os.strerror(self.code))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


@pytest.mark.parametrize(("code", "said"), [(errno.ENOSPC, "disk is full"), (errno.EFBIG, "larger than")])
def test_a_full_disk_is_one_line_and_changes_nothing(
    publisher: Publisher, scene: Scene, monkeypatch: pytest.MonkeyPatch, code: int, said: str
) -> None:
    real = kzegov_data.fetch.temporary_file

    @contextlib.contextmanager
    def on_full_disk(folder: Path, name: str) -> Iterator[tuple[Any, Path]]:
        with real(folder, name) as (handle, path):
            yield FullDisk(handle, code), path

    monkeypatch.setattr(kzegov_data.fetch, "temporary_file", on_full_disk)
    url = publisher.on("/data.csv", serve(PAYLOAD))
    message = scene.fails(FetchError, make_source(url), scene.settings())
    assert f"could not save into {scene.raw / 'demo'}" in message
    assert said in message


# A really read-only raw/ (a read-only bind mount, since the tests run as root) is in test_reliability.py.


def test_a_folder_where_files_cannot_be_created_is_one_line(
    publisher: Publisher, scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*args: Any, dir: str | None = None, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(Path(dir or ".") / ".data.csv.x.part"))

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    url = publisher.on("/data.csv", serve(PAYLOAD))
    assert "make the folder writable" in scene.fails(FetchError, make_source(url), scene.settings())


def test_a_read_only_file_system_on_update_restores_the_previous_file(
    scene: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    mirror = scene.root / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD)
    source = make_source(None)
    lock = Lock.load(scene.lock_path)
    fetch_source(source, scene.settings(mirror=mirror), lock)
    lock.save()
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD + b"revised\n")
    real_replace = os.replace

    def read_only(source_path: Any, target_path: Any) -> None:
        if str(source_path).endswith(".part"):
            raise OSError(errno.EROFS, "Read-only file system", str(target_path))
        real_replace(source_path, target_path)

    monkeypatch.setattr(os, "replace", read_only)
    message = scene.fails(FetchError, source, scene.settings(mirror=mirror), update=True)
    assert "read-only" in message


def test_a_file_where_the_folder_should_be_is_one_line(publisher: Publisher, scene: Scene) -> None:
    (scene.raw / "demo").write_bytes(b"not a folder")
    url = publisher.on("/data.csv", serve(PAYLOAD))
    assert "a file stands where a folder should be" in scene.fails(FetchError, make_source(url), scene.settings())


def test_an_unreadable_mirror_file_is_one_line_naming_it(scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    mirror = scene.root / "mirror"
    (mirror / "demo").mkdir(parents=True)
    (mirror / "demo" / "data.csv").write_bytes(PAYLOAD)

    def unreadable(source: Source, raw_file: RawFile, folder: Path, handle: IO[bytes]) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(folder / source.id / raw_file.name))

    monkeypatch.setattr(kzegov_data.fetch, "copy_from_mirror", unreadable)
    message = scene.fails(FetchError, make_source(None), scene.settings(mirror=mirror))
    assert f"could not read {mirror / 'demo' / 'data.csv'}: Permission denied" in message
