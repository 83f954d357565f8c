"""Personal data of residents in chat messages: what is flagged, and what must not be."""

from __future__ import annotations

import pytest

from knowledge.privacy import Finding, find_personal_data, personal_data_warning


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_personal_data(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # BSN: elfproef, or any 8-9 digits right after the word
        ("Het BSN van de jongen is 111222333, staat in het dossier.", "bsn"),
        ("bsn: 123456782", "bsn"),
        ("Burgerservicenummer 12345678 (moeder)", "bsn"),
        ("Zijn nummer is 123.456.782 volgens de leerplichtambtenaar.", "bsn"),
        ("graag checken: 123 456 782", "bsn"),
        # telephone
        ("Buurtbewoner belde vanaf 06-12345678 over de hangjongeren", "telefoon"),
        ("bereikbaar via 0612345678, na 17 uur", "telefoon"),
        ("De melder is bereikbaar op 06 1234 5678.", "telefoon"),
        ("Whatsapp: +31 6 12345678", "telefoon"),
        ("Tel. 0031 6 1234 5678 (vader van de jongen)", "telefoon"),
        ("nummer +31 (0)6 12 34 56 78", "telefoon"),
        ("De winkelier belt steeds vanaf 010-1234567", "telefoon"),
        ("vaste lijn 020 123 4567", "telefoon"),
        ("Bel de eigenaar op (030) 234 5678 voor de sleutel.", "telefoon"),
        # e-mail, IBAN
        ("Klachten kwamen binnen via k.jansen@gmail.com", "email"),
        ("mail van de bewonerscommissie: bc.hoograven@hotmail.nl", "email"),
        ("De boete staat op NL91ABNA0417164300.", "iban"),
        ("rekening NL91 ABNA 0417 1643 00 van de huurder", "iban"),
        # addresses
        ("Het gaat om het pand op 3511 AB 12.", "postcode_huisnummer"),
        ("adres: 3511AB 12a", "postcode_huisnummer"),
        ("De overlast komt van Kerkstraat 12, tweede verdieping.", "postcode_huisnummer"),
        (
            "Het drugspand aan de Burgemeester Reigerstraat 88 te Utrecht is gesloten.",
            "postcode_huisnummer",
        ),
        ("hij woont op Dorpsstraat 4a en heeft een hond", "postcode_huisnummer"),
        # names after a cue word
        ("De verdachte Kevin de Jong is bekend bij de wijkagent.", "naam"),
        ("Dader Jan Jansen liep weg toen de BOA kwam.", "naam"),
        ("Overlastgever Ricardo veroorzaakt veel onrust in de flat.", "naam"),
        ("Meneer Pietersen van nummer 4 klaagt elke week.", "naam"),
        ("mevrouw De Vries belde weer over de scooters", "naam"),
        ("Contact gehad met dhr. Bakker en mw. A. de Boer.", "naam"),
        ("De heer Van den Berg heeft aangifte gedaan.", "naam"),
        ("Er is een jongen genaamd Dylan die steeds steelt.", "naam"),
        ("Hij heet Sem van der Linden en zit op het Cals College.", "naam"),
        ("Naam: Fatima El Amrani", "naam"),
        ("De naam van de hoofdverdachte is Noah.", "naam"),
        ("Bewoner Piet Smit meldde vernielingen aan zijn auto.", "naam"),
        ("buurvrouw Ans klaagt over de jongeren op het plein", "naam"),
        ("De jongere, Daan Visser, is 16 en spijbelt veel.", "naam"),
        ("pleger: Tim Mulder", "naam"),
        # age in brackets, initial after a first name
        ("Kevin (17) hangt elke avond rond bij de snackbar.", "naam"),
        ("Lisa de Graaf (15) wordt gepest via Snapchat.", "naam"),
        ("Ahmed (m, 17) werd gisteren aangehouden.", "naam"),
        ("Mohammed B. is een bekende van de politie.", "naam"),
        ("Kevin de J. stal een fiets bij het station.", "naam"),
    ],
)
def test_personal_data_is_found(text, kind):
    assert kind in kinds(text), (text, kinds(text))


@pytest.mark.parametrize(
    "text",
    [
        "Op 12-03-2027 hebben we de schouw gedaan.",
        "periode 01-01-2026 t/m 31-12-2026",
        "In 2027 willen we 20% minder woninginbraken in Noord.",
        "Q1 2027: 42 winkeldiefstallen, Q2 2027: 38.",
        "Er waren 42 winkeldiefstallen in het centrum.",
        "Het slachtofferschap is gedaald naar 12%.",
        "Het aantal meldingen daalt van 60 naar 40 in 2027.",
        "2025: 1.250 meldingen van overlast",
        "Het veiligheidsgevoel scoort een 6,8 op een schaal van 1-10.",
        "We starten met Keurmerk Veilig Ondernemen in het winkelcentrum.",
        "Communities that Care past goed bij onze aanpak.",
        "Samen met Politie Midden-Nederland en Gemeente Utrecht.",
        "Woonstichting De Key doet mee aan de schouw.",
        "Jongeren onder de 18 worden verwezen naar Halt.",
        "Er is veel overlast in de Kerkstraat en op het Stationsplein.",
        "Op het Stationsplein waren 5 incidenten in het weekend.",
        "Ik ben Jan, beleidsadviseur OOV bij de gemeente.",
        "Ik heet Jan Jansen en werk bij team Veiligheid.",
        "Mijn naam is Sanne, ik ben wijkregisseur.",
        "Het project heet Samen Veilig in de Wijk.",
        "De methode heet Communities that Care.",
        "De wijkagent heet Sanne en komt elke dinsdag.",
        "Het budget is 123.456.789 euro over vier jaar.",
        "week 12: 5 fietsendiefstallen",
        "1e kwartaal 2027 38 winkeldiefstallen",
        "in 2026 waren er 130 meldingen jeugdoverlast",
        "Bel bij spoed de politie op 0900-8844 of de gemeente op 14 030.",
        "Er wonen veel jongere Marokkaanse Nederlanders in de wijk.",
        "Top drie: Winkeldiefstal (42), Inbraak (12) en Vernielingen (8).",
        "Meldingen per wijk: Overvecht (12), Zuilen (8) en Lunetten (4).",
        "Als dat niet werkt, kiezen we Plan B.",
        "Zie bijlage A.",
        "Burgemeester Dijksma opende de buurtpreventie in Hoek van Holland.",
        "We hebben drie jongeren (15-17) gesproken op het schoolplein.",
        "Overleg met de BOA's op 14-02-2027 om 10.30 uur.",
        "Het gebied rond postcode 3511 AB heeft de meeste inbraken.",
        "Artikel 2:74 APV geeft de burgemeester de bevoegdheid.",
        "De verdachten zijn onbekend; de dader is nog niet gevonden.",
    ],
)
def test_no_false_alarm(text):
    assert find_personal_data(text) == [], (text, kinds(text))


def test_each_kind_once_in_order_of_appearance():
    text = (
        "Verdachte Kevin de J. (17), Kerkstraat 12, tel 06-12345678, "
        "mail kevin@example.nl, bel ook 0612345679"
    )
    assert kinds(text) == ["naam", "postcode_huisnummer", "telefoon", "email"]


def test_findings_have_dutch_labels():
    findings = find_personal_data("bsn 123456782 en mail a.b@c.nl")
    assert findings == [Finding("bsn", "een BSN"), Finding("email", "een e-mailadres")]
    with pytest.raises(AttributeError):
        findings[0].kind = "x"  # frozen


def test_number_that_fails_elfproef_is_not_a_bsn_without_the_word():
    assert kinds("het dossiernummer is 123456789") == []
    assert kinds("BSN 123456789") == ["bsn"]


def test_warning_names_what_was_seen_and_how_to_rephrase():
    text = personal_data_warning(find_personal_data("Bel meneer Jansen op 06-12345678"))
    assert text.startswith("Je bericht lijkt een naam van een persoon en een telefoonnummer")
    assert "niet op in het plan" in text
    assert "een jongere uit de wijk" in text


def test_warning_single_kind_and_empty():
    text = personal_data_warning([Finding("telefoon", "een telefoonnummer")])
    assert text.startswith("Je bericht lijkt een telefoonnummer te bevatten. Dat sla ik niet op")
    assert personal_data_warning([]) == ""


def test_empty_and_long_text():
    assert find_personal_data("") == []
    assert find_personal_data("overlast " * 5000) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # phonenumbers: a foreign mobile number of a person is personal data ...
        ("De Belgische melder belde met +32 470 12 34 56 gisteren", ["telefoon"]),
        # ... the public service numbers of organisations are not
        ("Bel het bedrijf op 088-1234567", []),
        ("Bel gratis 0800-1234 voor informatie.", []),
        # python-stdnum: a foreign IBAN only when it is valid (country format and mod-97)
        ("rekening DE89 3704 0044 0532 0130 00 van de huurder", ["iban"]),
        ("rekening DE89 3704 0044 0532 0130 01 van de huurder", []),
        # python-stdnum: SA, SD and SS are never given out as postcode letters
        ("Het pand op 3511 SS 12.", []),
        ("Het pand op 3511 SB 12.", ["postcode_huisnummer"]),
        # nine zeros pass the eleven-test but are no BSN
        ("het nummer 000000000 zegt niets", []),
    ],
)
def test_numbers_are_checked_with_maintained_libraries(text, expected):
    assert kinds(text) == expected, (text, kinds(text))
