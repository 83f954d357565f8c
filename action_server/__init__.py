"""The action server, in one process: ``python -m action_server --port 5055``.

rasa-sdk's own ``python -m rasa_sdk`` runs a Sanic worker process that imports every action (and
the search index) a second time, and Sanic stops it when that takes more than 30 s, which a busy
2-core machine misses. This serves the same app (``rasa_sdk.endpoint.create_app``) in a single
process, with the shared-token check of rasa_sdk_plugins/action_token.py, on 127.0.0.1 unless
SANIC_HOST says otherwise. scripts/serve.py starts it.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from action_server.meter import CallMeter
from knowledge.search.dense import query_cache_stats
from rasa_sdk_plugins.action_token import attach_sanic_app_extensions

DEFAULT_PORT = 5055
TORCH_THREADS_SETTING = "ACTION_TORCH_THREADS"
DEFAULT_TORCH_THREADS = 1


def limit_torch_threads(environ: dict[str, str] | None = None) -> int:
    """Threads torch may use for the query embedding (ACTION_TORCH_THREADS, default 1).

    The action server answers one request at a time and shares the machine with Rasa (and, in
    a cluster, with other replicas): one thread per process avoids oversubscribing the cores
    (docs/performance.md has the measurement).
    """
    raw = (environ if environ is not None else os.environ).get(TORCH_THREADS_SETTING, "")
    threads = int(raw) if raw.strip() else DEFAULT_TORCH_THREADS
    if threads > 0:
        import torch

        torch.set_num_threads(threads)
    return threads


def warm_up() -> None:
    """Load before listening what the first calls would otherwise load on the event loop.

    The search model and index (and one query embedding: torch prepares its kernels on the
    first) take 5-10 s of CPU, much more on a busy machine. Loaded by the first advice request,
    they blocked the server while the balancer already sent it requests, which then waited
    past Rasa's ACTION_SERVER_TIMEOUT: an action server restarted under load (the fault run)
    gave apologies for a while after it was back. Now it listens only when it is ready. Then
    the objects made so far are frozen (``gc.freeze``): a full garbage collection no longer
    walks the 580,000 objects of torch, transformers and the index (335 ms of CPU each time).
    """
    from knowledge.catalogue import load_catalogue
    from knowledge.nl.lexicon import lexicon_for
    from knowledge.search import get_searcher

    try:
        get_searcher().search("overlast van jongeren op straat")
        lexicon_for(load_catalogue())
    except Exception as exc:  # the action that needs it reports the problem to the user
        logging.getLogger(__name__).warning("Opwarmen mislukt: %s", exc)
    gc.collect()
    gc.freeze()


def build_app(package: str = "actions") -> Sanic:
    """The rasa-sdk app with every action of ``package`` and the token check."""
    executor = ActionExecutor()
    executor.register_package(package)
    app = create_app(executor, cors_origins=None)
    meter = CallMeter()
    meter.attach(app)

    @app.get("/stats")
    async def stats(_: Request) -> HTTPResponse:
        """Counters for the benchmarks (behind the token like every path but /health)."""
        return json({"query_cache": query_cache_stats(), "actions": meter.stats()})

    attach_sanic_app_extensions(app)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m action_server", description=__doc__)
    parser.add_argument("--actions", default="actions", help="package with the actions")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    utils.configure_colored_logging(logging.INFO)
    logging.getLogger("matplotlib").setLevel(logging.WARNING)
    limit_torch_threads()
    app = build_app(args.actions)
    warm_up()
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    app.run(host=host, port=args.port, single_process=True, access_log=False, motd=False)
    return 0
