/* Per-fit random number generator over GSL's gsl_rng (MT19937).
 *
 * Every randomised algorithm takes a `random_state` seed in its params and
 * creates one generator per fit; there is no hidden global state. A negative
 * seed means "None" as in scikit-learn: a fresh seed from the OS.
 *
 * A generator is an object (mlcore.h) changed by every draw: one thread at a
 * time. A NULL generator draws NaN (mlc_rng_index 0, mlc_rng_seed -1) and
 * shuffles nothing; a NULL idx is left alone. */
#ifndef MLCORE_RNG_H
#define MLCORE_RNG_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mlc_rng mlc_rng;

/* A new generator in *out (free with mlc_rng_free). Errors: MLC_ENOMEM only. */
MLC_API int mlc_rng_new(int64_t seed, mlc_rng **out);
MLC_API void mlc_rng_free(mlc_rng *rng);

/* Draws (none can fail). Uniform on [0, 1). */
MLC_API double mlc_rng_uniform(mlc_rng *rng);
/* Uniform on [lo, hi). */
MLC_API double mlc_rng_uniform_range(mlc_rng *rng, double lo, double hi);
/* Uniform integer in [0, n); 0 when n <= 1. */
MLC_API size_t mlc_rng_index(mlc_rng *rng, size_t n);
/* Standard normal draw. */
MLC_API double mlc_rng_normal(mlc_rng *rng);
/* 31-bit seed for a sub-generator (e.g. one per fold or per restart). */
MLC_API int64_t mlc_rng_seed(mlc_rng *rng);
/* Fisher-Yates shuffle of idx[0..n). */
MLC_API void mlc_rng_shuffle(mlc_rng *rng, size_t *idx, size_t n);
/* idx = a random permutation of 0..n-1 (0..n-1 in order for a NULL rng). */
MLC_API void mlc_rng_permutation(mlc_rng *rng, size_t *idx, size_t n);

#ifdef __cplusplus
}
#endif

#endif
