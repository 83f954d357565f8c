"""The cache of query embeddings (knowledge/search/dense.py) and the action server's torch threads."""

from __future__ import annotations

import asyncio
import json
import threading

import numpy as np
import pytest
from sanic import Sanic

from action_server import TORCH_THREADS_SETTING, build_app, limit_torch_threads
from knowledge.search.dense import (
    QUERY_CACHE_SETTING,
    QUERY_DTYPE_SETTING,
    DenseIndex,
    ModelConfig,
    QueryCache,
    query_cache_stats,
    query_dtype,
)
from rasa_sdk_plugins.action_token import OPEN_PATHS


def vector(value: float) -> np.ndarray:
    return np.full((1, 4), value, dtype=np.float32)


def test_the_least_recently_used_query_is_dropped_first():
    cache = QueryCache(2)
    cache.put("a", vector(1))
    cache.put("b", vector(2))
    assert cache.get("a") is not None  # "a" is now the most recent
    cache.put("c", vector(3))
    assert cache.get("b") is None
    assert cache.get("a")[0, 0] == 1 and cache.get("c")[0, 0] == 3
    assert cache.stats() == {"size": 2, "entries": 2, "hits": 3, "misses": 1}


def test_a_cached_vector_cannot_be_changed_by_a_caller():
    cache = QueryCache(4)
    cache.put("a", vector(1))
    with pytest.raises(ValueError):
        cache.get("a")[0, 0] = 5


def test_size_zero_keeps_nothing_and_the_setting_chooses_the_size(monkeypatch):
    off = QueryCache(0)
    off.put("a", vector(1))
    assert off.get("a") is None and off.stats()["entries"] == 0
    monkeypatch.setenv(QUERY_CACHE_SETTING, "7")
    assert QueryCache.from_env().size == 7
    monkeypatch.setenv(QUERY_CACHE_SETTING, "")
    assert QueryCache.from_env().size > 0


def test_threads_sharing_one_cache_stay_within_its_size():
    cache = QueryCache(50)

    def work(offset: int) -> None:
        for i in range(300):
            key = f"q{(i + offset) % 80}"
            if cache.get(key) is None:
                cache.put(key, vector(i))

    threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    stats = cache.stats()
    assert stats["entries"] == 50 and stats["hits"] + stats["misses"] == 1200


def test_a_repeated_query_gives_the_same_scores_without_encoding_again(tmp_path):
    """The real model: the second call is a cache hit with the very same scores."""
    index = DenseIndex.open(
        ModelConfig.from_env(),
        ["hangjongeren bij het station", "inbraak in woningen", "winkeldiefstal"],
        tmp_path,
    )
    index.cache = QueryCache(8)
    before = query_cache_stats()
    first = index.scores("overlast van jongeren")
    second = index.scores("overlast van jongeren")
    other = index.scores("inbraken")
    assert np.array_equal(first, second) and int(np.argmax(first)) == 0
    assert int(np.argmax(other)) == 1
    assert index.cache.stats() == {"size": 8, "entries": 2, "hits": 1, "misses": 2}
    after = query_cache_stats()  # the process-wide sum the action server's /stats shows
    assert after["hits"] - before["hits"] == 1 and after["misses"] - before["misses"] == 2


def test_the_action_server_uses_one_torch_thread_unless_told_otherwise():
    import torch

    was = torch.get_num_threads()
    try:
        assert limit_torch_threads({}) == 1 and torch.get_num_threads() == 1
        assert limit_torch_threads({TORCH_THREADS_SETTING: "2"}) == 2
        assert torch.get_num_threads() == 2
        assert limit_torch_threads({TORCH_THREADS_SETTING: "0"}) == 0  # 0: torch decides
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(was)


def test_the_stats_path_shows_the_counters_and_is_not_open(monkeypatch):
    monkeypatch.setattr(Sanic, "test_mode", True)  # another test may have built "rasa_sdk"
    app = build_app("actions")
    route = next(r for r in app.router.routes if r.path == "stats")
    answer = asyncio.run(route.handler(None))
    assert answer.status == 200
    body = json.loads(answer.body)
    assert set(body["query_cache"]) == {"size", "entries", "hits", "misses"}
    assert body["actions"] == {}  # per action: calls, request bytes, CPU (tests/test_action_meter)
    assert "/stats" not in OPEN_PATHS  # behind the token like the webhook


def test_the_query_number_type_is_a_setting_and_auto_follows_the_cpu():
    import torch

    native = torch.ops.mkldnn._is_mkldnn_bf16_supported()
    assert query_dtype({}) == ("bfloat16" if native else "float32")
    assert query_dtype({QUERY_DTYPE_SETTING: " Float32 "}) == "float32"
    assert query_dtype({QUERY_DTYPE_SETTING: "bfloat16"}) == "bfloat16"
    with pytest.raises(ValueError, match=QUERY_DTYPE_SETTING):
        query_dtype({QUERY_DTYPE_SETTING: "int8"})


def test_a_bfloat16_query_scores_as_the_float32_one(tmp_path, monkeypatch):
    """The passages are embedded in float32 either way; the query vector keeps its direction."""
    texts = ["hangjongeren bij het station", "inbraak in woningen", "winkeldiefstal", "drugs"]
    queries = ["overlast van jongeren", "inbraken", "drugs dealen"]
    vectors, scores = {}, {}
    for dtype in ("float32", "bfloat16"):
        monkeypatch.setenv(QUERY_DTYPE_SETTING, dtype)
        index = DenseIndex.open(ModelConfig.from_env(), texts, tmp_path / dtype)
        index.cache = QueryCache(0)
        assert next(index.model.parameters()).dtype == getattr(__import__("torch"), dtype)
        vectors[dtype] = np.vstack([index.embed_query(q) for q in queries])
        scores[dtype] = np.vstack([index.scores(q) for q in queries])
    for dtype, found in vectors.items():
        assert found.dtype == np.float32
        assert np.allclose(np.linalg.norm(found, axis=1), 1.0, atol=1e-5), dtype
    cosines = np.sum(vectors["float32"] * vectors["bfloat16"], axis=1)
    assert cosines.min() > 0.999
    assert np.abs(scores["bfloat16"] - scores["float32"]).max() < 0.01  # only near ties may swap
    assert list(scores["bfloat16"].argmax(axis=1)) == list(scores["float32"].argmax(axis=1))
    assert list(scores["float32"].argmax(axis=1)) == [0, 1, 3]


def test_the_action_server_loads_the_search_before_it_listens():
    """python -m action_server warms up before app.run: no first request loads the model."""
    import gc

    from action_server import warm_up
    from knowledge.search import get_searcher

    get_searcher.cache_clear()
    try:
        warm_up()
        assert get_searcher.cache_info().currsize == 1  # the next caller gets the loaded one
        assert get_searcher().dense.cache.stats()["entries"] >= 1  # one query was embedded
        assert gc.get_freeze_count() > 100_000  # torch, transformers and the index
    finally:
        gc.unfreeze()
