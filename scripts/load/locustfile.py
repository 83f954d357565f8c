"""Locust load for `make bench-cluster`: each simulated user holds one conversation at a time.

A conversation (scripts/load/conversation.py) is: maybe a greeting, one or two advice questions
and an explanation (in random order), the six planner questions with realistic answers (step 5
by typing or by pressing a method button), and a thank-you; then the user starts a new
conversation under a new sender id. The next message is sent as soon as the reply is there
(no think time unless LOAD_THINK_SECONDS is set), so the load is "N conversations at once".

Counted as an error: an HTTP error or timeout, an empty reply, the action-failure apology or a
"niet bereikbaar" text, and a planner reply that does not ask the right question ("Vraag N van
6") or does not end with the plan's Word file. After an HTTP error, a timeout, an empty reply or
an apology the user sends the same message once more after two seconds, as a person would
(the apology asks for that); a second error, or a wrong planner step, ends the conversation.

Run headless against Rasa's REST channel or the balancer in front of it:
    LOAD_LOG=/tmp/load.jsonl locust -f scripts/load/locustfile.py --headless \
        --host http://127.0.0.1:5005 -u 20 -r 20 -t 60s
Every request and every conversation is written to LOAD_LOG (one JSON object per line) with
wall-clock times, so scripts/bench_cluster.py can count per time window.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from pathlib import Path
from typing import Any

import conversation as talk  # scripts/load/conversation.py: Locust puts its folder on the path
import gevent
from locust import FastHttpUser, constant, events, task

PATH = "/webhooks/rest/webhook"
RETRY_AFTER = 2.0  # seconds before a person sends a message again after an error
MATERIAL = talk.load_material()
DECKS = talk.Decks.of(MATERIAL, random.Random())  # shared by the users of this process
JUDGE = talk.Judge()
_log_path = os.environ.get("LOAD_LOG")
_log = Path(_log_path).open("a", encoding="utf-8", buffering=1) if _log_path else None  # noqa: SIM115


def record(**fields: Any) -> None:
    if _log is not None:
        _log.write(json.dumps(fields, ensure_ascii=False) + "\n")


@events.request.add_listener
def _on_request(
    request_type: str,
    name: str,
    response_time: float,
    exception: BaseException | None = None,
    start_time: float | None = None,
    context: dict | None = None,
    **_: Any,
) -> None:
    record(
        type="request",
        kind=name,
        start=start_time,
        ms=response_time,
        error=str(exception) if exception else None,
        misunderstood=bool((context or {}).get("misunderstood")),
        sender=(context or {}).get("sender"),
    )


class ConversationEnded(Exception):
    """The conversation cannot go on (an error was counted already)."""


class Conversation(FastHttpUser):
    wait_time = constant(0)
    # Rasa frees the lock of a conversation whose replica died after its lifetime (60 s).
    network_timeout = 100.0
    connection_timeout = 10.0

    def on_start(self) -> None:
        self.rng = random.Random()
        self.think = float(os.environ.get("LOAD_THINK_SECONDS", "0"))

    def say(self, kind: str, text: str, *, retry: bool = True) -> list[dict]:
        """Send one message and return the replies. After an error (counted) the same message
        is sent once more, as a person would; a second error ends the conversation."""
        with self.client.post(
            PATH,
            json={"sender": self.sender, "message": text},
            name=kind,
            catch_response=True,
            context={"sender": self.sender},
        ) as response:
            replies, problem = None, f"HTTP {response.status_code or 'geen antwoord'}"
            if response.status_code == 200:
                try:
                    replies = response.json()
                    problem = JUDGE.failure(replies)
                except ValueError:
                    problem = "geen JSON"
            if problem:
                response.failure(problem)
            else:
                response.request_meta["context"]["misunderstood"] = JUDGE.misunderstood(replies)
                response.success()
        if problem:
            if not retry:
                raise ConversationEnded
            gevent.sleep(RETRY_AFTER)
            return self.say(kind, text, retry=False)
        if self.think:
            gevent.sleep(self.think)
        return replies

    def fail(self, kind: str, reason: str) -> None:
        """A reply that was an answer, but not the right planner step: an error too."""
        events.request.fire(
            request_type="CHECK",
            name=kind,
            response_time=0,
            response_length=0,
            exception=Exception(reason),
            context={"sender": self.sender},
            start_time=time.time(),
        )
        raise ConversationEnded

    def planner(self, script: talk.Script) -> str:
        """The six questions; returns the last answer (it must be in the stored plan)."""
        if talk.step_asked(self.say("plan-start", talk.START_PLAN)) != 1:
            self.fail("plan-start", "geen vraag 1 na de vraag om een plan")
        step, tries, replies, answer = 1, 0, [], ""
        while True:
            kind = f"plan-{step}"
            offered = [b for b in talk.buttons(replies) if b.startswith("/inform")]
            if step == 5 and script.click_method and offered and tries == 0:
                answer = offered[0]
            else:
                answer = script.answers[step][tries % len(script.answers[step])]
            replies = self.say(kind, answer)
            outcome, error = JUDGE.planner(step, replies)
            if error:
                self.fail(kind, error)
            if outcome == "done":
                return answer
            tries = tries + 1 if outcome == "again" else 0
            if tries >= talk.TRIES_PER_STEP:
                self.fail(kind, f"vraag {step} na {tries} antwoorden nog steeds gesteld")
            step += outcome == "next"

    @task
    def conversation(self) -> None:
        self.sender = f"load-{uuid.uuid4().hex[:12]}"
        script = talk.new_script(MATERIAL, self.rng, DECKS)
        started = time.time()
        record(type="conversation", sender=self.sender, start=started, state="started")
        # "stopped" unless it ends here: Locust stops users at the end of the run by killing them
        state, last = "stopped", ""
        try:
            for kind, text in script.opening:
                self.say(kind, text)
            last = self.planner(script)
            self.say("afsluiting", script.closing)
            state = "done"
        except ConversationEnded:
            state = "error"
        except Exception:
            state = "error"
            raise
        finally:
            record(
                type="conversation",
                sender=self.sender,
                start=started,
                end=time.time(),
                state=state,
                last_answer=last,
            )
