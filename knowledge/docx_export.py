"""Write a plan van aanpak as a Word document (python-docx)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Inches, Pt

from knowledge.plan.measures import TABLE_HEADER as WHO_DOES_WHAT_HEADER
from knowledge.plan.model import Plan, SharedSections, WhoDoesWhat
from knowledge.sanitize import clean_data
from knowledge.steps import STEPS, word_heading


def _paragraph_or_placeholder(doc, text: str) -> None:
    doc.add_paragraph(text.strip() or "(nog niet ingevuld)")


def _table(doc, header: tuple[str, str], rows: list[tuple[str, list[str]]]) -> None:
    table = doc.add_table(rows=1, cols=2)
    table.style = "Light Grid Accent 1"
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = header
    for label, methods in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = ", ".join(methods)


def _rows_table(doc, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, title in zip(table.rows[0].cells, header, strict=True):
        cell.text = title
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = value


def _contributions(doc, shared: SharedSections | None, step: int) -> None:
    """What the participants added to one step, with who and when."""
    items = shared.contributions.get(step, []) if shared else []
    if not items:
        return
    doc.add_paragraph("Inbreng van de partners:")
    for who, kind, text, day in items:
        doc.add_paragraph(f"{text} ({kind}, {who}, {day})", style="List Bullet")


def _shared_front(doc, shared: SharedSections) -> None:
    status = "gesloten" if shared.status == "closed" else "open"
    # No join code: it is the owner's, and this file goes to every participant.
    doc.add_paragraph(f"Gezamenlijk plan - status: {status}.")
    doc.add_heading("Deelnemers", level=1)
    _rows_table(doc, ("Naam", "Organisatie", "Partij", "Rol"), shared.participants)


def _shared_partners(doc, shared: SharedSections) -> None:
    doc.add_heading("Partners: aanbevolen en betrokken", level=2)
    rows = [(label, who) for label, who in shared.involved]
    rows += [(label, "nog niet betrokken") for label in shared.not_involved]
    rows += [
        (label, f"{who} (niet genoemd bij de gekozen methoden)")
        for label, who in shared.other_parties
    ]
    if rows:
        _rows_table(doc, ("Partij", "Wie doet mee"), rows)
    if shared.not_involved:
        doc.add_paragraph("Nog niet betrokken: " + ", ".join(shared.not_involved) + ".")


def _shared_monitoring(doc, shared: SharedSections) -> None:
    if shared.measurements:
        doc.add_heading("Metingen", level=2)
        _rows_table(doc, ("Indicator", "Periode", "Waarde", "Ingevoerd door"), shared.measurements)
    for line in shared.progress:
        doc.add_paragraph(line, style="List Bullet")
    if shared.chart and Path(shared.chart).is_file():
        doc.add_picture(shared.chart, width=Inches(6))


def _problem(doc, plan: Plan) -> None:
    _paragraph_or_placeholder(doc, plan.problem)
    for label, values in plan.recognised.items():
        doc.add_paragraph(f"{label}: {', '.join(values)}", style="List Bullet")


def _goal(doc, plan: Plan) -> None:
    _paragraph_or_placeholder(doc, plan.goal)
    if plan.goal_verdict:
        doc.add_paragraph(f"SMART-toets: {plan.goal_verdict}.")
    if plan.who_does_what and plan.who_does_what.goal_link:
        doc.add_paragraph(plan.who_does_what.goal_link)


def _approach(doc, plan: Plan) -> None:
    if plan.measures.strip():
        doc.add_paragraph(plan.measures.strip())
    for section in plan.methods:
        doc.add_heading(section.name, level=2)
        doc.add_paragraph(section.summary)
        doc.add_paragraph(f"{section.steps_label}:")
        for step in section.steps:
            doc.add_paragraph(step, style="List Number")
        doc.add_paragraph(f"Partners: {', '.join(section.parties)}.")
        doc.add_paragraph(f"Rol gemeente: {', '.join(section.roles)}.")
    if plan.partners_table:
        doc.add_heading("Partners en rollen", level=2)
        _table(doc, ("Partner", "Betrokken bij methode"), plan.partners_table)
        doc.add_paragraph()
        _table(doc, ("Rol gemeente", "Bij methode"), plan.roles_table)
    if plan.shared:
        _shared_partners(doc, plan.shared)
    if plan.who_does_what:
        _who_does_what(doc, plan.who_does_what)


def _who_does_what(doc, section: WhoDoesWhat) -> None:
    """Step 5's measures: who does what, from when to when, for which priority; then the gaps."""
    doc.add_heading("Wie doet wat", level=2)
    if section.rows:
        _rows_table(doc, WHO_DOES_WHAT_HEADER, section.rows)
    else:
        doc.add_paragraph("Nog geen maatregelen. Zeg in de chat 'maatregel toevoegen'.")
    for line in section.checks:  # the goal link stands with the goal (step 4)
        doc.add_paragraph(line)


def _monitoring_plan(doc, plan: Plan) -> None:
    """After the partners' results: measurements so far, suggested indicators, PDCA."""
    if plan.shared:
        _shared_monitoring(doc, plan.shared)
    if plan.indicators:
        doc.add_paragraph(f"Voorgestelde indicatoren bij het doel '{plan.goal.strip()}':")
        _table(doc, ("Indicator", "Bron"), [(i, [src]) for i, src in plan.indicators])
    if plan.evaluation_moments:
        doc.add_paragraph("Meetmomenten: " + "; ".join(plan.evaluation_moments) + ".")
    doc.add_paragraph("Werk in de cyclus Plan-Do-Check-Act:")
    for phase, text in plan.pdca:
        doc.add_paragraph(f"{phase}: {text}", style="List Bullet")


#: what each planner step's section holds, before the partners' contributions to it
_STEP_BODY: dict[str, Callable[[Any, Plan], None]] = {
    "plan_problem": _problem,
    "plan_priorities": lambda doc, plan: _paragraph_or_placeholder(doc, plan.priorities),
    "plan_current": lambda doc, plan: _paragraph_or_placeholder(doc, plan.current),
    "plan_goal": _goal,
    "plan_methods": _approach,
    "plan_monitoring": lambda doc, plan: _paragraph_or_placeholder(doc, plan.monitoring),
}
#: what follows the contributions in a step's section
_AFTER_CONTRIBUTIONS: dict[str, Callable[[Any, Plan], None]] = {
    "plan_monitoring": _monitoring_plan,
}


def write_docx(plan: Plan, path: Path) -> Path:
    plan = clean_data(plan)  # text stored before cleaning existed: Word refuses control characters
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("Plan van aanpak lokale veiligheid (concept)", level=0)
    doc.add_paragraph(
        f"Opgesteld met de Methodewijzer op {plan.created}, volgens de zes stappen van de "
        "Lokale Veiligheidsplanner."
    )
    shared = plan.shared
    if shared:
        _shared_front(doc, shared)

    for s in STEPS:
        doc.add_heading(word_heading(s), level=1)
        _STEP_BODY[s.slot](doc, plan)
        _contributions(doc, shared, s.number)
        after = _AFTER_CONTRIBUTIONS.get(s.slot)
        if after:
            after(doc, plan)

    if plan.notes:
        doc.add_heading("Opmerkingen", level=1)
        for note in plan.notes:
            doc.add_paragraph(note, style="List Bullet")

    doc.add_heading("Bronnen", level=1)
    for source in plan.sources:
        doc.add_paragraph(source, style="List Bullet")

    path.parent.mkdir(parents=True, exist_ok=True)
    # A temp file of its own per writer: two participants may show the same plan at once.
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        doc.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path
