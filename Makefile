# The README's commands. Each one installs what is missing first.
#   make run              analyse examples/, show findings and the fix
#   make test             build and run every test (LLVM 19)
#   make test LLVM=22     the same against LLVM 22
#   make fuzz             the file readers' fuzz targets, 10 minutes each
#   make build            set up and build into build/llvm-$(LLVM)/
LLVM ?= 19
BUILD := build/llvm-$(LLVM)
BUILD_TYPE ?= Release

# LLVM 19 ships lit as a script only; later majors have bin/lit. Expanded
# when the recipe runs, after setup has installed it.
LIT = $(firstword $(wildcard /usr/lib/llvm-$(LLVM)/build/utils/lit/lit.py /usr/lib/llvm-$(LLVM)/bin/lit))
LIT_ARGS ?= -sv

.PHONY: all setup configure build test fuzz run clean bench-checks bench-cli bench-link bench-nesting bench-runtime

all: build

setup:
	@scripts/setup.sh $(LLVM)

$(BUILD)/build.ninja: | setup
	cmake -S . -B $(BUILD) -G Ninja \
	  -DLLVM_DIR=/usr/lib/llvm-$(LLVM)/lib/cmake/llvm \
	  -DCMAKE_CXX_COMPILER=clang++-$(LLVM) \
	  -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: setup $(BUILD)/build.ninja

build: configure
	@cmake --build $(BUILD)

test: build
	python3 $(LIT) $(LIT_ARGS) $(BUILD)/test $(BUILD)/test/unit

# The readers' fuzz targets for longer than make test runs them, on a corpus
# kept in $(BUILD)/fuzz-corpus; e.g. make fuzz FUZZ_SECONDS=3600
FUZZ_SECONDS ?= 600
fuzz: build
	@for r in report baseline summaries cache-entry; do \
	  mkdir -p $(BUILD)/fuzz-corpus/$$r && cp -n test/fuzz/corpus/$$r/* $(BUILD)/fuzz-corpus/$$r/ && \
	  $(BUILD)/fuzz/fuzz-$$r -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=10 \
	    -artifact_prefix=$(BUILD)/fuzz-corpus/$$r- $(BUILD)/fuzz-corpus/$$r || exit 1; \
	done

run: build
	@scripts/run-examples.sh $(LLVM)

# The checks' cost against a parse-only clang-tidy run (bench/README.md);
# e.g. make bench-checks LLVM=22 BENCH_ARGS='--repeat 5 --max-ratio 1.05'
bench-checks: build
	python3 bench/bench_checks.py --llvm $(LLVM) $(BENCH_ARGS)

# aio against standalone asio (docs/runtime.md); e.g.
# make bench-runtime BENCH_RUNTIME_ARGS='--check'
bench-runtime: configure
	@cmake --build $(BUILD) --target aio_bench
	python3 runtime/bench/bench_runtime.py $(BUILD)/bin/aio_bench $(BENCH_RUNTIME_ARGS)

# The CLI on a generated multi-TU project: against run-clang-tidy, -j
# scaling, the cache, memory (bench/README.md);
# e.g. make bench-cli BENCH_ARGS='--tus 60 --jobs 2'
bench-cli: build
	python3 bench/bench_cli.py --llvm $(LLVM) $(BENCH_ARGS)

# The cross-file link step: share of the run, growth with the functions;
# e.g. make bench-link BENCH_ARGS='--sizes 100,200,400,800'
bench-link: build
	python3 bench/bench_link.py --llvm $(LLVM) $(BENCH_ARGS)

# Deeply nested lambdas against parse-only and a stock clang-tidy check;
# e.g. make bench-nesting BENCH_ARGS='--depth 400'
bench-nesting: build
	python3 bench/bench_nesting.py --llvm $(LLVM) $(BENCH_ARGS)

clean:
	rm -rf build
