"""A PNG chart of the monitoring measurements: one line per indicator, a dashed goal line.

Headless and offline: the Agg backend, no pyplot state (a Figure per call, so nothing leaks
between calls), and a private matplotlib config dir when the default one cannot be written.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _ensure_config_dir() -> None:
    """matplotlib writes a font cache; give it a writable dir for any user, before import."""
    current = os.environ.get("MPLCONFIGDIR")
    if current and os.access(current, os.W_OK):
        return
    candidate = Path(tempfile.gettempdir()) / f"methodewijzer-mpl-{os.getuid()}"
    try:
        candidate.mkdir(mode=0o700, exist_ok=True)
        usable = candidate.stat().st_uid == os.getuid() and os.access(candidate, os.W_OK)
    except OSError:
        usable = False
    if not usable:
        candidate = Path(tempfile.mkdtemp(prefix="methodewijzer-mpl-"))
    os.environ["MPLCONFIGDIR"] = str(candidate)


_ensure_config_dir()

import matplotlib  # noqa: E402

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from knowledge.goals import number_text, period_sort_key  # noqa: E402
from knowledge.sanitize import clean_data, clean_text  # noqa: E402

WIDTH_PX, HEIGHT_PX, DPI = 800, 450, 100


def progress_chart_png(
    series: dict[str, list[tuple[str, float]]],
    goals: dict[str, float | None],
    path: Path,
    title: str = "Voortgang",
) -> Path:
    """Draw the measurements per indicator over the periods and write a PNG atomically."""
    path = Path(path)
    # Texts stored before cleaning existed: clean again here, the writer must never fail on them.
    series, goals, title = clean_data(series), clean_data(goals), clean_text(title)
    labels = _period_axis(series)
    position = {label: i for i, label in enumerate(labels)}

    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    colours = [f"C{i}" for i in range(10)]
    drawn = False
    for index, (indicator, values) in enumerate(series.items()):
        colour = colours[index % len(colours)]
        name = _readable(indicator)
        if values:
            xs = [position[label] for label, _ in values]
            ys = [value for _, value in values]
            axes.plot(xs, ys, marker="o", linewidth=2, color=colour, label=name)
            drawn = True
        goal = goals.get(indicator)
        if goal is not None:
            axes.axhline(
                goal,
                linestyle="--",
                linewidth=1.5,
                color=colour,
                label=f"doel {indicator.strip()}: {number_text(goal)}",
            )
            drawn = True
    if labels:
        axes.set_xticks(range(len(labels)))
        rotate = len(labels) > 6
        axes.set_xticklabels(
            labels, rotation=30 if rotate else 0, ha="right" if rotate else "center"
        )
        axes.set_xlim(-0.5, len(labels) - 0.5)
    else:
        axes.set_xticks([])
    if not drawn:
        axes.text(0.5, 0.5, "Nog geen metingen", ha="center", va="center", transform=axes.transAxes)
    axes.set_title(title)
    axes.set_xlabel("Periode")
    axes.set_ylabel("Waarde")
    axes.grid(True, axis="y", alpha=0.3)
    if drawn:
        axes.legend(loc="best", fontsize="small")
    figure.tight_layout()

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as tmp:
            figure.savefig(tmp, format="png", dpi=DPI)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    finally:
        figure.clear()
    return path


def _period_axis(series: dict[str, list[tuple[str, float]]]) -> list[str]:
    """All period labels; in time order when every label is a known period, else as given."""
    labels = list(dict.fromkeys(label for values in series.values() for label, _ in values))
    keys = [period_sort_key(label) for label in labels]
    if all(keys):
        order = sorted(range(len(labels)), key=lambda i: (keys[i], i))
        return [labels[i] for i in order]
    return labels


def _readable(indicator: str) -> str:
    indicator = indicator.strip()
    return indicator[:1].upper() + indicator[1:] if indicator else "Meting"
