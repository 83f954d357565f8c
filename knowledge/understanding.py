"""Understanding: what to do with a message the intent classifier is not sure about.

The classifier stands in front of the search engine. When it is not confident (Rasa's
``nlu_fallback``), when a context intent lacks its signal (rasa_ext/intent_signals.py) or when
it calls a message out of scope, the message comes here and the search engine decides:

- search finds methods for it            -> ADVICE (knowledge.advice, as for the advice intent)
- the classifier's best guess, below its threshold, is a question about the assistant or for
  help                                   -> ABOUT or HELP (the classifier was close, search
                                            found nothing: "wie heeft jou gemaakt")
- search says "not ours" and it is Dutch -> OUT_OF_SCOPE (the honest out-of-scope answer)
- neither                                -> NOT_UNDERSTOOD ("begreep ik niet", with examples)

The classifier's best guess is the top of its ranking after nlu_fallback; intents demoted for
lacking their signal have left that ranking (rasa_ext/intent_signals.py). When that guess is
out_of_scope, the text must name the catalogue's own vocabulary to get advice, as when the
classifier said out_of_scope with confidence; vocabulary the catalogue marks as out of scope
("brandveiligheid", "30 km zone") without any of its own never gets advice.

"Is it Dutch?" is answered with the word frequencies of the `wordfreq` package: a message is
language when at least half of its words are real Dutch words, so "xx zzz 123" and "asdfgh"
are not, while "recept voor erwtensoep" is.

Pure Python: no Rasa import, so the rules are tested without a server.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum

from knowledge.advice_eval import CLARIFY_PREFIX

# Vocabulary that makes a message about local safety even when the classifier said "out of
# scope": a method or a problem of table 3.7, a target group or a safety field. Settings
# ("straat", "centrum") and parties alone do not: "een 30 km zone in onze straat" is not ours.
IN_SCOPE_GROUPS = frozenset({"methods", "problems", "target_groups", "field"})
OUT_OF_SCOPE_GROUP = "out_of_scope"  # knowledge/data/vocabulary.yml: out_of_scope
FALLBACK_INTENT = "nlu_fallback"
# A best guess worth following when search finds nothing: a third of the classifier's belief
# (its threshold for being sure is 0.45, config.yml).
GUESS_MIN = 0.3
WORD_ZIPF = 3.0  # wordfreq's Zipf scale: 3 = once per million words; typos and keyboard mash < 1
_WORD = re.compile(r"[^\W\d_]+")
_VOWEL = re.compile(r"[aeiouyáéíóúëïöüè]")


class Route(StrEnum):
    ADVICE = "advice"
    ABOUT = "about"
    HELP = "help"
    OUT_OF_SCOPE = "out_of_scope"
    NOT_UNDERSTOOD = "not_understood"
    WHICH_METHOD = "which_method"  # "welke methode bedoel je?"


# Chit-chat the classifier may have been close to; answered as such when search finds nothing.
GUESS_ROUTES = {"bot_challenge": Route.ABOUT, "help": Route.HELP}


def best_guess(ranking: Iterable[dict]) -> tuple[str | None, float]:
    """The classifier's most likely intent other than nlu_fallback, and its confidence."""
    for item in ranking or ():
        name = item.get("name")
        if name and name != FALLBACK_INTENT:
            return name, float(item.get("confidence") or 0.0)
    return None, 0.0


def _zipf(word: str) -> float:
    from wordfreq import zipf_frequency  # loads its Dutch word list on first use

    return zipf_frequency(word, "nl")


def is_word(token: str) -> bool:
    """A real Dutch word: letters with a vowel, not one letter repeated, and in use."""
    token = token.lower()
    if len(token) < 2 or not _VOWEL.search(token) or len(set(token)) == 1:
        return False
    return _zipf(token) >= WORD_ZIPF


def is_language(text: str) -> bool:
    """At least half of the words of ``text`` are real Dutch words (and there is one)."""
    tokens = _WORD.findall(text or "")
    if not tokens:
        return False
    real = sum(is_word(t) for t in tokens)
    return real > 0 and real * 2 >= len(tokens)


def in_scope(
    advice_in_scope: bool, vocabulary: Iterable[str], classifier_out_of_scope: bool = False
) -> bool:
    """Does the search engine take this message as a local-safety question?

    ``advice_in_scope``: knowledge.advice found methods for it. ``vocabulary``: the lexicon
    groups named in the text. When the classifier itself called the message out of scope, the
    text must also name the catalogue's own vocabulary (a method, problem, target group, field).
    """
    groups = set(vocabulary)
    if not advice_in_scope or (OUT_OF_SCOPE_GROUP in groups and not IN_SCOPE_GROUPS & groups):
        return False
    return not classifier_out_of_scope or bool(IN_SCOPE_GROUPS & groups)


def route(
    text: str,
    advice_in_scope: bool,
    vocabulary: Iterable[str] = (),
    classifier_out_of_scope: bool = False,
    guess: str | None = None,
    guess_confidence: float = 0.0,
) -> Route:
    """Advice, about the assistant, help, the out-of-scope answer, or "not understood".

    ``guess``: the classifier's best guess below its threshold (``best_guess``).
    """
    if in_scope(advice_in_scope, vocabulary, classifier_out_of_scope or guess == "out_of_scope"):
        return Route.ADVICE
    if guess in GUESS_ROUTES and guess_confidence >= GUESS_MIN:
        return GUESS_ROUTES[guess]
    if is_language(text):
        return Route.OUT_OF_SCOPE
    return Route.NOT_UNDERSTOOD


def answered_question(events: Iterable[dict], clarify_prefix: str = CLARIFY_PREFIX) -> str | None:
    """The user's question before the assistant's last answer, when that answer asked a
    clarifying question (it contains ``clarify_prefix``): the reply is read with it."""
    bot_text = None
    for event in reversed(list(events)):
        if event.get("event") == "bot" and bot_text is None:
            bot_text = event.get("text") or ""
            if clarify_prefix not in bot_text:
                return None
        elif event.get("event") == "user" and bot_text is not None:
            return event.get("text") or None
    return None


# --- inside the planner: an answer is an answer --------------------------------------------------

_QUESTION_START = re.compile(
    r"^\s*(wat|hoe|welke|welk|wie|waarom|waar|wanneer|kun|kan|vertel|leg|uitleg|verschil|"
    r"vergelijk)\b",
    re.IGNORECASE,
)
# Intents that ask about a method; inside the planner they interrupt only when a method is named.
METHOD_QUESTIONS = frozenset({"explain_method", "compare_methods", "ask_partners", "ask_role"})
# Intents that interrupt the planner when the text is a question ...
OTHER_QUESTIONS = frozenset({"help", "list_methods", "out_of_scope", "bot_challenge"})
# ... or, for these, a request of a few words ("help", "alle methoden").
SHORT_REQUESTS = frozenset({"help", "list_methods"})
SHORT_REQUEST_WORDS = 3


# A question about a method that names none (and none was talked about) asks which method is
# meant when it says "methode" or "aanpak" or points at one ("hoe werkt die?"); "dit" or "hier"
# without a method word is the assistant in front of the user ("hoe werkt dit?": help). Otherwise
# search's answer stands ("wat is het recept voor erwtensoep" is out of scope).
_METHOD_WORD = re.compile(r"(method|aanpak|werkwijze|interventie|programma)", re.IGNORECASE)
_THAT_ONE = re.compile(r"\b(deze|die|hij)\b", re.IGNORECASE)
_THIS_HERE = re.compile(r"\b(dit|hier)\b", re.IGNORECASE)


def for_method_question(text: str, intent: str | None, decision: Route) -> Route:
    """The answer to a question about a method that names none: ``decision`` when search
    found advice or the classifier's guess was help or about, else WHICH_METHOD, HELP or it."""
    if intent not in METHOD_QUESTIONS or decision not in (Route.OUT_OF_SCOPE, Route.NOT_UNDERSTOOD):
        return decision
    if _METHOD_WORD.search(text) or _THAT_ONE.search(text):
        return Route.WHICH_METHOD
    if _THIS_HERE.search(text):
        return Route.HELP
    return decision


def is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.match(text))


def planner_interruption(
    text: str, intent: str | None, methods_named: list[str], safety_words: bool = False
) -> str | None:
    """The intent to answer first when a planner answer is really a question, else None.

    Inside the planner every text is an answer to the open question, also when it names a
    partner, a source or a method. Only a clear question interrupts: a question about a named
    method ("wat is KVO?"), or a question for help, a list of methods, about the assistant or
    about something out of scope; help and lists also as a request of a few words ("help").
    Commands ("terug", "stop") never reach this: the form leaves them to the rules.
    ``safety_words``: the text names the catalogue's vocabulary (a problem, place, group, party);
    then a question the classifier calls out of scope is an answer ("hoe kan het dat er zoveel
    fietsen worden gestolen bij het station?").
    """
    if not text or text.startswith("/"):
        return None
    if intent in METHOD_QUESTIONS and methods_named and is_question(text):
        return intent
    if intent == "out_of_scope" and safety_words:
        return None
    if intent in OTHER_QUESTIONS and is_question(text):
        return intent
    if intent in SHORT_REQUESTS and len(text.split()) <= SHORT_REQUEST_WORDS:
        return intent
    return None
