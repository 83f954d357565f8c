"""Advice answers as a user reads them: specific before generic, reasons as sentences, a first step."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from knowledge.advice import advise, agrees, comparable
from knowledge.advice import reason as reason_for
from knowledge.advice_eval import (
    CLARIFY_PREFIX,
    GENERAL_HEADER,
    SPECIFIC_HEADER,
    read_answer,
    sentence_problem,
)
from knowledge.answers import SOURCE
from knowledge.catalogue import load_catalogue
from knowledge.nl.lexicon import Match
from knowledge.search import SearchResult
from knowledge.search.hybrid import NO_MATCH_BM25, _unit_floor

CAT = load_catalogue()
DEV = Path(__file__).parent / "data" / "advice_eval.yml"


def ask(searcher, text: str, previous: str | None = None):
    advice = advise(CAT, searcher, text, previous=previous)
    return advice, read_answer(CAT, advice.reply.text, advice.reply.buttons)


def test_two_blocks_first_step_and_source(searcher):
    advice, answer = ask(searcher, "welke methode voor winkeldiefstal?")
    text = advice.reply.text
    assert answer.methods[0] == "kvo" and advice.method_ids[0] == "kvo"
    assert text.index(SPECIFIC_HEADER) < text.index(GENERAL_HEADER)
    assert "Lokale Veiligheidsplanner" in text.split(GENERAL_HEADER)[1]
    assert "Matrix Integrale Veiligheidszorg (IVZ)" in text.split(GENERAL_HEADER)[1]
    assert "Begin met: betrek eerst de ondernemers." in text
    assert "acht stappen" in text and "hercertificering" in text
    assert SOURCE in text and "2008" in text
    assert "KVO is gemaakt voor winkeliers" in answer.reasons[0]


def test_generic_methods_lead_only_for_process_questions(searcher):
    _, answer = ask(
        searcher, "een straat met veel problemen tegelijk: drugs, vervuiling, verloedering"
    )
    assert answer.methods and not CAT.get(answer.methods[0]).process
    _, answer = ask(searcher, "waar begin ik met een integraal veiligheidsplan voor de gemeente?")
    assert answer.methods and CAT.get(answer.methods[0]).process


def test_reasons_are_sentences_without_near_universal_facets(searcher):
    """Every reason over the whole dev set of questions passes the sentence test."""
    questions = yaml.safe_load(DEV.read_text(encoding="utf-8"))["questions"]
    checked = 0
    for q in questions:
        _, answer = ask(searcher, q["text"])
        for reason in answer.reasons:
            assert sentence_problem(CAT, reason) is None, (q["text"], reason)
            checked += 1
    assert checked >= len(questions)


@pytest.mark.parametrize(
    "reason",
    [
        "werkwijze: pakken",
        "partner Gemeente (tabel 3.6)",
        "probleem Winkeldiefstal (tabel 3.7)",
        "Je noemt gemeente, en KVO is gemaakt voor winkeliers die samen iets doen.",
        "naam: jongeren",
    ],
)
def test_sentence_test_rejects_scoring_notes(reason):
    assert sentence_problem(CAT, reason) is not None


def test_built_or_to_be_built_is_asked_and_the_buttons_lead_to_the_right_advice(searcher):
    question = "veel woninginbraken in onze nieuwbouwwijk"
    advice, answer = ask(searcher, question)
    assert advice.clarifying and CLARIFY_PREFIX in advice.reply.text
    assert answer.methods[0] in ("ver", "pkvw")
    titles = {b["title"]: b["payload"] for b in answer.clarify_buttons}
    assert set(titles) == {"Al gebouwd", "Nog te bouwen"}
    _, built = ask(searcher, titles["Al gebouwd"])
    _, planned = ask(searcher, titles["Nog te bouwen"])
    assert built.methods[0] == "pkvw" and not built.clarifying
    assert planned.methods[0] == "ver" and not planned.clarifying
    # A typed answer is read together with the question it answers.
    _, typed = ask(searcher, "de wijk moet nog gebouwd worden", previous=question)
    assert typed.methods[0] == "ver"


def test_compare_only_what_is_comparable():
    assert comparable(CAT, "kvo", "kvu")  # same field
    assert comparable(CAT, "vos", "vios")
    assert not comparable(CAT, "integriteitsmeter", "harde_kern_jeugd")
    assert not comparable(CAT, "kvo", "veiligheidsplanner")


def test_dated_facts_are_marked_where_the_method_is_shown(searcher):
    advice, answer = ask(searcher, "politie, OM en zorg samen onder één dak in een veiligheidshuis")
    assert "veiligheidshuis" in answer.methods
    assert "Zorg- en Veiligheidshuis" in advice.reply.text


def test_explanation_shows_dated_note_time_and_source():
    from knowledge.answers import explanation

    text = explanation(CAT, CAT.get("dosa")).text
    assert "2014" in text and "deelgemeenten" in text and SOURCE in text
    assert "vier jaar" in explanation(CAT, CAT.get("handhavingsarrangementen")).text
    assert "straatkeuring" in explanation(CAT, CAT.get("mensen_maken_de_stad")).text


def _result(*matches: tuple[str, str, str]) -> SearchResult:
    return SearchResult("", [], False, [Match(g, k, p) for g, k, p in matches])


def test_a_filler_tied_only_by_a_common_value_does_not_agree():
    # "wijk" ties 9 of 26 methods: it tells nothing about PKVW; table 3.7 ties KVO to
    # winkeldiefstal (3 methods); a guessed typo is no evidence.
    assert not agrees(CAT, "pkvw", _result(("settings", "woonwijk", "wijk")))
    assert agrees(CAT, "kvo", _result(("problems", "winkeldiefstal", "winkeldiefstal")))
    assert agrees(CAT, "kvo", _result(("methods", "kvo", "KVO")))
    fuzzy = _result()
    fuzzy.matches.append(Match("problems", "winkeldiefstal", "winkeldiefstal", fuzzy=True))
    assert not agrees(CAT, "kvo", fuzzy)


def test_a_group_shared_by_8_of_26_methods_is_no_reason():
    # "jongeren" ties 8 of the 26 methods (30 %): it neither lets a filler in nor becomes
    # the "Je noemt ..." of a reason; a group that ties few methods does.
    jongeren = _result(("target_groups", "jongeren", "jongeren"))
    assert not agrees(CAT, "jongeren_op_straat", jongeren)
    assert "Je noemt" not in reason_for(CAT, CAT.get("jongeren_op_straat"), jongeren)
    groups = _result(("target_groups", "jeugdgroepen", "hangjongeren"))
    assert agrees(CAT, "groepsaanpak", groups)
    assert reason_for(CAT, CAT.get("groepsaanpak"), groups).startswith("Je noemt hangjongeren")


def test_a_weak_best_text_match_is_not_scaled_to_a_full_match():
    weak, strong = np.array([0.0, 1.3, 0.65]), np.array([0.0, 8.0, 4.0])
    assert _unit_floor(weak, NO_MATCH_BM25).max() < 0.5  # only common words met
    assert list(_unit_floor(strong, NO_MATCH_BM25)) == [0.0, 1.0, 0.5]


def test_every_method_after_the_first_agrees_with_the_question(searcher):
    extra = 0
    for question in (
        "jeugdgroepen die crimineel worden",
        "jongeren hangen rond in de buurt en er wordt ingebroken in woningen",
        "drugsoverlast en vervuiling in een straat in de wijk",
    ):
        advice = advise(CAT, searcher, question)
        result = searcher.search(question, top=len(CAT))
        for method_id in advice.method_ids[1:]:
            assert agrees(CAT, method_id, result), (question, method_id)
            extra += 1
    assert extra  # a second method that fits is still shown


def test_bench_presses_the_button_that_fits_the_graded_methods():
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
    from bench_advice import graded_button

    buttons = [
        {"title": "Nog te bouwen", "payload": "x. nog te bouwen"},
        {"title": "Al gebouwd", "payload": "x. al gebouwd"},
    ]
    assert graded_button(buttons, {"best": ["pkvw"]})["title"] == "Al gebouwd"
    assert graded_button(buttons, {"best": ["kvo"], "best_after": ["ver"]})["title"] == (
        "Nog te bouwen"
    )
    assert graded_button(buttons, {"best": ["kvo"]}) is None
