"""The guards every published table shares: finite, plausible numbers, inert text, a readable summary.

Runs on the synthetic sources (``tests/synthetic``), no mirror needed: a parsed synthetic table with
one impossible value or one formula-looking text must fail validation, and the message must name the
column, the check, the value and the row (ISO3, year and, in long tables, the indicator). The
bounds come from the schema modules, where each is defined once.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
import pytest

from conftest import parse_source, source_paths, validate_table
from kzegov_data import derived, registry, schemas
from kzegov_data.errors import SchemaValidationError
from kzegov_data.sources.itu import schema as itu_schema
from kzegov_data.sources.ti_cpi import schema as cpi_schema
from kzegov_data.sources.undp_hdr import schema as hdi_schema
from kzegov_data.sources.wb_wgi import schema as wgi_schema
from synthetic import itu as synthetic_itu

INF, MINUS_INF, HUGE = float("inf"), float("-inf"), 1e300
FORMULAS = ["=cmd|'/c calc'!A1", '=HYPERLINK("http://x","y")', "+1", "-2+3", "@SUM(A1)", "\tfoo", "\rfoo"]


@pytest.fixture(scope="module")
def tables(synthetic_mirror: Path) -> dict[str, pd.DataFrame]:
    """Every published table, parsed from the synthetic sources and validated, plus ``indicators``."""
    validated = {}
    for source_id in registry.source_ids():
        for table, frame in parse_source(source_id, source_paths(synthetic_mirror, source_id)).items():
            validated[table] = validate_table(table, frame)
    validated[derived.TABLE] = validate_table(derived.TABLE, derived.build_indicators(validated))
    return validated


def every_model() -> Iterator[Any]:
    for source_id in registry.source_ids():
        yield from registry.table_models(source_id).values()
    yield derived.IndicatorsSchema


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose categoricals are plain columns again (as ``kzegov-data validate`` reads them)."""
    copy = frame.copy()
    for column in copy.columns:
        if isinstance(copy[column].dtype, pd.CategoricalDtype):
            copy[column] = copy[column].astype(copy[column].cat.categories.dtype)
    return copy


def rejected(table: str, frame: pd.DataFrame) -> str:
    with pytest.raises(SchemaValidationError) as error:
        validate_table(table, frame)
    return str(error.value)


def line_of(message: str, check: str) -> str:
    """The one summary line of ``check`` (failing if it is missing or listed twice)."""
    lines = [line for line in message.splitlines() if f"  {check}  " in line]
    assert len(lines) == 1, f"{check!r} on {len(lines)} lines of:\n{message}"
    return lines[0]


def where(frame: pd.DataFrame, **key: object) -> pd.Series:
    match = pd.Series(True, index=frame.index)
    for column, wanted in key.items():
        match &= frame[column].astype(str) == str(wanted)
    assert match.sum() == 1, f"{key}: {int(match.sum())} rows"
    return match


# --- Finite, plausible numbers ---------------------------------------------------------------------

KAZ_COUNT = {"iso3": "KAZ", "year": 2024, "indicator": "mobile_cellular_subscriptions"}
KAZ_CPI = {"iso3": "KAZ", "year": 2025}
KAZ_WGI = {"iso3": "KAZ", "year": 2023, "indicator": "control_of_corruption"}
KAZ_HDI = {"iso3": "KAZ", "year": 2023}
KAZ_INTERNET = {"iso3": "KAZ", "year": 2024, "indicator": "internet_users_pct"}

#: (table, column, row, value, the check that must name it). inf and -inf always fail the finite
#: guard (a bound alone would let one of them through); 1e300 fails the column's ceiling.
IMPOSSIBLE = [
    ("itu_ict", "value", KAZ_COUNT, INF, schemas.FINITE_CHECK),
    ("itu_ict", "value", KAZ_COUNT, MINUS_INF, schemas.FINITE_CHECK),
    ("itu_ict", "value", KAZ_COUNT, HUGE, f"less_than({itu_schema.COUNT_BELOW})"),
    ("ti_cpi", "standard_error", KAZ_CPI, INF, schemas.FINITE_CHECK),
    ("ti_cpi", "standard_error", KAZ_CPI, MINUS_INF, schemas.FINITE_CHECK),
    ("ti_cpi", "standard_error", KAZ_CPI, HUGE, f"less_than_or_equal_to({cpi_schema.MAX_STANDARD_ERROR})"),
    ("ti_cpi", "ci_upper", KAZ_CPI, HUGE, f"less_than_or_equal_to({cpi_schema.SCALE_MAXIMUM['0-100']})"),
    ("wb_wgi", "standard_error", KAZ_WGI, INF, schemas.FINITE_CHECK),
    ("wb_wgi", "standard_error", KAZ_WGI, MINUS_INF, schemas.FINITE_CHECK),
    ("wb_wgi", "standard_error", KAZ_WGI, HUGE, f"less_than_or_equal_to({wgi_schema.MAX_STANDARD_ERROR})"),
    ("undp_hdi", "hdi", KAZ_HDI, INF, schemas.FINITE_CHECK),
    ("undp_hdi", "hdi", KAZ_HDI, MINUS_INF, schemas.FINITE_CHECK),
    ("undp_hdi", "hdi", KAZ_HDI, HUGE, "less_than_or_equal_to(1)"),
    ("undp_hdi", "gni_per_capita", KAZ_HDI, HUGE, f"less_than_or_equal_to({hdi_schema.MAX_GNI_PER_CAPITA})"),
    ("indicators", "value", KAZ_INTERNET, INF, schemas.FINITE_CHECK),
    ("indicators", "value", KAZ_INTERNET, MINUS_INF, schemas.FINITE_CHECK),
]


@pytest.mark.parametrize(
    ("table", "column", "key", "value", "check"), IMPOSSIBLE,
    ids=[f"{table}.{column}={value}" for table, column, _, value, _ in IMPOSSIBLE],
)
def test_an_impossible_number_is_rejected_naming_column_check_value_and_row(
    tables: dict[str, pd.DataFrame], table: str, column: str, key: dict[str, object], value: float, check: str
) -> None:
    broken = plain(tables[table])
    broken.loc[where(broken, **key), column] = value
    line = line_of(rejected(table, broken), check)
    assert line.startswith(f"{column} ")
    assert " ".join(str(part) for part in key.values()) in line
    assert str(value) in line
    assert line.rstrip().endswith(" 1")  # one failing row


def test_missing_values_stay_allowed_where_the_column_is_nullable(tables: dict[str, pd.DataFrame]) -> None:
    holed = plain(tables["wb_wgi"])
    holed.loc[where(holed, **KAZ_WGI), list(wgi_schema.MEASURES.values())] = np.nan
    validate_table("wb_wgi", holed)


def test_the_real_maxima_are_below_the_bounds() -> None:
    """The bounds are sanity limits far above the publishers' largest values (measured on processed/)."""
    assert 1.87e9 < itu_schema.COUNT_BELOW
    assert 12.81 < cpi_schema.MAX_STANDARD_ERROR
    assert 1.06 < wgi_schema.MAX_STANDARD_ERROR
    assert 20 < wgi_schema.MAX_SOURCES
    assert 175_851.4863 < hdi_schema.MAX_GNI_PER_CAPITA


# --- Formula-looking text ------------------------------------------------------------------------

TEXT_CELLS = [
    ("un_egov", "country", {"iso3": "KAZ", "survey_year": 2024}),
    ("itu_ict", "country", KAZ_COUNT),
    ("itu_ict", "note", KAZ_COUNT),
]


@pytest.mark.parametrize("text", FORMULAS, ids=repr)
@pytest.mark.parametrize(("table", "column", "key"), TEXT_CELLS, ids=[f"{t}.{c}" for t, c, _ in TEXT_CELLS])
def test_formula_looking_text_is_rejected_with_the_row_named(
    tables: dict[str, pd.DataFrame], table: str, column: str, key: dict[str, object], text: str
) -> None:
    broken = plain(tables[table])
    broken.loc[where(broken, **key), column] = text
    line = line_of(rejected(table, broken), schemas.FORMULA_CHECK)
    assert line.startswith(f"{column} ")
    assert f"{' '.join(str(part) for part in key.values())}: {column}={text!r}" in line


def test_text_with_those_characters_inside_is_fine(tables: dict[str, pd.DataFrame]) -> None:
    fine = plain(tables["itu_ict"])
    fine.loc[where(fine, **KAZ_COUNT), "note"] = "Guinea-Bissau: 1+1 = 2 @ITU\tnote"
    fine.loc[where(fine, **KAZ_INTERNET), "note"] = pd.NA
    validate_table("itu_ict", fine)


def test_itu_bare_dash_footnote_is_no_footnote(tmp_path: Path) -> None:
    """ITU writes '-' for "no footnote" (Myanmar fixed broadband 2021-2022); the note is the source alone."""
    paths = synthetic_itu.write(tmp_path)
    mobile = paths[synthetic_itu.MOBILE]
    source = "Ministry of Digital Development Innovation and Aerospace Industry of the Republic of Kazakhstan"
    text = mobile.read_bytes().decode("utf-8")
    assert text.count(f'"","{source}"') == 1  # the count row of Kazakhstan 2018
    mobile.write_bytes(text.replace(f'"","{source}"', f'" - ","{source}"').encode("utf-8"))
    table = validate_table("itu_ict", parse_source("itu", paths)["itu_ict"])
    for indicator in ("mobile_cellular_subscriptions", "mobile_cellular_per100"):
        row = where(table, iso3="KAZ", year=2018, indicator=indicator)
        assert table.loc[row, "note"].item() == f"Source: {source}"


# --- Every published table has the guards ---------------------------------------------------------


@pytest.mark.parametrize("model", list(every_model()), ids=schemas.table_name)
def test_every_published_table_has_the_inf_and_formula_guards(model: type[pa.DataFrameModel]) -> None:
    assert issubclass(model, schemas.CountryTable)
    checks = [check.name for check in model.to_schema().checks]
    assert checks.count(schemas.FINITE_CHECK) == 1
    assert checks.count(schemas.FORMULA_CHECK) == 1


@pytest.mark.parametrize("model", list(every_model()), ids=schemas.table_name)
def test_every_published_table_rejects_inf_and_a_formula_in_its_columns(
    tables: dict[str, pd.DataFrame], model: type[pa.DataFrameModel]
) -> None:
    table = schemas.table_name(model)
    broken = plain(tables[table])
    texts = [c for c in schemas.text_columns(broken) if c != "iso3"]
    floats = schemas.float_columns(broken)
    if texts:
        broken.loc[broken.index[0], texts[-1]] = "=1+1"
    if floats:
        broken.loc[broken.index[-1], floats[-1]] = MINUS_INF
    message = rejected(table, broken) if texts or floats else ""
    if texts:
        assert line_of(message, schemas.FORMULA_CHECK).startswith(texts[-1])
    if floats:
        assert line_of(message, schemas.FINITE_CHECK).startswith(floats[-1])


# --- The summary: one line per failing check -------------------------------------------------------


def wgi_with_many_failures(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """wb_wgi with a dataframe-wide check failing on 40 rows (and so on every column of them)."""
    broken = plain(tables["wb_wgi"])
    measured = broken.index[broken["percentile_rank"].notna()][:40]
    broken.loc[measured, "percentile_rank_lower"] = broken.loc[measured, "percentile_rank"] + 1
    broken.loc[measured[:3], "percentile_rank"] = 101.0  # and a column check
    broken.loc[measured[:2], "country"] = "@SUM(A1)"  # and a cell-wise guard
    return broken


def test_a_dataframe_wide_check_over_many_rows_is_one_line_with_a_count(tables: dict[str, pd.DataFrame]) -> None:
    message = rejected("wb_wgi", wgi_with_many_failures(tables))
    line = line_of(message, "percentile_rank_lower <= percentile_rank <= percentile_rank_upper")
    assert line.startswith(schemas.ROWS)
    assert line.rstrip().endswith(" 40")
    assert line_of(message, "less_than_or_equal_to(100)").rstrip().endswith(" 3")
    assert line_of(message, schemas.FORMULA_CHECK).rstrip().endswith(" 2")
    assert len(message.splitlines()) == 2 + 3  # the title, the header and one line per failing check


def test_the_summary_does_not_depend_on_the_order_of_pandera_failure_cases(tables: dict[str, pd.DataFrame]) -> None:
    broken = wgi_with_many_failures(tables)
    with pytest.raises(pa.errors.SchemaErrors) as errors:
        wgi_schema.WbWgiSchema.validate(broken, lazy=True)
    cases = errors.value.failure_cases
    keys = schemas.primary_key(wgi_schema.WbWgiSchema)
    summary = schemas.summarise_failures(cases, broken, keys=keys)
    for seed in (1, 2, 3):
        shuffled = cases.sample(frac=1, random_state=seed)
        assert schemas.summarise_failures(shuffled, broken, keys=keys) == summary
    first_rows = broken.index[broken["percentile_rank"].notna()][:2]
    first_keys = [" ".join(str(broken.loc[i, c]) for c in keys) for i in first_rows]
    assert "; ".join(first_keys) in summary  # examples in table order


def test_a_repeated_row_is_one_line_showing_its_key_once(tables: dict[str, pd.DataFrame]) -> None:
    wgi = plain(tables["wb_wgi"])
    doubled = pd.concat([wgi, wgi[where(wgi, **KAZ_WGI)]], ignore_index=True)
    line = line_of(rejected("wb_wgi", doubled), "multiple_fields_uniqueness")
    assert line.split()[:3] == ["iso3", "multiple_fields_uniqueness", "KAZ"]
    assert line.count("KAZ 2023 control_of_corruption") == 1
    assert line.rstrip().endswith(" 2")


def test_the_full_report_keeps_every_failure_case(tables: dict[str, pd.DataFrame], tmp_path: Path) -> None:
    with pytest.raises(SchemaValidationError, match="full report"):
        schemas.validate(wgi_schema.WbWgiSchema, wgi_with_many_failures(tables), report_dir=tmp_path)
    report = pd.read_csv(tmp_path / "wb_wgi.csv")
    assert len(report) > 40 * 6  # the row check once per column of each failing row, as pandera lists it


# --- The real tables ---------------------------------------------------------------------------------


@pytest.mark.mirror
@pytest.mark.parametrize("source_id", registry.source_ids())
def test_the_real_tables_pass_the_guards(mirror: Path, source_id: str) -> None:
    for table, frame in parse_source(source_id, source_paths(mirror, source_id)).items():
        validated = validate_table(table, frame)
        for column in schemas.text_columns(validated):
            assert not validated[column].str.startswith(schemas.FORMULA_PREFIXES, na=False).any(), column


def test_the_inherited_check_names_do_not_depend_on_which_model_was_built_first() -> None:
    """pandera pops a check's ``name=`` when it first builds a model; the base's checks are named otherwise."""
    for model in every_model():
        model.to_schema()

    class Late(schemas.CountryTable):
        pass

    schema = Late.to_schema()
    assert [check.name for check in schema.columns["iso3"].checks][-1] == schemas.KNOWN_ISO3_CHECK
    assert [check.name for check in schema.checks] == [schemas.FINITE_CHECK, schemas.FORMULA_CHECK]


# --- The derived indicators table --------------------------------------------------------------------


def straightforward_indicators(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One frame per catalogue entry, concatenated, sorted by the key (what the build does on codes)."""
    parts = []
    for spec in derived.catalogue():
        frame = tables[spec.table]
        if spec.selector is not None:
            frame = frame[frame[spec.selector[0]].astype(str) == spec.selector[1]]
        year = schemas.year_column(registry.table_models(derived.source_of_tables()[spec.table])[spec.table])
        part = pd.DataFrame({
            "iso3": frame["iso3"].astype(str), "year": frame[year].astype("int64"), "indicator": spec.id,
            "value": frame[spec.column].astype("Float64").astype("float64"), "unit": spec.unit,
            "source": derived.source_of_tables()[spec.table], "table": spec.table,
        })
        parts.append(part[part["value"].notna()])
    return pd.concat(parts, ignore_index=True).sort_values(["iso3", "year", "indicator"], ignore_index=True)


def test_indicators_hold_every_non_missing_source_value_once_sorted_by_country_year_indicator(
    tables: dict[str, pd.DataFrame],
) -> None:
    # The table the build derives from integer codes: the same rows, values and dtypes.
    expected = straightforward_indicators(tables)
    pd.testing.assert_frame_equal(derived.build_indicators(tables), expected, check_exact=True)


def test_an_indicator_whose_selected_rows_are_absent_has_no_rows_and_the_others_keep_theirs(
    tables: dict[str, pd.DataFrame],
) -> None:
    # A selector is matched on the codes of its column: a value the column does not hold selects
    # nothing (an edition without one of ITU's indicators), and every other indicator is unchanged.
    spec = next(spec for spec in derived.catalogue() if spec.selector is not None)
    column, wanted = spec.selector or ("", "")
    frame = tables[spec.table]
    without = {**tables, spec.table: frame[frame[column].astype(str) != wanted].reset_index(drop=True)}
    built = derived.build_indicators(without)
    assert spec.id not in set(built["indicator"])
    assert spec.id in set(derived.build_indicators(tables)["indicator"])
    pd.testing.assert_frame_equal(built, straightforward_indicators(without), check_exact=True)


@pytest.mark.parametrize("column", ["unit", "table"])
def test_an_indicator_row_that_contradicts_the_catalogue_is_rejected_naming_its_key(
    tables: dict[str, pd.DataFrame], column: str
) -> None:
    broken = plain(tables[derived.TABLE])
    broken.loc[where(broken, **KAZ_INTERNET), column] = "un_egov"
    line = line_of(rejected(derived.TABLE, broken), "indicator, unit and table as the catalogue says")
    assert "KAZ 2024 internet_users_pct" in line
    assert line.rstrip().endswith(" 1")


def test_only_the_reviewed_cell_is_exempt_not_its_neighbours_of_the_same_country_and_year() -> None:
    anomaly = schemas.Anomaly("itu_ict", "FJI", 2018, "mobile_cellular_per100", "value", "285.6", "reviewed")
    frame = pd.DataFrame({
        "iso3": ["FJI", "FJI", "FJI", "FJI", "TON"],
        "year": [2018, 2018, 2018, 2019, 2018],
        "indicator": ["mobile_cellular_per100", "mobile_cellular_per100", "fixed_telephone_per100",
                      "mobile_cellular_per100", "mobile_cellular_per100"],
        "value": [285.64, 285.66, 285.6, 285.6, 285.6],
    })
    exempt = schemas.reviewed(frame, [anomaly], "itu_ict", "value")
    assert exempt.tolist() == [True, False, False, False, False]
    assert not schemas.reviewed(frame, [anomaly], "itu_ict", "other_column").any()
