"""Rendering a shared plan: read the store, compute progress, draw the chart, write the Word file.

Every participant gets the same files, named by the plan's download token. The writers (Word
file, chart) clean text again, so a plan that holds text stored before cleaning existed
(control characters) still renders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from knowledge.catalogue import Catalogue
from knowledge.chart import progress_chart_png
from knowledge.docx_export import write_docx
from knowledge.nl.lexicon import Lexicon
from knowledge.plan.files import PlanFiles
from knowledge.plan.measures import who_does_what
from knowledge.plan.model import Plan
from knowledge.planning import PlanState
from knowledge.sharing.measure_store import MeasureStore
from knowledge.sharing.records import MeasurementInfo, PlanInfo
from knowledge.sharing.store import SharedPlanStore
from knowledge.sharing.view import ProgressReport, progress_report, shared_plan

CHART_TITLE = "Voortgang van het plan"


@dataclass(frozen=True)
class Rendered:
    """A shared plan as built for everyone, with its Word file and (when measured) its plot."""

    plan: Plan
    info: PlanInfo
    docx: Path
    chart: Path | None

    @property
    def doc_token(self) -> str:
        return self.info.doc_token


class Renderer:
    """Builds the files of a shared plan from the store (synchronous: may take a second)."""

    def __init__(
        self,
        store: SharedPlanStore,
        documents: PlanFiles,
        catalogue: Callable[[], Catalogue],
        lexicon: Callable[[], Lexicon],
    ) -> None:
        self.store, self.documents = store, documents
        self._catalogue, self._lexicon = catalogue, lexicon

    def progress(self, plan: PlanInfo, measurements: Sequence[MeasurementInfo]) -> ProgressReport:
        """Progress of the measured indicators towards the plan's SMART goal."""
        return progress_report(plan.answers.get("plan_goal", ""), measurements, self._lexicon())

    def chart(self, doc_token: str, report: ProgressReport) -> Path:
        """The plot of the measurements, next to the plan's Word file."""
        target = self.documents.chart_path(doc_token)
        if target is None:
            raise ValueError(f"not a download token: {doc_token!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        return progress_chart_png(report.series, report.targets, target, title=CHART_TITLE)

    def render(self, plan_id: str) -> Rendered:
        """Write the plan's Word file (and plot); written again if the links changed meanwhile."""
        info = self.store.get_plan(plan_id)
        if info is None:
            raise KeyError(plan_id)
        participants = self.store.participants(plan_id)
        contributions = self.store.contributions(plan_id)
        measurements = self.store.measurements(plan_id)
        report = self.progress(info, measurements)
        chart = self.chart(info.doc_token, report) if measurements else None
        plan = shared_plan(
            self._catalogue(), info, participants, contributions, measurements, report, chart
        )
        measures = MeasureStore(self.store)
        plan.who_does_what = who_does_what(
            self._catalogue(),
            info.answers or {},
            PlanState.from_dict(info.state).methods,
            measures.measures(plan_id),
            measures.latest_measurements(plan_id),
        )
        path = write_docx(plan, self.documents.docx_target(info.doc_token))
        now = self.store.get_plan(plan_id)
        if now is not None and now.doc_token != info.doc_token:
            # The owner removed someone while this was written: the old link must stay dead.
            self.documents.remove(info.doc_token)
            return self.render(plan_id)
        return Rendered(plan, info, path, chart)

    def forget(self, doc_token: str) -> None:
        """Remove the files of an old download token (its links stop working)."""
        self.documents.remove(doc_token)
