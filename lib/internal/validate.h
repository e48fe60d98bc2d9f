/* Input checks shared by every fit/predict: one place for each message. */
#ifndef MLC_INTERNAL_VALIDATE_H
#define MLC_INTERNAL_VALIDATE_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/matrix.h"

/* X present, at least one row and one column, every value finite. */
int mlc_check_X(const mlc_matrix *X, const char *what);
/* X for predict: as above and exactly n_features columns. */
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
