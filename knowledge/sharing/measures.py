"""Measures of a plan in the store, and the use cases around them ("wie doet wat").

``MeasureStore`` reads and writes the ``measures`` table (migration 0004) with the plan store's
sessions and locks. ``MeasureService`` owns the rules: the owner's measures count as confirmed,
a partner's are proposals; a partner takes a measure on ("wij nemen maatregel 2 op ons") and the
owner confirms or declines. Access comes from the sender id and the store (``access``), never
from slots. Text is cleaned and refused when it holds personal data, as everywhere in the store.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from knowledge.catalogue import Catalogue
from knowledge.nl.lexicon import Lexicon, lexicon_for
from knowledge.plan.measure_text import pending_note
from knowledge.plan.measures import (
    CONFIRMED,
    OWN,
    PROPOSED,
    REJECTED,
    Gaps,
    Measure,
    Proposal,
    default_span,
    gaps,
    municipality_label,
    named_party,
    parse_means,
    parse_span,
    priority_for,
    proposals,
    split_priorities,
    who_does_what,
)
from knowledge.plan.model import WhoDoesWhat
from knowledge.planning import PlanState
from knowledge.sharing import access
from knowledge.sharing.guard import clean, refuse_personal_data
from knowledge.sharing.measure_store import MeasureStore, UnknownMeasure
from knowledge.sharing.models import PlanMeasure
from knowledge.sharing.records import (
    Membership,
    NotOwner,
    SharingError,
    TextRefused,
)
from knowledge.sharing.service import Measured, News, SharingService, sharing_service

MIN_CHARS, MAX_CHARS = 3, 300
ONLY_OWNER_DECIDES = (
    "Alleen de eigenaar van het plan bevestigt of wijst een maatregel af. Je voorstel staat klaar."
)
ONLY_OWNER_CHANGES = (
    "Alleen de eigenaar past deze maatregel aan. Wil je hem doen? Zeg 'wij nemen maatregel "
    "{number} op ons'."
)


class NothingToDecide(SharingError):
    reason = "nothing_to_decide"
    message = "Over die maatregel valt niets te beslissen: er ligt geen voorstel."


def _checked(text: str | None) -> str:
    text = " ".join(clean(text).split())
    refuse_personal_data(text)
    return text


@dataclass(frozen=True)
class Board:
    """The measures of the sender's current plan, as they see them."""

    membership: Membership
    measures: list[Measure]
    section: WhoDoesWhat
    gaps: Gaps

    @property
    def pending(self) -> list[Measure]:
        """What the owner has to decide: proposals and offers to take a measure on."""
        return [m for m in self.measures if m.status == PROPOSED or m.pending_responsible]


class MeasureService:
    """Use cases of measures for one sender at a time (the sender id comes from the channel)."""

    def __init__(self, sharing: SharingService, today: date | None = None) -> None:
        self.sharing = sharing
        self.store = MeasureStore(sharing.store)
        self.today = today

    @property
    def catalogue(self) -> Catalogue:
        return self.sharing._catalogue()

    @property
    def lexicon(self) -> Lexicon:
        return lexicon_for(self.catalogue)

    # --- reading ---

    def board(self, sender: str) -> Board:
        me = self.sharing.membership(sender)
        return self._board(me)

    def _board(self, me: Membership) -> Board:
        measures = self.store.measures(me.plan.id)
        measured = self.store.latest_measurements(me.plan.id)
        state = PlanState.from_dict(me.plan.state)
        section = who_does_what(self.catalogue, me.plan.answers, state.methods, measures, measured)
        priorities = split_priorities(str(me.plan.answers.get("plan_priorities") or ""))
        return Board(
            me, measures, section, gaps(self.catalogue, measures, priorities, state.methods)
        )

    def news(self, sender: str) -> News:
        """What others added since the sender last asked; the owner also reads which offers and
        proposals of measures wait for their decision."""
        news = self.sharing.news(sender)
        me = self.sharing.membership(sender)
        note = pending_note(self._board(me).pending) if me.is_owner else ""
        return replace(news, owner_notes=[note, *news.owner_notes]) if note else news

    def proposals(self, sender: str) -> list[Proposal]:
        """The steps of the plan's chosen methods that are not a measure yet."""
        return [p for p, taken in self.menu(sender) if not taken]

    def menu(self, sender: str) -> list[tuple[Proposal, bool]]:
        """Every step of the plan's chosen methods (numbered by position), and whether it is a
        measure already."""
        me = self.sharing.membership(sender)
        state = PlanState.from_dict(me.plan.state)
        taken = {(m.origin, m.text) for m in self.store.measures(me.plan.id)}
        found = proposals(self.catalogue, self.lexicon, state.methods)
        return [(p, (p.origin, p.text) in taken) for p in found]

    # --- writing ---

    def add(self, sender: str, text: str, proposal: Proposal | None = None) -> Measure:
        """A measure from a method step (``proposal``) or the sender's own words.

        The owner's measure counts as confirmed; a partner's is a proposal for the owner.
        Responsible party, period, means and priority are read from ``text`` where given;
        otherwise proposed (the method's party, the next four quarters, the first priority).
        """
        me = access.writable(self.sharing.membership(sender))
        words = _checked(text)
        what = proposal.text if proposal else _what(words)
        if not MIN_CHARS <= len(what) <= MAX_CHARS:
            raise TextRefused(
                "Beschrijf de maatregel in een korte zin (hooguit 300 tekens), bijvoorbeeld "
                "'extra surveillance op vrijdagavond'."
            )
        party, responsible = self._responsible(words, me, proposal)
        span = parse_span(words, self.today) or default_span(self.today)
        method_problems = self.catalogue.get(proposal.origin).problems if proposal else []
        priorities = split_priorities(str(me.plan.answers.get("plan_priorities") or ""))
        measure = Measure(
            text=what,
            origin=proposal.origin if proposal else OWN,
            priority=priority_for(f"{what} {words}", priorities, self.lexicon, method_problems),
            responsible=responsible,
            party=party,
            start=span.start,
            end=span.end,
            means=parse_means(words),
            status=CONFIRMED if me.is_owner else PROPOSED,
        )
        return self.store.add(me.plan.id, sender, measure)

    def _responsible(
        self, words: str, me: Membership, proposal: Proposal | None
    ) -> tuple[str, str]:
        named = named_party(words, self.lexicon)
        if named:
            return named, self.catalogue.label("parties", named)
        if proposal:
            return proposal.party, proposal.responsible
        if not me.is_owner:  # a partner's own measure: they do it themselves
            return me.participant.party, _who_label(self.catalogue, me)
        return "gemeente", municipality_label(self.catalogue, [])

    def adjust(self, sender: str, number: int, text: str) -> Measure:
        """Change who, when, means or priority of a measure from free text.

        The owner changes any measure, a partner only their own proposal.
        """
        me = access.writable(self.sharing.membership(sender))
        words = _checked(text)
        row = self._row(me, number)
        if not me.is_owner and not (
            row.proposed_by == me.participant.id and row.status == PROPOSED
        ):
            raise NotOwner(ONLY_OWNER_CHANGES.format(number=number))
        values: dict[str, object] = {}
        named = named_party(words, self.lexicon)
        if named:
            values |= {"party": named, "responsible": self.catalogue.label("parties", named)}
        span = parse_span(words, self.today)
        if span:
            values |= {"start_label": span.start, "end_label": span.end}
        means = parse_means(words)
        if means:
            values["means"] = means
        priorities = split_priorities(str(me.plan.answers.get("plan_priorities") or ""))
        if "prioriteit" in words.lower() or any(p.lower() in words.lower() for p in priorities):
            values["priority"] = priority_for(words, priorities, self.lexicon)
        if not values:
            raise TextRefused(
                "Ik lees er geen partij, periode of budget in. Bijvoorbeeld: 'politie, maart "
                "tot juni 2027' of 'budget: 5000 euro'."
            )
        return self.store.change(me.plan.id, sender, number, **values)

    def take_on(self, sender: str, number: int) -> Measure:
        """'Wij nemen maatregel 2 op ons': the owner directly; a partner offers it to the owner."""
        me = access.writable(self.sharing.membership(sender))
        row = self._row(me, number)
        if row.status == REJECTED:
            raise TextRefused(f"Maatregel {number} is afgewezen. Stel gerust een nieuwe voor.")
        label = _who_label(self.catalogue, me)
        if me.is_owner:
            return self.store.change(
                me.plan.id, sender, number, responsible=label, party=me.participant.party
            )
        return self.store.change(
            me.plan.id,
            sender,
            number,
            pending_responsible=label,
            pending_party=me.participant.party,
            pending_by=me.participant.id,
        )

    def decide(self, sender: str, number: int, accept: bool) -> Measure:
        """The owner confirms or declines a proposal or an offer to take a measure on."""
        me = access.writable(access.owner(self.sharing.store, sender, ONLY_OWNER_DECIDES))
        row = self._row(me, number)
        if row.pending_responsible:
            values: dict[str, object] = {
                "pending_responsible": "",
                "pending_party": "",
                "pending_by": None,
            }
            if accept:
                values |= {
                    "responsible": row.pending_responsible,
                    "party": row.pending_party,
                    "status": CONFIRMED,
                }
            return self.store.change(me.plan.id, sender, number, **values)
        if row.status != PROPOSED:
            raise NothingToDecide()
        status = CONFIRMED if accept else REJECTED
        return self.store.change(me.plan.id, sender, number, status=status)

    def measure(self, sender: str, number: int, text: str) -> Measured:
        """A measurement that follows measure ``number`` ('maatregel 2: schouwen Q1 2027: 3')."""
        me = access.writable(self.sharing.membership(sender))
        self._row(me, number)
        measured = self.sharing.measure(sender, text)
        self.store.link_measurement(me.plan.id, measured.measurement.id, number)
        return measured

    def _row(self, me: Membership, number: int) -> PlanMeasure:
        row = self.store.raw(me.plan.id, number)
        if row is None:
            raise UnknownMeasure()
        return row

    def render(self, sender: str) -> str:
        """Write the plan's Word file again (with the table); its download token."""
        me = self.sharing.membership(sender)
        return self.sharing.render_plan(me.plan.id).doc_token


def _who_label(catalogue: Catalogue, me: Membership) -> str:
    p = me.participant
    party = catalogue.label("parties", p.party) if p.party else ""
    name = p.organisation or p.name or party or "partner"
    return f"{name} ({party})" if party and party.lower() not in name.lower() else name


def _what(words: str) -> str:
    """The measure itself: the text before a period, party or budget that follows a comma."""
    head = words.split(",")[0].strip(" .")
    return head if len(head) >= MIN_CHARS else words


def measure_service() -> MeasureService:
    """The measures of this process's shared-plan service."""
    return MeasureService(sharing_service())


__all__ = [
    "Board",
    "MeasureService",
    "MeasureStore",
    "NothingToDecide",
    "UnknownMeasure",
    "measure_service",
]
