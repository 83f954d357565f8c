"""Where a plan's files live and how they are downloaded: the Word file and the progress plot.

Plain paths only (no plan building, no search): the web server and the Telegram bridge use this
to serve downloads. A plan id is unguessable (128 bits) and doubles as the file name.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

PLANS_DIR_SETTING = "METHODEWIJZER_PLANS_DIR"
DEFAULT_PLANS_DIR = Path(__file__).resolve().parents[2] / "data" / "plans"
_PLAN_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
DOWNLOAD_PREFIX = "/plans/"


def new_plan_id() -> str:
    """Unguessable id (128 bits), also the file name of the download."""
    return secrets.token_urlsafe(16)


def is_plan_id(value: str) -> bool:
    return bool(_PLAN_ID.match(value or ""))


class PlanFiles:
    """A plan's Word file and progress plot under the plans directory (they survive a restart).

    Every method checks the id first, so a crafted name ("../x") never becomes a path.
    """

    def __init__(self, root: Path | None = None):
        self.root = root or Path(os.environ.get(PLANS_DIR_SETTING, DEFAULT_PLANS_DIR))

    def _path(self, plan_id: str, suffix: str) -> Path | None:
        return self.root / f"{plan_id}{suffix}" if is_plan_id(plan_id) else None

    def docx_target(self, plan_id: str) -> Path:
        """Where the Word file of a plan is written."""
        path = self._path(plan_id, ".docx")
        if path is None:
            raise ValueError("not a plan id")
        return path

    def docx_path(self, plan_id: str) -> Path | None:
        """The plan's Word file when it exists (None for an unknown or malformed id)."""
        path = self._path(plan_id, ".docx")
        return path if path is not None and path.is_file() else None

    def chart_path(self, plan_id: str) -> Path | None:
        """Where the progress plot of a plan goes (None for an id that is not a plan id)."""
        return self._path(plan_id, ".png")

    def existing_chart(self, plan_id: str) -> Path | None:
        path = self.chart_path(plan_id)
        return path if path is not None and path.is_file() else None

    def remove(self, plan_id: str) -> None:
        """Delete a plan's files (old download links of a shared plan stop working).

        ".json" is the plan data that older versions also wrote next to the Word file.
        """
        for suffix in (".json", ".docx", ".png"):
            path = self._path(plan_id, suffix)
            if path is not None:
                path.unlink(missing_ok=True)

    @staticmethod
    def download_path(plan_id: str, suffix: str = ".docx") -> str:
        """The URL path of a download: "/plans/<id>.docx" or "/plans/<id>.png"."""
        return f"{DOWNLOAD_PREFIX}{plan_id}{suffix}"

    @staticmethod
    def download_name(plan_id: str) -> str:
        """The file name a browser saves the Word file under."""
        return f"plan-van-aanpak-{plan_id[:8]}.docx"
