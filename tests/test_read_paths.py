"""The cheaper read paths of issue 11 give what the plain ones give: wide CSV headers, numbers converted
in blocks, kz.load's small-table cache, and the income groups `kzegov-data peers` keeps in a cache."""

from __future__ import annotations

import csv
import datetime
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.cli import income_groups, read_income_groups
from kzegov_data.errors import ParseError
from kzegov_data.sources import _read

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"


def csv_first_record(text: str) -> list[str] | None:
    try:
        return next(csv.reader(io.StringIO(text, newline="")))
    except (csv.Error, StopIteration):
        return None


@pytest.mark.parametrize("text", [
    "a,b\n1,2\n",
    'a,"b\nc",d\n1,2,3\n',  # a quoted line break in the header
    ",".join(f"column_{number}" for number in range(20_000)) + "\n1,2\n",  # a header over 64 KiB
    '"' + "q" * 70_000 + '",b\nz,y\n',  # one header cell over 64 KiB
    "a,b",
    "a,b\r\n1,2",
    '"a"b"c,d\n',
])
def test_first_record_of_a_prefix_is_the_first_record_of_the_whole_text(text: str) -> None:
    assert _read.first_record(text) == csv_first_record(text)


def test_a_csv_wider_than_a_reading_block_reads_as_pandas_reads_it(tmp_path: Path) -> None:
    header = ["iso3", *(f"hdi_{year}" for year in range(1000, 4000))]
    rows = [["KAZ", *(f"{year / 10_000:.4f}" for year in range(1000, 4000))], ["UZB", *([""] * 3000)]]
    path = tmp_path / "wide.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])
    frame = _read.read_csv_text(path)
    expected = pd.read_csv(path, dtype=str, keep_default_na=False, na_filter=False)
    pd.testing.assert_frame_equal(frame.astype(object), expected.astype(object))


def text_frame(columns: int, rows: int) -> pd.DataFrame:
    return pd.DataFrame({f"c{column}": [f" {column}.{row} " if row % 7 else "" for row in range(rows)]
                         for column in range(columns)})


def test_numbers_converted_in_blocks_equal_column_by_column(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = text_frame(columns=9, rows=50)
    expected = pd.DataFrame({column: _read.to_number(frame[column], file="f", column=column)
                             for column in frame.columns})
    monkeypatch.setattr(_read, "NUMBERS_BLOCK_CELLS", 120)  # two columns a block, five blocks
    pd.testing.assert_frame_equal(_read.to_numbers(frame, file="f"), expected)


def test_a_bad_cell_in_a_later_block_names_its_column(monkeypatch: pytest.MonkeyPatch) -> None:
    frame = text_frame(columns=9, rows=50)
    frame.loc[3, "c6"] = "n/a"
    monkeypatch.setattr(_read, "NUMBERS_BLOCK_CELLS", 120)
    with pytest.raises(ParseError, match=r"column 'c6' holds text where numbers are expected .*'n/a'"):
        _read.to_numbers(frame, file="f")


def test_numbers_of_some_rows_equal_the_numbers_of_those_rows_and_ignore_the_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    frame = text_frame(columns=9, rows=50)
    frame.index = range(100, 150)
    frame.loc[[104, 140], ["c2", "c7"]] = "n/a"  # in rows that are not converted
    rows = ~frame.index.isin([104, 140])
    monkeypatch.setattr(_read, "NUMBERS_BLOCK_CELLS", 120)
    numbers = _read.to_numbers(frame, file="f", rows=rows)
    pd.testing.assert_frame_equal(numbers, _read.to_numbers(frame[rows], file="f"))
    assert list(numbers.index) == [label for label in range(100, 150) if label not in (104, 140)]
    frame.loc[120, "c5"] = "1,5"  # in a converted row: the message of the filtered frame
    with pytest.raises(ParseError, match=r"column 'c5' holds .*'1,5'; first at data row 121\)"):
        _read.to_numbers(frame, file="f", rows=rows)


@pytest.mark.parametrize("dtype", ["str", object, "mixed"])
def test_columns_stacked_at_once_equal_their_concatenation(dtype: object) -> None:
    frame = text_frame(columns=4, rows=6)
    frame.loc[2, "c1"] = None
    frame = frame.astype({"c0": object}) if dtype == "mixed" else frame.astype(dtype)
    expected = pd.concat([frame[column] for column in frame.columns], ignore_index=True)
    pd.testing.assert_series_equal(_read.stacked(frame), expected)


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    "text",
    [
        "iso3,country,hdi_1990,le_1990\r\nKAZ,Kazakhstan,0.689,66.1\r\nCIV,C\u00f4te d'Ivoire,,50\r\n",
        # Read by pandas (pyarrow could disagree with it on a repeated column name): same frame.
        "iso3,country,hdi_1990,hdi_1990\nKAZ,Kazakhstan,0.689,1\n",
    ],
    ids=["arrow", "pandas"],
)
def test_some_columns_of_a_csv_equal_those_columns_of_the_whole_frame(tmp_path: Path, text: str) -> None:
    path = write_csv(tmp_path / "wide.csv", text, "cp1252")
    whole = _read.read_csv_text(path, encoding="cp1252")
    header = list(whole.columns)
    frame = _read.read_csv_columns(path, header=header, columns=["iso3", header[2]], encoding="cp1252")
    pd.testing.assert_frame_equal(frame, whole[["iso3", header[2]]])


def test_some_columns_of_a_csv_with_another_header_name_what_changed(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "wide.csv", "iso3,country,hdi_1991\nKAZ,Kazakhstan,0.7\n")
    with pytest.raises(ParseError, match=r"missing \['hdi_1990'\]; unexpected \['hdi_1991'\]"):
        _read.read_csv_columns(path, header=["iso3", "country", "hdi_1990"], columns=["iso3"])
    bom = write_csv(tmp_path / "bom.csv", "\ufeffiso3,country,hdi_1991\nKAZ,Kazakhstan,0.7\n")  # pandas reads it
    with pytest.raises(ParseError, match=r"missing \['hdi_1990'\]; unexpected \['hdi_1991'\]"):
        _read.read_csv_columns(bom, header=["iso3", "country", "hdi_1990"], columns=["iso3"])


@pytest.mark.parametrize("dtype", [object, "str", "string"])
def test_texts_converted_once_per_distinct_text_equal_each_cell_converted_alone(dtype: str) -> None:
    cells = [" 2008", "", "2008", "n/a", "  ", "1e3", " 2008", "n/a", None, "2.61701e+007", "2008"]
    values = pd.Series(cells, index=range(20, 31), name="dataYear", dtype=dtype)
    numbers, bad = _read.text_to_float(values)
    assert numbers.index.equals(values.index)
    assert numbers.name == bad.name == "dataYear"
    for label, cell in values.items():
        alone_number, alone_bad = _read.text_to_float(values.loc[[label]])
        assert bad.dtype == alone_bad.dtype
        assert numbers[label] == alone_number.iloc[0] or (np.isnan(numbers[label]) and np.isnan(alone_number.iloc[0]))
        assert bad[label] is alone_bad.iloc[0] or bad[label] == alone_bad.iloc[0], cell
    assert numbers[[20, 22, 25, 29]].tolist() == [2008.0, 2008.0, 1000.0, 26170100.0]
    assert bad[[23, 27]].all()
    assert not bad[[20, 21, 24]].any()


@pytest.fixture
def published(tmp_path: Path) -> Path:
    folder = tmp_path / "processed"
    shutil.copytree(PROCESSED, folder)
    return folder


def test_a_warm_load_equals_a_fresh_read_and_follows_a_rewritten_file(published: Path) -> None:
    first = kz.load("ti_cpi", data_dir=published)
    first.loc[0, "score"] = -1.0  # a caller's change stays in its own frame
    again = kz.load("ti_cpi", data_dir=published)
    pd.testing.assert_frame_equal(again, pd.read_parquet(published / "ti_cpi.parquet"))
    # Another version of the file (as a build swaps one in) is read afresh.
    smaller = pd.read_parquet(published / "ti_cpi.parquet").head(10)
    smaller.to_parquet(published / "ti_cpi.parquet.new", index=False)
    os.replace(published / "ti_cpi.parquet.new", published / "ti_cpi.parquet")
    assert len(kz.load("ti_cpi", data_dir=published)) == 10


def test_peers_income_groups_come_from_the_cache_and_a_new_table_replaces_them(
        published: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = published / "countries.parquet"
    read = read_income_groups(path)
    assert "KAZ" in read["Upper middle income"]
    assert income_groups(path, "sha256:x") == read  # read, then written to the cache
    cached = list((tmp_path / "cache").rglob("income-groups-*.json"))
    assert len(cached) == 1
    monkeypatch.setattr("kzegov_data.cli.read_income_groups", lambda path: pytest.fail("read again"))
    assert income_groups(path, "sha256:x") == read
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    table = pd.read_parquet(path)
    table.loc[table["iso3"] == "KAZ", "wb_income_group"] = "High income"
    table.to_parquet(path.with_suffix(".new"), index=False)
    os.replace(path.with_suffix(".new"), path)
    assert "KAZ" in income_groups(path, "sha256:y")["High income"]
    assert [p.name for p in (tmp_path / "cache").rglob("income-groups-*.json")] != [cached[0].name]


def test_peers_with_an_unwritable_cache_still_lists_the_groups(published: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    env = {**os.environ, "XDG_CACHE_HOME": str(blocked), "PYTHONPATH": str(REPO / "src")}
    result = subprocess.run([sys.executable, "-m", "kzegov_data", "peers", "income:upper_middle", "--data-dir",
                             str(published)], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    assert " KAZ " in result.stdout + " "


#: Excel cells of every kind python-calamine gives, with the texts that trip up a per-type rule.
TRICKY_CELLS = [
    1.5, 0.0, -2, 3, True, False, "", "  ", "\n", "\xa0", " 87.6 ", "87,6", "...", "-", "1e3", "nan",
    "inf", "0x10", datetime.date(2019, 6, 30), datetime.timedelta(0), "", 1.5,
]


@pytest.mark.parametrize("missing", [("",), ("", "...", "-")])
@pytest.mark.parametrize("numbers_as_text", [False, True])
def test_cells_converted_at_once_equal_cell_by_cell(missing: tuple[str, ...], numbers_as_text: bool) -> None:
    cells = np.array(TRICKY_CELLS, dtype=object)
    numbers, bad = _read.cells_to_float(cells, missing=missing, numbers_as_text=numbers_as_text)
    options = {"file": "f.xls", "column": "c", "missing": missing, "numbers_as_text": numbers_as_text}
    for cell, number, refused in zip(cells, numbers, bad, strict=True):
        one = pd.Series([cell], dtype=object)
        if refused:
            with pytest.raises(ParseError, match="holds text where numbers are expected"):
                _read.cells_to_number(one, **options)
        else:
            alone = _read.cells_to_number(one, **options)
            assert alone.iloc[0] == number or (np.isnan(alone.iloc[0]) and np.isnan(number)), cell
    # Not a rule that accepts everything: booleans, dates and stray text are refused.
    assert bad[[4, 5, 11, 18, 19]].all()
    assert not bad[[0, 1, 2, 3, 6]].any()
    assert bad[10] != numbers_as_text
    if numbers_as_text:
        assert numbers[10] == 87.6


@pytest.mark.parametrize(
    "rows",
    [
        [[1.5, "a", None], [float("nan"), True, datetime.date(2020, 1, 1)]],  # calamine's padded rows
        [[1.5, "a", None], [float("nan")], []],  # short rows, padded with empty cells
        [[], []],
        [],
    ],
)
def test_rows_to_cells_equals_a_frame_of_the_rows_with_empty_cells_for_none_and_nan(rows: list[list[object]]) -> None:
    cells = _read.rows_to_cells(rows)
    width = max(map(len, rows), default=0)
    expected = [["" if pd.isna(cell) else cell for cell in [*row, *[None] * (width - len(row))]] for row in rows]
    assert cells.dtype == object
    assert cells.shape == (len(rows), width)
    assert [[(type(c), c) for c in row] for row in cells.tolist()] == [[(type(c), c) for c in row] for row in expected]


def test_workbook_sheets_reads_each_sheet_as_sheet_cells(tmp_path: Path) -> None:
    xlsxwriter = pytest.importorskip("xlsxwriter")
    path = tmp_path / "two.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("First").write_row(0, 0, ["a", 1.5])
    second = book.add_worksheet("Second")
    second.write_row(0, 0, ["x"])
    second.write_row(2, 0, ["y", "z", 3])
    book.close()
    both = _read.workbook_sheets(path, ["Second", "First"])
    assert list(both) == ["Second", "First"]
    for sheet, cells in both.items():
        assert cells.tolist() == _read.sheet_cells(path, sheet).tolist()
    assert both["Second"].tolist() == [["x", "", ""], ["", "", ""], ["y", "z", 3]]
    with pytest.raises(ParseError, match=r"two\.xlsx: no sheet 'Third' \(sheets: 'First', 'Second'\)"):
        _read.workbook_sheets(path, ["First", "Third"])
