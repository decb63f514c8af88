"""The generated data card: fresh against processed/, complete, deterministic; its figures honest."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from kzegov_data.api import load
from kzegov_data.cli import main
from kzegov_data.datacard import card_paths, refresh_datacard, write_datacard
from kzegov_data.errors import KzegovDataError, OptionalDependencyMissing
from kzegov_data.figures import CARD_FIGURES, REVISION_FIGURES, comparison_frame, plot_comparison, require_matplotlib
from kzegov_data.pipeline import Project
from kzegov_data.publish import table_resources

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
CARD, FIGURES, PROSE = card_paths(REPO)
STALE = "run `make data` and commit DATACARD.md and docs/figures/"


def needs_matplotlib() -> None:
    """Skip without matplotlib, but fail in CI, where `make test` installs the plot extra."""
    try:
        require_matplotlib()
    except OptionalDependencyMissing as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs matplotlib for the data card's figures: {error}")
        pytest.skip(str(error))


def render(folder: Path, processed: Path = PROCESSED, prose: Path = PROSE) -> list[Path]:
    """The card and figures as the build writes them, laid out like the repository under ``folder``."""
    card, figures, _ = card_paths(folder)
    return write_datacard(processed, card, figures, prose)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    needs_matplotlib()
    folder = tmp_path_factory.mktemp("card")
    render(folder)
    return folder


def cpi_figure():  # type: ignore[no-untyped-def]
    return next(figure for figure in CARD_FIGURES if figure.table == "ti_cpi")


def test_committed_datacard_and_figures_are_fresh(rendered: Path) -> None:
    """DATACARD.md and docs/figures/ in git equal a render of the committed processed/ and prose."""
    card, figures, _ = card_paths(rendered)
    assert CARD.is_file(), f"DATACARD.md is missing; {STALE}"
    assert CARD.read_bytes() == card.read_bytes(), f"DATACARD.md is stale; {STALE}"
    expected = sorted(path.name for path in figures.glob("*.png"))
    committed = sorted(path.name for path in FIGURES.glob("*.png"))
    assert committed == expected, f"docs/figures/ holds {committed}, the card draws {expected}; {STALE}"
    for name in expected:
        assert (FIGURES / name).read_bytes() == (figures / name).read_bytes(), f"docs/figures/{name} is stale; {STALE}"


def test_every_published_table_has_a_section_with_coverage_columns_and_licence(rendered: Path) -> None:
    text = card_paths(rendered)[0].read_text("utf-8")
    for name, resource in table_resources(PROCESSED).items():
        if "edition_of" in resource:
            continue  # an earlier edition: in its table's revisions section (tests/test_datacard_revisions.py)
        section = text.split(f'<a id="table-{name}"></a>', 1)[1].split("\n### Notes", 1)[0]
        assert f"### `{name}` in numbers" in section
        assert f"| rows | {resource['kzegov:rows']:,} |" in section
        assert "| countries |" in section or "iso3" not in [f["name"] for f in resource["schema"]["fields"]]
        assert "| years" in section
        licence = resource["licenses"][0]
        # A licence with a web page is a link; `indicators` points to the card itself, so plain text.
        linked = "[" if licence["path"].startswith("https://") else ""
        assert f"| licence | {linked}{licence['name']}" in section
        assert "| column | type | unit | title | description | missing |" in section
        for spec in resource["schema"]["fields"]:
            assert f"| `{spec['name']}` | {spec['type']} |" in section
        for raw in resource["kzegov:raw_files"]:
            assert f"`{raw['sha256'][:16]}…`" in section
        assert f"(#table-{name})" in text  # linked from the overview


def test_kazakhstan_egdi_coverage_is_measured_on_the_data(rendered: Path) -> None:
    text = card_paths(rendered)[0].read_text("utf-8")
    assert "| years (`survey_year`) | 2003-2024 (12 years: 2003, 2004, 2005, 2008, 2010, 2012," in text
    assert "| Kazakhstan (`KAZ`) | 12 rows, 2003-2024 |" in text
    missing = load("un_egov", data_dir=PROCESSED)["egdi"].isna().mean()
    assert f"| {missing * 100:.1f}% |" in text  # the egdi row's missing share (not_assessed, not_yet_member)


def test_every_figure_the_card_links_exists_and_has_alt_text() -> None:
    text = CARD.read_text("utf-8")
    links = re.findall(r"!\[([^\]]*)\]\(([^)]+)\)", text)
    assert len(links) == len(CARD_FIGURES) + len(REVISION_FIGURES)  # each revising source: its editions
    for alt, target in links:
        assert "Kazakhstan" in alt
        assert not target.startswith(("/", "http"))
        assert (CARD.parent / target).is_file(), f"DATACARD.md links {target}, which does not exist; {STALE}"


def test_cpi_figure_uses_only_the_0_100_scale() -> None:
    frame = load("ti_cpi", data_dir=PROCESSED)
    selected = comparison_frame(frame, cpi_figure())
    scales = frame.assign(iso3=frame["iso3"].astype(str)).merge(selected, on=["iso3", "year"])["scale"]
    assert set(scales.astype(str)) == {"0-100"}
    assert selected["year"].min() == 2012
    assert "KAZ" in set(selected["iso3"])
    # The scale decides, not the year: a 0-10 row dated 2012 stays out.
    planted = pd.DataFrame({"iso3": ["KAZ", "KAZ"], "year": [2012, 2012], "score": [2.8, 28.0],
                            "scale": ["0-10", "0-100"]})
    assert comparison_frame(planted, cpi_figure())["value"].tolist() == [28.0]


def test_a_series_on_two_scales_is_refused() -> None:
    figure = next(f for f in CARD_FIGURES if f.table == "un_egov")
    mixed = pd.DataFrame({"iso3": ["KAZ", "KAZ"], "survey_year": [2010, 2012], "egdi": [2.7, 28.0],
                          "scale": ["0-10", "0-100"]})
    with pytest.raises(KzegovDataError, match=r"mixes scales \(0-10, 0-100\)"):
        comparison_frame(mixed, figure)


def test_rendering_twice_gives_identical_bytes(rendered: Path, tmp_path: Path) -> None:
    again = render(tmp_path)
    for path in again:
        assert path.read_bytes() == (rendered / path.relative_to(tmp_path)).read_bytes(), path.name
    assert b"Software" not in b"".join(p.read_bytes() for p in again if p.suffix == ".png")


def test_plotting_without_matplotlib_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` fail
    frame = pd.DataFrame({"iso3": ["KAZ"], "year": [2024], "value": [1.0]})
    with pytest.raises(OptionalDependencyMissing, match=r"pip install 'kzegov_data\[plot\]'"):
        plot_comparison(frame, tmp_path / "kaz.png", title="t", ylabel="y")
    assert main(["plot", "un_egov/egdi", "--output", str(tmp_path / "egdi.png"), "--data-dir", str(PROCESSED)]) == 1


def test_cli_plot_writes_a_png(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    needs_matplotlib()
    output = tmp_path / "internet.png"
    assert main(["plot", "itu_ict/internet_users_pct", "--output", str(output), "--data-dir", str(PROCESSED)]) == 0
    assert output.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert main(["plot", "ti_cpi/rank", "--output", str(tmp_path / "rank.png"), "--data-dir", str(PROCESSED)]) == 1
    assert "mixes scales" in capsys.readouterr().err


def test_refresh_regenerates_only_a_stale_card(tmp_path: Path) -> None:
    needs_matplotlib()
    project = Project(tmp_path)
    shutil.copytree(PROCESSED, project.processed_dir)
    shutil.copytree(PROSE, tmp_path / "docs" / "datacard")
    card, figures, _ = card_paths(tmp_path)
    orphan = figures / "old_figure.png"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"not drawn any more")
    written = refresh_datacard(project, echo=lambda line: None)
    assert card in written
    assert not orphan.exists()
    assert refresh_datacard(project, echo=lambda line: None) == []  # fresh: nothing rendered
    card.write_text(card.read_text("utf-8") + "hand edit\n", "utf-8")
    assert card in refresh_datacard(project, echo=lambda line: None)
    assert "hand edit" not in card.read_text("utf-8")


def test_refresh_does_nothing_outside_a_project_with_prose(tmp_path: Path) -> None:
    project = Project(tmp_path)
    shutil.copytree(PROCESSED, project.processed_dir)
    assert refresh_datacard(project, echo=lambda line: None) == []
    assert not (tmp_path / "DATACARD.md").exists()


def test_any_set_of_tables_renders(tmp_path: Path) -> None:
    """Tables without years, without iso3, and long tables with an indicator column (like `indicators`)."""
    processed = tmp_path / "processed"
    processed.mkdir()
    tables = {
        "long": (pd.DataFrame({"iso3": ["KAZ", "KAZ", "UZB"], "year": [2020, 2022, 2022],
                               "indicator": ["a", "a", "b"], "value": [1.0, None, 3.0],
                               "unit": ["%", "%", "index"]}), ["iso3", "year", "indicator"]),
        "no_years": (pd.DataFrame({"iso3": ["KAZ"], "flag": [True]}), ["iso3"]),
        "no_countries": (pd.DataFrame({"code": ["x"], "label": ["a|b <c>"]}), ["code"]),
    }
    types = {"object": "string", "str": "string", "float64": "number", "int64": "integer", "bool": "boolean"}
    resources = []
    for name, (frame, key) in tables.items():
        frame.to_parquet(processed / f"{name}.parquet")
        fields = [{"name": c, "type": types.get(str(frame[c].dtype), "string"), "title": c.title(),
                   "description": f"the {c}", "kzegov:unit": "unit"} for c in frame.columns]
        description = "codes | labels <raw>" if name == "no_countries" else ""
        resources.append({"name": name, "path": f"{name}.parquet", "format": "parquet", "title": name.title(),
                          "description": description, "schema": {"fields": fields, "primaryKey": key},
                          "licenses": [{"name": "CC BY 4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}],
                          "kzegov:source": name, "kzegov:citation": "", "kzegov:rows": len(frame),
                          "kzegov:year_column": "year" if "year" in frame.columns else None,
                          "kzegov:raw_files": []})
    (processed / "datapackage.json").write_text(json.dumps({"resources": resources}), "utf-8")
    prose = tmp_path / "prose"
    prose.mkdir()
    (prose / "intro.md").write_text("# card\n", "utf-8")
    (prose / "long.md").write_text("## The long table (`long`)\n\nReviewed words.\n", "utf-8")
    card = tmp_path / "DATACARD.md"
    assert write_datacard(processed, card, tmp_path / "figures", prose) == [card]
    text = card.read_text("utf-8")
    assert "## The long table (`long`)" in text
    assert "Reviewed words." in text
    assert "| `a` | % | 2 | 1 | 2020-2022 |" in text  # by indicator: rows, countries, years
    assert "| `value` | number | unit | Value | the value | 33.3% |" in text
    assert "| years | none: not a time series |" in text
    assert "**No_Countries.** codes \\| labels &lt;raw&gt;" in text  # escaped inside Markdown
    assert "*No reviewed notes yet: write them in `docs/datacard/no_countries.md`.*" in text
    assert "| Kazakhstan (`KAZ`) | 2 rows, 2020-2022 |" in text


def test_importing_the_card_modules_loads_neither_pandas_nor_matplotlib() -> None:
    code = ("import sys, kzegov_data.datacard, kzegov_data.figures; "
            "print(sorted(m for m in ('pandas', 'matplotlib', 'pyarrow') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
