"""The catalogue agrees cell for cell with the report's tables 3.2-3.7, and fails clearly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from knowledge.catalogue import DATA_DIR, Catalogue, CatalogueError, load_catalogue
from knowledge.facets import FACETS, METHOD_IDS
from knowledge.schema import Method

# Transcribed from the report: one row per method, one column per facet value in the order
# of FACETS (the report's column order). Table 3.4 lists Hektor Venlo (an example of the
# hotspot approach) under PPS, so the hotspot row has both pps and overig.
EXPECTED = {
    "field": """
        ver                         X . . . .
        pkvw                        X . . . .
        sociaal_veilige_stad        X . . . .
        hotspot                     X . . . .
        svov                        X . . . .
        mensen_maken_de_stad        X . . . .
        abcd                        X . . . .
        kvo                         . X . . .
        kvu                         . X . . .
        handhavingsarrangementen    . X . . .
        vos                         . . X . .
        vios                        . . X . .
        peuterspeelzalen            . . X . .
        persoonsgerichte_aanpak     . . . . X
        harde_kern_jeugd            . . X . .
        dosa                        . . X . .
        zet_in_op_12_min            . . X . .
        veiligheidshuis             . . . . X
        ctc                         . . X . .
        streetwise                  . . X . .
        groepsaanpak                . . X . .
        jongeren_op_straat          . . X . .
        polarisatie_radicalisering  . . . X .
        integriteitsmeter           . . . X .
        veiligheidsplanner          . . . . X
        matrix_ivz                  . . . . X
    """,
    "object": """
        ver                         . X . .
        pkvw                        . X . .
        sociaal_veilige_stad        . X . .
        hotspot                     . X . .
        svov                        . X . .
        mensen_maken_de_stad        . X . .
        abcd                        . X . .
        kvo                         . X . .
        kvu                         . X . .
        handhavingsarrangementen    . . X .
        vos                         . X . .
        vios                        . X . .
        peuterspeelzalen            . X . .
        persoonsgerichte_aanpak     X . . .
        harde_kern_jeugd            X . . .
        dosa                        X . . .
        zet_in_op_12_min            X . . .
        veiligheidshuis             X . . .
        ctc                         X . . .
        streetwise                  X . . .
        groepsaanpak                X . . .
        jongeren_op_straat          X . . .
        polarisatie_radicalisering  . . X .
        integriteitsmeter           . . X .
        veiligheidsplanner          . . . X
        matrix_ivz                  . . . X
    """,
    "cooperation": """
        ver                         . . X . . .
        pkvw                        . . X . . .
        sociaal_veilige_stad        . . . . . X
        hotspot                     . . . X . X
        svov                        . X . . . .
        mensen_maken_de_stad        . . . . X .
        abcd                        . . . . X .
        kvo                         . . X . . .
        kvu                         . . X . . .
        handhavingsarrangementen    . X . . . .
        vos                         . . X . . .
        vios                        . . X . . .
        peuterspeelzalen            . . X . . .
        persoonsgerichte_aanpak     X . . . . .
        harde_kern_jeugd            X . . . . .
        dosa                        X . . . . .
        zet_in_op_12_min            X . . . . .
        veiligheidshuis             X . . . . .
        ctc                         . . . . X .
        streetwise                  . . X . . .
        groepsaanpak                . . X . . .
        jongeren_op_straat          . . X . . .
        polarisatie_radicalisering  . . . . . X
        integriteitsmeter           . . . . . X
        veiligheidsplanner          . . . . . X
        matrix_ivz                  . . . . . X
    """,
    "roles": """
        ver                         X . X .
        pkvw                        . . X .
        sociaal_veilige_stad        X . . .
        hotspot                     . . . X
        svov                        . . X .
        mensen_maken_de_stad        . . X .
        abcd                        . . X .
        kvo                         X X X X
        kvu                         . X X .
        handhavingsarrangementen    X X . .
        vos                         . . X .
        vios                        . . X .
        peuterspeelzalen            . . X .
        persoonsgerichte_aanpak     X . . X
        harde_kern_jeugd            . . X X
        dosa                        X . X X
        zet_in_op_12_min            X . X X
        veiligheidshuis             X . X X
        ctc                         X . X X
        streetwise                  X . X X
        groepsaanpak                X . X X
        jongeren_op_straat          X . X X
        polarisatie_radicalisering  X . . .
        integriteitsmeter           X . . .
        veiligheidsplanner          X . X .
        matrix_ivz                  X . . .
    """,
    "parties": """
        ver                         X . . . . X . . . X
        pkvw                        X X . . . X . . . X
        sociaal_veilige_stad        X . . . . . . . . X
        hotspot                     X . X . . X X X . X
        svov                        X . X . . . . . X .
        mensen_maken_de_stad        X X . . . . . . . X
        abcd                        X X . . . . . . . X
        kvo                         X . X . . X . . . .
        kvu                         X . X . . X . . . .
        handhavingsarrangementen    X . X . . X X . . X
        vos                         . . . X . X . . . .
        vios                        . . . X . X . . . .
        peuterspeelzalen            . . . X . . . . . .
        persoonsgerichte_aanpak     X . . X X X X X . .
        harde_kern_jeugd            X . . . . X X X . .
        dosa                        X . . X X X X X . .
        zet_in_op_12_min            X . . X X X . X . .
        veiligheidshuis             X . . X X X X X . .
        ctc                         X X . X X X . X . X
        streetwise                  X X . . X X X X . .
        groepsaanpak                X . . . X X X X . .
        jongeren_op_straat          X . . . X X . X . .
        polarisatie_radicalisering  X . . X . . X . . .
        integriteitsmeter           X . . . . . . . . .
        veiligheidsplanner          X X X X X X X X X X
        matrix_ivz                  X . . . X X . X . X
    """,
    "problems": """
        ver                         . . X . X X . . . .
        pkvw                        . . X . X . . . . .
        sociaal_veilige_stad        . X X . X X . . . .
        hotspot                     X . X . . X . . . .
        svov                        . . . . . . X . . .
        mensen_maken_de_stad        . X . . . . . . X .
        abcd                        . X . . . . . . X .
        kvo                         X . X . . X . X . .
        kvu                         X . X X . X . . . .
        handhavingsarrangementen    . . . X . . . . . .
        vos                         . X . . . . . . . .
        vios                        . X . . . . . . . .
        peuterspeelzalen            . . . . . . . . . .
        persoonsgerichte_aanpak     X X . . . . . . . .
        harde_kern_jeugd            X . . . . . . . . .
        dosa                        X X . . . . . . . .
        zet_in_op_12_min            X . . . . . . . . .
        veiligheidshuis             X X . . . . . . . .
        ctc                         X X . . . . . . X X
        streetwise                  X . . . . . . . . .
        groepsaanpak                X X . . . . . . . .
        jongeren_op_straat          X X . . . . . . . .
        polarisatie_radicalisering  . . . . . . . . X .
        integriteitsmeter           . . . . . . . . . .
        veiligheidsplanner          X X X X X X X X X X
        matrix_ivz                  X . X X X X X X . .
    """,
}


def expected_keys(facet: str) -> dict[str, list[str]]:
    columns = FACETS[facet][1]
    table = {}
    for line in EXPECTED[facet].strip().splitlines():
        method_id, *cells = line.split()
        assert len(cells) == len(columns), line
        table[method_id] = [key for key, cell in zip(columns, cells, strict=True) if cell == "X"]
    return table


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return load_catalogue()


def test_twenty_six_methods_with_the_fixed_ids(catalogue):
    assert len(catalogue) == 26
    assert [m["id"] for m in catalogue.to_json()] == list(METHOD_IDS)


@pytest.mark.parametrize("facet", list(FACETS))
def test_every_facet_cell_matches_the_report(catalogue, facet):
    table = expected_keys(facet)
    assert set(table) == set(METHOD_IDS)
    for method_id, keys in table.items():
        assert getattr(catalogue.get(method_id), facet) == keys, (facet, method_id)


def test_names_and_abbreviations_follow_the_report(catalogue):
    assert catalogue.get("kvo").name == "Keurmerk Veilig Ondernemen"
    assert catalogue.get("kvo").abbreviation == "KVO"
    assert catalogue.get("kvu").abbreviation == "KVU"
    assert catalogue.get("ctc").name == "Communities that Care"
    assert catalogue.get("streetwise").origin == "Duiven"
    assert catalogue.get("veiligheidshuis").origin == "Tilburg"


def test_steps_are_the_reports_lists(catalogue):
    assert catalogue.get("kvo").steps == [
        "samenwerking organiseren",
        "veiligheid analyseren",
        "plan van aanpak opstellen",
        "aanvragen keurmerk",
        "uitvoeren plan van aanpak",
        "evaluatie met nieuwe analyse",
        "vernieuwen plan van aanpak",
        "hercertificering",
    ]
    assert [s.lower() for s in catalogue.get("dosa").steps] == [
        "aanmelding",
        "analyse",
        "interventie",
        "monitoring",
        "afsluiting",
    ]
    assert len(catalogue.get("veiligheidsplanner").steps) == 6
    assert catalogue.get("veiligheidsplanner").steps[0].startswith("Wat is het probleem?")


def test_examples_and_links(catalogue):
    hotspot_examples = " ".join(e.name for e in catalogue.get("hotspot").examples)
    for name in ("Strevelsweg", "Hartslag", "Hektor"):
        assert name in hotspot_examples
    assert any("Schiedam" in e.name for e in catalogue.get("handhavingsarrangementen").examples)
    assert str(catalogue.get("ctc").more_info[0].url).startswith("http://www.ctc-holland.nl")


def test_every_method_has_own_words_and_notes_where_the_report_is_ambiguous(catalogue):
    for method in catalogue:
        assert method.goal and method.approach and method.summary
    assert catalogue.get("kvu").notes and catalogue.get("hotspot").notes
    assert catalogue.get("persoonsgerichte_aanpak").notes


def test_vocabulary_covers_every_facet_value(catalogue):
    for facet, (_, keys) in FACETS.items():
        assert set(getattr(catalogue.vocabulary, facet)) == set(keys)
    assert "jatten in winkels" in catalogue.vocabulary.problems["winkeldiefstal"].synonyms


def test_queries_for_the_dialogue(catalogue):
    assert [m.id for m in catalogue.by_problem("winkeldiefstal")] == [
        "kvo",
        "veiligheidsplanner",
        "matrix_ivz",
    ]
    assert {m.id for m in catalogue.by_role("initiator")} == {
        "kvo",
        "kvu",
        "handhavingsarrangementen",
    }
    assert {m.id for m in catalogue.by_party("vervoerders")} == {"svov", "veiligheidsplanner"}
    assert [m.id for m in catalogue.by_field("integriteit")] == [
        "polarisatie_radicalisering",
        "integriteitsmeter",
    ]
    comparison = catalogue.compare("kvo", "kvu")
    roles = next(row for row in comparison.rows if row[0] == "roles")
    assert roles == ("roles", ["opdrachtgever", "coordinator"], ["initiator", "facilitator"], [])
    table = catalogue.partners_and_roles(["kvo", "svov"])
    assert table["parties"]["ondernemers"] == ["kvo", "svov"]
    assert table["parties"]["vervoerders"] == ["svov"]


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


def test_unknown_facet_key_is_rejected_with_file_and_field(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "methods" / "kvo.yml"
    doc = yaml.safe_load(path.read_text())
    doc["problems"].append("fietsendiefstal")
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    with pytest.raises(CatalogueError) as err:
        Catalogue.load(data)
    message = str(err.value)
    assert "kvo.yml" in message and "problems" in message and "fietsendiefstal" in message


def test_missing_field_and_broken_yaml_are_explained(tmp_path):
    data = _copy_data(tmp_path)
    path = data / "methods" / "ctc.yml"
    doc = yaml.safe_load(path.read_text())
    del doc["steps"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    with pytest.raises(CatalogueError, match=r"ctc\.yml.*\n.*steps"):
        Catalogue.load(data)
    path.write_text("id: ctc\nname: [unclosed")
    with pytest.raises(CatalogueError, match="geen geldige YAML"):
        Catalogue.load(data)


def test_a_missing_method_file_is_reported(tmp_path):
    data = _copy_data(tmp_path)
    (data / "methods" / "abcd.yml").unlink()
    with pytest.raises(CatalogueError, match="abcd"):
        Catalogue.load(data)


def test_export_cli_round_trips():
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run(
        [sys.executable, "-m", "knowledge", "export"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    exported = json.loads(out.stdout)
    assert [m["id"] for m in exported] == list(METHOD_IDS)
    for item in exported:
        for key in (
            "id",
            "name",
            "abbreviation",
            "origin",
            "goal",
            "approach",
            "steps",
            "examples",
            "more_info",
            *FACETS,
        ):
            assert key in item
        assert Method.model_validate(item) == load_catalogue().get(item["id"])
