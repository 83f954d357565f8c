"""`make run-cluster`: start the cluster of scripts/cluster.py until Ctrl-C; or, with
--haproxy-config, print the balancer configuration for servers on other hosts (deploy/).

Settings from the environment or `.env`: RASA_REPLICAS and ACTION_REPLICAS (default 2),
WEB_PORT (the chat page, 8080), RASA_PORT (the balancer's REST channel, 5005),
METHODEWIJZER_CLUSTER_DIR (default <METHODEWIJZER_DATA_DIR>/cluster), TELEGRAM_BOT_TOKEN.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster_parts as parts
import serve
from cluster import DEFAULT_REPLICAS, Cluster, running_cluster, say
from supervisor import StopRequest


def banner(cluster: Cluster) -> str:
    replicas = ", ".join(cluster.rasa_urls)
    return (
        "\nDe Methodewijzer draait als cluster.\n"
        f"  Web:          {cluster.web_url}/\n"
        f"  REST:         {cluster.rest_url}  (HAProxy)\n"
        f"  Rasa:         {replicas}\n"
        f"  Actieservers: {', '.join(cluster.action_urls)}  (via HAProxy)\n"
        f"  HAProxy:      {cluster.stats_url}\n"
        f"  Logs:         {cluster.data_dir / 'logs'}/\n"
        "Stoppen: Ctrl-C.\n"
    )


def replicas(name: str, environ: Mapping[str, str]) -> int:
    raw = environ.get(name, "").strip() or str(DEFAULT_REPLICAS)
    if not raw.isdigit() or int(raw) < 1:
        raise SystemExit(f"{name} moet een heel getal van 1 of meer zijn, niet {raw!r}.")
    return int(raw)


def haproxy_for_hosts(args: argparse.Namespace) -> str:
    """deploy/haproxy.cfg.in filled in for servers on other hosts."""

    def named(kind: str, listed: str) -> list[tuple[str, str]]:
        addresses = [a.strip() for a in listed.split(",") if a.strip()]
        if not addresses:
            raise SystemExit(f"Geef de {kind}-servers op als host:poort,host:poort.")
        return [(f"{kind}-{i}", address) for i, address in enumerate(addresses, 1)]

    return parts.haproxy_config(
        named("rasa", args.rasa),
        named("action", args.actions),
        args.rasa_port,
        args.action_port,
        args.stats_port,
        bind=args.bind,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=float, default=900, help="seconds to wait for health")
    parser.add_argument("--no-dotenv", action="store_true", help="ignore .env")
    multi = parser.add_argument_group(
        "multi-host (deploy/README.md): print haproxy.cfg, start nothing"
    )
    multi.add_argument("--haproxy-config", action="store_true")
    multi.add_argument("--rasa", default="", help="Rasa servers, host:port,host:port")
    multi.add_argument("--actions", default="", help="action servers, host:port,...")
    multi.add_argument("--bind", default="0.0.0.0", help="address HAProxy listens on")
    multi.add_argument("--rasa-port", type=int, default=5005)
    multi.add_argument("--action-port", type=int, default=5055)
    multi.add_argument("--stats-port", type=int, default=8404)
    args = parser.parse_args()
    if args.haproxy_config:
        print(haproxy_for_hosts(args), end="")
        return 0
    if not serve.MODEL.exists() or not serve.RASA.exists():
        say("Het model of de Rasa-omgeving ontbreekt: voer eerst 'make setup' uit.")
        return 2
    environ = dict(os.environ) if args.no_dotenv else None
    s = serve.settings(environ)  # loads .env when environ is None
    environ = dict(os.environ) if environ is None else environ
    data_dir = Path(environ.get("METHODEWIJZER_CLUSTER_DIR") or Path(s["DATA_DIR"]) / "cluster")
    for port in (s["RASA_PORT"], s["WEB_PORT"]):
        if not serve.port_free(int(port)):
            say(f"Poort {port} is al in gebruik (RASA_PORT, WEB_PORT); draait 'make run' nog?")
            return 3
    stop_request = StopRequest()
    stop_request.install()
    try:
        with running_cluster(
            data_dir,
            replicas("RASA_REPLICAS", environ),
            replicas("ACTION_REPLICAS", environ),
            environ=environ,
            rasa_port=int(s["RASA_PORT"]),
            web_port=int(s["WEB_PORT"]),
            durable=True,
            timeout=args.timeout,
            stopping=lambda: stop_request.requested,
        ) as cluster:
            if not stop_request.requested:
                print(banner(cluster), flush=True)
            purged_at = time.monotonic()
            while not stop_request.requested:
                time.sleep(0.5)
                if time.monotonic() - purged_at >= serve.PURGE_EVERY:  # old conversations
                    serve.purge(cluster.env).wait()
                    purged_at = time.monotonic()
        return 0
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        say(str(exc))
        return 1
    finally:
        stop_request.requested = True
        with contextlib.suppress(Exception):
            sys.stderr.flush()


if __name__ == "__main__":
    raise SystemExit(main())
