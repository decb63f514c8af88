"""The data card's editions and revisions: per revising source its editions, a figure of Kazakhstan by
edition and what each edition revised; which sources revise and which do not; nothing of it for a
folder without a ``revisions`` table."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import kzegov_data as kz
from editions_fixture import make_editions_folder
from kzegov_data.datacard import card_paths, revision_sections, write_datacard
from kzegov_data.errors import OptionalDependencyMissing
from kzegov_data.figures import REVISION_FIGURES, require_matplotlib
from kzegov_data.publish import table_resources

PROSE = Path(__file__).resolve().parents[1] / "docs" / "datacard"


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    try:
        require_matplotlib()
    except OptionalDependencyMissing as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs matplotlib for the data card's figures: {error}")
        pytest.skip(str(error))
    root = tmp_path_factory.mktemp("card")
    processed = make_editions_folder(root / "processed")
    card_path, figures, _ = card_paths(root)
    write_datacard(processed, card_path, figures, PROSE)
    return processed, root, card_path.read_text("utf-8")


@pytest.mark.parametrize("figure", REVISION_FIGURES, ids=lambda figure: figure.table)
def test_each_revising_source_has_editions_a_figure_and_the_revision_statistics(
        card: tuple[Path, Path, str], figure: object) -> None:
    processed, root, text = card
    table, indicator = figure.table, figure.indicator  # type: ignore[attr-defined]
    section = text.split(f"### `{table}`: editions and revisions", 1)[1].split("\n### ", 1)[0]
    for name in kz.editions(table, data_dir=processed)["name"]:
        assert f"| {name} |" in section
    link = f"(docs/figures/{figure.name}.png)"  # type: ignore[attr-defined]
    assert link in section
    assert (root / link.strip("()")).read_bytes()[1:4] == b"PNG"
    summary = kz.revision_summary(indicator, data_dir=processed)
    for row in summary.to_dict("records"):
        assert (f"| {row['previous_edition']} | {row['edition']} | {row['compared']:,} | {row['changed']:,} |"
                in section)
        assert f"| {row['largest_iso3']} {row['largest_year']} |" in section


def test_each_earlier_edition_lists_its_file_and_its_pinned_raw_files(card: tuple[Path, Path, str]) -> None:
    processed, _, text = card
    earlier = [r for r in table_resources(processed).values() if "edition_of" in r]
    assert earlier
    for resource in earlier:
        section = text.split(f"### `{resource['edition_of']}`: editions and revisions", 1)[1].split("\n### ", 1)[0]
        assert f"(`{resource['name']}`, `processed/{resource['path']}`, {resource['kzegov:rows']:,} rows)" in section
        for raw in resource["kzegov:raw_files"]:
            assert f"`{raw['sha256'][:16]}…`" in section


def test_the_card_says_which_sources_revise_and_which_do_not(card: tuple[Path, Path, str]) -> None:
    _, _, text = card
    overview = text.split("### Editions of every table: which revise", 1)[1].split("\n### ", 1)[0]
    verdicts = {line.split("`")[1]: line.rsplit("|", 2)[1] for line in overview.splitlines() if line.startswith("| [")}
    assert sorted(table for table, verdict in verdicts.items() if "**yes**" in verdict) == [
        "itu_ict", "undp_hdi", "wb_wgi"]
    assert sorted(table for table, verdict in verdicts.items() if "**no**" in verdict) == ["ti_cpi", "un_egov"]
    words = " ".join(text.split())
    assert "each **UN E-Government Survey** is its own edition" in words
    assert "each **CPI year** is its own edition" in words


def test_earlier_editions_are_not_described_as_tables_of_their_own(card: tuple[Path, Path, str]) -> None:
    _, _, text = card
    assert "### `undp_hdi.hdr21-22` in numbers" not in text
    assert "### `revisions` in numbers" in text


def test_a_folder_without_a_revisions_table_gets_no_revisions_sections(
        card: tuple[Path, Path, str], tmp_path: Path) -> None:
    processed, _, _ = card
    descriptor = json.loads((processed / "datapackage.json").read_text("utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "revisions"]
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), "utf-8")
    assert revision_sections(tmp_path, table_resources(tmp_path), {}) == {}
