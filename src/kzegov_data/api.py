"""The public functions: ``load``, ``tables``, ``peers``. Reads the published tables only."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import countries as country_codes
from .errors import DamagedTableError, InvalidArgumentError, UnknownTableError
from .publish import readable_folder, table_resources, year_column

if TYPE_CHECKING:
    import pandas as pd


def resolve_data_dir(explicit: str | Path | None = None) -> Path:
    """Where the published tables are read from.

    ``explicit`` argument, else ``KZEGOV_DATA_DIR``, else the tables shipped inside the installed
    package, else ``processed/`` of the source checkout this module runs from.
    """
    if explicit or os.environ.get("KZEGOV_DATA_DIR"):
        return readable_folder(Path(explicit or os.environ["KZEGOV_DATA_DIR"]))
    package = Path(__file__).resolve().parent
    shipped = package / "processed"
    if (shipped / "datapackage.json").is_file():
        return shipped
    return readable_folder(package.parent.parent / "processed")


def load(
    table: str,
    countries: str | Iterable[str] | None = None,
    years: int | Iterable[int] | None = None,
    *,
    data_dir: str | Path | None = None,
) -> pd.DataFrame:
    """A published table as a pandas DataFrame (codes as categoricals, nullable integers).

    ``countries``: ISO3 codes, country names, or a peer group (``"central_asia"``, ``"eaeu"``,
    ``"post_soviet"``, ``"paper_comparators"``, ``"income:upper_middle"``...). ``years``: one year or
    several (matched against the table's year column, ``year`` or ``survey_year``).

    ``ti_cpi`` holds two scales that must never be mixed: 0-10 and relative to each year's countries
    up to 2011, 0-100 and comparable over time from 2012. Select the comparable series with
    ``cpi = kz.load("ti_cpi"); cpi[cpi["scale"] == "0-100"]`` (or the indicator ``cpi_score`` of
    ``kz.panel``).

    >>> import kzegov_data as kz
    >>> egov = kz.load("un_egov", countries="central_asia", years=range(2020, 2025))
    >>> egov.loc[egov.iso3.eq("KAZ") & egov.survey_year.eq(2024), "egdi"].item()
    0.90093
    """
    import pandas as pd

    folder = resolve_data_dir(data_dir)
    resources = table_resources(folder)
    if table not in resources:
        msg = f"unknown table {table!r}; published tables: {', '.join(sorted(resources))}"
        raise UnknownTableError(msg)
    resource = resources[table]
    filters: list[tuple[str, str, Any]] = []
    if countries is not None:
        filters.append(("iso3", "in", resolve_countries(countries, data_dir=folder)))
    if years is not None:
        column = year_column(resource)
        if column is None:
            msg = f"table {table!r} has no year column; drop the years argument"
            raise InvalidArgumentError(msg)
        filters.append((column, "in", [years] if isinstance(years, int) else list(years)))
    path = folder / resource["path"]
    try:
        return pd.read_parquet(path, filters=filters or None)
    except FileNotFoundError:
        problem = "the file is missing"
    except (OSError, ValueError) as error:  # pyarrow's ArrowInvalid is a ValueError
        problem = f"it cannot be read: {' '.join(str(error).split())[:160]}"
    msg = (f"published table {table!r} is damaged: {path} ({problem}); restore it (git checkout -- "
           f"processed/) or rebuild it: kzegov-data build --force")
    raise DamagedTableError(msg)


def tables(*, data_dir: str | Path | None = None) -> pd.DataFrame:
    """One row per published table: name, title, description, rows, years, source, licence.

    >>> import kzegov_data as kz
    >>> "un_egov" in set(kz.tables()["name"])
    True
    """
    import pandas as pd

    rows = [
        {
            "name": name,
            "title": resource["title"],
            "description": resource["description"],
            "rows": resource["kzegov:rows"],
            "years": resource.get("kzegov:years", ""),
            "source": resource["kzegov:source"],
            "licence": resource["licenses"][0]["name"],
        }
        for name, resource in sorted(table_resources(resolve_data_dir(data_dir)).items())
    ]
    return pd.DataFrame(rows)


def peers(group: str, *, data_dir: str | Path | None = None) -> list[str]:
    """ISO3 codes of a peer group: ``central_asia``, ``eaeu``, ``post_soviet``,
    ``paper_comparators``, or a World Bank income group such as ``income:upper_middle`` (read from
    the published ``countries`` table of ``data_dir``).

    >>> import kzegov_data as kz
    >>> kz.peers("eaeu")
    ['ARM', 'BLR', 'KAZ', 'KGZ', 'RUS']
    """
    income = country_codes.income_group(group)
    if income is None:
        return country_codes.peers(group)
    members = load("countries", data_dir=data_dir)
    return sorted(members.loc[members["wb_income_group"] == income, "iso3"].astype(str))


def resolve_countries(countries: str | Iterable[str], *, data_dir: str | Path | None = None) -> list[str]:
    """ISO3 codes for a peer group, a country name or code, or a list of them (income groups from
    the ``countries`` table of ``data_dir``)."""
    return country_codes.resolve_countries(countries, lambda group: peers(group, data_dir=data_dir))
