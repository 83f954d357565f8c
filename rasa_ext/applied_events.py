"""Rasa's ``applied_events`` continued over the new events only, exactly as Rasa computes it.

``DialogueStateTracker.applied_events`` (Rasa 3.6.21) is a left-to-right stack machine over all
of a tracker's events: append an event, or pop back (``Restarted``/``SessionStarted`` empty
the list, ``ActionReverted`` and ``UserUtteranceReverted`` undo the last action or user turn,
a form's ``ActionExecuted`` undoes the turns back to its previous execution). Only the set of
loop names is read from all events first. Every policy asks for it again per prediction, so at
turn 300 it dominated Rasa's time (docs/performance.md, issue 15).

``install()`` keeps, per tracker object, the list after the first ``k`` events and continues
over events ``k..n`` on the next call. It falls back to Rasa's original whenever it is unsure:
another tracker object, events that are not an extension of the ones seen (the first and the
``k``-th event must be the same objects, the deque too), a bounded history (``maxlen``), or a
loop name that was not among the names the earlier events were processed with. Each call gets
a fresh list. ``versioned()`` also tells which prefix of the list is unchanged since an earlier
call (the lowest index any step removed), which lets rasa_ext/past_states.py resume there.
"""

from __future__ import annotations

import itertools
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    DefinePrevUserUtteredFeaturization,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

KEEP = 512  # trackers remembered (the hot tracker store keeps 500); dead trackers leave at once

_original = DialogueStateTracker.applied_events


@dataclass
class Applied:
    """The stack machine's state for one tracker after its first ``k`` events."""

    ref: weakref.ref
    events: Any  # the tracker's deque, by identity
    k: int
    first: Event | None
    last: Event | None
    loop_names: frozenset[str]
    applied: list[Event]
    epoch: object = field(default_factory=object)  # a new one whenever it is rebuilt
    lows: list[int] = field(default_factory=list)  # lows[v]: lowest index step v+1 changed

    @property
    def version(self) -> int:
        return len(self.lows)

    def unchanged_prefix(self, epoch: object, version: int, length: int) -> int:
        """How many leading events of the list at (epoch, version), ``length`` long, are
        still the same objects at the same places now (0 if that list is not known)."""
        if epoch is not self.epoch or version > self.version:
            return 0
        return min([length, *self.lows[version:]])


_cache: OrderedDict[int, Applied] = OrderedDict()


def _loop_names(events: Any) -> frozenset[str]:
    return frozenset(e.name for e in events if isinstance(e, ActiveLoop) and e.name)


def _run(tracker: DialogueStateTracker, entry: Applied, new: Any) -> int:
    """Rasa's loop body of ``applied_events`` over ``new``; the lowest index it changed."""
    applied = entry.applied
    loop_names = entry.loop_names
    low = len(applied)
    for event in new:
        if isinstance(event, (Restarted, SessionStarted)):
            applied.clear()
            low = 0
        elif isinstance(event, ActionReverted):
            _undo_till_previous(ActionExecuted, applied)
            low = min(low, len(applied))
        elif isinstance(event, UserUtteranceReverted):
            _undo_till_previous(UserUttered, applied)
            _undo_till_previous(ActionExecuted, applied)
            low = min(low, len(applied))
        elif (
            isinstance(event, ActionExecuted)
            and event.action_name in loop_names
            and not tracker._first_loop_execution_or_unhappy_path(event.action_name, applied)
        ):
            low = min(low, _undo_till_previous_loop_execution(event.action_name, applied))
        else:
            applied.append(event)
    return low


def _undo_till_previous(event_type: type, done_events: list[Event]) -> None:
    """Rasa's ``_undo_till_previous`` without copying the list first."""
    while done_events:
        if isinstance(done_events.pop(), event_type):
            break


def _undo_till_previous_loop_execution(loop_action_name: str, done_events: list[Event]) -> int:
    """Rasa's ``_undo_till_previous_loop_execution``; returns the lowest index it removed
    (the list's length if none)."""
    low = len(done_events)
    offset = 0
    for e in reversed(done_events[:]):
        if isinstance(e, ActionExecuted) and e.action_name == loop_action_name:
            break
        if isinstance(e, (ActionExecuted, UserUttered, DefinePrevUserUtteredFeaturization)):
            index = len(done_events) - 1 - offset
            del done_events[index]
            low = min(low, index)
        else:
            offset += 1
    return low


def _forget(key: int) -> None:
    _cache.pop(key, None)


def _rebuild(tracker: DialogueStateTracker) -> Applied:
    events = tracker.events
    key = id(tracker)
    entry = Applied(
        ref=weakref.ref(tracker, lambda _, key=key: _forget(key)),
        events=events,
        k=len(events),
        first=events[0] if events else None,
        last=events[-1] if events else None,
        loop_names=_loop_names(events),
        applied=[],
    )
    _run(tracker, entry, events)
    _cache[key] = entry
    _cache.move_to_end(key)
    while len(_cache) > KEEP:
        _cache.popitem(last=False)
    return entry


def versioned(tracker: DialogueStateTracker) -> Applied | None:
    """The remembered stack machine brought up to the tracker's events, or None when the
    tracker's history is bounded (then only Rasa's original is used)."""
    events = tracker.events
    if events.maxlen is not None:
        return None
    n = len(events)
    entry = _cache.get(id(tracker))
    if (
        entry is None
        or entry.ref() is not tracker
        or entry.events is not events
        or n < entry.k
        or (entry.k and (events[0] is not entry.first or events[entry.k - 1] is not entry.last))
    ):
        return _rebuild(tracker)
    _cache.move_to_end(id(tracker))
    if n == entry.k:
        return entry
    new = list(itertools.islice(events, entry.k, n))
    if not _loop_names(new) <= entry.loop_names:
        return _rebuild(tracker)  # earlier events were processed without this loop name
    entry.lows.append(_run(tracker, entry, new))
    entry.k, entry.last = n, new[-1]
    if entry.first is None:
        entry.first = events[0]
    return entry


def applied_events(self: DialogueStateTracker) -> list[Event]:
    """Drop-in for ``DialogueStateTracker.applied_events``: the same list, a fresh copy."""
    entry = versioned(self)
    if entry is None:
        return _original(self)
    return list(entry.applied)


def install() -> None:
    """Compute applied events incrementally (once; calling again is harmless)."""
    DialogueStateTracker.applied_events = applied_events


def uninstall() -> None:
    """Back to Rasa's own (for tests that compare with it)."""
    DialogueStateTracker.applied_events = _original
