"""Editions as declared by the sources, raw file names with an edition's subfolder, and the revisions
derivation: facts that need no mirror."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kzegov_data import registry
from kzegov_data.errors import LockFileError
from kzegov_data.fetch import Lock
from kzegov_data.pipeline import Project, tidy
from kzegov_data.publish import table_path
from kzegov_data.registry import Edition, RawFile, Source, get_source, source_ids
from kzegov_data.revisions_table import changes

# The names and aliases issue 14 and the card use.
EXPECTED = {
    "undp_hdr": [("HDR 2021/2022", "HDR21-22"), ("HDR 2023/2024", "HDR23-24"), ("HDR 2025", "HDR25")],
    "wb_wgi": [("2019 Update", "2019"), ("2021 Update", "2021"), ("2024 Update", "2024")],
}


@pytest.mark.parametrize("source_id", sorted(EXPECTED))
def test_revising_sources_name_their_editions_as_the_issue_does(source_id: str) -> None:
    editions = get_source(source_id).editions
    assert [(edition.name, edition.aliases[0]) for edition in editions] == EXPECTED[source_id]
    assert [edition.current for edition in editions] == [False, False, True]


def test_itu_has_the_june_2019_release_and_the_current_datahub_edition() -> None:
    editions = get_source("itu").editions
    assert [(edition.name, edition.slug, edition.current) for edition in editions] == [
        ("June 2019", "june-2019", False), ("DataHub 2025", "datahub-2025", True)]
    # The fixed-telephone file belongs to both: the current table reads it (DataHub has no such series).
    fixed = "Fixed_tel_2000-2018_Jun2019_revised_27082019.xls"
    assert fixed in editions[0].files
    assert fixed in editions[1].files


@pytest.mark.parametrize("source_id", source_ids())
def test_every_edition_is_dated_ordered_and_made_of_declared_files(source_id: str) -> None:
    source = get_source(source_id)
    declared = {raw_file.name for raw_file in source.files}
    released = [edition.released for edition in source.editions]
    assert released == sorted(released)
    for edition in source.editions:
        assert set(edition.files) <= declared
        assert edition.released_source
        pd.Timestamp(edition.released)  # a real date
    if source.revising:
        # Every declared file is some edition's: nothing is fetched that no table is built from.
        assert set().union(*(set(edition.files) for edition in source.editions)) == declared


@pytest.mark.parametrize(("source_id", "years"), [("un_egov", "SURVEY_YEARS"), ("ti_cpi", "YEARS")])
def test_a_source_publishing_each_year_once_has_one_current_edition_per_year(source_id: str, years: str) -> None:
    source = get_source(source_id)
    declared_years = getattr(registry.source_package(source_id), years)
    assert not source.revising
    assert [edition.years for edition in source.editions] == [(year,) for year in declared_years]
    assert all(edition.current and not edition.files for edition in source.editions)


def test_the_hdr_time_series_files_are_fetched_from_their_edition_folders() -> None:
    urls = {raw_file.name: raw_file.url for raw_file in get_source("undp_hdr").files}
    assert urls["HDR21-22_Composite_indices_complete_time_series.csv"] == (
        "https://hdr.undp.org/sites/default/files/2021-22_HDR/HDR21-22_Composite_indices_complete_time_series.csv")
    assert urls["HDR23-24_Composite_indices_complete_time_series.csv"] == (
        "https://hdr.undp.org/sites/default/files/2023-24_HDR/HDR23-24_Composite_indices_complete_time_series.csv")


@pytest.mark.parametrize("name", ["../lock.json", "2019_update/../../x", "/etc/passwd", "C:/x.xlsx",
                                  "2019_update\\wgidataset.xlsx", ".hidden", "a//b", ""])
def test_a_raw_file_name_that_could_leave_its_folder_is_refused(name: str) -> None:
    with pytest.raises(ValueError, match="raw file name"):
        RawFile(name)


def test_a_lock_naming_a_file_outside_its_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sources.lock.json"
    entry = {"bytes": 1, "sha256": "0" * 64, "url": "https://example.org", "retrieved": "2026-12-01"}
    path.write_text(json.dumps({"version": 1, "sources": {"wb_wgi": {"../../outside.xlsx": entry}}}))
    with pytest.raises(LockFileError, match=r"outside\.xlsx"):
        Lock.load(path)
    path.write_text(json.dumps({"version": 1, "sources": {"wb_wgi": {"2019_update/wgidataset.xlsx": entry}}}))
    assert Lock.load(path).get("wb_wgi", "2019_update/wgidataset.xlsx") == entry


def test_a_killed_fetch_s_leftover_in_an_edition_subfolder_is_removed(tmp_path: Path) -> None:
    folder = tmp_path / "raw" / "wb_wgi" / "2019_update"
    folder.mkdir(parents=True)
    leftover = folder / ".wgidataset.xlsx.abc.part"
    leftover.write_bytes(b"half")
    lines = tidy(Project(tmp_path))
    assert not leftover.exists()
    assert lines == ["removed raw/wb_wgi/2019_update/.wgidataset.xlsx.abc.part (left by an interrupted run)"]


def test_a_source_s_editions_are_checked_when_declared() -> None:
    files = (RawFile("a.csv"), RawFile("b.csv"))
    common = {"id": "x", "publisher": "", "title": "", "landing_page": "", "licence": registry.Licence("", ""),
              "citation": "", "files": files, "tables": ("x",)}
    with pytest.raises(ValueError, match="does not declare"):
        Source(**common, editions=(Edition("one", "2020-01-01", "s", files=("c.csv",), current=True),))
    with pytest.raises(ValueError, match="oldest first"):
        Source(**common, editions=(Edition("new", "2021-01-01", "s", files=("b.csv",), current=True),
                                   Edition("old", "2020-01-01", "s", files=("a.csv",))))
    with pytest.raises(ValueError, match="exactly one current"):
        Source(**common, editions=(Edition("old", "2020-01-01", "s", files=("a.csv",)),
                                   Edition("new", "2021-01-01", "s", files=("b.csv",))))
    with pytest.raises(ValueError, match="ISO date"):
        Edition("bad", "May 2025", "s")


def test_earlier_editions_are_published_in_their_table_s_editions_folder() -> None:
    assert table_path("wb_wgi") == "wb_wgi.parquet"
    assert table_path("wb_wgi.2019") == "editions/wb_wgi/2019.parquet"
    assert table_path("itu_ict.june-2019") == "editions/itu_ict/june-2019.parquet"


def test_a_revision_is_the_change_against_the_latest_earlier_edition_that_published_the_value() -> None:
    # Rows sorted by (indicator, country, year) then release, as build_revisions sorts them. Kazakhstan's
    # HDI 2021 in three editions (0, 1, 2); Kyrgyzstan's 1990 is missing from edition 1, so edition 2 is
    # compared with edition 0; Armenia is published once.
    country = np.array([0, 1, 1, 1, 2, 2])  # ARM, KAZ, KAZ, KAZ, KGZ, KGZ
    year = np.array([2021, 2021, 2021, 2021, 1990, 1990])
    edition = np.array([2, 0, 1, 2, 0, 2])
    value = np.array([0.786, 0.811, 0.801, 0.816, 0.640, 0.650])
    previous, change = changes([np.zeros(6, dtype=int), country, year], edition, value)
    assert previous.tolist() == [-1, -1, 0, 1, -1, 0]
    expected = [np.nan, np.nan, 0.801 - 0.811, 0.816 - 0.801, np.nan, 0.650 - 0.640]
    np.testing.assert_array_equal(change, expected)


def test_published_revisions_follow_the_rule_on_kazakhstan_s_hdi() -> None:
    # The committed table: each row's change is its value minus the value of the row of its previous edition.
    processed = Path(__file__).resolve().parents[1] / "processed"
    wanted = [("iso3", "==", "KAZ"), ("indicator", "==", "hdi")]
    frame = pd.read_parquet(processed / "revisions.parquet", filters=wanted)
    by_edition = frame.set_index(["year", "edition"])["value"]
    later = frame[frame["previous_edition"].notna()]
    expected = [by_edition.loc[(year, edition)] - by_edition.loc[(year, previous)]
                for year, edition, previous in zip(later["year"], later["edition"].astype(str),
                                                   later["previous_edition"], strict=True)]
    np.testing.assert_allclose(later["change"].to_numpy(), expected)
    assert len(later) == 2 * 32 + 1  # 1990-2021 in three editions, 2022 in two


def test_revisions_refuse_a_previous_edition_released_later_or_never() -> None:
    # The committed table passes; a row whose previous edition was released after its own edition, or
    # names an edition no row publishes, fails the check and is named by its key.
    from kzegov_data.errors import SchemaValidationError
    from kzegov_data.revisions_table import RevisionsSchema
    from kzegov_data.schemas import validate

    processed = Path(__file__).resolve().parents[1] / "processed"
    frame = pd.read_parquet(processed / "revisions.parquet", filters=[("iso3", "==", "KAZ")])
    frame = frame.astype({column: "str" for column in ("table", "indicator", "iso3", "edition")})
    validate(RevisionsSchema, frame)
    later = frame.index[(frame["edition"] == "HDR 2023/2024") & (frame["year"] == 2008)
                        & (frame["indicator"] == "hdi")][0]
    frame.loc[later, "previous_edition"] = "HDR 2025"
    unknown = frame.index[(frame["edition"] == "2024 Update") & frame["previous_edition"].notna()][0]
    frame.loc[unknown, "previous_edition"] = "2022 Update"
    with pytest.raises(SchemaValidationError, match="previous edition was released before") as raised:
        validate(RevisionsSchema, frame)
    failing = str(raised.value).splitlines()[-1]
    assert "undp_hdi hdi KAZ 2008 HDR 2023/2024; wb_wgi wgi_control_of_corruption KAZ 1996 2024 Update" in failing
    assert failing.split()[-1] == "2"


def test_revisions_refuse_a_release_date_that_is_not_an_iso_day_as_pandera_s_str_matches_does() -> None:
    # The format is decided once per distinct date; the failures (check, values, rows) are those of
    # pandera's built-in str_matches on the same column, and the summary line names them.
    import pandera.pandas as pa

    from kzegov_data.errors import SchemaValidationError
    from kzegov_data.revisions_table import RELEASED, RevisionsSchema
    from kzegov_data.schemas import validate

    processed = Path(__file__).resolve().parents[1] / "processed"
    frame = pd.read_parquet(processed / "revisions.parquet", filters=[("iso3", "==", "KAZ")])
    frame = frame.astype({column: "str" for column in ("table", "indicator", "iso3", "edition")})
    validate(RevisionsSchema, frame)
    frame.loc[frame.index[[3, 5]], "released"] = "2019-9-20"
    frame.loc[frame.index[8], "released"] = "20.09.2019"
    with pytest.raises(pa.errors.SchemaErrors) as ours:
        RevisionsSchema.validate(frame, lazy=True)
    with pytest.raises(pa.errors.SchemaErrors) as builtin:
        pa.DataFrameSchema({"released": pa.Column(str, pa.Check.str_matches(RELEASED))}).validate(
            frame[["released"]], lazy=True)
    columns = ["column", "check", "failure_case", "index"]
    found = ours.value.failure_cases
    pd.testing.assert_frame_equal(found.loc[found["column"] == "released", columns].reset_index(drop=True),
                                  builtin.value.failure_cases[columns].reset_index(drop=True))
    with pytest.raises(SchemaValidationError) as raised:
        validate(RevisionsSchema, frame)
    line = next(line for line in str(raised.value).splitlines() if line.startswith("released"))
    assert line.split()[1] == r"str_matches('^\d{4}-\d{2}-\d{2}$')"
    assert "'2019-9-20' at itu_ict" in line
    assert line.split()[-1] == "3"
