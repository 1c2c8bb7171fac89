# The two commands of the README. Each one installs what a fresh machine lacks, then runs.
SHELL := /bin/bash
SWIFT ?= swift
ARGS ?=
# SwiftPM leaves a TemporaryDirectory.* behind in $TMPDIR on every run; keep them out of /tmp.
export TMPDIR := $(CURDIR)/.build/tmp

.PHONY: run test setup build clean cassettes golden fuzz bench install uninstall release-nexsh

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

## make bench: time nexsh beside /bin/true, json.load, vcrpy, HTTPie and curl in one run (never in CI). Installs
# hyperfine and the pinned Python peers first; the table's figures go to .build/bench/results.json.
# BENCH_ARGS=--quick runs each case fewer times.
BENCH_ARGS ?=
# The Swift runtime and Foundation linked into the executable, as a single-file release would
# ship: resolving them from a dozen shared libraries cost about 3 ms of every start. Every module
# (the packages too) asks for a generic type's metadata by calling its accessor rather than by
# its mangled name: the runtime checks a name's requirements by scanning all 10,000 conformance
# records the program has, 20 µs a time (a one-shot `get`: 85 scans and 8.6 ms, 58 and 7.8 ms).
RELEASE_FLAGS := -c release --static-swift-stdlib -Xswiftc -Xfrontend -Xswiftc -disable-concrete-type-metadata-mangled-name-accessors
bench: setup
	@./Benchmarks/ensure-tools
	@$(SWIFT) build $(RELEASE_FLAGS) --product nexsh --quiet
	@.build/bench/venv/bin/python Benchmarks/run.py --nexsh "$$($(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/nexsh" $(BENCH_ARGS)

## make install: the static release binary (built as `make bench` builds it) into PREFIX/bin, the
## bash, zsh and fish completions ArgumentParser generates and a man page under PREFIX/share.
## BINARY=path installs that binary instead, with no build (the tests install the debug one).
PREFIX ?= /usr/local
DESTDIR ?=
BINARY ?=
# Every file install writes, relative to the prefix: uninstall removes exactly these.
INSTALLED_PROGRAM := bin/nexsh
BASH_COMPLETION := share/bash-completion/completions/nexsh
ZSH_COMPLETION := share/zsh/site-functions/_nexsh
FISH_COMPLETION := share/fish/vendor_completions.d/nexsh.fish
MAN_PAGE := share/man/man1/nexsh.1
INSTALLED_FILES := $(INSTALLED_PROGRAM) $(BASH_COMPLETION) $(ZSH_COMPLETION) $(FISH_COMPLETION) $(MAN_PAGE)
INSTALL_ROOT = $(DESTDIR)$(PREFIX)
# Only asked of SwiftPM when BINARY is not given ($(or) stops at the first non-empty value), so
# that an install of a given binary never waits on the lock of a build in progress.
INSTALL_SOURCE = $(or $(BINARY),$(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path)/nexsh)
# The completions and the man page come from the binary being installed, so they describe the
# commands it has; they are written to a scratch folder first, so that a failed generation
# installs nothing half-written.
install: $(if $(BINARY),,release-nexsh)
	@command -v python3 > /dev/null || { echo "make install needs python3: Install/man-page.py writes the man page" >&2; exit 1; }
	@set -e; source="$(INSTALL_SOURCE)"; root="$(INSTALL_ROOT)"; \
	scratch=$$(mktemp -d); trap 'rm -rf "$$scratch"' EXIT; \
	for shell in bash zsh fish; do "$$source" --generate-completion-script $$shell > "$$scratch/$$shell"; done; \
	"$$source" --experimental-dump-help | python3 Install/man-page.py > "$$scratch/man"; \
	install -d "$$root/bin" "$$root/$(dir $(BASH_COMPLETION))" "$$root/$(dir $(ZSH_COMPLETION))" \
	  "$$root/$(dir $(FISH_COMPLETION))" "$$root/$(dir $(MAN_PAGE))"; \
	install -m 0755 "$$source" "$$root/$(INSTALLED_PROGRAM)"; \
	install -m 0644 "$$scratch/bash" "$$root/$(BASH_COMPLETION)"; \
	install -m 0644 "$$scratch/zsh" "$$root/$(ZSH_COMPLETION)"; \
	install -m 0644 "$$scratch/fish" "$$root/$(FISH_COMPLETION)"; \
	install -m 0644 "$$scratch/man" "$$root/$(MAN_PAGE)"; \
	for file in $(INSTALLED_FILES); do echo "installed $$root/$$file"; done

release-nexsh: setup
	@$(SWIFT) build $(RELEASE_FLAGS) --product nexsh --quiet

## make uninstall: removes the files make install wrote (same PREFIX and DESTDIR). The folders
## stay, even when empty: bin, share/man/man1 and the completion folders are shared with other
## programs, and install does not record which of them it created.
uninstall:
	@for file in $(INSTALLED_FILES); do \
	  if [ -e "$(INSTALL_ROOT)/$$file" ] || [ -L "$(INSTALL_ROOT)/$$file" ]; then rm -f "$(INSTALL_ROOT)/$$file" && echo "removed $(INSTALL_ROOT)/$$file"; fi; \
	done

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
