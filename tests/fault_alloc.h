/* Allocation failure on demand (tests/fault_alloc.c). */
#ifndef MLC_FAULT_ALLOC_H
#define MLC_FAULT_ALLOC_H
#include <stddef.h>
/* Make the k-th allocation from now fail (k >= 1). */
void fault_arm(long k);
/* Stop failing; returns the allocations counted since fault_arm. */
long fault_disarm(void);
/* 1 when the armed allocation has failed. */
int fault_fired(void);
/* Bytes of the largest allocation asked for since fault_arm (while armed). */
size_t fault_largest(void);
/* While on, linkat fails with ENOENT, as where /proc is not mounted and
 * the process may not link a descriptor: the file writer's fallback. */
void fault_no_links(int on);
#endif
