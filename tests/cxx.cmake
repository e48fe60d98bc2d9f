# The public headers from C++: every header compiles on its own as a C++
# translation unit, and a C++ program that includes mlcore.h links against the
# C library (this needs the extern "C" guards). Only built when a C++ compiler
# exists; the library itself stays C.
include(CheckLanguage)
check_language(CXX)
if(CMAKE_CXX_COMPILER)
  enable_language(CXX)
  # One generated translation unit per public header, so a header that needs
  # another one it does not include fails to compile. Each takes the address
  # of every function its header declares (MLC_API lines), so a declaration
  # without C linkage fails to link: its C++-mangled name is in no library.
  file(GLOB MLC_PUBLIC_HEADERS CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/mlcore/*.h)
  list(APPEND MLC_PUBLIC_HEADERS ${PROJECT_BINARY_DIR}/include/mlcore/version.h)
  set(MLC_CXX_HEADER_TUS "")
  foreach(h ${MLC_PUBLIC_HEADERS})
    get_filename_component(stem ${h} NAME_WE)
    # Re-run the configuration when the header changes (its list of functions).
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${h})
    file(STRINGS ${h} decls REGEX "^MLC_API ")
    set(refs "")
    foreach(d ${decls})
      string(REGEX MATCH "(mlc_[a-z0-9_]+)\\(" _ "${d}")
      string(APPEND refs "    reinterpret_cast<mlc_any_fn>(&${CMAKE_MATCH_1}),\n")
    endforeach()
    set(tu ${CMAKE_CURRENT_BINARY_DIR}/cxx_headers/${stem}.cpp)
    set(body "#include \"mlcore/${stem}.h\"\n")
    if(refs)
      string(APPEND body "typedef void (*mlc_any_fn)(void);\n"
             "extern const mlc_any_fn mlc_cxx_${stem}_functions[];\n"
             "const mlc_any_fn mlc_cxx_${stem}_functions[] = {\n${refs}};\n")
    endif()
    file(CONFIGURE OUTPUT ${tu} CONTENT "${body}")
    list(APPEND MLC_CXX_HEADER_TUS ${tu})
  endforeach()
  add_executable(test_cxx ${CMAKE_CURRENT_SOURCE_DIR}/cxx/use_api.cpp ${MLC_CXX_HEADER_TUS})
  set_target_properties(test_cxx PROPERTIES CXX_STANDARD 11 CXX_STANDARD_REQUIRED ON
                        CXX_EXTENSIONS OFF)
  target_compile_options(test_cxx PRIVATE -Wall -Wextra -pedantic
                         $<$<BOOL:${MLCORE_WERROR}>:-Werror>)
  # The shared library: what a C++ program links, through its exported names.
  target_link_libraries(test_cxx PRIVATE mlcore)
  add_test(NAME cxx COMMAND test_cxx)
  set_tests_properties(cxx PROPERTIES ENVIRONMENT "OPENBLAS_NUM_THREADS=1" LABELS "core")
else()
  message(STATUS "no C++ compiler: the public headers are not tested from C++")
endif()
