"""The policies' past states, computed incrementally (issue 15).

To predict one action, Rasa 3.6 asks each policy (TED, memoization, rules; the rule policy
several times) for ``tracker.past_states(domain, ...)``, and each call replayed the whole
session (``generate_all_prior_trackers`` and ``applied_events``): at turn 250 that was 44 % of
Rasa's time per turn (docs/performance.md). ``install()`` replaces both with exact incremental
versions: rasa_ext/applied_events.py continues Rasa's stack machine over the new events only,
rasa_ext/past_states.py resumes the states from a snapshot of the replay at the last unchanged
``action_listen`` and answers a repeated call (no new event) from what it remembered.
"""

from __future__ import annotations

from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import applied_events, past_states


def install() -> None:
    """Compute applied events and past states incrementally (once; calling again is
    harmless)."""
    applied_events.install()
    DialogueStateTracker.past_states = past_states.past_states
