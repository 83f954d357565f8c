"""The action server's per-action meter (action_server/meter.py): calls, bytes and CPU."""

from __future__ import annotations

import asyncio
import socket
import time

import httpx
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from action_server.meter import CallMeter


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_meter_counts_each_webhook_call_with_its_action_bytes_and_cpu():
    Sanic.test_mode = True
    app = Sanic("meter_test")
    meter = CallMeter()
    meter.attach(app)

    @app.post("/webhook")
    async def webhook(request: Request) -> HTTPResponse:
        until = time.thread_time() + 0.02 * request.json.get("work", 0)
        while time.thread_time() < until:  # CPU work, as an action's embedding would do
            pass
        return json({"events": []})

    @app.get("/health")
    async def health(_: Request) -> HTTPResponse:
        return json({"status": "ok"})

    async def scenario() -> None:
        port = free_port()
        server = await app.create_server(
            host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
        )
        await server.startup()
        await server.start_serving()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
                for body in (
                    {"next_action": "action_advice", "work": 3},
                    {"next_action": "action_advice", "work": 0},
                    {"next_action": "validate_planner_form", "work": 1},
                ):
                    assert (await client.post("/webhook", json=body)).status_code == 200
                assert (await client.get("/health")).status_code == 200
                assert (await client.post("/webhook", content=b"no json")).status_code == 400
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(scenario())
    stats = meter.stats()
    advice, form = stats["action_advice"], stats["validate_planner_form"]
    assert advice["calls"] == 2 and form["calls"] == 1
    assert advice["request_bytes"] > form["request_bytes"] > 0
    assert 60 <= advice["cpu_ms"] < 400 and 20 <= form["cpu_ms"] < 300
    assert advice["process_cpu_ms"] >= advice["cpu_ms"] - 1  # the process: this thread and more
    assert stats["?"]["calls"] == 1  # a body that is no JSON is counted, under "?"
    assert sum(s["calls"] for s in stats.values()) == 4  # /health is not counted
