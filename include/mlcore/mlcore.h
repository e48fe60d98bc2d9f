/* libmlcore: the whole public API, and the rules every header relies on.
 *
 * ---- Ownership -------------------------------------------------------------
 * Each function's comment, or its header's introduction, says which of these
 * applies to what it returns.
 *
 * Objects. A function that returns through `mlc_X **out` (mlc_X_fit,
 *   mlc_estimator_new, mlc_kfold_new, mlc_rng_new, ...) creates an object the
 *   caller owns and destroys with mlc_X_free(obj). *out is NULL after a
 *   failure. mlc_X_free(NULL) does nothing.
 * Filled structs. A function that fills a caller's struct (mlc_matrix,
 *   mlc_dataset, mlc_table, mlc_cv_results, mlc_grid_results,
 *   mlc_class_report, mlc_contingency) allocates what the struct points to;
 *   the caller releases it with mlc_X_clear(&s), which also zeroes the
 *   struct. After a failure the struct is left empty (zeroed) unless the
 *   function says otherwise, so clearing is always safe; clearing NULL, a
 *   zeroed struct, or the same struct twice is safe too.
 * Borrowed pointers. A `const` pointer returned by a getter (coefficients,
 *   labels, attribute data, parameter-table rows) points into the object: it
 *   stays valid until that object is freed or changed (refit, or a parameter
 *   set) and must not be freed. Names, summaries and mlc_strerror() /
 *   mlc_version() strings are static. mlc_last_error_message() is valid until
 *   the next failing call on the same thread.
 * Caller-allocated outputs. Arrays and matrices passed to receive results
 *   (predictions, labels, distances, metric values) are allocated by the
 *   caller with the size the comment gives; the library only writes into
 *   them. A matrix output of the wrong shape is MLC_EBADLEN.
 * Inputs. Everything passed in, params structs and the arrays they point to
 *   included, is read during the call only: models copy what they keep and
 *   never point into the caller's data, so X, y, weights, alphas, starting
 *   centres or folds may be freed or changed as soon as the call returns.
 * The one exception: mlc_train_test_split returns malloc'ed index arrays,
 *   released with free().
 *
 * ---- Statuses --------------------------------------------------------------
 * A function returning int returns MLC_OK (0) or an mlc_status code
 * (status.h), and on failure sets the calling thread's
 * mlc_last_error_message(). Two codes are not repeated per function: any
 * function may return MLC_EINVAL (a NULL pointer where one is needed, a
 * parameter outside its documented range) and any function that allocates
 * may return MLC_ENOMEM. "Errors:" in a comment lists the other codes. A
 * NULL estimator, parameter or scorer name is MLC_ENOTFOUND, as an unknown
 * name. Functions returning anything else cannot fail: given NULL they
 * return 0, NULL or NaN unless their comment gives another value, and void
 * functions given NULL do nothing (as free(NULL)). Empty inputs (no rows, no
 * columns, n = 0) never crash either (tests/test_api_null.c tries every
 * function). The exception: matrix.h's inline accessors MLC_AT and
 * mlc_matrix_row, which check nothing.
 * Non-convergence is not an error: models report n_iter and converged.
 * The library never prints, exits or aborts.
 *
 * ---- Typed estimators ------------------------------------------------------
 * linear.h, cluster.h, mixture.h and preprocessing.h give every estimator X
 * the same functions, documented once here; each header lists only what
 * differs.
 *   mlc_X_params_default()  scikit-learn's defaults; cannot fail.
 *   mlc_X_fit*(p, X, ..., &out)  a new fitted model in *out, an object freed
 *     with mlc_X_free (NULL after a failure). Errors: MLC_EINVAL (a bad
 *     parameter), MLC_EEMPTY (X without rows or columns), MLC_EBADLEN (y, Y,
 *     weights or starting arrays whose shape does not match X),
 *     MLC_ENONFINITE (NaN or Inf in the data), and those listed with it.
 *   mlc_X_refit(m, ...)  fits m again in place; on failure m is unchanged,
 *     on success pointers borrowed from the earlier fit are invalid.
 *   mlc_X_predict, _transform, _score, ... (a const model)  results into
 *     caller-allocated outputs. Errors: MLC_EBADLEN (X with another number of
 *     columns than at fit, an output matrix of the wrong shape), MLC_EEMPTY
 *     (X without rows), MLC_ENONFINITE (NaN or Inf in X).
 *   getters (n_features, coef, labels, n_iter, ...)  cannot fail; arrays are
 *     borrowed from the model, valid until it is refit or freed; a NULL model
 *     gives 0, NULL or NaN.
 *   mlc_X_free(m)  destroys the model; NULL does nothing.
 *
 * ---- Threads ---------------------------------------------------------------
 * Every function is reentrant; the library has no global mutable state (the
 * last error message is per thread, the core count is measured once).
 * Distinct objects may be used from different threads at the same time.
 * Functions taking a const object (predict, transform, score, the other
 * outputs, getters, save, mlc_splitter_get) may run concurrently on the same
 * object, e.g. predictions from one fitted model on many threads; functions
 * that change an object (refit, mlc_estimator_set* / fit, mlc_splitter_split,
 * mlc_rng_*, clear, free) need the caller to hold it exclusively; so does the
 * splitter given to cross-validation or grid search, which they split. A
 * failure on one thread never changes another thread's
 * mlc_last_error_message().
 * A call given n_threads runs at most that many threads (OpenMP and BLAS
 * together, 0 = all cores; above MLC_THREADS_MAX, 4096, the call is refused
 * with MLC_EINVAL as mlc_estimator_set_threads refuses it) and leaves the
 * caller's OpenMP and OpenBLAS thread settings as they were when it returns. Results do not depend on the number
 * of threads unless a comment says so.
 *
 * ---- Types -----------------------------------------------------------------
 * Sizes and indices are size_t; iteration counts (max_iter, n_iter) and
 * seeds (random_state; negative = a fresh seed from the OS) are int64_t;
 * class and cluster labels int32_t (or doubles holding integral values where
 * scikit-learn takes any label values); intercepts are returned as a
 * `const double *` of one value per target by every linear model.
 *
 * C++ programs may include every header: each declares its functions with C
 * linkage. */
#ifndef MLCORE_H
#define MLCORE_H
#include "mlcore/version.h"
#include "mlcore/export.h"
#include "mlcore/status.h"
#include "mlcore/matrix.h"
#include "mlcore/rng.h"
#include "mlcore/threads.h"
#include "mlcore/linalg.h"
#include "mlcore/io.h"
#include "mlcore/dataset.h"
#include "mlcore/estimator.h"
#include "mlcore/preprocessing.h"
#include "mlcore/metrics.h"
#include "mlcore/model_selection.h"
#include "mlcore/cluster.h"
#include "mlcore/mixture.h"
#include "mlcore/linear.h"
#include "mlcore/svm.h"
#include "mlcore/linear_svm.h"
#include "mlcore/neighbors.h"
#endif
