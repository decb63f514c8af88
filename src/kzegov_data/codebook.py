"""The codebook: every variable of the country-year file with what a user needs before using it.

Generated from the published catalogue and ``datapackage.json`` (never kept by hand): per indicator
its id and Stata name, title, unit, description, source table and publisher, licence and whether it
is open, citation, years, how many countries have a value, and the caveat its source declares; the
identifier columns (country, region, income group, peer flags, year) come first. Written as Markdown
(for people) and CSV (for programs).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

COLUMNS = ("variable", "stata_name", "kind", "title", "unit", "description", "table", "source", "licence",
           "licence_url", "open", "citation", "years", "countries", "caveat")


def codebook_frame(processed_dir: Path) -> pd.DataFrame:
    """One row per column of the country-year file, identifiers first, then indicators in catalogue order."""
    import pandas as pd

    from . import country_year
    from .api import published_tables

    resources = published_tables(processed_dir)
    described = country_year.column_descriptions(processed_dir)
    labels = country_year.variable_labels(processed_dir)
    names = country_year.stata_names(processed_dir)
    coverage = countries_per_indicator(processed_dir)
    countries = resources["countries"]
    rows: list[dict[str, Any]] = []
    for column in country_year.identifier_columns():
        rows.append({
            "variable": column, "stata_name": names[column], "kind": "identifier", "title": labels[column],
            "unit": "", "description": described[column], "table": "countries", **licence_facts(countries),
            "years": "", "countries": None, "caveat": "",
        })
    for indicator, entry in country_year.catalogue(processed_dir).items():
        resource = resources[entry["table"]]
        rows.append({
            "variable": indicator, "stata_name": names[indicator], "kind": "indicator", "title": entry["title"],
            "unit": entry["unit"], "description": entry["description"], "table": entry["table"],
            **licence_facts(resource), "years": entry.get("years", ""), "countries": coverage.get(indicator, 0),
            "caveat": entry.get("caveat", ""),
        })
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["countries"] = frame["countries"].astype("Int64")
    return frame


def licence_facts(resource: dict[str, Any]) -> dict[str, Any]:
    licence = resource["licenses"][0]
    return {"source": resource["kzegov:source"], "licence": licence["name"], "licence_url": licence["path"],
            "open": bool(licence.get("kzegov:open")), "citation": resource["kzegov:citation"]}


def countries_per_indicator(processed_dir: Path) -> dict[str, int]:
    from .country_year import read_table

    long = read_table(processed_dir, "indicators", ["iso3", "indicator"])
    counted = long.groupby("indicator", observed=True)["iso3"].nunique()
    return {str(indicator): int(count) for indicator, count in counted.items()}


def codebook_csv(processed_dir: Path, frame: pd.DataFrame | None = None) -> bytes:
    """The codebook as UTF-8 CSV with ``\\n`` line ends."""
    buffer = io.StringIO()
    (codebook_frame(processed_dir) if frame is None else frame).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def codebook_markdown(processed_dir: Path, frame: pd.DataFrame | None = None) -> str:
    """The codebook as Markdown: an overview table, then one section per indicator."""
    frame = codebook_frame(processed_dir) if frame is None else frame
    lines = [
        "# kzegov_data codebook: the country-year file",
        "",
        "One row per country and year (`iso3`, `year`), one column per indicator. Values are the publishers' "
        "own, as in the `indicators` table; a missing value means the source has none for that country and "
        "year (EGDI exists for survey years only; `cpi_score` from 2012, `cpi_score_0_10` to 2011). Each "
        "indicator keeps its source's licence: check `licence` and `open` before redistributing. In Stata "
        "files a variable is named `stata_name`.",
        "",
        "## Identifiers",
        "",
        "| variable | description |",
        "|---|---|",
    ]
    records = frame.to_dict("records")
    lines += [f"| `{row['variable']}` | {cell(row['description'])} |" for row in records if row["kind"] == "identifier"]
    indicators = [row for row in records if row["kind"] == "indicator"]
    lines += ["", "## Indicators", "", "| variable | Stata name | title | unit | years | countries | licence |",
              "|---|---|---|---|---|---:|---|"]
    lines += [
        f"| [`{row['variable']}`](#{row['variable']}) | `{row['stata_name']}` | {cell(row['title'])} | "
        f"{cell(row['unit'])} | {row['years']} | {row['countries']} | {cell(row['licence'])}"
        f"{'' if row['open'] else ' (not open)'} |"
        for row in indicators
    ]
    for row in indicators:
        lines += [
            "", f"### {row['variable']}", "",
            f"**{row['title']}** ({row['unit']}). {row['description']}", "",
            f"- Stata name: `{row['stata_name']}`; table `{row['table']}` (source `{row['source']}`); "
            f"years {row['years']}; countries with a value: {row['countries']}.",
            f"- Caveat: {row['caveat'] or 'none declared.'}",
            f"- Licence: [{row['licence']}]({row['licence_url']}){'' if row['open'] else ' (not an open licence)'}.",
            f"- Cite: {row['citation']}",
        ]
    return "\n".join(lines) + "\n"


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")
