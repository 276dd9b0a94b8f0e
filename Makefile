# Two commands on a fresh machine (Python 3.11 and make):
#   make all    create .venv if absent, install, rebuild every table, figure, notebook and the site
#   make test   run the whole test suite (notebooks executed)
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Compiled bytecode is cached (__pycache__, ignored by git) even where the environment turns
# it off: without it every test worker, build worker and kernel recompiles its modules and
# pytest rewrites its plugins again (about 3 s per process).
export PYTHONDONTWRITEBYTECODE :=

.PHONY: all build test bench validate lock clean lab

all: $(STAMP)
	$(BIN)/python -m analysis build

build: all

# Wall time of each stage for a clean build and a no-op rebuild (scratch copy).
bench: $(STAMP)
	$(BIN)/python -m analysis bench

validate: $(STAMP)
	$(BIN)/python -m analysis validate

# pytest exits 5 when it collects no tests: that is a failure here, not a pass.
test: $(STAMP)
	@$(BIN)/python -m pytest; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$rc

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# JupyterLab on notebooks/, with this environment as the kernel "Python (cse-stats)"
# (installed into .venv/share/jupyter/kernels). LAB_ARGS passes options, e.g. LAB_ARGS=--no-browser.
# Jupyter refuses to run as root unless told: these machines (and containers) log in as root.
lab: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name cse-stats --display-name "Python (cse-stats)"
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Re-pin every dependency (run after changing pyproject.toml).
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip freeze --exclude-editable --all | grep -v -E '^(pip|setuptools|wheel)==' > requirements.lock

clean:
	rm -rf .build site
