"""The vocabulary in free text: compounds that end in a known word."""

from __future__ import annotations

import pytest

from knowledge.catalogue import load_catalogue
from knowledge.nl.lexicon import lexicon_for


def keys(text: str, group: str) -> set[str]:
    return {m.key for m in lexicon_for(load_catalogue()).find(text) if m.group == group}


@pytest.mark.parametrize(
    ("text", "group", "key"),
    [
        ("bedreigingen in de stadsbussen", "settings", "openbaar_vervoer"),
        ("veel woninginbraken", "problems", "woninginbraak"),
    ],
)
def test_a_compound_matches_the_word_it_ends_with(text: str, group: str, key: str) -> None:
    assert key in keys(text, group)


@pytest.mark.parametrize("text", ["de arbeidsmarkt", "de nachtbus"])
def test_a_short_or_minor_tail_is_not_a_match(text: str) -> None:
    # "markt" is less than half of "arbeidsmarkt"; "bus" is too short to mean something alone.
    assert not keys(text, "settings")


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("jongeren die ontsporen", "settings"),  # ont+sporen: a prefix, not a compound
        ("geen vertrouwen in de overheid", "out_of_scope"),  # ver+trouwen
        ("geen vertrouwen in de overheid", "methods"),  # o+verheid, stem 'ver', is no VER
        ("hoe voorkomen we verdere polarisatie", "methods"),  # stem 'ver' names no method
    ],
)
def test_a_prefixed_word_or_a_method_name_is_no_compound_tail(text: str, group: str) -> None:
    assert not keys(text, group)


@pytest.mark.parametrize(
    ("text", "group", "key"),
    [
        ("overvallen op tankstations", "settings", "station"),  # 'tank' is too short a first part
        ("er staan busjes met spullen", "settings", "openbaar_vervoer"),  # a busje is a van
        ("na de keet gaan ze naar het centrum", "cooperation", "ketenaanpak"),  # keet/keten
        ("welke stappen horen in een cyclus", "problems", "uitgaansoverlast"),  # steps
        ("de straatroven in de stad", "settings", "woonwijk"),  # a robbery, not a street
        ("daders sneller aanpakken", "out_of_scope", "verkeersveiligheid"),  # no snelheid
    ],
)
def test_a_word_of_its_own_is_not_read_as_a_catalogue_word(text: str, group: str, key: str) -> None:
    assert key not in keys(text, group)


@pytest.mark.parametrize(
    ("text", "group", "key"),
    [
        ("de veiligheid op een schoollocatie", "settings", "school"),
        ("als reclasseringswerker merk ik", "parties", "hulpverlening"),
        ("jongens die steeds extremere uitspraken doen", "problems", "maatschappelijke_onrust"),
        ("jongeren gaan stappen in het centrum", "problems", "uitgaansoverlast"),
        ("ruzie op de pleintjes", "settings", "openbare_ruimte"),  # a diminutive of a long word
        ("die gastjes op het pleintje", "target_groups", "jongeren"),
    ],
)
def test_a_compound_about_its_first_part_or_a_comparative_matches(
    text: str, group: str, key: str
) -> None:
    assert key in keys(text, group)
