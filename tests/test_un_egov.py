"""The UN E-Government Survey table, on the publisher's files from the mirror."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import source_paths, validate_table
from kzegov_data.errors import SchemaValidationError
from kzegov_data.sources.un_egov import parse as un_egov

#: Every test here reads the publishers' real files.
pytestmark = pytest.mark.mirror


@pytest.fixture(scope="module")
def egov(mirror: Path) -> pd.DataFrame:
    frame = un_egov.parse(source_paths(mirror, "un_egov"))["un_egov"]
    return validate_table("un_egov", frame)


def value(egov: pd.DataFrame, iso3: str, year: int, column: str) -> object:
    return egov.loc[egov.iso3.eq(iso3) & egov.survey_year.eq(year), column].item()


@pytest.mark.parametrize(
    ("year", "egdi", "rank"),
    [(2003, 0.38661, 83), (2004, 0.43437, 69), (2005, 0.48125, 65), (2008, 0.47430, 81),
     (2010, 0.55782, 46), (2012, 0.68438, 38), (2014, 0.72827, 28), (2016, 0.72499, 33),
     (2018, 0.75970, 39), (2020, 0.83750, 29), (2022, 0.86280, 28), (2024, 0.90093, 24)],
)
def test_kazakhstan_egdi_and_rank_match_the_files(egov: pd.DataFrame, year: int, egdi: float, rank: int) -> None:
    assert value(egov, "KAZ", year, "egdi") == egdi
    assert value(egov, "KAZ", year, "egdi_rank") == rank


def test_kazakhstan_egdi_2024_is_0_90093_rank_24_with_components(egov: pd.DataFrame) -> None:
    row = egov[egov.iso3.eq("KAZ") & egov.survey_year.eq(2024)].iloc[0]
    assert (row.egdi, row.osi, row.hci, row.tii, row.epi) == (0.90093, 0.93903, 0.84029, 0.92353, 0.84930)
    assert row.egdi_rank == 24
    assert row.country == "Kazakhstan"


def test_193_countries_in_each_of_the_12_surveys(egov: pd.DataFrame) -> None:
    counts = egov.groupby("survey_year").size()
    assert list(counts.index) == list(un_egov.SURVEY_YEARS)
    assert set(counts) == {193}
    assert egov.iso3.nunique() == 193


def test_country_and_survey_year_are_unique(egov: pd.DataFrame) -> None:
    assert not egov.duplicated(["iso3", "survey_year"]).any()


def test_every_name_maps_to_one_iso3_and_back(egov: pd.DataFrame) -> None:
    pairs = egov.drop_duplicates(["iso3", "country"])
    assert pairs.iso3.is_unique
    assert pairs.country.is_unique
    assert value(egov, "KOR", 2024, "country") == "Republic of Korea"
    assert value(egov, "PRK", 2024, "country") == "Democratic People's Republic of Korea"


def test_states_not_yet_members_are_missing_not_zero(egov: pd.DataFrame) -> None:
    not_members = egov[egov.status.eq("not_yet_member")]
    expected = {("MNE", y) for y in (2003, 2004, 2005)} | {("SSD", y) for y in (2003, 2004, 2005, 2008, 2010)}
    assert set(zip(not_members.iso3, not_members.survey_year, strict=True)) == expected
    assert not_members[["egdi", "osi", "hci", "tii", "epi", "egdi_rank"]].isna().all().all()


def test_unassessed_members_have_no_egdi_but_keep_measured_components(egov: pd.DataFrame) -> None:
    not_assessed = egov[egov.status.eq("not_assessed")]
    assert not_assessed.groupby("survey_year").size().to_dict() == {
        2003: 18, 2004: 13, 2005: 12, 2008: 10, 2010: 9, 2012: 3,
    }
    assert not_assessed[["egdi", "egdi_rank"]].isna().all().all()
    # Iraq 2003: EGDI 0 and the bottom rank 174 in the file, but an HCI of 0.93 was measured.
    assert value(egov, "IRQ", 2003, "status") == "not_assessed"
    assert value(egov, "IRQ", 2003, "hci") == 0.93
    assert (egov.loc[egov.status.eq("assessed"), "egdi"] > 0).all()


def test_2003_hci_above_one_is_published_as_reviewed_anomaly(egov: pd.DataFrame) -> None:
    above = egov[egov.hci > 1]
    assert set(zip(above.iso3, above.survey_year, above.hci, strict=True)) == {
        ("FSM", 2003, 1.422), ("TUV", 2003, 1.03)
    }


def test_somalia_hci_zero_from_2014_is_a_real_zero(egov: pd.DataFrame) -> None:
    assert value(egov, "SOM", 2014, "hci") == 0.0
    assert value(egov, "SOM", 2014, "status") == "assessed"


def test_ties_share_a_rank(egov: pd.DataFrame) -> None:
    assert value(egov, "ISL", 2022, "egdi_rank") == value(egov, "SWE", 2022, "egdi_rank") == 5
    assert value(egov, "SRB", 2018, "egdi_rank") == value(egov, "SVK", 2018, "egdi_rank") == 49


def test_schema_rejects_a_rank_that_contradicts_egdi(egov: pd.DataFrame) -> None:
    broken = egov.copy()
    row = broken.index[broken.iso3.eq("KAZ") & broken.survey_year.eq(2024)][0]
    broken.loc[row, "egdi_rank"] = 1
    with pytest.raises(SchemaValidationError, match="rank consistent with EGDI"):
        validate_table("un_egov", broken)
