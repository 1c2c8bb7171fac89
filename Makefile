# The two commands of the README. Each one installs what a fresh machine lacks, then runs.
SHELL := /bin/bash
SWIFT ?= swift
ARGS ?=
# SwiftPM leaves a TemporaryDirectory.* behind in $TMPDIR on every run; keep them out of /tmp.
export TMPDIR := $(CURDIR)/.build/tmp

.PHONY: run test setup build clean cassettes golden fuzz bench

## make run: start nexsh (with no arguments, on its built-in sandbox). Pass options with ARGS="…".
run: setup
	@$(SWIFT) build --product nexsh --quiet
	@$(SWIFT) run --skip-build nexsh $(ARGS)

## make test: build everything once, then run the whole test suite.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## make cassettes: record Cassettes/<name>.har for every Scripts/<name>.nexsh from the sandbox.
# A script's "# record-options:" comment adds options (a short token lifetime, say). On the
# sandbox, the scripts' --password-env variables need not be set. The sandbox listens on a fixed
# port so that re-recording an unchanged API changes only dates and timings.
RECORDING_PORT ?= 47301
cassettes: setup
	@$(SWIFT) build --product nexsh --quiet
	@mkdir -p Cassettes
	@bin=$$($(SWIFT) build --show-bin-path); for script in Scripts/*.nexsh; do \
	  name=$$(basename $$script .nexsh); \
	  options=$$(sed -n 's/^# record-options: //p' $$script); \
	  $$bin/nexsh run $$script --sandbox --sandbox-port $(RECORDING_PORT) $$options \
	    --cassette Cassettes/$$name.har --mode record > /dev/null || exit 1; \
	  $$bin/nexsh cassette verify Cassettes/$$name.har > /dev/null || exit 1; \
	  echo "recorded Cassettes/$$name.har"; \
	done

## make golden: rewrite the golden transcripts (Tests/NexshTests/Golden) from replays of the cassettes.
golden: setup
	$(SWIFT) build --build-tests
	NEXSH_UPDATE_GOLDEN=1 $(SWIFT) test --skip-build --filter GoldenTranscriptTests

## make bench: time nexsh beside /bin/true, vcrpy, HTTPie and curl in one run (never in CI). Installs
# hyperfine and the pinned Python peers first; the table's figures go to .build/bench/results.json.
# BENCH_ARGS=--quick runs each case fewer times.
BENCH_ARGS ?=
# The Swift runtime and Foundation linked into the executable, as a single-file release would
# ship: resolving them from a dozen shared libraries cost about 3 ms of every start.
RELEASE_FLAGS := -c release --static-swift-stdlib
bench: setup
	@./Benchmarks/ensure-tools
	@$(SWIFT) build $(RELEASE_FLAGS) --product nexsh --quiet
	@.build/bench/venv/bin/python Benchmarks/run.py --nexsh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/nexsh" $(BENCH_ARGS)

## make fuzz: build the libFuzzer targets (script reader, cassette reader) and run each for
## FUZZ_SECONDS, seeded from Scripts/ and Cassettes/; a crashing input lands in .build-fuzz/artifacts.
FUZZ_SECONDS ?= 60
fuzz: setup
	$(SWIFT) build --scratch-path .build-fuzz --sanitize=fuzzer --product FuzzScript
	$(SWIFT) build --scratch-path .build-fuzz --sanitize=fuzzer --product FuzzCassette
	@mkdir -p .build-fuzz/artifacts
	@for pair in FuzzScript:Scripts FuzzCassette:Cassettes; do \
	  target=$${pair%%:*}; corpus=.build-fuzz/corpus/$$target; \
	  mkdir -p $$corpus && cp $${pair##*:}/* $$corpus/; \
	  echo "fuzzing $$target for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no .build-fuzz/debug/$$target -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
	    -print_final_stats=1 -artifact_prefix=.build-fuzz/artifacts/$$target- $$corpus 2>&1 | \
	    grep -E 'INITED|DONE|stat::number_of_executed_units|ERROR|SUMMARY|Test unit written' ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done

setup:
	@./.ci/ensure-system-packages
	@mkdir -p "$(TMPDIR)"

build: setup
	$(SWIFT) build

clean:
	rm -rf .build
