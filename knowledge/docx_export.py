"""Write a plan van aanpak as a Word document (python-docx)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Pt

from knowledge.plan import Plan


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


def write_docx(plan: Plan, path: Path) -> Path:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.add_heading("Plan van aanpak lokale veiligheid (concept)", level=0)
    doc.add_paragraph(
        f"Opgesteld met de Methodewijzer op {plan.created}, volgens de zes stappen van de "
        "Lokale Veiligheidsplanner."
    )

    doc.add_heading("1. Probleemanalyse - Wat is het probleem?", level=1)
    _paragraph_or_placeholder(doc, plan.problem)
    for label, values in plan.recognised.items():
        doc.add_paragraph(f"{label}: {', '.join(values)}", style="List Bullet")

    doc.add_heading("2. Prioriteiten - Wat zijn de belangrijkste problemen?", level=1)
    _paragraph_or_placeholder(doc, plan.priorities)

    doc.add_heading("3. Huidige maatregelen - Wat doen we al?", level=1)
    _paragraph_or_placeholder(doc, plan.current)

    doc.add_heading("4. Doelen (SMART) - Wat willen we bereiken?", level=1)
    _paragraph_or_placeholder(doc, plan.goal)
    if plan.goal_verdict:
        doc.add_paragraph(f"SMART-toets: {plan.goal_verdict}.")

    doc.add_heading("5. Aanpak - Wat gaan we doen?", level=1)
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

    doc.add_heading("6. Monitoring - Wat hebben we bereikt?", level=1)
    _paragraph_or_placeholder(doc, plan.monitoring)
    if plan.indicators:
        doc.add_paragraph(f"Voorgestelde indicatoren bij het doel '{plan.goal.strip()}':")
        _table(doc, ("Indicator", "Bron"), [(i, [src]) for i, src in plan.indicators])
    if plan.evaluation_moments:
        doc.add_paragraph("Meetmomenten: " + "; ".join(plan.evaluation_moments) + ".")
    doc.add_paragraph("Werk in de cyclus Plan-Do-Check-Act:")
    for phase, text in plan.pdca:
        doc.add_paragraph(f"{phase}: {text}", style="List Bullet")

    if plan.notes:
        doc.add_heading("Opmerkingen", level=1)
        for note in plan.notes:
            doc.add_paragraph(note, style="List Bullet")

    doc.add_heading("Bronnen", level=1)
    for source in plan.sources:
        doc.add_paragraph(source, style="List Bullet")

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    doc.save(str(tmp))
    tmp.replace(path)
    return path
