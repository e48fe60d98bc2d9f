# The fault-injection suite (test_fault_injection.c) gets the allocator of
# fault_alloc.c in place of the C library's for the code linked statically
# (the library and the test): the k-th allocation fails on demand.
target_sources(test_fault_injection PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fault_alloc.c)
target_link_options(test_fault_injection PRIVATE
  "LINKER:--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=aligned_alloc"
  "LINKER:--wrap=posix_memalign,--wrap=strdup,--wrap=strndup,--wrap=linkat")
