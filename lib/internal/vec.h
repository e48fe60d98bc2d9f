/* GCC / clang vector types for the loops written with explicit lanes (see
 * MLC_CLONED in hot.h), and unaligned loads / stores of them: memcpy, which
 * both compilers turn into one vector move. */
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
/* The lanes of a and b picked by constant index (0 .. 2n-1 over a then b).
 * __builtin_shufflevector is clang's and GCC's since 12 (the same permutation
 * as __builtin_shuffle with a constant mask, the same code); older GCC has
 * only __builtin_shuffle. */
#if defined(__has_builtin)
#if __has_builtin(__builtin_shufflevector)
#define MLC_HAVE_SHUFFLEVECTOR 1
#endif
#endif
#ifdef MLC_HAVE_SHUFFLEVECTOR
#define MLC_SHUF4(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#define MLC_SHUF8(a, b, ...) __builtin_shufflevector((a), (b), __VA_ARGS__)
#else
#define MLC_SHUF4(a, b, ...) __builtin_shuffle((a), (b), (mlc_v4l){__VA_ARGS__})
#define MLC_SHUF8(a, b, ...) __builtin_shuffle((a), (b), (mlc_v8l){__VA_ARGS__})
#endif
/* Transposes the 4 x 4 block held in the rows r0 .. r3 (mlc_v4d) in place. */
#define MLC_TRANSPOSE4(r0, r1, r2, r3)                                                 \
    do {                                                                               \
        mlc_v4d t0_ = MLC_SHUF4(r0, r1, 0, 4, 2, 6), t1_ = MLC_SHUF4(r0, r1, 1, 5, 3, 7); \
        mlc_v4d t2_ = MLC_SHUF4(r2, r3, 0, 4, 2, 6), t3_ = MLC_SHUF4(r2, r3, 1, 5, 3, 7); \
        r0 = MLC_SHUF4(t0_, t2_, 0, 1, 4, 5);                                          \
        r1 = MLC_SHUF4(t1_, t3_, 0, 1, 4, 5);                                          \
        r2 = MLC_SHUF4(t0_, t2_, 2, 3, 6, 7);                                          \
        r3 = MLC_SHUF4(t1_, t3_, 2, 3, 6, 7);                                          \
    } while (0)

#endif
