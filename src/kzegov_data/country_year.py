"""The country-year file: the package's "standard dataset" (as the Quality of Government dataset has one).

One row per country and year in which any indicator has a value; one column per indicator id (in the
catalogue's order), beside the country's ISO3 code, name, World Bank region, the World Bank income
group *of that year* and the peer-group flags. It is a reshape of the published ``indicators`` table
and nothing else: EGDI stays on its survey years (never interpolated), the two CPI scales stay two
columns, and :func:`check_against_indicators` proves that every value is one of ``indicators`` and
that none is lost or invented.

Income groups follow :class:`kzegov_data.api.IncomeClassification`: each year's historical
classification (``income_history``: the groups based on year Y's income, those of fiscal year
FY(Y+2)), the current one (``countries``) after the history ends, none before it starts; the column
``income_classification`` says which for every row.

>>> frame = build_country_year(PROCESSED)                               # doctest: +SKIP
>>> frame.set_index(["iso3", "year"]).loc[("KAZ", 2024), "egdi"]        # doctest: +SKIP
np.float64(0.90093)
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import countries as country_codes

if TYPE_CHECKING:
    import pandas as pd

STEM = "country_year"
#: The columns before the indicators, in order. Peer flags follow ``wb_income_group``.
COUNTRY_COLUMNS = ("iso3", "name", "wb_region", "wb_income_group", "income_classification")
YEAR = "year"
#: Stata's limit on a variable label.
LABEL_LIMIT = 80
INCOME_LABEL = "World Bank income group in that year"


class CountryYearMismatchError(AssertionError):
    """The country-year frame does not hold exactly the values of ``indicators``: a bug of ours."""


def peer_flags() -> list[str]:
    return list(country_codes.PEER_GROUPS)


def identifier_columns() -> list[str]:
    return [*COUNTRY_COLUMNS[:4], *peer_flags(), COUNTRY_COLUMNS[4], YEAR]


def catalogue(processed_dir: Path) -> dict[str, dict[str, Any]]:
    from .analysis import published_catalogue

    return published_catalogue(processed_dir)


def read_table(processed_dir: Path, table: str, columns: list[str] | None = None) -> pd.DataFrame:
    from .api import published_tables, read_arrow

    return read_arrow(processed_dir, published_tables(processed_dir)[table], columns).to_pandas()


def build_country_year(processed_dir: Path) -> pd.DataFrame:
    """The country-year frame of the tables published in ``processed_dir``, checked against ``indicators``."""
    import pandas as pd

    ids = list(catalogue(processed_dir))
    long = read_table(processed_dir, "indicators", ["iso3", "year", "indicator", "value"])
    long["iso3"] = long["iso3"].astype(str)
    long["indicator"] = long["indicator"].astype(str)
    # pivot, not pivot_table: a duplicated (iso3, year, indicator) must fail, not be averaged.
    wide = long.pivot(index=["iso3", "year"], columns="indicator", values="value")  # noqa: PD010
    wide = wide.reindex(columns=ids).reset_index()
    wide.columns.name = None
    known = read_table(processed_dir, "countries", ["iso3", "name", "wb_region", *peer_flags()])
    known["iso3"] = known["iso3"].astype(str)
    unknown = sorted(set(wide["iso3"]) - set(known["iso3"]))
    if unknown:
        msg = f"indicators has countries the countries table does not: {unknown}"
        raise CountryYearMismatchError(msg)
    frame = wide.merge(known, on="iso3", how="left", validate="many_to_one")
    groups, labels = income_groups(processed_dir, frame["iso3"], frame[YEAR])
    frame["wb_income_group"] = groups
    frame["income_classification"] = labels
    frame[YEAR] = frame[YEAR].astype("int64")
    for column in ("name", "wb_region", "wb_income_group", "income_classification"):
        frame[column] = frame[column].astype(pd.StringDtype(na_value=pd.NA)).astype("str")
    frame = frame[[*identifier_columns(), *ids]].sort_values(["iso3", YEAR], ignore_index=True)
    check_against_indicators(frame, long, ids)
    return frame


def income_groups(processed_dir: Path, iso3: pd.Series, years: pd.Series) -> tuple[list[str | None], list[str]]:
    """Each row's income group in its year, and which classification gave it (a fiscal year such as
    ``"FY23"``, ``"current"`` or ``"none"``)."""
    from .api import income_classification

    classification = income_classification(processed_dir)
    by_year: dict[int, tuple[Mapping[str, str], str]] = {}
    for year in sorted({int(year) for year in years}):
        if not classification.history or year > max(classification.history):
            by_year[year] = classification.current, "current"
        elif year in classification.history:
            fiscal_year, members = classification.history[year]
            by_year[year] = members, fiscal_year
        else:
            by_year[year] = {}, "none"
    groups, labels = [], []
    for code, year in zip(iso3.tolist(), years.tolist(), strict=True):
        members, label = by_year[int(year)]
        groups.append(members.get(code))
        labels.append(label)
    return groups, labels


def check_against_indicators(frame: pd.DataFrame, long: pd.DataFrame, ids: list[str]) -> None:
    """Every value of ``frame`` is the value ``indicators`` has for its country, year and indicator,
    every value of ``indicators`` is in ``frame``, and every row has at least one value."""
    back = frame.melt(id_vars=["iso3", YEAR], value_vars=ids, var_name="indicator").dropna(subset=["value"])
    back = back.sort_values(["iso3", YEAR, "indicator"], ignore_index=True)
    original = long.sort_values(["iso3", "year", "indicator"], ignore_index=True)
    if len(back) != len(original):
        msg = f"the country-year file holds {len(back)} values, indicators {len(original)}"
        raise CountryYearMismatchError(msg)
    for column in ("iso3", YEAR, "indicator"):
        if not (back[column].to_numpy() == original[column].to_numpy()).all():
            msg = f"the country-year file's {column} column does not match indicators"
            raise CountryYearMismatchError(msg)
    differs = back["value"].to_numpy() != original["value"].to_numpy()
    if differs.any():
        row = back[differs].iloc[0]
        msg = (f"the country-year file gives {row['indicator']} of {row['iso3']} {row[YEAR]} as {row['value']!r}, "
               f"indicators as {original.loc[differs.argmax(), 'value']!r}")
        raise CountryYearMismatchError(msg)
    empty = frame[ids].isna().all(axis=1)
    if empty.any():
        msg = f"the country-year file has {int(empty.sum())} row(s) without any value"
        raise CountryYearMismatchError(msg)


def column_descriptions(processed_dir: Path) -> dict[str, str]:
    """A full description of every column: the countries table's own field descriptions for the
    columns taken from it, the catalogue's title, unit and description for every indicator."""
    from .api import published_tables

    fields = {field["name"]: field.get("description", "")
              for field in published_tables(processed_dir)["countries"]["schema"]["fields"]}
    described = {column: fields.get(column, "") for column in identifier_columns()}
    described["wb_income_group"] = (f"{INCOME_LABEL}: the historical classification based on that year's income "
                                    "(fiscal year FY(year+2)), the current one after the history ends, missing "
                                    "before it starts (see income_classification).")
    described["income_classification"] = ("Which World Bank classification gave wb_income_group: the fiscal year of "
                                           "the historical one (FY89-FY23), current, or none.")
    described[YEAR] = "Calendar year the values refer to (EGDI: the survey year; CPI: the edition)."
    for indicator, entry in catalogue(processed_dir).items():
        described[indicator] = f"{entry['title']} ({entry['unit']}). {entry['description']}"
    return described


def variable_labels(processed_dir: Path) -> dict[str, str]:
    """Short labels (at most 80 characters, Stata's limit): an indicator's title and unit."""
    labels = dict(column_descriptions(processed_dir))
    labels["wb_income_group"] = INCOME_LABEL
    labels["income_classification"] = "Classification of wb_income_group (fiscal year, current or none)"
    for indicator, entry in catalogue(processed_dir).items():
        labels[indicator] = f"{entry['title']} ({entry['unit']})"
    return {column: shorten(label) for column, label in labels.items()}


def shorten(label: str, limit: int = LABEL_LIMIT) -> str:
    """``label`` cut at a word to fit ``limit`` characters, with an ellipsis where it was cut."""
    if len(label) <= limit:
        return label
    return label[: limit - 3].rsplit(" ", 1)[0].rstrip(" ,;(") + "..."


def stata_names(processed_dir: Path) -> dict[str, str]:
    """Each column's Stata name: an indicator's declared ``stata_name``, else the column itself."""
    from .schemas import STATA_NAME

    names = {column: column for column in identifier_columns()}
    for indicator, entry in catalogue(processed_dir).items():
        names[indicator] = entry.get("stata_name") or indicator
    invalid = sorted(name for name in names.values() if not STATA_NAME.fullmatch(name))
    if invalid or len(set(names.values())) != len(names):
        msg = (f"the catalogue in {processed_dir} gives no valid, distinct Stata names ({invalid or 'repeated'}); "
               "it predates stata_name: rebuild it (kzegov-data build --force)")
        raise CountryYearMismatchError(msg)
    return names
