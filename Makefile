# The two commands of the README. Each one installs what a fresh machine lacks, then runs.
SWIFT ?= swift
ARGS ?=
# SwiftPM leaves a TemporaryDirectory.* behind in $TMPDIR on every run; keep them out of /tmp.
export TMPDIR := $(CURDIR)/.build/tmp

.PHONY: run test setup build clean

## make run: start nexsh (with no arguments, on its built-in sandbox). Pass options with ARGS="…".
run: setup
	@$(SWIFT) build --product nexsh --quiet
	@$(SWIFT) run --skip-build nexsh $(ARGS)

## make test: build everything once, then run the whole test suite.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

setup:
	@./.ci/ensure-system-packages
	@mkdir -p "$(TMPDIR)"

build: setup
	$(SWIFT) build

clean:
	rm -rf .build
