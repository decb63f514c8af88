"""Income groups that change over time: each year's World Bank classification (``income_history``),
a fixed one (``as_of=``), and today's (``countries``) after the history or without it.

The published folder is a copy of ``processed/`` plus a small synthetic ``income_history`` table in
the layout the income table is published in (iso3, year, fiscal_year, wb_income_group).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.errors import InvalidArgumentError
from kzegov_data.publish import read_metadata, write_datapackage, write_table

PROCESSED = Path(__file__).resolve().parents[1] / "processed"
UPPER, HIGH, LOWER = "Upper middle income", "High income", "Lower middle income"
#: 2012-2020: Russia is high income in 2013 and 2014 only; Kyrgyzstan is never upper middle.
HISTORY_YEARS = range(2012, 2021)
MEMBERSHIP = {
    "KAZ": {year: UPPER for year in HISTORY_YEARS},
    "TUR": {year: UPPER for year in HISTORY_YEARS},
    "RUS": {year: HIGH if year in (2013, 2014) else UPPER for year in HISTORY_YEARS},
    "KGZ": {year: LOWER for year in HISTORY_YEARS},
}


def fiscal_year(year: int) -> str:
    return f"FY{(year + 1) % 100:02d}"


def history_frame() -> pd.DataFrame:
    rows = [{"iso3": code, "year": year, "fiscal_year": fiscal_year(year), "wb_income_group": group}
            for code, years in MEMBERSHIP.items() for year, group in years.items()]
    frame = pd.DataFrame(rows).sort_values(["iso3", "year"], ignore_index=True)
    return frame.astype({"iso3": "string", "fiscal_year": "string", "wb_income_group": "string"})


def history_metadata(frame: pd.DataFrame) -> dict[str, object]:
    metadata = read_metadata(PROCESSED / "countries.parquet")
    units = {"iso3": ("code", "string"), "year": ("year", "integer"), "fiscal_year": ("text", "string"),
             "wb_income_group": ("category", "string")}
    metadata.update(
        table="income_history", title="World Bank income classification by year (synthetic)",
        description="Synthetic history for the tests.", rows=len(frame), years="2012-2020", year_column="year",
        primary_key=["iso3", "year"],
        fields=[{"name": name, "unit": unit, "type": kind, "title": name, "description": name, "nullable": False}
                for name, (unit, kind) in units.items()],
    )
    return metadata


@pytest.fixture(scope="module")
def with_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("income") / "processed"
    shutil.copytree(PROCESSED, folder)
    frame = history_frame()
    write_table(frame, folder, "income_history", history_metadata(frame))
    write_datapackage(folder)
    return folder


def cpi_values(years: range) -> pd.DataFrame:
    """cpi_score per country and year, read with pandas alone."""
    indicators = pd.read_parquet(PROCESSED / "indicators.parquet", filters=[("indicator", "==", "cpi_score")])
    indicators = indicators.astype({"iso3": str})
    return indicators[indicators["year"].isin(list(years))]


def current_members(group: str) -> set[str]:
    countries = pd.read_parquet(PROCESSED / "countries.parquet")
    return set(countries.loc[countries["wb_income_group"] == group, "iso3"].astype(str))


def test_compare_takes_each_years_members_from_the_history(with_history: Path) -> None:
    table = kz.compare("KAZ", "income:upper_middle", "cpi_score", years="2012-2020", data_dir=with_history)
    sizes = dict(zip(table["year"], table["group_size"], strict=True))
    assert sizes[2012] == 3  # KAZ, RUS, TUR
    assert sizes[2013] == sizes[2014] == 2  # Russia was high income then
    assert sizes[2015] == 3
    assert dict(zip(table["year"], table["classification"], strict=True))[2013] == "FY14"
    assert "(income_history: 2012-2020, FY13-FY21)" in table.attrs["classification"]
    cpi = cpi_values(range(2013, 2014)).set_index("iso3")["value"]
    assert table.set_index("year").loc[2013, "group_median"] == pytest.approx(cpi[["KAZ", "TUR"]].median())


def test_years_after_the_history_use_the_current_classification_and_say_so(with_history: Path) -> None:
    table = kz.compare("KAZ", "income:upper_middle", "cpi_score", years="2020-2025", data_dir=with_history)
    labels = dict(zip(table["year"], table["classification"], strict=True))
    assert labels[2020] == "FY21"
    assert {labels[year] for year in range(2021, 2026)} == {"current"}
    cpi = cpi_values(range(2024, 2025))
    expected = cpi[cpi["iso3"].isin(current_members(UPPER) | {"KAZ"})]
    assert table.set_index("year").loc[2024, "group_size"] == len(expected)
    assert "years after 2020: the current classification" in table.attrs["classification"]


def test_as_of_fixes_one_years_classification_for_every_year(with_history: Path) -> None:
    table = kz.compare("KAZ", "income:upper_middle", "cpi_score", years="2012-2022", as_of=2013,
                       data_dir=with_history)
    assert set(table["group_size"]) == {2}
    assert set(table["classification"]) == {"FY14"}
    assert kz.peers("income:high", as_of=2013, data_dir=with_history) == ["RUS"]
    assert kz.peers("income:high", as_of=2030, data_dir=with_history) == sorted(current_members(HIGH))
    with pytest.raises(InvalidArgumentError, match="starts in 2012"):
        kz.peers("income:high", as_of=2000, data_dir=with_history)
    with pytest.raises(InvalidArgumentError, match="as_of"):
        kz.compare("KAZ", "income:high", "cpi_score", as_of="recent", data_dir=with_history)


def test_panel_keeps_each_years_members_and_labels_the_classification(with_history: Path) -> None:
    wide = kz.panel("cpi_score", countries=["KGZ", "income:upper_middle"], years="2012-2014", data_dir=with_history)
    members = {year: set(rows["iso3"]) for year, rows in wide.groupby("year")}
    assert members == {2012: {"KAZ", "KGZ", "RUS", "TUR"}, 2013: {"KAZ", "KGZ", "TUR"}, 2014: {"KAZ", "KGZ", "TUR"}}
    assert dict(zip(wide["year"], wide["classification"], strict=False)) == {2012: "FY13", 2013: "FY14", 2014: "FY15"}
    assert wide.attrs["notes"] == [wide.attrs["classification"]]


@pytest.fixture(scope="module")
def without_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published folder from before income_history existed."""
    folder = tmp_path_factory.mktemp("no-income") / "processed"
    shutil.copytree(PROCESSED, folder)
    (folder / "income_history.parquet").unlink()
    write_datapackage(folder)
    return folder


def test_the_published_history_puts_kazakhstan_upper_middle_from_2006() -> None:
    # OGHIST.xlsx row 112: LM in FY93-FY07, UM from FY08 (year = the GNI year, FY - 2).
    assert "KAZ" in kz.peers("income:lower_middle", as_of=2005)
    assert "KAZ" not in kz.peers("income:upper_middle", as_of=2005)
    assert "KAZ" in kz.peers("income:upper_middle", as_of=2006)
    table = kz.compare("KAZ", "income:upper_middle", "wgi_control_of_corruption", years="2005-2007")
    assert dict(zip(table["year"], table["classification"], strict=True)) == {2005: "FY07", 2006: "FY08",
                                                                               2007: "FY09"}


def test_without_an_income_history_every_year_uses_the_current_classification_and_says_so(
    without_history: Path,
) -> None:
    table = kz.compare("KAZ", "income:upper_middle", "cpi_score", years="2013", data_dir=without_history)
    assert table["classification"].item() == "current"
    assert "no income_history table" in table.attrs["classification"]
    cpi = cpi_values(range(2013, 2014))
    assert table["group_size"].item() == len(cpi[cpi["iso3"].isin(current_members(UPPER) | {"KAZ"})])


def test_groups_without_income_have_no_classification_column() -> None:
    table = kz.compare("KAZ", "central_asia", "egdi", data_dir=PROCESSED)
    assert "classification" not in table.columns
    assert "classification" not in kz.panel("egdi", countries="eaeu", data_dir=PROCESSED).columns


def test_load_applies_the_current_classification_and_says_so(with_history: Path) -> None:
    frame = kz.load("un_egov", countries="income:upper_middle", years=2016, data_dir=with_history)
    surveyed = set(kz.load("un_egov", years=2016, data_dir=with_history)["iso3"].astype(str))
    assert set(frame["iso3"].astype(str)) == current_members(UPPER) & surveyed
    assert "RUS" not in set(frame["iso3"].astype(str))  # upper middle income in the 2016 history, not today
    assert "current World Bank classification" in frame.attrs["notes"][0]
