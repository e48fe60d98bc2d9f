/* LinearSVC and LinearSVR against scikit-learn (tests/fixtures/
 * fx_linear_svm.py): coef_, intercept_, decision values, predictions and
 * the primal objective of every subproblem, for each solver (dual CD with
 * hinge and squared hinge, TRON, L1 primal CD, Crammer-Singer, the SVR
 * duals and primal); the kernels' forms; thread counts; model files; bad
 * input and small edge cases. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal/hot.h"
#include "svm/linear_svm_solvers.h"
#include "test_util.h"

static json_t *fx, *cases, *datasets;

static void setup(void)
{
    fx = fx_load("linear_svm");
    cases = json_object_get(fx, "cases");
    datasets = json_object_get(fx, "data");
}

static void teardown(void)
{
    json_decref(fx);
}

/* ------------------------------------------------------- a case's inputs */

typedef struct inputs {
    mlc_matrix X;
    double *y, *sw;
} inputs;

static inputs case_inputs(json_t *c)
{
    json_t *d = json_object_get(datasets, json_string_value(json_object_get(c, "data")));
    inputs in = {fx_matrix(d, "X"), fx_doubles(d, "y", NULL, NULL), NULL};
    if (json_object_get(c, "sw"))
        in.sw = fx_doubles(c, "sw", NULL, NULL);
    return in;
}

static void inputs_clear(inputs *in)
{
    mlc_matrix_clear(&in->X);
    free(in->y);
    free(in->sw);
}

static json_t *param(json_t *c, const char *key)
{
    return json_object_get(json_object_get(c, "params"), key);
}

static double param_num(json_t *c, const char *key, double def)
{
    json_t *v = param(c, key);
    return v && json_is_number(v) ? json_number_value(v) : def;
}

static int param_is(json_t *c, const char *key, const char *text)
{
    json_t *v = param(c, key);
    return v && json_is_string(v) && strcmp(json_string_value(v), text) == 0;
}

static int param_bool(json_t *c, const char *key, int def)
{
    json_t *v = param(c, key);
    return v && json_is_boolean(v) ? json_is_true(v) : def;
}

/* class_weight: "balanced", or {label: weight} (the labels as JSON keys). */
static mlc_class_weight class_weight_of(json_t *c)
{
    mlc_class_weight cw = {.mode = MLC_CLASS_WEIGHT_NONE};
    json_t *v = param(c, "class_weight");
    if (v && json_is_string(v)) {
        cw.mode = MLC_CLASS_WEIGHT_BALANCED;
    } else if (v && json_is_object(v)) {
        const char *key;
        json_t *w;
        json_object_foreach(v, key, w) {
            cw.label[cw.n] = strtod(key, NULL);
            cw.weight[cw.n++] = json_number_value(w);
        }
        cw.mode = MLC_CLASS_WEIGHT_GIVEN;
    }
    return cw;
}

static mlc_linear_svc_params svc_params(json_t *c, int threads)
{
    mlc_linear_svc_params p = mlc_linear_svc_params_default();
    p.penalty = param_is(c, "penalty", "l1") ? MLC_LINEAR_SVC_L1 : MLC_LINEAR_SVC_L2;
    p.loss = param_is(c, "loss", "hinge") ? MLC_LINEAR_SVC_HINGE : MLC_LINEAR_SVC_SQUARED_HINGE;
    p.dual = param_bool(c, "dual", 1);
    p.tol = param_num(c, "tol", 1e-4);
    p.C = param_num(c, "C", 1.0);
    p.multi_class = param_is(c, "multi_class", "crammer_singer") ? MLC_LINEAR_SVC_CRAMMER_SINGER
                                                                 : MLC_LINEAR_SVC_OVR;
    p.fit_intercept = param_bool(c, "fit_intercept", 1);
    p.intercept_scaling = param_num(c, "intercept_scaling", 1.0);
    p.class_weight = class_weight_of(c);
    p.random_state = (int64_t)param_num(c, "random_state", 0);
    p.max_iter = (int64_t)param_num(c, "max_iter", 1000);
    p.n_threads = threads;
    return p;
}

static mlc_linear_svr_params svr_params(json_t *c)
{
    mlc_linear_svr_params p = mlc_linear_svr_params_default();
    p.epsilon = param_num(c, "epsilon", 0.0);
    p.tol = param_num(c, "tol", 1e-4);
    p.C = param_num(c, "C", 1.0);
    p.loss = param_is(c, "loss", "squared_epsilon_insensitive")
                 ? MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE
                 : MLC_LINEAR_SVR_EPSILON_INSENSITIVE;
    p.dual = param_bool(c, "dual", 1);
    p.random_state = (int64_t)param_num(c, "random_state", 0);
    p.max_iter = (int64_t)param_num(c, "max_iter", 1000);
    p.n_threads = 1;
    return p;
}

/* ------------------------------------------------ the primal objectives */

static double sq(double v)
{
    return v * v;
}

static double dotp(const double *a, const double *b, size_t n)
{
    double s = 0.0;
    for (size_t j = 0; j < n; j++)
        s += a[j] * b[j];
    return s;
}

/* Per-class weights (1 unless set), computed here on their own. */
static void class_weights(const mlc_linear_svc_params *p, const double *classes, size_t K,
                          const double *y, size_t n, double *cw)
{
    for (size_t k = 0; k < K; k++) {
        cw[k] = 1.0;
        if (p->class_weight.mode == MLC_CLASS_WEIGHT_BALANCED) {
            double count = 0.0;
            for (size_t i = 0; i < n; i++)
                count += y[i] == classes[k];
            cw[k] = (double)n / ((double)K * count);
        }
        int given = p->class_weight.mode == MLC_CLASS_WEIGHT_GIVEN;
        for (size_t t = 0; given && t < p->class_weight.n; t++)
            if (p->class_weight.label[t] == classes[k])
                cw[k] = p->class_weight.weight[t];
    }
}

static size_t class_of(const double *classes, size_t K, double label)
{
    size_t k = 0;
    while (k < K && classes[k] != label)
        k++;
    return k;
}

/* The objective of each subproblem of a fitted LinearSVC (one for
 * Crammer-Singer), the way fx_linear_svm.py computes scikit-learn's. */
static void svc_objectives(const mlc_linear_svc *m, const mlc_linear_svc_params *p,
                           const inputs *in, double *out)
{
    size_t K = mlc_linear_svc_n_classes(m), R = mlc_linear_svc_n_rows(m);
    size_t n = in->X.rows, d = in->X.cols;
    const double *classes = mlc_linear_svc_classes(m), *W = mlc_linear_svc_coef(m);
    const double *b = mlc_linear_svc_intercept(m);
    double B = p->fit_intercept ? p->intercept_scaling : 0.0, cw[16];
    class_weights(p, classes, K, in->y, n, cw);
    if (p->multi_class == MLC_LINEAR_SVC_CRAMMER_SINGER) {
        double f = 0.0;
        for (size_t r = 0; r < R; r++)
            f += 0.5 * (dotp(W + r * d, W + r * d, d) + (B > 0.0 ? sq(b[r] / B) : 0.0));
        for (size_t i = 0; i < n; i++) {
            const double *x = mlc_matrix_row(&in->X, i);
            size_t yi = class_of(classes, K, in->y[i]);
            double own = dotp(W + yi * d, x, d) + b[yi], worst = 0.0;
            for (size_t r = 0; r < R; r++)
                if (r != yi)
                    worst = fmax(worst, 1.0 + dotp(W + r * d, x, d) + b[r] - own);
            f += p->C * cw[yi] * (in->sw ? in->sw[i] : 1.0) * worst;
        }
        out[0] = f;
        return;
    }
    for (size_t r = 0; r < R; r++) {
        const double *w = W + r * d;
        size_t pos = K == 2 ? 1 : r;
        double f = 0.0;
        if (p->penalty == MLC_LINEAR_SVC_L1) {
            for (size_t j = 0; j < d; j++)
                f += fabs(w[j]);
            f += B > 0.0 ? fabs(b[r] / B) : 0.0;
        } else {
            f = 0.5 * (dotp(w, w, d) + (B > 0.0 ? sq(b[r] / B) : 0.0));
        }
        for (size_t i = 0; i < n; i++) {
            size_t k = class_of(classes, K, in->y[i]);
            double s = k == pos ? 1.0 : -1.0;
            double Ci = k == pos ? p->C * cw[pos] : K == 2 ? p->C * cw[k] : p->C;
            double v = fmax(0.0, 1.0 - s * (dotp(w, mlc_matrix_row(&in->X, i), d) + b[r]));
            f += Ci * (in->sw ? in->sw[i] : 1.0) * (p->loss == MLC_LINEAR_SVC_HINGE ? v : v * v);
        }
        out[r] = f;
    }
}

static double svr_objective(const mlc_linear_svr *m, const mlc_linear_svr_params *p,
                            const inputs *in)
{
    size_t d = in->X.cols;
    const double *w = mlc_linear_svr_coef(m);
    double b = mlc_linear_svr_intercept(m)[0], B = p->fit_intercept ? p->intercept_scaling : 0.0;
    double f = 0.5 * (dotp(w, w, d) + (B > 0.0 ? sq(b / B) : 0.0));
    for (size_t i = 0; i < in->X.rows; i++) {
        double e = fmax(0.0, fabs(in->y[i] - dotp(w, mlc_matrix_row(&in->X, i), d) - b) -
                                 p->epsilon);
        double Ci = p->C * (in->sw ? in->sw[i] : 1.0);
        f += Ci * (p->loss == MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE ? e * e : e);
    }
    return f;
}

/* --------------------------------------------------------- comparisons */

/* max |got - want| / max(|want|) <= tol over n values. */
static void expect_close(const double *got, const double *want, size_t n, double tol,
                         const char *name, const char *what)
{
    double scale = 0.0, worst = 0.0;
    for (size_t i = 0; i < n; i++)
        scale = fmax(scale, fabs(want[i]));
    for (size_t i = 0; i < n; i++)
        worst = fmax(worst, fabs(got[i] - want[i]));
    ck_assert_msg(worst <= tol * fmax(scale, 1e-300), "%s %s: off by %.3g of %.3g (tol %g)",
                  name, what, worst, scale, tol);
}

static void expect_key(const double *got, size_t n, json_t *c, const char *key, double tol,
                       const char *name)
{
    size_t r, k;
    double *want = fx_doubles(c, key, &r, &k);
    ck_assert_msg(r * k == n, "%s %s: %zu values, scikit-learn has %zu", name, key, n, r * k);
    expect_close(got, want, n, tol, name, key);
    free(want);
}

/* The same predictions except where scikit-learn's decision is within
 * `margin` of a tie. */
static void expect_predictions(const double *pred, json_t *c, const double *dec, size_t n,
                               size_t cols, double margin, const char *name)
{
    double *want = fx_doubles(c, "predict", NULL, NULL);
    size_t differ = 0;
    for (size_t i = 0; i < n; i++) {
        const double *di = dec + i * cols;
        double gap = fabs(di[0]);
        if (cols > 1) {
            double a = -INFINITY, b = -INFINITY;
            for (size_t k = 0; k < cols; k++) {
                if (di[k] > a) {
                    b = a;
                    a = di[k];
                } else if (di[k] > b) {
                    b = di[k];
                }
            }
            gap = a - b;
        }
        differ += pred[i] != want[i] && gap > margin;
    }
    ck_assert_msg(differ == 0, "%s: %zu predictions differ away from the boundary", name, differ);
    free(want);
}

static double *svc_decision(const mlc_linear_svc *m, const mlc_matrix *X)
{
    size_t R = mlc_linear_svc_n_rows(m);
    double *d = malloc(X->rows * R * sizeof *d);
    mlc_matrix out = mlc_matrix_wrap(d, X->rows, R, 0);
    ck_assert_status(mlc_linear_svc_decision_function(m, X, &out), MLC_OK);
    return d;
}

/* A LinearSVC case: coefficients (tight cases) or objectives (defaults). */
static void check_svc_case(const char *name, json_t *c)
{
    int tight = param_num(c, "tol", 1e-4) < 1e-6;
    inputs in = case_inputs(c);
    mlc_linear_svc_params p = svc_params(c, 1);
    mlc_linear_svc *m = NULL;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, in.sw, &m), MLC_OK);
    size_t K = mlc_linear_svc_n_classes(m), R = mlc_linear_svc_n_rows(m), d = in.X.cols;
    expect_key(mlc_linear_svc_classes(m), K, c, "classes", 0.0, name);
    ck_assert_uint_eq(R, K == 2 ? 1 : K);
    if (tight) {
        /* coef_ and intercept_ together, relative to their largest value */
        size_t nr, nc, ni, one;
        double *wc = fx_doubles(c, "coef", &nr, &nc), *wi = fx_doubles(c, "intercept", &ni, &one);
        ck_assert_uint_eq(nr * nc, R * d);
        ck_assert_uint_eq(ni * one, R);
        double *got = malloc((R * d + R) * sizeof *got), *want = malloc((R * d + R) * sizeof *want);
        memcpy(got, mlc_linear_svc_coef(m), R * d * sizeof *got);
        memcpy(got + R * d, mlc_linear_svc_intercept(m), R * sizeof *got);
        memcpy(want, wc, R * d * sizeof *want);
        memcpy(want + R * d, wi, R * sizeof *want);
        expect_close(got, want, R * d + R, 1e-4, name, "coef_ and intercept_");
        ck_assert_msg(mlc_linear_svc_converged(m), "%s did not converge", name);
        free(got);
        free(want);
        free(wc);
        free(wi);
    }
    if (json_object_get(c, "objective")) {
        double obj[16];
        svc_objectives(m, &p, &in, obj);
        size_t n_obj = p.multi_class == MLC_LINEAR_SVC_CRAMMER_SINGER ? 1 : R;
        size_t r, k;
        double *want = fx_doubles(c, "objective", &r, &k);
        ck_assert_uint_eq(r * k, n_obj);
        for (size_t t = 0; t < n_obj; t++)
            ck_assert_msg(fabs(obj[t] - want[t]) <= 1e-6 * fabs(want[t]),
                          "%s: objective %zu is %.12g, scikit-learn's %.12g", name, t, obj[t],
                          want[t]);
        free(want);
    }
    double *dec = svc_decision(m, &in.X), *pred = malloc(in.X.rows * sizeof *pred);
    expect_key(dec, in.X.rows * R, c, "decision", tight ? 1e-4 : 1e-3, name);
    ck_assert_status(mlc_linear_svc_predict(m, &in.X, pred), MLC_OK);
    double *ref_dec = fx_doubles(c, "decision", NULL, NULL);
    expect_predictions(pred, c, ref_dec, in.X.rows, R, 1e-3, name);
    free(ref_dec);
    free(dec);
    free(pred);
    mlc_linear_svc_free(m);
    inputs_clear(&in);
}

static void check_svr_case(const char *name, json_t *c)
{
    int tight = param_num(c, "tol", 1e-4) < 1e-6;
    inputs in = case_inputs(c);
    mlc_linear_svr_params p = svr_params(c);
    mlc_linear_svr *m = NULL;
    ck_assert_status(mlc_linear_svr_fit(&p, &in.X, in.y, in.sw, &m), MLC_OK);
    size_t d = in.X.cols;
    if (tight) {
        double *got = malloc((d + 1) * sizeof *got), *want = malloc((d + 1) * sizeof *want);
        double *wc = fx_doubles(c, "coef", NULL, NULL);
        double *wi = fx_doubles(c, "intercept", NULL, NULL);
        memcpy(got, mlc_linear_svr_coef(m), d * sizeof *got);
        got[d] = mlc_linear_svr_intercept(m)[0];
        memcpy(want, wc, d * sizeof *want);
        want[d] = wi[0];
        expect_close(got, want, d + 1, 1e-4, name, "coef_ and intercept_");
        ck_assert_msg(mlc_linear_svr_converged(m), "%s did not converge", name);
        free(got);
        free(want);
        free(wc);
        free(wi);
    }
    double obj = svr_objective(m, &p, &in), want = fx_number(c, "objective");
    ck_assert_msg(fabs(obj - want) <= 1e-6 * fabs(want),
                  "%s: objective %.12g, scikit-learn's %.12g", name, obj, want);
    double *pred = malloc(in.X.rows * sizeof *pred);
    ck_assert_status(mlc_linear_svr_predict(m, &in.X, pred), MLC_OK);
    expect_key(pred, in.X.rows, c, "predict", tight ? 1e-4 : 1e-3, name);
    free(pred);
    mlc_linear_svr_free(m);
    inputs_clear(&in);
}

/* ------------------------------------------------------------- core */

/* Every case of the fixture: tol 1e-8 ones by coef_ and intercept_ (within
 * 1e-4 of the largest) and the objective (1e-6), the defaults by the
 * objective alone; decision values and predictions on the way. */
START_TEST(cases_match_scikit_learn)
{
    const char *name;
    json_t *c;
    size_t seen = 0;
    json_object_foreach(cases, name, c) {
        if (strcmp(json_string_value(json_object_get(c, "estimator")), "linear_svc") == 0)
            check_svc_case(name, c);
        else
            check_svr_case(name, c);
        seen++;
    }
    ck_assert_uint_ge(seen, 24);
}
END_TEST

static mlc_dataset classification(size_t n, size_t d, size_t K)
{
    mlc_classification_params cp = mlc_classification_params_default();
    cp.n_samples = n;
    cp.n_features = d;
    cp.n_informative = 6;
    cp.n_classes = K;
    cp.random_state = 7;
    mlc_dataset ds;
    ck_assert_status(mlc_make_classification(&cp, &ds), MLC_OK);
    return ds;
}

/* One-vs-rest problems on several threads, TRON's passes in parts: the
 * same bits as one thread. */
START_TEST(threads_give_the_same_bits)
{
    mlc_dataset ds = classification(10000, 20, 4);
    const int solvers[][3] = {{MLC_LINEAR_SVC_L2, MLC_LINEAR_SVC_SQUARED_HINGE, 1},
                              {MLC_LINEAR_SVC_L2, MLC_LINEAR_SVC_SQUARED_HINGE, 0},
                              {MLC_LINEAR_SVC_L1, MLC_LINEAR_SVC_SQUARED_HINGE, 0}};
    for (size_t s = 0; s < 3; s++) {
        for (int binary = 0; binary <= 1; binary++) {
            double *y = malloc(ds.X.rows * sizeof *y);
            for (size_t i = 0; i < ds.X.rows; i++)
                y[i] = binary ? (double)(ds.y[i] > 1.0) : ds.y[i];
            mlc_linear_svc *one = NULL, *two = NULL;
            mlc_linear_svc_params p = mlc_linear_svc_params_default();
            p.penalty = solvers[s][0];
            p.loss = solvers[s][1];
            p.dual = solvers[s][2];
            p.random_state = 3;
            p.max_iter = 50;
            p.n_threads = 1;
            ck_assert_status(mlc_linear_svc_fit(&p, &ds.X, y, NULL, &one), MLC_OK);
            p.n_threads = 2;
            ck_assert_status(mlc_linear_svc_fit(&p, &ds.X, y, NULL, &two), MLC_OK);
            size_t R = mlc_linear_svc_n_rows(one), d = ds.X.cols;
            ck_assert_msg(memcmp(mlc_linear_svc_coef(one), mlc_linear_svc_coef(two),
                                 R * d * sizeof(double)) == 0 &&
                              memcmp(mlc_linear_svc_intercept(one),
                                     mlc_linear_svc_intercept(two), R * sizeof(double)) == 0,
                          "solver %zu (binary %d): 2 threads differ from 1", s, binary);
            ck_assert_int_eq(mlc_linear_svc_n_iter(one), mlc_linear_svc_n_iter(two));
            mlc_linear_svc_free(one);
            mlc_linear_svc_free(two);
            free(y);
        }
    }
    mlc_dataset_clear(&ds);
}
END_TEST

/* The same seed, the same model; another seed, another order of the rows
 * and the same optimum within tol. */
START_TEST(seeds)
{
    json_t *c = json_object_get(cases, "bc_squared_hinge");
    inputs in = case_inputs(c);
    mlc_linear_svc_params p = svc_params(c, 1);
    mlc_linear_svc *a = NULL, *b = NULL, *other = NULL;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &a), MLC_OK);
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &b), MLC_OK);
    size_t d = in.X.cols;
    ck_assert(memcmp(mlc_linear_svc_coef(a), mlc_linear_svc_coef(b), d * sizeof(double)) == 0);
    p.random_state = 11;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &other), MLC_OK);
    ck_assert(memcmp(mlc_linear_svc_coef(a), mlc_linear_svc_coef(other), d * sizeof(double)) != 0);
    expect_close(mlc_linear_svc_coef(other), mlc_linear_svc_coef(a), d, 1e-6, "seeds", "coef_");
    mlc_linear_svc_free(a);
    mlc_linear_svc_free(b);
    mlc_linear_svc_free(other);
    inputs_clear(&in);
}
END_TEST

/* Every form of the inner product and of a dual epoch gives the
 * reference's bits. */
START_TEST(kernel_forms_match_reference)
{
    double x[67], w[67];
    uint64_t z = 99;
    for (size_t j = 0; j < 67; j++) {
        z = z * 6364136223846793005ULL + 1442695040888963407ULL;
        x[j] = (double)(z >> 11) / 9007199254740992.0 - 0.5;
        w[j] = sin((double)j) * 3.0;
    }
    for (size_t p = 0; p <= 67; p++) {
        double ref = lsvm_dot_form(MLC_SIMD_SCALAR)(x, w, p);
        for (int level = MLC_SIMD_256; level <= mlc_cpu_level(); level++) {
            double v = lsvm_dot_form(level)(x, w, p);
            ck_assert_msg(memcmp(&v, &ref, sizeof v) == 0, "dot form %d, p = %zu", level, p);
        }
    }
    /* epochs on iris from one state, both losses, the same order */
    json_t *c = json_object_get(cases, "iris_ovr");
    inputs in = case_inputs(c);
    size_t n = in.X.rows, d = in.X.cols;
    double *sqn = malloc(n * sizeof *sqn);
    for (size_t i = 0; i < n; i++)
        sqn[i] = dotp(mlc_matrix_row(&in.X, i), mlc_matrix_row(&in.X, i), d) + 1.0;
    lsvm_data data = {in.X.data, n, d, in.X.stride, 1.0, sqn, 1};
    for (int squared = 0; squared <= 1; squared++) {
        lsvm_dual_row *rows[3];
        double *ws[3];
        size_t *idx[3];
        for (int f = 0; f < 3; f++) {
            rows[f] = malloc(n * sizeof *rows[f]);
            ws[f] = calloc(d + 1, sizeof *ws[f]);
            idx[f] = malloc(n * sizeof *idx[f]);
            for (size_t i = 0; i < n; i++) {
                double bound = squared ? 0.5 : 1.0;
                rows[f][i] = (lsvm_dual_row){0.0, 1.0 / (sqn[i] + (squared ? bound : 0.0)),
                                             in.y[i] == 1.0 ? 1.0 : -1.0, bound};
                idx[f][i] = (i * 37) % n;
            }
        }
        for (int f = 0; f < 3 && f <= mlc_cpu_level(); f++) {
            lsvm_dual_state s = {.d = &data, .squared = squared, .row = rows[f], .w = ws[f],
                                 .index = idx[f], .active = n, .pg_max_old = INFINITY,
                                 .pg_min_old = -INFINITY};
            for (int e = 0; e < 5; e++)
                lsvm_dual_epoch_form(f)(&s);
            if (f == 0)
                continue;
            ck_assert_msg(memcmp(ws[f], ws[0], (d + 1) * sizeof(double)) == 0 &&
                              memcmp(rows[f], rows[0], n * sizeof *rows[f]) == 0,
                          "epoch form %d (squared %d) differs from the reference", f, squared);
        }
        for (int f = 0; f < 3; f++) {
            free(rows[f]);
            free(ws[f]);
            free(idx[f]);
        }
    }
    free(sqn);
    inputs_clear(&in);
}
END_TEST

static void set_params(mlc_estimator *e, json_t *c)
{
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(c, "params"), key, v) {
        char text[64];
        if (json_is_string(v))
            snprintf(text, sizeof text, "%s", json_string_value(v));
        else if (json_is_boolean(v))
            snprintf(text, sizeof text, "%s", json_is_true(v) ? "true" : "false");
        else if (json_is_number(v))
            snprintf(text, sizeof text, "%.17g", json_number_value(v));
        else if (json_is_object(v)) { /* class_weight {label: weight}: LABEL:WEIGHT,... */
            const char *label;
            json_t *w;
            size_t len = 0;
            json_object_foreach(v, label, w) {
                len += (size_t)snprintf(text + len, sizeof text - len, "%s%g:%.17g",
                                        len ? "," : "", strtod(label, NULL),
                                        json_number_value(w));
            }
        } else
            continue;
        ck_assert_msg(mlc_estimator_set(e, key, text) == MLC_OK, "%s=%s: %s", key, text,
                      mlc_last_error_message());
    }
}

/* Through the registry, saved and loaded: the same outputs, bit for bit. */
START_TEST(model_files_round_trip)
{
    const char *names[] = {"iris_ovr", "bc_l1", "iris_crammer_singer", "bc_crammer_singer",
                           "iris_no_intercept", "wine_balanced", "svr_squared_primal",
                           "svr_epsilon"};
    char dir[] = "/tmp/mlc_linear_svm_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/m.json", dir);
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        json_t *c = json_object_get(cases, names[k]);
        inputs in = case_inputs(c);
        mlc_estimator *e = NULL, *back = NULL;
        ck_assert_status(mlc_estimator_new(json_string_value(json_object_get(c, "estimator")), &e),
                         MLC_OK);
        set_params(e, c);
        ck_assert_status(mlc_estimator_set_threads(e, 1), MLC_OK);
        ck_assert_status(mlc_estimator_fit(e, &in.X, in.y), MLC_OK);
        ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
        ck_assert_status(mlc_estimator_load(path, &back), MLC_OK);
        int clf = mlc_estimator_task(e) == MLC_TASK_CLASSIFIER;
        mlc_output kind = clf ? MLC_OUT_DECISION : MLC_OUT_PREDICT;
        size_t cols = mlc_estimator_output_cols(e, kind), n = in.X.rows;
        ck_assert_uint_eq(cols, mlc_estimator_output_cols(back, kind));
        mlc_matrix a, b;
        ck_assert_int_eq(mlc_matrix_alloc(&a, n, cols), MLC_OK);
        ck_assert_int_eq(mlc_matrix_alloc(&b, n, cols), MLC_OK);
        ck_assert_status(mlc_estimator_output(e, kind, &in.X, &a), MLC_OK);
        ck_assert_status(mlc_estimator_output(back, kind, &in.X, &b), MLC_OK);
        ck_assert_msg(memcmp(a.data, b.data, n * cols * sizeof(double)) == 0,
                      "%s: the loaded model decides otherwise", names[k]);
        expect_key(a.data, n * cols, c, clf ? "decision" : "predict", 1e-4, names[k]);
        mlc_attribute at;
        ck_assert_status(mlc_estimator_attribute(back, "converged", &at), MLC_OK);
        ck_assert_double_eq(mlc_attribute_value(&at, 0), 1.0);
        mlc_matrix_clear(&a);
        mlc_matrix_clear(&b);
        mlc_estimator_free(e);
        mlc_estimator_free(back);
        inputs_clear(&in);
    }
    unlink(path);
    rmdir(dir);
}
END_TEST

/* class_weight given as text to the registry: the typed fit's model. */
START_TEST(registry_class_weight)
{
    json_t *c = json_object_get(cases, "iris_odd_labels_weighted");
    inputs in = case_inputs(c);
    mlc_linear_svc_params p = svc_params(c, 1);
    mlc_linear_svc *m = NULL;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &m), MLC_OK);
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("linear_svc", &e), MLC_OK);
    set_params(e, c);
    char text[64];
    ck_assert_status(mlc_estimator_get(e, "class_weight", text, sizeof text), MLC_OK);
    ck_assert_str_eq(text, "5:3");
    ck_assert_status(mlc_estimator_set_threads(e, 1), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &in.X, in.y), MLC_OK);
    mlc_attribute a;
    ck_assert_status(mlc_estimator_attribute(e, "coef_", &a), MLC_OK);
    for (size_t k = 0; k < 3 * in.X.cols; k++)
        ck_assert_double_eq(mlc_attribute_value(&a, k), mlc_linear_svc_coef(m)[k]);
    ck_assert_status(mlc_estimator_set(e, "class_weight", "4:2"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &in.X, in.y), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "not in y"));
    mlc_estimator_free(e);
    mlc_linear_svc_free(m);
    inputs_clear(&in);
}
END_TEST

/* Replace `from` by `to` in the file at path (once). */
static void edit_file(const char *path, const char *from, const char *to)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    char *text = calloc(1, 1 << 20);
    size_t len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "no '%s' in the model file", from);
    f = fopen(path, "wb");
    fwrite(text, 1, (size_t)(at - text), f);
    fputs(to, f);
    fputs(at + strlen(from), f);
    fclose(f);
    (void)len;
    free(text);
}

/* A model file whose attributes do not make a model: MLC_EFORMAT. */
START_TEST(bad_model_files)
{
    const char *edits[][2] = {{"\"classes_\": [0.0, 1.0, 2.0]", "\"classes_\": [0.0, 2.0, 1.0]"},
                              {"\"converged\": 1", "\"converged\": 2"},
                              {"\"n_iter_\": ", "\"n_iter_\": -"},
                              {"\"classes_\": [0.0, 1.0, 2.0]", "\"classes_\": [0.0]"}};
    char dir[] = "/tmp/mlc_linear_svm_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/m.json", dir);
    json_t *c = json_object_get(cases, "iris_ovr");
    inputs in = case_inputs(c);
    for (size_t k = 0; k < sizeof edits / sizeof edits[0]; k++) {
        mlc_estimator *e = NULL, *back = NULL;
        ck_assert_status(mlc_estimator_new("linear_svc", &e), MLC_OK);
        ck_assert_status(mlc_estimator_set(e, "random_state", "0"), MLC_OK);
        ck_assert_status(mlc_estimator_fit(e, &in.X, in.y), MLC_OK);
        ck_assert_status(mlc_estimator_save(e, path), MLC_OK);
        edit_file(path, edits[k][0], edits[k][1]);
        ck_assert_status(mlc_estimator_load(path, &back), MLC_EFORMAT);
        ck_assert_ptr_null(back);
        mlc_estimator_free(e);
    }
    inputs_clear(&in);
    unlink(path);
    rmdir(dir);
}
END_TEST

/* ----------------------------------------------------------- errors */

START_TEST(bad_input)
{
    json_t *c = json_object_get(cases, "iris_ovr");
    inputs in = case_inputs(c);
    size_t n = in.X.rows;
    mlc_linear_svc *m = NULL;
    mlc_linear_svc_params p = mlc_linear_svc_params_default(), q;
    p.random_state = 0;
    /* the combinations scikit-learn refuses, with its words */
    q = p;
    q.penalty = MLC_LINEAR_SVC_L1;
    q.loss = MLC_LINEAR_SVC_HINGE;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "penalty='l1' and loss='hinge' is not"));
    q.dual = 0;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    q = p;
    q.loss = MLC_LINEAR_SVC_HINGE;
    q.dual = 0;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "when dual=False"));
    q = p;
    q.penalty = MLC_LINEAR_SVC_L1;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "when dual=True"));
    /* Crammer-Singer takes any penalty and loss, as scikit-learn's */
    q.multi_class = MLC_LINEAR_SVC_CRAMMER_SINGER;
    q.loss = MLC_LINEAR_SVC_HINGE;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_OK);
    mlc_linear_svc_free(m);
    m = NULL;
    /* ranges */
    const struct {
        int field;
        double value;
    } bad[] = {{0, 0.0},  {0, -1.0}, {0, NAN},  {1, 0.0},  {1, -1e-3}, {2, 0.0}, {2, -1.0},
               {3, -1.0}, {4, -1.0}, {5, 2.0},  {6, -1.0}, {7, 2.0},   {8, 5.0}};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        q = p;
        switch (bad[k].field) {
        case 0: q.C = bad[k].value; break;
        case 1: q.tol = bad[k].value; break;
        case 2: q.intercept_scaling = bad[k].value; break;
        case 3: q.max_iter = (int64_t)bad[k].value; break;
        case 4: q.n_threads = (int)bad[k].value; break;
        case 5: q.penalty = (int)bad[k].value; break;
        case 6: q.loss = (int)bad[k].value; break;
        case 7: q.multi_class = (int)bad[k].value; break;
        default: q.class_weight.mode = (int)bad[k].value; break;
        }
        ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
        ck_assert_ptr_null(m);
    }
    /* labels: one class, not integers */
    double *one = malloc(n * sizeof *one), *frac = malloc(n * sizeof *frac);
    for (size_t i = 0; i < n; i++) {
        one[i] = 4.0;
        frac[i] = in.y[i] + 0.5;
    }
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, one, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "only one class: 4"));
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, frac, NULL, &m), MLC_EINVAL);
    /* class weights: an absent class, a weight <= 0, too many named */
    q = p;
    q.class_weight = (mlc_class_weight){.mode = MLC_CLASS_WEIGHT_GIVEN, .n = 1};
    q.class_weight.label[0] = 7.0;
    q.class_weight.weight[0] = 2.0;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "not in y"));
    q.class_weight.label[0] = 1.0;
    q.class_weight.weight[0] = 0.0;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    q.class_weight.n = MLC_CLASS_WEIGHT_MAX + 1;
    ck_assert_status(mlc_linear_svc_fit(&q, &in.X, in.y, NULL, &m), MLC_EINVAL);
    /* data: NaN, negative weights; NULLs */
    double *sw = malloc(n * sizeof *sw);
    for (size_t i = 0; i < n; i++)
        sw[i] = i == 3 ? -1.0 : 1.0;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, sw, &m), MLC_EINVAL);
    double keep = in.X.data[7];
    in.X.data[7] = NAN;
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &m), MLC_ENONFINITE);
    in.X.data[7] = keep;
    ck_assert_status(mlc_linear_svc_fit(NULL, &in.X, in.y, NULL, &m), MLC_EINVAL);
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, NULL), MLC_EINVAL);
    ck_assert_ptr_null(m);
    /* outputs: the wrong columns, the wrong output shape */
    ck_assert_status(mlc_linear_svc_fit(&p, &in.X, in.y, NULL, &m), MLC_OK);
    mlc_matrix narrow = mlc_matrix_wrap(in.X.data, n, in.X.cols - 1, in.X.cols);
    ck_assert_status(mlc_linear_svc_predict(m, &narrow, one), MLC_EBADLEN);
    double buf[2];
    mlc_matrix small = mlc_matrix_wrap(buf, 1, 2, 0);
    ck_assert_status(mlc_linear_svc_decision_function(m, &in.X, &small), MLC_EBADLEN);
    ck_assert_status(mlc_linear_svc_predict(m, &in.X, NULL), MLC_EINVAL);
    in.X.data[7] = INFINITY;
    ck_assert_status(mlc_linear_svc_predict(m, &in.X, one), MLC_ENONFINITE);
    in.X.data[7] = keep;
    mlc_linear_svc_free(m);
    /* LinearSVR */
    mlc_linear_svr *r = NULL;
    mlc_linear_svr_params rp = mlc_linear_svr_params_default(), rq;
    rq = rp;
    rq.dual = 0;
    ck_assert_status(mlc_linear_svr_fit(&rq, &in.X, in.y, NULL, &r), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "loss='epsilon_insensitive' are not"));
    rq = rp;
    rq.epsilon = -0.1;
    ck_assert_status(mlc_linear_svr_fit(&rq, &in.X, in.y, NULL, &r), MLC_EINVAL);
    rq = rp;
    rq.loss = 2;
    ck_assert_status(mlc_linear_svr_fit(&rq, &in.X, in.y, NULL, &r), MLC_EINVAL);
    rq = rp;
    rq.C = -1.0;
    ck_assert_status(mlc_linear_svr_fit(&rq, &in.X, in.y, NULL, &r), MLC_EINVAL);
    frac[2] = NAN;
    ck_assert_status(mlc_linear_svr_fit(&rp, &in.X, frac, NULL, &r), MLC_ENONFINITE);
    ck_assert_status(mlc_linear_svr_fit(NULL, &in.X, in.y, NULL, &r), MLC_EINVAL);
    ck_assert_status(mlc_linear_svr_fit(&rp, &in.X, in.y, NULL, NULL), MLC_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_status(mlc_linear_svr_fit(&rp, &in.X, in.y, NULL, &r), MLC_OK);
    ck_assert_status(mlc_linear_svr_predict(r, &narrow, one), MLC_EBADLEN);
    ck_assert_status(mlc_linear_svr_predict(r, &in.X, NULL), MLC_EINVAL);
    mlc_linear_svr_free(r);
    /* the registry: a keyword it does not know is a usage error */
    mlc_estimator *e = NULL;
    ck_assert_status(mlc_estimator_new("linear_svc", &e), MLC_OK);
    ck_assert_int_ne(mlc_estimator_set(e, "penalty", "l3"), MLC_OK);
    ck_assert_int_ne(mlc_estimator_set(e, "C", "0"), MLC_OK);
    ck_assert_status(mlc_estimator_set(e, "penalty", "l1"), MLC_OK);
    ck_assert_status(mlc_estimator_fit(e, &in.X, in.y), MLC_EINVAL);
    ck_assert_ptr_nonnull(strstr(mlc_last_error_message(), "when dual=True"));
    mlc_estimator_free(e);
    ck_assert_status(mlc_estimator_new("linear_svr", &e), MLC_OK);
    mlc_matrix Y2;
    ck_assert_int_eq(mlc_matrix_alloc(&Y2, n, 2), MLC_OK);
    mlc_fit_data fd = {&in.X, &Y2, NULL};
    ck_assert_status(mlc_estimator_fit_data(e, &fd), MLC_EBADLEN);
    mlc_matrix_clear(&Y2);
    mlc_estimator_free(e);
    free(one);
    free(frac);
    free(sw);
    inputs_clear(&in);
}
END_TEST

/* ------------------------------------------------------------- edges */

/* n_iter_ and converged: unscaled iris reaches max_iter with the defaults
 * (as scikit-learn's does); max_iter = 0 gives w = 0. */
START_TEST(iteration_limits)
{
    mlc_dataset iris;
    ck_assert_status(mlc_load_iris(&iris), MLC_OK);
    mlc_linear_svc_params p = mlc_linear_svc_params_default();
    p.random_state = 0;
    mlc_linear_svc *m = NULL;
    for (int cs = 0; cs <= 1; cs++) {
        p.multi_class = cs ? MLC_LINEAR_SVC_CRAMMER_SINGER : MLC_LINEAR_SVC_OVR;
        ck_assert_status(mlc_linear_svc_fit(&p, &iris.X, iris.y, NULL, &m), MLC_OK);
        ck_assert_int_eq(mlc_linear_svc_n_iter(m), 1000);
        ck_assert_int_eq(mlc_linear_svc_converged(m), 0);
        mlc_linear_svc_free(m);
    }
    p.multi_class = MLC_LINEAR_SVC_OVR;
    p.max_iter = 0;
    for (int primal = 0; primal <= 1; primal++) {
        p.dual = !primal;
        ck_assert_status(mlc_linear_svc_fit(&p, &iris.X, iris.y, NULL, &m), MLC_OK);
        ck_assert_int_eq(mlc_linear_svc_n_iter(m), 0);
        ck_assert_int_eq(mlc_linear_svc_converged(m), 0);
        for (size_t k = 0; k < 3 * 4; k++)
            ck_assert_double_eq(mlc_linear_svc_coef(m)[k], 0.0);
        mlc_linear_svc_free(m);
    }
    mlc_dataset_clear(&iris);
}
END_TEST

/* Tiny and degenerate data: one row per class, one feature, a constant
 * column, duplicate rows, a zero row without intercept (hinge: no
 * diagonal), a class all of whose rows weigh 0. */
START_TEST(edges)
{
    double x2[2] = {-1.0, 1.0}, y2[2] = {0.0, 1.0};
    mlc_matrix X2 = mlc_matrix_wrap(x2, 2, 1, 0);
    mlc_linear_svc_params p = mlc_linear_svc_params_default();
    p.random_state = 0;
    p.tol = 1e-10;
    mlc_linear_svc *m = NULL;
    ck_assert_status(mlc_linear_svc_fit(&p, &X2, y2, NULL, &m), MLC_OK);
    double pred[8];
    ck_assert_status(mlc_linear_svc_predict(m, &X2, pred), MLC_OK);
    ck_assert_double_eq(pred[0], 0.0);
    ck_assert_double_eq(pred[1], 1.0);
    ck_assert(mlc_linear_svc_coef(m)[0] > 0.0);
    mlc_linear_svc_free(m);
    /* a zero column, duplicates, a zero row; hinge, no intercept, weights */
    double x[6 * 3] = {0, 2, 1, 0, 2, 1, 0, 2, -1, 0, 2, -1, 0, 0, 0, 0, 2, -3};
    double y[6] = {1, 1, 2, 2, 1, 2}, sw[6] = {1, 1, 1, 1, 0, 1};
    mlc_matrix X = mlc_matrix_wrap(x, 6, 3, 0);
    for (int variant = 0; variant < 4; variant++) {
        mlc_linear_svc_params q = p;
        q.loss = variant & 1 ? MLC_LINEAR_SVC_HINGE : MLC_LINEAR_SVC_SQUARED_HINGE;
        q.fit_intercept = !(variant & 2);
        ck_assert_status(mlc_linear_svc_fit(&q, &X, y, variant == 3 ? sw : NULL, &m), MLC_OK);
        const double *w = mlc_linear_svc_coef(m);
        ck_assert_msg(isfinite(w[0]) && isfinite(w[1]) && isfinite(w[2]) &&
                          isfinite(mlc_linear_svc_intercept(m)[0]),
                      "variant %d: not finite", variant);
        ck_assert_double_eq(w[0], 0.0); /* a zero column gets no weight */
        ck_assert_status(mlc_linear_svc_predict(m, &X, pred), MLC_OK);
        ck_assert_double_eq(pred[0], 1.0);
        ck_assert_double_eq(pred[2], 2.0);
        mlc_linear_svc_free(m);
    }
    /* every row of class 2 weighs 0: the fit still knows the class */
    double sw0[6] = {1, 1, 0, 0, 1, 0};
    ck_assert_status(mlc_linear_svc_fit(&p, &X, y, sw0, &m), MLC_OK);
    ck_assert_uint_eq(mlc_linear_svc_n_classes(m), 2);
    mlc_linear_svc_free(m);
    /* LinearSVR on two rows, one feature */
    mlc_linear_svr_params rp = mlc_linear_svr_params_default();
    rp.random_state = 0;
    rp.loss = MLC_LINEAR_SVR_SQUARED_EPSILON_INSENSITIVE;
    mlc_linear_svr *r = NULL;
    for (int primal = 0; primal <= 1; primal++) {
        rp.dual = !primal;
        ck_assert_status(mlc_linear_svr_fit(&rp, &X2, y2, NULL, &r), MLC_OK);
        ck_assert(mlc_linear_svr_coef(r)[0] > 0.0);
        ck_assert(mlc_linear_svr_converged(r));
        mlc_linear_svr_free(r);
    }
}
END_TEST

Suite *MLC_SUITE_FN(void)
{
    Suite *s = suite_create("linear_svm");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, setup, teardown);
    tcase_set_timeout(core, 600);
    tcase_add_test(core, cases_match_scikit_learn);
    tcase_add_test(core, threads_give_the_same_bits);
    tcase_add_test(core, seeds);
    tcase_add_test(core, kernel_forms_match_reference);
    tcase_add_test(core, model_files_round_trip);
    tcase_add_test(core, registry_class_weight);
    suite_add_tcase(s, core);
    TCase *errors = tcase_create("errors");
    tcase_add_checked_fixture(errors, setup, teardown);
    tcase_add_test(errors, bad_input);
    tcase_add_test(errors, bad_model_files);
    suite_add_tcase(s, errors);
    TCase *edge = tcase_create("edge");
    tcase_add_test(edge, iteration_limits);
    tcase_add_test(edge, edges);
    suite_add_tcase(s, edge);
    return s;
}
