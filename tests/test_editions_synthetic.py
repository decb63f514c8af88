"""A full build from the synthetic mirror publishes every earlier edition and the revisions table.

The mirror (``tests/synthetic``) holds each revising source's earlier editions in the publishers'
layouts: WGI's 2019 and 2021 Updates (old wide workbook), ITU's June 2019 Excel release, HDR 2021/22
and 2023/24. Expected values and changes are computed here from the synthetic writers' planted
numbers, never read back from the build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from kzegov_data.pipeline import Project, build
from kzegov_data.registry import get_source
from synthetic import itu as synthetic_itu
from synthetic import undp_hdr as synthetic_hdr
from synthetic import wb_wgi as synthetic_wgi

try:
    from kzegov_data.sources.undp_hdr.parse import parse_edition as _undp_parse_edition  # noqa: F401
except ImportError:
    UNDP_EDITIONS = False
else:
    UNDP_EDITIONS = True
NO_UNDP_EDITIONS = "kzegov_data.sources.undp_hdr.parse has no parse_edition yet: HDR's earlier editions are not built"

#: Edition files the build must publish: (table, slug) -> whether the source parses its editions.
EDITION_FILES = {
    ("wb_wgi", "2019"): True, ("wb_wgi", "2021"): True, ("itu_ict", "june-2019"): True,
    ("undp_hdi", "hdr21-22"): UNDP_EDITIONS, ("undp_hdi", "hdr23-24"): UNDP_EDITIONS,
}


@pytest.fixture(scope="module")
def built(synthetic_mirror: Path, tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = Project(tmp_path_factory.mktemp("editions-build"))
    build(project, mirror=synthetic_mirror, progress=False, echo=lambda line: None)
    return project


@pytest.fixture(scope="module")
def resources(built: Project) -> dict[str, dict[str, Any]]:
    descriptor = json.loads((built.processed_dir / "datapackage.json").read_text(encoding="utf-8"))
    return {resource["name"]: resource for resource in descriptor["resources"]}


@pytest.fixture(scope="module")
def revisions(built: Project) -> pd.DataFrame:
    return pd.read_parquet(built.processed_dir / "revisions.parquet")


@pytest.mark.parametrize(("table", "slug"), list(EDITION_FILES))
def test_each_earlier_edition_is_published_as_its_own_resource(
    built: Project, resources: dict[str, dict[str, Any]], table: str, slug: str
) -> None:
    if not EDITION_FILES[(table, slug)]:
        pytest.skip(NO_UNDP_EDITIONS)
    path = built.processed_dir / "editions" / table / f"{slug}.parquet"
    assert path.is_file()
    resource = resources[f"{table}.{slug}"]
    assert resource["edition_of"] == table
    entry = next(e for e in resources[table]["editions"] if e["name"] == resource["edition"])
    assert entry["path"] == f"editions/{table}/{slug}.parquet"
    assert entry["rows"] == len(pd.read_parquet(path))
    assert not entry["current"]


@pytest.mark.parametrize(("table", "source_id"), [("wb_wgi", "wb_wgi"), ("itu_ict", "itu"), ("undp_hdi", "undp_hdr")])
def test_current_tables_list_their_editions_oldest_first_current_last(
    resources: dict[str, dict[str, Any]], table: str, source_id: str
) -> None:
    if table == "undp_hdi" and not UNDP_EDITIONS:
        pytest.skip(NO_UNDP_EDITIONS)
    editions = resources[table]["editions"]
    released = [e["released"] for e in editions]
    assert released == sorted(released)
    assert [e["name"] for e in editions] == [e.name for e in get_source(source_id).editions]
    assert [e["current"] for e in editions] == [False] * (len(editions) - 1) + [True]
    assert editions[-1]["path"] == f"{table}.parquet"


def test_wb_wgi_editions_have_the_releases_214_economies(resources: dict[str, dict[str, Any]]) -> None:
    counts = {e["name"]: e["countries"] for e in resources["wb_wgi"]["editions"]}
    assert counts == {"2019 Update": 214, "2021 Update": 214, "2024 Update": len(synthetic_wgi.ECONOMIES)}


def kaz_revisions(revisions: pd.DataFrame, table: str, indicator: str, year: int) -> pd.DataFrame:
    rows = revisions[(revisions["table"] == table) & (revisions["indicator"] == indicator)
                     & (revisions["iso3"] == "KAZ") & (revisions["year"] == year)]
    return rows.set_index("edition")[["value", "previous_edition", "change"]]


def expected_revisions(values: dict[str, float]) -> list[tuple[str, float, str | None, float | None]]:
    """(edition, value, previous edition, change) in release order, from the planted values."""
    rows, previous = [], None
    for edition, value in values.items():
        change = None if previous is None else value - values[previous]
        rows.append((edition, value, previous, change))
        previous = edition
    return rows


def assert_revisions(found: pd.DataFrame, values: dict[str, float]) -> None:
    assert list(found.index) == list(values)
    for edition, value, previous, change in expected_revisions(values):
        row = found.loc[edition]
        assert row["value"] == pytest.approx(value, abs=1e-12)
        if previous is None:
            assert pd.isna(row["previous_edition"])
            assert pd.isna(row["change"])
        else:
            assert row["previous_edition"] == previous
            assert row["change"] == pytest.approx(change, abs=1e-12)


@pytest.mark.parametrize("year", [2008, 2018])
def test_kazakhstan_control_of_corruption_by_wgi_edition(revisions: pd.DataFrame, year: int) -> None:
    current = synthetic_wgi.measures("KAZ", year, "cc")
    assert current is not None
    values = {
        "2019 Update": synthetic_wgi.EDITION_PUBLISHED[("2019 Update", "KAZ", year, "cc")],
        "2021 Update": synthetic_wgi.EDITION_PUBLISHED[("2021 Update", "KAZ", year, "cc")],
        "2024 Update": current[0],
    }
    assert_revisions(kaz_revisions(revisions, "wb_wgi", "wgi_control_of_corruption", year), values)


def test_kazakhstan_control_of_corruption_2008_is_unrevised_between_the_2019_and_2021_updates(
    revisions: pd.DataFrame,
) -> None:
    found = kaz_revisions(revisions, "wb_wgi", "wgi_control_of_corruption", 2008)
    assert found.loc["2021 Update", "change"] == 0.0
    assert found.loc["2024 Update", "change"] != 0.0


@pytest.mark.parametrize(("indicator", "spec", "datahub"), [
    ("internet_users_pct", 0, synthetic_itu.INTERNET_PCT), ("mobile_cellular_per100", 1, synthetic_itu.MOBILE_PER100),
])
@pytest.mark.parametrize("year", [2008, 2018])
def test_kazakhstan_itu_values_by_edition(
    revisions: pd.DataFrame, indicator: str, spec: int, datahub: dict[tuple[str, int], str], year: int
) -> None:
    june_2019 = synthetic_itu.release_value(synthetic_itu.RELEASE_FILES[spec], "Kazakhstan", year)[1]
    assert june_2019 is not None
    values = {"June 2019": june_2019, "DataHub 2025": float(datahub[("KAZ", year)])}
    assert_revisions(kaz_revisions(revisions, "itu_ict", indicator, year), values)


@pytest.mark.skipif(not UNDP_EDITIONS, reason=NO_UNDP_EDITIONS)
@pytest.mark.parametrize("year", [1990, 2008, 2021])
def test_kazakhstan_hdi_by_hdr_edition(revisions: pd.DataFrame, year: int) -> None:
    values = {
        name: synthetic_hdr.edition_kazakhstan_hdi(edition)[year] for name, edition in synthetic_hdr.EARLIER.items()
    }
    values[synthetic_hdr.EDITION] = synthetic_hdr.KAZAKHSTAN_HDI[year]
    assert_revisions(kaz_revisions(revisions, "undp_hdi", "hdi", year), values)


@pytest.mark.skipif(not UNDP_EDITIONS, reason=NO_UNDP_EDITIONS)
def test_hdr21_22_names_turkiye_turkey(built: Project) -> None:
    edition = pd.read_parquet(built.processed_dir / "editions" / "undp_hdi" / "hdr21-22.parquet")
    assert set(edition.loc[edition["iso3"] == "TUR", "country"]) == {"Turkey"}
    assert set(edition["year"]) == set(range(1990, 2022))
