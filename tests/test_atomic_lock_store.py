"""rasa_ext/lock_store.py: tickets of one conversation issued at the same moment by several
Redis clients (as by several Rasa replicas) are all different, and the lock is deleted only
when nobody waits. Rasa 3.6's own RedisLockStore is run the same way to show what it prevents.
A real redis-server on a free port; the store runs in the Rasa venv."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time

import pytest
from rasa_probe import rasa_probe

PROBE = """
import json, threading
from rasa.core.lock_store import RedisLockStore
from rasa_ext.lock_store import AtomicRedisLockStore
from rasa.utils.endpoints import EndpointConfig

rounds, clients, port = 40, 4, int(PORT)

def run(make):
    stores = [make() for _ in range(clients)]
    duplicates = 0
    for r in range(rounds):
        conversation = f"c{r}"
        barrier = threading.Barrier(clients)
        tickets = []
        def take(store):
            barrier.wait()
            tickets.append(store.issue_ticket(conversation, 30))
        threads = [threading.Thread(target=take, args=(s,)) for s in stores]
        for t in threads: t.start()
        for t in threads: t.join()
        duplicates += len(tickets) - len(set(tickets))
    return duplicates

config = EndpointConfig(url="127.0.0.1", port=port, db=1, key_prefix="probe")
atomic = run(lambda: AtomicRedisLockStore(endpoint_config=config))
rasa = run(lambda: RedisLockStore(host="127.0.0.1", port=port, db=2))

# cleanup keeps the lock while another ticket waits, and deletes it after the last one
store = AtomicRedisLockStore(endpoint_config=config)
first, second = store.issue_ticket("w", 30), store.issue_ticket("w", 30)
store.cleanup("w", first)
kept = store.get_lock("w") is not None and not store.get_lock("w").is_locked(second)
store.cleanup("w", second)
gone = store.get_lock("w") is None
print(json.dumps({"atomic": atomic, "rasa": rasa, "kept": kept, "gone": gone}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def redis_port(tmp_path):
    assert shutil.which("redis-server"), "redis-server is installed by make system-packages"
    port = free_port()
    server = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_tickets_issued_at_once_by_several_clients_are_all_different(redis_port):
    report = json.loads(rasa_probe(PROBE.replace("int(PORT)", str(redis_port))))
    print(
        f"\ndubbele tickets in 40 rondes van 4 clients: ons {report['atomic']}, "
        f"Rasa's RedisLockStore {report['rasa']}"
    )
    assert report["atomic"] == 0
    assert report["rasa"] > 0  # the race is real, so the first assertion proves something
    assert report["kept"] and report["gone"]
