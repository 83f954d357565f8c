"""Chat answers from the catalogue: only catalogue methods, with buttons and table facts."""

from __future__ import annotations

import json

from knowledge.answers import comparison, explanation, method_list, partners, recommendation
from knowledge.catalogue import load_catalogue

CAT = load_catalogue()


def payloads(reply):
    return [b["payload"] for b in reply.buttons]


def test_recommendation_names_kvo_and_offers_next_steps(searcher):
    reply = recommendation(CAT, searcher.search("welke methode voor winkeldiefstal?"))
    assert "Keurmerk Veilig Ondernemen (KVO)" in reply.text
    assert '/explain_method{"method": "kvo"}' in payloads(reply)
    assert any(p.startswith("/compare_methods") for p in payloads(reply))
    assert any(p.startswith("/start_plan") for p in payloads(reply))


def test_recommendation_only_uses_catalogue_names(searcher):
    names = {m.name for m in CAT}
    reply = recommendation(CAT, searcher.search("drugsoverlast rond het station"))
    listed = [line for line in reply.text.splitlines() if line[:2].rstrip(".").isdigit()]
    assert listed
    for line in listed:
        assert any(name in line for name in names), line


def test_no_match_is_honest(searcher):
    reply = recommendation(CAT, searcher.search("recept voor appeltaart"))
    assert "geen methode" in reply.text
    assert all(p.startswith("/list_methods") for p in payloads(reply))


def test_explanation_has_goal_steps_partners_role_and_links():
    text = explanation(CAT, CAT.get("kvo")).text
    for part in (
        "Doel:",
        "Werkwijze:",
        "Stappen:",
        "8. hercertificering",
        "Partners:",
        "Rol gemeente:",
        "Meer weten: www.hetccv.nl",
    ):
        assert part in text, part


def test_comparison_is_facet_by_facet():
    text = comparison(CAT, "kvo", "kvu").text
    assert "tabel 3.5" in text and "tabel 3.7" in text
    assert "alleen KVO: Winkeldiefstal" in text
    assert "alleen KVU: Uitgaansoverlast" in text


def test_partners_and_list():
    text = partners(CAT, CAT.get("ctc")).text
    assert "Communities that Care" in text
    assert CAT.label("parties", "woningcorporaties") in text
    assert CAT.label("roles", "facilitator") in text
    youth = method_list(CAT, "field", "jeugd")
    assert youth.text.count(",") >= 9  # ten methods in the jeugd field (table 3.2)
    button = json.loads("{" + youth.buttons[0]["payload"].split("{", 1)[1])
    assert button["method"] in CAT.methods
