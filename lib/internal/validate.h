/* Input checks shared by every fit/predict: one place for each message. */
#ifndef MLC_INTERNAL_VALIDATE_H
#define MLC_INTERNAL_VALIDATE_H
#include <stddef.h>
#include <stdint.h>
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

/* Class labels: y must hold integral values. classes (sorted, distinct) is
 * malloc'ed into *classes with *n_classes entries; codes[i] (caller array of
 * n, may be NULL) gets the index of y[i] in classes. */
int mlc_encode_labels(const double *y, size_t n, double **classes, size_t *n_classes,
                      int32_t *codes);

#endif
