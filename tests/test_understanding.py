"""Understanding: search as a route for messages the classifier is not sure about."""

from __future__ import annotations

import asyncio

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.understand import ActionUnderstand
from knowledge.understanding import (
    Route,
    answered_question,
    best_guess,
    for_method_question,
    is_language,
    is_question,
    planner_interruption,
    route,
)


@pytest.mark.parametrize(
    "text",
    ["recept voor erwtensoep", "wat voor weer wordt het morgen", "hoe laat is het", "pizza"],
)
def test_dutch_text_is_language(text):
    assert is_language(text)


@pytest.mark.parametrize("text", ["asdfgh", "kjhkjh lkj", "xx zzz 123 mmm", "...", "🙂", ""])
def test_keyboard_mash_and_symbols_are_not_language(text):
    assert not is_language(text)


def _advice_in_scope(text: str) -> tuple[bool, set[str]]:
    from knowledge.advice import advise
    from knowledge.catalogue import load_catalogue
    from knowledge.search import get_searcher

    advice = advise(load_catalogue(), get_searcher(), text)
    return advice.in_scope, {m.group for m in get_searcher().lexicon.find(text)}


def test_search_hits_give_advice():
    text = "een kleine groep jeugdige veelplegers pleegt de meeste delicten"
    assert route(text, *_advice_in_scope(text)) is Route.ADVICE


def test_search_no_match_on_dutch_text_is_out_of_scope():
    text = "wat kost een nieuw paspoort"
    in_scope, groups = _advice_in_scope(text)
    assert not in_scope
    assert route(text, in_scope, groups) is Route.OUT_OF_SCOPE


def test_gibberish_is_not_understood():
    assert route("kjhkjh lkj", *_advice_in_scope("kjhkjh lkj")) is Route.NOT_UNDERSTOOD
    assert route("...", False) is Route.NOT_UNDERSTOOD


def test_classifier_out_of_scope_needs_catalogue_vocabulary_to_become_advice():
    assert route("een 30 km zone in onze straat", True, {"settings"}, True) is Route.OUT_OF_SCOPE
    text = "veel inbraken in de nieuwbouwwijk"
    assert route(text, *_advice_in_scope(text), True) is Route.ADVICE


def test_questions():
    assert is_question("wat is KVO")
    assert is_question("en KVO?")
    assert not is_question("we gaan voor het kvo")


@pytest.mark.parametrize(
    ("text", "intent", "methods", "expected"),
    [
        ("wat is KVO?", "explain_method", ["kvo"], "explain_method"),
        ("we gaan voor het kvo", "explain_method", ["kvo"], None),
        ("hoe werkt het eigenlijk?", "explain_method", [], None),
        ("help", "help", [], "help"),
        ("welke methoden zijn er voor jeugd?", "list_methods", [], "list_methods"),
        ("niks eigenlijk", "out_of_scope", [], None),
        ("de wijkagent en het jongerenwerk", "ask_partners", [], None),
        ("wat voor weer wordt het morgen?", "out_of_scope", [], "out_of_scope"),
        ('/inform{"method": "kvo"}', "inform", ["kvo"], None),
    ],
)
def test_inside_the_planner_only_clear_questions_interrupt(text, intent, methods, expected):
    assert planner_interruption(text, intent, methods) == expected


def test_an_out_of_scope_question_with_safety_words_is_an_answer():
    text = "hoe kan het dat er zoveel fietsen worden gestolen bij het station?"
    assert planner_interruption(text, "out_of_scope", [], safety_words=True) is None


def _run(text: str, intent: str):
    t = Tracker(
        sender_id="test",
        slots={},
        latest_message={"text": text, "intent": {"name": intent}, "entities": []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionUnderstand().run(dispatcher, t, {"slots": {}, "forms": {}}))
    return dispatcher.messages, events


def test_action_gives_advice_for_a_problem_description():
    messages, events = _run("zakkenrollers op de markt en in de bus", "nlu_fallback")
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert any(p.startswith("/explain_method") for p in payloads)
    assert any(e.get("name") == "method" for e in events)


def test_action_answers_out_of_scope_and_not_understood_with_domain_responses():
    messages, _ = _run("hoe vraag ik een parkeervergunning aan", "out_of_scope")
    assert messages[0]["response"] == "utter_out_of_scope"
    messages, _ = _run("asdfgh", "nlu_fallback")
    assert messages[0]["response"] == "utter_default"


def test_a_question_about_no_method_gets_advice_or_which_method_is_meant():
    # No method named and none talked about: a problem in it gets advice ...
    messages, _ = _run("wie moet ik erbij halen tegen zakkenrollers op de markt?", "ask_partners")
    assert any(b["payload"].startswith("/explain_method") for b in messages[0]["buttons"])
    # ... and without one the assistant asks which method is meant, never out of scope.
    messages, _ = _run("wat is de buurtvaderaanpak?", "explain_method")
    assert "Welke methode bedoel je?" in messages[0]["text"]


def test_a_question_about_no_method_asks_which_or_gets_help_or_the_search_answer():
    out, unknown = Route.OUT_OF_SCOPE, Route.NOT_UNDERSTOOD
    assert for_method_question("wat kost die aanpak", "explain_method", out) is Route.WHICH_METHOD
    assert for_method_question("hoe werkt die", "ask_partners", unknown) is Route.WHICH_METHOD
    assert for_method_question("wat is dit voor iets", "explain_method", out) is Route.HELP
    assert for_method_question("wat is het recept voor soep", "explain_method", out) is out
    assert for_method_question("wat kost die", "explain_method", Route.ADVICE) is Route.ADVICE
    assert for_method_question("wat kost die", "out_of_scope", out) is out


def _validate(slot: str, text: str, intent: str, entities=None):
    from actions.validate_planner_form import ValidatePlannerForm

    t = Tracker(
        sender_id="test",
        slots={},
        latest_message={"text": text, "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    method = getattr(ValidatePlannerForm(), f"validate_{slot}")
    return asyncio.run(method(text, dispatcher, t, {"slots": {}, "forms": {}})), dispatcher.messages


@pytest.mark.parametrize(
    ("slot", "text", "intent"),
    [
        ("plan_problem", "overlast", "search_method"),
        ("plan_current", "de wijkagent en het jongerenwerk, verder niks", "ask_partners"),
        ("plan_current", "we gebruiken de groepsaanpak van beke al", "explain_method"),
        (
            "plan_monitoring",
            "we tellen elk kwartaal de meldingen bij politie en gemeente",
            "nlu_fallback",
        ),
        ("plan_monitoring", "politie", "out_of_scope"),
        ("plan_methods", "weet ik nog niet, wat raad jij aan?", "search_method"),
    ],
)
def test_inside_the_planner_an_answer_is_an_answer(slot, text, intent):
    result, _ = _validate(slot, text, intent)
    assert result[slot] == text


def test_inside_the_planner_a_clear_question_is_answered_and_the_step_asked_again():
    entities = [{"entity": "method", "value": "kvo"}]
    result, messages = _validate("plan_current", "wat is KVO?", "explain_method", entities)
    assert result == {"plan_current": None}
    assert messages[0]["text"].startswith("Keurmerk Veilig Ondernemen")
    result, messages = _validate("plan_problem", "help", "help")
    assert result == {"plan_problem": None} and messages[0]["response"] == "utter_help"


def test_a_topic_classified_as_a_question_about_a_method_goes_to_the_search_engine():
    from actions.explain_method import ActionExplainMethod

    t = Tracker(
        sender_id="test",
        slots={},
        latest_message={"text": "radicalisering", "intent": {"name": "explain_method"}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionExplainMethod().run(dispatcher, t, {"slots": {}, "forms": {}}))
    assert dispatcher.messages == []
    assert [e["name"] for e in events] == ["action_understand"]


def test_the_best_guess_skips_the_fallback_and_answers_about_the_assistant_or_help():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "bot_challenge", "confidence": 0.4},
        {"name": "help", "confidence": 0.1},
    ]
    guess, confidence = best_guess(ranking)
    assert (guess, confidence) == ("bot_challenge", 0.4)
    text = "door wie is deze assistent bedacht"
    assert route(text, False, set(), False, guess, confidence) is Route.ABOUT
    assert route(text, False, set(), False, "help", 0.35) is Route.HELP
    # A weak guess is no answer: the honest out-of-scope answer stays.
    assert route(text, False, set(), False, "bot_challenge", 0.1) is Route.OUT_OF_SCOPE
    # Search finding methods wins over any guess.
    assert route(text, True, {"problems"}, False, "bot_challenge", 0.9) is Route.ADVICE


def test_a_best_guess_of_out_of_scope_needs_catalogue_vocabulary_for_advice():
    assert route("eisen aan een peuterzaal", True, {"settings"}, False, "out_of_scope", 0.3) is (
        Route.OUT_OF_SCOPE
    )
    assert route("inbraak bij de peuterzaal", True, {"problems"}, False, "out_of_scope", 0.3) is (
        Route.ADVICE
    )


def test_out_of_scope_vocabulary_without_the_catalogue_own_is_never_advice():
    assert route("brandveiligheid in de flat", True, {"out_of_scope", "settings"}) is (
        Route.OUT_OF_SCOPE
    )
    assert route("inbraak en brand", True, {"out_of_scope", "problems"}) is Route.ADVICE


def test_the_answered_question_is_the_one_before_a_clarifying_question():
    events = [
        {"event": "user", "text": "overlast in de wijk"},
        {"event": "bot", "text": "Past bij jouw probleem ... Nog een vraag: gaat het om jongeren?"},
        {"event": "user", "text": "ja, jongeren"},
    ]
    assert answered_question(events) == "overlast in de wijk"
    events[1]["text"] = "Past bij jouw probleem ..."
    assert answered_question(events) is None
