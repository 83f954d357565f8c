"""Pydantic models for the catalogue's YAML files.

Validation happens at load so that a broken data file fails loudly with its
file name, the field and the reason, instead of producing wrong advice later.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator, model_validator

from knowledge.facets import Cooperation, Object, Party, Problem, Role
from knowledge.facets import Field as SafetyField


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Example(Strict):
    """A practical example the report gives (e.g. Aanpak Strevelsweg, Rotterdam)."""

    name: str
    place: str | None = None
    description: str


class Link(Strict):
    """A 'Meer weten' reference from the report."""

    url: HttpUrl
    label: str


class Method(Strict):
    """One method of the report, with its facets agreeing with tables 3.2-3.7."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=3)
    abbreviation: str | None = None
    origin: str | None = None
    section: str = Field(pattern=r"^4(\.\d+){1,2}$", description="report section")
    aliases: list[str] = []
    summary: str = Field(min_length=20, max_length=200)
    goal: str = Field(min_length=40)
    approach: str = Field(min_length=40)
    steps_label: str = "Stappen"
    steps: list[str] = Field(min_length=1)
    examples: list[Example] = []
    more_info: list[Link] = Field(min_length=1)
    field: list[SafetyField] = Field(min_length=1)
    object: list[Object] = Field(min_length=1)
    cooperation: list[Cooperation] = Field(min_length=1)
    roles: list[Role] = Field(min_length=1)
    parties: list[Party] = Field(min_length=1)
    problems: list[Problem] = []
    settings: list[str] = []
    target_groups: list[str] = []
    keywords: list[str] = []
    notes: list[str] = []
    # For advice answers: "<short_name> is gemaakt voor <made_for>." (B1, from chapter 4).
    made_for: str = Field(min_length=20)
    # The partner to involve first (a column of table 3.6 that the method ticks).
    first_partner: Party
    # Effort or duration, only where the report gives it (e.g. KVO's eight steps).
    effort: str | None = None
    # A fact that changed after 2008, shown wherever the method is shown.
    dated_note: str | None = None
    # A method for the process as a whole (Lokale Veiligheidsplanner, Matrix IVZ).
    process: bool = False

    @property
    def short_name(self) -> str:
        """What buttons and tables show: the abbreviation (KVO) or else the name."""
        return self.abbreviation or self.name

    @model_validator(mode="after")
    def _first_partner_is_a_partner(self) -> Method:
        if self.first_partner not in self.parties:
            raise ValueError(f"first_partner '{self.first_partner}' staat niet in parties")
        return self

    @field_validator("field", "object", "cooperation", "roles", "parties", "problems")
    @classmethod
    def _no_duplicates(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("dubbele waarde in facet")
        return value

    @field_validator("summary", "goal", "approach")
    @classmethod
    def _no_placeholder(cls, value: str) -> str:
        if "TODO" in value:
            raise ValueError("tekst is nog niet ingevuld (TODO)")
        return value.strip()


class Term(Strict):
    """A vocabulary entry: a facet value, setting or target group, as users say it."""

    label: str
    explanation: str = ""
    table_label: str | None = None
    synonyms: list[str] = []
    problems: list[Problem] = []
    methods: list[str] = []


class PlannerStep(Strict):
    """One step of the Lokale Veiligheidsplanner; knowledge/steps.py is the place to read them."""

    number: int = Field(ge=1)
    slot: str = Field(pattern=r"^plan_[a-z_]+$")  # the planner_form slot in bot/domain/planner.yml
    label: str  # short label: chat summaries, buttons, partners' contributions
    heading: str  # Word heading: "<number>. <heading> - <question>"
    partners: Literal["bijdrage", "voorstel"]  # partners add directly, or propose to the owner
    partner_button: str | None = None  # button text when a partner picks the step
    hint: str  # the form's explanation under the question
    question: str
    report_label: str
    explanation: str
    tips: list[str] = []


class SmartCriterion(Strict):
    letter: str = Field(min_length=1, max_length=1)
    term: str
    definition: str


class PdcaPhase(Strict):
    phase: str
    explanation: str


class Advice(Strict):
    key: str
    title: str
    text: str


class Vocabulary(Strict):
    """Dutch labels, explanations and synonyms for facets, settings and target groups."""

    field: dict[SafetyField, Term]
    object: dict[Object, Term]
    cooperation: dict[Cooperation, Term]
    roles: dict[Role, Term]
    parties: dict[Party, Term]
    problems: dict[Problem, Term]
    settings: dict[str, Term]
    target_groups: dict[str, Term]
    # Topics the report leaves out (physical and external safety, services): an honest "no".
    out_of_scope: dict[str, Term] = {}


class Indicator(Strict):
    """A way to measure progress on a problem (step 6): what, from which source."""

    indicator: str
    source: str


class Planner(Strict):
    """The Lokale Veiligheidsplanner's six questions and the report's method advice."""

    steps: list[PlannerStep] = Field(min_length=1)
    smart: list[SmartCriterion] = Field(min_length=5, max_length=5)
    pdca: list[PdcaPhase] = Field(min_length=4, max_length=4)
    advice: list[Advice] = Field(min_length=1)
    # Suggested indicators per problem key (table 3.7) and for any problem ("algemeen").
    indicators: dict[Problem | Literal["algemeen"], list[Indicator]] = {}
    evaluation_moments: list[str] = []


class ClarifyOption(Strict):
    """One answer button of a clarifying question: its words and the methods it points to."""

    title: str
    text: str  # added to the user's question when the button is pressed
    cues: list[str] = Field(min_length=1)  # words in a question that already give this answer
    prefer: list[str] = Field(min_length=1)


class Clarification(Strict):
    """A distinction the report makes between close methods (e.g. VER before, PKVW after building)."""

    key: str
    methods: list[str] = Field(min_length=2)
    question: str
    options: list[ClarifyOption] = Field(min_length=2, max_length=3)


class AdviceRules(Strict):
    """knowledge/data/advice.yml: process cues, party phrasing and clarifying questions."""

    process_cues: list[str] = Field(min_length=1)
    party_phrases: dict[Party, str]
    clarifications: list[Clarification] = []
