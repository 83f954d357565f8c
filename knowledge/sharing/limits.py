"""Limits of shared plans, read from the environment (``.env``), with defaults for a municipality.

Every limit protects the plan store from a careless or hostile client: a new sender id per
request cannot create plans without end, and one partner cannot fill a plan for everyone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from datetime import timedelta


@dataclass(frozen=True)
class Limits:
    plans_per_sender: int = 20
    contributions_per_participant: int = 200
    contributions_per_plan: int = 1000
    measurements_per_participant: int = 500
    measurements_per_plan: int = 2000
    join_code_days: int = 30  # a join code expires this many days after it was made
    join_failures_per_sender: int = 5  # wrong codes per client within the window
    join_failures_per_plan: int = 10  # failed joins aimed at one plan within the window
    join_failure_minutes: int = 10  # the window of both join-failure limits

    @property
    def join_code_age(self) -> timedelta:
        return timedelta(days=self.join_code_days)

    @property
    def join_failure_window(self) -> timedelta:
        return timedelta(minutes=self.join_failure_minutes)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """``METHODEWIJZER_<NAME>`` overrides each default (e.g. METHODEWIJZER_JOIN_CODE_DAYS)."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, int] = {}
        for field in fields(cls):
            raw = environ.get(setting(field.name), "").strip()
            if raw:
                value = int(raw)
                if value < 1:
                    raise ValueError(f"{setting(field.name)} must be at least 1, not {value}")
                values[field.name] = value
        return cls(**values)


def setting(name: str) -> str:
    """The environment variable of a limit: plans_per_sender -> METHODEWIJZER_PLANS_PER_SENDER."""
    return f"METHODEWIJZER_{name.upper()}"


#: The user's message when a limit is reached, per limit.
MESSAGES = {
    "plans_per_sender": (
        "Je hebt al {limit} plannen gemaakt. Sluit of gebruik een bestaand plan, of vraag de "
        "beheerder om meer ruimte."
    ),
    "contributions_per_participant": (
        "Je hebt al {limit} bijdragen aan dit plan gegeven. Dat is het maximum. Verwijder een "
        "oude bijdrage als je iets nieuws wilt toevoegen."
    ),
    "contributions_per_plan": (
        "Dit plan heeft al {limit} bijdragen. Dat is het maximum. De eigenaar kan oude "
        "bijdragen verwijderen."
    ),
    "measurements_per_participant": (
        "Je hebt al {limit} metingen ingevoerd voor dit plan. Dat is het maximum."
    ),
    "measurements_per_plan": "Dit plan heeft al {limit} metingen. Dat is het maximum.",
}
