"""Advice for a described problem: the one entry point that turns a question into an answer.

``advise`` runs the search and builds the answer. The Rasa actions (the recommend action and the
understanding fallback) call only this function, so the rules for a good answer live here:

- "Past bij jouw probleem": 1-3 specific methods that really fit (fewer beats a filler), each
  with one reason as a plain Dutch sentence, and "Begin met" after the first one;
- "Algemene werkwijze": one line with the Lokale Veiligheidsplanner and the Matrix IVZ, which
  lead only when the question is about the process itself;
- below a minimum fit, the best guess plus one clarifying question with buttons
  (knowledge/data/advice.yml);
- dated facts marked, and a footer naming the 2008 Quick Scan as the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from knowledge.advice_eval import CLARIFY_PREFIX, GENERAL_HEADER, SPECIFIC_HEADER
from knowledge.answers import SOURCE, Reply, display_name, recommendation
from knowledge.catalogue import DATA_DIR, Catalogue
from knowledge.nl.lexicon import Match
from knowledge.schema import AdviceRules, Clarification, ClarifyOption, Method
from knowledge.search import Searcher, SearchResult

RULES_FILE = DATA_DIR / "advice.yml"
MAX_METHODS = 3
# A second or third method is shown only when its score is at least this share of the first
# one's and the report's tables tie it to what the question names (set on the dev set)...
MIN_FIT = 0.9
# ... and only when the value that ties it is shared by fewer than this share of the methods
# (so "jongeren", 8 of 26, and "de wijk", 9 of 26, are not telling); a reason cites only such a
# value (set on the dev set: 1/3 let "jongeren" through, unfitting in block 0.093 -> 0.071).
TELLING_SHARE = 0.3
# A clarifying question is asked when the runner-up of a distinction is this close.
ASK_MARGIN = 0.8
# A process question: no problem or place named, a process word and a process method scoring
# this close to the best method; without a process word it must score this close and no group
# of people may be named (set on the dev set).
PROCESS_SCORE = 0.95
PROCESS_SCORE_WITH_CUE = 0.6
PREFER_WITHIN = 5  # a cue moves a method up only if the search has it among the first five
TOPIC_GROUPS = frozenset({"problems", "settings"})


@dataclass(frozen=True)
class Advice:
    """The answer to show, the methods it names (best first) and what kind of answer it is."""

    reply: Reply
    method_ids: tuple[str, ...]
    in_scope: bool
    clarifying: bool = False


@cache
def rules(path: Path = RULES_FILE) -> AdviceRules:
    return AdviceRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def advise(
    catalogue: Catalogue, searcher: Searcher, query: str, previous: str | None = None
) -> Advice:
    """Advice for ``query`` (the user's own words); raises SearchError for an empty query.

    ``previous`` is the question the user answers when the assistant just asked a clarifying
    question; the two are read together.
    """
    if previous and previous.strip() and previous.strip() not in query:
        query = f"{previous.strip()}. {query}"
    result = searcher.search(query, top=len(catalogue))
    about_process = _has_cue(query, rules().process_cues)
    if result.no_match and about_process:
        # No topic words, but plainly about the process: the process methods are the answer.
        result = searcher.search(query, top=len(catalogue), rank_anyway=True)
    if (result.no_match and not about_process) or not result.hits:
        return Advice(recommendation(catalogue, result), (), False)
    ranked, process = _rank(catalogue, result)
    ask = None if process else _clarification(ranked, result, query)
    chosen = ranked[:1] + [
        method_id
        for method_id in ranked[1:MAX_METHODS]
        if _fits(catalogue, method_id, ranked[0], result)
    ]
    if process:
        chosen = [m for m in ranked if catalogue.get(m).process]
    reply = _reply(catalogue, chosen, result, process, ask, query)
    return Advice(reply, tuple(chosen), True, ask is not None)


# --- ranking ---------------------------------------------------------------------------------


def _scores(result: SearchResult) -> dict[str, float]:
    return {hit.id: hit.score for hit in result.hits}


def _topic_matches(result: SearchResult) -> list[Match]:
    """Problems and places the question names; a guessed typo ("stellen" ~ "stelen") is none."""
    return [m for m in result.matches if m.group in TOPIC_GROUPS and not m.fuzzy]


def is_process_question(catalogue: Catalogue, result: SearchResult, query: str) -> bool:
    """About the process as a whole: no problem or place named, a process method scores high."""
    if _topic_matches(result):
        return False
    if result.no_match:
        return True  # only reached with a process word (see advise)
    named = {m.key for m in result.matches if m.group == "methods"}
    if any(not catalogue.get(k).process for k in named):
        return False
    scores = _scores(result)
    top = max(scores.values())
    best_process = max((s for m, s in scores.items() if catalogue.get(m).process), default=0.0)
    ratio = best_process / top if top > 0 else 0.0
    if _has_cue(query, rules().process_cues):
        return ratio >= PROCESS_SCORE_WITH_CUE
    # Without a process word only when no group of people is named either.
    named_groups = any(m.group == "target_groups" for m in result.matches)
    return not named_groups and ratio >= PROCESS_SCORE


def _rank(catalogue: Catalogue, result: SearchResult) -> tuple[list[str], bool]:
    """Specific methods by score, a cue's preferred methods first; process methods last."""
    process = is_process_question(catalogue, result, result.query)
    ranked = [h.id for h in result.hits]
    if process:
        return sorted(ranked, key=lambda m: not catalogue.get(m).process), True
    specific = [m for m in ranked if not catalogue.get(m).process]
    for clarification in rules().clarifications:
        option = _answered(clarification, result.query)
        if option is None:
            continue
        near = specific[:PREFER_WITHIN]
        if specific[0] in option.prefer:
            continue  # the best guess already fits the answer
        # Only a distinction about the best guess, or a preferred method close behind it.
        if specific[0] not in clarification.methods and not set(option.prefer) & set(near[:3]):
            continue
        preferred = [m for m in option.prefer if m in near]
        specific = preferred + [m for m in specific if m not in preferred]
    return specific, False


def _share(catalogue: Catalogue, match: Match) -> int:
    """How many methods the report's tables (or the vocabulary) tie to a matched value."""
    if match.group == "problems":
        return len(catalogue.by_problem(match.key))
    term = getattr(catalogue.vocabulary, match.group)[match.key]
    return sum(1 for m in catalogue if m.id in term.methods or match.key in getattr(m, match.group))


def _tied(catalogue: Catalogue, method: Method, match: Match) -> bool:
    """The tables tie ``method`` to the problem, place or group of ``match``."""
    if match.group == "problems":
        return match.key in method.problems
    if match.group in ("settings", "target_groups"):
        term = getattr(catalogue.vocabulary, match.group)[match.key]
        return method.id in term.methods or match.key in getattr(method, match.group)
    return False


def agrees(catalogue: Catalogue, method_id: str, result: SearchResult) -> bool:
    """The question names the method, or a problem, place or group that ties it to few methods.

    A value shared by 30 % of the methods or more ("wijk": 9 of 26, "jongeren": 8) says little
    about this one, and a guessed typo is no evidence.
    """
    method = catalogue.get(method_id)
    telling = len(catalogue) * TELLING_SHARE
    for match in result.matches:
        if match.fuzzy:
            continue
        if match.group == "methods" and match.key == method_id:
            return True
        if _tied(catalogue, method, match) and _share(catalogue, match) <= telling:
            return True
    return False


def _fits(catalogue: Catalogue, method_id: str, first: str, result: SearchResult) -> bool:
    scores = _scores(result)
    return scores[method_id] >= MIN_FIT * scores[first] and agrees(catalogue, method_id, result)


# --- clarifying questions --------------------------------------------------------------------


def _has_cue(query: str, cues: list[str]) -> bool:
    low = query.lower()
    return any(re.search(rf"(?<!\w){re.escape(cue.lower())}", low) for cue in cues)


def _answered(clarification: Clarification, query: str) -> ClarifyOption | None:
    return next((o for o in clarification.options if _has_cue(query, o.cues)), None)


def _clarification(ranked: list[str], result: SearchResult, query: str) -> Clarification | None:
    """The one question to ask when the best guess and a close runner-up differ on it."""
    scores = _scores(result)
    first = ranked[0]
    for clarification in rules().clarifications:
        if first not in clarification.methods or _answered(clarification, query):
            continue
        close = [
            m
            for m in ranked[1:PREFER_WITHIN]
            if m in clarification.methods and scores[m] >= ASK_MARGIN * scores[first]
        ]
        if close:
            return clarification
    return None


# --- the answer ------------------------------------------------------------------------------


def reason(catalogue: Catalogue, method: Method, result: SearchResult) -> str:
    """One B1 sentence: what the user named (a telling fact) and whom the method is made for."""
    said = _telling_words(catalogue, method, result)
    core = f"{method.short_name} is gemaakt voor {method.made_for}."
    if said and said.lower() not in core.lower():
        if said[1:2].islower():  # "Woninginbraak" -> "woninginbraak", but keep "KVO"
            said = said[0].lower() + said[1:]
        return f"Je noemt {said}, en {core}"
    return core


def _telling_words(catalogue: Catalogue, method: Method, result: SearchResult) -> str | None:
    """The user's phrase for a problem, place or group that this method has and few others do.

    The same measure as the block's: "de wijk" (9 of 26 methods) explains nothing.
    """
    telling = len(catalogue) * TELLING_SHARE
    for match in result.matches:
        if match.fuzzy or match.group not in ("problems", "settings", "target_groups"):
            continue
        if _tied(catalogue, method, match) and _share(catalogue, match) <= telling:
            return match.phrase
    return None


def begin_with(catalogue: Catalogue, method: Method) -> str:
    """The first step: whom to involve first, the municipality's role, and time if known."""
    party = rules().party_phrases[method.first_partner]
    roles = [catalogue.label("roles", r).lower() for r in method.roles]
    role_text = roles[0] if len(roles) == 1 else ", ".join(roles[:-1]) + " en " + roles[-1]
    text = f"Begin met: betrek eerst {party}. De gemeente is hier {role_text}."
    return text + (f" {method.effort}" if method.effort else "")


def comparable(catalogue: Catalogue, first: str, second: str) -> bool:
    """Two specific methods of the same safety field (not 'overig') or the same problem."""
    a, b = catalogue.get(first), catalogue.get(second)
    if a.process or b.process:
        return False
    same_field = set(a.field) & set(b.field) - {"overig"}
    return bool(same_field or set(a.problems) & set(b.problems))


def _reply(
    catalogue: Catalogue,
    chosen: list[str],
    result: SearchResult,
    process: bool,
    ask: Clarification | None,
    query: str,
) -> Reply:
    lines = [f"{SPECIFIC_HEADER}:"]
    for i, method_id in enumerate(chosen, 1):
        method = catalogue.get(method_id)
        lines.append(f"{i}. {display_name(method)}: {reason(catalogue, method, result)}")
        if method.dated_note:
            lines.append(f"   {method.dated_note}")
        if i == 1:
            lines.append(f"   {begin_with(catalogue, method)}")
    if ask is not None:
        lines.append(f"{CLARIFY_PREFIX} {ask.question}")
    if not process:
        planner, matrix = catalogue.get("veiligheidsplanner"), catalogue.get("matrix_ivz")
        lines.append(
            f"{GENERAL_HEADER}: met de {planner.name} maak je samen met partners een plan, "
            f"en de {matrix.name} ({matrix.abbreviation}) helpt de gemeente de regie te houden."
        )
    lines.append(SOURCE + ".")
    reply = Reply("\n".join(lines))
    if ask is not None:
        for option in ask.options:
            reply.buttons.append({"title": option.title, "payload": f"{query}. {option.text}"})
    for method_id in chosen:
        reply.add_button(
            f"Uitleg {catalogue.get(method_id).short_name}", "explain_method", method=method_id
        )
    if len(chosen) >= 2 and comparable(catalogue, chosen[0], chosen[1]):
        names = [catalogue.get(m).short_name for m in chosen[:2]]
        reply.add_button(
            f"Vergelijk {names[0]} en {names[1]}", "compare_methods", method=chosen[:2]
        )
    reply.add_button("Plan maken", "start_plan", method=chosen[0])
    return reply
