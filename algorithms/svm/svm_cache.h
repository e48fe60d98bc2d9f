/* A least-recently-used cache of kernel rows within a memory budget
 * (libsvm guide, Chang & Lin 2011, section 5: caching). Row r holds the
 * values of positions [0, len) that have been computed; a request for a
 * longer row keeps the valid prefix and says where the missing part
 * starts. Rows are floats, as libsvm's: half the memory and bandwidth, and
 * the solver's accuracy is set by its tolerance, far above float rounding. */
#ifndef MLC_SVM_CACHE_H
#define MLC_SVM_CACHE_H
#include <stddef.h>

typedef struct svm_cache svm_cache;

/* n rows, at most budget_bytes of row data (raised to two full rows, the
 * least the solver needs: the two rows of an update are used together). */
int svm_cache_new(size_t n, size_t budget_bytes, svm_cache **out);
void svm_cache_free(svm_cache *c);

/* Row r with room for len values in *data; *valid gets how many leading
 * values are already computed (the caller fills [*valid, len)). The row
 * becomes the most recently used; older rows may be evicted, never the one
 * returned by the previous call. */
int svm_cache_row(svm_cache *c, size_t r, size_t len, float **data, size_t *valid);

/* How the cache enters the pages of fresh slots ahead of their rows (a
 * stretch of several MB at a time): enter(ctx, from, bytes) does what
 * mlc_enter_pages does, on as many threads as it has. NULL: that function,
 * on the calling thread. */
typedef void (*svm_cache_enter_fn)(void *ctx, void *from, size_t bytes);
void svm_cache_set_enter(svm_cache *c, svm_cache_enter_fn enter, void *ctx);

/* Positions i and j exchange places (shrinking): their rows swap, and so do
 * entries i and j inside every cached row. A row that holds i but not j
 * keeps only its first i values. */
void svm_cache_swap(svm_cache *c, size_t i, size_t j);

#endif
