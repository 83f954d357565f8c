"""Judge the assistant's first reply to an utterance: which kind of answer, which methods.

Used by `make bench-dialogue` (scripts/bench_dialogue.py) and the quick end-to-end test
(tests/test_e2e_understanding.py). Nothing here is a copy of a reply: the texts come from the
domain files (bot/domain/*.yml), from the answer builders in knowledge.answers and from the
catalogue (method names, planner questions).
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import permutations
from pathlib import Path

import yaml

from knowledge import answers
from knowledge.advice_eval import GENERAL_HEADER, SPECIFIC_HEADER, read_answer
from knowledge.catalogue import Catalogue, load_catalogue
from knowledge.search import SearchResult

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SETS = {
    "dev": DATA / "dialogue_eval.yml",
    "dev2": DATA / "dialogue_eval_2.yml",
    "holdout": DATA / "dialogue_holdout.yml",
}
PLANNER_SET = DATA / "planner_answers.yml"

# The first reply of each chit-chat kind is a domain response.
RESPONSE_OF_KIND = {
    "greet": "utter_greet",
    "thanks": "utter_thank",
    "goodbye": "utter_goodbye",
    "help": "utter_help",
    "about": "utter_about",
    "out_of_scope": "utter_out_of_scope",
    "gibberish": "utter_default",
}
ANSWER_KINDS = ("explain", "compare", "partners", "role", "list")
# Neutral answers that bring a fresh planner conversation to a given step.
START_PLAN = "ik wil een plan van aanpak maken"
NEUTRAL_ANSWERS = (
    "er is veel winkeldiefstal in het winkelcentrum",
    "winkeldiefstal is het belangrijkste",
    "de politie surveilleert af en toe",
    "Het aantal winkeldiefstallen in het centrum daalt in 2027 met 20% ten opzichte van 2025.",
    '/inform{"method": "kvo"}',
)


@dataclass
class Observed:
    """What a reply is: its kind and the catalogue methods it names."""

    kind: str
    methods: list[str] = field(default_factory=list)
    text: str = ""


@cache
def catalogue() -> Catalogue:
    return load_catalogue()


@cache
def domain_texts() -> dict[str, list[str]]:
    """Response name -> its texts, from all domain files."""
    texts: dict[str, list[str]] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variants in (data.get("responses") or {}).items():
            texts.setdefault(name, []).extend(v["text"] for v in variants if v.get("text"))
    return texts


@cache
def _method_patterns() -> dict[str, re.Pattern[str]]:
    patterns = {}
    for method in catalogue():
        names = [re.escape(method.name)]
        if method.abbreviation:
            names.append(r"(?-i:" + re.escape(method.abbreviation) + ")")
        patterns[method.id] = re.compile(r"(?<!\w)(" + "|".join(names) + r")(?!\w)", re.I)
    return patterns


def methods_named(text: str) -> list[str]:
    """Catalogue methods named in a reply, in the order they first appear."""
    found = []
    for method_id, pattern in _method_patterns().items():
        hit = pattern.search(text)
        if hit:
            found.append((hit.start(), method_id))
    return [m for _, m in sorted(found)]


def method_id(value: str) -> str | None:
    """An eval file may name a method by id, name or abbreviation."""
    folded = str(value).strip().lower()
    for method in catalogue():
        if folded in {method.id, method.name.lower(), (method.abbreviation or "").lower()}:
            return method.id
    return None


@cache
def _no_match_text() -> str:
    return answers.recommendation(catalogue(), SearchResult("", [], True)).text


@cache
def _builder_texts() -> list[tuple[str, list[str], str]]:
    """(kind, methods, text) for every explanation, comparison, partner answer and list."""
    cat = catalogue()
    out: list[tuple[str, list[str], str]] = []
    for m in cat:
        out.append(("explain", [m.id], answers.explanation(cat, m).text))
        out.append(("partners", [m.id], answers.partners(cat, m).text))
    for a, b in permutations([m.id for m in cat], 2):
        out.append(("compare", [a, b], answers.comparison(cat, a, b).text))
    for facet in answers.FACET_TITLES:
        group = getattr(cat.vocabulary, facet, None) or {}
        for key in group:
            reply = answers.method_list(cat, facet, key)
            out.append(("list", [], reply.text))
    out.append(("unknown_method", [], answers.unknown_method(cat).text))
    return out


def _is_response(text: str, name: str) -> bool:
    return any(variant.strip() in text for variant in domain_texts().get(name, []))


def classify(replies: list[dict]) -> Observed:
    """The kind of the bot's whole reply to one message (one or more messages)."""
    text = "\n".join(m.get("text") or "" for m in replies).strip()
    payloads = [b.get("payload", "") for m in replies for b in m.get("buttons") or []]
    steps = catalogue().planner.steps
    if not text and not payloads:
        return Observed("empty")
    if SPECIFIC_HEADER in text or GENERAL_HEADER in text:
        buttons = [b for m in replies for b in m.get("buttons") or []]
        return Observed("advice", read_answer(catalogue(), text, buttons).methods, text)
    if _no_match_text() in text:
        return Observed("no_match", [], text)
    for kind, methods, built in _builder_texts():
        if built in text:
            return Observed(kind, methods, text)
    if payloads and all(p.startswith("/list_methods") for p in payloads):
        return Observed("list", [], text)
    if steps[0].question in text and "Vraag 1 " in text:
        return Observed("planner_start", [], text)
    for kind, response in RESPONSE_OF_KIND.items():
        if _is_response(text, response):
            return Observed(kind, [], text)
    return Observed("other", methods_named(text), text)


def acceptable(item: dict, seen: Observed) -> bool:
    """Is ``seen`` an acceptable first reply to eval ``item`` ({text, kind, methods?, ...})?"""
    kind = item["kind"]
    wanted = [m for m in (method_id(v) for v in item.get("methods") or []) if m]
    if kind == "advice":
        return seen.kind == "advice" and (not wanted or bool(set(wanted) & set(seen.methods)))
    if kind in ("partners", "role"):
        return seen.kind == "partners" and (not wanted or seen.methods[0] in wanted)
    if kind == "explain":
        return seen.kind == "explain" and (not wanted or seen.methods[0] in wanted)
    if kind == "compare":
        return seen.kind == "compare" and (len(wanted) < 2 or set(seen.methods) == set(wanted[:2]))
    if kind == "list":
        return seen.kind == "list"
    if kind == "planner_start":
        return seen.kind == "planner_start"
    if kind == "sharing":
        # Sharing actions have many texts (join, news, leave, ...): any reply that is none of
        # the other kinds is a sharing answer.
        return seen.kind == "other"
    return seen.kind == kind


def is_fallback(seen: Observed) -> bool:
    """The assistant did not understand, or found nothing, for a described problem."""
    return seen.kind in ("gibberish", "no_match")


def load_set(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("utterances") or [])


def load_planner_answers(path: Path = PLANNER_SET) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return list(data.get("answers") or [])


# --- talking to the assistant -------------------------------------------------------------------

Post = Callable[[str, str], list[dict]]


def new_sender(prefix: str = "dlg") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def first_reply(post: Post, text: str) -> Observed:
    """Send ``text`` in a fresh conversation and classify the reply."""
    return classify(post(new_sender(), text))


def _step_question(step: int) -> str:
    return catalogue().planner.steps[step - 1].question


def taken_in_step(post: Post, step: int, text: str) -> tuple[bool, str]:
    """Drive a fresh planner conversation to ``step``, answer ``text``: was it taken there?"""
    sender = new_sender("plan")
    replies = post(sender, START_PLAN)
    for answer in NEUTRAL_ANSWERS[: step - 1]:
        replies = post(sender, answer)
    asked = "\n".join(m.get("text") or "" for m in replies)
    if f"Vraag {step} " not in asked:
        return False, f"niet bij vraag {step} gekomen: {asked[:120]!r}"
    reply = "\n".join(m.get("text") or "" for m in post(sender, text))
    if step < 6:
        ok = f"Vraag {step + 1} " in reply and _step_question(step + 1) in reply
        if not ok and step == 4:
            ok = _smart_feedback(text) in reply  # a goal that is not SMART yet: taken as goal
        return ok, reply[:160]
    # The last answer ends the planner: the summary holds it and question 6 is not asked again.
    head = " ".join(text.split())[:40]
    ok = _step_question(6) not in reply and head in " ".join(reply.split())
    return ok, reply[:160]


def _smart_feedback(text: str) -> str:
    """The step-4 feedback the assistant gives for ``text`` after the neutral answers."""
    from knowledge import planning
    from knowledge.nl.lexicon import lexicon_for

    cat = catalogue()
    lexicon = lexicon_for(cat)
    first, second = (
        planning.recognise(answer, lexicon).get("problems", []) for answer in NEUTRAL_ANSWERS[:2]
    )
    problems = list(dict.fromkeys(second + first))  # step 2 puts its priorities first
    check = planning.check_smart(text, lexicon, problems)
    if check.ok:
        return "\0"  # a SMART goal must be followed by question 5
    label = cat.vocabulary.problems[problems[0]].label if problems else None
    return planning.smart_feedback(check, cat, label)


def rest_poster(client, url: str) -> Post:
    def post(sender: str, text: str) -> list[dict]:
        response = client.post(url, json={"sender": sender, "message": text})
        response.raise_for_status()
        return response.json()

    return post


def dumps(item: dict, seen: Observed) -> str:
    return json.dumps(
        {"text": item["text"], "kind": item["kind"], "got": seen.kind, "methods": seen.methods},
        ensure_ascii=False,
    )
