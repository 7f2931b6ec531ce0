# ipcparity: C reference programs, their cgo and pure-Go forms, and the
# parity runner that compares them. See README.md.

GO      ?= go
CC      ?= gcc
CFLAGS  ?= -O2
CWARN   := -Wall -Wextra -Werror
LDLIBS  := -lrt -pthread
BIN     := bin
# The binaries of bin/ are built without DWARF (-w), which halves the time
# their links take, most of a build's (panics keep their stack traces;
# make GOLDFLAGS= for a debugger's view), and with -trimpath, so that a
# clone elsewhere finds the packages in Go's build cache.
GOLDFLAGS ?= -w
GOBUILD  = $(GO) build -trimpath -ldflags='$(GOLDFLAGS)'

# Every program is declared once, in c_reference/programs.h, as NAME_main;
# its C source is the part of NAME before the first underscore (fifo_reader
# is in fifo.c).
PROGRAMS := $(shell sed -n 's/^int \([a-z_]*\)_main.*/\1/p' c_reference/programs.h)
C_BINS   := $(addprefix $(BIN)/c/,$(PROGRAMS))

.PHONY: all build c go cgo goidiom ipcparity compare report report-screenshot check test bench clean fuzz mutants

all: build

build: c go cgo goidiom ipcparity

c: $(C_BINS)

.SECONDEXPANSION:
$(BIN)/c/%: c_reference/$$(firstword $$(subst _, ,$$*)).c c_reference/main.c c_reference/report.c $$(wildcard c_reference/*.h)
	@mkdir -p $(@D)
	$(CC) $(CWARN) $(CFLAGS) -DPROGRAM=$*_main -o $@ $(filter %.c,$^) $(LDLIBS)

go:
	@mkdir -p $(BIN)/go
	CGO_ENABLED=0 $(GOBUILD) -o $(BIN)/go/ ./goipc/cmd/...

cgo:
	@mkdir -p $(BIN)/cgo
	$(GOBUILD) -o $(BIN)/cgo/ ./cipc/cmd/...

# The idiomatic Go form (goidiom): the standard library, goipc only where
# it has nothing; pure Go like goipc.
goidiom:
	@mkdir -p $(BIN)/idiom
	CGO_ENABLED=0 $(GOBUILD) -o $(BIN)/idiom/ ./goidiom/cmd/...

# ipcparity-init is the init of every sandboxed run: the runner and the
# catalogue alone, which start faster than ipcparity (it uses it when it
# lies beside it). Built together, so that the two never differ.
ipcparity:
	$(GOBUILD) -o $(BIN)/ ./compare/cmd/ipcparity ./compare/cmd/ipcparity-init

# Every scenario on every form, crossed where a program has two sides, and
# every call script on cipc and goipc. Exit 0 only when all agree.
compare: build
	$(BIN)/ipcparity check

# What compare runs, as one HTML page to open offline (compare/htmlreport);
# the exit status is check's: 1 for a difference, with the page written.
report: build
	$(BIN)/ipcparity report --html $(BIN)/report.html

# docs/report.png, the README's screenshot: the page of the browser test
# (TestReportInBrowser) at 1280 pixels, taken by Chromium.
report-screenshot: build
	cd compare/cmd/ipcparity && $(GO) test -count=1 -run 'TestReportInBrowser/page$$' -update-screenshot .

test: build
	$(GO) test -race ./...

# gofmt, vet, the C with -Werror (by build, and as Debian builds it), the
# cgo C with -Werror, goipc without cgo, the Linux-only constraints, and
# the tests with the race detector, which run the parity matrix once. A race
# binary sleeps 1 s at exit by default (GORACE atexit_sleep_ms), once per test
# package: a race is still reported, only without that wait.
# LIBS lists the packages of its arguments that are not commands: go build
# of several commands links each one only to throw it away (the commands'
# own builds are make build's).
LIBS = $(shell $(GO) list -f '{{if ne .Name "main"}}{{.ImportPath}}{{end}}' $(1))

# The builds and the tests are -trimpath, as bin/'s are: Go's build cache
# then serves a clone at another path too. go vet is not: with -trimpath it
# took cgo files from another checkout's cache entries.
#
# The static checks run beside the tests, their output kept in
# bin/check-static.log and printed after the tests': the tests wait on
# their programs more than they compute (1.3 of 2 CPUs busy), and four
# test packages at once (-p 4, not one per CPU) keep the CPUs busier. On 2
# CPUs, in new clones, make check took 56-70 s (median 60.4 of 7) against
# 66-73 s (70.3 of 4) one after the other, faster in each of 4 pairs. An
# earlier -p 4 alone was reverted for a 20 ms timer that timed out under
# the load; 7 runs of this one passed.
STATIC_CHECKS = \
	echo '== go vet'; $(GO) vet ./... || exit 1; \
	echo '== C as Debian builds it (-O2 -D_FORTIFY_SOURCE=2)'; for f in c_reference/*.c c_reference/bench/*.c; do \
		$(CC) $(CWARN) -O2 -D_FORTIFY_SOURCE=2 -DPROGRAM=pipe_main -c -o /dev/null $$f || exit 1; done; \
	echo '== cgo C with -Werror'; CGO_CFLAGS='-O2 -g -Werror' $(GO) build -trimpath $(call LIBS,./c_reference/... ./cipc/...) || exit 1; \
	echo '== goipc without cgo'; CGO_ENABLED=0 $(GO) build -trimpath $(call LIBS,./goipc/... ./internal/...) || exit 1; \
	echo '== other systems: only the doc files build'; GOOS=darwin $(GO) build -trimpath ./... || exit 1

check: build
	@echo '== gofmt'; out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi
	@log=$(BIN)/check-static.log; ( $(STATIC_CHECKS) ) > $$log 2>&1 & static=$$!; \
		echo '== go test -race (the parity matrix is package compare'"'"'s test; the static checks run beside it)'; \
		GORACE="$$GORACE atexit_sleep_ms=0" $(GO) test -race -trimpath -count=1 -p 4 ./...; tests=$$?; \
		wait $$static; static=$$?; cat $$log; \
		if [ $$static -ne 0 ]; then echo "make check: a static check failed (above)"; fi; \
		[ $$tests -eq 0 ] && [ $$static -eq 0 ]

clean:
	rm -rf $(BIN)

# ---- Benchmarks: c_reference/bench in C (bin/bench/ipcbench), its cgo form
# (cipc/cmd/ipcbench -> bin/cgo/ipcbench) and pure-Go form
# (goipc/cmd/ipcbench -> bin/go/ipcbench), run side by side by
# `ipcparity bench` (package bench). Both processes of every run are pinned
# to CPU 0 unless BENCH_FLAGS says otherwise (--cpu N, --cpu -1: unpinned;
# --reps N; --json; mechanisms: pipe fifo mq unix tcp shm call).
BENCH_C     := $(wildcard c_reference/bench/*.c)
BENCH_FLAGS ?= --cpu 0

.PHONY: bench-c

bench-c: $(BIN)/bench/ipcbench

$(BIN)/bench/ipcbench: $(BENCH_C) c_reference/bench/bench.h
	@mkdir -p $(@D)
	$(CC) $(CWARN) -O2 -o $@ $(BENCH_C) $(LDLIBS)

bench: build bench-c
	$(BIN)/ipcparity bench $(BENCH_FLAGS)

# ---- Differential fuzzing of call scripts (compare/fuzz_test.go): each
# mechanism's target for FUZZTIME, one input at a time (FUZZPARALLEL),
# niced. An input's runs (two sandboxes) are cut at 4 s, below the 10 s
# after which Go's fuzzing gives up on a worker; each new input is
# minimised for at most 20 runs. A divergence stops it with the script
# that shows it; its input is kept in compare/testdata/fuzz/ (minimise it
# into testdata/calls/).
FUZZTIME     ?= 1m
FUZZPARALLEL ?= 1
# Not 19: a starved worker's input outlasts Go's 10 s, which ends the run
# (seen with a load of 25 on 2 CPUs); an input costs little CPU.
FUZZNICE     ?= 10
FUZZ_TARGETS := FuzzPipeCalls FuzzFIFOCalls FuzzMqCalls FuzzShmCalls FuzzSockCalls

fuzz: build
	@for t in $(FUZZ_TARGETS); do echo "== $$t for $(FUZZTIME)"; \
		IPCPARITY_SKIP_BUILD=1 nice -n $(FUZZNICE) $(GO) test ./compare -run '^$$' -fuzz "^$$t$$" \
			-fuzztime $(FUZZTIME) -fuzzminimizetime 20x -timeout 0 -parallel $(FUZZPARALLEL) || exit 1; done

# ---- What the project catches (internal/mutants): gremlins on goipc's
# tests, then each translation mistake of testdata/mutants.txt applied to
# a temporary copy of the module, rebuilt and held to ipcparity check of
# its mechanism and the go tests of its packages, one at a time; a
# survivor of those is held to ipcparity check --trace of its mechanism
# (needs strace). Prints which layer killed each, the kill rate, and names
# every survivor and every mutant listed as equivalent. Builds and tests
# run at nice 19. MUTANTS_FLAGS: -run REGEX (some mutants), -deadline D
# (per mutant), -gremlins=false, -trace=false.
MUTANTS_FLAGS ?=

mutants: build
	$(GO) run ./internal/mutants -gremlins $(MUTANTS_FLAGS)
