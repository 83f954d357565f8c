"""Dutch chat answers built from the catalogue: short texts plus buttons.

Pure functions over the catalogue, so the Rasa actions stay thin and every answer is testable
without a Rasa server. Texts are B1 Dutch and only ever name methods from the catalogue.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from knowledge.catalogue import Catalogue
from knowledge.facets import FACETS
from knowledge.schema import Method
from knowledge.search import SearchResult

SOURCE = "Bron: Quick Scan 'Doordacht werken aan lokale veiligheid' (CCV/Seinpost, 2008)"
FACET_TITLES = {
    "field": "Veiligheidsveld",
    "object": "Gericht op",
    "cooperation": "Samenwerking",
    "roles": "Rol gemeente",
    "parties": "Partners",
    "problems": "Problemen",
}


@dataclass
class Reply:
    text: str
    buttons: list[dict[str, str]] = field(default_factory=list)

    def add_button(self, title: str, intent: str, **entities: str | list[str]) -> None:
        payload = f"/{intent}" + (json.dumps(entities) if entities else "")
        self.buttons.append({"title": title, "payload": payload})


def _labels(catalogue: Catalogue, facet: str, keys: list[str]) -> str:
    return (
        ", ".join(catalogue.label(facet, k) for k in keys)
        or "geen (niet aangekruist in het rapport)"
    )


def display_name(method: Method) -> str:
    return f"{method.name} ({method.abbreviation})" if method.abbreviation else method.name


def recommendation(catalogue: Catalogue, result: SearchResult, limit: int = 3) -> Reply:
    """The 2-4 best methods for a question, each with one line why."""
    if result.no_match or not result.hits:
        reply = Reply(
            "Daar heb ik geen methode voor gevonden in de Quick Scan. Beschrijf het probleem "
            "eens anders, bijvoorbeeld wat er gebeurt, waar en bij wie. Of bekijk de methoden "
            "per veiligheidsveld."
        )
        reply.add_button("Methoden voor jeugd", "list_methods", field="jeugd")
        reply.add_button("Woon- en leefomgeving", "list_methods", field="woon_en_leefomgeving")
        reply.add_button("Bedrijvigheid", "list_methods", field="bedrijvigheid")
        return reply
    hits = result.hits[:limit]
    lines = ["Deze methoden passen het best bij je vraag:"]
    for i, hit in enumerate(hits, 1):
        method = catalogue.get(hit.id)
        why = f" Waarom: {'; '.join(hit.reasons[:2])}." if hit.reasons else ""
        lines.append(f"{i}. {display_name(method)}: {method.summary}{why}")
    reply = Reply("\n".join(lines))
    for hit in hits:
        reply.add_button(
            f"Uitleg {catalogue.get(hit.id).short_name}",
            "explain_method",
            method=hit.id,
        )
    if len(hits) >= 2:
        reply.add_button("Vergelijk 1 en 2", "compare_methods", method=[hits[0].id, hits[1].id])
    reply.add_button("Plan maken", "start_plan", method=hits[0].id)
    return reply


def explanation(catalogue: Catalogue, method: Method) -> Reply:
    """Goal, approach, steps, partners, municipal role, examples and where to read more."""
    parts = [
        f"{display_name(method)}" + (f" ({method.origin})" if method.origin else ""),
        f"Doel: {method.goal}",
        f"Werkwijze: {method.approach}",
        f"{method.steps_label}:\n" + "\n".join(f"{i}. {s}" for i, s in enumerate(method.steps, 1)),
        f"Partners: {_labels(catalogue, 'parties', method.parties)}.",
        f"Rol gemeente: {_labels(catalogue, 'roles', method.roles)}.",
    ]
    if method.effort:
        parts.append(f"Tijd: {method.effort}")
    if method.dated_note:
        parts.insert(1, method.dated_note)
    if method.examples:
        parts.append(
            "Voorbeelden: "
            + "; ".join(
                f"{e.name}" + (f" ({e.place})" if e.place and e.place not in e.name else "")
                for e in method.examples
            )
            + "."
        )
    parts.append("Meer weten: " + "; ".join(link.label for link in method.more_info))
    parts.append(SOURCE + ".")
    reply = Reply("\n\n".join(parts))
    reply.add_button("Welke partners?", "ask_partners", method=method.id)
    reply.add_button(f"Plan maken met {method.short_name}", "start_plan", method=method.id)
    return reply


def comparison(catalogue: Catalogue, first_id: str, second_id: str) -> Reply:
    """Facet-by-facet comparison of two methods (tables 3.2-3.7)."""
    comp = catalogue.compare(first_id, second_id)
    a, b = comp.first, comp.second
    short_a, short_b = a.short_name, b.short_name
    lines = [f"{display_name(a)} en {display_name(b)} vergeleken:"]
    for facet, only_a, both, only_b in comp.rows:
        title = FACET_TITLES[facet]
        bits = []
        if both:
            bits.append(f"beide: {_labels(catalogue, facet, both)}")
        if only_a:
            bits.append(f"alleen {short_a}: {_labels(catalogue, facet, only_a)}")
        if only_b:
            bits.append(f"alleen {short_b}: {_labels(catalogue, facet, only_b)}")
        lines.append(f"- {title} (tabel {FACETS[facet][0]}): " + ("; ".join(bits) or "geen"))
    lines.append(f"In het kort: {short_a}: {a.summary} {short_b}: {b.summary}")
    reply = Reply("\n".join(lines))
    reply.add_button(f"Uitleg {short_a}", "explain_method", method=a.id)
    reply.add_button(f"Uitleg {short_b}", "explain_method", method=b.id)
    return reply


def partners(catalogue: Catalogue, method: Method) -> Reply:
    """Parties (table 3.6) and the municipal role (table 3.5) for one method."""
    role_lines = [
        f"- {catalogue.label('roles', r)}: {catalogue.vocabulary.roles[r].explanation}"
        for r in method.roles
    ]
    text = (
        f"Bij {display_name(method)} zijn volgens het rapport deze partijen betrokken: "
        f"{_labels(catalogue, 'parties', method.parties)}.\n"
        f"De rol van de gemeente:\n" + "\n".join(role_lines)
    )
    reply = Reply(text)
    reply.add_button(f"Uitleg {method.short_name}", "explain_method", method=method.id)
    return reply


def method_list(catalogue: Catalogue, facet: str, key: str) -> Reply:
    methods = catalogue.by_facet(facet, key)
    label = catalogue.label(facet, key)
    if not methods:
        return Reply(f"Het rapport noemt geen methoden bij '{label}'.")
    text = (
        f"{FACET_TITLES[facet]} '{label}' (tabel {FACETS[facet][0]}): "
        + ", ".join(display_name(m) for m in methods)
        + "."
    )
    reply = Reply(text)
    for method in methods[:6]:
        reply.add_button(method.short_name, "explain_method", method=method.id)
    return reply


def unknown_method(catalogue: Catalogue) -> Reply:
    reply = Reply(
        "Welke methode bedoel je? Ik ken de 26 methoden uit de Quick Scan, bijvoorbeeld "
        "KVO, de Hotspotaanpak, Communities that Care of het Veiligheidshuis."
    )
    for method_id in ("kvo", "hotspot", "ctc", "veiligheidshuis"):
        method = catalogue.get(method_id)
        reply.add_button(method.short_name, "explain_method", method=method_id)
    return reply
