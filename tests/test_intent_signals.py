"""IntentSignals' redirects and signals for questions about methods, lists, yes/no and stop.

Runs the component in the Rasa environment (Python 3.10), as `rasa train` loads it
(tests/test_rasa_ext.py covers join codes, steps and the plan commands). The texts are new
phrasings, none from an evaluation set.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from rasa_probe import rasa_probe

ROOT = Path(__file__).resolve().parents[1]
PROBE = """
import json, sys
from rasa_ext.intent_signals import IntentSignals
component = IntentSignals()
cases = json.load(sys.stdin)
print(json.dumps({
    "redirect": [component.redirect(i, t, e) for i, t, e in cases["redirect"]],
    "has_signal": [component.has_signal(i, t, e) for i, t, e in cases["has_signal"]],
    "corroborated": [
        component.corroborated([{"name": n, "confidence": c} for n, c in r], t, [])
        for r, t in cases.get("corroborated", [])
    ],
}))
"""
KVO = [{"entity": "method", "value": "kvo"}]
# (intent the classifier chose, text, entities) -> the intent the words ask for, or None
REDIRECT = [
    ("nlu_fallback", "kies ik voor KVO of voor de hotspotaanpak", [], "compare_methods"),
    ("search_method", "wanneer DOSA en wanneer het veiligheidshuis", [], "compare_methods"),
    ("search_method", "KVO en de hotspotaanpak in het winkelcentrum", [], None),
    ("explain_method", "welke instanties zitten bij CtC aan tafel", [], "ask_partners"),
    ("nlu_fallback", "doet de woningcorporatie mee bij de hotspotaanpak?", [], "ask_partners"),
    ("explain_method", "wat is het doel van veilig op school", [], None),
    ("explain_method", "wat is KVO", KVO, None),
    ("search_method", "geef me eens een lijst", [], "list_methods"),
    ("nlu_fallback", "wat hebben jullie op het vlak van integriteit", [], "list_methods"),
    ("search_method", "welke methoden zijn er tegen woninginbraak", [], None),
    ("search_method", "overzicht van mijn plannen", [], None),
    ("search_method", "welke methoden zijn er voor bewoners", [], "list_methods"),
    ("stop_plan", "ik stop ermee, tot morgen", [], "goodbye"),
    ("stop_plan", "stop even met de planner", [], None),
    ("search_method", "liggen we nog op schema?", [], "show_progress"),
    ("search_method", "hoe staat het met de woninginbraken", [], None),
    ("ask_role", "kies ik voor KVO of voor de hotspotaanpak", [], None),
    ("search_method", '/search_method{"problem": "woninginbraak"}', [], None),
    ("search_method", "hoe gaat de hotspotaanpak in zijn werk", [], "explain_method"),
    ("nlu_fallback", "toelichting op de groepsaanpak aub", [], "explain_method"),
    ("search_method", "hoe werkt KVO tegen winkeldiefstal", [], None),
    ("help", "welke aanpakken ken je", [], "list_methods"),
    (
        "search_method",
        "casusoverleg met politie en OM aan tafel voor verslaafde overlastgevers",
        [],
        None,
    ),
    (
        "nlu_fallback",
        "in onze gemeente is er geen overzicht van wie er met welke jongere bezig is",
        [],
        None,
    ),
    ("start_plan", "wat houdt de lokale veiligheidsplanner in", [], "explain_method"),
    ("start_plan", "ik wil de veiligheidsplanner doorlopen", [], None),
    ("start_plan", "vertel me meer over de veiligheidsplanner", [], "explain_method"),
    ("nlu_fallback", "hoe ver staan we ervoor", [], "show_progress"),
    ("nlu_fallback", "hoi, ik ben beleidsmedewerker bij team veiligheid", [], "greet"),
    ("out_of_scope", "super, dankjewel", [], "thank"),
    ("inform", "ik sluit af, fijne avond", [], "goodbye"),
    ("nlu_fallback", "hallo, we hebben veel last van inbraken", [], None),
    ("nlu_fallback", "goedemorgen, wat is KVO?", [], "explain_method"),
    ("affirm", "ok bedankt", [], None),
    (
        "search_method",
        "er is een groep van 12 harde jongens",
        [{"entity": "method", "value": "harde"}],
        None,
    ),
]
# (intent, text, entities) -> does the text carry the intent's signal?
HAS_SIGNAL = [
    ("deny", "nee, liever niet", [], True),
    ("deny", "de buurtbewoners durven 's avonds niet meer naar buiten", [], False),
    ("deny", "wat doe je niet", [], False),
    ("affirm", "dat lijkt me prima", [], True),
    ("explain_method", "hoe gaat KVO in zijn werk?", KVO, True),
    ("explain_method", "de groepsaanpak", [], True),
    ("explain_method", "KVO voor het bedrijventerrein", KVO, False),
    ("ask_partners", "wie moet ik betrekken bij woninginbraak?", [], False),
    ("ask_partners", "en welke partners horen daarbij?", [], True),
    ("explain_method", "wat is een omgevingsvergunning", [], False),
    ("explain_method", "hoe werkt die methode precies?", [], True),
    ("list_methods", "de ouders erbij halen", [], False),
    ("list_methods", "welke methoden gaan over jeugd", [], True),
    ("start_over", "alles over overlast in de buurt", [], False),
    ("show_progress", "veel meldingen over scooters in de wijk", [], False),
    ("show_progress", "hoe ver zijn we met ons doel", [], True),
    ("start_over", "begin maar opnieuw", [], True),
    ("start_plan", "de directie wil een schoolveiligheidsplan", [], False),
    ("start_plan", "help me een buurtveiligheidsplan te schrijven", [], True),
    ("start_plan", "nieuw plan", [], True),
    ("record_measurement", "week 9: 14 meldingen overlast", [], True),
    ("record_measurement", "maximaal 50 km binnen de kom", [], False),
    ("record_measurement", "pp ttt 88", [], False),
    (
        "compare_methods",
        "beke of streetwise, wat past beter",
        [{"entity": "method", "value": "beke"}],
        True,
    ),
    ("explain_method", "wat is het beste recept voor appeltaart", [], False),
    ("explain_method", "leg het eens uit", [], True),
    ("show_plan", "ik wil weten welke aanpak bij ons past", [], False),
    ("go_back", "hoe formuleer je goede doelen", [], False),
    ("go_back", "ik wil mijn antwoord nog aanpassen", [], True),
    ("share_plan", "mag de politie ook meelezen", [], True),
    ("share_plan", "we hebben dringend hulp nodig bij de aanpak", [], False),
    ("share_plan", "nodig de wijkagent uit voor mijn plan", [], True),
    ("start_plan", "hoe schrijf ik een calamiteitenplan voor de sporthal", [], False),
    ("start_plan", "kun je me helpen een actieplan op te stellen", [], True),
    ("start_plan", "help ons een aanpak op te stellen voor de overlast", [], True),
    ("export_plan", "hoe stuur ik een bijlage door in outlook", [], False),
    ("export_plan", "de pdf van het plan graag", [], True),
    ("new_join_code", "wat is de pincode van de printer", [], False),
    ("new_join_code", "de code werkt niet meer, een andere graag", [], True),
    ("ask_contributions", "wie heeft dit programma bedacht", [], False),
    ("ask_contributions", "heeft de school al iets toegevoegd", [], True),
    ("continue_plan", "vernielingen", [], False),
    ("continue_plan", "kunnen we weer verder", [], True),
    ("start_plan", "bestaat er een plan tegen zakkenrollers", [], False),
    ("start_plan", "welk plan maken we voor de hangplek", [], True),
    ("search_method", "hoeveel verdient een wethouder", [], False),
    ("search_method", "wat doe je tegen vernielingen", [], True),
]
# (ranking, text) -> the plan command the words support when the classifier was not sure
CORROBORATED = [
    (
        [("nlu_fallback", 0.45), ("share_plan", 0.3)],
        "kan ik de wijkagent laten meelezen",
        "share_plan",
    ),
    ([("nlu_fallback", 0.45), ("share_plan", 0.1)], "kan ik de wijkagent laten meelezen", None),
    ([("nlu_fallback", 0.45), ("close_plan", 0.3)], "het is hier nooit rustig", None),
    ([("nlu_fallback", 0.45), ("start_plan", 0.35)], "een plan tegen inbraken", None),
]
SIGNAL_INTENTS = {
    "explain_method",
    "ask_partners",
    "ask_role",
    "list_methods",
    "start_over",
    "show_progress",
    "start_plan",
    "record_measurement",
    "affirm",
    "deny",
    "share_plan",
    "show_plan",
    "go_back",
    "export_plan",
    "ask_contributions",
    "continue_plan",
    "new_join_code",
    "search_method",
}
ANNOTATED = re.compile(r"\[([^\]]+)\]\((\w+)\)")


def _probe(redirect: list, has_signal: list, corroborated: list | None = None) -> dict:
    cases = {"redirect": redirect, "has_signal": has_signal, "corroborated": corroborated or []}
    return json.loads(rasa_probe(PROBE, stdin=json.dumps(cases), timeout=180))


def _training_examples() -> list[list]:
    cases = []
    for path in sorted((ROOT / "nlu" / "train").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu") or []:
            if not block.get("intent"):
                continue
            for line in block["examples"].splitlines():
                raw = line.strip()[2:].strip()
                if raw:
                    entities = [{"entity": e, "value": v} for v, e in ANNOTATED.findall(raw)]
                    cases.append([block["intent"], ANNOTATED.sub(r"\1", raw), entities])
    return cases


def test_method_questions_are_redirected_by_their_words_and_signals_are_checked():
    result = _probe(
        [c[:3] for c in REDIRECT], [c[:3] for c in HAS_SIGNAL], [c[:2] for c in CORROBORATED]
    )
    assert result["redirect"] == [c[3] for c in REDIRECT]
    assert result["has_signal"] == [c[3] for c in HAS_SIGNAL]
    assert result["corroborated"] == [c[2] for c in CORROBORATED]


def test_no_training_example_is_redirected_or_loses_its_signal():
    """The words decide only where the training data agrees with them."""
    cases = _training_examples()
    signal_cases = [c for c in cases if c[0] in SIGNAL_INTENTS]
    result = _probe(cases, signal_cases)
    redirected = [
        (c[0], c[1], r) for c, r in zip(cases, result["redirect"], strict=True) if r is not None
    ]
    assert redirected == []
    missing = [c[:2] for c, ok in zip(signal_cases, result["has_signal"], strict=True) if not ok]
    assert missing == []
