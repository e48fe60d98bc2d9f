/* GCC vector types for the loops written with explicit lanes (see
 * MLC_CLONED in hot.h), and unaligned loads / stores of them: memcpy, which
 * GCC turns into one vector move. */
#ifndef MLC_INTERNAL_VEC_H
#define MLC_INTERNAL_VEC_H

#include <stdint.h>
#include <string.h>

typedef double mlc_v4d __attribute__((vector_size(32)));
typedef int64_t mlc_v4l __attribute__((vector_size(32)));
typedef double mlc_v8d __attribute__((vector_size(64)));
typedef int64_t mlc_v8l __attribute__((vector_size(64)));

/* v = the lanes at p; the lanes of v to p (any alignment). */
#define MLC_LOADV(v, p) memcpy(&(v), (p), sizeof(v))
#define MLC_STOREV(p, v) memcpy((p), &(v), sizeof(v))
/* The lanes of a and b picked by index (0 .. 2n-1 over a then b). */
#define MLC_SHUF4(a, b, ...) __builtin_shuffle((a), (b), (mlc_v4l){__VA_ARGS__})
#define MLC_SHUF8(a, b, ...) __builtin_shuffle((a), (b), (mlc_v8l){__VA_ARGS__})

#endif
