# The installed library builds outside programs via find_package and pkg-config.
add_test(NAME install_consumer
         COMMAND sh ${PROJECT_SOURCE_DIR}/tests/consumer/run.sh ${PROJECT_BINARY_DIR}
                 ${PROJECT_SOURCE_DIR})
set_tests_properties(install_consumer PROPERTIES LABELS "install" TIMEOUT 300)
