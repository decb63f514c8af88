"""Figures of Kazakhstan against its peer groups: the data card's PNGs and ``kzegov-data plot``.

matplotlib is an optional extra (``pip install 'kzegov_data[plot]'``), imported only inside the
functions that draw, so ``import kzegov_data`` stays cheap. The PNGs are deterministic: matplotlib's
built-in style (a user's matplotlibrc is ignored), the DejaVu Sans font that ships with matplotlib,
a fixed size and dpi, the non-interactive Agg canvas and no ``Software`` entry in the PNG, so the
same table and the versions pinned in constraints.txt give the same bytes.

>>> from kzegov_data.figures import CARD_FIGURES, figure_frame
>>> egdi = CARD_FIGURES[0]
>>> frame = figure_frame(egdi)  # the shipped tables; plot_comparison(frame, path, ...) draws it
>>> frame.query("iso3 == 'KAZ' and survey_year == 2024")["value"].item()
0.90093
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._io import atomic_write
from .countries import peers
from .errors import KzegovDataError, OptionalDependencyMissing

if TYPE_CHECKING:
    import pandas as pd

#: The country every figure is about, drawn thick and black above its peers.
HIGHLIGHT = "KAZ"
#: One panel per peer group, side by side on a shared y axis.
PANELS: tuple[str, ...] = ("central_asia", "eaeu")
PANEL_TITLES = {"central_asia": "Central Asia", "eaeu": "Eurasian Economic Union (EAEU)",
                "post_soviet": "Post-Soviet states"}
SIZE_INCHES = (10.0, 4.4)
DPI = 110
#: On top of matplotlib's defaults; the font is the one bundled with matplotlib, never a system font.
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "axes.titlesize": 10.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.fontsize": 8.0,
    "legend.framealpha": 0.9,
}


@dataclass(frozen=True)
class Figure:
    """One comparison figure: which rows of which table, and how to label it."""

    name: str  #: file stem, e.g. ``un_egov_egdi`` -> ``docs/figures/un_egov_egdi.png``
    table: str
    value: str  #: the column plotted on the y axis
    title: str
    ylabel: str
    caption: str  #: shown under the figure in the data card
    x: str = "year"
    xlabel: str = "Year"
    where: tuple[tuple[str, str], ...] = ()  #: keep only rows where column == value (as text)
    years: tuple[int, int] | None = None  #: first and last year kept


CARD_FIGURES: tuple[Figure, ...] = (
    Figure(
        name="un_egov_egdi", table="un_egov", value="egdi", x="survey_year", xlabel="Survey year",
        title="E-Government Development Index (EGDI), 2003-2024", ylabel="EGDI (index 0-1)",
        caption="EGDI by **survey year** (the edition; its data were mostly collected the year before). "
        "Markers are the published values of the 12 surveys (2003, 2004, 2005, 2008, then every two years); "
        "lines only join consecutive surveys: nothing between surveys is interpolated. A country without a "
        "value in a survey (not assessed, or not yet a UN member) has a gap. EGDI is relative to the other "
        "countries of the same survey (see the caveats below).",
    ),
    Figure(
        name="ti_cpi_score", table="ti_cpi", value="score", where=(("scale", "0-100"),), years=(2012, 2025),
        title="Corruption Perceptions Index, 0-100 scale, 2012-2025", ylabel="CPI score (0-100, higher is cleaner)",
        caption="CPI score, editions 2012-2025, **only the rows with `scale == \"0-100\"`**: the 0-10 scores of "
        "1995-2011 are on another, relative scale and are left out, never rescaled. Changes of 1-2 points are "
        "usually within the standard error (see the notes on uncertainty below).",
    ),
    Figure(
        name="itu_internet_users", table="itu_ict", value="value", where=(("indicator", "internet_users_pct"),),
        years=(2000, 2024), title="Individuals using the Internet, 2000-2024", ylabel="% of individuals",
        caption="ITU indicator `internet_users_pct`, 2000-2024. Many values are ITU estimates (`is_estimate`); "
        "a gap is a year without a value (few countries have 2024 yet).",
    ),
    Figure(
        name="itu_fixed_broadband", table="itu_ict", value="value",
        where=(("indicator", "fixed_broadband_per100"),), years=(2000, 2024),
        title="Fixed-broadband subscriptions, 2000-2024", ylabel="subscriptions per 100 inhabitants",
        caption="ITU indicator `fixed_broadband_per100`, 2000-2024, per 100 inhabitants with ITU's population "
        "denominators; a gap is a year without a value.",
    ),
    Figure(
        name="undp_hdi", table="undp_hdi", value="hdi", title="Human Development Index, HDR 2025, 1990-2023",
        ylabel="HDI (index 0-1)",
        caption="HDI of one edition (HDR 2025), 1990-2023; every edition recalculates the whole series, so never "
        "mix these values with another report's. A gap is a year without an HDI.",
    ),
)


def require_matplotlib() -> Any:
    """The matplotlib module, or an error that says how to install it."""
    try:
        import matplotlib
        import matplotlib.style
    except ImportError:
        msg = ("drawing figures needs matplotlib, which is not installed; install the plotting extra: "
               "pip install 'kzegov_data[plot]'")
        raise OptionalDependencyMissing(msg) from None
    return matplotlib


def peer_codes(groups: Sequence[str] = PANELS) -> list[str]:
    """Sorted ISO3 codes of every country in the given peer groups."""
    return sorted({code for group in groups for code in peers(group)})


def comparison_frame(
    frame: pd.DataFrame, figure: Figure, groups: Sequence[str] = PANELS, highlight: str = HIGHLIGHT
) -> pd.DataFrame:
    """The rows of ``frame`` that ``figure`` plots, as columns ``iso3``, ``figure.x``, ``value``.

    Pure (no I/O): keeps the ``figure.where`` rows (e.g. only ``scale == "0-100"`` for the CPI), the
    years and the peer-group countries, and drops missing values. Rows on more than one ``scale``
    are refused: the CPI's 0-10 and 0-100 scores must never share an axis.
    """
    import pandas as pd

    rows = frame
    for column, wanted in figure.where:
        rows = rows[rows[column].astype(str) == wanted]
    if figure.years is not None:
        rows = rows[rows[figure.x].between(*figure.years)]
    rows = rows[rows["iso3"].astype(str).isin({highlight, *peer_codes(groups)})]
    scales = sorted(rows["scale"].astype(str).unique()) if "scale" in rows.columns else []
    if len(scales) > 1:
        msg = (f"{figure.table}.{figure.value} mixes scales ({', '.join(scales)}), which are not comparable; "
               "select one scale, e.g. ti_cpi/score plots only the 0-100 scale (2012 on)")
        raise KzegovDataError(msg)
    selected = pd.DataFrame({
        "iso3": rows["iso3"].astype(str),
        figure.x: rows[figure.x].astype("int64"),
        "value": rows[figure.value].astype("float64"),
    }).dropna()
    return selected.sort_values(["iso3", figure.x]).reset_index(drop=True)


def figure_frame(
    figure: Figure, data_dir: Path | None = None, groups: Sequence[str] = PANELS, highlight: str = HIGHLIGHT
) -> pd.DataFrame:
    """Load ``figure.table`` for the highlighted and the peer-group countries and select the figure's rows."""
    from .api import load

    codes = sorted({highlight, *peer_codes(groups)})
    return comparison_frame(load(figure.table, countries=codes, data_dir=data_dir), figure, groups, highlight)


def plot_comparison(
    frame: pd.DataFrame, path: Path, *, title: str, ylabel: str, x: str = "year", xlabel: str = "Year",
    y: str = "value", groups: Sequence[str] = PANELS, highlight: str = HIGHLIGHT, credit: str = "",
) -> Path:
    """Draw ``highlight`` against each peer group (one panel per group) and save a PNG at ``path``.

    ``frame`` is tidy: one row per country (``iso3``) and ``x``, the value in ``y``. Markers are the
    values; lines join a country's values at neighbouring x values of the frame only, so a missing
    year shows as a gap, never as an interpolated line.

    ``plot_series`` shows a call; the data card's figures are drawn by :func:`write_figures`.
    """
    matplotlib = require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MatplotlibFigure
    from matplotlib.ticker import MaxNLocator

    if frame.empty:
        msg = f"nothing to plot for {title!r}: no rows for the countries of {', '.join(groups)}"
        raise KzegovDataError(msg)
    steps = sorted(int(step) for step in frame[x].unique())
    others = [code for code in peer_codes(groups) if code != highlight]
    # tab10 has ten colours; a larger group (post_soviet) repeats them rather than failing.
    colours = dict(zip(others, itertools.cycle(matplotlib.colormaps["tab10"].colors), strict=False))
    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        figure = MatplotlibFigure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.subplots(1, len(groups), sharex=True, sharey=True, squeeze=False)[0]
        margin = max(0.5, 0.03 * (steps[-1] - steps[0]))
        for panel, group in zip(axes, groups, strict=True):
            members = peers(group)
            # The highlighted country is drawn in every panel, last (on top), member or not.
            for code in [*(m for m in members if m != highlight), highlight]:
                series = frame.loc[frame["iso3"] == code].set_index(x)[y].reindex(steps)
                label = code if series.notna().any() else f"{code} (no data)"
                style = (dict(color="black", linewidth=2.6, markersize=5.5, zorder=4) if code == highlight
                         else dict(color=colours[code], linewidth=1.3, markersize=3.5, alpha=0.9, zorder=3))
                panel.plot(steps, series.to_numpy(dtype="float64"), marker="o", label=label, **style)
            panel.set_title(PANEL_TITLES.get(group, group))
            panel.set_xlabel(xlabel)
            panel.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
            panel.set_xlim(steps[0] - margin, steps[-1] + margin)
            panel.grid(True, color="0.88", linewidth=0.6)
            handles, labels = panel.get_legend_handles_labels()
            order = sorted(range(len(labels)), key=lambda i: (labels[i] != highlight, labels[i]))
            panel.legend([handles[i] for i in order], [labels[i] for i in order], loc="best", ncols=2)
        axes[0].set_ylabel(ylabel)
        figure.suptitle(title, fontsize=12.0)
        figure.subplots_adjust(left=0.07, right=0.99, top=0.86, bottom=0.17 if credit else 0.12, wspace=0.1)
        if credit:
            figure.text(0.07, 0.015, credit, fontsize=7.0, color="0.35", ha="left", va="bottom")
        image = io.BytesIO()
        figure.savefig(image, format="png", dpi=DPI, metadata={"Software": None})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, image.getvalue())
    return path


def credit_line(resource: dict[str, Any], highlight: str = HIGHLIGHT) -> str:
    """'Source: <publisher's title>. Licence: <licence>.' from a datapackage resource."""
    source = resource.get("sources", [{}])[0].get("title", resource.get("title", ""))
    licence = resource.get("licenses", [{}])[0].get("name", "")
    who = "Kazakhstan" if highlight == HIGHLIGHT else highlight
    return f"Source: {source}. Licence: {licence}. Chart: kzegov_data, {who} highlighted."


def write_figures(processed_dir: Path, figures_dir: Path, resources: dict[str, dict[str, Any]]) -> list[Path]:
    """Draw every card figure whose table is published; ``resources`` are the CSV resources by name."""
    written = []
    for figure in CARD_FIGURES:
        if figure.table not in resources:
            continue
        frame = figure_frame(figure, processed_dir)
        written.append(plot_comparison(
            frame, figures_dir / f"{figure.name}.png", title=figure.title, ylabel=figure.ylabel, x=figure.x,
            xlabel=figure.xlabel, credit=credit_line(resources[figure.table]),
        ))
    return written


def figure_for(series: str, data_dir: Path | None = None) -> Figure:
    """The figure of ``TABLE/COLUMN`` (a wide table's column) or ``TABLE/INDICATOR`` (a long table's).

    A series the data card draws keeps the card's selection: ``ti_cpi/score`` is the 0-100 scale only.

    >>> figure_for("ti_cpi/score").where
    (('scale', '0-100'),)
    """
    from .api import resolve_data_dir
    from .errors import UnknownTableError
    from .publish import table_resources, year_column

    table, _, name = series.partition("/")
    if not table or not name:
        msg = f"{series!r}: write TABLE/COLUMN or TABLE/INDICATOR, e.g. un_egov/egdi or itu_ict/internet_users_pct"
        raise KzegovDataError(msg)
    for figure in CARD_FIGURES:
        if figure.table == table and name in (figure.value, *(wanted for _, wanted in figure.where)):
            return figure
    resources = table_resources(resolve_data_dir(data_dir))
    if table not in resources:
        msg = f"unknown table {table!r}; published tables: {', '.join(sorted(resources))}"
        raise UnknownTableError(msg)
    fields = {spec["name"]: spec for spec in resources[table]["schema"]["fields"]}
    x = year_column(resources[table])
    if x is None:
        msg = f"table {table!r} has no year column, so it has no series to plot"
        raise KzegovDataError(msg)
    numbers = [column for column, spec in fields.items() if spec.get("type") in ("number", "integer") and column != x]
    label = f"{fields[name].get('title', name)} ({fields[name].get('kzegov:unit', '')})" if name in fields else name
    if name in numbers:
        return Figure(name=f"{table}_{name}", table=table, value=name, title=f"{table}: {name}", ylabel=label,
                      caption="", x=x, xlabel=x.replace("_", " ").capitalize())
    if "indicator" in fields and numbers:
        return Figure(name=f"{table}_{name}", table=table, value=numbers[0], where=(("indicator", name),),
                      title=f"{table}: {name}", ylabel=f"{name} ({numbers[0]})", caption="", x=x,
                      xlabel=x.replace("_", " ").capitalize())
    msg = f"{series!r}: {table} has no numeric column {name!r}; numeric columns: {', '.join(numbers)}"
    raise KzegovDataError(msg)


def plot_series(
    series: str, path: Path, *, data_dir: Path | None = None, highlight: str = HIGHLIGHT,
    groups: Sequence[str] = PANELS,
) -> Path:
    """Draw ``TABLE/COLUMN`` or ``TABLE/INDICATOR`` for ``highlight`` (Kazakhstan) against each of
    ``groups`` (Central Asia and the EAEU) into ``path`` (PNG).

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> plot_series("un_egov/egdi", folder / "egdi.png").read_bytes()[1:4]
    b'PNG'
    """
    from .api import resolve_data_dir
    from .publish import table_resources

    figure = figure_for(series, data_dir)
    folder = resolve_data_dir(data_dir)
    frame = figure_frame(figure, folder, groups, highlight)
    if frame.empty:
        codes = ", ".join(sorted({highlight, *peer_codes(groups)}))
        msg = f"{series!r}: no values for {codes}; is {series.partition('/')[2]!r} published?"
        raise KzegovDataError(msg)
    return plot_comparison(frame, path, title=figure.title, ylabel=figure.ylabel, x=figure.x, xlabel=figure.xlabel,
                           groups=groups, highlight=highlight,
                           credit=credit_line(table_resources(folder)[figure.table], highlight))


# --- revisions: one country's series in every edition of a revising source -------------------------------


@dataclass(frozen=True)
class RevisionFigure:
    """One figure of the data card's revisions sections: an indicator of a revising table, by edition."""

    name: str  #: file stem, e.g. ``revisions_undp_hdi``
    table: str
    indicator: str  #: an indicator id of the ``revisions`` table
    title: str
    ylabel: str
    caption: str


REVISION_FIGURES: tuple[RevisionFigure, ...] = (
    RevisionFigure(
        name="revisions_undp_hdi", table="undp_hdi", indicator="hdi",
        title="Kazakhstan's Human Development Index in each Human Development Report", ylabel="HDI (index 0-1)",
        caption="Kazakhstan's HDI as each edition publishes it, one line per edition (the current one black). "
        "Every report recalculates the whole series back to 1990 with new data and methods, so the lines differ "
        "for the same year: compare years only within one edition.",
    ),
    RevisionFigure(
        name="revisions_wb_wgi", table="wb_wgi", indicator="wgi_control_of_corruption",
        title="Kazakhstan's WGI Control of Corruption in each update", ylabel="estimate (standard-normal units)",
        caption="Kazakhstan's Control of Corruption estimate as each WGI update publishes it, one line per update "
        "(the current one black). Each update re-estimates every year from its sources, so part of any change "
        "between two updates is revision, not movement.",
    ),
    RevisionFigure(
        name="revisions_itu_ict", table="itu_ict", indicator="internet_users_pct",
        title="Kazakhstan's Internet users in each ITU edition", ylabel="% of individuals",
        caption="Share of individuals using the Internet in Kazakhstan as each ITU edition publishes it (the current "
        "one black); ITU revises earlier years when national data or its estimates change. For Kazakhstan the two "
        "lines coincide: the June 2019 file carries full precision, the DataHub export 4 decimals, and their "
        "values for 2000-2018 differ by that rounding only. Such rounding counts as a change in the table below "
        "(a change is any difference), so its share of changed values overstates ITU's revisions; its mean and "
        "largest changes do not.",
    ),
)


def plot_revisions(wide: pd.DataFrame, editions: Sequence[str], path: Path, *, title: str, ylabel: str,
                   credit: str = "") -> Path:
    """Draw one line per edition (columns ``editions`` of ``wide``, by ``year``; the last, current, in
    black) and save a PNG at ``path``. Markers are the published values; a missing year is a gap."""
    matplotlib = require_matplotlib()
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MatplotlibFigure
    from matplotlib.ticker import MaxNLocator

    if wide.empty or not editions:
        msg = f"nothing to plot for {title!r}: no values in any edition"
        raise KzegovDataError(msg)
    years = wide["year"].astype("int64").to_numpy()
    colours = itertools.cycle(matplotlib.colormaps["tab10"].colors)
    with matplotlib.style.context("default"), matplotlib.rc_context(STYLE):
        figure = MatplotlibFigure(figsize=SIZE_INCHES, dpi=DPI)
        FigureCanvasAgg(figure)
        axes = figure.subplots()
        for number, edition in enumerate(editions):
            current = number == len(editions) - 1
            style = (dict(color="black", linewidth=2.4, markersize=4.5, zorder=4) if current
                     else dict(color=next(colours), linewidth=1.4, markersize=3.5, zorder=3))
            axes.plot(years, wide[edition].to_numpy(dtype="float64"), marker="o", label=edition, **style)
        axes.set_xlabel("Year the value refers to")
        axes.set_ylabel(ylabel)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
        axes.grid(True, color="0.88", linewidth=0.6)
        axes.legend(loc="best", title="edition")
        figure.suptitle(title, fontsize=11.0)
        figure.subplots_adjust(left=0.08, right=0.99, top=0.89, bottom=0.19 if credit else 0.12)
        if credit:
            figure.text(0.08, 0.015, credit, fontsize=7.0, color="0.35", ha="left", va="bottom")
        image = io.BytesIO()
        figure.savefig(image, format="png", dpi=DPI, metadata={"Software": None})
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, image.getvalue())
    return path


def write_revision_figures(processed_dir: Path, figures_dir: Path, resources: dict[str, dict[str, Any]],
                           highlight: str = HIGHLIGHT) -> list[Path]:
    """Draw every revisions figure whose table is published, when the folder has a ``revisions`` table."""
    from .api import revisions
    from .registry import REVISIONS_TABLE

    if REVISIONS_TABLE not in resources:
        return []
    written = []
    for figure in REVISION_FIGURES:
        if figure.table not in resources:
            continue
        wide = revisions(figure.indicator, countries=highlight, data_dir=processed_dir)
        resource = resources[figure.table]
        licence = resource.get("licenses", [{}])[0].get("name", "")
        credit = (f"Source: {resource.get('title', figure.table)}, every edition published here "
                  f"({', '.join(wide.attrs['editions'])}). Licence: {licence}. Chart: kzegov_data.")
        written.append(plot_revisions(wide, wide.attrs["editions"], figures_dir / f"{figure.name}.png",
                                      title=figure.title, ylabel=figure.ylabel, credit=credit))
    return written
