"""The layout of UNDP's composite-indices time series, edition by edition (no pandas here).

Every Human Development Report since 2021/22 publishes one wide CSV ``HDR<YY>_Composite_indices_
complete_time_series.csv`` in the same scheme (the mirror's ``undp_hdr/PROVENANCE.md``, §1, §2 and
the addendum §4): ``iso3, country, hdicode, region``, the latest year's HDI rank, then blocks of
``<indicator>_<year>`` columns, with rank and group columns for the edition's latest year only.
What differs between editions is their years, their encoding and the blocks they carry:

- HDR 2021/22 (data 1990-2021): UTF-8 without BOM (``Côte`` is bytes C3 B4; read as cp1252 it
  comes out as mojibake: C, A-tilde, acute accent, te), 1,008 columns, no ``pop_total`` block;
  Türkiye is still ``Turkey`` (code TUR); ``hdicode`` is empty for MCO, NRU, PRK and SOM, which have
  no HDI 2021 (191 ranked).
- HDR 2023/24 (data 1990-2022): Windows-1252 like HDR 2025, 1,076 columns; ``hdicode`` is empty for
  PRK and MCO (193 ranked).
- HDR 2025 (data 1990-2023, the current edition, declared in the package ``__init__``): cp1252,
  1,112 columns.

All three have 206 data rows, 195 countries and territories plus the 11 ``ZZ*`` aggregates, CRLF line
endings and blank cells for missing values. GNI per capita is in 2017 PPP$ in HDR 2021/22 and
2023/24 (2021 PPP$ from HDR 2025). The mirror holds no metadata workbook of the earlier editions, so
that unit comes from third-party records of those editions (PROVENANCE.md §2; Our World in Data's
metadata of its HDR 2023/24 snapshot: "international-$ in 2017 prices"), not from a codebook the
parser could check.

Every layout fact the parser and the edition schemas use is here, once.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The IHDI block and the inequality blocks after it start in 2010 in every edition.
IHDI_FIRST_YEAR = 2010


@dataclass(frozen=True)
class TimeSeriesLayout:
    """One edition of the composite-indices time series: its name, raw file, encoding and years."""

    name: str
    #: The raw file's name, exactly as the mirror and UNDP's download folder spell it.
    file: str
    encoding: str
    first_year: int
    latest_year: int
    #: Countries and territories (rows whose code does not start with ``ZZ``).
    countries: int
    #: Countries with an HDI, and so a rank, in the latest year.
    ranked: int
    #: Base year of the PPP dollars of GNI per capita.
    gni_ppp_base: int
    #: Whether the file has the ``pop_total`` block (from HDR 2023/24 on).
    has_population: bool = True

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.latest_year + 1))

    @property
    def rank_column(self) -> str:
        return f"hdi_rank_{self.latest_year}"

    @property
    def header(self) -> tuple[str, ...]:
        """The file's header, block by block (PROVENANCE.md §1, with the edition's differences)."""
        latest = self.latest_year

        def block(indicators: str, first_year: int = self.first_year) -> list[str]:
            return [f"{name}_{year}" for name in indicators.split() for year in range(first_year, latest + 1)]

        return (
            "iso3", "country", "hdicode", "region", self.rank_column,
            *block("hdi le eys mys gnipc"),
            f"gdi_group_{latest}",
            *block("gdi hdi_f le_f eys_f mys_f gni_pc_f hdi_m le_m eys_m mys_m gni_pc_m"),
            *block("ihdi coef_ineq loss ineq_le ineq_edu ineq_inc", first_year=IHDI_FIRST_YEAR),
            f"gii_rank_{latest}",
            *block("gii mmr abr se_f se_m pr_f pr_m lfpr_f lfpr_m"),
            f"rankdiff_hdi_phdi_{latest}",
            *block("phdi diff_hdi_phdi co2_prod mf" + (" pop_total" if self.has_population else "")),
        )


HDR21_22 = TimeSeriesLayout(
    name="HDR 2021/2022",
    file="HDR21-22_Composite_indices_complete_time_series.csv",
    encoding="utf-8",
    first_year=1990,
    latest_year=2021,
    countries=195,
    ranked=191,
    gni_ppp_base=2017,
    has_population=False,
)
HDR23_24 = TimeSeriesLayout(
    name="HDR 2023/2024",
    file="HDR23-24_Composite_indices_complete_time_series.csv",
    encoding="cp1252",
    first_year=1990,
    latest_year=2022,
    countries=195,
    ranked=193,
    gni_ppp_base=2017,
)

#: The earlier editions, oldest first, by name (the current one is the package's ``EDITION``).
EARLIER_EDITIONS: dict[str, TimeSeriesLayout] = {layout.name: layout for layout in (HDR21_22, HDR23_24)}
