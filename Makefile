# The two commands of the README. Each one installs what a fresh machine lacks, then runs.
SWIFT ?= swift
ARGS ?=
# SwiftPM leaves a TemporaryDirectory.* behind in $TMPDIR on every run; keep them out of /tmp.
export TMPDIR := $(CURDIR)/.build/tmp

.PHONY: run test setup build clean cassettes golden

## make run: start nexsh (with no arguments, on its built-in sandbox). Pass options with ARGS="…".
run: setup
	@$(SWIFT) build --product nexsh --quiet
	@$(SWIFT) run --skip-build nexsh $(ARGS)

## make test: build everything once, then run the whole test suite.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## make cassettes: record Cassettes/<name>.har for every Scripts/<name>.nexsh from the sandbox.
# A script's "# record-options:" comment adds options (a short token lifetime, say). The sandbox
# listens on a fixed port so that re-recording an unchanged API changes only dates and timings.
RECORDING_PORT ?= 47301
cassettes: setup
	@$(SWIFT) build --product nexsh --quiet
	@mkdir -p Cassettes
	@bin=$$($(SWIFT) build --show-bin-path); for script in Scripts/*.nexsh; do \
	  name=$$(basename $$script .nexsh); \
	  options=$$(sed -n 's/^# record-options: //p' $$script); \
	  NEXSH_PASSWORD=correct-horse NEXSH_SAM_PASSWORD=battery-staple \
	    $$bin/nexsh run $$script --sandbox --sandbox-port $(RECORDING_PORT) $$options \
	    --cassette Cassettes/$$name.har --mode record > /dev/null || exit 1; \
	  $$bin/nexsh cassette verify Cassettes/$$name.har > /dev/null || exit 1; \
	  echo "recorded Cassettes/$$name.har"; \
	done

## make golden: rewrite the golden transcripts (Tests/NexshTests/Golden) from replays of the cassettes.
golden: setup
	$(SWIFT) build --build-tests
	NEXSH_UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --filter GoldenTranscriptTests

setup:
	@./.ci/ensure-system-packages
	@mkdir -p "$(TMPDIR)"

build: setup
	$(SWIFT) build

clean:
	rm -rf .build
