"""The Lokale Veiligheidsplanner's logic: SMART check, recognising problems, assembling a plan.

No Rasa here: the planner form's validation action calls these functions with plain text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date

from knowledge.catalogue import Catalogue
from knowledge.goals.goals import read_goal
from knowledge.nl.dates import MONTH_ALTERNATION
from knowledge.nl.lexicon import Lexicon
from knowledge.nl.text import fold

_TIME_BOUND = re.compile(
    rf"\b(20\d\d|19\d\d|q[1-4]|kwartaal|{MONTH_ALTERNATION}|binnen\s+\S+\s+(jaar|jaren|maanden|maand|weken|week)"
    r"|over\s+\S+\s+(jaar|jaren|maanden|maand)|(eind|einde|uiterlijk|voor|na|per)\s+(het\s+)?(jaar|"
    r"zomer|winter|najaar|voorjaar|volgend|dit|deze)|volgend jaar|dit jaar|komend\w* jaar"
    r"|schooljaar|jaareinde|deadline)\b"
)
_AREA = re.compile(
    r"\b(wijk|buurt|centrum|binnenstad|dorp|kern|stad|gemeente|straat|plein|park|station\w*|"
    r"winkelcentr\w*|winkelstra\w*|winkelgebied\w*|winkels|bedrijventerrein|uitgaansgebied|school|scholen|horeca|gebied|complex|flat|"
    r"(in|op|rond|bij|rondom)\s+(de|het)?\s*[a-z]+(straat|plein|weg|laan|park|wijk|buurt))\b"
)
_EFFECT = re.compile(
    r"\b(minder|daal\w*|daling|afname|afneem\w*|neemt af|verminder\w*|terug\w*|omlaag|lager|"
    r"meer|stijg\w*|toename|toeneem\w*|verhog\w*|verbeter\w*|hoger|groei\w*|veiliger|"
    r"tevreden\w*|voelt|voelen|ervaren|halver\w*|verdubbel\w*|maximaal|hooguit|ten hoogste|"
    r"ten minste|minimaal|niet meer dan|onder de|boven de)\b"
)
_MEASURE = re.compile(
    r"\b(plaatsen|plaatsen van|ophangen|camera\w*|surveill\w*|inzetten|inzet van|organiseren|"
    r"aanstellen|aannemen|opzetten|starten|invoeren|we gaan|wij gaan|we zetten|we houden|"
    r"voorlichting|bijeenkomst\w*|flyer\w*|extra boa\w*|handhav\w*|controles?)\b"
)
MAX_GOAL_TRIES = 2


@dataclass
class SmartCheck:
    names_problem: bool
    names_area: bool
    measurable: bool
    time_bound: bool
    looks_like_measure: bool
    problems: list[str] = field(default_factory=list)

    @property
    def specific(self) -> bool:
        return self.names_problem and self.names_area

    @property
    def ok(self) -> bool:
        return self.specific and self.measurable and self.time_bound and not self.looks_like_measure

    @property
    def missing(self) -> list[str]:
        names = []
        if not self.specific:
            what = [
                part
                for part, present in (
                    ("welk probleem", self.names_problem),
                    ("waar", self.names_area),
                )
                if not present
            ]
            names.append(f"specifiek ({' en '.join(what)})")
        if not self.measurable:
            names.append("meetbaar (een aantal of percentage)")
        if not self.time_bound:
            names.append("tijdgebonden (een datum of periode)")
        return names

    def verdict(self) -> str:
        if self.ok:
            return "SMART: specifiek, meetbaar en tijdgebonden"
        if self.looks_like_measure and not self.missing:
            return "lijkt een maatregel, geen doel"
        return "niet helemaal SMART: mist " + ", ".join(self.missing)


def check_smart(
    goal: str,
    lexicon: Lexicon,
    known_problems: list[str] | None = None,
    today: date | None = None,
) -> SmartCheck:
    """Check the S, M and T of a goal, and whether it is really a measure ('camera's plaatsen').

    M and T come from the goal reader that monitoring uses too (knowledge/goals/goals.py).
    """
    text = fold(goal)
    problems = [m.key for m in lexicon.find(goal) if m.group == "problems"]
    names_problem = bool(problems) or any(
        fold(word) in text for word in _problem_words(known_problems or [])
    )
    names_area = bool(_AREA.search(text)) or any(m.group == "settings" for m in lexicon.find(goal))
    reading = read_goal(goal, lexicon, today)
    measurable = reading.measurable  # the number monitoring measures progress against
    time_bound = reading.deadline is not None or bool(_TIME_BOUND.search(text))
    looks_like_measure = bool(_MEASURE.search(text)) and not _EFFECT.search(text)
    return SmartCheck(
        names_problem=names_problem,
        names_area=names_area,
        measurable=measurable,
        time_bound=time_bound,
        looks_like_measure=looks_like_measure,
        problems=list(dict.fromkeys(problems)),
    )


def _problem_words(keys: list[str]) -> list[str]:
    return [k.replace("_", " ").split()[0] for k in keys]


def smart_feedback(check: SmartCheck, catalogue: Catalogue, problem_label: str | None) -> str:
    """Explain what is missing, with an example of a better goal."""
    subject = (problem_label or "winkeldiefstal").lower()
    example = (
        f"Voorbeeld: 'Het aantal meldingen van {subject} in het centrum daalt in 2027 met 20% "
        f"ten opzichte van 2025.'"
    )
    if check.looks_like_measure:
        advice = next(
            (a for a in catalogue.planner.advice if a.key == "doel_versus_maatregel"), None
        )
        why = f" {advice.text}" if advice else ""
        return (
            "Dit klinkt als een maatregel (wat je gaat doen), nog niet als een doel (wat je wilt "
            f"bereiken).{why} Die maatregel komt bij vraag 5. {example}"
        )
    return (
        "Je doel is nog niet helemaal SMART. Het mist: " + "; ".join(check.missing) + f". {example}"
    )


def recognise(text: str, lexicon: Lexicon) -> dict[str, list[str]]:
    """Problems, settings, target groups, parties and methods named in a free answer."""
    found: dict[str, list[str]] = {}
    for match in lexicon.find(text):
        keys = found.setdefault(match.group, [])
        if match.key not in keys:
            keys.append(match.key)
    return found


@dataclass
class PlanState:
    """What the planner keeps between turns besides the six answers (JSON-serialisable)."""

    problems: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    current_methods: list[str] = field(default_factory=list)
    current_parties: list[str] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    goal_tries: int = 0
    goal_verdict: str = ""
    notes: list[str] = field(default_factory=list)
    plan_id: str | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> PlanState:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in (data or {}).items() if k in known})

    def to_dict(self) -> dict:
        return asdict(self)


def suggested_indicators(
    catalogue: Catalogue, problems: list[str], limit: int = 4
) -> list[tuple[str, str]]:
    """(indicator, source) pairs for the plan's first problems, else general ones (step 6)."""
    table = catalogue.planner.indicators
    rows: list[tuple[str, str]] = []
    for key in [*problems[:2], "algemeen"]:
        rows += [(i.indicator, i.source) for i in table.get(key, [])]
    return list(dict.fromkeys(rows))[:limit]
