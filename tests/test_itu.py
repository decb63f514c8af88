"""ITU ICT statistics on the real ITU files: known values, whole-table invariants, bad input."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest

from conftest import source_paths, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.sources._read import column_letters, read_excel_sheet
from kzegov_data.sources.itu import INDICATORS
from kzegov_data.sources.itu import parse as itu
from kzegov_data.sources.itu.schema import ANOMALIES

#: Every test here reads the publishers' real files.
pytestmark = pytest.mark.mirror

MOBILE = "mobile-cellular-subscriptions_1758627613877.csv"
INTERNET = "individuals_using_internet.csv"


@pytest.fixture(scope="module")
def paths(mirror: Path) -> dict[str, Path]:
    return source_paths(mirror, "itu")


@pytest.fixture(scope="module")
def table(paths: dict[str, Path]) -> pd.DataFrame:
    return itu.parse(paths)["itu_ict"]


def row(table: pd.DataFrame, iso3: str, year: int, indicator: str) -> pd.Series:
    found = table[
        (table["iso3"] == iso3) & (table["year"] == year) & (table["indicator"] == indicator)
    ]
    assert len(found) == 1, f"{iso3} {year} {indicator}: {len(found)} rows"
    return found.iloc[0]


# --- Known values (PROVENANCE.md and the issue) ---------------------------------------------


def test_kazakhstan_internet_users_2008_is_11(table: pd.DataFrame) -> None:
    assert row(table, "KAZ", 2008, "internet_users_pct")["value"] == 11


def test_kazakhstan_internet_users_2024_is_93_3917(table: pd.DataFrame) -> None:
    kaz = row(table, "KAZ", 2024, "internet_users_pct")
    assert kaz["value"] == 93.3917
    assert kaz["unit"] == "% of individuals"
    assert not kaz["is_estimate"]
    assert "Bureau of National statistics" in kaz["note"]


def test_kazakhstan_mobile_cellular_per100_2024_is_127_085(table: pd.DataFrame) -> None:
    assert row(table, "KAZ", 2024, "mobile_cellular_per100")["value"] == 127.085


def test_kazakhstan_mobile_cellular_subscriptions_2024_is_26_170_100(table: pd.DataFrame) -> None:
    # "2.61701e+007" in the file: 6 significant digits, read as a number, not as text.
    kaz = row(table, "KAZ", 2024, "mobile_cellular_subscriptions")
    assert kaz["value"] == 26_170_100
    assert kaz["unit"] == "subscriptions"


def test_kazakhstan_fixed_broadband_per100_2024_is_15_3162(table: pd.DataFrame) -> None:
    assert row(table, "KAZ", 2024, "fixed_broadband_per100")["value"] == 15.3162


def test_kazakhstan_mobile_broadband_per100_2024_is_119_041_and_starts_2010(
    table: pd.DataFrame,
) -> None:
    assert row(table, "KAZ", 2024, "mobile_broadband_per100")["value"] == 119.041
    kaz = table[(table["iso3"] == "KAZ") & (table["indicator"] == "mobile_broadband_per100")]
    assert kaz["year"].min() == 2010


def test_kazakhstan_households_internet_2024_is_97_0572(table: pd.DataFrame) -> None:
    assert row(table, "KAZ", 2024, "households_internet_pct")["value"] == 97.0572


def test_kazakhstan_households_internet_2008_is_17_an_itu_estimate(table: pd.DataFrame) -> None:
    kaz = row(table, "KAZ", 2008, "households_internet_pct")
    assert kaz["value"] == 17
    assert kaz["is_estimate"]


def test_kazakhstan_fixed_telephone_per100_2018_is_18_291(table: pd.DataFrame) -> None:
    kaz = row(table, "KAZ", 2018, "fixed_telephone_per100")
    assert round(kaz["value"], 3) == 18.291
    assert kaz["value"] == 18.2913202666125  # full precision, as in the 2019 workbook
    assert kaz["origin"].startswith("Fixed_tel_2000-2018_Jun2019_revised_27082019.xls")


def test_kazakhstan_fixed_telephone_subscriptions_2008_is_3_458_440(table: pd.DataFrame) -> None:
    assert row(table, "KAZ", 2008, "fixed_telephone_subscriptions")["value"] == 3_458_440


def test_per100_value_takes_the_estimate_mark_of_its_count(table: pd.DataFrame) -> None:
    # Fiji 2021: the count row says "ITU estimate.", the per-100 row of the file says nothing.
    assert row(table, "FJI", 2021, "mobile_cellular_subscriptions")["is_estimate"]
    fiji = row(table, "FJI", 2021, "mobile_cellular_per100")
    assert fiji["is_estimate"]
    assert fiji["note"] == "Source: ITU estimate."


def test_per100_value_marked_itself_stays_an_estimate(table: pd.DataFrame) -> None:
    # Barbados 2012: per-100 row says "ITU estimate.", the count row names the ministry.
    assert row(table, "BRB", 2012, "mobile_cellular_per100")["is_estimate"]
    assert not row(table, "BRB", 2012, "mobile_cellular_subscriptions")["is_estimate"]


def test_itu_codes_become_iso3(table: pd.DataFrame) -> None:
    codes = set(table["iso3"])
    assert {"XKX", "GGY", "JEY", "TWN", "PSE"} <= codes
    assert not codes & {"KSO", "AAA", "GBJ", "ASC"}
    assert row(table, "XKX", 2018, "internet_users_pct")["value"] == 89.443
    assert row(table, "XKX", 2018, "internet_users_pct")["country"] == "Kosovo"


def test_2019_names_map_like_the_datahub_codes(table: pd.DataFrame) -> None:
    # The Excel file has names only: "Turkey", "Korea (Rep. of)", "Vatican" ...
    assert row(table, "TUR", 2018, "fixed_telephone_per100")["country"] == "Turkey"
    assert row(table, "KOR", 2018, "fixed_telephone_per100")["country"] == "Korea (Rep. of)"
    assert (
        row(table, "PRK", 2017, "fixed_telephone_per100")["country"]
        == "Dem. People's Rep. of Korea"
    )
    assert row(table, "VIR", 2010, "fixed_telephone_per100")["country"] == "Virgin Islands (US)"


# --- Whole table -------------------------------------------------------------------------------


def test_table_passes_its_schema(table: pd.DataFrame) -> None:
    validate_table("itu_ict", table)


def test_columns_and_sort_order(table: pd.DataFrame) -> None:
    table = validate_table("itu_ict", table)
    assert list(table.columns) == [
        "iso3",
        "country",
        "year",
        "indicator",
        "value",
        "unit",
        "is_estimate",
        "note",
        "origin",
    ]
    keys = table[["iso3", "year", "indicator"]]
    assert keys.equals(keys.sort_values(["iso3", "year", "indicator"], ignore_index=True))


def raw_series_counts(path: Path) -> dict[str, int]:
    """Rows per seriesCode in a DataHub file, read with the csv module, ASC left out."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    counts: dict[str, int] = {}
    for record in rows:
        if record["entityIso"] != "ASC":
            counts[record["seriesCode"]] = counts.get(record["seriesCode"], 0) + 1
    return counts


def test_every_datahub_row_is_published_or_dropped_by_rule(
    table: pd.DataFrame, paths: dict[str, Path]
) -> None:
    published = table["indicator"].value_counts()
    for spec in itu.DATAHUB_FILES:
        for series in spec.series:
            expected = raw_series_counts(paths[spec.name])[series.code]
            assert published[series.indicator] == expected, series


def test_every_2019_economy_is_published_or_dropped_by_rule(
    table: pd.DataFrame, paths: dict[str, Path]
) -> None:
    cells = read_excel_sheet(paths[itu.FIXED_TELEPHONE_FILE], "Final").iloc[2:]
    assert len(cells) == 228
    # Economies with at least one number in the count or per-100 block (Vatican and Norfolk
    # Islands have none); the two blocks are columns B-T and V-AN.
    values = pd.concat([cells.iloc[:, 1:20], cells.iloc[:, 21:40]], axis="columns")
    with_data = set(cells.loc[values.map(lambda v: v != "").any(axis="columns"), 0])
    assert len(with_data) == 226
    fixed = table[table["origin"].str.startswith(itu.FIXED_TELEPHONE_FILE)]
    assert with_data - set(fixed["country"]) == {"Ascension"}
    assert set(fixed["country"]) <= with_data


def test_economies_per_year_of_internet_users(table: pd.DataFrame) -> None:
    internet = table[table["indicator"] == "internet_users_pct"]
    per_year = internet.groupby("year")["iso3"].nunique()
    assert per_year[2023] == 181
    assert per_year[2024] == 50
    assert per_year[2025] == 1
    assert internet["year"].min() == 2000


def test_one_unit_per_indicator(table: pd.DataFrame) -> None:
    assert table.drop_duplicates(["indicator", "unit"])["indicator"].is_unique
    assert set(table["indicator"]) == set(INDICATORS)


def test_values_above_250_per_100_are_all_reviewed(table: pd.DataFrame) -> None:
    high = table[table["unit"].eq("per 100 inhabitants") & (table["value"] > 250)]
    reviewed = {(a.iso3, a.year, a.indicator) for a in ANOMALIES}
    assert set(zip(high["iso3"], high["year"], high["indicator"], strict=True)) == reviewed
    assert high["value"].max() == 574.152  # Fiji 2024


def test_a_count_in_the_per100_column_fails_the_schema(table: pd.DataFrame) -> None:
    broken = table.copy()
    where = (
        (broken["iso3"] == "KAZ")
        & (broken["year"] == 2024)
        & (broken["indicator"] == "mobile_cellular_per100")
    )
    broken.loc[where, "value"] = 26_170_100.0
    with pytest.raises(SchemaValidationError, match="ceiling"):
        validate_table("itu_ict", broken)


def test_a_percentage_above_100_fails_the_schema(table: pd.DataFrame) -> None:
    broken = table.copy()
    broken.loc[broken["indicator"] == "internet_users_pct", "value"] *= 100
    with pytest.raises(SchemaValidationError, match="ceiling"):
        validate_table("itu_ict", broken)


def test_a_wrong_unit_fails_the_schema(table: pd.DataFrame) -> None:
    broken = table.copy()
    broken.loc[broken["indicator"] == "fixed_broadband_subscriptions", "unit"] = (
        "per 100 inhabitants"
    )
    with pytest.raises(SchemaValidationError, match="unit is the one of the indicator"):
        validate_table("itu_ict", broken)


def test_parse_is_deterministic(paths: dict[str, Path], table: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(itu.parse(paths)["itu_ict"], table)


# --- Bad input: DataHub CSV --------------------------------------------------------------------


def altered_csv(paths: dict[str, Path], tmp_path: Path, name: str, change) -> dict[str, Path]:
    """Paths with ``name`` replaced by a copy whose text went through ``change``."""
    text = paths[name].read_bytes().decode("utf-8-sig")
    copy = tmp_path / name
    copy.write_bytes(b"\xef\xbb\xbf" + change(text).encode("utf-8"))
    return {**paths, name: copy}


def write_bytes(paths: dict[str, Path], tmp_path: Path, name: str, data: bytes) -> dict[str, Path]:
    copy = tmp_path / name
    copy.write_bytes(data)
    return {**paths, name: copy}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace('"dataValue"', '"value"', 1), r"missing \['dataValue'\]"),
        (lambda t: t.replace(',"dataNote"', "", 1), r"missing \['dataNote'\]"),
        (
            lambda t: t.replace('"seriesDescription"', '"seriesDescription","extra"', 1),
            r"unexpected \['extra'\]",
        ),
        (lambda t: t.replace('"93.3917"', '"n/a"', 1), r"'dataValue' holds text.*'n/a'"),
        (
            lambda t: t.replace(',2024,"","Bureau', ',"2024a","","Bureau', 1),
            r"'dataYear' holds text",
        ),
        (lambda t: t.split("\n", 1)[0] + "\n", "header only"),
        (lambda t: t.replace('"i99H"', '"i99X"'), r"unexpected \[\('i99X', '11624'\)\]"),
        (lambda t: t.replace("\n11624,", "\n99999,"), r"missing \[\('i99H', '11624'\)\]"),
    ],
    ids=[
        "renamed-column",
        "missing-column",
        "extra-column",
        "text-in-value",
        "text-in-year",
        "header-only",
        "unknown-series",
        "wrong-series-id",
    ],
)
def test_bad_datahub_csv_fails_loudly(paths, tmp_path, change, message) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, change)
    with pytest.raises(ParseError, match=message):
        itu.parse(bad)


def test_unknown_country_code_stops_the_build(paths, tmp_path) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, lambda t: t.replace('"KAZ"', '"QQQ"'))
    with pytest.raises(CountryError, match="'QQQ'"):
        itu.parse(bad)


def test_repeated_row_fails(paths, tmp_path) -> None:
    def repeat_last(text: str) -> str:
        lines = text.rstrip("\n").split("\n")
        return "\n".join([*lines, lines[-1]]) + "\n"

    with pytest.raises(ParseError, match="repeat a series, economy and year"):
        itu.parse(altered_csv(paths, tmp_path, MOBILE, repeat_last))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary content"),
        (b"PK\x03\x04" + b"\x00" * 64, "binary content"),  # the ZIP itself, not its CSV
        ('"seriesID","entityName"\n1,"Côte d\'Ivoire"\n'.encode("latin-1"), "not valid utf-8-sig"),
    ],
    ids=["empty", "binary-junk", "zip-not-unpacked", "latin-1"],
)
def test_damaged_datahub_file_fails_loudly(paths, tmp_path, data, message) -> None:
    with pytest.raises(ParseError, match=message):
        itu.parse(write_bytes(paths, tmp_path, MOBILE, data))


# --- Bad input: the 2019 Excel file ------------------------------------------------------------


def xlsx_bytes(cells: pd.DataFrame, sheet: str) -> bytes:
    """A minimal .xlsx (inline strings, no styles) holding ``cells`` as one sheet."""

    def reference(row: int, column: int) -> str:
        return f"{column_letters(column + 1)}{row + 1}"

    rows = []
    for r, values in enumerate(cells.itertuples(index=False)):
        parts = []
        for c, value in enumerate(values):
            if isinstance(value, bool) or value is None or value == "":
                continue
            if isinstance(value, int | float):
                parts.append(f'<c r="{reference(r, c)}"><v>{float(value)!r}</v></c>')
            else:
                text = escape(str(value))
                parts.append(f'<c r="{reference(r, c)}" t="inlineStr"><is><t>{text}</t></is></c>')
        rows.append(f'<row r="{r + 1}">{"".join(parts)}</row>')
    openxml = "http://schemas.openxmlformats.org"
    main = f"{openxml}/spreadsheetml/2006/main"
    relationships = f"{openxml}/officeDocument/2006/relationships"
    package = f"{openxml}/package/2006/relationships"
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0" encoding="UTF-8"?>'

    def relationship(kind: str, target: str) -> str:
        return (
            f'{head}<Relationships xmlns="{package}"><Relationship Id="rId1" '
            f'Type="{relationships}/{kind}" Target="{target}"/></Relationships>'
        )

    files = {
        "[Content_Types].xml": (
            f'{head}<Types xmlns="{openxml}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{office}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": relationship("officeDocument", "xl/workbook.xml"),
        "xl/workbook.xml": (
            f'{head}<workbook xmlns="{main}" xmlns:r="{relationships}"><sheets>'
            f'<sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": relationship("worksheet", "worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml": (
            f'{head}<worksheet xmlns="{main}"><sheetData>{"".join(rows)}</sheetData></worksheet>'
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def fixed_telephone_cells(paths: dict[str, Path]) -> pd.DataFrame:
    return read_excel_sheet(paths[itu.FIXED_TELEPHONE_FILE], "Final")


def parse_altered_workbook(
    tmp_path: Path, cells: pd.DataFrame, sheet: str = "Final"
) -> pd.DataFrame:
    copy = tmp_path / "Fixed_tel_altered.xlsx"
    copy.write_bytes(xlsx_bytes(cells, sheet))
    return itu.parse_fixed_telephone(copy)


def test_unaltered_copy_of_the_workbook_parses_the_same(
    tmp_path, fixed_telephone_cells, paths
) -> None:
    # Guards the helper below: a faithful copy must give the real file's rows.
    real = itu.parse_fixed_telephone(paths[itu.FIXED_TELEPHONE_FILE])
    copy = parse_altered_workbook(tmp_path, fixed_telephone_cells)
    pd.testing.assert_frame_equal(copy.drop(columns="origin"), real.drop(columns="origin"))


def insert_column(cells: pd.DataFrame, position: int) -> pd.DataFrame:
    values = cells.to_numpy().tolist()
    return pd.DataFrame([[*r[:position], "", *r[position:]] for r in values], dtype=object)


def test_renamed_sheet_fails(tmp_path, fixed_telephone_cells) -> None:
    with pytest.raises(ParseError, match=r"no sheet 'Final' \(sheets: 'Data'\)"):
        parse_altered_workbook(tmp_path, fixed_telephone_cells, sheet="Data")


def test_header_moved_down_a_row_fails(tmp_path, fixed_telephone_cells) -> None:
    # A title row above the headers (calamine skips leading blank rows, so a title it is).
    title = pd.DataFrame(
        [
            ["ITU World Telecommunication/ICT Indicators"]
            + [""] * (fixed_telephone_cells.shape[1] - 1)
        ],
        dtype=object,
    )
    moved = pd.concat([title, fixed_telephone_cells], ignore_index=True)
    with pytest.raises(ParseError, match="header is not the one the parser knows"):
        parse_altered_workbook(tmp_path, moved)


def test_extra_column_fails(tmp_path, fixed_telephone_cells) -> None:
    with pytest.raises(ParseError, match="has 80 columns"):
        parse_altered_workbook(tmp_path, insert_column(fixed_telephone_cells, 5))


def test_renamed_block_title_fails(tmp_path, fixed_telephone_cells) -> None:
    cells = fixed_telephone_cells.copy()
    cells.iloc[0, 21] = "Fixed-telephone subscriptions per 100 households"
    with pytest.raises(ParseError, match="V1: expected 'Fixed-telephone subscriptions per 100 inh"):
        parse_altered_workbook(tmp_path, cells)


def test_year_header_shifted_fails(tmp_path, fixed_telephone_cells) -> None:
    cells = fixed_telephone_cells.copy()
    cells.iloc[1, 21:40] = [float(y) for y in range(2001, 2020)]
    with pytest.raises(ParseError, match=r"V2: expected 2000\.0, found 2001\.0"):
        parse_altered_workbook(tmp_path, cells)


def test_text_in_numeric_cell_fails(tmp_path, fixed_telephone_cells) -> None:
    cells = fixed_telephone_cells.copy()
    kazakhstan = int(cells.index[cells[0] == "Kazakhstan"][0])
    cells.iloc[kazakhstan, 39] = "18,29"
    with pytest.raises(ParseError, match=r"'AN \(2018\)' holds text.*'18,29'"):
        parse_altered_workbook(tmp_path, cells)


def test_unknown_country_name_fails(tmp_path, fixed_telephone_cells) -> None:
    cells = fixed_telephone_cells.copy()
    kazakhstan = int(cells.index[cells[0] == "Kazakhstan"][0])
    cells.iloc[kazakhstan, 0] = "Kazakstan Rep."
    with pytest.raises(CountryError, match=r"'Kazakstan Rep\.'"):
        parse_altered_workbook(tmp_path, cells)


def test_values_without_a_name_fail(tmp_path, fixed_telephone_cells) -> None:
    cells = fixed_telephone_cells.copy()
    cells.iloc[5, 0] = ""
    with pytest.raises(ParseError, match="row 6 has values but no economy name"):
        parse_altered_workbook(tmp_path, cells)


def test_stray_numbers_in_the_separator_column_are_ignored(
    tmp_path, fixed_telephone_cells, paths
) -> None:
    # The sister files of the release hold stray numbers in column U; they are not data.
    cells = fixed_telephone_cells.copy()
    cells.iloc[2:, 20] = 10.5957264186601
    real = itu.parse_fixed_telephone(paths[itu.FIXED_TELEPHONE_FILE])
    pd.testing.assert_frame_equal(
        parse_altered_workbook(tmp_path, cells).drop(columns="origin"), real.drop(columns="origin")
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0junk" + bytes(range(256)), "not a readable Excel workbook"),
        (b"<html><body>403 Forbidden</body></html>", "not a readable Excel workbook"),
    ],
    ids=["empty", "binary-junk", "error-page"],
)
def test_damaged_workbook_fails_loudly(paths, tmp_path, data, message) -> None:
    with pytest.raises(ParseError, match=message):
        itu.parse(write_bytes(paths, tmp_path, itu.FIXED_TELEPHONE_FILE, data))
