# Thin wrapper over CMake: the README's commands.
#   make bench   install what is missing, build, run the comparison with scikit-learn
#   make bench-process  the linear models at 100 000 x 100: whole `mlcore fit` processes vs scikit-learn
#   make test    install what is missing, build, run the whole test suite
#   make test-clang  the same suite built by clang (in build-clang)
#   make test-tsan   the concurrency suite under ThreadSanitizer (clang, in build-tsan)
#   make fuzz    the libFuzzer targets (tests/fuzz), FUZZ_SECONDS each (in build-fuzz)
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= csv npy model args

.PHONY: all deps build test test-clang test-tsan fuzz bench bench-full bench-process sanitize test-sanitize check-valgrind install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The suite built by clang: the library must build warning-free with both
# compilers, and clang compiles the non-GCC branches (no GCC-only
# attributes: hot.h's clang branches) that the GCC build never sees.
test-clang: deps
	CC=clang cmake -S . -B build-clang -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	cmake --build build-clang -j $(JOBS)
	cd build-clang && ctest --output-on-failure -j $(JOBS)

# ThreadSanitizer (clang): every registered estimator's outputs and score
# from 8 threads on one model, and different models fit at once
# (tests/test_concurrency.c); any race report fails. The library runs with
# n_threads = 1 there: the OpenMP and OpenBLAS runtimes are not built with
# TSan, so races inside their parallel regions could not be told from false
# reports. ignore_noninstrumented_modules: libomp's own memset/free of its
# per-thread structures (reached through the interceptors) would be
# reported as races otherwise; the library's code is still checked (an
# unguarded counter in mlc_estimator_output is reported). No suppressions.
# The step team's handover (tests/test_step_team.c, its own atomics between
# OpenMP threads) runs there too, unforked: TSan does not start threads in a
# child of a threaded process.
test-tsan: deps
	CC=clang cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Tsan $(CMAKE_FLAGS)
	cmake --build build-tsan -j $(JOBS) --target test_concurrency test_step_team
	cd build-tsan && CK_FORK=no TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 \
	    ignore_noninstrumented_modules=1" ctest --output-on-failure -R '^(concurrency|step_team)$$'

# libFuzzer (clang) with ASan + UBSan: the CSV and NPY readers, the model-file
# loader followed by every output, the command's argument parser; each for
# FUZZ_SECONDS, seeded from the fixtures (scripts/run-fuzz). A crash fails.
fuzz: deps
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Fuzz -DMLCORE_FUZZ=ON \
	    -DMLCORE_BUILD_TESTS=OFF $(CMAKE_FLAGS)
	cmake --build build-fuzz -j $(JOBS) --target $(addprefix fuzz_,$(FUZZ_TARGETS)) fuzz_model_seeds
	scripts/run-fuzz build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

bench: build
	bench/run quick

bench-full: build
	bench/run full

bench-process: build
	bench/run process

# AddressSanitizer + UndefinedBehaviorSanitizer build and test run.
test-sanitize: deps
	cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Sanitize $(CMAKE_FLAGS)
	cmake --build build-sanitize -j $(JOBS)
	cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    ctest --output-on-failure -j $(JOBS) -LE install

# The core suites (every tests/test_<module>.c) under valgrind's memcheck:
# any error or definite/indirect leak fails. Not test_kill: its 144 forked
# writers, each killed, would take minutes there and check no memory.
VALGRIND = valgrind -q --leak-check=full --error-exitcode=99 \
	--errors-for-leak-kinds=definite,indirect --suppressions=$(CURDIR)/tests/valgrind.supp
check-valgrind: build
	@failed=0; for t in $(BUILD)/tests/test_*; do \
	    [ -x "$$t" ] || continue; \
	    case "$$t" in *test_cli_e2e|*test_kill) continue;; esac; \
	    printf 'valgrind %s ... ' "$$(basename $$t)"; \
	    if CK_FORK=no OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=2 $(VALGRIND) $$t > $$t.valgrind.log 2>&1; \
	    then echo ok; else echo FAILED; tail -40 $$t.valgrind.log; failed=1; fi; \
	done; exit $$failed

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) build-sanitize build-clang build-tsan build-fuzz
