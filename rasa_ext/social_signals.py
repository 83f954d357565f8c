"""Greetings, thanks and farewells by their words (for IntentSignals).

Short social texts ("hoi, ik ben beleidsmedewerker", "super, dank!") have few words for DIET to
go by; when it is not sure, or calls them out of scope, a planner answer or a problem, their own
words decide: a thank word, a farewell, or a greeting at the start. Only in short texts that
name no catalogue method or problem and ask nothing: "hoi, wat is KVO?" and "hallo, er is veel
overlast bij de supermarkt" are questions for the catalogue and the search engine.

Runs in the Rasa environment (rasa_ext/intent_signals.py); pure regular expressions.
"""

import re
from typing import Any

from rasa_ext import method_questions as mq

THANKS = re.compile(
    r"\b(bedankt|dank|dankje|dankjewel|dankuwel|thanks|thank|thx|thnx|tnx|merci|chapeau)\b",
    re.IGNORECASE,
)
FAREWELL = re.compile(
    mq.FAREWELL.pattern + r"|\b(doei\w*|doeg|houdoe|later|bye|fijne (dag|avond|middag))\b",
    re.IGNORECASE,
)
# A greeting opens the text ("dag" alone is a greeting or a farewell: DIET decides that).
GREETING = re.compile(
    r"^\W*(hallo\w*|hoi\w*|hey|heey\w*|hee|hi|hai|hello|yo|goede(n)?(morgen|middag|avond|dag)|"
    r"goeie(morgen|middag|avond|dag)|goede (morgen|middag|avond))\b|^\W*(morgen|middag|avond)\W*$",
    re.IGNORECASE,
)
QUESTION = re.compile(r"\?|^\W*\w+\W+" + mq.QUESTION_WORDS + r"\b", re.I)
MAX_WORDS = 10
# The classifier's choices a social text may be taken from: never a command, a yes or a no.
SOCIAL_FROM = frozenset({mq.FALLBACK, "out_of_scope", "inform", "search_method"})


def social_intent(
    intent: str, text: str, entities: list[dict[str, Any]], vocabulary: mq.Vocabulary
) -> str | None:
    """greet, thank or goodbye when a short text is made of their words, else None."""
    if intent not in SOCIAL_FROM or not text or text.startswith("/"):
        return None
    if len(text.split()) > MAX_WORDS or QUESTION.search(text):
        return None
    if vocabulary.methods_in(text, []) or vocabulary.names_a_topic(text, []):
        return None
    if THANKS.search(text):
        return "thank"
    if FAREWELL.search(text):
        return "goodbye"
    if GREETING.match(text):
        return "greet"
    return None
