/* Input checks shared by every fit/predict: one place for each message. */
#ifndef MLC_INTERNAL_VALIDATE_H
#define MLC_INTERNAL_VALIDATE_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/io.h"
#include "mlcore/matrix.h"

/* 1 when every value of m is finite: one vectorized pass, split over up to
 * n_threads threads (0 = all cores) when m is large. */
int mlc_matrix_all_finite(const mlc_matrix *m, int n_threads);
/* mlc_matrix_check_finite with the scan split over n_threads threads. */
int mlc_matrix_check_finite_mt(const mlc_matrix *m, const char *what, int n_threads);

/* X present, at least one row and one column, a valid stride; the values are
 * not scanned (the generic face checks this much, the typed fit/predict that
 * it calls scans the values once). */
int mlc_check_X_shape(const mlc_matrix *X, const char *what);
/* X's shape as above, and every value finite (scanned by n_threads threads). */
int mlc_check_X_mt(const mlc_matrix *X, const char *what, int n_threads);
/* The same, with one thread. */
int mlc_check_X(const mlc_matrix *X, const char *what);
/* X's shape, and exactly n_features columns; the values are not scanned. */
int mlc_check_X_columns(const mlc_matrix *X, size_t n_features, const char *estimator);
/* X for predict: as above, and every value finite. */
int mlc_check_X_predict_mt(const mlc_matrix *X, size_t n_features, const char *estimator,
                           int n_threads);
int mlc_check_X_predict(const mlc_matrix *X, size_t n_features, const char *estimator);
/* n finite target values (y may not be NULL). */
int mlc_check_y(const double *y, size_t n, const char *what);
/* Optional sample weights: finite, >= 0, positive sum. NULL is fine. */
int mlc_check_weights(const double *sw, size_t n);
/* Caller-allocated output of the expected shape. */
int mlc_check_out(const mlc_matrix *out, size_t rows, size_t cols, const char *what);
/* A non-NULL output pointer. */
int mlc_check_ptr(const void *p, const char *what);

/* The shape an array parameter was given in: numpy's (ndim 1 to
 * MLC_ARRAY_MAX_DIMS) when the registry read it from an .npy or CSV file
 * (mlc_array_read: the matrix holds it with the last dimension as columns,
 * the others multiplied into rows), or ndim 0 for a matrix a caller set,
 * known only as rows x cols. */
typedef struct mlc_array_shape {
    int ndim;
    size_t dim[MLC_ARRAY_MAX_DIMS];
} mlc_array_shape;
/* Whether array parameter m, given in `given` (NULL or ndim 0: a caller's
 * matrix), has the shape want[0..ndim): numpy's shape equal to it, or, for
 * a caller's matrix, rows x cols equal to it read as a matrix (the last
 * dimension the columns, the others the rows: (n,) is n x 1, (K, d, d) is
 * K*d x d). */
int mlc_array_shape_is(const mlc_matrix *m, const mlc_array_shape *given, int ndim,
                       const size_t *want);
/* Whether m is a vector of n: (n,), (n, 1) or (1, n), or a caller's n x 1 or
 * 1 x n matrix. */
int mlc_array_is_vector(const mlc_matrix *m, const mlc_array_shape *given, size_t n);
/* The shape m was given in, for messages: numpy's "(2, 3, 3)" / "(4,)", or
 * "6 x 3" for a caller's matrix. */
void mlc_array_shape_text(const mlc_matrix *m, const mlc_array_shape *given, char *buf,
                          size_t len);
/* A shape as numpy writes it: "(2, 3, 3)", "(4,)". */
void mlc_shape_text(const size_t *dim, int ndim, char *buf, size_t len);

/* Class labels: y must hold integral values. classes (sorted, distinct) is
 * malloc'ed into *classes with *n_classes entries; codes[i] (caller array of
 * n, may be NULL) gets the index of y[i] in classes. */
int mlc_encode_labels(const double *y, size_t n, double **classes, size_t *n_classes,
                      int32_t *codes);

/* The one rule for an `n_threads` parameter, in the parameter tables, in
 * mlc_estimator_set_threads and in the typed params structs: an integer in
 * [0, MLC_THREADS_MAX], 0 = all cores. MLC_OK, or MLC_EINVAL raised with
 * the range (its message starts with "who: " when `who` is not NULL). */
int mlc_check_threads(int n_threads, const char *who);
/* The same for the families whose params have always taken a negative
 * count as "all cores" (mlc_resolve_threads): only the top is checked. */
int mlc_check_threads_max(int n_threads, const char *who);

#endif
