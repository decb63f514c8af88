"""The cheap bound of a sheet (SheetBound) decides every sheet exactly as the cell-by-cell scan does.

SheetBound only ever says "within the limits" or "cannot tell"; whatever it cannot tell is measured by
SheetExtent, so a refusal and its message are SheetExtent's. These tests pin both halves: for hostile
and odd sheets the decision (and message) with the bound equals the one without it, whatever the chunk
size; the bound is never below what SheetExtent measures; and ordinary sheets are decided by the bound
alone (otherwise the first half would hold trivially).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from kzegov_data.errors import UnsafeInputError
from kzegov_data.sources import _read

SHEET = "xl/worksheets/sheet1.xml"
PATH = Path("bounded.xlsx")


def sheet_member(body: bytes, head: bytes = b"") -> bytes:
    """A worksheet as Excel writes it, with ``body`` inside <sheetData> (and ``head`` before it)."""
    return (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        b'<dimension ref="A1"/>' + head + b"<sheetData>" + body + b"</sheetData></worksheet>"
    )


def workbook(member: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SHEET, member)
    return buffer.getvalue()


def decision(data: bytes) -> str:
    try:
        _read.check_workbook(PATH, data)
    except UnsafeInputError as error:
        return str(error)
    return "accepted"


def measured(data: bytes) -> tuple[_read.SheetBound, _read.SheetExtent]:
    """The bound and the exact extent of the sheet member, each streamed as check_workbook streams it."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        member = archive.getinfo(SHEET)
        bound, exact = _read.SheetBound(), _read.SheetExtent()
        _read.stream_member(PATH, archive, member, bound)
        _read.stream_member(PATH, archive, member, exact)
    return bound, exact


def cells(refs: list[bytes]) -> bytes:
    return b"".join(b'<c r="%s"><v>1</v></c>' % ref for ref in refs)


#: Sheets (their <sheetData>) whose every tag is written the way Excel writes it, within the shapes.
ORDINARY_DATA = {
    "xlsxwriter's two rows": b'<row r="1" spans="1:2"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
    b'</row><row r="2" spans="1:2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>39</v></c></row>',
    "one letter, five digits (Z99999)": b'<row r="99999"><c r="Z99999"><v>1</v></c></row>',
    "two letters, three digits (ZZ999)": b'<row r="999">' + cells([b"A999", b"ZZ999"]) + b"</row>",
    "formulas, styles and self-closing cells": b'<row r="3" s="2" customFormat="1"><c r="C3" s="1"/>'
    b"<c r=\"D3\"><f>'Sheet 2'!A1+SUM(A1:A3)</f><v>4</v></c></row>",
    "empty sheetData": b"",
}

#: Sheets that a bound of a few searches must not pass on its own: far cells, cells the exact scan
#: places with a cursor, spellings the fast path of SheetExtent would not read, references in other tags.
HOSTILE_DATA = {
    "a cell at XFD1048576": b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "a far column in row 1": b'<row r="1">' + cells([b"A1", b"BXZ1"]) + b"</row>",
    "a far row without cells": b'<row r="1048576"/>',
    "ZZ9999: 7 million cells from two allowed lengths": b'<row r="9999"><c r="ZZ9999"><v>1</v></c></row>',
    "ZZ1 and A99999: the corner, not a cell, is too far": b'<row r="1"><c r="ZZ1"><v>1</v></c></row>'
    b'<row r="99999"><c r="A99999"><v>1</v></c></row>',
    "2,500 cells without r": b'<row r="1">' + b"<c><v>1</v></c>" * 2_500 + b"</row>",
    "2,500 self-closing cells without r": b'<row r="1">' + b"<c/>" * 2_500 + b"</row>",
    "2,500 cells whose r holds no letter": b'<row r="1">' + cells([b"1"] * 2_500) + b"</row>",
    "r after another attribute": b'<row r="1"><c t="n" r="XFD1"><v>1</v></c></row>',
    "600,000 rows without r": b"<row/>" * 600_000 + b"<row><c><v>1</v></c></row>",
    "rows whose r holds letters": b'<row r="A1"/>' * 3 + b'<row r="B2"><c r="A2"><v>1</v></c></row>',
    "a tab before r": b'<row r="1"><c\tr="XFD1"><v>1</v></c></row>',
    "a line break before r": b'<row\nr="1048576"><c\nr="A1048576"><v>1</v></c></row>',
    "a form feed before r": b'<row r="1"><c\x0cr="XFD1"><v>1</v></c></row>',
    "blanks around =": b'<row r="1"><c r = "XFD1"><v>1</v></c></row>',
    "single quotes": b"<row r='1'><c r='XFD1'><v>1</v></c></row>",
    "lower-case letters": b'<row r="1"><c r="xfd1"><v>1</v></c></row>',
    "blanks inside the reference": b'<row r="1"><c r=" XFD1 "><v>1</v></c></row>',
    "an escaped reference": b'<row r="1"><c r="&#88;FD1"><v>1</v></c></row>',
    "eight digits": b'<row r="12345678"><c r="A12345678"><v>1</v></c></row>',
    "prefixed cells": b'<x:row r="1"><x:c r="XFD1"><v>1</v></x:c></x:row>',
    "prefixed rows without r": b"<x:row/>" * 600_000,
    "a reference in another tag": b'<row r="1"><c r="A1"><v>1</v></c></row><foo r="XFD1"/>',
}
ORDINARY = {name: sheet_member(data) for name, data in ORDINARY_DATA.items()}
HOSTILE = {name: sheet_member(data) for name, data in HOSTILE_DATA.items()} | {
    "a reference after sheetData": sheet_member(b'<row r="1"><c r="A1"/></row>').replace(
        b"</worksheet>", b'<foo r="XFD1048576"/></worksheet>'
    ),
}
SHEETS = ORDINARY | HOSTILE


#: Chunk sizes that cut the sheet before nearly every tag, inside long runs, and not at all.
CHUNK_SIZES = [16, 1_000, _read.CHUNK_BYTES]


@pytest.mark.parametrize("chunk_bytes", CHUNK_SIZES)
@pytest.mark.parametrize("name", SHEETS)
def test_the_bound_decides_every_sheet_as_the_exact_scan_does(
    monkeypatch: pytest.MonkeyPatch, name: str, chunk_bytes: int
) -> None:
    monkeypatch.setattr(_read, "CHUNK_BYTES", chunk_bytes)
    data = workbook(SHEETS[name])
    with_bound = decision(data)
    monkeypatch.setattr(_read.SheetBound, "within_limits", lambda _self: False)
    assert with_bound == decision(data)


@pytest.mark.parametrize("chunk_bytes", CHUNK_SIZES)
@pytest.mark.parametrize("name", SHEETS)
def test_the_bound_is_never_below_the_extent_the_exact_scan_measures(
    monkeypatch: pytest.MonkeyPatch, name: str, chunk_bytes: int
) -> None:
    monkeypatch.setattr(_read, "CHUNK_BYTES", chunk_bytes)
    data = workbook(SHEETS[name])
    bound, exact = measured(data)
    if bound.proved:
        assert exact.rows <= bound.rows
        assert exact.columns <= bound.columns
    if bound.within_limits():
        _read.check_extent(PATH, "sheet", exact.rows, exact.columns, "farthest")  # does not raise


@pytest.mark.parametrize("name", ORDINARY)
def test_sheets_written_as_excel_writes_them_are_decided_by_the_bound_alone(name: str) -> None:
    bound, _ = measured(workbook(ORDINARY[name]))
    assert bound.within_limits()


@pytest.mark.parametrize("name", HOSTILE)
def test_no_hostile_sheet_is_passed_by_the_bound_alone(name: str) -> None:
    bound, _ = measured(workbook(HOSTILE[name]))
    assert not bound.within_limits()


def test_the_shapes_are_the_widest_references_within_the_limits() -> None:
    # Z99999 (2.6 million cells) and ZZ999 (0.7 million); one digit more is over a limit.
    assert _read.sheet_shapes() == [(1, 5), (2, 3)]
    for letters, digits in _read.sheet_shapes():
        columns = _read.widest_column(letters)
        _read.check_extent(PATH, "sheet", 10**digits - 1, columns, "farthest")
        with pytest.raises(UnsafeInputError):
            _read.check_extent(PATH, "sheet", 10 ** (digits + 1) - 1, columns, "farthest")


@pytest.mark.parametrize("spelling", [b"<!DOCTYPE x>", b"<!doctype x>", b'<!ENTITY x "y">', b'<!eNtItY x "y">'])
@pytest.mark.parametrize("chunk_bytes", CHUNK_SIZES)
def test_a_declaration_in_any_case_and_any_chunk_is_refused(
    monkeypatch: pytest.MonkeyPatch, spelling: bytes, chunk_bytes: int
) -> None:
    monkeypatch.setattr(_read, "CHUNK_BYTES", chunk_bytes)
    member = sheet_member(b'<row r="1"><c r="A1"><v>1</v></c></row>' * 50 + spelling)
    assert "holds an XML" in decision(workbook(member))


# --- .xls: each sheet measured from its own cells ------------------------------------------------------


def xls_with_cells(tmp_path: Path, cells_by_sheet: dict[str, list[tuple[int, int]]]) -> Path:
    import xlwt

    book = xlwt.Workbook()
    for name, places in cells_by_sheet.items():
        sheet = book.add_sheet(name)
        for row, column in places:
            sheet.write(row, column, 1.0)
    path = tmp_path / "sheets.xls"
    book.save(str(path))
    return path


def test_an_xls_far_cell_is_charged_to_the_sheet_that_holds_it(tmp_path: Path) -> None:
    path = xls_with_cells(tmp_path, {"First": [(0, 0)], "Far": [(0, 0), (65535, 255)], "Last": [(0, 0)]})
    with pytest.raises(UnsafeInputError, match=r"sheet 'Far': the range A1:IV65536"):
        _read.check_workbook(path, path.read_bytes())


def test_an_xls_sheet_after_a_large_one_starts_from_its_own_cells(tmp_path: Path) -> None:
    # 1.2 million cells, then four one-cell sheets: 1.2 million in all. Were a sheet to inherit the
    # extent of the one before it, the five would count 6 million and be refused.
    path = xls_with_cells(tmp_path, {"Large": [(9999, 119)]} | {f"S{n}": [(0, 0)] for n in range(4)})
    _read.check_workbook(path, path.read_bytes())
