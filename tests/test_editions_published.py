"""Issue 14's acceptance facts on the published tables: Kazakhstan's values in each edition, from the
publishers' own files, through ``kz.load(..., edition=...)`` and ``kz.revisions``.

They read the committed ``processed/`` (earlier editions under ``processed/editions/``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import kzegov_data as kz

PROCESSED = Path(__file__).resolve().parents[1] / "processed"

HDR = ["HDR21-22", "HDR23-24", "HDR25"]
HDR_NAMES = ["HDR 2021/2022", "HDR 2023/2024", "HDR 2025"]
WGI = ["2019", "2021", "2024"]
WGI_NAMES = ["2019 Update", "2021 Update", "2024 Update"]


def hdi(edition: str, year: int) -> float:
    frame = kz.load("undp_hdi", countries="KAZ", years=year, edition=edition, data_dir=PROCESSED)
    return float(frame["hdi"].item())


@pytest.mark.parametrize(("year", "values"), [(2021, [0.811, 0.801, 0.816]), (2008, [0.758, 0.757, 0.771]),
                                              (1990, [0.673, 0.672, 0.689])])
def test_kazakhstan_hdi_by_edition(year: int, values: list[float]) -> None:
    assert [hdi(edition, year) for edition in HDR] == values
    wide = kz.revisions("hdi", countries="KAZ", data_dir=PROCESSED).set_index("year")
    assert wide.loc[year, HDR_NAMES].tolist() == values


def test_kazakhstan_hdi_rank_in_each_editions_latest_year_is_56_67_60() -> None:
    ranks = []
    for edition in HDR:
        frame = kz.load("undp_hdi", countries="KAZ", edition=edition, data_dir=PROCESSED)
        latest = frame[frame["year"] == frame["year"].max()]
        ranks.append(int(latest["hdi_rank"].item()))
    assert ranks == [56, 67, 60]


@pytest.mark.parametrize(("year", "values"), [(2018, [-0.50173, -0.49539, -0.49221]),
                                              (2008, [-0.97829, -0.97829, -0.98064])])
def test_kazakhstan_wgi_control_of_corruption_by_update(year: int, values: list[float]) -> None:
    found = []
    for edition in WGI:
        frame = kz.load("wb_wgi", countries="KAZ", years=year, edition=edition, data_dir=PROCESSED)
        found.append(float(frame.loc[frame["indicator"] == "control_of_corruption", "estimate"].item()))
    assert [round(value, 5) for value in found] == values
    wide = kz.revisions("wgi_control_of_corruption", countries="KAZ", data_dir=PROCESSED).set_index("year")
    assert [round(value, 5) for value in wide.loc[year, WGI_NAMES]] == values


def test_every_revising_table_lists_its_editions_with_exactly_one_current() -> None:
    for table, names in [("undp_hdi", HDR_NAMES), ("wb_wgi", WGI_NAMES), ("itu_ict", ["June 2019", "DataHub 2025"])]:
        listed = kz.editions(table, data_dir=PROCESSED)
        assert listed["name"].tolist() == names
        assert listed["current"].tolist() == [False] * (len(names) - 1) + [True]
        assert listed["released_source"].str.len().gt(0).all()
