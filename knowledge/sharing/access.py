"""Who may do what in a shared plan, decided from the server-side sender id and the store.

Never from slots or entities: a user can type '/intent{"slot": ...}'. The sender id is set by
the channel (the web server's cookie, the Telegram chat).
"""

from __future__ import annotations

from knowledge.sharing.records import Membership, NoPlan, NotOwner, PlanClosed
from knowledge.sharing.store import SharedPlanStore


def current(store: SharedPlanStore, sender: str) -> Membership | None:
    """The sender's current plan (the one used last) and their part in it, or None."""
    participant = store.current_participation(sender)
    plan = store.get_plan(participant.plan_id) if participant else None
    if participant is None or plan is None:
        return None
    return Membership(participant, plan)


def member(store: SharedPlanStore, sender: str) -> Membership:
    """Like :func:`current`, but a sender without a plan is refused (``NoPlan``)."""
    found = current(store, sender)
    if found is None:
        raise NoPlan()
    return found


def owner(store: SharedPlanStore, sender: str, refusal: str | None = None) -> Membership:
    """The sender's current plan when they own it; a partner gets ``refusal``."""
    found = member(store, sender)
    if not found.is_owner:
        raise NotOwner(refusal)
    return found


def writable(membership: Membership) -> Membership:
    """Refuse a closed plan."""
    if membership.plan.status == "closed":
        raise PlanClosed()
    return membership
