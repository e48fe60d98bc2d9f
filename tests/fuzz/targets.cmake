# The fuzz targets and their sources, shared by the libFuzzer build
# (tests/fuzz/CMakeLists.txt) and the replay tests (tests/fuzz.cmake).
set(MLC_FUZZ_TARGETS csv npy model args)
set(_d ${CMAKE_CURRENT_LIST_DIR})
foreach(t ${MLC_FUZZ_TARGETS})
  set(MLC_FUZZ_SOURCES_${t} ${_d}/fuzz_${t}.c ${_d}/fuzz_util.c)
endforeach()
# The argument parser is the command's own file (and its parameter setter).
list(APPEND MLC_FUZZ_SOURCES_args ${PROJECT_SOURCE_DIR}/cli/args.c
     ${PROJECT_SOURCE_DIR}/cli/data.c)

function(mlc_fuzz_setup target t)
  target_compile_options(${target} PRIVATE ${MLC_WARNINGS})
  target_compile_definitions(${target} PRIVATE _GNU_SOURCE)
  target_include_directories(${target} PRIVATE ${_d} ${PROJECT_SOURCE_DIR}/cli)
  target_link_libraries(${target} PRIVATE mlcore_static PkgConfig::JANSSON)
endfunction()
