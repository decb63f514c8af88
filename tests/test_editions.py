"""Editions and revisions as a user meets them: load an edition by name, list editions, see what each
edition revised, and what could be downloaded on a day. Run on a folder in the published editions
layout (tests/editions_fixture.py), whose earlier editions follow a fixed revision rule."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from editions_fixture import CURRENT, EARLIER, ITU_JUNE_2019, make_editions_folder
from kzegov_data import api
from kzegov_data.cli import main


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_editions_folder(tmp_path_factory.mktemp("editions") / "processed")


def current_hdi(folder: Path, year: int) -> float:
    frame = pd.read_parquet(folder / "undp_hdi.parquet", filters=[("iso3", "==", "KAZ"), ("year", "==", year)])
    return float(frame["hdi"].item())


# --- kz.load(edition=) ------------------------------------------------------------------------------


def test_an_earlier_edition_is_its_own_file(folder: Path) -> None:
    loaded = kz.load("undp_hdi", edition="HDR21-22", data_dir=folder)
    pd.testing.assert_frame_equal(loaded, pd.read_parquet(folder / "editions/undp_hdi/hdr21-22.parquet"))
    assert loaded.attrs["edition"] == "HDR 2021/2022"
    assert loaded.attrs["table"] == "undp_hdi"
    assert loaded.attrs["released"] == "2022-09-08"


@pytest.mark.parametrize("name", ["HDR 2021/2022", "hdr21-22", "HDR21 22", "hdr 2021 2022", " HDR_21_22 "])
def test_edition_names_and_aliases_match_ignoring_case_spaces_and_punctuation(folder: Path, name: str) -> None:
    frame = kz.load("undp_hdi", countries="KAZ", years=2021, edition=name, data_dir=folder)
    assert frame["edition"].astype(str).tolist() == ["HDR 2021/2022"]


def test_kazakhstan_hdi_2020_in_hdr21_22_is_the_current_value_minus_the_fixtures_0_002(folder: Path) -> None:
    frame = kz.load("undp_hdi", countries="KAZ", years=2020, edition="HDR21-22", data_dir=folder)
    assert frame["hdi"].item() == round(current_hdi(folder, 2020) - 0.002, 5)


def test_an_edition_keeps_its_own_years_and_countries_and_years_filter(folder: Path) -> None:
    frame = kz.load("wb_wgi", countries=["KAZ", "UZB"], years="2015-2030", edition="2019 Update", data_dir=folder)
    assert sorted(frame["year"].unique()) == [2015, 2016, 2017, 2018]
    assert sorted(frame["iso3"].astype(str).unique()) == ["KAZ", "UZB"]


def test_no_edition_is_the_current_table_unchanged(folder: Path) -> None:
    pd.testing.assert_frame_equal(kz.load("undp_hdi", data_dir=folder), pd.read_parquet(folder / "undp_hdi.parquet"))
    named = kz.load("undp_hdi", edition="HDR25", data_dir=folder)
    pd.testing.assert_frame_equal(named, pd.read_parquet(folder / "undp_hdi.parquet"))


def test_an_edition_of_a_per_year_source_is_that_years_rows(folder: Path) -> None:
    survey = kz.load("un_egov", edition="E-Government Survey 2024", data_dir=folder)
    pd.testing.assert_frame_equal(survey, kz.load("un_egov", years=2024, data_dir=folder))
    assert kz.load("ti_cpi", edition=2012, data_dir=folder)["year"].unique().tolist() == [2012]
    with pytest.raises(kz.YearNotPublishedError, match="edition CPI 2012"):
        kz.load("ti_cpi", years=2013, edition="CPI 2012", data_dir=folder)


def test_an_unknown_edition_lists_the_known_ones(folder: Path) -> None:
    with pytest.raises(kz.UnknownEditionError) as caught:
        kz.load("undp_hdi", edition="HDR 2020", data_dir=folder)
    message = str(caught.value)
    assert "undp_hdi has no edition 'HDR 2020'" in message
    for edition in [*EARLIER["undp_hdi"], CURRENT["undp_hdi"]]:
        assert edition["name"] in message
    assert isinstance(caught.value, kz.KzegovDataError)


def test_an_edition_of_the_wrong_type_names_the_argument(folder: Path) -> None:
    with pytest.raises(kz.InvalidArgumentError, match="edition="):
        kz.load("undp_hdi", edition=["HDR21-22"], data_dir=folder)  # type: ignore[arg-type]


# --- kz.editions ---------------------------------------------------------------------------------------


def test_editions_lists_every_edition_oldest_first_with_one_current(folder: Path) -> None:
    listed = kz.editions("undp_hdi", data_dir=folder)
    assert listed.columns.tolist() == api.EDITION_COLUMNS
    assert listed["name"].tolist() == ["HDR 2021/2022", "HDR 2023/2024", "HDR 2025"]
    assert listed["current"].tolist() == [False, False, True]
    first = listed.iloc[0]
    edition = pd.read_parquet(folder / "editions/undp_hdi/hdr21-22.parquet")
    assert (first["years"], first["rows"], first["countries"]) == ("1990-2021", len(edition), edition["iso3"].nunique())
    assert first["released_source"] == EARLIER["undp_hdi"][0]["released_source"]


def test_editions_reads_the_descriptor_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parquet(*args: object, **kwargs: object) -> None:
        msg = "kz.editions read a Parquet file"
        raise AssertionError(msg)

    years = pd.read_parquet(folder / "ti_cpi.parquet")["year"].unique()
    monkeypatch.setattr(api, "read_arrow", no_parquet)
    assert len(kz.editions("ti_cpi", data_dir=folder)) == len(years)


def test_a_table_without_editions_has_its_current_table_as_its_only_edition(folder: Path) -> None:
    listed = kz.editions("countries", data_dir=folder)
    assert listed["name"].tolist() == ["current"]
    assert "lists no editions" in listed["note"].item()
    pd.testing.assert_frame_equal(kz.load("countries", edition="current", data_dir=folder),
                                  kz.load("countries", data_dir=folder))


def test_tables_lists_current_tables_and_revisions_not_the_edition_files(folder: Path) -> None:
    names = kz.tables(data_dir=folder)["name"].tolist()
    assert "revisions" in names
    assert "undp_hdi" in names
    assert not [name for name in names if "." in name]


# --- kz.revisions, kz.revision_summary --------------------------------------------------------------


def test_revisions_gives_kazakhstans_hdi_in_every_edition_in_release_order(folder: Path) -> None:
    wide = kz.revisions("hdi", countries="KAZ", data_dir=folder)
    assert wide.columns.tolist() == ["iso3", "year", "HDR 2021/2022", "HDR 2023/2024", "HDR 2025"]
    row = wide.set_index("year").loc[2020]
    current = current_hdi(folder, 2020)
    assert [row["HDR 2021/2022"], row["HDR 2023/2024"], row["HDR 2025"]] == [
        round(current - 0.002, 5), round(current - 0.001, 5), current]
    assert pd.isna(wide.set_index("year").loc[2023, "HDR 2021/2022"])  # HDR21-22 ends in 2021
    assert wide.attrs["released"]["HDR 2025"] == CURRENT["undp_hdi"]["released"]


def test_summary_compares_consecutive_editions_and_finds_the_revised_even_years(folder: Path) -> None:
    summary = kz.revision_summary("hdi", data_dir=folder)
    assert summary.columns.tolist() == api.SUMMARY_COLUMNS
    assert summary[["previous_edition", "edition"]].to_numpy().tolist() == [
        ["HDR 2021/2022", "HDR 2023/2024"], ["HDR 2023/2024", "HDR 2025"]]
    old = pd.read_parquet(folder / "editions/undp_hdi/hdr23-24.parquet", columns=["iso3", "year", "hdi"])
    new = pd.read_parquet(folder / "undp_hdi.parquet", columns=["iso3", "year", "hdi"])
    both = old.merge(new, on=["iso3", "year"], suffixes=("_old", "_new")).dropna()
    last = summary.iloc[1]
    assert last["compared"] == len(both)
    assert last["changed"] == int((both["hdi_new"] != both["hdi_old"]).sum())
    assert last["share_changed"] == last["changed"] / len(both)
    assert last["mean_abs_revision"] == pytest.approx((both["hdi_new"] - both["hdi_old"]).abs().mean())


def test_the_largest_revision_says_where_it_is(folder: Path) -> None:
    summary = kz.revision_summary("internet_users_pct", data_dir=folder)
    old = pd.read_parquet(folder / "editions/itu_ict/june-2019.parquet", filters=[
        ("indicator", "==", "internet_users_pct")])
    new = pd.read_parquet(folder / "itu_ict.parquet", filters=[("indicator", "==", "internet_users_pct")])
    both = old.merge(new, on=["iso3", "year"], suffixes=("_old", "_new")).dropna(subset=["value_old", "value_new"])
    change = both["value_new"] - both["value_old"]
    where = both.loc[change.abs().idxmax()]
    row = summary.iloc[0]
    assert (row["largest_iso3"], row["largest_year"]) == (str(where["iso3"]), int(where["year"]))
    assert row["largest_revision"] == pytest.approx(change.abs().max())


def test_revisions_of_a_source_that_never_revises_says_so(folder: Path) -> None:
    with pytest.raises(kz.InvalidArgumentError, match="egdi comes from un_egov, which publishes each year once"):
        kz.revisions("egdi", data_dir=folder)
    with pytest.raises(kz.UnknownIndicatorError, match="did you mean 'hdi'"):
        kz.revisions("hdj", data_dir=folder)


def test_a_folder_without_revisions_says_to_rebuild(folder: Path, tmp_path: Path) -> None:
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "revisions"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    with pytest.raises(kz.UnknownTableError, match=r"has no revisions table .*rebuild it: kzegov-data build"):
        kz.revisions("hdi", data_dir=tmp_path)


# --- what could be downloaded on a day --------------------------------------------------------------


def test_edition_as_of_picks_the_edition_current_that_day(folder: Path) -> None:
    on = kz.edition_as_of("2022-06-30", data_dir=folder)
    assert on["undp_hdi"] is None  # HDR 2021/2022 came out on 2022-09-08
    assert on["wb_wgi"] == "2021 Update"
    assert on["itu_ict"] == "June 2019"
    # the fixture dates each survey 1 July of its year: the 2022 survey came a day later
    assert on["un_egov"] == [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020]
    assert max(on["ti_cpi"]) == 2021  # CPI 2021 came out in January 2022
    assert kz.edition_as_of(datetime.date(2024, 3, 13), data_dir=folder)["undp_hdi"] == "HDR 2023/2024"


@pytest.mark.parametrize("day", ["2022-6-30", "30.06.2022", "2022-02-30", 2022])
def test_edition_as_of_wants_a_date(folder: Path, day: object) -> None:
    with pytest.raises(kz.InvalidArgumentError, match="expected a date such as '2022-06-30'"):
        kz.edition_as_of(day, data_dir=folder)


@pytest.mark.parametrize(("day", "fiscal_year"), [("2022-06-30", "FY22"), ("2022-07-01", "FY23"),
                                                  (datetime.date(2023, 6, 30), "FY23")])
def test_the_income_classification_as_of_a_date_is_the_one_in_effect_that_day(
        folder: Path, day: object, fiscal_year: str) -> None:
    wide = kz.panel("wgi_control_of_corruption", countries="income:upper_middle", as_of=day, data_dir=folder)
    assert wide["classification"].unique().tolist() == [fiscal_year]


def test_as_of_a_year_keeps_its_meaning_the_classification_of_that_year(folder: Path) -> None:
    wide = kz.panel("egdi", countries="income:upper_middle", as_of=2015, data_dir=folder)
    assert wide["classification"].unique().tolist() == ["FY17"]
    assert "editions" not in wide.attrs
    assert wide["year"].max() == 2024  # a year chooses no edition


# --- panel and compare: one edition per table -------------------------------------------------------


def test_panel_reads_the_edition_named(folder: Path) -> None:
    wide = kz.panel(["hdi", "wgi_control_of_corruption"], countries="KAZ",
                    edition={"undp_hdi": "HDR21-22", "wb_wgi": "2019"}, data_dir=folder)
    hdi = kz.load("undp_hdi", countries="KAZ", edition="HDR21-22", data_dir=folder).set_index("year")["hdi"]
    wgi = kz.load("wb_wgi", countries="KAZ", edition="2019", data_dir=folder)
    wgi = wgi[wgi["indicator"] == "control_of_corruption"].set_index("year")["estimate"]
    indexed = wide.set_index("year")
    assert indexed["hdi"].dropna().to_dict() == hdi.dropna().to_dict()
    assert indexed["wgi_control_of_corruption"].dropna().to_dict() == wgi.dropna().to_dict()
    assert wide.attrs["editions"] == {"undp_hdi": "HDR 2021/2022", "wb_wgi": "2019 Update"}


def test_one_edition_name_for_indicators_of_two_sources_is_refused_not_mixed(folder: Path) -> None:
    with pytest.raises(kz.UnknownEditionError, match="un_egov has no edition 'HDR21-22'"):
        kz.panel(["hdi", "egdi"], countries="KAZ", edition="HDR21-22", data_dir=folder)
    with pytest.raises(kz.InvalidArgumentError, match="'wb_wgi' is not a table of the indicators asked for"):
        kz.panel("hdi", countries="KAZ", edition={"wb_wgi": "2019"}, data_dir=folder)


def test_an_indicator_an_edition_does_not_publish_is_named(folder: Path) -> None:
    assert "households_internet_pct" not in ITU_JUNE_2019
    with pytest.raises(kz.UnknownIndicatorError, match="households_internet_pct is not in edition 'June 2019'"):
        kz.panel("households_internet_pct", countries="KAZ", edition="June 2019", data_dir=folder)


def test_panel_as_of_a_date_reads_what_could_be_downloaded_then(folder: Path) -> None:
    wide = kz.panel(["hdi", "egdi", "cpi_score"], countries="KAZ", as_of="2023-06-30", data_dir=folder)
    hdr21 = kz.load("undp_hdi", countries="KAZ", edition="HDR21-22", data_dir=folder).set_index("year")["hdi"]
    indexed = wide.set_index("year")
    assert indexed["hdi"].dropna().to_dict() == hdr21.dropna().to_dict()
    assert indexed["egdi"].dropna().index.max() == 2022
    assert indexed["cpi_score"].dropna().index.max() == 2022
    assert wide.attrs["editions"]["undp_hdi"] == "HDR 2021/2022 (current on 2023-06-30)"


def test_panel_as_of_a_day_before_any_edition_says_which_is_the_earliest(folder: Path) -> None:
    with pytest.raises(kz.InvalidArgumentError, match="no edition of undp_hdi published here had been released"):
        kz.panel("hdi", as_of="2010-01-01", data_dir=folder)
    with pytest.raises(kz.InvalidArgumentError, match="pass one of them"):
        kz.panel("hdi", edition="HDR25", as_of="2024-01-01", data_dir=folder)


def test_compare_ranks_within_one_edition(folder: Path) -> None:
    table = kz.compare("KAZ", "central_asia", "hdi", edition="HDR21-22", data_dir=folder)
    earlier = kz.revisions("hdi", countries="central_asia", data_dir=folder)
    in_2021 = earlier[earlier["year"] == 2021].set_index("iso3")["HDR 2021/2022"]
    row = table[table["year"] == 2021].iloc[0]
    assert row["value"] == in_2021["KAZ"]
    assert row["group_median"] == in_2021.median()
    assert table["year"].max() == 2021
    assert table.attrs["editions"] == {"undp_hdi": "HDR 2021/2022"}


# --- the command line --------------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_editions_lists_names_dates_and_where_the_dates_come_from(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "editions", "wb_wgi", "--data-dir", str(folder))
    assert status == 0
    lines = out.splitlines()
    assert lines[0].split() == ["name", "aliases", "released", "years", "rows", "countries", "current"]
    assert lines[1].split()[:4] == ["2019", "Update", "2019", "2019-09-20"]
    assert f"released (2019 Update): {EARLIER['wb_wgi'][0]['released_source']}" in out


def test_cli_editions_imports_no_pandas(folder: Path) -> None:
    code = ("import sys; from kzegov_data.cli import main; status = main(sys.argv[1:]); "
            "print('pandas' in sys.modules, status)")
    result = subprocess.run([sys.executable, "-c", code, "editions", "undp_hdi", "--data-dir", str(folder)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False 0"


def test_cli_show_an_edition(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "show", "undp_hdi", "--country", "KAZ", "--years", "2021", "--edition", "HDR21-22",
                         "--columns", "year,hdi,edition", "--csv", "--data-dir", str(folder))
    assert status == 0
    assert out.splitlines() == ["year,hdi,edition", f"2021,{current_hdi(folder, 2021)},HDR 2021/2022"]
    status, _, err = run(capsys, "show", "undp_hdi", "--edition", "HDR20", "--data-dir", str(folder))
    assert status == 1
    assert "known editions: HDR 2021/2022 (HDR21-22); HDR 2023/2024 (HDR23-24); HDR 2025 (HDR25)" in err


def test_cli_revisions_prints_values_by_edition_and_the_summary(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "revisions", "hdi", "--countries", "KAZ", "--data-dir", str(folder))
    assert status == 0
    assert "iso3  year  HDR 2021/2022  HDR 2023/2024  HDR 2025" in out
    assert "what each edition revised, over these countries" in out
    summary = kz.revision_summary("hdi", countries="KAZ", data_dir=folder)
    assert f"HDR 2023/2024 HDR 2025 {summary['compared'].iloc[1]} {summary['changed'].iloc[1]}" in " ".join(
        out.split())


def test_cli_revisions_without_countries_prints_the_summary_only(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "revisions", "wgi_control_of_corruption", "--data-dir", str(folder))
    assert status == 0
    assert "over every country" in out
    assert "iso3  year" not in out
    assert "add --countries KAZ" in out


def test_cli_panel_as_of_a_date_and_compare_with_an_edition(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "panel", "hdi", "--country", "KAZ", "--as-of", "2023-06-30", "--csv",
                           "--data-dir", str(folder))
    assert status == 0
    assert out.splitlines()[-1].split(",")[1] == "2021"  # HDR 2021/2022 ends in 2021
    assert "undp_hdi HDR 2021/2022 (current on 2023-06-30)" in err
    status, out, _ = run(capsys, "compare", "KAZ", "--indicator", "hdi", "--edition", "HDR23-24", "--data-dir",
                         str(folder))
    assert status == 0
    assert "editions: undp_hdi HDR 2023/2024" in out


def test_cli_tables_lists_current_tables_and_info_names_the_editions(
        folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "tables", "--data-dir", str(folder))
    assert status == 0
    listed = [line.split()[0] for line in out.splitlines()[1:-1]]
    assert "revisions" in listed
    assert not [name for name in listed if "." in name]
    status, out, _ = run(capsys, "info", "wb_wgi", "--data-dir", str(folder))
    assert status == 0
    assert ("editions: 2019 Update (2019-09-20), 2021 Update (2021-09-24), 2024 Update (2024-09-27); "
            "kzegov-data editions wb_wgi") in out
