"""The policies share one computation of a tracker's past states per prediction.

To predict one action, Rasa 3.6 asks each policy (TED, memoization, rules; the rule policy
several times) for ``tracker.past_states(domain, ...)``. Each call replays the whole session
(``generate_all_prior_trackers`` and ``applied_events``), so at turn 250 this was more than
half of Rasa's time per turn (docs/performance.md). The answer depends only on the tracker's
events and the arguments, so ``install()`` remembers the last answers: a call for the same
tracker object, with the same number of events and the same newest event, and the same
arguments gets a copy of the remembered states. Any new event makes it compute again, and
that computation is incremental (rasa_ext/past_states.py over rasa_ext/applied_events.py): it
resumes from a snapshot of the replay instead of replaying the whole session.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import applied_events
from rasa_ext import past_states as incremental

KEEP = 16  # remembered answers: a few argument sets for the trackers being predicted now

_memo: OrderedDict[tuple, tuple[Any, ...]] = OrderedDict()


def _copy(states: list) -> list:
    """Two levels: callers change a state's sub-states (e.g. drop the user text)."""
    return [{key: dict(sub) for key, sub in state.items()} for state in states]


def past_states(
    self: DialogueStateTracker,
    domain: Any,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list:
    newest = self.events[-1] if self.events else None
    key = (id(self), id(domain), omit_unset_slots, ignore_rule_only_turns, id(rule_only_data))
    objects = (self, domain, rule_only_data, newest)
    hit = _memo.get(key)
    # the entry holds the objects themselves, so their ids cannot be reused while it is kept
    if (
        hit
        and all(a is b for a, b in zip(hit[0], objects, strict=True))
        and hit[1] == len(self.events)
    ):
        _memo.move_to_end(key)
        return _copy(hit[2])
    states = incremental.states(
        domain, self, omit_unset_slots, ignore_rule_only_turns, rule_only_data
    )
    _memo[key] = (objects, len(self.events), _copy(states))
    while len(_memo) > KEEP:
        _memo.popitem(last=False)
    return states


def install() -> None:
    """Share the past states between the policies and compute them incrementally (once;
    calling again is harmless)."""
    applied_events.install()
    DialogueStateTracker.past_states = past_states
