# The fuzz targets of tests/fuzz/ without libFuzzer: each replays its seed
# corpus and the inputs that once crashed it (tests/fuzz/regressions/TARGET),
# so every build (gcc, clang, sanitizers, valgrind) runs them. `make fuzz`
# runs the real fuzzers.
include(${CMAKE_CURRENT_SOURCE_DIR}/fuzz/targets.cmake)
set(MLC_FUZZ_SEEDS ${CMAKE_CURRENT_BINARY_DIR}/fuzz_seeds)
foreach(t ${MLC_FUZZ_TARGETS})
  add_executable(fuzz_replay_${t} ${MLC_FUZZ_SOURCES_${t}}
                 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay_main.c)
  mlc_fuzz_setup(fuzz_replay_${t} ${t})
endforeach()
add_executable(fuzz_model_seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/model_seeds.c)
target_compile_options(fuzz_model_seeds PRIVATE ${MLC_WARNINGS})
target_link_libraries(fuzz_model_seeds PRIVATE mlcore_static)

set(_fz ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
set(_fx ${CMAKE_CURRENT_SOURCE_DIR}/fixtures)
file(GLOB _csv_seeds ${_fx}/*/*.csv ${PROJECT_SOURCE_DIR}/datasets/data/*.csv)
file(GLOB _npy_seeds ${_fx}/*/*.npy)
add_test(NAME fuzz_model_seeds
         COMMAND sh -c "mkdir -p '${MLC_FUZZ_SEEDS}/model' && \"$0\" '${MLC_FUZZ_SEEDS}/model'"
                 $<TARGET_FILE:fuzz_model_seeds>)
set_tests_properties(fuzz_model_seeds PROPERTIES FIXTURES_SETUP fuzz_models LABELS "core")
add_test(NAME fuzz_replay_csv COMMAND fuzz_replay_csv ${_csv_seeds} ${_fz}/regressions/csv)
add_test(NAME fuzz_replay_npy COMMAND fuzz_replay_npy ${_npy_seeds} ${_fz}/regressions/npy)
add_test(NAME fuzz_replay_model
         COMMAND fuzz_replay_model ${MLC_FUZZ_SEEDS}/model ${_fz}/regressions/model)
set_tests_properties(fuzz_replay_model PROPERTIES FIXTURES_REQUIRED fuzz_models)
add_test(NAME fuzz_replay_args COMMAND fuzz_replay_args ${_fz}/seeds/args ${_fz}/regressions/args)
foreach(t ${MLC_FUZZ_TARGETS})
  set_tests_properties(fuzz_replay_${t} PROPERTIES LABELS "core"
                       ENVIRONMENT "OPENBLAS_NUM_THREADS=1;OMP_NUM_THREADS=1")
endforeach()
