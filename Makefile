# Two commands do all the set-up on a fresh machine (Python 3.11+ and make):
#   make lab    create the environment and open the course in JupyterLab at the first notebook
#   make test   create the environment and run every test (unit, content, notebooks, browser)
# Every install uses constraints.txt, which pins what the stored notebook outputs depend on.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# JupyterLab refuses to run as root (containers, some lab machines) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: lab test check notebooks bench slides clean-venv axe

# An editable install leaves the course's own modules uncompiled, and where PYTHONDONTWRITEBYTECODE
# is set (CI, some shared machines) every notebook kernel would compile them again: about 20 ms a
# kernel. compileall writes the bytecode (git-ignored); Python skips any file edited since.
BYTECODE = $(BIN)/python -m compileall -q course

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[test]"
	$(BIN)/python -m course compile-templates
	$(BYTECODE)
	touch $(STAMP)

# jupyter/ holds the course's JupyterLab settings (no news prompt: nothing for a learner to dismiss).
lab: $(STAMP)
	cd notebooks && JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  ../$(BIN)/jupyter lab --ServerApp.port=$(PORT) $(ROOT_FLAG) 00-orientation.ipynb

# The accessibility test injects axe-core from npm; it is fetched into the git-ignored .cache/npm.
AXE_VERSION ?= 4.14.1

axe: .cache/npm/node_modules/axe-core/axe.min.js

.cache/npm/node_modules/axe-core/axe.min.js:
	npm install --silent --no-audit --no-fund --prefix .cache/npm axe-core@$(AXE_VERSION)

test: $(STAMP)
	$(BYTECODE)
	$(BIN)/python -m course check
	$(BIN)/python -m pytest

check: $(STAMP)
	$(BIN)/python -m course check

notebooks: $(STAMP)
	$(BIN)/python -m course compile-templates
	$(BIN)/python -m course build-notebooks

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

slides: $(STAMP)
	$(BIN)/python -m course slides -o slides

clean-venv:
	rm -rf $(VENV)
