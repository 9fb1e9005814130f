# The README's two commands:
#   make run    installs what is missing, builds in release mode, runs Experiments/default.yaml
#   make test   installs what is missing and runs every test (what CI runs)
# and for development:
#   make test-quick   the same without the slow stages (thread sanitizer, fuzzing, Slurm, dist)
#   make notebooks    installs JupyterLab into notebooks/.venv and opens it on notebooks/
#   make dist         dist/bystander, a release binary that runs without a Swift toolchain
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= Experiments/default.yaml
RELEASE_BIN := .build/release/bystander

.PHONY: run test test-quick figures notebooks dist deps build release clean

# libgsl-dev (and pkg-config, which finds it) through apt when `pkg-config gsl` fails.
deps:
	@if ! pkg-config --exists gsl 2>/dev/null; then \
		echo "installing libgsl-dev and pkg-config with apt-get"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq libgsl-dev pkg-config >/dev/null; \
	fi
	@pkg-config --exists gsl || { echo "error: GSL is still missing (install libgsl-dev)"; exit 1; }

release: deps
	$(SWIFT) build -c release --product bystander

run: release
	$(RELEASE_BIN) run $(CONFIG) --force

build: deps
	$(SWIFT) build --build-tests

test: build
	bash scripts/test-all.sh

# The Swift tests, the Python package's tests and the notebooks; the stages that build the
# project again (thread sanitizer, fuzzer, dist) or start a cluster (Slurm) run in `make test`.
test-quick: build
	QUICK=1 bash scripts/test-all.sh

notebooks: release
	BYSTANDER_BIN=$(CURDIR)/$(RELEASE_BIN) bash scripts/notebooks.sh lab

dist: deps
	bash scripts/dist.sh

# Runs the experiments each notebook needs and executes the notebooks: figures (PNG, SVG) in
# Results/figures/, key tables in Results/*.csv, executed notebooks in Results/notebooks/.
figures: release
	bash scripts/notebooks.sh figures $(RELEASE_BIN)

clean:
	rm -rf .build

# The explorer in the browser: `bystander serve` on http://127.0.0.1:8080/ (loopback only).
.PHONY: serve
serve: release
	$(RELEASE_BIN) serve $(CONFIG)
