/* A data set: X, optional y, feature and target names; bundled data sets
 * (iris, wine, breast_cancer, digits, diabetes) and synthetic generators.
 *
 * Every loader and generator fills a caller's mlc_dataset (a filled struct,
 * mlcore.h): the data set owns everything it points to; mlc_dataset_clear
 * releases it. On failure *out is left empty, so clearing is always safe. */
#ifndef MLCORE_DATASET_H
#define MLCORE_DATASET_H
#include <stddef.h>
#include <stdint.h>
#include "mlcore/export.h"
#include "mlcore/matrix.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mlc_dataset {
    mlc_matrix X;          /* owned (allocated or a mapped .npy, io.h), n x p */
    double *y;             /* n values or NULL */
    char **feature_names;  /* p names */
    char **target_names;   /* class names (n_target_names), or NULL */
    size_t n_target_names;
    char *name;            /* "iris", the file path, ... */
} mlc_dataset;
/* Release what d holds and zero it. Safe on NULL and on a zeroed data set. */
MLC_API void mlc_dataset_clear(mlc_dataset *d);

/* Load a CSV or NPY file (a 2-D array; see mlc_dataset_read_flags). For CSV, `target` names the column that becomes y
 * (NULL: a column named "target" if there is one, else no y); the other
 * columns are X. Errors: those of the readers (io.h); MLC_ENOTFOUND (`target`
 * names a missing column), MLC_EEMPTY (the target is the only column). */
MLC_API int mlc_dataset_read(const char *path, const char *target, mlc_dataset *out);
/* The same with the CSV reader's flags (io.h: MLC_CSV_NO_HEADER, the columns
 * then "x0", "x1", ...; MLC_CSV_FINITE, which for an .npy names the first
 * NaN or infinity as X[i, j]). An .npy must hold a 2-D array (scikit-learn's
 * X): a 1-D one is MLC_EFORMAT with the reshaping advice scikit-learn gives
 * ("expected a 2D array, got a 1D array ..."), as are 3 or more dimensions.
 * Errors: as mlc_dataset_read; MLC_ENONFINITE; MLC_EINVAL (unknown flags). */
MLC_API int mlc_dataset_read_flags(const char *path, const char *target, unsigned flags,
                                   mlc_dataset *out);

/* Bundled data sets, the same arrays as scikit-learn's load_* (diabetes
 * scaled as load_diabetes(scaled=True)), with scikit-learn's feature_names
 * and, for the classification sets, target_names (y holds class indices).
 * mlc_load_bundled takes the names "iris", "wine", "breast_cancer", "digits"
 * and "diabetes"; any other is MLC_ENOTFOUND with the list in the message.
 * The loaders read data embedded in the library (no file): MLC_ENOMEM is
 * their only other error. Names and summaries are static strings. */
MLC_API size_t mlc_bundled_count(void);
MLC_API const char *mlc_bundled_name(size_t i);       /* NULL past the end */
MLC_API const char *mlc_bundled_summary(size_t i);    /* NULL past the end */
MLC_API int mlc_load_bundled(const char *name, mlc_dataset *out);
MLC_API int mlc_load_iris(mlc_dataset *out);
MLC_API int mlc_load_wine(mlc_dataset *out);
MLC_API int mlc_load_breast_cancer(mlc_dataset *out);
MLC_API int mlc_load_digits(mlc_dataset *out);
MLC_API int mlc_load_diabetes(mlc_dataset *out);

/* Generators: scikit-learn's parameters and distributions (not its RNG
 * stream). Parameters not mentioned take scikit-learn's defaults via the
 * *_default() functions. The data sets have feature names "x0", "x1", ...
 * and no target names; y holds class/blob indices for blobs and
 * classification. Bad parameters are MLC_EINVAL (MLC_ENONFINITE for NaN/Inf,
 * MLC_EBADLEN for arrays of the wrong length, MLC_ERANGE for sizes beyond
 * 2^31 where the algorithm needs them smaller) with a message naming the
 * parameter; *out is then left empty. Parameter arrays are only read. */
typedef struct mlc_blobs_params {
    size_t n_samples;    /* 100 */
    size_t n_features;   /* 2 */
    size_t centers;      /* 3 (ignored when center_coords is given) */
    const mlc_matrix *center_coords; /* optional K x d centres; then X has d
                                        columns and n_features is ignored */
    double cluster_std;  /* 1.0 */
    double center_box_lo, center_box_hi; /* -10, 10 */
    int shuffle;         /* 1 */
    int64_t random_state;/* -1 = random */
} mlc_blobs_params;
MLC_API mlc_blobs_params mlc_blobs_params_default(void);
/* y gets the blob index of each row (floor(n/K) rows per blob, the first
 * n mod K one more). centers_out (optional, caller-allocated K x d) gets the
 * centres. */
MLC_API int mlc_make_blobs(const mlc_blobs_params *p, mlc_dataset *out, mlc_matrix *centers_out);

typedef struct mlc_regression_params {
    size_t n_samples;     /* 100 */
    size_t n_features;    /* 100 */
    size_t n_informative; /* 10 (clipped to n_features, as scikit-learn) */
    double bias;          /* 0.0 */
    size_t effective_rank;/* 0 = None (full rank) */
    double tail_strength; /* 0.5 */
    double noise;         /* 0.0 */
    int shuffle;          /* 1 */
    int64_t random_state; /* -1 = random */
} mlc_regression_params;
MLC_API mlc_regression_params mlc_regression_params_default(void);
/* coef_out (optional, n_features) gets the true coefficients; without noise
 * y[i] is exactly (sum_j X[i][j] coef[j], summed in column order) + bias. */
MLC_API int mlc_make_regression(const mlc_regression_params *p, mlc_dataset *out, double *coef_out);

typedef struct mlc_classification_params {
    size_t n_samples;      /* 100 */
    size_t n_features;     /* 20 */
    size_t n_informative;  /* 2 */
    size_t n_redundant;    /* 2 */
    size_t n_repeated;     /* 0 */
    size_t n_classes;      /* 2 */
    size_t n_clusters_per_class; /* 2 */
    const double *weights; /* class proportions or NULL (balanced) */
    size_t n_weights;      /* 0 (= n_classes when weights is given), n_classes, or
                              n_classes - 1 (the last class gets 1 - sum) */
    double flip_y;         /* 0.01 */
    double class_sep;      /* 1.0 */
    int hypercube;         /* 1 */
    double shift;          /* 0.0 */
    double scale;          /* 1.0 */
    int shift_random;      /* 0; 1 = shift=None: (2 U(0,1) - 1) * class_sep per feature */
    int scale_random;      /* 0; 1 = scale=None: 1 + 100 U(0,1) per feature */
    int shuffle;           /* 1 */
    int64_t random_state;  /* -1 = random */
} mlc_classification_params;
MLC_API mlc_classification_params mlc_classification_params_default(void);
MLC_API int mlc_make_classification(const mlc_classification_params *p, mlc_dataset *out);

#ifdef __cplusplus
}
#endif

#endif
