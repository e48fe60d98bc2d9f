/* The model-file loader on arbitrary bytes, then everything a loaded model
 * offers on a few rows: every output the registry lists, predict, score,
 * every attribute, and a save that must load again. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "fuzz_util.h"
#include "mlcore/mlcore.h"

#define ROWS 3
#define MAX_FEATURES 4096
#define MAX_OUT_COLS 65536

static char saved[128]; /* where loaded models are saved again */

static void outputs(const mlc_estimator *e)
{
    size_t d = mlc_estimator_n_features(e);
    if (d == 0 || d > MAX_FEATURES)
        return;
    double *x = malloc(ROWS * d * sizeof *x);
    if (!x)
        return;
    for (size_t k = 0; k < ROWS * d; k++)
        x[k] = (double)(k % 7) - 3.0 + 0.25 * (double)(k % 3);
    mlc_matrix X = mlc_matrix_wrap(x, ROWS, d, 0);
    for (int kind = 0; kind < MLC_OUT_COUNT; kind++) {
        size_t cols = mlc_estimator_output_cols(e, (mlc_output)kind);
        if (cols == 0 || cols > MAX_OUT_COLS)
            continue;
        mlc_matrix out;
        if (mlc_matrix_alloc(&out, ROWS, cols) == MLC_OK)
            (void)mlc_estimator_output(e, (mlc_output)kind, &X, &out);
        mlc_matrix_clear(&out);
    }
    /* score's y is rows x targets (a regressor's predict columns). */
    size_t targets = mlc_estimator_output_cols(e, MLC_OUT_PREDICT);
    targets = targets == 0 ? 1 : targets > MAX_OUT_COLS ? 0 : targets;
    double pred[ROWS], score, *y = calloc(ROWS * targets + 1, sizeof *y);
    for (size_t k = 0; y && k < ROWS * targets; k++)
        y[k] = (double)(k % 2);
    (void)mlc_estimator_predict(e, &X, pred);
    if (y && targets > 0)
        (void)mlc_estimator_score(e, &X, y, &score);
    free(y);
    free(x);
}

static void attributes(const mlc_estimator *e)
{
    mlc_attribute a[64];
    size_t n = mlc_estimator_attributes(e, a, 64);
    volatile double sink = 0;
    for (size_t i = 0; i < n && i < 64; i++) {
        size_t size = mlc_attribute_size(&a[i]);
        for (size_t k = 0; k < size; k++)
            sink += mlc_attribute_value(&a[i], k);
        mlc_attribute again;
        if (mlc_estimator_attribute(e, a[i].name, &again) != MLC_OK)
            __builtin_trap(); /* a listed attribute is found by its name */
    }
    (void)sink;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!saved[0]) {
        char dir[] = "/tmp/mlc_fuzz_model_XXXXXX";
        if (!mkdtemp(dir))
            return 0;
        snprintf(saved, sizeof saved, "%s/model.json", dir);
    }
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    mlc_estimator *e = NULL;
    int st = mlc_estimator_load(path, &e);
    close(fd);
    if (st != MLC_OK)
        return 0;
    /* The file's thread budget is anything in [0, 4096]: keep to one. */
    if (mlc_estimator_set_threads(e, 1) != MLC_OK)
        __builtin_trap();
    outputs(e);
    attributes(e);
    /* What was loaded saves, and what was saved loads. */
    if (mlc_estimator_save(e, saved) == MLC_OK) {
        mlc_estimator *again = NULL;
        if (mlc_estimator_load(saved, &again) != MLC_OK)
            __builtin_trap();
        mlc_estimator_free(again);
    }
    mlc_estimator_free(e);
    return 0;
}
