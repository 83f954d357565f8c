# Methodewijzer: two Python environments, one Makefile.
#   .venv       Python 3.11: our code (knowledge/, actions/, channels/), action server, tests
#   .venv-rasa  Python 3.10: exactly rasa==3.6.21 (Rasa 3.6 supports Python <= 3.10)
# `make run` and `make test` do all set-up themselves (see README.md).

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
RASA_VENV := .venv-rasa
PY        := $(VENV)/bin/python
RASA      := $(RASA_VENV)/bin/rasa
MODEL     := models/methodewijzer.tar.gz

export RASA_TELEMETRY_ENABLED := false
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export TF_CPP_MIN_LOG_LEVEL := 2
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONDONTWRITEBYTECODE := 1
# rasa_ext/ (REST channel, NLU component) is imported by rasa train/run/test from the repo root.
export PYTHONPATH := $(CURDIR)

RASA_DATA  := bot/stories bot/rules nlu/train nlu/generated
TRAIN_DEPS := config.yml $(shell find bot nlu/train -name '*.yml' 2>/dev/null) nlu/generated/.stamp \
  rasa_ext/intent_signals.py knowledge/sharing/codes.py
KNOWLEDGE_DATA := $(shell find knowledge/data -name '*.yml' 2>/dev/null)

.PHONY: help setup run run-cluster shell test lint pytest validate train rasa-test bench-search bench-e2e bench-long bench-advice bench-dialogue bench-nlu bench-sharing system-packages clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

# --- environments -----------------------------------------------------------------------------

$(VENV)/.stamp: pyproject.toml requirements/py311.lock
	@py=$$(scripts/find-python.sh 3.11 "Our code and the action server run on Python 3.11.") && \
	  { [ -x $(PY) ] || $$py -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade "pip>=24,<27"
	$(PY) -m pip install --quiet -c requirements/py311.lock -e '.[dev]'
	@touch $@

$(RASA_VENV)/.stamp: requirements/rasa.txt requirements/rasa.lock
	@py=$$(scripts/find-python.sh 3.10 "Rasa Open Source 3.6.21 supports Python 3.7-3.10 only.") && \
	  { [ -x $(RASA) ] || $$py -m venv $(RASA_VENV); }
	$(RASA_VENV)/bin/python -m pip install --quiet --upgrade "pip>=24,<27"
	$(RASA_VENV)/bin/python -m pip install --quiet -c requirements/rasa.lock -r requirements/rasa.txt
	@touch $@

# --- data and model -----------------------------------------------------------------------------

# Lookup tables and synonyms for the NLU are generated from the catalogue, not copied.
nlu/generated/.stamp: $(VENV)/.stamp $(KNOWLEDGE_DATA) knowledge/nlu_export.py
	$(PY) -m knowledge nlu-data --out nlu/generated
	@touch $@

# Rasa restores every part of the model whose settings and input did not change from its training
# cache (.rasa/cache, kept by `make clean`): a stories-only change does not retrain DIET and an
# NLU-only change does not retrain TED, so never add --force here. One model version takes about
# 75 MB of cache; 1000 MB (Rasa's default, set here on purpose) keeps the last dozen (docs/training.md).
$(MODEL): $(RASA_VENV)/.stamp $(TRAIN_DEPS)
	RASA_CACHE_DIRECTORY=$(CURDIR)/.rasa/cache RASA_MAX_CACHE_SIZE=1000 \
	  $(RASA) train --config config.yml --domain bot/domain --data $(RASA_DATA) \
	  --out models --fixed-model-name methodewijzer
	@touch $@

data/index/.stamp: $(VENV)/.stamp $(KNOWLEDGE_DATA)
	$(PY) -m knowledge build-index
	@touch $@

setup: $(VENV)/.stamp $(RASA_VENV)/.stamp nlu/generated/.stamp $(MODEL) data/index/.stamp ## create both venvs, train the model, build the search index (idempotent)

train: $(MODEL) ## train the Rasa model when data or config changed

# --- run ----------------------------------------------------------------------------------------

run: setup ## start the Rasa server, the action server and the channels; Ctrl-C stops all
	$(PY) scripts/serve.py

run-cluster: setup system-packages ## scaled out: PostgreSQL, Redis, RASA_REPLICAS Rasa + ACTION_REPLICAS action servers, HAProxy
	$(PY) scripts/run_cluster.py

shell: setup ## chat in the terminal (rasa shell with the action server running)
	$(PY) scripts/serve.py --shell

# --- checks -------------------------------------------------------------------------------------

lint: $(VENV)/.stamp ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

validate: $(RASA_VENV)/.stamp nlu/generated/.stamp ## rasa data validate
	$(RASA) data validate --config config.yml --domain bot/domain --data $(RASA_DATA) --fail-on-warnings

# Debian packages the tests use, installed only when missing: Chromium for the browser test of
# the web page (Playwright drives it; no browser download) and PostgreSQL for the storage tests
# against a real server (the tests start a throwaway server on loopback themselves); Redis and
# HAProxy for `make run-cluster` and its test (tests/test_cluster.py).
SYSTEM_PACKAGES = $(if $(wildcard /usr/bin/chromium),,chromium) \
  $(if $(wildcard /usr/lib/postgresql/*/bin/initdb),,postgresql) \
  $(if $(wildcard /usr/bin/ss /bin/ss),,iproute2) \
  $(if $(wildcard /usr/bin/redis-server),,redis-server) \
  $(if $(wildcard /usr/sbin/haproxy),,haproxy)
system-packages:
	@if [ -n "$(strip $(SYSTEM_PACKAGES))" ]; then \
	  command -v apt-get >/dev/null || { echo "Installeer eerst: $(SYSTEM_PACKAGES)" >&2; exit 1; }; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	fi

pytest: setup system-packages ## unit, integration and end-to-end tests (starts real servers, PostgreSQL and a browser)
	METHODEWIJZER_REQUIRE_POSTGRES=1 $(PY) -m pytest

rasa-test: setup ## rasa test on the test stories
	$(RASA) test core --model $(MODEL) --stories tests/stories --out test-results/rasa-core \
	  --fail-on-prediction-errors

test: lint validate setup pytest rasa-test ## everything CI runs

bench-search: setup ## search quality (top-1, top-3, MRR) and latency
	$(PY) -m knowledge.bench

bench-e2e: setup ## per-turn latency over REST and memory of the running servers
	$(PY) scripts/bench_e2e.py

bench-long: setup ## issue 15: one 300-turn conversation, median turn and Rasa CPU per turn
	$(PY) scripts/bench_long.py

bench-sharing: setup system-packages ## concurrent writers on the plan store (SQLite and PostgreSQL)
	$(PY) scripts/bench_sharing.py --processes 8 --writes 200
	$(PY) scripts/bench_sharing.py --processes 8 --writes 200 --postgres

bench-dialogue: setup ## per kind: is each Dutch utterance (dev and holdout) and planner answer understood?
	$(PY) scripts/bench_dialogue.py

bench-advice: setup ## advice quality on the graded questions (dev and holdout) over REST; --direct in-process
	$(PY) scripts/bench_advice.py

bench-nlu: setup ## intent and entity F1 on the held-out NLU test set
	$(RASA) test nlu --model $(MODEL) --nlu nlu/test --out test-results/rasa-nlu
	$(PY) scripts/nlu_report.py test-results/rasa-nlu

.PHONY: bench-nlu-dev
bench-nlu-dev: setup ## NLU dev set of plans and measures (tuned on): F1 per intent and entity, misses
	$(PY) scripts/bench_nlu_dev.py

.PHONY: bench-cluster bench-cluster-fault
bench-cluster: setup system-packages ## make run and make run-cluster under the same Locust load (20/50/100 conversations), side by side
	$(PY) scripts/bench_cluster.py

bench-cluster-fault: setup system-packages ## cluster under 20 conversations: kill a Rasa replica, then an action server; errors and plans
	$(PY) scripts/bench_cluster.py --fault

clean: ## remove environments, models and generated data
	rm -rf $(VENV) $(RASA_VENV) models nlu/generated data/index test-results .pytest_cache .ruff_cache
