# The bench report's statistics and quality code (bench/*.py), checked on
# known data under the Python that has NumPy (Debian's /usr/bin/python3).
if(EXISTS /usr/bin/python3)
  foreach(case stats report sides)
    add_test(NAME bench_${case}
             COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/bench/test_${case}.py)
    set_tests_properties(bench_${case} PROPERTIES LABELS "bench" TIMEOUT 120)
  endforeach()
endif()
