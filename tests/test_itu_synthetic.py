"""ITU parser on synthetic DataHub CSVs and a synthetic June 2019 .xls: runs anywhere, no mirror.

The files (``tests/synthetic/itu.py``) have ITU's layouts: BOM, quoting, ``%g`` values with 3-digit
exponents, two series per subscription file, estimate marks on the count rows, ITU's entity codes,
and a BIFF8 sheet ``Final`` with count, per-100 and notes/sources blocks. Expected values below are
read off those layouts (and ITU's published Kazakhstan values), not off the parser.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import parse_source, validate_table
from kzegov_data.errors import CountryError, ParseError, SchemaValidationError
from kzegov_data.registry import get_source
from kzegov_data.sources.itu import parse as itu_parse
from synthetic import itu as synthetic

INTERNET = synthetic.INTERNET
MOBILE = synthetic.MOBILE
FIXED_TELEPHONE = synthetic.FIXED_TELEPHONE
Cells = list[list[object]]


@pytest.fixture(scope="module")
def paths(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return synthetic.write(tmp_path_factory.mktemp("mirror"))


@pytest.fixture(scope="module")
def table(paths: dict[str, Path]) -> pd.DataFrame:
    return parse_source("itu", paths)["itu_ict"]


def row(table: pd.DataFrame, iso3: str, year: int, indicator: str) -> pd.Series:
    found = table[(table["iso3"] == iso3) & (table["year"] == year) & (table["indicator"] == indicator)]
    assert len(found) == 1, f"{iso3} {year} {indicator}: {len(found)} rows"
    return found.iloc[0]


def kaz(table: pd.DataFrame, year: int, indicator: str) -> pd.Series:
    return row(table, "KAZ", year, indicator)


# --- The synthetic files are what the source declares, in ITU's encoding ----------------------


def test_write_produces_every_declared_file_in_the_mirror_layout(paths: dict[str, Path]) -> None:
    declared = sorted(raw_file.name for raw_file in get_source("itu").files)
    assert sorted(paths) == declared
    assert len(declared) == 9  # five DataHub exports, four files of the June 2019 release
    assert {path.parent.name for path in paths.values()} == {"itu"}


def test_written_bytes_are_deterministic(paths: dict[str, Path], tmp_path: Path) -> None:
    again = synthetic.write(tmp_path)
    assert {name: path.read_bytes() for name, path in again.items()} == {
        name: path.read_bytes() for name, path in paths.items()
    }


def test_datahub_files_are_utf8_with_bom_and_percent_g_values(paths: dict[str, Path]) -> None:
    data = paths[MOBILE].read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"seriesID","seriesCode",')
    assert b'277,"KAZ","Kazakhstan","2.61701e+007",2024,' in data
    assert not data.endswith(b"\n")


def test_the_2019_file_is_a_biff8_workbook(paths: dict[str, Path]) -> None:
    assert paths[FIXED_TELEPHONE].read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2


def test_percent_g_matches_the_c_runtime_of_itu(paths: dict[str, Path]) -> None:
    assert synthetic.itu_g(26_170_100) == "2.61701e+007"
    assert synthetic.itu_g(337_300) == "337300"
    assert synthetic.itu_g(0.00001) == "1e-005"


# --- Kazakhstan's published values ---------------------------------------------------------------


def test_kazakhstan_internet_users_2008_is_11(table: pd.DataFrame) -> None:
    assert kaz(table, 2008, "internet_users_pct")["value"] == 11


def test_kazakhstan_internet_users_2024_is_93_3917(table: pd.DataFrame) -> None:
    internet = kaz(table, 2024, "internet_users_pct")
    assert internet["value"] == 93.3917
    assert internet["unit"] == "% of individuals"
    assert not internet["is_estimate"]
    assert "Bureau of National statistics" in internet["note"]


def test_kazakhstan_mobile_cellular_per100_2024_is_127_085(table: pd.DataFrame) -> None:
    mobile = kaz(table, 2024, "mobile_cellular_per100")
    assert mobile["value"] == 127.085
    assert mobile["unit"] == "per 100 inhabitants"


def test_kazakhstan_mobile_cellular_subscriptions_2024_is_26_170_100(table: pd.DataFrame) -> None:
    # "2.61701e+007" in the file: read as a number with ITU's 6 significant digits.
    mobile = kaz(table, 2024, "mobile_cellular_subscriptions")
    assert mobile["value"] == 26_170_100
    assert mobile["unit"] == "subscriptions"


def test_kazakhstan_fixed_broadband_per100_2024_is_15_3162(table: pd.DataFrame) -> None:
    assert kaz(table, 2024, "fixed_broadband_per100")["value"] == 15.3162
    assert kaz(table, 2008, "fixed_broadband_subscriptions")["value"] == 337_300


def test_kazakhstan_mobile_broadband_per100_2024_is_119_041_and_has_no_2008(table: pd.DataFrame) -> None:
    assert kaz(table, 2024, "mobile_broadband_per100")["value"] == 119.041
    series = table[(table["iso3"] == "KAZ") & (table["indicator"] == "mobile_broadband_per100")]
    assert series["year"].tolist() == [2018, 2024]


def test_kazakhstan_households_internet_2024_is_97_0572(table: pd.DataFrame) -> None:
    assert kaz(table, 2024, "households_internet_pct")["value"] == 97.0572


def test_kazakhstan_households_internet_2008_is_17_an_itu_estimate(table: pd.DataFrame) -> None:
    households = kaz(table, 2008, "households_internet_pct")
    assert households["value"] == 17
    assert households["is_estimate"]
    assert households["note"] == "Source: ITU estimate."


def test_kazakhstan_fixed_telephone_per100_2018_is_18_2913(table: pd.DataFrame) -> None:
    fixed = kaz(table, 2018, "fixed_telephone_per100")
    assert round(fixed["value"], 4) == 18.2913
    assert fixed["value"] == 18.2913202666125  # full double precision, as in the 2019 workbook
    assert fixed["origin"] == f"{FIXED_TELEPHONE} (ITU June 2019 release, revised 27 Aug 2019)"


def test_kazakhstan_fixed_telephone_subscriptions_2008_is_3_458_440(table: pd.DataFrame) -> None:
    assert kaz(table, 2008, "fixed_telephone_subscriptions")["value"] == 3_458_440


def test_kazakhstan_fixed_telephone_covers_2000_to_2018(table: pd.DataFrame) -> None:
    fixed = table[(table["iso3"] == "KAZ") & (table["indicator"] == "fixed_telephone_subscriptions")]
    assert fixed["year"].tolist() == list(range(2000, 2019))


# --- Shape and quirks ----------------------------------------------------------------------------


def test_rows_per_indicator(table: pd.DataFrame) -> None:
    # DataHub: 9 peers x 3 years, plus the extra entities of each file, ASC dropped. Fixed telephone:
    # 7 full economies + Kazakhstan (19 years each), 4 ending in 2017 (18), Neth. Antilles 2000-2009.
    assert table["indicator"].value_counts().to_dict() == {
        "fixed_telephone_per100": 8 * 19 + 4 * 18 + 10,
        "fixed_telephone_subscriptions": 234,
        "mobile_cellular_per100": 27 + 3,
        "mobile_cellular_subscriptions": 30,
        "internet_users_pct": 25 + 3,
        "fixed_broadband_per100": 27 + 1,
        "fixed_broadband_subscriptions": 28,
        "mobile_broadband_per100": 2 + 6 * 2 + 3 + 3,
        "mobile_broadband_subscriptions": 20,
        "households_internet_pct": 17,
    }


def test_unique_keys_columns_and_sort_order(table: pd.DataFrame) -> None:
    table = validate_table("itu_ict", table)
    assert list(table.columns) == [
        "iso3", "country", "year", "indicator", "value", "unit", "is_estimate", "note", "origin",
    ]
    keys = table[["iso3", "year", "indicator"]]
    assert not keys.duplicated().any()
    assert keys.equals(keys.sort_values(["iso3", "year", "indicator"], ignore_index=True))


def test_table_passes_its_schema_with_fiji_a_reviewed_anomaly(table: pd.DataFrame) -> None:
    assert row(table, "FJI", 2024, "mobile_cellular_per100")["value"] == 574.152  # above the ceiling of 250
    validate_table("itu_ict", table)


def test_itu_codes_become_iso3_and_ascension_is_dropped(table: pd.DataFrame) -> None:
    codes = set(table["iso3"])
    assert {"XKX", "GGY", "JEY", "ANT"} <= codes
    assert not codes & {"KSO", "AAA", "GBJ", "ASC", "SHN"}
    assert row(table, "XKX", 2018, "internet_users_pct")["country"] == "Kosovo"
    assert row(table, "GGY", 2018, "households_internet_pct")["country"] == "Guernsey"
    assert row(table, "JEY", 2018, "mobile_cellular_per100")["country"] == "Jersey"
    assert "Ascension" not in set(table["country"])


def test_2019_names_map_like_the_datahub_codes(table: pd.DataFrame) -> None:
    assert row(table, "TUR", 2018, "fixed_telephone_per100")["country"] == "Turkey"
    assert row(table, "KOR", 2018, "fixed_telephone_per100")["country"] == "Korea (Rep. of)"
    assert row(table, "ANT", 2009, "fixed_telephone_per100")["country"] == "Neth. Antilles"
    assert row(table, "GGY", 2018, "fixed_telephone_per100")["country"] == "Guernsey"


def test_an_economy_listed_without_values_gives_no_rows(table: pd.DataFrame) -> None:
    assert "VAT" not in set(table["iso3"])


def test_per100_value_takes_the_estimate_mark_and_source_of_its_count(table: pd.DataFrame) -> None:
    # Tajikistan 2018: the count row says "ITU estimate.", the per-100 row of the file is bare.
    assert row(table, "TJK", 2018, "mobile_cellular_subscriptions")["is_estimate"]
    rate = row(table, "TJK", 2018, "mobile_cellular_per100")
    assert rate["is_estimate"]
    assert rate["note"] == "Source: ITU estimate."


def test_per100_value_takes_the_footnote_of_its_count(table: pd.DataFrame) -> None:
    assert kaz(table, 2024, "mobile_cellular_per100")["note"] == (
        "according to the final data of the Office for National Statistics for 2023 | Source: Ministry of "
        "digital development, defense and aerospace industry of the Republic of Kazakhstan"
    )


def test_per100_value_marked_itself_stays_an_estimate(table: pd.DataFrame) -> None:
    # Turkmenistan 2024: the rate row says "ITU estimate.", the count row names the ministry.
    assert row(table, "TKM", 2024, "mobile_cellular_per100")["is_estimate"]
    assert row(table, "TKM", 2024, "mobile_cellular_per100")["note"] == "Source: ITU estimate."
    assert not row(table, "TKM", 2024, "mobile_cellular_subscriptions")["is_estimate"]


def test_itu_estimate_is_recognised_however_written(table: pd.DataFrame) -> None:
    assert row(table, "UZB", 2018, "mobile_broadband_per100")["is_estimate"]  # "ITU estimate based on GSMA"
    assert row(table, "TKM", 2018, "internet_users_pct")["is_estimate"]  # "ITU Estimate."
    assert not row(table, "TJK", 2024, "mobile_broadband_subscriptions")["is_estimate"]  # "DEC estimate."


def test_2019_estimates_come_from_the_source_column(table: pd.DataFrame) -> None:
    assert row(table, "TKM", 2012, "fixed_telephone_per100")["is_estimate"]
    assert row(table, "TKM", 2012, "fixed_telephone_subscriptions")["is_estimate"]
    assert not row(table, "TKM", 2007, "fixed_telephone_per100")["is_estimate"]
    tajikistan = row(table, "TJK", 2017, "fixed_telephone_per100")
    assert tajikistan["is_estimate"]
    assert tajikistan["note"] == "Source: ITU estimate. ITU estimate."  # line break and spaces folded


def test_notes_fold_white_space_and_join_footnote_and_source(table: pd.DataFrame) -> None:
    assert row(table, "RUS", 2018, "mobile_cellular_subscriptions")["note"] == (
        "Including M2M subscriptions. | Source: Ministry of Digital Development"
    )
    assert row(table, "GGY", 2000, "fixed_telephone_subscriptions")["note"] == (
        "Including ISDN channels. | Source: Cable & Wireless Guernsey."
    )
    assert pd.isna(row(table, "ARM", 2018, "mobile_cellular_per100")["note"])


def test_counts_and_rates_give_one_population_per_economy_and_year(table: pd.DataFrame) -> None:
    # What a population-weighted Central Asia or EAEU aggregate needs: count / rate x 100.
    wide = table[table["year"] == 2024].pivot_table(index=["iso3"], columns="indicator", values="value")
    for group in (["KAZ", "KGZ", "TJK", "TKM", "UZB"], ["ARM", "BLR", "KAZ", "KGZ", "RUS"]):
        subset = wide.loc[group]
        mobile = subset["mobile_cellular_subscriptions"] / subset["mobile_cellular_per100"] * 100
        broadband = subset["fixed_broadband_subscriptions"] / subset["fixed_broadband_per100"] * 100
        assert ((mobile / broadband - 1).abs() < 0.01).all()
    assert 20.5e6 < wide.loc["KAZ", "mobile_cellular_subscriptions"] / 127.085 * 100 < 20.7e6


def test_fixed_telephone_counts_are_whole_numbers(table: pd.DataFrame) -> None:
    counts = table.loc[table["indicator"] == "fixed_telephone_subscriptions", "value"]
    assert (counts % 1 == 0).all()


# --- Bad DataHub files -----------------------------------------------------------------------------


def altered_csv(paths: dict[str, Path], tmp_path: Path, name: str, change: Callable[[str], str]) -> dict[str, Path]:
    """All paths, ``name`` replaced by a copy whose text (BOM removed) went through ``change``."""
    text = synthetic.datahub_text(name)
    changed = change(text)
    assert changed != text, "the change changed nothing"
    return {**paths, name: synthetic.write_datahub(tmp_path / name, changed)}


def append_line(line: str) -> Callable[[str], str]:
    return lambda text: text + "\n" + line


KAZ_2024_INTERNET = '"KAZ","Kazakhstan","93.3917",2024,'


@pytest.mark.parametrize(
    ("name", "change", "message"),
    [
        (INTERNET, lambda t: t.replace('"dataValue"', '"value"', 1),
         r"missing \['dataValue'\]; unexpected \['value'\]"),
        (INTERNET, lambda t: t.replace(',"dataNote"', "", 1), r"missing \['dataNote'\]"),
        (INTERNET, lambda t: t.replace('"seriesDescription"', '"seriesDescription","extra"', 1),
         r"unexpected \['extra'\]"),
        (INTERNET, lambda t: t.replace('"entityIso","entityName"', '"entityName","entityIso"', 1),
         r"order changed: column 7 is 'entityName', not 'entityIso'"),
        (INTERNET, lambda t: t.split("\n", 1)[0], "header only, no data rows"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","n/a",2024,'),
         r"'dataValue' holds text where numbers are expected.*'n/a'"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","",2024,'),
         r"1 row\(s\) with an empty 'dataValue'"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","93.3917","2024a",'),
         r"'dataYear' holds text.*'2024a'"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","93.3917",2024.5,'),
         "'dataYear' must be a whole year on every row"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","93.3917",,'),
         "'dataYear' must be a whole year on every row"),
        (INTERNET, lambda t: t.replace('"i99H"', '"i99X"'), r"unexpected \[\('i99X', '11624'\)\]"),
        (INTERNET, lambda t: t.replace("\n11624,", "\n99999,"), r"missing \[\('i99H', '11624'\)\]"),
        # Only the count series: a per-100 download saved under the wrong name, or a cut file.
        (MOBILE, lambda t: "\n".join(line for line in t.split("\n") if not line.startswith("392,")),
         r"missing \[\('i911', '392'\)\]"),
        # The mobile-broadband file saved as the mobile-cellular one.
        (MOBILE, lambda t: synthetic.datahub_text(synthetic.MOBILE_BROADBAND),
         r"unexpected \[\('i271mw', '11632'\), \('i911mw', '12066'\)\]"),
        (INTERNET, lambda t: t.replace(KAZ_2024_INTERNET, '"KAZ","Kazakhstan","93.3917",2024,"x",', 1),
         "not a readable CSV table"),
    ],
    ids=[
        "renamed-column", "missing-column", "extra-column", "swapped-columns", "header-only",
        "text-in-value", "empty-value", "text-in-year", "fractional-year", "empty-year", "unknown-series",
        "wrong-series-id", "rate-series-missing", "wrong-download",
        "extra-field-on-a-row",
    ],
)
def test_bad_datahub_file_is_a_parse_error(
    paths: dict[str, Path], tmp_path: Path, name: str, change: Callable[[str], str], message: str
) -> None:
    with pytest.raises(ParseError, match=message) as error:
        parse_source("itu", altered_csv(paths, tmp_path, name, change))
    assert name in str(error.value)


def test_repeated_row_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def repeat_last(text: str) -> str:
        return text + "\n" + text.rsplit("\n", 1)[1]

    with pytest.raises(ParseError, match=f"{re.escape(MOBILE)}: 2 rows repeat a series, economy and year") as error:
        parse_source("itu", altered_csv(paths, tmp_path, MOBILE, repeat_last))
    assert "'indicator': 'mobile_cellular_per100'" in str(error.value)


def test_unknown_entity_code_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, lambda t: t.replace('"KAZ"', '"QQQ"'))
    with pytest.raises(CountryError, match=f"{INTERNET}: 1 country name\\(s\\) match no ISO 3166-1 code: 'QQQ'"):
        parse_source("itu", bad)


def test_empty_entity_code_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, lambda t: t.replace('"KSO","Kosovo"', '"","Kosovo"'))
    with pytest.raises(CountryError, match=f"{INTERNET}: 1 country name.*match no ISO 3166-1 code: ''"):
        parse_source("itu", bad)


def test_itu_and_world_bank_codes_for_kosovo_together_are_a_country_error(
    paths: dict[str, Path], tmp_path: Path
) -> None:
    line = '11624,"i99H","Individuals using the Internet",,"%",318,"XKX","Kosovo","90.1",2024,"","",""'
    with pytest.raises(CountryError, match="different names map to the same ISO3 code: XKX <- KSO / XKX"):
        parse_source("itu", altered_csv(paths, tmp_path, INTERNET, append_line(line)))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"PK\x03\x04" + b"\x00" * 64, "binary content"),  # the ZIP from the API, not its CSV
        ('"seriesID","entityName"\n1,"Côte d\'Ivoire"\n'.encode("latin-1"), "not valid utf-8-sig at byte"),
    ],
    ids=["empty", "zip-not-unpacked", "latin-1"],
)
def test_damaged_datahub_download_is_a_parse_error(
    paths: dict[str, Path], tmp_path: Path, data: bytes, message: str
) -> None:
    (tmp_path / MOBILE).write_bytes(data)
    with pytest.raises(ParseError, match=f"{MOBILE}: {message}"):
        parse_source("itu", {**paths, MOBILE: tmp_path / MOBILE})


# --- Bad 2019 workbooks ------------------------------------------------------------------------------


def altered_xls(
    paths: dict[str, Path], tmp_path: Path, change: Callable[[Cells], object], *, sheet: str = "Final"
) -> dict[str, Path]:
    """All paths, the .xls replaced by the synthetic cells after ``change`` (edits in place)."""
    cells = synthetic.fixed_telephone_cells()
    change(cells)
    path = synthetic.write_workbook(tmp_path / FIXED_TELEPHONE, cells, sheet=sheet)
    return {**paths, FIXED_TELEPHONE: path}


def position(cells: Cells, name: str) -> int:
    return next(i for i, line in enumerate(cells) if line[0] == name)


def xls_error(paths: dict[str, Path], match: str, error: type[Exception] = ParseError) -> None:
    with pytest.raises(error, match=match) as raised:
        parse_source("itu", paths)
    assert FIXED_TELEPHONE in str(raised.value)


def test_numbers_stored_as_text_in_the_xls_are_read_as_numbers(
    paths: dict[str, Path], tmp_path: Path, table: pd.DataFrame
) -> None:
    # The parser accepts '18.2913202666125' typed as text (a habit of ITU workbooks of that release).
    def as_text(cells: Cells) -> None:
        line = cells[position(cells, "Kazakhstan")]
        line[19], line[39] = "3350900", " 18.2913202666125 "

    text_table = parse_source("itu", altered_xls(paths, tmp_path, as_text))["itu_ict"]
    assert row(text_table, "KAZ", 2018, "fixed_telephone_per100")["value"] == 18.2913202666125
    assert row(text_table, "KAZ", 2018, "fixed_telephone_subscriptions")["value"] == 3_350_900
    pd.testing.assert_frame_equal(text_table, table)


def test_stray_numbers_in_the_separator_columns_are_ignored(
    paths: dict[str, Path], tmp_path: Path, table: pd.DataFrame
) -> None:
    def stray(cells: Cells) -> None:
        for line in cells[2:]:
            line[20] = 10.5957264186601
            line[40] = 2.375

    pd.testing.assert_frame_equal(parse_source("itu", altered_xls(paths, tmp_path, stray))["itu_ict"], table)


def test_renamed_sheet_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    xls_error(altered_xls(paths, tmp_path, lambda cells: None, sheet="Data"), r"no sheet 'Final' \(sheets: 'Data'\)")


def test_title_row_above_the_headers_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def title(cells: Cells) -> None:
        cells.insert(0, ["ITU World Telecommunication/ICT Indicators"] + [""] * (synthetic.WIDTH - 1))

    xls_error(altered_xls(paths, tmp_path, title),
              r"header is not the one the parser knows \(A1: expected '', found 'ITU World")


def test_extra_column_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def insert(cells: Cells) -> None:
        for line in cells:
            line.insert(5, "")
        cells[1][5] = "2003b"

    xls_error(altered_xls(paths, tmp_path, insert), "has 80 columns and 17 rows; the parser knows 79 columns")


def test_headers_without_economies_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def headers_only(cells: Cells) -> None:
        del cells[2:]

    xls_error(altered_xls(paths, tmp_path, headers_only), "has 79 columns and 2 rows")


def test_blank_rows_under_the_headers_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def blank(cells: Cells) -> None:
        cells[2:] = [[" "] + [""] * (synthetic.WIDTH - 1)]

    xls_error(altered_xls(paths, tmp_path, blank), "no economy rows under the two header rows")


def test_renamed_block_title_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def rename(cells: Cells) -> None:
        cells[0][21] = "Fixed-telephone subscriptions per 100 households"

    xls_error(altered_xls(paths, tmp_path, rename), "V1: expected 'Fixed-telephone subscriptions per 100 inh")


def test_shifted_years_are_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def shift(cells: Cells) -> None:
        cells[1][21:40] = [float(year) for year in range(2001, 2020)]

    # xlwt stores whole numbers as RK integers, so python-calamine reads 2001 (ITU's file: 2001.0).
    xls_error(altered_xls(paths, tmp_path, shift), r"V2: expected 2000\.0, found 2001(\.0)?; .*; \.\.\.\)")


def test_renamed_notes_column_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def rename(cells: Cells) -> None:
        cells[1][77] = "Note 2018"

    xls_error(altered_xls(paths, tmp_path, rename), "BZ2: expected 'Notes 2018', found 'Note 2018'")


def test_text_in_a_numeric_cell_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def comma(cells: Cells) -> None:
        cells[position(cells, "Kazakhstan")][39] = "18,29"

    xls_error(
        altered_xls(paths, tmp_path, comma), r"column 'AN \(2018\)' holds text where numbers are expected.*'18,29'"
    )


def test_boolean_in_a_numeric_cell_is_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def boolean(cells: Cells) -> None:
        cells[position(cells, "Kazakhstan")][2] = True

    xls_error(altered_xls(paths, tmp_path, boolean), r"column 'C \(2001\)' holds text.*'True'")


def test_first_bad_cell_is_named_year_by_year_then_block_by_block(paths: dict[str, Path], tmp_path: Path) -> None:
    # The values are converted in one go; the message names the first bad column in the order the
    # rows are read (2000 counts, 2000 per-100, 2001 counts...), not the leftmost column: V (per 100,
    # 2000) comes before C (counts, 2001), though C is left of V.
    def two_bad_cells(cells: Cells) -> None:
        line = cells[position(cells, "Kazakhstan")]
        line[2], line[21] = "n/a", "18,29"

    xls_error(
        altered_xls(paths, tmp_path, two_bad_cells), r"column 'V \(2000\)' holds text.*'18,29'"
    )


def test_values_without_an_economy_name_are_a_parse_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def nameless(cells: Cells) -> None:
        cells[5][0] = ""

    xls_error(altered_xls(paths, tmp_path, nameless), "row 6 has values but no economy name in column A")


def test_unknown_economy_name_is_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def misspell(cells: Cells) -> None:
        cells[position(cells, "Kazakhstan")][0] = "Kazakstan Rep."

    xls_error(altered_xls(paths, tmp_path, misspell), r"'Kazakstan Rep\.'", CountryError)


def test_old_and_new_names_of_one_country_are_a_country_error(paths: dict[str, Path], tmp_path: Path) -> None:
    def both(cells: Cells) -> None:
        cells.append(["Türkiye", 1.0] + [""] * (synthetic.WIDTH - 2))

    xls_error(altered_xls(paths, tmp_path, both), "TUR <- Turkey / Türkiye", CountryError)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xd0\xcf\x11\xe0junk" + bytes(range(256)), "not a readable Excel workbook"),
        (b"<html><body>403 Forbidden</body></html>", "not a readable Excel workbook"),
    ],
    ids=["empty", "damaged-ole2", "error-page"],
)
def test_damaged_workbook_is_a_parse_error(paths: dict[str, Path], tmp_path: Path, data: bytes, message: str) -> None:
    (tmp_path / FIXED_TELEPHONE).write_bytes(data)
    xls_error({**paths, FIXED_TELEPHONE: tmp_path / FIXED_TELEPHONE}, message)


# --- What the parser lets through and the schema catches -----------------------------------------


def schema_error(paths: dict[str, Path], match: str) -> None:
    parsed = parse_source("itu", paths)["itu_ict"]
    with pytest.raises(SchemaValidationError, match=match):
        validate_table("itu_ict", parsed)


def test_a_count_in_the_per100_column_exceeds_the_ceiling(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, MOBILE, lambda t: t.replace('"127.085",2024', '"2.61701e+007",2024'))
    schema_error(bad, r"value at most the indicator's ceiling[\s\S]*KAZ 2024 mobile_cellular_per100")


def test_a_percentage_above_100_exceeds_the_ceiling(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, lambda t: t.replace('"93.3917",2024', '"933.917",2024'))
    schema_error(bad, r"ceiling[\s\S]*KAZ 2024 internet_users_pct")


def test_mobile_above_250_outside_the_reviewed_anomalies_exceeds_the_ceiling(
    paths: dict[str, Path], tmp_path: Path
) -> None:
    # Fiji 2024 is reviewed; the same value for Russia is not.
    bad = altered_csv(paths, tmp_path, MOBILE, lambda t: t.replace('"186.104",2024', '"574.152",2024'))
    schema_error(bad, r"ceiling[\s\S]*RUS 2024 mobile_cellular_per100")


def test_fixed_telephone_above_150_exceeds_the_ceiling(paths: dict[str, Path], tmp_path: Path) -> None:
    def per_1000(cells: Cells) -> None:
        cells[position(cells, "Kazakhstan")][39] = 182.913202666125

    schema_error(altered_xls(paths, tmp_path, per_1000), r"ceiling[\s\S]*KAZ 2018 fixed_telephone_per100")


def test_a_negative_value_fails_the_schema(paths: dict[str, Path], tmp_path: Path) -> None:
    bad = altered_csv(paths, tmp_path, INTERNET, lambda t: t.replace('"93.3917",2024', '"-93.3917",2024'))
    schema_error(bad, r"greater_than_or_equal_to\(0\)")


def test_a_repeated_economy_row_in_the_xls_passes_the_parser_but_not_the_schema(
    paths: dict[str, Path], tmp_path: Path
) -> None:
    # The parser does not look for a repeated economy in the 2019 file (see the report).
    def repeat(cells: Cells) -> None:
        cells.append(list(cells[position(cells, "Kazakhstan")]))

    schema_error(altered_xls(paths, tmp_path, repeat), r"iso3 +multiple_fields_uniqueness +KAZ")


# --- Per-cell rules worked out once per distinct value equal the rules cell by cell -------------

#: Cells of every kind python-calamine gives, with white space ITU's notes hold.
ITU_CELLS = np.array(
    [
        ["Kazakhstan", "", " ", 1.5, "ITU estimate.", "-", " - "],
        ["Korea (Rep. of)\n", "\xa0", 0.0, True, "Source:  ITU\n estimate", "", "June."],
        ["", "", "", "", "", "", ""],
        ["", "\t", datetime.date(2019, 6, 30), datetime.timedelta(0), False, 3, "Kazakhstan"],
    ],
    dtype=object,
)


def test_cell_texts_blanks_and_distinct_mapping_equal_the_per_cell_rules() -> None:
    texts = itu_parse.as_text(ITU_CELLS)
    assert texts.tolist() == [[str(cell) for cell in line] for line in ITU_CELLS.tolist()]
    blank = itu_parse.blank_cells(ITU_CELLS)
    assert blank.tolist() == [[str(cell).strip() == "" for cell in line] for line in ITU_CELLS.tolist()]
    assert blank.all(axis=1).tolist() == [False, False, True, False]
    for function in (itu_parse.fold_space, itu_parse.footnote_text):
        mapped = itu_parse.map_distinct(texts, function)
        assert mapped.shape == texts.shape
        assert mapped.tolist() == [[function(text) for text in line] for line in texts.tolist()]
    assert itu_parse.map_distinct(texts, itu_parse.footnote_text)[0, 5] == ""  # ITU's "-" for no footnote


def note_by_hand(footnote: str | None, source: str | None) -> str | None:
    """The note rule, written out for one row."""
    parts = [part for part in (footnote, f"Source: {source}" if source else "") if part]
    return " | ".join(parts) or None


@pytest.mark.parametrize("size", [0, 1, 9])
def test_notes_composed_per_distinct_pair_equal_the_rule_row_by_row(size: int) -> None:
    pairs = [("", ""), ("June.", ""), ("", "ITU estimate."), ("June.", "ITU estimate."), ("", "ITU estimate."),
             ("Population age 5+.", "Census"), ("June.", ""), ("", ""), ("Census", "June.")][:size]
    footnote = pd.Series([f for f, _ in pairs], index=range(10, 10 + size), dtype="str")
    data_source = pd.Series([s for _, s in pairs], index=range(10, 10 + size), dtype="str")
    note = itu_parse.compose_note(footnote, data_source)
    assert note.dtype == "string"
    assert note.index.equals(footnote.index)
    assert [None if pd.isna(text) else text for text in note] == [note_by_hand(f, s) for f, s in pairs]


def test_both_editions_parse_the_fixed_telephone_file_once_and_a_changed_file_again(
    paths: dict[str, Path], tmp_path: Path
) -> None:
    path = synthetic.write_workbook(tmp_path / FIXED_TELEPHONE, synthetic.fixed_telephone_cells())
    itu_parse.fixed_telephone_rows_of.cache_clear()
    first = itu_parse.parse_fixed_telephone(path)
    first.loc[0, "value"] = -1.0  # the caller's copy: the kept rows do not change
    again = itu_parse.parse_fixed_telephone(path)
    assert itu_parse.fixed_telephone_rows_of.cache_info().hits == 1
    pd.testing.assert_frame_equal(again, itu_parse.parse_excel_series(path, itu_parse.layout.FIXED_TELEPHONE))

    cells = synthetic.fixed_telephone_cells()
    cells[position(cells, "Kazakhstan")][39] = 18.5  # 2018 per 100, same path, new bytes
    synthetic.write_workbook(path, cells)
    changed = itu_parse.parse_fixed_telephone(path)
    assert itu_parse.fixed_telephone_rows_of.cache_info().hits == 1
    assert row(changed, "KAZ", 2018, "fixed_telephone_per100")["value"] == 18.5


def test_a_rate_row_without_a_count_row_keeps_its_own_empty_note_and_mark() -> None:
    datahub = next(file for file in itu_parse.DATAHUB_FILES if file.name == MOBILE)
    assert datahub.count is not None
    count, rate = datahub.count.indicator, datahub.rate.indicator
    rows = pd.DataFrame(
        {
            "iso3": ["KAZ", "KAZ", "UZB", "TJK", "TJK"],
            "year": [2008, 2008, 2008, 2018, 2018],
            "indicator": [count, rate, rate, rate, count],
            "footnote": ["June.", "", "", "Own note.", ""],
            "data_source": ["ITU estimate.", "", "", "", "Ministry"],
            "is_estimate": [True, False, False, False, False],
        },
        index=[3, 5, 8, 13, 21],  # rows of a file whose Ascension rows were dropped
    ).astype({"iso3": "str", "indicator": "str", "footnote": "str", "data_source": "str"})
    inherited = itu_parse.inherit_from_count(rows, datahub)
    assert list(inherited.index) == [0, 1, 2, 3, 4]
    assert inherited["footnote"].tolist() == ["June.", "June.", "", "Own note.", ""]
    assert inherited["data_source"].tolist() == ["ITU estimate.", "ITU estimate.", "", "", "Ministry"]
    assert inherited["is_estimate"].tolist() == [True, True, False, False, False]
    assert inherited["footnote"].dtype == rows["footnote"].dtype


def test_each_distinct_is_map_of_every_cell_keeping_index_name_and_dtype() -> None:
    values = pd.Series(
        ["ITU  estimate.", "-", "", "ITU  estimate.", " Ministry\n", "-"], index=[5, 3, 9, 1, 0, 2],
        name="dataNote", dtype="str",
    )
    for function in (itu_parse.fold_space, itu_parse.footnote_text):
        pd.testing.assert_series_equal(itu_parse.each_distinct(values, function), values.map(function).astype("str"))
