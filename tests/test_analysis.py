"""Across sources: the indicators table and its catalogue, the panel, peer comparisons, the bundle."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import kzegov_data as kz
from kzegov_data.derived import catalogue
from kzegov_data.errors import KzegovDataError, UnknownIndicatorError

PROCESSED = Path(__file__).resolve().parents[1] / "processed"


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    return kz.load("indicators", data_dir=PROCESSED)


def test_compare_kazakhstan_egdi_2024_is_first_of_five_in_central_asia() -> None:
    table = kz.compare("KAZ", peers="central_asia", indicator="egdi", data_dir=PROCESSED).set_index("year")
    row = table.loc[2024]
    assert row["value"] == 0.90093
    assert row["rank"] == 1
    assert row["group_size"] == 5
    assert row["group_best"] == 0.90093
    assert row["group_median"] == 0.73160  # Kyrgyzstan, the middle of the five
    assert row["gap_to_median"] == pytest.approx(0.90093 - 0.73160)
    assert row["gap_to_best"] == 0
    assert list(table.index) == [2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024]


def test_compare_ranks_lower_is_better_indicators_the_other_way() -> None:
    table = kz.compare("KAZ", peers="central_asia", indicator="egdi_rank", years=2024, data_dir=PROCESSED)
    assert table["value"].item() == 24
    assert table["rank"].item() == 1
    assert table["group_best"].item() == 24


def test_compare_against_paper_comparators_includes_kazakhstan_in_the_group() -> None:
    table = kz.compare("KAZ", peers="paper_comparators", indicator="cpi_score", years=2024, data_dir=PROCESSED)
    assert table.attrs["group"] == ["BGD", "CHN", "IND", "KAZ", "KOR"]
    assert table["value"].item() == 40
    assert table["best_iso3"].item() == "KOR"


def test_itu_group_aggregate_is_population_weighted_from_counts(indicators: pd.DataFrame) -> None:
    table = kz.compare("KAZ", peers="eaeu", indicator="fixed_broadband_per100", years=2024, data_dir=PROCESSED)
    members = indicators[indicators["iso3"].isin(kz.peers("eaeu")) & indicators["year"].eq(2024)]
    wide = members.pivot_table(index="iso3", columns="indicator", values="value", observed=True)
    counts, rates = wide["fixed_broadband_subscriptions"], wide["fixed_broadband_per100"]
    expected = 100 * counts.sum() / (counts / (rates / 100)).sum()
    assert table["group_weighted"].item() == pytest.approx(expected)
    assert table["group_weighted"].item() != pytest.approx(rates.mean())
    assert "population-weighted" in table.attrs["aggregation"]
    shares = kz.compare("KAZ", peers="eaeu", indicator="internet_users_pct", years=2024, data_dir=PROCESSED)
    assert shares["group_weighted"].isna().all()
    assert "not computed" in shares.attrs["aggregation"]


@pytest.mark.parametrize(("country", "peers", "indicator"), [
    ("KAZ", "post_soviet", "cpi_score"),  # whole-number scores: ties share the best rank
    ("KAZ", "post_soviet", "egdi_rank"),  # lower is better
    ("UZB", "central_asia", "internet_users_pct"),
    ("KGZ", "eaeu", "hdi"),
])
def test_compare_agrees_with_pandas_groupby_ranks_medians_and_leaders(
    indicators: pd.DataFrame, country: str, peers: str, indicator: str,
) -> None:
    table = kz.compare(country, peers=peers, indicator=indicator, data_dir=PROCESSED)
    better = kz.indicators(data_dir=PROCESSED).set_index("id").loc[indicator, "better"]
    group = set(table.attrs["group"])
    rows = indicators[(indicators["indicator"] == indicator) & indicators["iso3"].isin(group)
                      & indicators["value"].notna()].astype({"iso3": str})
    by_year = rows.groupby("year")["value"]
    rows = rows.assign(rank=by_year.rank(method="min", ascending=better == "lower"))
    best = by_year.min() if better == "lower" else by_year.max()
    own = rows[rows["iso3"] == country].set_index("year")
    expected = pd.DataFrame({
        "rank": own["rank"], "group_median": by_year.median(), "group_best": best,
        "best_iso3": rows[rows["value"] == rows["year"].map(best)].groupby("year")["iso3"].agg(
            lambda codes: ",".join(sorted(codes))),
    }).loc[own.index].astype({"rank": "int64"})
    assert len(table) > 5
    pd.testing.assert_frame_equal(table.set_index("year")[list(expected.columns)], expected, check_names=False)
    assert (table["group_size"].to_numpy() == by_year.size().loc[table["year"]].to_numpy()).all()


def test_compare_refuses_counts_and_unknown_indicators() -> None:
    with pytest.raises(KzegovDataError, match="does not rank countries"):
        kz.compare("KAZ", peers="eaeu", indicator="mobile_cellular_subscriptions", data_dir=PROCESSED)
    with pytest.raises(UnknownIndicatorError, match=r"kz\.indicators"):
        kz.compare("KAZ", peers="eaeu", indicator="egov", data_dir=PROCESSED)


def test_panel_keys_are_unique_and_egdi_stays_on_survey_years() -> None:
    wide = kz.panel(["egdi", "cpi_score", "cpi_score_0_10", "hdi", "internet_users_pct"], data_dir=PROCESSED)
    assert not wide.duplicated(["iso3", "year"]).any()
    assert set(wide.loc[wide["egdi"].notna(), "year"]) == {2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016,
                                                          2018, 2020, 2022, 2024}
    kaz = wide[wide["iso3"].eq("KAZ")].set_index("year")
    assert kaz.loc[2024, "egdi"] == 0.90093
    assert pd.isna(kaz.loc[2023, "egdi"])  # never interpolated
    assert kaz.loc[2011, "cpi_score_0_10"] == 2.7
    assert kaz.loc[2024, "cpi_score"] == 40


def test_panel_never_mixes_the_two_cpi_scales() -> None:
    wide = kz.panel(["cpi_score", "cpi_score_0_10"], data_dir=PROCESSED)
    assert wide.loc[wide["cpi_score"].notna(), "year"].min() == 2012
    assert wide.loc[wide["cpi_score_0_10"].notna(), "year"].max() == 2011
    assert not (wide["cpi_score"].notna() & wide["cpi_score_0_10"].notna()).any()


def test_indicators_row_count_equals_the_sources_non_missing_values(indicators: pd.DataFrame) -> None:
    expected = 0
    for spec in catalogue():
        frame = kz.load(spec.table, data_dir=PROCESSED)
        if spec.selector is not None:
            column, wanted = spec.selector
            frame = frame[frame[column].astype(str) == wanted]
        count = int(frame[spec.column].notna().sum())
        assert (indicators["indicator"] == spec.id).sum() == count, spec.id
        expected += count
    assert len(indicators) == expected


def test_indicators_values_equal_their_source_tables(indicators: pd.DataFrame) -> None:
    kaz = indicators[indicators["iso3"].eq("KAZ")].set_index(["indicator", "year"])["value"]
    assert kaz[("egdi", 2003)] == 0.38661
    assert kaz[("cpi_score", 2025)] == 38
    assert kaz[("internet_users_pct", 2024)] == 93.3917
    assert kaz[("hdi", 2008)] == 0.771
    assert kaz[("wgi_control_of_corruption", 2023)] == pytest.approx(-0.266593, abs=5e-7)
    assert kaz[("wgi_government_effectiveness", 2008)] == pytest.approx(-0.524132, abs=5e-7)


def test_every_catalogue_entry_has_title_unit_source_and_description() -> None:
    catalogue = kz.indicators(data_dir=PROCESSED)
    assert catalogue["id"].is_unique
    for column in ("title", "unit", "source", "description", "years"):
        assert (catalogue[column].str.len() > 0).all(), column
    assert set(catalogue["id"]) >= {"egdi", "cpi_score", "internet_users_pct", "hdi", "wgi_control_of_corruption"}
    egdi = catalogue.set_index("id").loc["egdi"]
    assert (egdi["unit"], egdi["years"], egdi["source"]) == ("index 0-1", "2003-2024", "un_egov")


def test_catalogue_comes_from_the_table_schemas() -> None:
    from kzegov_data.sources.un_egov.schema import UnEgovSchema

    egdi_field = UnEgovSchema.to_schema().columns["egdi"]
    spec = next(s for s in catalogue() if s.id == "egdi")
    assert (spec.title, spec.description) == (egdi_field.title, egdi_field.description)


def test_itu_per_100_indicators_name_the_counts_that_weight_them() -> None:
    weights = {spec.id: spec.weighted_by for spec in catalogue() if spec.weighted_by}
    assert weights["fixed_broadband_per100"] == "fixed_broadband_subscriptions"
    assert set(weights) == {f"{name}_per100" for name in ("mobile_cellular", "mobile_broadband", "fixed_broadband",
                                                          "fixed_telephone")}
    assert kz.indicators(data_dir=PROCESSED).set_index("id").loc["egdi", "better"] == "higher"


def test_peer_groups_include_income_groups() -> None:
    upper_middle = kz.peers("income:upper_middle")
    assert "KAZ" in upper_middle
    assert "KGZ" not in upper_middle
    assert kz.peers("paper_comparators") == ["BGD", "CHN", "IND", "KOR"]
    countries = kz.load("countries", data_dir=PROCESSED)
    assert sorted(countries.loc[countries["paper_comparators"], "iso3"].astype(str)) == ["BGD", "CHN", "IND", "KOR"]


def test_bundle_holds_every_table_and_its_datapackage_validates(tmp_path: Path, release_zip: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is a test dependency (dev extra)")
    from kzegov_data.bundle import ensure_bundle

    # make data writes build/release/kzegov_data.zip (not committed); conftest wrote the same with ensure_bundle.
    target = release_zip
    assert not ensure_bundle(PROCESSED, target), "an up-to-date bundle is not rewritten"
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path)
    descriptor = json.loads((tmp_path / "kzegov_data" / "datapackage.json").read_text("utf-8"))
    for resource in descriptor["resources"]:
        assert f"kzegov_data/{resource['path']}" in names
    readme = (tmp_path / "kzegov_data" / "README.md").read_text("utf-8")
    assert "CC BY-ND 4.0" in readme
    assert "UN DESA" in readme
    # Validate the descriptor and a small table in full (the big ones take a minute each).
    small = {"un_egov", "un_egov-parquet", "countries", "countries-parquet"}
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] in small]
    (tmp_path / "kzegov_data" / "small.json").write_text(json.dumps(descriptor), "utf-8")
    report = frictionless.validate(str(tmp_path / "kzegov_data" / "small.json"))
    assert report.valid, report.flatten(["title", "message"])[:5]


def test_cli_compare_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    from kzegov_data.cli import main

    status = main(["compare", "KAZ", "--peers", "central_asia", "--indicator", "egdi", "--years", "2024",
                   "--csv", "--data-dir", str(PROCESSED)])
    assert status == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("year,iso3,value,rank,group_size,group_median,group_best,best_iso3")
    assert lines[1].startswith("2024,KAZ,0.90093,1,5,0.7316,0.90093,KAZ")


def test_cli_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    from kzegov_data.cli import main

    assert main(["indicators", "--data-dir", str(PROCESSED)]) == 0
    assert "wgi_control_of_corruption" in capsys.readouterr().out
