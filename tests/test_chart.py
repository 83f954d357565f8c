"""The progress chart: a real PNG, written atomically, without leaking figures."""

from __future__ import annotations

import gc
import struct

from knowledge.chart import progress_chart_png  # sets the Agg backend and config dir first

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

SERIES = {
    "winkeldiefstallen": [("Q1 2026", 60), ("Q2 2026", 55), ("Q3 2026", 49), ("Q1 2027", 42)],
    "veiligheidsgevoel": [("Q2 2026", 6.2), ("Q1 2027", 6.8)],
    "fietsendiefstallen": [("Q3 2026", 12)],
}
GOALS = {"winkeldiefstallen": 48, "veiligheidsgevoel": 7, "fietsendiefstallen": None}


def png_size(data: bytes) -> tuple[int, int]:
    return struct.unpack(">II", data[16:24])


def live_figures() -> int:
    from matplotlib.figure import Figure

    gc.collect()
    return sum(isinstance(obj, Figure) for obj in gc.get_objects())


def test_writes_a_png(tmp_path):
    path = progress_chart_png(SERIES, GOALS, tmp_path / "voortgang.png", title="Plan Centrum")
    data = path.read_bytes()
    assert path == tmp_path / "voortgang.png"
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 2048
    assert png_size(data) == (800, 450)
    assert [p.name for p in tmp_path.iterdir()] == ["voortgang.png"]  # no temp file left


def test_creates_the_folder_and_replaces_an_old_chart(tmp_path):
    path = tmp_path / "plans" / "abc" / "chart.png"
    progress_chart_png({"inbraken": [("2025", 60)]}, {"inbraken": 40}, path)
    first = path.read_bytes()
    progress_chart_png(SERIES, GOALS, path)
    assert path.read_bytes() != first
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_empty_series_still_gives_a_chart(tmp_path):
    path = progress_chart_png({}, {}, tmp_path / "leeg.png")
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    path = progress_chart_png({"inbraken": []}, {"inbraken": 40}, tmp_path / "alleen-doel.png")
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_two_calls_do_not_leak_figures(tmp_path):
    import matplotlib.pyplot as plt

    progress_chart_png(SERIES, GOALS, tmp_path / "warm.png")
    before_pyplot = plt.get_fignums()
    before = live_figures()
    progress_chart_png(SERIES, GOALS, tmp_path / "a.png")
    progress_chart_png(SERIES, GOALS, tmp_path / "b.png")
    assert plt.get_fignums() == before_pyplot
    assert live_figures() <= before
