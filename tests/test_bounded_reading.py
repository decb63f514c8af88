"""Hostile workbooks are refused in one line, in bounded memory and time, before python-calamine sees them.

Each hostile file is a valid tiny workbook (xlsxwriter, xlwt) whose ZIP members are then rewritten. The
read runs in a subprocess under an address-space limit, so a regression fails the test instead of
taking the machine down, and the child reports its own peak RSS.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import struct
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from kzegov_data.errors import ParseError
from kzegov_data.sources import _read
from kzegov_data.sources._read import read_excel_sheet, read_text

MAX_PEAK_MB = 500
MAX_SECONDS = 10
MIB = 1024 * 1024

CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))  # a regression dies here, not the machine
from pathlib import Path
from kzegov_data.errors import ParseError
from kzegov_data.sources._read import read_excel_sheet, read_text
path, sheet = Path(sys.argv[1]), sys.argv[2]
start = time.perf_counter()
try:
    read_text(path) if sheet == "-" else read_excel_sheet(path, sheet)
    outcome, message = "read", ""
except ParseError as error:
    outcome, message = type(error).__name__, str(error)
def peak_mb():
    # This process's own high-water mark: VmHWM starts anew at exec, while ru_maxrss keeps the peak of
    # the (large) test process that started it.
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"outcome": outcome, "message": message, "seconds": time.perf_counter() - start,
                  "peak_mb": peak_mb()}))
"""


def read_in_child(path: Path, sheet: str = "Sheet1") -> dict[str, object]:
    """Read ``path`` in a fresh interpreter; its outcome, message, time and peak RSS (MB)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), sheet], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_refused(path: Path, sheet: str = "Sheet1", *, mentions: str = "") -> str:
    result = read_in_child(path, sheet)
    message = str(result["message"])
    assert result["outcome"] == "UnsafeInputError", result
    assert message.startswith(f"{path.name}: ")
    assert "\n" not in message
    assert mentions in message
    assert float(str(result["peak_mb"])) < MAX_PEAK_MB, result
    assert float(str(result["seconds"])) < MAX_SECONDS, result
    return message


# --- hostile workbooks -------------------------------------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"


def tiny_xlsx(path: Path) -> Path:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["country", "score"])
    sheet.write_row(1, 0, ["Kazakhstan", 39])
    workbook.close()
    return path


def rewritten(
    tmp_path: Path, name: str, edit: Callable[[str, bytes], bytes], compression: int = zipfile.ZIP_DEFLATED
) -> Path:
    """A copy of the tiny workbook with each member passed through ``edit(member, data)``."""
    source = tiny_xlsx(tmp_path / "tiny.xlsx")
    target = tmp_path / name
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", compression) as new:
        for info in old.infolist():
            new.writestr(info.filename, edit(info.filename, old.read(info.filename)))
    return target


def in_member(member: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        assert re.search(old, data), (old, data)
        return re.sub(old, new, data, count=1)

    return edit


def with_zeros_member(tmp_path: Path, name: str, zeros: int) -> Path:
    """The tiny workbook whose sheet is ``zeros`` bytes of "0", streamed (never held in memory)."""
    source = tiny_xlsx(tmp_path / "tiny.xlsx")
    target = tmp_path / name
    block = b"0" * MIB
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != SHEET:
                new.writestr(info.filename, old.read(info.filename))
                continue
            with new.open(SHEET, "w", force_zip64=True) as stream:
                for _ in range(zeros // MIB):
                    stream.write(block)
    return target


def forge_declared_size(path: Path, member: str, size: int) -> None:
    """Overwrite the unpacked size the local header and the central directory give ``member``."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        offset = archive.getinfo(member).header_offset
    struct.pack_into("<I", data, offset + 22, size)
    name = member.encode()
    for found in re.finditer(rb"PK\x01\x02", bytes(data)):
        at = found.start()
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == name:
            struct.pack_into("<I", data, at + 24, size)
    path.write_bytes(bytes(data))


FAR_CELL = b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'
BOMB = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_a_cell_at_xfd1048576_is_refused_naming_the_sheet_member(tmp_path: Path) -> None:
    path = rewritten(tmp_path, "far.xlsx", in_member(SHEET, rb"</sheetData>", FAR_CELL))
    message = assert_refused(path, mentions="XFD1048576")
    assert SHEET in message
    assert "500,000 rows" in message


def test_a_dimension_claiming_the_whole_sheet_is_refused(tmp_path: Path) -> None:
    path = rewritten(tmp_path, "dimension.xlsx", in_member(SHEET, rb'<dimension ref="[^"]+"/>',
                                                           b'<dimension ref="A1:XFD1048576"/>'))
    assert_refused(path, mentions="declared (<dimension>)")


def test_rows_without_r_attributes_are_counted_like_calamine_counts_them(tmp_path: Path) -> None:
    # 600,000 rows with no r attribute, then one cell: calamine puts it in row 600,003.
    rows = b"<row/>" * 600_000 + b"<row><c><v>1</v></c></row></sheetData>"
    path = rewritten(tmp_path, "unnumbered.xlsx", in_member(SHEET, rb"</sheetData>", rows), zipfile.ZIP_STORED)
    assert_refused(path, mentions="600,003")


def test_a_sheet_that_inflates_to_500_mb_is_refused_from_its_declared_size(tmp_path: Path) -> None:
    started = time.perf_counter()
    path = with_zeros_member(tmp_path, "inflates.xlsx", 500 * MIB)
    assert path.stat().st_size < 2 * MIB
    assert time.perf_counter() - started < MAX_SECONDS
    assert_refused(path, mentions="declared unpacked size is 524,288,000 bytes")


def test_a_member_compressed_a_thousand_times_is_refused_from_its_ratio(tmp_path: Path) -> None:
    path = with_zeros_member(tmp_path, "ratio.xlsx", 64 * MIB)
    assert_refused(path, mentions="compression ratio")


def test_a_member_that_inflates_beyond_its_declared_size_is_refused(tmp_path: Path) -> None:
    path = with_zeros_member(tmp_path, "lying.xlsx", 64 * MIB)
    forge_declared_size(path, SHEET, 2048)
    assert_refused(path, mentions="does not unpack to its declared 2,048 bytes")


def test_too_many_zip_members_are_refused(tmp_path: Path) -> None:
    path = tiny_xlsx(tmp_path / "members.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        for number in range(_read.MAX_ZIP_MEMBERS):
            archive.writestr(f"customXml/item{number}.xml", b"<a/>")
    assert_refused(path, mentions="number of ZIP members")


@pytest.mark.parametrize("name", ["../../outside.xml", "/etc/absolute.xml", "xl/workbook.xml"])
def test_unsafe_or_duplicated_member_names_are_refused(tmp_path: Path, name: str) -> None:
    path = tiny_xlsx(tmp_path / "names.xlsx")
    with zipfile.ZipFile(path, "a") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicated name, and writes it
        archive.writestr(name, b"<a/>")
    assert_refused(path, mentions=repr(name))


@pytest.mark.parametrize(
    ("member", "old", "new"),
    [(STRINGS, rb"<t>country</t>", b"<t>&lol3;</t>"), (SHEET, rb"<v>39</v>", b"<v>&lol3;</v>")],
    ids=["sharedStrings", "sheet"],
)
def test_a_doctype_with_nested_entities_is_refused(tmp_path: Path, member: str, old: bytes, new: bytes) -> None:
    def edit(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        return re.sub(rb"^<\?xml[^>]*\?>", BOMB, data).replace(old, new)

    message = assert_refused(rewritten(tmp_path, "entities.xlsx", edit), mentions="DOCTYPE")
    assert member in message


@pytest.mark.parametrize("name", ["huge.csv", "huge.xlsx"])
def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"iso3,score\nKAZ,39\n")
    os.truncate(path, 1 << 30)  # sparse: a gigabyte that costs no disk
    assert_refused(path, "-" if name.endswith(".csv") else "Sheet1", mentions="1,073,741,824 bytes")


def test_an_xls_with_a_cell_in_its_last_row_and_column_is_refused(tmp_path: Path) -> None:
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("Final")
    sheet.write(0, 0, "country")
    sheet.write(65535, 255, 1.5)
    path = tmp_path / "far.xls"
    workbook.save(str(path))
    assert_refused(path, "Final", mentions="sheet 'Final': the range A1:IV65536")


def test_xls_sheets_are_summed_because_calamine_reads_them_all(tmp_path: Path) -> None:
    import xlwt

    workbook = xlwt.Workbook()
    for number in range(5):  # 10,000 x 120 = 1.2 million cells each: fine alone, not together
        workbook.add_sheet(f"S{number}").write(9999, 119, 1.0)
    path = tmp_path / "many.xls"
    workbook.save(str(path))
    assert_refused(path, "S0", mentions="all 5 sheets")


# --- what stays readable -------------------------------------------------------------------------------


def calamine_frame(path: Path, sheet: str) -> pd.DataFrame:
    """What read_excel_sheet returned before the checks existed: calamine's cells, nothing in between."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return pd.DataFrame(rows, dtype=object).fillna("")


def workbooks(root: Path) -> list[tuple[Path, str]]:
    from python_calamine import CalamineWorkbook

    return [
        (path, sheet)
        for path in sorted(root.rglob("*.xls*"))
        for sheet in CalamineWorkbook.from_path(str(path)).sheet_names
    ]


def test_the_synthetic_publisher_workbooks_read_exactly_as_calamine_reads_them(tmp_path: Path) -> None:
    import synthetic

    for info in pkgutil.iter_modules(synthetic.__path__):
        importlib.import_module(f"synthetic.{info.name}").write(tmp_path)
    found = workbooks(tmp_path)
    assert {path.suffix for path, _ in found} == {".xls", ".xlsx"}
    for path, sheet in found:
        pd.testing.assert_frame_equal(read_excel_sheet(path, sheet), calamine_frame(path, sheet))


def test_cells_without_r_attributes_read_as_before(tmp_path: Path) -> None:
    unnumbered = b"<row><c><v>1</v></c><c><v>2</v></c><c><v>3</v></c></row></sheetData>"
    path = rewritten(tmp_path, "unnumbered.xlsx", in_member(SHEET, rb"</sheetData>", unnumbered))
    frame = read_excel_sheet(path, "Sheet1")
    assert frame.shape == (3, 3)
    pd.testing.assert_frame_equal(frame, calamine_frame(path, "Sheet1"))


def test_a_damaged_zip_is_a_parse_error_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ParseError, match=r"^damaged\.xlsx: not a readable Excel workbook"):
        read_excel_sheet(path, "Sheet1")


def test_csv_under_the_cap_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "small.csv"
    path.write_bytes(b"iso3,score\nKAZ,39\n")
    assert read_text(path) == "iso3,score\nKAZ,39\n"


#: CSV texts on which a faster reader could part from pandas: quoting, line ends, blank and ragged lines,
#: renamed headers, one column, a byte-order mark, a header without data.
AWKWARD_CSV = {
    "quoted line breaks and quotes": 'iso3,name\r\nKAZ,"Kazakh\r\nstan ""KZ"""\r\nUZB,x"y\r\n',
    "text after a closing quote": 'iso3,name\nKAZ,"Kaz"akhstan\n',
    "carriage returns only": "iso3,score\rKAZ,39\rUZB,31\r",
    "blank and white-space lines": "iso3,score\n\nKAZ,39\n  \n\t\nUZB,31\n\n",
    "short and long rows": "iso3,score\nKAZ\nUZB,31,extra\n",
    "an extra first cell": "iso3,score\nrow1,KAZ,39\nrow2,UZB,31\n",
    "blank and repeated names": "iso3,,score,score\nKAZ,a,39,40\n",
    "one column": "iso3\nKAZ\n  \nUZB\n",
    "a byte-order mark": "\ufeffiso3,score\nKAZ,39\n",
    "spaces around cells": " iso3 , score \n KAZ , 39 \n",
    "a header only": "iso3,score\n",
    "non-ASCII": "iso3,name\nCIV,C\u00f4te d'Ivoire\nTUR,T\u00fcrkiye\n",
}


@pytest.mark.parametrize("text", AWKWARD_CSV.values(), ids=AWKWARD_CSV.keys())
def test_csv_text_reads_exactly_as_pandas_reads_it(tmp_path: Path, text: str) -> None:
    import io

    path = tmp_path / "awkward.csv"
    path.write_bytes(text.encode("utf-8"))
    try:
        expected = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, ValueError):
        with pytest.raises(ParseError, match=r"^awkward\.csv: not a readable CSV table"):
            _read.read_csv_text(path)
        return
    pd.testing.assert_frame_equal(_read.read_csv_text(path), expected)


def test_a_wide_conversion_fails_on_the_first_bad_column_as_that_column_alone_does() -> None:
    frame = pd.DataFrame({"hdi_1990": ["0.5", ""], "hdi_1991": ["0.6", "n/a"], "hdi_1992": ["x", "0.7"]}, dtype="str")
    with pytest.raises(ParseError) as alone:
        _read.to_number(frame["hdi_1991"], file="hdr.csv", column="hdi_1991")
    with pytest.raises(ParseError) as wide:
        _read.to_numbers(frame, file="hdr.csv")
    assert str(wide.value) == str(alone.value)
    good = frame.iloc[:, :1]
    alone_good = _read.to_number(good["hdi_1990"], file="hdr.csv", column="hdi_1990")
    pd.testing.assert_frame_equal(_read.to_numbers(good, file="hdr.csv"), alone_good.to_frame())


def test_a_cell_is_a_number_when_it_is_an_int_or_float_and_never_a_boolean_or_date() -> None:
    import datetime

    import numpy as np

    cells = [1.5, 2, np.float64(0.25), True, np.bool_(False), np.int64(3), datetime.date(2024, 1, 1), "7", ""]
    for cell in cells:
        is_number = isinstance(cell, int | float) and not isinstance(cell, bool)
        column = pd.Series([cell, 1.0], dtype=object)
        if is_number or cell == "":
            assert _read.cells_to_number(column, file="f.xlsx", column="c").iloc[1] == 1.0
        else:
            with pytest.raises(ParseError, match=r"^f\.xlsx: column 'c' holds text where numbers are expected"):
                _read.cells_to_number(column, file="f.xlsx", column="c")


@pytest.mark.mirror
def test_every_real_workbook_passes_the_checks_far_below_the_limits(mirror: Path) -> None:
    for path in sorted(mirror.rglob("*")):
        if path.suffix in {".xls", ".xlsx", ".csv"}:
            assert path.stat().st_size * 10 < _read.MAX_FILE_BYTES, path
        if path.suffix in {".xls", ".xlsx"}:
            _read.check_workbook(path, path.read_bytes())


@pytest.mark.mirror
def test_the_real_cpi_and_wgi_sheets_read_exactly_as_calamine_reads_them(mirror: Path) -> None:
    for path, sheet in [(mirror / "ti_cpi" / "CPI2025_Results.xlsx", "CPI Historical"),
                        (mirror / "wb_wgi" / "wgidataset.xlsx", "Sheet1")]:
        pd.testing.assert_frame_equal(read_excel_sheet(path, sheet), calamine_frame(path, sheet))
