"""Run in the Rasa venv (tests/test_past_states.py): rasa_ext's incremental applied events and
past states against Rasa 3.6.21's own, at every prefix of real trackers.

Input on stdin (JSON): {"db": path of a tracker DB or null, "stories": true/false,
"augmentation": int, "every": compare at every prefix up to this many events}. Trackers come
from Rasa's own training data generator over our stories and rules (forms with happy and
unhappy paths) and, when given, every conversation in a tracker DB written by the running
services. Each tracker is rebuilt event by event; after every event and for every argument set
the policies use (omit_unset_slots, ignore_rule_only_turns with the model's rule_only_data) the
patched and the original results are compared. Also: two trackers fed alternately (interleaved
senders), a deep copy and a ``tracker.copy()`` taken between calls. Prints one JSON line:
counts, the number of differences and the first few.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import sys
import tarfile
from pathlib import Path
from typing import Any

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker

from rasa_ext import applied_events, past_states

ROOT = Path(__file__).resolve().parents[1]
ORIGINAL_PAST_STATES = DialogueStateTracker.past_states


def rule_only_data() -> dict[str, Any]:
    """The trained model's rule-only slots and loops (what RulePolicy passes)."""
    with tarfile.open(ROOT / "models" / "methodewijzer.tar.gz") as tar:
        for member in tar.getmembers():
            if member.name.endswith("rule_only_data.json"):
                return json.load(tar.extractfile(member))  # type: ignore[arg-type]
    raise SystemExit("no rule_only_data.json in the model")


def training_event_lists(domain: Domain, augmentation: int) -> list[tuple[str, list[Event]]]:
    from rasa.shared.core.generator import TrainingDataGenerator
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "bot" / "domain"), training_data_paths=[str(ROOT / "bot")]
    )
    graph = importer.get_stories()
    trackers = TrainingDataGenerator(
        graph, domain, remove_duplicates=False, augmentation_factor=augmentation
    ).generate()
    return [(t.sender_id, list(t.events)) for t in trackers]


def db_event_lists(path: str) -> list[tuple[str, list[Event]]]:
    with sqlite3.connect(path) as db:
        rows = db.execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    conversations: dict[str, list[Event]] = {}
    for sender, data in rows:
        conversations.setdefault(sender, []).append(Event.from_parameters(json.loads(data)))
    return list(conversations.items())


def chosen(
    conversations: list[tuple[str, list[Event]]], options: dict[str, Any]
) -> list[tuple[str, list[Event]]]:
    """The conversations of ``options["senders"]`` and the first ``options["others"]`` others
    (all when neither is given): Rasa's own replay at every prefix is quadratic."""
    if "senders" not in options and "others" not in options:
        return conversations
    wanted = set(options.get("senders", []))
    mine = [c for c in conversations if c[0] in wanted]
    others = [c for c in conversations if c[0] not in wanted][: int(options.get("others", 0))]
    return mine + others


FLAGS: list[dict[str, Any]] = []
EVERY, STEP = 300, 20


def reference(tracker: DialogueStateTracker, domain: Domain, flags: dict) -> tuple[list, list]:
    """Rasa's own applied events and past states (nothing of rasa_ext in between)."""
    applied_events.uninstall()
    try:
        return tracker.applied_events(), ORIGINAL_PAST_STATES(tracker, domain, **flags)
    finally:
        applied_events.install()


class Checker:
    def __init__(self, domain: Domain) -> None:
        self.domain = domain
        self.checks = 0
        self.differences: list[str] = []  # the first few
        self.n_differences = 0

    def check(self, tracker: DialogueStateTracker, where: str) -> None:
        for flags in FLAGS:
            want_applied, want_states = reference(tracker, self.domain, flags)
            got_applied = tracker.applied_events()
            # a fresh rule_only_data dict per call, as RulePolicy passes it
            got_states = past_states.past_states(tracker, self.domain, **copy.deepcopy(flags))
            self.checks += 1
            same_applied = len(got_applied) == len(want_applied) and all(
                a is b for a, b in zip(got_applied, want_applied, strict=True)
            )
            if not same_applied or got_states != want_states:
                self.n_differences += 1
                self.differences.append(
                    f"{where} {sorted(flags)} applied={same_applied} "
                    f"states {len(got_states)} vs {len(want_states)}"
                )
                del self.differences[5:]
            # what a caller does to what it got must not change what is remembered
            for state in got_states:
                for sub in state.values():
                    sub.clear()

    def replay(self, sender: str, events: list[Event], slots: Any) -> None:
        """Every prefix is computed incrementally; it is compared with Rasa's at every prefix
        up to ``EVERY`` events and at every ``STEP``-th and the last one after that (Rasa's
        own replay costs the whole history each time)."""
        tracker = DialogueStateTracker(sender, slots)
        for i, event in enumerate(events):
            tracker.update(event)
            if i < EVERY or i % STEP == 0 or i == len(events) - 1:
                self.check(tracker, f"{sender}@{i}")
            else:
                for flags in FLAGS:
                    past_states.past_states(tracker, self.domain, **flags)


def main() -> None:
    global EVERY
    options = json.loads(sys.stdin.read() or "{}")
    EVERY = int(options.get("every", EVERY))
    domain = Domain.load(str(ROOT / "bot" / "domain"))
    rule_only = rule_only_data()
    FLAGS.extend(
        [
            {},
            {"omit_unset_slots": True},
            {"ignore_rule_only_turns": True, "rule_only_data": rule_only},
            {"omit_unset_slots": True, "ignore_rule_only_turns": True, "rule_only_data": rule_only},
        ]
    )
    applied_events.install()
    checker = Checker(domain)
    lists: list[tuple[str, list[Event]]] = []
    if options.get("stories", True):
        lists += training_event_lists(domain, int(options.get("augmentation", 0)))
    n_training = len(lists)
    if options.get("db"):
        lists += chosen(db_event_lists(options["db"]), options)
    for sender, events in lists:
        checker.replay(sender, events, domain.slots)

    # two senders alternating, each tracker kept (as the hot tracker store keeps them)
    longest = sorted(lists, key=lambda item: len(item[1]))[-2:]
    if len(longest) == 1:  # one recorded conversation: it alternates with a copy of itself
        longest = longest * 2
    pair = [DialogueStateTracker(name, domain.slots) for name in ("a", "b")]
    for i in range(max(len(e) for _, e in longest)):
        for tracker, (_, events) in zip(pair, longest, strict=True):
            if i < len(events):
                tracker.update(events[i])
                checker.check(tracker, f"interleaved-{tracker.sender_id}@{i}")

    # a deep copy and a tracker.copy() between calls continue with their own events
    _, events = longest[-1]
    tracker = DialogueStateTracker("c", domain.slots)
    for i, event in enumerate(events):
        tracker.update(event)
        checker.check(tracker, f"copied@{i}")
        if i % 7 == 3:
            tracker = copy.deepcopy(tracker)
        elif i % 7 == 5:
            tracker = tracker.copy()

    print(
        json.dumps(
            {
                "trackers": len(lists),
                "training": n_training,
                "events": sum(len(e) for _, e in lists),
                "checks": checker.checks,
                "differences": checker.n_differences,
                "first": checker.differences,
            }
        )
    )


if __name__ == "__main__":
    main()
