"""Parse the World Bank classification into the ``countries`` table.

Rows with an empty Region are aggregates (WLD, ECS, HIC...) and are dropped; ``CHI`` (Channel
Islands, Jersey and Guernsey together) has no ISO 3166-1 code and is dropped too. Every other
ISO 3166-1 country is kept even where the World Bank lists no economy, with region and income group
missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from ...countries import PEER_GROUPS, iter_countries, known_iso3, overrides
from ...errors import CountryError, ParseError
from .._read import read_csv_text, require_columns
from . import FILE_NAME

COLUMNS = ["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]
#: World Bank codes of economies that have no ISO 3166-1 equivalent and are left out, with why.
NOT_ISO_ECONOMIES = {"CHI": "Channel Islands: Jersey (JEY) and Guernsey (GGY) together"}


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files -> ``{"countries": frame}``, one row per ISO 3166-1 country plus Kosovo."""
    path = paths[FILE_NAME]
    raw = read_csv_text(path, encoding="utf-8-sig")
    # Every line ends with a comma, which pandas reads as an empty unnamed last column.
    trailing = [c for c in raw.columns if str(c).startswith("Unnamed:") and (raw[c] == "").all()]
    raw = raw.drop(columns=trailing)
    require_columns(raw, COLUMNS, file=path.name)

    economies = raw[raw["Region"].str.strip() != ""]
    if economies.empty:
        msg = f"{path.name}: no economy rows (every row is an aggregate, or the file is header only)"
        raise ParseError(msg)
    codes = economies["Country Code"].str.strip()
    codes = codes.map(lambda code: overrides().get(code.casefold(), code))
    unknown = sorted(set(codes) - known_iso3() - set(NOT_ISO_ECONOMIES))
    if unknown:
        msg = (
            f"{path.name}: World Bank economy codes with no ISO 3166-1 equivalent: {unknown}. "
            "Add a reviewed override or list them in NOT_ISO_ECONOMIES with a reason."
        )
        raise CountryError(msg)
    repeated = sorted(set(codes[codes.duplicated()]))
    if repeated:
        listed = "; ".join(
            f"{code} <- {' / '.join(economies.loc[codes == code, 'Country Code'].str.strip())}" for code in repeated
        )
        msg = f"{path.name}: economies listed more than once: {listed}. Review the file and the overrides."
        raise CountryError(msg)
    classification = pd.DataFrame(
        {
            "iso3": codes,
            "wb_region": economies["Region"].str.strip(),
            "wb_income_group": economies["IncomeGroup"].str.strip().where(lambda group: group != ""),
        }
    )
    countries = pd.DataFrame(list(iter_countries()), columns=["iso3", "name", "iso_numeric"])
    table = countries.merge(classification, on="iso3", how="left", validate="one_to_one")
    for group, peer_group in PEER_GROUPS.items():
        table[group] = table["iso3"].isin(peer_group.members)
    return {"countries": table.sort_values("iso3", ignore_index=True)}
