"""The country-year file is a reshape of ``indicators`` and nothing else, with each year's income group.

Read from the committed ``processed/`` (no mirror needed); the published tables are compared with
pandas directly, not through the code under test.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kzegov_data import country_year
from kzegov_data.country_year import CountryYearMismatchError, build_country_year, check_against_indicators

PROCESSED = Path(__file__).resolve().parents[1] / "processed"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return build_country_year(PROCESSED)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    long = pd.read_parquet(PROCESSED / "indicators.parquet", columns=["iso3", "year", "indicator", "value"])
    return long.astype({"iso3": str, "indicator": str})


def catalogue_ids() -> list[str]:
    descriptor = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
    (resource,) = [r for r in descriptor["resources"] if r["name"] == "indicators"]
    return [entry["id"] for entry in resource["kzegov:catalogue"]]


def test_kazakhstan_egdi_2024_is_0_90093_and_its_rank_24(frame: pd.DataFrame) -> None:
    row = frame[(frame["iso3"] == "KAZ") & (frame["year"] == 2024)].iloc[0]
    assert row["egdi"] == 0.90093
    assert row["egdi_rank"] == 24
    assert row["name"] == "Kazakhstan"
    assert bool(row["central_asia"])
    assert bool(row["eaeu"])
    assert not bool(row["paper_comparators"])


def test_one_row_per_country_and_year_and_one_column_per_indicator(frame: pd.DataFrame) -> None:
    assert not frame.duplicated(["iso3", "year"]).any()
    assert list(frame.columns) == [*country_year.identifier_columns(), *catalogue_ids()]
    assert frame[catalogue_ids()].notna().any(axis=1).all(), "a row without any value"


def test_every_value_is_the_indicators_value_and_none_is_lost_or_invented(
    frame: pd.DataFrame, indicators: pd.DataFrame,
) -> None:
    back = frame.melt(id_vars=["iso3", "year"], value_vars=catalogue_ids(), var_name="indicator").dropna()
    merged = back.merge(indicators, on=["iso3", "year", "indicator"], how="outer", indicator=True,
                        suffixes=("_file", "_indicators"))
    assert (merged["_merge"] == "both").all(), merged[merged["_merge"] != "both"].head()
    assert (merged["value_file"].to_numpy() == merged["value_indicators"].to_numpy()).all()


def test_egdi_stays_on_the_survey_years_and_the_two_cpi_scales_never_share_a_row(frame: pd.DataFrame) -> None:
    surveys = sorted(pd.read_parquet(PROCESSED / "un_egov.parquet", columns=["survey_year"])["survey_year"].unique())
    assert sorted(frame.loc[frame["egdi"].notna(), "year"].unique()) == surveys
    assert frame.loc[frame["cpi_score"].notna(), "year"].min() == 2012
    assert frame.loc[frame["cpi_score_0_10"].notna(), "year"].max() == 2011
    assert not (frame["cpi_score"].notna() & frame["cpi_score_0_10"].notna()).any()


def test_the_income_group_is_that_of_the_rows_year(frame: pd.DataFrame) -> None:
    history = pd.read_parquet(PROCESSED / "income_history.parquet").astype({"iso3": str, "wb_income_group": str})
    current = pd.read_parquet(PROCESSED / "countries.parquet", columns=["iso3", "wb_income_group"])
    current = current.astype({"iso3": str}).set_index("iso3")["wb_income_group"]
    last = history["year"].max()
    inside = frame[frame["year"].between(history["year"].min(), last)]
    expected = inside.merge(history, on=["iso3", "year"], how="left", suffixes=("", "_history"))
    assert (expected["wb_income_group"].fillna("-") == expected["wb_income_group_history"].fillna("-")).all()
    assert (expected["income_classification"] == expected["year"].map(
        history.drop_duplicates("year").set_index("year")["fiscal_year"])).all()
    after = frame[frame["year"] > last]
    assert (after["wb_income_group"].fillna("-") == after["iso3"].map(current).astype(object).fillna("-")).all()
    assert (after["income_classification"] == "current").all()
    before = frame[frame["year"] < history["year"].min()]
    assert before["wb_income_group"].isna().all()
    assert (before["income_classification"] == "none").all()
    kazakhstan_2000 = frame[(frame["iso3"] == "KAZ") & (frame["year"] == 2000)].iloc[0]
    assert kazakhstan_2000["income_classification"] == "FY02"


def test_the_peer_flags_are_the_countries_tables(frame: pd.DataFrame) -> None:
    countries = pd.read_parquet(PROCESSED / "countries.parquet").astype({"iso3": str}).set_index("iso3")
    for flag in ("central_asia", "eaeu", "post_soviet", "paper_comparators"):
        assert (frame[flag].to_numpy() == frame["iso3"].map(countries[flag]).to_numpy()).all(), flag
    assert sorted(frame.loc[frame["central_asia"], "iso3"].unique()) == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]


@pytest.mark.parametrize("damage", ["changed", "invented", "lost"])
def test_the_check_catches_a_value_that_is_not_the_indicators(
    frame: pd.DataFrame, indicators: pd.DataFrame, damage: str,
) -> None:
    broken = frame.copy()
    where = (broken["iso3"] == "KAZ") & (broken["year"] == 2024)
    if damage == "changed":
        broken.loc[where, "egdi"] = np.nextafter(0.90093, 1)
    elif damage == "invented":
        broken.loc[where, "fixed_telephone_per100"] = 1.0
    else:
        broken.loc[where, "cpi_score"] = np.nan
    with pytest.raises(CountryYearMismatchError):
        check_against_indicators(broken, indicators, catalogue_ids())
    check_against_indicators(frame, indicators, catalogue_ids())


def test_stata_names_fit_32_characters_and_labels_80() -> None:
    names = country_year.stata_names(PROCESSED)
    assert all(len(name) <= 32 for name in names.values())
    assert len(set(names.values())) == len(names)
    assert names["egdi"] == "egdi"
    assert names["wgi_government_effectiveness_pctrank"] == "wgi_government_effectiveness_pr"
    labels = country_year.variable_labels(PROCESSED)
    assert set(labels) == set(names)
    assert all(0 < len(label) <= 80 for label in labels.values())
    assert labels["egdi"] == "E-Government Development Index (index 0-1)"


def test_a_long_label_is_cut_at_a_word_with_an_ellipsis() -> None:
    cut = country_year.shorten("word " * 30)
    assert len(cut) <= 80
    assert cut.endswith("...")
    assert not cut.endswith(" ...")
