"""Rasa's ``states_for_tracker_history`` resumed from a snapshot instead of replayed from the
start, with exactly Rasa's result.

Rasa 3.6.21 replays a tracker's applied events on a fresh copy (``generate_all_prior_trackers``)
and takes a state before every ``ActionExecuted`` and one at the end; with
``ignore_rule_only_turns`` two loop variables (``turn_was_hidden``, the last ML action) and the
previous state carry over. A state depends only on the replayed tracker at that point, so
``states()`` keeps, per tracker and argument set, the states so far and snapshots of the
replayed tracker at every ``action_listen`` (the start of a user turn): the slots' values and
"has been set" flags, the active loop, the latest message, action and bot utterance, the
follow-up action and the pause flag, which is everything ``Event.apply_to`` and
``Domain.get_active_state`` read or write for the events that can be in the applied list. On the
next call rasa_ext/applied_events.py tells how long a prefix of the applied events is unchanged
(a form step removes the turns back to the form's previous execution, so this is not just the
end); the computation resumes from the last snapshot inside that prefix. Anything it does not
know (another event type, a bounded history, another domain) goes to Rasa's original.
"""

from __future__ import annotations

import copy
import itertools
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core import events as ev
from rasa.shared.core.constants import ACTION_LISTEN_NAME, PREVIOUS_ACTION
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import applied_events

KEEP = 1536  # (tracker, arguments) entries: 3 argument sets for the hot tracker store's 500

# events whose apply_to only touches what a snapshot holds (not the replayed tracker's events)
SAFE = frozenset(
    {
        ev.ActionExecuted,
        ev.ActionExecutionRejected,
        ev.ActiveLoop,
        ev.AgentUttered,
        ev.AllSlotsReset,
        ev.BotUttered,
        ev.ConversationPaused,
        ev.ConversationResumed,
        ev.DefinePrevUserUtteredFeaturization,
        ev.EntitiesAdded,
        ev.FollowupAction,
        ev.LegacyForm,
        ev.LegacyFormValidation,
        ev.LoopInterrupted,
        ev.ReminderCancelled,
        ev.ReminderScheduled,
        ev.SlotSet,
        ev.UserUttered,
    }
)

_original = Domain.states_for_tracker_history


@dataclass
class Mark:
    """The replay just before ``applied[index]`` (an ``action_listen``)."""

    index: int
    slots: tuple
    tracker: tuple  # paused, followup action, latest action, message, bot utterance, loop
    n_states: int
    turn_was_hidden: bool
    last_ml_action: Any


@dataclass
class Entry:
    ref: weakref.ref
    domain: Domain
    rule_only_data: Any
    epoch: object
    version: int
    length: int  # of the applied list these states were made from
    states: list = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)


_cache: OrderedDict[tuple, Entry] = OrderedDict()


def _snapshot(tr: DialogueStateTracker, previous: Mark | None) -> tuple[tuple, tuple]:
    slots = tuple(x for slot in tr.slots.values() for x in (slot._value, slot._has_been_set))
    if (
        previous is not None
        and len(previous.slots) == len(slots)
        and all(a is b for a, b in zip(previous.slots, slots, strict=True))
    ):
        slots = previous.slots  # many turns change no slot: share the tuple
    state = (
        tr._paused,
        tr.followup_action,
        tr.latest_action,
        tr.latest_message,
        tr.latest_bot_utterance,
        copy.copy(tr.active_loop),
    )
    return slots, state


def _restore(tracker: DialogueStateTracker, mark: Mark) -> DialogueStateTracker:
    tr = tracker.init_copy()
    values = iter(mark.slots)
    for slot in tr.slots.values():
        slot._value, slot._has_been_set = next(values), next(values)
    (
        tr._paused,
        tr.followup_action,
        tr.latest_action,
        tr.latest_message,
        tr.latest_bot_utterance,
        active_loop,
    ) = mark.tracker
    tr.active_loop = copy.copy(active_loop)
    return tr


def _forget(key: tuple) -> None:
    _cache.pop(key, None)


def states(
    domain: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list:
    """``domain.states_for_tracker_history(tracker, ...)``, computed from the last usable
    snapshot. The list and its states are Rasa's; callers may change them (the remembered
    states are copies)."""
    args = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    applied = applied_events.versioned(tracker)
    if applied is None or type(tracker.slots) is not dict:
        return _original(domain, tracker, *args)
    # RulePolicy passes a new rule_only_data dict on every call: compared by value
    key = (id(tracker), id(domain), omit_unset_slots, ignore_rule_only_turns)
    entry = _cache.get(key)
    if (
        entry is None
        or entry.ref() is not tracker
        or entry.domain is not domain
        or entry.rule_only_data != rule_only_data
    ):
        entry = Entry(
            weakref.ref(tracker, lambda _, key=key: _forget(key)),
            domain,
            copy.deepcopy(rule_only_data),
            applied.epoch,
            applied.version,
            0,
        )
        _cache[key] = entry
    _cache.move_to_end(key)
    while len(_cache) > KEEP:
        _cache.popitem(last=False)
    if (
        entry.states
        and entry.epoch is applied.epoch
        and entry.version == applied.version
        and entry.length == len(applied.applied)
    ):
        return _copy(entry.states)  # no new applied event since the last call

    same = applied.unchanged_prefix(entry.epoch, entry.version, entry.length)
    while entry.marks and entry.marks[-1].index > same:
        entry.marks.pop()
    start = entry.marks[-1].index if entry.marks else 0
    if any(type(e) not in SAFE for e in itertools.islice(applied.applied, start, None)):
        del _cache[key]
        return _original(domain, tracker, *args)
    _compute(domain, tracker, entry, applied.applied, *args)
    entry.epoch, entry.version, entry.length = applied.epoch, applied.version, len(applied.applied)
    return _copy(entry.states)


def _copy(found: list) -> list:
    """Two levels: callers change a state's sub-states (Rasa's featurizers drop user text)."""
    return [{name: sub.copy() for name, sub in state.items()} for state in found]


def _compute(
    domain: Domain,
    tracker: DialogueStateTracker,
    entry: Entry,
    applied: list,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """Rasa's loop of ``states_for_tracker_history`` from the last mark to the end."""
    if entry.marks:
        mark = entry.marks[-1]
        tr = _restore(tracker, mark)
        start, turn_was_hidden, last_ml_action_sub_state = (
            mark.index,
            mark.turn_was_hidden,
            mark.last_ml_action,
        )
        del entry.states[mark.n_states :]
    else:
        tr = tracker.init_copy()
        start, turn_was_hidden, last_ml_action_sub_state = 0, False, None
        entry.states.clear()
    found = entry.states

    def take(hide_rule_turn: bool) -> None:
        nonlocal turn_was_hidden, last_ml_action_sub_state
        if ignore_rule_only_turns:
            if not turn_was_hidden:
                last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and tr.latest_action_name != tr.active_loop_name:
                turn_was_hidden = hide_rule_turn
            if turn_was_hidden:
                return
        state = domain.get_active_state(tr, omit_unset_slots=omit_unset_slots)
        if ignore_rule_only_turns:
            domain._remove_rule_only_features(state, rule_only_data)
            if found:
                domain._substitute_rule_only_user_input(state, found[-1])
            if last_ml_action_sub_state:
                state[PREVIOUS_ACTION] = last_ml_action_sub_state
        found.append(domain._clean_state(state))

    for index in range(start, len(applied)):
        event = applied[index]
        if isinstance(event, ActionExecuted):
            if event.action_name == ACTION_LISTEN_NAME and index != start:
                slots, state = _snapshot(tr, entry.marks[-1] if entry.marks else None)
                entry.marks.append(
                    Mark(
                        index,
                        slots,
                        state,
                        len(found),
                        turn_was_hidden,
                        last_ml_action_sub_state,
                    )
                )
            take(event.hide_rule_turn)
        event.apply_to(tr)
    take(False)


def past_states(
    self: DialogueStateTracker,
    domain: Domain,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list:
    """Drop-in for ``DialogueStateTracker.past_states``."""
    return states(domain, self, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
