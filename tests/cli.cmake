# The mlcore command end to end: one ctest case per scenario (a Check TCase
# picked with CK_RUN_CASE).
if(TARGET mlcore_cli)
  add_executable(test_cli_e2e cli/cli_tests.c check_main.c)
  target_compile_options(test_cli_e2e PRIVATE ${MLC_WARNINGS})
  target_compile_definitions(test_cli_e2e PRIVATE MLC_SUITE_FN=cli_suite
                             MLC_CLI_PATH="$<TARGET_FILE:mlcore_cli>")
  target_include_directories(test_cli_e2e PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(test_cli_e2e PRIVATE mlc_testutil)
  add_dependencies(test_cli_e2e mlcore_cli)
  foreach(case version_help round_trip csv_files classifier_outputs usage_errors data_errors cv grid
               progress array_params report report_errors linkage_out dbscan_scoring input_rules
               output_files repeated_options cv_scorer_fit command_help fit_warnings
               npy_nonfinite)
    add_test(NAME cli_${case} COMMAND test_cli_e2e)
    set_tests_properties(cli_${case} PROPERTIES
      ENVIRONMENT "CK_RUN_CASE=${case};CK_FORK=no;OPENBLAS_NUM_THREADS=1"
      LABELS "cli" TIMEOUT 600)
  endforeach()
endif()
