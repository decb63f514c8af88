"""Synthetic ``EGOV_DATA_<YYYY>.csv`` files in the UN E-Government Data Center's layout.

The layout follows the mirror's ``un_egov/PROVENANCE.md``: the same 8-column header in every year;
193 rows, one per UN member state, in the same order every year; UTF-8 without BOM; names quoted
with a trailing space except the 18 listed in :data:`UNQUOTED`; values with 5 decimals; LF line
endings except the 2022 file, whose only known copy is CRLF.

What is real and what is invented: Kazakhstan and the peers (KGZ TJK TKM UZB ARM BLR RUS KOR) carry
their published values and ranks for every survey (:data:`PLANTED`); so do the states that were not
yet UN members (:data:`NOT_YET_MEMBER`) and the members the early surveys did not assess
(:data:`NOT_ASSESSED`). Every other country gets an invented EGDI chosen so that the published ranks
stay true: 23 countries above Kazakhstan's 0.90093 in 2024, 82 above its 0.38661 in 2003.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SOURCE_ID = "un_egov"
SURVEY_YEARS: tuple[int, ...] = (2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024)
FILE_NAMES: dict[int, str] = {year: f"EGOV_DATA_{year}.csv" for year in SURVEY_YEARS}
HEADER = (
    "Survey Year,Country Name,E-Government Rank,E-Government Index,E-Participation Index,"
    "Online Service Index,Human Capital Index,Telecommunication Infrastructure Index"
)
#: Line endings per file: the one known copy of the 2022 export is CRLF, the others LF.
CRLF_YEARS = frozenset({2022})

#: The 193 UN member states as the Data Center names them (current names in every year), with the
#: ISO3 code each must map to. Row order of the synthetic files: this order, in every year.
COUNTRIES: tuple[tuple[str, str], ...] = (
    ("AFG", "Afghanistan"), ("ALB", "Albania"), ("DZA", "Algeria"), ("AND", "Andorra"), ("AGO", "Angola"),
    ("ATG", "Antigua and Barbuda"), ("ARG", "Argentina"), ("ARM", "Armenia"), ("AUS", "Australia"),
    ("AUT", "Austria"), ("AZE", "Azerbaijan"), ("BHS", "Bahamas"), ("BHR", "Bahrain"), ("BGD", "Bangladesh"),
    ("BRB", "Barbados"), ("BLR", "Belarus"), ("BEL", "Belgium"), ("BLZ", "Belize"), ("BEN", "Benin"),
    ("BTN", "Bhutan"), ("BOL", "Bolivia"), ("BIH", "Bosnia and Herzegovina"), ("BWA", "Botswana"),
    ("BRA", "Brazil"), ("BRN", "Brunei Darussalam"), ("BGR", "Bulgaria"), ("BFA", "Burkina Faso"),
    ("BDI", "Burundi"), ("CPV", "Cabo Verde"), ("KHM", "Cambodia"), ("CMR", "Cameroon"), ("CAN", "Canada"),
    ("CAF", "Central African Republic"), ("TCD", "Chad"), ("CHL", "Chile"), ("CHN", "China"),
    ("COL", "Colombia"), ("COM", "Comoros"), ("COG", "Congo"), ("CRI", "Costa Rica"), ("HRV", "Croatia"),
    ("CUB", "Cuba"), ("CYP", "Cyprus"), ("CZE", "Czech Republic"), ("CIV", "Côte d'Ivoire"),
    ("PRK", "Democratic People's Republic of Korea"), ("COD", "Democratic Republic of the Congo"),
    ("DNK", "Denmark"), ("DJI", "Djibouti"), ("DMA", "Dominica"), ("DOM", "Dominican Republic"),
    ("ECU", "Ecuador"), ("EGY", "Egypt"), ("SLV", "El Salvador"), ("GNQ", "Equatorial Guinea"),
    ("ERI", "Eritrea"), ("EST", "Estonia"), ("SWZ", "Eswatini"), ("ETH", "Ethiopia"), ("FJI", "Fiji"),
    ("FIN", "Finland"), ("FRA", "France"), ("GAB", "Gabon"), ("GMB", "Gambia"), ("GEO", "Georgia (Country)"),
    ("DEU", "Germany"), ("GHA", "Ghana"), ("GRC", "Greece"), ("GRD", "Grenada"), ("GTM", "Guatemala"),
    ("GIN", "Guinea"), ("GNB", "Guinea-Bissau"), ("GUY", "Guyana"), ("HTI", "Haiti"), ("HND", "Honduras"),
    ("HUN", "Hungary"), ("ISL", "Iceland"), ("IND", "India"), ("IDN", "Indonesia"),
    ("IRN", "Iran (Islamic Republic of)"), ("IRQ", "Iraq"), ("IRL", "Ireland"), ("ISR", "Israel"),
    ("ITA", "Italy"), ("JAM", "Jamaica"), ("JPN", "Japan"), ("JOR", "Jordan"), ("KAZ", "Kazakhstan"),
    ("KEN", "Kenya"), ("KIR", "Kiribati"), ("KWT", "Kuwait"), ("KGZ", "Kyrgyzstan"),
    ("LAO", "Lao People's Democratic Republic"), ("LVA", "Latvia"), ("LBN", "Lebanon"), ("LSO", "Lesotho"),
    ("LBR", "Liberia"), ("LBY", "Libya"), ("LIE", "Liechtenstein"), ("LTU", "Lithuania"),
    ("LUX", "Luxembourg"), ("MDG", "Madagascar"), ("MWI", "Malawi"), ("MYS", "Malaysia"), ("MDV", "Maldives"),
    ("MLI", "Mali"), ("MLT", "Malta"), ("MHL", "Marshall Islands"), ("MRT", "Mauritania"),
    ("MUS", "Mauritius"), ("MEX", "Mexico"), ("FSM", "Micronesia (Federated States of)"), ("MCO", "Monaco"),
    ("MNG", "Mongolia"), ("MNE", "Montenegro"), ("MAR", "Morocco"), ("MOZ", "Mozambique"), ("MMR", "Myanmar"),
    ("NAM", "Namibia"), ("NRU", "Nauru"), ("NPL", "Nepal"), ("NLD", "Netherlands"), ("NZL", "New Zealand"),
    ("NIC", "Nicaragua"), ("NER", "Niger"), ("NGA", "Nigeria"), ("MKD", "North Macedonia"), ("NOR", "Norway"),
    ("OMN", "Oman"), ("PAK", "Pakistan"), ("PLW", "Palau"), ("PAN", "Panama"), ("PNG", "Papua New Guinea"),
    ("PRY", "Paraguay"), ("PER", "Peru"), ("PHL", "Philippines"), ("POL", "Poland"), ("PRT", "Portugal"),
    ("QAT", "Qatar"), ("KOR", "Republic of Korea"), ("MDA", "Republic of Moldova"), ("ROU", "Romania"),
    ("RUS", "Russian Federation"), ("RWA", "Rwanda"), ("KNA", "Saint Kitts and Nevis"), ("LCA", "Saint Lucia"),
    ("VCT", "Saint Vincent and the Grenadines"), ("WSM", "Samoa"), ("SMR", "San Marino"),
    ("STP", "Sao Tome and Principe"), ("SAU", "Saudi Arabia"), ("SEN", "Senegal"), ("SRB", "Serbia"),
    ("SYC", "Seychelles"), ("SLE", "Sierra Leone"), ("SGP", "Singapore"), ("SVK", "Slovakia"),
    ("SVN", "Slovenia"), ("SLB", "Solomon Islands"), ("SOM", "Somalia"), ("ZAF", "South Africa"),
    ("SSD", "South Sudan"), ("ESP", "Spain"), ("LKA", "Sri Lanka"), ("SDN", "Sudan"), ("SUR", "Suriname"),
    ("SWE", "Sweden"), ("CHE", "Switzerland"), ("SYR", "Syrian Arab Republic"), ("TJK", "Tajikistan"),
    ("THA", "Thailand"), ("TLS", "Timor-Leste"), ("TGO", "Togo"), ("TON", "Tonga"),
    ("TTO", "Trinidad and Tobago"), ("TUN", "Tunisia"), ("TKM", "Turkmenistan"), ("TUV", "Tuvalu"),
    ("TUR", "Türkiye"), ("UGA", "Uganda"), ("UKR", "Ukraine"), ("ARE", "United Arab Emirates"),
    ("GBR", "United Kingdom of Great Britain and Northern Ireland"), ("TZA", "United Republic of Tanzania"),
    ("USA", "United States of America"), ("URY", "Uruguay"), ("UZB", "Uzbekistan"), ("VUT", "Vanuatu"),
    ("VEN", "Venezuela"), ("VNM", "Viet Nam"), ("YEM", "Yemen"), ("ZMB", "Zambia"), ("ZWE", "Zimbabwe"),
)
NAMES: dict[str, str] = dict(COUNTRIES)
#: The 18 names the Data Center writes without quotes and without a trailing space.
UNQUOTED = frozenset({
    "Libya", "Liechtenstein", "Luxembourg", "Malaysia", "Maldives", "Afghanistan", "Montenegro", "Austria",
    "France", "Georgia (Country)", "Eswatini", "North Macedonia", "Timor-Leste", "Türkiye", "Ukraine",
    "United Kingdom of Great Britain and Northern Ireland", "South Sudan", "Serbia",
})

PEERS = ("KGZ", "TJK", "TKM", "UZB", "ARM", "BLR", "RUS", "KOR")

# Published rows: year, ISO3, rank, EGDI, EPI, OSI, HCI, TII (the file's column order). A rank of "-"
# marks a member the survey did not assess (EGDI 0): it gets the survey's shared bottom rank.
_PUBLISHED = """
2003 KAZ 83 0.38661 0.10340 0.18777 0.91000 0.06206
2003 KGZ 110 0.32715 0.03450 0.07423 0.87000 0.03721
2003 ARM 86 0.37673 0.05170 0.13973 0.92000 0.07045
2003 KOR 13 0.74413 0.48280 0.60698 0.95000 0.67542
2003 RUS 58 0.44255 0.05170 0.22270 0.92000 0.18495
2003 BLR 81 0.39650 0.03450 0.12227 0.92000 0.14725
2003 UZB - 0.00000 0.00000 0.00000 0.91000 0.05276
2003 TJK - 0.00000 0.00000 0.00000 0.88000 0.04565
2003 TKM 106 0.33517 0.01720 0.04366 0.92000 0.04185
2003 IRQ - 0.00000 0.00000 0.00000 0.93000 0.01578
2004 KAZ 69 0.43437 0.13114 0.32046 0.92000 0.06266
2004 KGZ 66 0.44682 0.21311 0.39382 0.91000 0.03666
2004 ARM 83 0.39188 0.03278 0.25096 0.86000 0.06468
2004 KOR 5 0.85745 0.77049 0.94594 0.96000 0.66642
2004 RUS 52 0.50172 0.21311 0.38996 0.93000 0.18521
2004 BLR 58 0.48884 0.26229 0.38223 0.95000 0.13429
2004 UZB 81 0.39651 0.01639 0.23166 0.91000 0.04789
2004 TJK - 0.00000 0.00000 0.00000 0.90000 0.04140
2004 TKM 108 0.34092 0.01639 0.06563 0.92000 0.03713
2005 KAZ 65 0.48125 0.20634 0.45000 0.93000 0.06377
2005 KGZ 76 0.44171 0.15873 0.36538 0.92000 0.03977
2005 ARM 106 0.36248 0.06349 0.11153 0.90000 0.07591
2005 KOR 5 0.87273 0.87301 0.97692 0.97000 0.67127
2005 RUS 50 0.53285 0.14285 0.45384 0.95000 0.19472
2005 BLR 51 0.53184 0.26984 0.48846 0.95000 0.15707
2005 UZB 79 0.41135 0.03174 0.27307 0.91000 0.05100
2005 TJK 117 0.33457 0.00000 0.06153 0.90000 0.04219
2005 TKM - 0.00000 0.00000 0.00000 0.93000 0.03745
2008 KAZ 81 0.47430 0.09090 0.32107 0.97588 0.13062
2008 KGZ 102 0.41950 0.13636 0.29765 0.91709 0.04746
2008 ARM 103 0.41820 0.04545 0.27090 0.89882 0.08939
2008 KOR 6 0.83170 0.97727 0.82274 0.98412 0.68864
2008 RUS 60 0.51200 0.09090 0.33444 0.95889 0.24815
2008 BLR 56 0.52130 0.09090 0.32775 0.95970 0.28230
2008 UZB 109 0.40570 0.09090 0.27424 0.90882 0.03811
2008 TJK 132 0.31500 0.00000 0.03678 0.89932 0.01723
2008 TKM 128 0.32620 0.02272 0.04682 0.90185 0.03824
2010 KAZ 46 0.55782 0.55714 0.52698 0.96773 0.17969
2010 KGZ 91 0.44168 0.42857 0.31746 0.91960 0.09175
2010 ARM 110 0.40247 0.04285 0.17460 0.91173 0.12800
2010 KOR 1 0.87854 1.00000 1.00000 0.99293 0.63902
2010 RUS 59 0.51359 0.12857 0.33015 0.93966 0.27651
2010 BLR 64 0.48996 0.24285 0.30158 0.96593 0.20807
2010 UZB 87 0.44975 0.31428 0.37777 0.88830 0.08538
2010 TJK 122 0.34766 0.02857 0.08888 0.90050 0.06145
2010 TKM 130 0.32258 0.00000 0.02857 0.90666 0.04142
2012 KAZ 38 0.68438 0.94740 0.78431 0.91337 0.35546
2012 KGZ 99 0.48790 0.28950 0.42483 0.84852 0.19034
2012 ARM 94 0.49967 0.00000 0.32679 0.85053 0.32167
2012 KOR 1 0.92832 1.00000 1.00000 0.94937 0.83559
2012 RUS 27 0.73448 0.65790 0.66013 0.88498 0.65834
2012 BLR 61 0.60900 0.07890 0.41176 0.91198 0.50325
2012 UZB 91 0.50991 0.23680 0.49673 0.82554 0.20748
2012 TJK 122 0.40687 0.00000 0.24183 0.83134 0.14744
2012 TKM 126 0.38130 0.00000 0.18954 0.84042 0.11394
2014 KAZ 28 0.72827 0.76470 0.74803 0.86190 0.57488
2014 KGZ 101 0.46568 0.41176 0.27559 0.74130 0.38013
2014 ARM 61 0.58969 0.52941 0.61417 0.76600 0.38890
2014 KOR 1 0.94623 1.00000 0.97637 0.92730 0.93503
2014 RUS 27 0.72959 0.68627 0.70866 0.83880 0.64130
2014 BLR 55 0.60529 0.35294 0.32283 0.88610 0.60691
2014 UZB 100 0.46951 0.47058 0.44881 0.72640 0.23334
2014 TJK 129 0.33951 0.11764 0.06299 0.72490 0.23062
2014 TKM 128 0.35109 0.11764 0.08661 0.74780 0.21885
2016 KAZ 33 0.72499 0.59322 0.76812 0.84010 0.56677
2016 KGZ 97 0.49686 0.59322 0.42754 0.75079 0.31225
2016 ARM 87 0.51785 0.52542 0.42754 0.73377 0.39225
2016 KOR 3 0.89149 0.96610 0.94203 0.87947 0.85296
2016 RUS 35 0.72147 0.74576 0.73188 0.82340 0.60913
2016 BLR 49 0.66249 0.55932 0.48551 0.87159 0.63037
2016 UZB 80 0.54335 0.67797 0.68841 0.69535 0.24630
2016 TJK 139 0.33663 0.20339 0.12319 0.70012 0.18658
2016 TKM 140 0.33369 0.06780 0.08696 0.65826 0.25586
2018 KAZ 39 0.75970 0.83710 0.86810 0.83880 0.57230
2018 KGZ 91 0.58350 0.68540 0.64580 0.76280 0.34180
2018 ARM 87 0.59440 0.56740 0.56250 0.75470 0.46600
2018 KOR 3 0.90100 1.00000 0.97920 0.87430 0.84960
2018 RUS 32 0.79690 0.92130 0.91670 0.85220 0.62190
2018 BLR 38 0.76410 0.88200 0.73610 0.86810 0.68810
2018 UZB 81 0.62070 0.75840 0.79170 0.73960 0.33070
2018 TJK 131 0.42200 0.38760 0.34030 0.70020 0.22540
2018 TKM 147 0.36520 0.11240 0.13190 0.66260 0.30110
2020 KAZ 29 0.83750 0.88100 0.92350 0.88660 0.70240
2020 KGZ 83 0.67490 0.71430 0.64710 0.78730 0.59020
2020 ARM 68 0.71360 0.75000 0.70000 0.78720 0.65360
2020 KOR 2 0.95600 1.00000 1.00000 0.89970 0.96840
2020 RUS 36 0.82440 0.86900 0.81760 0.88330 0.77230
2020 BLR 40 0.80840 0.75000 0.70590 0.89120 0.82810
2020 UZB 87 0.66650 0.80950 0.78240 0.74340 0.47360
2020 TJK 133 0.46490 0.34520 0.31760 0.72740 0.34960
2020 TKM 158 0.40340 0.20240 0.17650 0.67830 0.35550
2022 KAZ 28 0.86280 0.80680 0.93440 0.90210 0.75200
2022 KGZ 81 0.69770 0.50000 0.61760 0.81190 0.66370
2022 ARM 64 0.73640 0.57950 0.72210 0.79450 0.69250
2022 KOR 3 0.95290 0.94320 0.98260 0.90870 0.96740
2022 RUS 42 0.81620 0.60230 0.73680 0.90650 0.80530
2022 BLR 58 0.75800 0.43180 0.53020 0.90110 0.84260
2022 UZB 69 0.72650 0.61360 0.74400 0.77780 0.65750
2022 TJK 129 0.50390 0.25000 0.39680 0.73800 0.37700
2022 TKM 137 0.48080 0.10230 0.29800 0.78920 0.35510
2022 ISL 5 0.94100 0.79550 0.88670 0.96570 0.97050
2022 SWE 5 0.94100 0.72730 0.90020 0.96490 0.95800
2024 KAZ 24 0.90093 0.84930 0.93903 0.84029 0.92353
2024 KGZ 78 0.73160 0.46580 0.60723 0.70610 0.88154
2024 ARM 48 0.84217 0.84930 0.79220 0.85610 0.87824
2024 KOR 4 0.96789 0.97260 1.00000 0.91198 0.99170
2024 RUS 43 0.85325 0.64380 0.77660 0.83194 0.95118
2024 BLR 77 0.74449 0.49320 0.57598 0.74188 0.91561
2024 UZB 63 0.79990 0.69860 0.76484 0.75801 0.87687
2024 TJK 123 0.56055 0.27400 0.44760 0.65305 0.58098
2024 TKM 145 0.47569 0.04110 0.25064 0.66137 0.51512
"""


@dataclass(frozen=True)
class Row:
    """One planted country-survey row as the file prints it (rank ``None``: shared bottom rank or blank)."""

    rank: int | None
    egdi: float
    epi: float
    osi: float
    hci: float
    tii: float


def _published() -> dict[tuple[str, int], Row]:
    rows = {}
    for line in _PUBLISHED.strip().splitlines():
        year, iso3, rank, *values = line.split()
        egdi, epi, osi, hci, tii = map(float, values)
        rows[iso3, int(year)] = Row(None if rank == "-" else int(rank), egdi, epi, osi, hci, tii)
    return rows


#: Every planted (ISO3, survey year) -> its row; Kazakhstan and the peers in all 12 surveys.
PLANTED: dict[tuple[str, int], Row] = _published()
KAZAKHSTAN: dict[int, Row] = {year: PLANTED["KAZ", year] for year in SURVEY_YEARS}
#: States not yet UN members: blank rank and 0.00000 everywhere (South Sudan joined 2011, Montenegro 2006).
NOT_YET_MEMBER = frozenset(
    {("SSD", y) for y in (2003, 2004, 2005, 2008, 2010)} | {("MNE", y) for y in (2003, 2004, 2005)}
)
#: Members a survey did not assess: EGDI 0 and the shared bottom rank; HCI and TII were still measured.
NOT_ASSESSED = frozenset(key for key, row in PLANTED.items() if row.egdi == 0)
#: A tie the file prints as a shared rank (2022: Iceland and Sweden, both 5th).
TIE_2022 = ("ISL", "SWE")
#: Reviewed HCI anomalies above 1 (schemas.ANOMALIES), planted so that the schema's exception list is exercised.
HCI_ANOMALIES: dict[tuple[str, int], float] = {("FSM", 2003): 1.422, ("TUV", 2003): 1.03}
#: Somalia's HCI is exactly 0 from 2014 on by normalisation: a real zero of an assessed country.
SOMALIA_ZERO_HCI_YEARS = (2014, 2016, 2018, 2020, 2022, 2024)


def ranked_values(
    anchors: Mapping[str, tuple[float, int]], fillers: Sequence[str], *, top: float, bottom: float, decimals: int
) -> dict[str, tuple[float, int]]:
    """Values and ranks for ``fillers`` that keep every anchor's published rank true.

    Ranks are competition ranks (ties share a rank, the next rank skips), as the publishers print
    them. ``fillers`` are placed best first, into the gaps the anchors' ranks leave, with distinct
    values rounded to ``decimals`` strictly between the neighbouring anchors' values (``top`` and
    ``bottom`` bound the first and last gap). Raises ``ValueError`` when a gap is too narrow.
    """
    step = 10.0**-decimals
    groups: dict[int, list[str]] = {}
    for code, (_, rank) in anchors.items():
        groups.setdefault(rank, []).append(code)
    result = dict(anchors)
    queue = list(fillers)
    upper, next_rank = top + step, 1

    def place(count: int, high: float, low: float, first_rank: int) -> None:
        values = [round(high - (high - low) * (k + 1) / (count + 1), decimals) for k in range(count)]
        if len(set(values)) != count or any(not low < v < high for v in values):
            msg = f"no room for {count} distinct values between {low} and {high}"
            raise ValueError(msg)
        for k, value in enumerate(values):
            result[queue.pop(0)] = (value, first_rank + k)

    for rank in sorted(groups):
        codes = groups[rank]
        values = {anchors[c][0] for c in codes}
        if len(values) != 1 or rank < next_rank:
            msg = f"anchors {codes} at rank {rank} are not consistent"
            raise ValueError(msg)
        place(rank - next_rank, upper, values.pop(), next_rank)
        upper, next_rank = anchors[codes[0]][0], rank + len(codes)
    place(len(queue), upper, bottom - step, next_rank)
    return result


def survey_rows(year: int) -> list[tuple[str, Row]]:
    """The 193 rows of one survey, in file order: planted rows as published, the rest invented."""
    assessed_anchors = {
        iso3: (row.egdi, row.rank) for (iso3, y), row in PLANTED.items() if y == year and row.rank is not None
    }
    special = {iso3 for iso3, y in NOT_YET_MEMBER | NOT_ASSESSED if y == year}
    # A fixed "strength" order, so that invented countries keep similar ranks from survey to survey;
    # Somalia goes last, because its HCI of 0 (2014 on) only fits a low EGDI.
    fillers = [iso3 for iso3, _ in COUNTRIES if iso3 not in assessed_anchors and iso3 not in special]
    random.Random(f"{SOURCE_ID}-strength").shuffle(fillers)
    fillers.sort(key=lambda iso3: iso3 == "SOM")
    ranked = ranked_values(assessed_anchors, fillers, top=0.98, bottom=0.05, decimals=5)
    bottom_rank = len(ranked) + 1
    rows = []
    for index, (iso3, _) in enumerate(COUNTRIES):
        planted = PLANTED.get((iso3, year))
        if (iso3, year) in NOT_YET_MEMBER:
            row = Row(None, 0.0, 0.0, 0.0, 0.0, 0.0)
        elif planted is not None and planted.rank is None:
            row = Row(bottom_rank, 0.0, planted.epi, planted.osi, planted.hci, planted.tii)
        elif planted is not None:
            row = planted
        else:
            row = invented_row(iso3, year, index, *ranked[iso3])
        rows.append((iso3, row))
    return rows


def invented_row(iso3: str, year: int, index: int, egdi: float, rank: int) -> Row:
    """Components whose mean is (about) the EGDI, as in the survey: EGDI = (OSI + HCI + TII) / 3."""
    spread = min(0.08, egdi / 2, (1 - egdi) / 2)
    jitter = spread / 2 * (index % 3 - 1)
    osi, tii, hci = egdi - spread + jitter, egdi - spread - jitter, egdi + 2 * spread
    if iso3 == "SOM" and year in SOMALIA_ZERO_HCI_YEARS:
        osi, tii, hci = 1.5 * egdi, 1.5 * egdi, 0.0
    hci = HCI_ANOMALIES.get((iso3, year), hci)
    return Row(rank, egdi, round(egdi * 0.9, 5), round(osi, 5), round(hci, 5), round(tii, 5))


def format_name(name: str) -> str:
    return name if name in UNQUOTED else f'"{name} "'


def format_line(year: int, name: str, row: Row) -> str:
    rank = "" if row.rank is None else str(row.rank)
    values = ",".join(f"{v:.5f}" for v in (row.egdi, row.epi, row.osi, row.hci, row.tii))
    return f"{year},{format_name(name)},{rank},{values}"


def survey_text(year: int) -> str:
    """One survey's file content; every line (the last too) ends with the file's line ending."""
    newline = "\r\n" if year in CRLF_YEARS else "\n"
    lines = [HEADER, *(format_line(year, NAMES[iso3], row) for iso3, row in survey_rows(year))]
    return newline.join(lines) + newline


def write(root: Path) -> dict[str, Path]:
    """Write the 12 ``EGOV_DATA_<YYYY>.csv`` under ``root/un_egov/``; returns ``{file name: path}``."""
    folder = root / SOURCE_ID
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for year, name in FILE_NAMES.items():
        path = folder / name
        path.write_bytes(survey_text(year).encode("utf-8"))
        paths[name] = path
    return paths
