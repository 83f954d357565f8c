"""Rasa SDK action server: thin adapters that call the pure-Python ``knowledge`` package."""

import threading

from tqdm import tqdm

# tqdm (used by bm25s while indexing) creates a multiprocessing lock on first use, which fixes
# the start method to 'fork'; Sanic, which serves the actions, then refuses to start. A thread
# lock is enough here.
tqdm.set_lock(threading.RLock())
