"""The chat page's JavaScript mirrors the custom payload types of knowledge/payloads.py.

The page (and the widget's embed view, same script) cannot import Python, so chat.js repeats
the payload constants and the plan-id pattern; this test fails when the two drift apart.
"""

from __future__ import annotations

import json
import re

from channels.web.server import STATIC_DIR
from knowledge import payloads
from knowledge.plan import files

SCRIPT = (STATIC_DIR / "chat.js").read_text(encoding="utf-8")


def js_object(name: str) -> dict[str, str]:
    match = re.search(rf"var {name} = (\{{[^}}]*\}});", SCRIPT)
    assert match, f"chat.js defines no {name}"
    quoted = re.sub(r"([A-Z_]+):", r'"\1":', match.group(1))  # JS keys -> JSON keys
    return json.loads(quoted)


def test_payload_constants_agree() -> None:
    assert js_object("PAYLOAD") == {
        "TYPE": payloads.TYPE,
        "PLAN_ID": payloads.PLAN_ID,
        "PLAN": payloads.PLAN,
        "CHART": payloads.CHART,
    }
    assert set(payloads.KINDS) == {payloads.PLAN, payloads.CHART}  # chat.js knows both kinds


def test_plan_id_pattern_and_download_paths_agree() -> None:
    match = re.search(r"var PLAN_ID = /(.+)/;", SCRIPT)
    assert match and match.group(1) == files._PLAN_ID.pattern
    # the page links relative to itself: "plans/<id>.docx" and "plans/<id>.png"
    prefix = files.DOWNLOAD_PREFIX.lstrip("/")
    assert files.PlanFiles.download_path("x", ".docx") == f"/{prefix}x.docx"
    assert f'"{prefix}" + encodeURIComponent(entry.plan) + ".docx"' in SCRIPT
    assert f'"{prefix}" + encodeURIComponent(entry.chart) + ".png' in SCRIPT
