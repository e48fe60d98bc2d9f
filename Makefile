# Thin wrapper over CMake: the README's commands.
#   make bench   install what is missing, build, run the comparison with scikit-learn
#   make test    install what is missing, build, run the whole test suite
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test bench bench-full sanitize test-sanitize check-valgrind install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	bench/run quick

bench-full: build
	bench/run full

# AddressSanitizer + UndefinedBehaviorSanitizer build and test run.
test-sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Sanitize $(CMAKE_FLAGS)
	cmake --build build-sanitize -j $(JOBS)
	cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS) -LE install

# The core suites under valgrind's memcheck (leaks are errors).
check-valgrind: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -L core \
	    -T memcheck --overwrite MemoryCheckCommandOptions="--leak-check=full --error-exitcode=99 --errors-for-leak-kinds=definite,indirect --suppressions=$(CURDIR)/tests/valgrind.supp" \
	    || { cat $(BUILD)/Testing/Temporary/MemoryChecker.*.log 2>/dev/null | head -200; exit 1; }

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-sanitize
