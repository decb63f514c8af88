"""What a user passes to load/panel/compare: years and countries in every natural form, strict errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pycountry
import pytest

import kzegov_data as kz
from kzegov_data.api import parse_years
from kzegov_data.errors import (
    AmbiguousCountryError,
    CountryError,
    InvalidArgumentError,
    KzegovDataError,
    UnknownPeerGroupError,
    YearNotPublishedError,
)

PROCESSED = Path(__file__).resolve().parents[1] / "processed"
SURVEY_YEARS = [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]


def un_egov_rows(years: list[int]) -> pd.DataFrame:
    """The un_egov rows of ``years``, read with pandas alone (what load must equal)."""
    return pd.read_parquet(PROCESSED / "un_egov.parquet", filters=[("survey_year", "in", years)])


# --- years ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("years", [2024, np.int64(2024), np.int16(2024), 2024.0, np.float64(2024), "2024", " 2024 ",
                                   [2024], ("2024",), range(2024, 2025), {2024}, pd.Series([2024, 2024])])
def test_every_form_of_one_year_gives_the_2024_survey(years: object) -> None:
    pd.testing.assert_frame_equal(kz.load("un_egov", years=years, data_dir=PROCESSED), un_egov_rows([2024]))


@pytest.mark.parametrize("years", ["2020-2024", "2020 - 2024", range(2020, 2025), [2020, "2021-2023", 2024.0],
                                   "2020,2022-2024", [range(2020, 2023), "2024"]])
def test_every_form_of_a_range_gives_the_surveys_inside_it(years: object) -> None:
    pd.testing.assert_frame_equal(kz.load("un_egov", years=years, data_dir=PROCESSED),
                                  un_egov_rows([2020, 2022, 2024]))


def test_a_huge_range_is_clipped_to_the_coverage_before_anything_is_expanded() -> None:
    assert parse_years("1-99999999").within(2003, 2005) == [2003, 2004, 2005]
    assert len(kz.load("un_egov", years="1-99999999", data_dir=PROCESSED)) == 193 * len(SURVEY_YEARS)
    assert len(kz.load("un_egov", years=range(1, 10**12), data_dir=PROCESSED)) == 193 * len(SURVEY_YEARS)


@pytest.mark.parametrize("years", ["last", "2024.5", "20-24-26", 2024.5, float("nan"), True, b"2024", {"year": 2024},
                                   [[2024]], [None], object(), "2024-2020", [], "", range(2025, 2020)])
def test_years_of_a_form_not_accepted_raise_an_error_naming_years_and_the_accepted_forms(years: object) -> None:
    with pytest.raises(InvalidArgumentError, match=r"years.*(expected|names no year|backwards|whole year)"):
        kz.load("un_egov", years=years, data_dir=PROCESSED)


def test_years_errors_are_value_errors_of_the_package_family() -> None:
    with pytest.raises(ValueError, match="years"):
        kz.load("un_egov", years="last", data_dir=PROCESSED)
    assert issubclass(YearNotPublishedError, InvalidArgumentError)
    assert issubclass(InvalidArgumentError, KzegovDataError)


def test_un_egov_2023_is_not_a_survey_year_and_the_error_lists_the_survey_years() -> None:
    listed = r"un_egov has no data for years=2023; published years: 2003-2024, in these years: 2003-2005, 2008,"
    with pytest.raises(YearNotPublishedError, match=listed):
        kz.load("un_egov", years=2023, data_dir=PROCESSED)
    with pytest.raises(YearNotPublishedError, match="2022, 2024"):
        kz.load("un_egov", countries="KAZ", years="2023", data_dir=PROCESSED)


def test_a_year_outside_the_coverage_raises_with_the_published_years() -> None:
    with pytest.raises(YearNotPublishedError, match=r"years=1800; published years: 1995-2025$"):
        kz.load("ti_cpi", years=1800, data_dir=PROCESSED)


def test_years_of_which_some_are_published_give_those() -> None:
    pd.testing.assert_frame_equal(kz.load("un_egov", years=[2023, 2024], data_dir=PROCESSED), un_egov_rows([2024]))


def test_a_country_without_rows_in_a_published_year_is_an_empty_frame_not_an_error() -> None:
    # ANT (the former Netherlands Antilles) is no UN member state: no un_egov rows, but 2024 exists.
    assert kz.load("un_egov", countries="ANT", years=2024, data_dir=PROCESSED).empty


def test_a_table_without_a_year_column_refuses_years() -> None:
    with pytest.raises(InvalidArgumentError, match="no year column"):
        kz.load("countries", years=2024, data_dir=PROCESSED)


def test_panel_and_compare_say_which_years_egdi_has() -> None:
    listed = r"egdi has no data for years=2023; published years: 2003-2024, in these years: 2003-2005"
    with pytest.raises(YearNotPublishedError, match=listed):
        kz.panel("egdi", years=2023, data_dir=PROCESSED)
    with pytest.raises(YearNotPublishedError, match="egdi"):
        kz.compare("KAZ", "central_asia", "egdi", years="2023", data_dir=PROCESSED)


def test_panel_year_where_one_indicator_has_values_keeps_the_other_missing() -> None:
    wide = kz.panel(["egdi", "cpi_score"], countries="KAZ", years=2023, data_dir=PROCESSED)
    assert wide["cpi_score"].item() == 39
    assert pd.isna(wide["egdi"].item())


def test_compare_accepts_a_range_string_and_a_numpy_year() -> None:
    by_text = kz.compare("KAZ", "central_asia", "egdi", years="2020-2024", data_dir=PROCESSED)
    assert list(by_text["year"]) == [2020, 2022, 2024]
    latest = kz.load("un_egov", data_dir=PROCESSED)["survey_year"].max()  # a numpy int64
    assert kz.compare("KAZ", "central_asia", "egdi", years=latest, data_dir=PROCESSED)["value"].item() == 0.90093


# --- countries --------------------------------------------------------------------------------------


@pytest.mark.parametrize("country", ["KAZ", "kaz", "KZ", "kz", 398, "398", np.int64(398), np.int16(398), "Kazakhstan",
                                     " kazakhstan ", "Republic of Kazakhstan"])
def test_kazakhstan_by_every_code_and_name(country: object) -> None:
    frame = kz.load("un_egov", countries=country, years=2024, data_dir=PROCESSED)
    assert frame["egdi"].item() == 0.90093


def test_numeric_codes_below_100_are_read_with_leading_zeros() -> None:
    assert kz.api.resolve_countries([4, "4", "004"], data_dir=PROCESSED) == ["AFG"]


def test_every_name_the_package_publishes_resolves_to_its_own_code() -> None:
    descriptor = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
    checked = 0
    for resource in descriptor["resources"]:
        fields = {field["name"] for field in resource["schema"]["fields"]}
        for column in sorted(fields & {"country", "name"}):
            pairs = pd.read_parquet(PROCESSED / resource["path"], columns=["iso3", column]).astype(str)
            for code, name in pairs.drop_duplicates().itertuples(index=False):
                assert kz.api.resolve_countries(name, data_dir=PROCESSED) == [code], (resource["name"], name)
                checked += 1
    assert checked > 1000


@pytest.mark.parametrize("name", ["Korea, Rep.", "Korea (Republic of)", "Moldova (Republic of)", "Venezuela, RB",
                                  "Lao PDR", "Netherlands Antilles (former)"])
def test_names_from_the_packages_own_tables_that_used_to_fail(name: str) -> None:
    assert len(kz.api.resolve_countries(name, data_dir=PROCESSED)) == 1


def test_every_numeric_code_of_the_countries_table_resolves() -> None:
    countries = pd.read_parquet(PROCESSED / "countries.parquet").dropna(subset=["iso_numeric"])
    for code, numeric in zip(countries["iso3"].astype(str), countries["iso_numeric"].astype(str), strict=True):
        assert kz.api.resolve_countries(int(numeric), data_dir=PROCESSED) == [code]


def test_every_iso2_code_resolves() -> None:
    for country in pycountry.countries:
        assert kz.api.resolve_countries(country.alpha_2, data_dir=PROCESSED) == [country.alpha_3]


def test_short_names_uk_and_burma() -> None:
    assert kz.api.resolve_countries(["UK", "Great Britain", "Burma"], data_dir=PROCESSED) == ["GBR", "MMR"]


def test_korea_is_ambiguous_and_the_error_lists_both_koreas() -> None:
    with pytest.raises(AmbiguousCountryError, match=r"'Korea' is ambiguous.*KOR.*PRK"):
        kz.load("un_egov", countries="Korea", data_dir=PROCESSED)
    assert issubclass(AmbiguousCountryError, CountryError)


def test_a_peer_group_anywhere_in_a_list_is_expanded() -> None:
    codes = kz.api.resolve_countries(["KOR", "central_asia", "KAZ"], data_dir=PROCESSED)
    assert codes == ["KOR", "KAZ", "KGZ", "TJK", "TKM", "UZB"]
    frame = kz.load("un_egov", countries=["KOR", "eaeu"], years=2024, data_dir=PROCESSED)
    assert sorted(frame["iso3"].astype(str)) == ["ARM", "BLR", "KAZ", "KGZ", "KOR", "RUS"]


def test_an_income_group_in_a_list_adds_its_current_members() -> None:
    codes = kz.api.resolve_countries(["KGZ", "income:upper_middle"], data_dir=PROCESSED)
    assert codes[0] == "KGZ"
    assert set(codes[1:]) == set(kz.peers("income:upper_middle", data_dir=PROCESSED))


def test_an_empty_list_of_countries_is_an_error_not_every_country() -> None:
    with pytest.raises(InvalidArgumentError, match=r"countries=\[\] names no country"):
        kz.load("un_egov", countries=[], data_dir=PROCESSED)


@pytest.mark.parametrize("countries", [3.5, True, {"KAZ": 1}, b"KAZ", [None], [["KAZ"]], object()])
def test_countries_of_a_type_not_accepted_raise_an_error_naming_countries(countries: object) -> None:
    with pytest.raises(InvalidArgumentError, match="countries"):
        kz.load("un_egov", countries=countries, data_dir=PROCESSED)


def test_an_unknown_name_gets_did_you_mean_suggestions() -> None:
    with pytest.raises(CountryError, match=r"'Kazakstan' \(did you mean 'Kazakhstan' \(KAZ\)"):
        kz.load("un_egov", countries="Kazakstan", data_dir=PROCESSED)
    with pytest.raises(CountryError, match=r"'Atlantis'.*'KAX' \(did you mean .*KAZ"):
        kz.load("un_egov", countries=["Atlantis", "KAX"], data_dir=PROCESSED)


def test_peers_asia_is_an_unknown_peer_group_listing_the_groups() -> None:
    listed = r"'asia' \(did you mean central_asia\?\); known groups: central_asia"
    with pytest.raises(UnknownPeerGroupError, match=listed):
        kz.peers("asia")
    with pytest.raises(UnknownPeerGroupError, match="income:upper_middle"):
        kz.load("un_egov", countries="income:upper", data_dir=PROCESSED)


def test_compare_takes_one_country_and_defaults_to_its_smallest_study_group() -> None:
    table = kz.compare("Kazakhstan", None, "egdi", years=2024, data_dir=PROCESSED)
    assert table.attrs["peers"] == "central_asia"
    assert table["group_size"].item() == 5
    with pytest.raises(InvalidArgumentError, match=r"USA is in none of the study's peer groups.*income:high"):
        kz.compare("USA", None, "egdi", data_dir=PROCESSED)
    with pytest.raises(InvalidArgumentError, match="compare takes one country"):
        kz.compare("central_asia", "eaeu", "egdi", data_dir=PROCESSED)


def test_codes_resolve_without_importing_pycountry() -> None:
    code = (
        "import sys, kzegov_data as kz; "
        f"kz.load('un_egov', countries=['KAZ', 'kgz', 398], years='2024', data_dir={str(PROCESSED)!r}); "
        f"kz.compare('KAZ', peers='central_asia', indicator='egdi', data_dir={str(PROCESSED)!r}); "
        "print('pycountry' in sys.modules, 'kzegov_data.registry' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "False"]


def test_a_parser_s_names_map_to_iso3_row_by_row_keeping_index_and_name() -> None:
    from kzegov_data.countries import to_iso3

    names = pd.Series(["Kazakhstan", "Uzbekistan ", "Kazakhstan", "Republic of Korea"], index=[10, 11, 12, 13],
                      name="Country")
    codes = to_iso3(names, file="toy.csv")
    assert codes.tolist() == ["KAZ", "UZB", "KAZ", "KOR"]
    assert codes.index.tolist() == [10, 11, 12, 13]
    assert codes.name == "Country"
    assert codes.dtype == "string"
