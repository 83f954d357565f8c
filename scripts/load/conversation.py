"""What one simulated user of `make bench-cluster` says, and how a reply is judged.

Plain Python (no Locust), so it can be read and tested on its own. The material comes from the
development sets, never from a holdout: advice questions from tests/data/advice_eval.yml,
explanations from tests/data/dialogue_eval.yml (kind "explain") and planner answers from
tests/data/planner_answers.yml. The texts that mean "something went wrong" are read from where
they are defined: the action-failure apology (rasa_ext), the web server's and the Telegram
bridge's "niet bereikbaar", and the domain's "not understood" responses (counted apart: they
are an answer, not a failure of the service).
"""

from __future__ import annotations

import ast
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
STEPS = 6
START_PLAN = "ik wil een plan van aanpak maken"
QUESTION = re.compile(r"\bVraag (\d+) van (\d+)\b")
# Where the failure texts live: (file, module-level constant).
FAILURE_CONSTANTS = (
    ("rasa_ext/action_failure_apology.py", "APOLOGY"),
    ("channels/web/server.py", "UNREACHABLE"),
    ("channels/telegram/bridge.py", "UNAVAILABLE"),
)
NOT_UNDERSTOOD = ("utter_default", "utter_ask_rephrase")
TRIES_PER_STEP = 3  # a step asked a third time after two answers is stuck


def constant(path: Path, name: str) -> str | None:
    """The value of a module-level string constant, read without importing the module."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return str(ast.literal_eval(node.value)).strip()
    return None


def failure_texts(root: Path = ROOT) -> set[str]:
    texts = {constant(root / path, name) for path, name in FAILURE_CONSTANTS}
    return {t for t in texts if t}


def not_understood_texts(root: Path = ROOT) -> set[str]:
    texts: set[str] = set()
    for path in sorted((root / "bot" / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name in NOT_UNDERSTOOD:
            texts |= {r["text"].strip() for r in responses.get(name) or [] if "text" in r}
    return texts


@dataclass(frozen=True)
class Material:
    advice: list[str]
    explain: list[str]
    steps: dict[int, list[str]]


def load_material(data: Path = DATA) -> Material:
    def read(name: str) -> dict:
        return yaml.safe_load((data / name).read_text(encoding="utf-8")) or {}

    advice = [q["text"] for q in read("advice_eval.yml").get("questions") or []]
    utterances = read("dialogue_eval.yml").get("utterances") or []
    explain = [u["text"] for u in utterances if u.get("kind") == "explain"]
    steps: dict[int, list[str]] = {n: [] for n in range(1, STEPS + 1)}
    for answer in read("planner_answers.yml").get("answers") or []:
        steps[int(answer["step"])].append(str(answer["text"]))
    return Material(advice=advice, explain=explain, steps=steps)


def texts(replies: list[dict]) -> str:
    return "\n".join(str(r.get("text") or "") for r in replies)


def step_asked(replies: list[dict]) -> int | None:
    """The planner question a reply asks ('Vraag 3 van 6' -> 3), the last one if several."""
    found = QUESTION.findall(texts(replies))
    return int(found[-1][0]) if found else None


def plan_link(replies: list[dict]) -> str | None:
    for reply in replies:
        custom = reply.get("custom") or {}
        if custom.get("type") == "plan" and str(custom.get("url", "")).endswith(".docx"):
            return str(custom["url"])
    return None


def buttons(replies: list[dict]) -> list[str]:
    return [str(b.get("payload")) for r in replies for b in r.get("buttons") or []]


@dataclass
class Judge:
    """Judges replies: None when fine, else the reason it counts as an error."""

    failures: set[str] = field(default_factory=failure_texts)
    not_understood: set[str] = field(default_factory=not_understood_texts)

    def failure(self, replies: list[dict]) -> str | None:
        if not any(str(r.get("text") or "").strip() or r.get("custom") for r in replies):
            return "leeg antwoord"
        said = {str(r.get("text") or "").strip() for r in replies}
        if said & self.failures:
            return "verontschuldiging of 'niet bereikbaar'"
        return None

    def misunderstood(self, replies: list[dict]) -> bool:
        return any(str(r.get("text") or "").strip() in self.not_understood for r in replies)

    def planner(self, step: int, replies: list[dict]) -> tuple[str, str | None]:
        """After answering question ``step``: 'next', 'again' (same question) or 'done'.

        The second value is the error when the reply is not the right step.
        """
        if step == STEPS:
            if plan_link(replies):
                return "done", None
            asked = step_asked(replies)
            if asked == STEPS:
                return "again", None
            return "done", f"na vraag {STEPS} geen plan (vraag {asked})"
        asked = step_asked(replies)
        if asked == step + 1:
            return "next", None
        if asked == step:
            return "again", None
        return "next", f"na vraag {step} kwam vraag {asked} in plaats van {step + 1}"


@dataclass
class Script:
    """One conversation: its opening turns, then the six planner answers to choose from."""

    opening: list[tuple[str, str]]  # (kind, text)
    answers: dict[int, list[str]]
    click_method: bool  # step 5: press the first method button instead of typing
    closing: str


class Deck:
    """Hands out texts so that none comes again before all others have been drawn.

    The simulated users of one Locust process share one deck per kind of text, so two
    conversations only send the same advice question or problem when the development set has
    run out (then the deck is shuffled again). Without it, random draws from a set of ~140 texts
    repeat within a few dozen conversations, and a cache of query embeddings would flatter the
    numbers with cross-user repeats real users seldom make.
    """

    def __init__(self, items: list[str], rng: random.Random):
        self.items = list(items)
        self.rng = rng
        self.queue: list[str] = []
        self.drawn = 0

    def draw(self, avoid: set[str] = frozenset()) -> str:
        if not self.queue:
            self.queue = self.rng.sample(self.items, len(self.items))
        pick = next((i for i, t in enumerate(self.queue) if t not in avoid), 0)
        self.drawn += 1
        return self.queue.pop(pick)


@dataclass
class Decks:
    """One deck per kind of text a conversation sends (see Deck)."""

    advice: Deck
    explain: Deck
    steps: dict[int, Deck]

    @classmethod
    def of(cls, material: Material, rng: random.Random) -> Decks:
        return cls(
            advice=Deck(material.advice, rng),
            explain=Deck(material.explain, rng),
            steps={step: Deck(pool, rng) for step, pool in material.steps.items()},
        )


def new_script(material: Material, rng: random.Random, decks: Decks | None = None) -> Script:
    """One conversation; ``decks`` (shared by all users) keeps texts from repeating across them."""
    decks = decks or Decks.of(material, rng)
    advice: list[str] = []
    for _ in range(rng.randint(1, 2)):
        advice.append(decks.advice.draw(avoid=set(advice)))
    opening = [("advies", q) for q in advice]
    opening.append(("uitleg", decks.explain.draw()))
    rng.shuffle(opening)
    if rng.random() < 0.5:
        opening.insert(0, ("groet", "hallo"))
    answers: dict[int, list[str]] = {}
    for step, pool in material.steps.items():
        first = decks.steps[step].draw()
        others = [t for t in pool if t != first]
        answers[step] = [first, *rng.sample(others, min(TRIES_PER_STEP - 1, len(others)))]
    return Script(opening, answers, rng.random() < 0.5, rng.choice(["bedankt", "dank je wel"]))
