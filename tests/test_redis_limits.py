"""The web server's rate limits in Redis (make run-cluster): one budget for all processes.

Runs against a real, throwaway redis-server (Debian's package, installed by `make
system-packages`) on a free loopback port.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from channels.web.limits import MemoryRateLimiter, RedisRateLimiter, rate_limiter


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    program = shutil.which("redis-server")
    assert program, "redis-server missing: `make system-packages` installs it"
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [program, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", folder],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/2"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_two_processes_share_one_budget(redis_url: str) -> None:
    """Two limiters with their own connections (two web servers) count together."""
    now = [1000.0]
    first, second = (
        RedisRateLimiter(redis.Redis.from_url(redis_url), 3, "t1", clock=lambda: now[0])
        for _ in range(2)
    )
    assert [first.allow("ip"), second.allow("ip"), first.allow("ip")] == [True, True, True]
    assert not second.allow("ip") and not first.allow("ip")
    assert second.allow("other-ip")  # per key
    now[0] += 61  # the window has passed
    assert first.allow("ip")


def test_refused_messages_do_not_use_up_the_budget(redis_url: str) -> None:
    now = [2000.0]
    limiter = RedisRateLimiter(redis.Redis.from_url(redis_url), 2, "t2", clock=lambda: now[0])
    assert limiter.allow("k") and limiter.allow("k")
    now[0] += 30
    assert not any(limiter.allow("k") for _ in range(20))
    now[0] += 31  # the two allowed hits are out of the window; the refused ones never counted
    assert limiter.allow("k") and limiter.allow("k")


def test_zero_means_no_limit_and_an_unreachable_redis_lets_messages_through() -> None:
    unreachable = redis.Redis(host="127.0.0.1", port=_free_port(), socket_connect_timeout=0.2)
    assert RedisRateLimiter(unreachable, 1, "t3").allow("k")
    assert RedisRateLimiter(unreachable, 1, "t3").allow("k")
    assert all(RedisRateLimiter(unreachable, 0, "t3").allow("k") for _ in range(5))


def test_the_configuration_chooses_the_implementation(redis_url: str) -> None:
    assert isinstance(rate_limiter(30, "client", {}), MemoryRateLimiter)
    chosen = rate_limiter(30, "client", {"REDIS_URL": redis_url})
    assert isinstance(chosen, RedisRateLimiter) and chosen.limit == 30
    assert chosen.prefix == "methodewijzer:rate:client"
