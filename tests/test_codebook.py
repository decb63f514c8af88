"""The codebook is generated from the catalogue and datapackage.json: one row per column of the
country-year file, each indicator with its licence, coverage and caveat."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest

from kzegov_data import codebook, country_year

PROCESSED = Path(__file__).resolve().parents[1] / "processed"


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return codebook.codebook_frame(PROCESSED)


def resources() -> dict[str, dict]:
    descriptor = json.loads((PROCESSED / "datapackage.json").read_text("utf-8"))
    return {resource["name"]: resource for resource in descriptor["resources"]}


def test_one_row_per_column_of_the_country_year_file(frame: pd.DataFrame) -> None:
    columns = list(country_year.build_country_year(PROCESSED).columns)
    assert frame["variable"].tolist() == columns
    assert set(frame["kind"]) == {"identifier", "indicator"}


def test_every_indicator_has_its_tables_licence_citation_and_a_caveat(frame: pd.DataFrame) -> None:
    published = resources()
    for row in frame[frame["kind"] == "indicator"].itertuples():
        resource = published[row.table]
        assert row.licence == resource["licenses"][0]["name"]
        assert row.open is bool(resource["licenses"][0]["kzegov:open"])
        assert row.citation == resource["kzegov:citation"]
        assert row.caveat, f"{row.variable} declares no caveat"
    opened = dict(zip(frame["variable"], frame["open"], strict=True))
    assert opened["hdi"]
    assert opened["wgi_control_of_corruption"]
    assert not opened["egdi"]
    assert not opened["cpi_score"]
    assert not opened["internet_users_pct"]


def test_coverage_counts_the_countries_with_a_value(frame: pd.DataFrame) -> None:
    long = pd.read_parquet(PROCESSED / "indicators.parquet", columns=["iso3", "indicator", "year"])
    egdi = long[long["indicator"] == "egdi"]
    row = frame.set_index("variable").loc["egdi"]
    assert row["countries"] == egdi["iso3"].nunique() == 193
    assert row["years"] == f"{egdi['year'].min()}-{egdi['year'].max()}" == "2003-2024"


def test_the_csv_reads_back_as_the_codebook(frame: pd.DataFrame) -> None:
    back = pd.read_csv(io.BytesIO(codebook.codebook_csv(PROCESSED, frame)), keep_default_na=False)
    assert back.columns.tolist() == list(codebook.COLUMNS)
    assert back["variable"].tolist() == frame["variable"].tolist()
    assert back["caveat"].tolist() == frame["caveat"].tolist()


def test_the_markdown_has_a_section_per_indicator_with_its_stata_name(frame: pd.DataFrame) -> None:
    text = codebook.codebook_markdown(PROCESSED, frame)
    for row in frame[frame["kind"] == "indicator"].itertuples():
        assert f"\n### {row.variable}\n" in text
    assert "`wgi_control_of_corruption_pr`" in text
