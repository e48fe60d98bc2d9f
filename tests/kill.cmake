# The kill suite (test_kill.c) also kills the mlcore command while it
# writes predictions: it needs the command's path.
if(TARGET mlcore_cli AND TARGET test_kill)
  target_compile_definitions(test_kill PRIVATE MLC_CLI_PATH="$<TARGET_FILE:mlcore_cli>")
  add_dependencies(test_kill mlcore_cli)
endif()
