/* Preprocessing: StandardScaler, MinMaxScaler, train_test_split.
 *
 * The scalers follow the typed-estimator pattern of mlcore.h; out is a
 * caller-allocated matrix of X's shape (MLC_EBADLEN otherwise). Their fit is
 * MLC_ERANGE when a statistic overflows (values near DBL_MAX). */
#ifndef MLCORE_PREPROCESSING_H
#define MLCORE_PREPROCESSING_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- StandardScaler: (x - mean_) / scale_ ---- */
typedef struct mlc_standard_scaler_params {
    int with_mean; /* 1 */
    int with_std;  /* 1 */
    int n_threads; /* 0 = all cores */
} mlc_standard_scaler_params;
typedef struct mlc_standard_scaler mlc_standard_scaler;
MLC_API mlc_standard_scaler_params mlc_standard_scaler_params_default(void);
/* sample_weight may be NULL. */
MLC_API int mlc_standard_scaler_fit(const mlc_standard_scaler_params *p, const mlc_matrix *X,
                                    const double *sample_weight, mlc_standard_scaler **out);
MLC_API int mlc_standard_scaler_transform(const mlc_standard_scaler *m, const mlc_matrix *X,
                                          mlc_matrix *out);
MLC_API int mlc_standard_scaler_inverse_transform(const mlc_standard_scaler *m,
                                                  const mlc_matrix *X, mlc_matrix *out);
MLC_API size_t mlc_standard_scaler_n_features(const mlc_standard_scaler *m);
MLC_API const double *mlc_standard_scaler_mean(const mlc_standard_scaler *m);  /* mean_ */
MLC_API const double *mlc_standard_scaler_var(const mlc_standard_scaler *m);   /* var_ */
MLC_API const double *mlc_standard_scaler_scale(const mlc_standard_scaler *m); /* scale_ */
MLC_API void mlc_standard_scaler_free(mlc_standard_scaler *m);

/* ---- MinMaxScaler: x * scale_ + min_ into feature_range ---- */
typedef struct mlc_min_max_scaler_params {
    double feature_range_min; /* 0 */
    double feature_range_max; /* 1 */
    int clip;                 /* 0 */
    int n_threads;            /* 0 = all cores */
} mlc_min_max_scaler_params;
typedef struct mlc_min_max_scaler mlc_min_max_scaler;
MLC_API mlc_min_max_scaler_params mlc_min_max_scaler_params_default(void);
MLC_API int mlc_min_max_scaler_fit(const mlc_min_max_scaler_params *p, const mlc_matrix *X,
                                   mlc_min_max_scaler **out);
MLC_API int mlc_min_max_scaler_transform(const mlc_min_max_scaler *m, const mlc_matrix *X,
                                         mlc_matrix *out);
MLC_API int mlc_min_max_scaler_inverse_transform(const mlc_min_max_scaler *m,
                                                 const mlc_matrix *X, mlc_matrix *out);
MLC_API size_t mlc_min_max_scaler_n_features(const mlc_min_max_scaler *m);
MLC_API const double *mlc_min_max_scaler_data_min(const mlc_min_max_scaler *m);
MLC_API const double *mlc_min_max_scaler_data_max(const mlc_min_max_scaler *m);
MLC_API const double *mlc_min_max_scaler_scale(const mlc_min_max_scaler *m); /* scale_ */
MLC_API const double *mlc_min_max_scaler_min(const mlc_min_max_scaler *m);   /* min_ */
MLC_API void mlc_min_max_scaler_free(mlc_min_max_scaler *m);

/* ---- train_test_split ----
 * test_size in (0,1) is a fraction (n_test = ceil(f*n)), >= 1 a count;
 * train/test get the row indices (malloc'ed) in permutation order as
 * scikit-learn returns them. stratify (n labels or NULL) keeps class
 * proportions. shuffle=0 (no stratify) takes the first n_train rows.
 * The caller releases *train and *test with free() (both NULL after a
 * failure). Errors: MLC_EEMPTY (n < 2), MLC_EINVAL (a test_size leaving
 * either part empty, stratify without shuffle, ...). */
typedef struct mlc_split_params {
    double test_size;     /* 0.25 */
    int shuffle;          /* 1 */
    int64_t random_state; /* -1 = random */
    const double *stratify;
} mlc_split_params;
MLC_API mlc_split_params mlc_split_params_default(void);
MLC_API int mlc_train_test_split(const mlc_split_params *p, size_t n, size_t **train,
                                 size_t *n_train, size_t **test, size_t *n_test);

#ifdef __cplusplus
}
#endif

#endif
