"""The Stata and Excel writers: what they keep (every digit, missing values, labels), what they refuse
(names and labels beyond the formats' limits), and that the same data give the same bytes.

Read back with ReadStat (pyreadstat) and calamine, independent of pandas' Stata writer and xlsxwriter.
The whole bundle, every table of it, is read back in test_bundle_downloads.py.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kzegov_data.errors import InvalidArgumentError
from kzegov_data.formats import stata_bytes, workbook_bytes
from readback import sheet_differences, stata_differences, stata_labels, workbook_sheets

PROCESSED = Path(__file__).resolve().parents[1] / "processed"
#: Floats that need all 17 significant digits, the extremes Stata holds, and a negative zero.
HARD_FLOATS = [0.1 + 0.2, 1.1659653186798096, 2 / 3, 5e-324, 8.988465674311579e307, -0.0, 1e16 + 2, np.nan]


def small_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "iso3": pd.Categorical(["KAZ", "UZB", None, "KGZ", "KAZ", "TJK", "TKM", "KAZ"]),
        "year": np.arange(2017, 2025, dtype="int64"),
        "rank": pd.array([1, None, 3, 4, 5, 6, 7, 8], dtype="Int64"),
        "value": HARD_FLOATS,
        "is_estimate": [True, False, True, False, False, True, False, True],
        "edition": pd.array(["2024 Update", None, "2021 Update", "2024 Update", "2019 Update", "2024 Update",
                             "2021 Update", "2024 Update"], dtype="str"),
        "note": pd.array(["x" * 3000, None, "Source: ITU estimate.", "é" * 1100, "", "a", "b", "c"], dtype="str"),
    })


def write(tmp_path: Path, data: bytes, name: str = "table.dta") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_stata_file_reads_back_with_every_digit_missing_value_code_and_label(tmp_path: Path) -> None:
    frame = small_frame()
    frame["note"] = frame["note"].where(frame["note"] != "", None)  # Stata cannot tell "" from missing
    labels = {"value": "A value that needs 17 digits", "is_estimate": "ITU estimate"}
    path = write(tmp_path, stata_bytes(frame, variable_labels=labels, data_label="Central Asia"))
    assert stata_differences(frame, path) == []
    variable_labels, data_label = stata_labels(path)
    assert data_label == "Central Asia"
    assert {name: label for name, label in variable_labels.items() if label} == labels


def test_booleans_codes_and_few_distinct_strings_become_value_labels_long_text_strl(tmp_path: Path) -> None:
    import pyreadstat

    path = write(tmp_path, stata_bytes(small_frame(), variable_labels={}, data_label=""))
    _, meta = pyreadstat.read_dta(str(path), metadataonly=True)
    assert meta.variable_value_labels["is_estimate"] == {0: "no", 1: "yes"}
    assert sorted(meta.variable_value_labels["iso3"].values()) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    assert sorted(meta.variable_value_labels["edition"].values()) == ["2019 Update", "2021 Update", "2024 Update"]
    assert "note" not in meta.variable_value_labels  # eight distinct values but written as text: it is long
    assert meta.readstat_variable_types["note"] == "string"


def test_the_comparison_catches_one_changed_digit(tmp_path: Path) -> None:
    frame = small_frame().drop(columns=["note"])
    path = write(tmp_path, stata_bytes(frame, variable_labels={}, data_label=""))
    changed = frame.copy()
    changed.loc[1, "value"] = np.nextafter(changed.loc[1, "value"], 2.0)
    assert stata_differences(changed, path) == [
        f"value, row 1: wrote {float(changed.loc[1, 'value'])!r}, read back {float(frame.loc[1, 'value'])!r}"]
    relabelled = frame.copy()
    relabelled.loc[0, "is_estimate"] = False
    assert len(stata_differences(relabelled, path)) == 1


@pytest.mark.parametrize("name", ["wgi_control_of_corruption_pctrank", "2020", "gdp per capita", "_n", "str12"])
def test_a_name_stata_would_change_is_refused(name: str) -> None:
    with pytest.raises(InvalidArgumentError, match="not a valid Stata name"):
        stata_bytes(pd.DataFrame({name: [1.0]}), variable_labels={}, data_label="")


def test_labels_beyond_80_characters_are_refused() -> None:
    frame = pd.DataFrame({"egdi": [0.9]})
    with pytest.raises(InvalidArgumentError, match="81 characters, Stata allows 80"):
        stata_bytes(frame, variable_labels={"egdi": "x" * 81}, data_label="")
    with pytest.raises(InvalidArgumentError, match="the data label"):
        stata_bytes(frame, variable_labels={}, data_label="y" * 81)


def test_a_stata_file_is_the_same_bytes_every_time() -> None:
    frame = pd.read_parquet(PROCESSED / "un_egov.parquet")
    first = stata_bytes(frame, variable_labels={"egdi": "EGDI"}, data_label="UN E-Government Survey")
    assert stata_bytes(frame, variable_labels={"egdi": "EGDI"}, data_label="UN E-Government Survey") == first


def test_a_workbook_reads_back_every_value_with_all_its_digits() -> None:
    frame = small_frame()
    frame["note"] = frame["note"].where(frame["note"] != "", None)  # a blank cell is a missing value
    codebook = pd.DataFrame({"variable": ["value"], "unit": ["ratio"]})
    sheets = workbook_sheets(workbook_bytes({"central_asia": frame}, readme_rows=[["kzegov_data", "test"]],
                                            codebook=codebook))
    assert list(sheets) == ["README", "codebook", "central_asia"]
    assert sheet_differences(frame, sheets["central_asia"]) == []
    assert sheet_differences(codebook, sheets["codebook"]) == []
    assert sheets["README"][0] == ["kzegov_data", "test"]
    changed = frame.copy()
    changed.loc[0, "value"] = 0.3  # what 16 significant digits would have made of 0.1 + 0.2
    assert sheet_differences(changed, sheets["central_asia"]) == [
        "value, row 0: wrote 0.3, read back 0.30000000000000004"]


def test_a_table_past_the_row_limit_continues_on_numbered_sheets_each_with_its_header() -> None:
    frame = pd.read_parquet(PROCESSED / "un_egov.parquet")  # 2,316 rows: 1,000 a sheet takes three
    data = workbook_bytes({"un_egov": frame}, readme_rows=[], codebook=pd.DataFrame({"variable": []}),
                          row_limit=1001)
    sheets = workbook_sheets(data)
    assert list(sheets) == ["README", "codebook", "un_egov", "un_egov (2)", "un_egov (3)"]
    assert [len(sheets[name]) - 1 for name in ("un_egov", "un_egov (2)", "un_egov (3)")] == [1000, 1000, 316]
    joined = [sheets["un_egov"][0], *(row for name in ("un_egov", "un_egov (2)", "un_egov (3)")
                                      for row in sheets[name][1:])]
    assert all(sheets[name][0] == sheets["un_egov"][0] for name in ("un_egov (2)", "un_egov (3)"))
    assert sheet_differences(frame, joined) == []
    readme = {row[0]: row[1] for row in sheets["README"]}
    assert readme["un_egov (3)"] == "table un_egov: rows 2,001 to 2,316 of 2,316"
    assert "continues on '<table> (2)'" in readme["Sheets"]


def test_a_workbook_is_the_same_bytes_every_time_and_its_header_is_frozen() -> None:
    frame = pd.read_parquet(PROCESSED / "ti_cpi.parquet")
    made = [workbook_bytes({"ti_cpi": frame}, readme_rows=[["ti_cpi"]], codebook=pd.DataFrame({"variable": ["x"]}))
            for _ in range(2)]
    assert made[0] == made[1]
    with zipfile.ZipFile(io.BytesIO(made[0])) as archive:
        sheet = archive.read("xl/worksheets/sheet3.xml").decode("utf-8")
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert 'ySplit="1"' in sheet
    assert 'state="frozen"' in sheet
    assert "1980-01-01T00:00:00Z" in core


@pytest.mark.parametrize("name", ["ti_cpi_sources_and_more_than_31c", "a/b", "what?"])
def test_a_sheet_name_excel_would_refuse_is_refused(name: str) -> None:
    with pytest.raises(InvalidArgumentError, match="sheet name"):
        workbook_bytes({name: pd.DataFrame({"x": [1]})}, readme_rows=[], codebook=pd.DataFrame({"x": []}))

