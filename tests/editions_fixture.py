"""A published folder in the editions layout of issue 14, made from the real current tables.

The layout is the one ``processed/`` has once every edition is published (``datapackage.json``
``editions`` lists, one ``<table>.<slug>`` resource per earlier edition in ``editions/<table>/``, and
the long ``revisions`` table), so the API, the CLI and the card can be tested before the real earlier
editions are built. The current tables are copied unchanged; each earlier edition is the current
table cut to the edition's years, with values changed by a fixed rule (``REVISED``), so every
revision a test sees is known in advance:

- ``undp_hdi`` ``HDR 2021/2022`` (1990-2021) and ``HDR 2023/2024`` (1990-2022): ``hdi`` minus 0.002
  and minus 0.001 in even years (odd years unchanged), ``hdi_rank`` recomputed on the edition's last year.
- ``wb_wgi`` ``2019 Update`` (1996-2018) and ``2021 Update`` (1996-2020): ``estimate`` plus 0.02 and
  0.01 in even years.
- ``itu_ict`` ``June 2019`` (2000-2018, the seven series of the Excel release): ``value`` times 0.99
  in even years.

Release dates are the publishers' (``released_source`` says where each is printed); the per-year
editions of ``un_egov`` and ``ti_cpi`` get dates made up for the tests (1 July of the survey year,
31 January after the CPI year).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
PROCESSED = REPO / "processed"
HERE = "tests/editions_fixture.py"

#: Per revising table: its earlier editions (oldest first) and its current edition.
EARLIER: dict[str, list[dict[str, Any]]] = {
    "undp_hdi": [
        {"name": "HDR 2021/2022", "aliases": ["HDR21-22"], "released": "2022-09-08", "last_year": 2021,
         "released_source": "UNDP press release of Human Development Report 2021/2022, 8 September 2022"},
        {"name": "HDR 2023/2024", "aliases": ["HDR23-24"], "released": "2024-03-13", "last_year": 2022,
         "released_source": "UNDP press release of Human Development Report 2023/2024, 13 March 2024"},
    ],
    "wb_wgi": [
        {"name": "2019 Update", "aliases": ["2019"], "released": "2019-09-20", "last_year": 2018,
         "released_source": "wgidataset.xlsx (2019 Update), introduction text box: 'Sept 20, 2019'"},
        {"name": "2021 Update", "aliases": ["2021"], "released": "2021-09-24", "last_year": 2020,
         "released_source": "wgidataset.xlsx (2021 Update), introduction text box: 'Sept 24, 2021'"},
    ],
    "itu_ict": [
        {"name": "June 2019", "aliases": ["June 2019"], "slug": "june-2019", "released": "2019-06-30",
         "last_year": 2018, "released_source": "file names of the ITU June 2019 Excel release", "note": ""},
    ],
}
CURRENT: dict[str, dict[str, Any]] = {
    "undp_hdi": {"name": "HDR 2025", "aliases": ["HDR25"], "released": "2025-05-06",
                 "released_source": "UNDP press release of Human Development Report 2025, 6 May 2025"},
    "wb_wgi": {"name": "2024 Update", "aliases": ["2024"], "released": "2024-09-27",
               "released_source": f"{HERE} (a date for the tests)"},
    "itu_ict": {"name": "DataHub 2025", "aliases": [], "released": "2025-12-17",
                "released_source": "download date of the ITU DataHub CSVs (by 2025-12-17)"},
}
#: The fixed revision rule per table: column changed, and (even years) the change.
REVISED = {
    "undp_hdi": ("hdi", [-0.002, -0.001]),
    "wb_wgi": ("estimate", [0.02, 0.01]),
    "itu_ict": ("value", [0.99]),
}
ITU_JUNE_2019 = ["fixed_broadband_per100", "fixed_broadband_subscriptions", "fixed_telephone_per100",
                 "fixed_telephone_subscriptions", "internet_users_pct", "mobile_cellular_per100",
                 "mobile_cellular_subscriptions"]
PER_YEAR = {"un_egov": ("E-Government Survey {year}", "{year}-07-01"), "ti_cpi": ("CPI {year}", "{next}-01-31")}


def slug_of(edition: dict[str, Any]) -> str:
    return str(edition.get("slug") or edition["aliases"][0].lower())


def earlier_frame(table: str, current: pd.DataFrame, number: int, edition: dict[str, Any]) -> pd.DataFrame:
    """The current table as an earlier edition: its years, its name, values changed by ``REVISED``."""
    column, changes = REVISED[table]
    frame = current[current["year"] <= edition["last_year"]].copy()
    if table == "itu_ict":
        frame = frame[frame["indicator"].astype(str).isin(ITU_JUNE_2019)].copy()
        frame["origin"] = "ITU June 2019 release (test fixture)"
    even = (frame["year"] % 2 == 0).to_numpy()
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    if table == "itu_ict":
        values = np.where(even, values * changes[number], values)
    else:
        values = np.where(even, np.round(values + changes[number], 5), values)
    frame[column] = values
    if table == "undp_hdi":
        last = frame["year"] == edition["last_year"]
        ranks = frame.loc[last, "hdi"].rank(method="min", ascending=False)
        frame["hdi_rank"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame.loc[last, "hdi_rank"] = ranks.astype("Int64")
    if "edition" in frame.columns:
        kind = current["edition"].dtype
        frame["edition"] = pd.Series(edition["name"], index=frame.index).astype(
            "category" if isinstance(kind, pd.CategoricalDtype) else kind)
    return frame.reset_index(drop=True)


def indicator_rows(frame: pd.DataFrame, table: str, catalogue: list[dict[str, Any]]) -> pd.DataFrame:
    """The catalogue's derivation (as for ``indicators``): one row per non-missing value."""
    parts = []
    for record in catalogue:
        if record["table"] != table:
            continue
        rows = frame
        if record["selector"] is not None:
            selector_column, wanted = record["selector"]
            rows = rows[rows[selector_column].astype(str) == wanted]
        values = rows[record["column"]].astype("Float64").astype("float64")
        keep = values.notna().to_numpy()
        parts.append(pd.DataFrame({"indicator": record["id"], "iso3": rows["iso3"].astype(str).to_numpy()[keep],
                                   "year": rows["year"].astype("int64").to_numpy()[keep],
                                   "value": values.to_numpy()[keep]}))
    return pd.concat(parts, ignore_index=True)


def revisions_table(editions: dict[str, list[tuple[dict[str, Any], pd.DataFrame]]],
                    catalogue: list[dict[str, Any]]) -> pd.DataFrame:
    parts = []
    for table, frames in editions.items():
        for edition, frame in frames:
            rows = indicator_rows(frame, table, catalogue)
            rows.insert(0, "table", table)
            rows["edition"], rows["released"] = edition["name"], edition["released"]
            parts.append(rows)
    long = pd.concat(parts, ignore_index=True)
    long = long[["table", "indicator", "iso3", "year", "edition", "released", "value"]]
    long = long.sort_values(["table", "indicator", "iso3", "year", "released"], ignore_index=True)
    grouped = long.groupby(["table", "indicator", "iso3", "year"], sort=False)
    long["previous_edition"] = grouped["edition"].shift().astype("str").where(grouped.cumcount() > 0)
    long["change"] = long["value"] - grouped["value"].shift()
    return long.astype({"table": "category", "indicator": "category", "iso3": "category", "edition": "category"})


def write(frame: pd.DataFrame, path: Path) -> dict[str, Any]:
    import hashlib

    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, compression="zstd")
    return {"bytes": path.stat().st_size, "hash": f"sha256:{hashlib.sha256(path.read_bytes()).hexdigest()}"}


def entry(edition: dict[str, Any], path: str, frame: pd.DataFrame, year: str, *, current: bool) -> dict[str, Any]:
    years = frame[year].astype("int64")
    return {"name": edition["name"], "aliases": edition["aliases"], "released": edition["released"],
            "released_source": edition["released_source"], "current": current, "path": path,
            "years": [int(years.min()), int(years.max())], "rows": len(frame),
            "countries": int(frame["iso3"].nunique()), "note": edition.get("note", "")}


def make_editions_folder(target: Path, source: Path = PROCESSED) -> Path:
    """Write the editions layout into ``target`` from the current tables of ``source``; returns ``target``."""
    descriptor = json.loads((source / "datapackage.json").read_text("utf-8"))
    resources = [resource for resource in descriptor["resources"]
                 if "edition_of" not in resource and resource["name"] != "revisions"]
    target.mkdir(parents=True, exist_ok=True)
    for resource in resources:
        resource.pop("editions", None)
        shutil.copy2(source / resource["path"], target / resource["path"])
    by_name = {resource["name"]: resource for resource in resources}
    catalogue = by_name["indicators"]["kzegov:catalogue"]
    published: dict[str, list[tuple[dict[str, Any], pd.DataFrame]]] = {}
    added = []
    for table, earlier in EARLIER.items():
        current = pd.read_parquet(source / by_name[table]["path"])
        published[table] = []
        listed = []
        for number, edition in enumerate(earlier):
            frame = earlier_frame(table, current, number, edition)
            path = f"editions/{table}/{slug_of(edition)}.parquet"
            facts = write(frame, target / path)
            own = {key: value for key, value in by_name[table].items() if key != "kzegov:catalogue"}
            years = frame["year"]
            own.update(name=f"{table}.{slug_of(edition)}", path=path, edition=edition["name"], edition_of=table,
                       **facts, **{"kzegov:rows": len(frame), "kzegov:years": f"{years.min()}-{years.max()}"})
            added.append(own)
            listed.append(entry(edition, path, frame, "year", current=False))
            published[table].append((edition, frame))
        listed.append(entry(CURRENT[table], by_name[table]["path"], current, "year", current=True))
        published[table].append((CURRENT[table], current))
        by_name[table]["editions"] = listed
    for table, (name, released) in PER_YEAR.items():
        resource = by_name[table]
        year_column = resource["kzegov:year_column"]
        frame = pd.read_parquet(source / resource["path"])
        listed = []
        for year in sorted(int(y) for y in frame[year_column].unique()):
            rows = frame[frame[year_column] == year]
            edition = {"name": name.format(year=year), "aliases": [str(year)],
                       "released": released.format(year=year, next=year + 1),
                       "released_source": f"{HERE} (a date for the tests)"}
            listed.append(entry(edition, resource["path"], rows, year_column, current=True))
        resource["editions"] = listed
    revisions = revisions_table(published, catalogue)
    fields = [{"name": name, "type": kind, "title": name, "description": name, "kzegov:unit": unit}
              for name, kind, unit in [("table", "string", "code"), ("indicator", "string", "code"),
                                       ("iso3", "string", "code"), ("year", "integer", "year"),
                                       ("edition", "string", "category"), ("released", "string", "date"),
                                       ("value", "number", "as the indicator"),
                                       ("previous_edition", "string", "category"),
                                       ("change", "number", "as the indicator")]]
    added.append({
        **{key: by_name["indicators"][key] for key in ("licenses", "sources", "kzegov:citation")},
        "name": "revisions", "path": "revisions.parquet", "format": "parquet",
        "mediatype": "application/vnd.apache.parquet", **write(revisions, target / "revisions.parquet"),
        "title": "Every edition's value of every indicator of the revising sources",
        "description": "One row per table, indicator, country, year and edition (test fixture).",
        "schema": {"fields": fields, "primaryKey": ["table", "indicator", "iso3", "year", "edition"]},
        "kzegov:source": "revisions", "kzegov:rows": len(revisions),
        "kzegov:years": f"{revisions['year'].min()}-{revisions['year'].max()}", "kzegov:year_column": "year",
        "kzegov:raw_files": [],
    })
    descriptor["resources"] = sorted([*by_name.values(), *added], key=lambda resource: resource["name"])
    (target / "datapackage.json").write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
    return target
