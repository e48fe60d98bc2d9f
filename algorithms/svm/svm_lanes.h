/* The scans' vector lanes (svm_scan.c, svm_scan_nu.c): position t goes to
 * lane t mod L; the vector forms hold the 8 lanes in one GCC / clang vector
 * (split into two 256-bit halves for AVX2), the reference forms in 8
 * scalars. Masks are lanes of all ones or all zeros. */
#ifndef MLC_SVM_LANES_H
#define MLC_SVM_LANES_H
#include <stdint.h>
#include <string.h>
#include "internal/hot.h"
#include "internal/vec.h"
#include "svm_scan.h"

#define L SVM_SCAN_LANES

typedef unsigned char mlc_v8u __attribute__((vector_size(8)));
typedef signed char mlc_v8c __attribute__((vector_size(8)));
typedef float mlc_v8f __attribute__((vector_size(32)));

/* Lanes of a where mask is set, else of b. */
#define PICK(mask, a, b) ((mlc_v8d)(((mask) & (mlc_v8l)(a)) | (~(mask) & (mlc_v8l)(b))))
#define PICK_INDEX(mask, a, b) (((mask) & (a)) | (~(mask) & (b)))
#define SPLAT(x) ((mlc_v8d){(x), (x), (x), (x), (x), (x), (x), (x)})
#define NO_POSITIONS ((mlc_v8l){-1, -1, -1, -1, -1, -1, -1, -1})
#define FIRST_POSITIONS ((mlc_v8l){0, 1, 2, 3, 4, 5, 6, 7})

/* All ones in the lanes whose byte of u is not zero (compared as bytes,
 * then widened: one vpmovsxbq; widening first took GCC 12 twenty scalar
 * instructions). */
#define NONZERO_BYTES(u) __builtin_convertvector((mlc_v8c)((u) != 0), mlc_v8l)

/* The least of v's lanes, into every lane of *out. */
MLC_BODY void lanes_min(const mlc_v8d *in, mlc_v8d *out)
{
    mlc_v8d v = *in, w = MLC_SHUF8(v, v, 4, 5, 6, 7, 0, 1, 2, 3);
    v = PICK((mlc_v8l)(w < v), w, v);
    w = MLC_SHUF8(v, v, 2, 3, 0, 1, 6, 7, 4, 5);
    v = PICK((mlc_v8l)(w < v), w, v);
    w = MLC_SHUF8(v, v, 1, 0, 3, 2, 5, 4, 7, 6);
    *out = PICK((mlc_v8l)(w < v), w, v);
}

/* 1 when a lane of the mask is set (narrowed to bytes, then tested as one
 * word: GCC's shuffle-and-or tree cost more than the division it saves). */
MLC_BODY int any_lane(const mlc_v8l *mask)
{
    mlc_v8c bytes = __builtin_convertvector(*mask, mlc_v8c);
    uint64_t word;
    memcpy(&word, &bytes, sizeof word);
    return word != 0;
}

/* One block of the second-order choice of j (svm_scan.c, svm_scan_nu.c):
 * the lanes' scores -num / denom where valid, kept in (*b, *at) by the
 * scans' rule (least value, last position), and the least of all lanes in
 * every lane of *least. The division is the scan's cost (a vector division
 * issues every 16 cycles), and only a score at or below the least so far
 * can change the answer (the least score and the last position with it):
 * a block whose every valid score is provably above it, by the products
 * num < -least denom (1 - 2^-40), far outside their rounding, skips the
 * division. The lanes then keep stale values above the least, which no
 * longer matter. */
MLC_BODY void score_block(const mlc_v8d *num, const mlc_v8d *denom, const mlc_v8l *valid,
                          const mlc_v8l *pos, mlc_v8d *b, mlc_v8l *at, mlc_v8d *least)
{
    const mlc_v8d margin = SPLAT(1.0 - 0x1p-40);
    mlc_v8l reach = *valid & (mlc_v8l)(*num >= -*least * *denom * margin);
    if (!any_lane(&reach))
        return;
    mlc_v8d obj = -*num / *denom;
    *at = PICK_INDEX(*valid & (mlc_v8l)(obj <= *b), *pos, *at);
    *b = PICK(*valid & (mlc_v8l)(obj < *b), obj, *b);
    lanes_min(b, least);
}

#endif
