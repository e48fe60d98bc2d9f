/* The allocator of the fault-injection suite (tests/fault.cmake links
 * test_fault_injection with -Wl,--wrap for each function below): once
 * armed, the k-th allocation made by the library's code (and the test's)
 * fails. Shared libraries (OpenBLAS, libgomp, jansson) are not wrapped. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fault_alloc.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t align, size_t n);
int __real_posix_memalign(void **p, size_t align, size_t n);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void *__wrap_aligned_alloc(size_t align, size_t n);
int __wrap_posix_memalign(void **p, size_t align, size_t n);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

int __real_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                  int flags);
int __wrap_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                  int flags);

static int no_links; /* linkat fails with ENOENT: no /proc, no capability */
static long fail_at; /* 0: disarmed */
static long counted;
static int failed;
static size_t largest; /* bytes of the largest allocation since fault_arm */

void fault_arm(long k)
{
    __atomic_store_n(&counted, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&failed, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&largest, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&fail_at, k, __ATOMIC_SEQ_CST);
}

size_t fault_largest(void)
{
    return __atomic_load_n(&largest, __ATOMIC_SEQ_CST);
}

long fault_disarm(void)
{
    __atomic_store_n(&fail_at, 0, __ATOMIC_SEQ_CST);
    return __atomic_load_n(&counted, __ATOMIC_SEQ_CST);
}

int fault_fired(void)
{
    return __atomic_load_n(&failed, __ATOMIC_SEQ_CST);
}

/* 1 when this allocation (of n bytes) is the one to fail. */
static int fail_now(size_t n)
{
    long k = __atomic_load_n(&fail_at, __ATOMIC_SEQ_CST);
    if (k <= 0)
        return 0;
    for (size_t seen = __atomic_load_n(&largest, __ATOMIC_SEQ_CST); n > seen;)
        if (__atomic_compare_exchange_n(&largest, &seen, n, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_SEQ_CST))
            break;
    if (__atomic_add_fetch(&counted, 1, __ATOMIC_SEQ_CST) != k)
        return 0;
    __atomic_store_n(&failed, 1, __ATOMIC_SEQ_CST);
    return 1;
}

void *__wrap_malloc(size_t n)
{
    return fail_now(n) ? NULL : __real_malloc(n);
}
void *__wrap_calloc(size_t n, size_t size)
{
    return fail_now(n * size) ? NULL : __real_calloc(n, size);
}
void *__wrap_realloc(void *p, size_t n)
{
    return fail_now(n) ? NULL : __real_realloc(p, n);
}
void *__wrap_aligned_alloc(size_t align, size_t n)
{
    return fail_now(n) ? NULL : __real_aligned_alloc(align, n);
}
int __wrap_posix_memalign(void **p, size_t align, size_t n)
{
    return fail_now(n) ? 12 /* ENOMEM */ : __real_posix_memalign(p, align, n);
}
char *__wrap_strdup(const char *s)
{
    return fail_now(strlen(s) + 1) ? NULL : __real_strdup(s);
}
char *__wrap_strndup(const char *s, size_t n)
{
    return fail_now(strnlen(s, n) + 1) ? NULL : __real_strndup(s, n);
}

void fault_no_links(int on)
{
    __atomic_store_n(&no_links, on, __ATOMIC_SEQ_CST);
}

int __wrap_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                  int flags)
{
    if (__atomic_load_n(&no_links, __ATOMIC_SEQ_CST)) {
        errno = ENOENT;
        return -1;
    }
    return __real_linkat(olddirfd, oldpath, newdirfd, newpath, flags);
}
