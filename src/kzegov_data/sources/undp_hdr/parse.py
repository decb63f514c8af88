"""Parse the HDR composite indices time series into table ``undp_hdi``, for every edition.

Layout quirks (see the mirror's ``undp_hdr/PROVENANCE.md``): one wide CSV, in Windows-1252 for HDR
2025 and 2023/24 (not UTF-8; only "Côte d'Ivoire" and "Türkiye" are non-ASCII) but UTF-8 for HDR
2021/22; 1,112 columns named ``<indicator>_<year>`` in HDR 2025 (1,076 and 1,008 in the earlier
editions); ranks exist for the latest year only; blank cells are missing values; 11 aggregate rows
(HDI groups, UNDP regions, world) carry codes starting with ``ZZ``. Every edition's layout is a
:class:`~.editions_layout.TimeSeriesLayout`, read by one code path (:func:`parse_time_series`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ...countries import to_iso3
from ...errors import ParseError
from .._read import read_csv_columns, read_excel_sheet, to_numbers
from . import EDITION, FIRST_YEAR, LATEST_YEAR, METADATA, TIME_SERIES
from .editions_layout import EARLIER_EDITIONS, TimeSeriesLayout

#: The current edition's layout, from the facts the package declares for the source.
CURRENT = TimeSeriesLayout(
    name=EDITION, file=TIME_SERIES, encoding="cp1252", first_year=FIRST_YEAR, latest_year=LATEST_YEAR,
    countries=195, ranked=193, gni_ppp_base=2021,
)

#: The header of the HDR25 file, block by block, as PROVENANCE.md records it (1,112 columns).
HEADER: tuple[str, ...] = CURRENT.header

#: Published yearly measures: UNDP short name (codebook) -> column of ``undp_hdi``.
MEASURES = {
    "hdi": "hdi",
    "le": "life_expectancy",
    "eys": "expected_schooling",
    "mys": "mean_schooling",
    "gnipc": "gni_per_capita",
    "ihdi": "ihdi",
    "gdi": "gdi",
    "gii": "gii",
}

#: Aggregates (HDI groups, UNDP developing regions, World) have codes ZZA.VHHD ... ZZK.WORLD.
#: ISO 3166-1 reserves ZZA-ZZZ for user assignment, so no country code can start with "ZZ".
AGGREGATE_PREFIX = "ZZ"


def parse(paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """Raw files (by name) -> ``{"undp_hdi": tidy frame}``, one row per country and year."""
    check_codebook(paths[METADATA])
    return {"undp_hdi": parse_time_series(paths[TIME_SERIES])}


def parse_edition(edition: str, paths: Mapping[str, Path]) -> dict[str, pd.DataFrame]:
    """One edition's raw file -> ``{"undp_hdi": frame}``, columns, dtypes and order as the current table.

    ``paths`` maps the edition's raw file name (``HDR21-22_Composite_indices_complete_time_series.csv``)
    to a local path. The current edition is :func:`parse`. An earlier edition is read by the same
    code path with its own layout (years, encoding, blocks), its header checked exactly; there is
    no codebook check for it, because the mirror holds no metadata workbook of the earlier editions.
    Rows carry the edition's name, ``hdi_rank`` is on the edition's latest year, and ``country`` is
    the name the edition prints (HDR 2021/22 says "Turkey" for TUR).

    >>> sorted(EARLIER_EDITIONS)
    ['HDR 2021/2022', 'HDR 2023/2024']
    """
    if edition == EDITION:
        return parse(paths)
    layout = EARLIER_EDITIONS.get(edition)
    if layout is None:
        msg = f"undp_hdr has no edition {edition!r}; its editions are {[*EARLIER_EDITIONS, EDITION]}"
        raise ValueError(msg)
    return {"undp_hdi": parse_time_series(paths[layout.file], layout)}


def parse_time_series(path: Path, layout: TimeSeriesLayout = CURRENT) -> pd.DataFrame:
    """The wide CSV of one edition -> the long ``undp_hdi`` frame (a balanced panel of its years)."""
    file = path.name
    years = layout.years
    rank_column = layout.rank_column
    measured = [f"{short_name}_{year}" for short_name in MEASURES for year in years]
    in_header = set(layout.header)
    published = [name for name in [*measured, rank_column] if name in in_header]  # IHDI starts in 2010
    # The other columns are checked in the header, never read.
    raw = read_csv_columns(path, header=layout.header, columns=["iso3", "country", *published],
                           encoding=layout.encoding)
    codes = raw["iso3"].str.strip()
    is_country = (~codes.str.startswith(AGGREGATE_PREFIX)).to_numpy()
    codes, names = codes[is_country], raw["country"][is_country]
    if codes.empty:
        msg = f"{file}: no country rows (header only, or aggregates only)"
        raise ParseError(msg)
    iso3 = to_iso3(codes, file=file)

    # A balanced panel, country-major: every published country has every year, measured or not.
    table = pd.DataFrame(
        {
            "iso3": np.repeat(iso3.to_numpy(), len(years)),
            "country": np.repeat(names.str.strip().to_numpy(), len(years)),
            "year": np.tile(np.array(years, dtype="int64"), len(codes)),
        }
    )
    # One conversion of every published column of the country rows (IHDI's years before 2010 stay missing).
    numbers = text_to_numbers(raw[published], file=file, rows=is_country)
    for short_name, column in MEASURES.items():
        by_year = numbers.reindex(columns=[f"{short_name}_{year}" for year in years])
        table[column] = by_year.to_numpy().ravel()

    rank = numbers[rank_column]
    if not (rank.dropna() % 1 == 0).all():
        msg = f"{file}: {rank_column!r} holds non-integer values"
        raise ParseError(msg)
    # The file ranks the latest year only; earlier years have no published rank.
    ranks = pd.Series(np.repeat(rank.to_numpy(), len(years))).astype("Int64")
    table["hdi_rank"] = ranks.where(table["year"] == layout.latest_year)
    table["edition"] = layout.name
    return table.sort_values(["iso3", "year"], ignore_index=True)


def text_to_numbers(frame: pd.DataFrame, *, file: str, rows: np.ndarray) -> pd.DataFrame:
    """``to_numbers(frame, file=file, rows=rows)`` for the Arrow-backed text columns a CSV is read into.

    pyarrow converts every cell in one pass over the columns' own Arrow arrays (a fifth of pandas'
    time, which makes a Python string of each of the 229,072 cells to factorize them). Whatever it
    does not turn into a number or a blank in any row, and any text it reads as NaN, which pandas
    counts as not a number, goes to :func:`to_numbers`, which converts it as before or says which
    column holds the text.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        # pa.array takes an Arrow-backed column's own array; pa.chunked_array would go cell by cell.
        cells = pa.concat_arrays([pa.array(frame[column].array, type=pa.large_string()) for column in frame])
        stripped = pc.utf8_trim_whitespace(cells)
        values = pc.cast(pc.if_else(pc.equal(stripped, ""), None, stripped), pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError):
        return to_numbers(frame, file=file, rows=rows)
    if pc.any(pc.is_nan(values)).as_py():
        return to_numbers(frame, file=file, rows=rows)
    by_column = values.to_numpy(zero_copy_only=False).reshape(frame.shape, order="F")
    return pd.DataFrame(by_column[rows], index=frame.index[rows], columns=frame.columns)


def check_codebook(path: Path) -> None:
    """The edition's codebook must still describe each published column as the schema does.

    This is what catches a silent change of meaning between editions, such as a new PPP base
    year for GNI per capita (2017 PPP$ in HDR 2023/24, 2021 PPP$ in HDR 2025).
    """
    from .schema import UndpHdiSchema

    described = codebook(path)
    fields = UndpHdiSchema.to_schema().columns
    expected = {short: fields[column].title for short, column in MEASURES.items()}
    expected["hdi_rank"] = fields["hdi_rank"].title
    changed = {
        short: (described.get(short), title)
        for short, title in expected.items()
        if described.get(short) != title
    }
    if changed:
        listed = "; ".join(
            f"{short}: codebook says {found!r}, the parser expects {title!r}"
            for short, (found, title) in changed.items()
        )
        msg = (
            f"{path.name}: the codebook describes published columns differently ({listed}). "
            "Units or definitions may have changed with the edition: review the schema and parser."
        )
        raise ParseError(msg)


def codebook(path: Path) -> dict[str, str]:
    """UNDP short name -> full name, from the ``codebook`` sheet of the metadata workbook."""
    sheet = read_excel_sheet(path, "codebook")
    header = [str(v).strip() for v in sheet.iloc[0, :3]] if len(sheet.columns) >= 3 else []
    if header != ["Full name", "Short name", "Time series"]:
        msg = (
            f"{path.name}: sheet 'codebook' should start with the header "
            f"['Full name', 'Short name', 'Time series'], found {header}"
        )
        raise ParseError(msg)
    rows = sheet.iloc[1:, :2].astype(str)
    rows = rows[rows[1].str.strip() != ""]  # section titles (HDI, GDI...) have no short name
    return dict(zip(rows[1].str.strip(), rows[0].str.strip(), strict=True))
