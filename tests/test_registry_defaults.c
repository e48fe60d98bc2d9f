/* Every default is stated once, in the estimator's registry table (the
 * rows' default texts, which `mlcore estimators NAME` prints). These tests
 * hold the rest to it, for every registered estimator:
 *   - the registry's estimator starts from the table's defaults;
 *   - the typed *_params_default() gives the same values;
 *   - the public headers state the same defaults in the comment that ends
 *     each params field's line (`double alpha; ` then "1.0, >= 0"). */
#include <ctype.h>
#include <dirent.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "test_util.h"

/* ------------------------------------------------- the registry's defaults */

static const mlc_param_info *row_of(const char *est, const char *param)
{
    const mlc_param_info *row;
    for (size_t i = 0; (row = mlc_registry_param(est, i)); i++)
        if (strcmp(row->name, param) == 0)
            return row;
    return NULL;
}

static void get_text(const mlc_estimator *e, const char *param, char *buf, size_t len)
{
    ck_assert_msg(mlc_estimator_get(e, param, buf, len) == MLC_OK, "%s.%s: %s",
                  mlc_estimator_name(e), param, mlc_last_error_message());
}

START_TEST(registry_starts_from_the_table)
{
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = NULL, *again = NULL;
        ck_assert_int_eq(mlc_estimator_new(name, &e), MLC_OK);
        ck_assert_int_eq(mlc_estimator_new(name, &again), MLC_OK);
        const mlc_param_info *row;
        for (size_t j = 0; (row = mlc_registry_param(name, j)); j++) {
            char now[4096], parsed[4096];
            get_text(e, row->name, now, sizeof now);
            if (row->type == MLC_PARAM_MATRIX || row->default_text[0] == '\0') {
                ck_assert_msg(now[0] == '\0', "%s.%s: no default stated, but it is '%s'", name,
                              row->name, now);
                continue;
            }
            /* The table's text, parsed as a user's value, reads back as the
             * estimator's default. */
            ck_assert_msg(mlc_estimator_set(again, row->name, row->default_text) == MLC_OK,
                          "%s.%s: default '%s' does not parse: %s", name, row->name,
                          row->default_text, mlc_last_error_message());
            get_text(again, row->name, parsed, sizeof parsed);
            ck_assert_msg(strcmp(now, parsed) == 0, "%s.%s: starts at '%s', the table says '%s'",
                          name, row->name, now, row->default_text);
        }
        mlc_estimator_free(e);
        mlc_estimator_free(again);
    }
}
END_TEST

/* Make LC_NUMERIC a locale whose decimal point is ',', built with localedef
 * into a scratch directory (setlocale, not newlocale: glibc's newlocale
 * keeps its LOCPATH list). Returns 0 where it cannot be built. */
static int set_comma_locale(const char *dir)
{
    char path[256], cmd[768];
    snprintf(path, sizeof path, "%s/comma.def", dir);
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fputs("LC_NUMERIC\ndecimal_point \",\"\nthousands_sep \"\"\ngrouping -1\nEND LC_NUMERIC\n", f);
    fclose(f);
    /* -c: the other categories are missing on purpose (localedef then exits 1) */
    snprintf(cmd, sizeof cmd, "localedef -c -i %s %s/comma >/dev/null 2>&1", path, dir);
    if (system(cmd) < 0)
        return 0;
    setenv("LOCPATH", dir, 1);
    int ok = setlocale(LC_NUMERIC, "comma") != NULL;
    unsetenv("LOCPATH");
    return ok;
}

/* The default texts are C numbers: a program that made its decimal point a
 * comma (under which strtod stops at '.') gets the same defaults. */
START_TEST(defaults_ignore_the_callers_locale)
{
    char dir[64] = "/tmp/mlc_locale_XXXXXX", cmd[128];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    mlc_lasso_params lasso_c = mlc_lasso_params_default();
    mlc_gaussian_mixture_params gmm_c = mlc_gaussian_mixture_params_default();
    if (!set_comma_locale(dir)) {
        fprintf(stderr, "defaults_ignore_the_callers_locale: no localedef; skipped\n");
        ck_assert_int_eq(system(cmd), 0);
        return;
    }
    int bites = strtod("0.5", NULL) == 0.0;
    mlc_lasso_params lasso = mlc_lasso_params_default();
    mlc_gaussian_mixture_params gmm = mlc_gaussian_mixture_params_default();
    mlc_estimator *made[64] = {0};
    size_t n = mlc_registry_count();
    ck_assert_uint_le(n, 64);
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(mlc_estimator_new(mlc_registry_name(i), &made[i]), MLC_OK);
    setlocale(LC_NUMERIC, "C");
    ck_assert_int_eq(system(cmd), 0);
    ck_assert(bites); /* the locale did stop strtod at '.' */
    ck_assert(lasso.alpha == lasso_c.alpha && lasso.tol == lasso_c.tol);
    ck_assert(gmm.tol == gmm_c.tol && gmm.reg_covar == gmm_c.reg_covar);
    for (size_t i = 0; i < n; i++) {
        const char *name = mlc_registry_name(i);
        mlc_estimator *e = NULL;
        ck_assert_int_eq(mlc_estimator_new(name, &e), MLC_OK);
        const mlc_param_info *row;
        for (size_t j = 0; (row = mlc_registry_param(name, j)); j++) {
            char want[4096], got[4096];
            get_text(e, row->name, want, sizeof want);
            get_text(made[i], row->name, got, sizeof got);
            ck_assert_msg(strcmp(want, got) == 0, "%s.%s: '%s' made under a decimal comma, '%s'",
                          name, row->name, got, want);
        }
        mlc_estimator_free(e);
        mlc_estimator_free(made[i]);
    }
}
END_TEST

/* ------------------------------------------------------ the typed defaults */

/* The estimator whose registry values a typed check reads. */
static mlc_estimator *reg;

static void open_registry(const char *name)
{
    mlc_estimator_free(reg);
    reg = NULL;
    ck_assert_int_eq(mlc_estimator_new(name, &reg), MLC_OK);
}

static void expect_real(const char *param, double typed)
{
    char buf[64];
    get_text(reg, param, buf, sizeof buf);
    ck_assert_msg(strtod(buf, NULL) == typed, "%s.%s: typed default %.17g, registry '%s'",
                  mlc_estimator_name(reg), param, typed, buf);
}

static void expect_int(const char *param, long typed)
{
    char buf[64];
    get_text(reg, param, buf, sizeof buf);
    ck_assert_msg(strtol(buf, NULL, 10) == typed && isdigit((unsigned char)buf[buf[0] == '-']),
                  "%s.%s: typed default %ld, registry '%s'", mlc_estimator_name(reg), param,
                  typed, buf);
}

static void expect_bool(const char *param, int typed)
{
    char buf[64];
    get_text(reg, param, buf, sizeof buf);
    ck_assert_msg(strcmp(buf, typed ? "true" : "false") == 0,
                  "%s.%s: typed default %d, registry '%s'", mlc_estimator_name(reg), param, typed,
                  buf);
}

/* Index of `word` in a '|'-separated list, or -1. */
static int choice_index(const char *choices, const char *word)
{
    size_t len = strlen(word);
    int idx = 0;
    for (const char *p = choices; p; idx++) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == len && strncmp(p, word, n) == 0)
            return idx;
        p = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* A keyword parameter: the typed enum value is the keyword's index. */
static void expect_choice(const char *param, int typed)
{
    char buf[64];
    get_text(reg, param, buf, sizeof buf);
    const mlc_param_info *row = row_of(mlc_estimator_name(reg), param);
    ck_assert_ptr_nonnull(row);
    ck_assert_msg(choice_index(row->choices, buf) == typed,
                  "%s.%s: typed default %d, registry '%s' (of %s)", mlc_estimator_name(reg),
                  param, typed, buf, row->choices);
}

static void check_standard_scaler(void)
{
    mlc_standard_scaler_params p = mlc_standard_scaler_params_default();
    expect_bool("with_mean", p.with_mean);
    expect_bool("with_std", p.with_std);
    expect_int("n_threads", p.n_threads);
}

static void check_min_max_scaler(void)
{
    mlc_min_max_scaler_params p = mlc_min_max_scaler_params_default();
    expect_real("feature_range_min", p.feature_range_min);
    expect_real("feature_range_max", p.feature_range_max);
    expect_bool("clip", p.clip);
    expect_int("n_threads", p.n_threads);
}

static void check_kmeans(void)
{
    mlc_kmeans_params p = mlc_kmeans_params_default();
    char buf[64];
    expect_int("n_clusters", p.n_clusters);
    expect_choice("init", p.init);
    ck_assert_ptr_null(p.init_centers);
    get_text(reg, "n_init", buf, sizeof buf);
    ck_assert_msg(p.n_init == MLC_KMEANS_N_INIT_AUTO && strcmp(buf, "auto") == 0,
                  "kmeans.n_init: typed %ld, registry '%s'", p.n_init, buf);
    expect_int("max_iter", p.max_iter);
    expect_real("tol", p.tol);
    expect_int("random_state", p.random_state);
    expect_choice("algorithm", p.algorithm);
    expect_int("n_threads", p.n_threads);
}

static void check_dbscan(void)
{
    mlc_dbscan_params p = mlc_dbscan_params_default();
    expect_real("eps", p.eps);
    expect_int("min_samples", p.min_samples);
    expect_choice("metric", (int)p.metric);
    expect_real("p", p.p);
    expect_choice("algorithm", (int)p.algorithm);
    expect_int("leaf_size", p.leaf_size);
    expect_int("n_threads", p.n_threads);
}

static void check_gaussian_mixture(void)
{
    mlc_gaussian_mixture_params p = mlc_gaussian_mixture_params_default();
    expect_int("n_components", p.n_components);
    expect_choice("covariance_type", p.covariance_type);
    expect_real("tol", p.tol);
    expect_real("reg_covar", p.reg_covar);
    expect_int("max_iter", p.max_iter);
    expect_int("n_init", p.n_init);
    expect_choice("init_params", p.init_params);
    ck_assert(!p.weights_init && !p.means_init && !p.precisions_init);
    expect_int("random_state", p.random_state);
    expect_bool("warm_start", p.warm_start);
    expect_int("n_threads", p.n_threads);
}

static void check_linear_regression(void)
{
    mlc_linear_regression_params p = mlc_linear_regression_params_default();
    expect_bool("fit_intercept", p.fit_intercept);
    expect_bool("positive", p.positive);
    expect_int("n_threads", p.n_threads);
}

static void check_ridge(void)
{
    mlc_ridge_params p = mlc_ridge_params_default();
    expect_real("alpha", p.alpha); /* the registry's one-value list */
    ck_assert(p.target_alphas == NULL && p.n_target_alphas == 0);
    expect_bool("fit_intercept", p.fit_intercept);
    expect_choice("solver", p.solver);
    expect_bool("positive", p.positive);
    expect_int("n_threads", p.n_threads);
}

static void check_ridge_cv(void)
{
    mlc_ridge_cv_params p = mlc_ridge_cv_params_default();
    /* NULL alphas: the fit takes the table's list (checked by the header
     * test against `NULL = {...}`). */
    ck_assert(p.alphas == NULL && p.alphas_len == 0);
    expect_bool("fit_intercept", p.fit_intercept);
    expect_choice("gcv_mode", p.gcv_mode);
    expect_bool("store_cv_values", p.store_cv_values);
    expect_bool("alpha_per_target", p.alpha_per_target);
    expect_int("n_threads", p.n_threads);
}

/* The coordinate-descent parameters Lasso and ElasticNet share (and, but
 * warm_start, the CV estimators). */
#define EXPECT_CD_PARAMS(p)                                                                \
    do {                                                                                   \
        expect_bool("fit_intercept", (p).fit_intercept);                                   \
        expect_choice("precompute", (p).precompute);                                       \
        expect_int("max_iter", (p).max_iter);                                              \
        expect_real("tol", (p).tol);                                                       \
        expect_bool("positive", (p).positive);                                             \
        expect_int("random_state", (p).random_state);                                      \
        expect_choice("selection", (p).selection);                                         \
        expect_int("n_threads", (p).n_threads);                                            \
    } while (0)

static void check_lasso(void)
{
    mlc_lasso_params p = mlc_lasso_params_default();
    expect_real("alpha", p.alpha);
    expect_bool("warm_start", p.warm_start);
    EXPECT_CD_PARAMS(p);
}

static void check_elastic_net(void)
{
    mlc_elastic_net_params p = mlc_elastic_net_params_default();
    expect_real("alpha", p.alpha);
    expect_real("l1_ratio", p.l1_ratio);
    expect_bool("warm_start", p.warm_start);
    EXPECT_CD_PARAMS(p);
}

static void check_lasso_cv(void)
{
    mlc_lasso_cv_params p = mlc_lasso_cv_params_default();
    expect_real("eps", p.eps);
    expect_int("n_alphas", (long)p.alpha_grid_size);
    ck_assert(p.alphas == NULL && p.alphas_len == 0 && p.folds == NULL && p.n_folds == 0);
    expect_int("cv", p.cv);
    EXPECT_CD_PARAMS(p);
}

static void check_elastic_net_cv(void)
{
    mlc_elastic_net_cv_params p = mlc_elastic_net_cv_params_default();
    /* NULL l1_ratios: the fit takes the table's list (see ridge_cv). */
    ck_assert(p.l1_ratios == NULL && p.n_l1_ratios == 0);
    expect_real("eps", p.eps);
    expect_int("n_alphas", (long)p.alpha_grid_size);
    ck_assert(p.alphas == NULL && p.alphas_len == 0 && p.folds == NULL && p.n_folds == 0);
    expect_int("cv", p.cv);
    EXPECT_CD_PARAMS(p);
}

/* gamma: "scale" / "auto" (the typed choice) or a number. */
static void expect_gamma(mlc_real_or_choice typed)
{
    char buf[64];
    get_text(reg, "gamma", buf, sizeof buf);
    const char *want = typed.choice == MLC_SVM_GAMMA_SCALE ? "scale"
                       : typed.choice == MLC_SVM_GAMMA_AUTO ? "auto"
                                                            : NULL;
    ck_assert_msg(want ? strcmp(buf, want) == 0 : strtod(buf, NULL) == typed.value,
                  "%s.gamma: typed default %d/%g, registry '%s'", mlc_estimator_name(reg),
                  typed.choice, typed.value, buf);
}

static void expect_class_weight(mlc_class_weight typed)
{
    char buf[64];
    get_text(reg, "class_weight", buf, sizeof buf);
    ck_assert_msg(typed.mode == MLC_CLASS_WEIGHT_NONE && strcmp(buf, "none") == 0,
                  "%s.class_weight: typed mode %d, registry '%s'", mlc_estimator_name(reg),
                  typed.mode, buf);
}

/* The rows every kernel machine shares. */
#define EXPECT_SVM_KERNEL(p)                                                               \
    do {                                                                                   \
        expect_choice("kernel", (p).kernel);                                               \
        expect_int("degree", (p).degree);                                                  \
        expect_gamma((p).gamma);                                                           \
        expect_real("coef0", (p).coef0);                                                   \
        expect_bool("shrinking", (p).shrinking);                                           \
        expect_real("tol", (p).tol);                                                       \
        expect_real("cache_size", (p).cache_size);                                         \
        expect_int("max_iter", (p).max_iter);                                              \
        expect_int("n_threads", (p).n_threads);                                            \
    } while (0)

#define EXPECT_SVM_CLASSIFIER(p)                                                           \
    do {                                                                                   \
        expect_bool("probability", (p).probability);                                       \
        expect_choice("decision_function_shape", (p).decision_function_shape);             \
        expect_bool("break_ties", (p).break_ties);                                         \
        expect_int("random_state", (long)(p).random_state);                                \
        expect_class_weight((p).class_weight);                                             \
    } while (0)

static void check_svc(void)
{
    mlc_svc_params p = mlc_svc_params_default();
    expect_real("C", p.C);
    EXPECT_SVM_KERNEL(p);
    EXPECT_SVM_CLASSIFIER(p);
}

static void check_nu_svc(void)
{
    mlc_nu_svc_params p = mlc_nu_svc_params_default();
    expect_real("nu", p.nu);
    EXPECT_SVM_KERNEL(p);
    EXPECT_SVM_CLASSIFIER(p);
}

static void check_svr(void)
{
    mlc_svr_params p = mlc_svr_params_default();
    expect_real("C", p.C);
    expect_real("epsilon", p.epsilon);
    EXPECT_SVM_KERNEL(p);
}

static void check_nu_svr(void)
{
    mlc_nu_svr_params p = mlc_nu_svr_params_default();
    expect_real("nu", p.nu);
    expect_real("C", p.C);
    EXPECT_SVM_KERNEL(p);
}

static void check_one_class_svm(void)
{
    mlc_one_class_svm_params p = mlc_one_class_svm_params_default();
    expect_real("nu", p.nu);
    EXPECT_SVM_KERNEL(p);
}

static void check_linear_svc(void)
{
    mlc_linear_svc_params p = mlc_linear_svc_params_default();
    expect_choice("penalty", p.penalty);
    expect_choice("loss", p.loss);
    expect_bool("dual", p.dual);
    expect_real("tol", p.tol);
    expect_real("C", p.C);
    expect_choice("multi_class", p.multi_class);
    expect_bool("fit_intercept", p.fit_intercept);
    expect_real("intercept_scaling", p.intercept_scaling);
    expect_int("random_state", (long)p.random_state);
    expect_int("max_iter", (long)p.max_iter);
    expect_int("n_threads", p.n_threads);
    expect_class_weight(p.class_weight);
}

static void check_linear_svr(void)
{
    mlc_linear_svr_params p = mlc_linear_svr_params_default();
    expect_real("epsilon", p.epsilon);
    expect_real("tol", p.tol);
    expect_real("C", p.C);
    expect_choice("loss", p.loss);
    expect_bool("fit_intercept", p.fit_intercept);
    expect_real("intercept_scaling", p.intercept_scaling);
    expect_bool("dual", p.dual);
    expect_int("random_state", (long)p.random_state);
    expect_int("max_iter", (long)p.max_iter);
    expect_int("n_threads", p.n_threads);
}

static void check_agglomerative_clustering(void)
{
    mlc_agglomerative_clustering_params p = mlc_agglomerative_clustering_params_default();
    char buf[64];
    expect_int("n_clusters", p.n_clusters);
    get_text(reg, "distance_threshold", buf, sizeof buf);
    ck_assert_msg(p.distance_threshold == MLC_AGGLOMERATIVE_DISTANCE_THRESHOLD_NONE &&
                      strcmp(buf, "none") == 0,
                  "agglomerative_clustering.distance_threshold: typed %g, registry '%s'",
                  p.distance_threshold, buf);
    expect_choice("linkage", p.linkage);
    expect_choice("metric", p.metric);
    expect_choice("compute_full_tree", p.compute_full_tree);
    expect_bool("compute_distances", p.compute_distances);
    get_text(reg, "n_neighbors", buf, sizeof buf);
    ck_assert_msg(p.n_neighbors == MLC_AGGLOMERATIVE_N_NEIGHBORS_NONE && strcmp(buf, "none") == 0,
                  "agglomerative_clustering.n_neighbors: typed %ld, registry '%s'",
                  p.n_neighbors, buf);
    expect_int("n_threads", p.n_threads);
}

#define EXPECT_KNN(p)                                                                     \
    do {                                                                                  \
        expect_int("n_neighbors", (long)(p).n_neighbors);                                 \
        expect_choice("weights", (p).weights);                                            \
        expect_choice("algorithm", (int)(p).algorithm);                                   \
        expect_int("leaf_size", (long)(p).leaf_size);                                     \
        expect_real("p", (p).p);                                                          \
        expect_choice("metric", (int)(p).metric);                                         \
        expect_int("n_threads", (p).n_threads);                                           \
    } while (0)

static void check_k_neighbors_classifier(void)
{
    mlc_k_neighbors_classifier_params p = mlc_k_neighbors_classifier_params_default();
    EXPECT_KNN(p);
}

static void check_k_neighbors_regressor(void)
{
    mlc_k_neighbors_regressor_params p = mlc_k_neighbors_regressor_params_default();
    EXPECT_KNN(p);
}

static const struct {
    const char *name;
    void (*check)(void);
} typed_checks[] = {
    {"standard_scaler", check_standard_scaler},
    {"min_max_scaler", check_min_max_scaler},
    {"kmeans", check_kmeans},
    {"agglomerative_clustering", check_agglomerative_clustering},
    {"dbscan", check_dbscan},
    {"gaussian_mixture", check_gaussian_mixture},
    {"linear_regression", check_linear_regression},
    {"ridge", check_ridge},
    {"ridge_cv", check_ridge_cv},
    {"lasso", check_lasso},
    {"lasso_cv", check_lasso_cv},
    {"elastic_net", check_elastic_net},
    {"elastic_net_cv", check_elastic_net_cv},
    {"svc", check_svc},
    {"nu_svc", check_nu_svc},
    {"svr", check_svr},
    {"nu_svr", check_nu_svr},
    {"one_class_svm", check_one_class_svm},
    {"linear_svc", check_linear_svc},
    {"linear_svr", check_linear_svr},
    {"k_neighbors_classifier", check_k_neighbors_classifier},
    {"k_neighbors_regressor", check_k_neighbors_regressor},
};

START_TEST(typed_defaults_are_the_table_defaults)
{
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *name = mlc_registry_name(i);
        size_t k = 0, n = sizeof typed_checks / sizeof typed_checks[0];
        while (k < n && strcmp(typed_checks[k].name, name) != 0)
            k++;
        ck_assert_msg(k < n, "%s has no typed-defaults check here", name);
        open_registry(name);
        typed_checks[k].check();
    }
    mlc_estimator_free(reg);
    reg = NULL;
}
END_TEST

/* ------------------------------------------------- the headers' comments */

#define MAX_CONSTS 512

/* Every `MLC_NAME = VALUE` enumerator and `#define MLC_NAME VALUE` of the
 * public headers. */
static struct {
    char name[64];
    long value;
} consts[MAX_CONSTS];
static size_t n_consts;

#define MAX_HEADERS 64

/* include/mlcore/<file> as one malloc'ed string. */
static char *read_header(const char *file)
{
    char path[512];
    snprintf(path, sizeof path, "%s/mlcore/%s", MLC_INCLUDE_DIR, file);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)len + 1);
    ck_assert_ptr_nonnull(text);
    ck_assert_int_eq(fread(text, 1, (size_t)len, f), (size_t)len);
    text[len] = '\0';
    fclose(f);
    return text;
}

/* Every public header (the .h files of include/mlcore); returns how many. */
static size_t read_headers(char **texts)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/mlcore", MLC_INCLUDE_DIR);
    DIR *d = opendir(dir);
    ck_assert_msg(d != NULL, "cannot list %s", dir);
    size_t n = 0;
    for (struct dirent *ent; (ent = readdir(d));) {
        size_t len = strlen(ent->d_name);
        if (len > 2 && strcmp(ent->d_name + len - 2, ".h") == 0 && n < MAX_HEADERS)
            texts[n++] = read_header(ent->d_name);
    }
    closedir(d);
    return n;
}

static void collect_consts(const char *text)
{
    for (const char *p = strstr(text, "MLC_"); p; p = strstr(p + 4, "MLC_")) {
        char name[64];
        long value;
        int at_word = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
        int is_define = p - text >= 8 && strncmp(p - 8, "#define ", 8) == 0;
        if (at_word && n_consts < MAX_CONSTS &&
            (is_define ? sscanf(p, "%63[A-Z0-9_] %ld", name, &value)
                       : sscanf(p, "%63[A-Z0-9_] = %ld", name, &value)) == 2) {
            snprintf(consts[n_consts].name, sizeof consts[n_consts].name, "%s", name);
            consts[n_consts++].value = value;
        }
    }
}

static int const_value(const char *name, long *value)
{
    for (size_t i = 0; i < n_consts; i++)
        if (strcmp(consts[i].name, name) == 0) {
            *value = consts[i].value;
            return 1;
        }
    return 0;
}

/* What a field's trailing comment states as its default: a number, an
 * MLC_ constant, NULL, or `NULL = {list}` (NULL standing for that list).
 * kind: 0 none, 'n' number, 'c' constant, '0' NULL, 'l' list. */
typedef struct stated {
    int kind;
    char text[128]; /* the number, constant or list ("0.1, 1, 10") */
} stated;

static stated parse_comment(const char *c)
{
    stated s = {0, ""};
    size_t n;
    if (strncmp(c, "NULL = {", 8) == 0 && (n = strcspn(c + 8, "}")) < sizeof s.text &&
        c[8 + n] == '}') {
        s.kind = 'l';
        memcpy(s.text, c + 8, n);
        s.text[n] = '\0';
    } else if (strncmp(c, "NULL", 4) == 0 && !isalnum((unsigned char)c[4])) {
        s.kind = '0';
    } else if (strncmp(c, "MLC_", 4) == 0) {
        n = strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
        s.kind = n < sizeof s.text ? 'c' : 0;
        snprintf(s.text, sizeof s.text, "%.*s", (int)n, c);
    } else if (isdigit((unsigned char)c[0]) || (c[0] == '-' && isdigit((unsigned char)c[1]))) {
        char *end;
        strtod(c, &end);
        n = (size_t)(end - c);
        if (!isalpha((unsigned char)*end) && n < sizeof s.text) {
            s.kind = 'n';
            snprintf(s.text, sizeof s.text, "%.*s", (int)n, c);
        }
    }
    return s;
}

/* Two comma-separated lists of numbers are equal. */
static int same_numbers(const char *a, const char *b)
{
    for (;;) {
        char *ea, *eb;
        double x = strtod(a, &ea), y = strtod(b, &eb);
        if (ea == a || eb == b || x != y)
            return 0;
        a = ea + strspn(ea, " ");
        b = eb + strspn(eb, " ");
        if (!*a || !*b)
            return !*a && !*b;
        if (*a != ',' || *b != ',')
            return 0;
        a++;
        b++;
    }
}

/* Whether a header field's stated default agrees with its table row. */
static int agrees(const stated *s, const mlc_param_info *row, char *why, size_t len)
{
    const char *def = row->default_text;
    long v;
    switch (row->type) {
    case MLC_PARAM_REAL:
    case MLC_PARAM_INT:
        return s->kind == 'n' && same_numbers(s->text, def);
    case MLC_PARAM_BOOL:
        return s->kind == 'n' && strcmp(s->text, strcmp(def, "true") == 0 ? "1" : "0") == 0;
    case MLC_PARAM_CLASS_WEIGHT: /* "none", stated as MLC_CLASS_WEIGHT_NONE */
        return s->kind == 'c' && const_value(s->text, &v) && v == MLC_CLASS_WEIGHT_NONE &&
               strcmp(def, "none") == 0;
    case MLC_PARAM_CHOICE:
    case MLC_PARAM_CHOICE_OR_MATRIX: /* the keyword; its array starts unset */
        if (s->kind != 'c' || !const_value(s->text, &v)) {
            snprintf(why, len, "(no enumerator %.96s)", s->text);
            return 0;
        }
        return v == choice_index(row->choices, def);
    case MLC_PARAM_INT_OR_CHOICE:
    case MLC_PARAM_REAL_OR_CHOICE:
        if (choice_index(row->choices, def) >= 0) {
            /* a keyword default: the constant named after it (_AUTO for "auto") */
            size_t lc = strlen(s->text), ld = strlen(def);
            int ok = s->kind == 'c' && lc > ld && s->text[lc - ld - 1] == '_';
            for (size_t i = 0; ok && i < ld; i++)
                ok = toupper((unsigned char)def[i]) == s->text[lc - ld + i];
            return ok;
        }
        return s->kind == 'n' && same_numbers(s->text, def);
    case MLC_PARAM_REAL_LIST:
        if (!def[0])
            return s->kind == '0';
        return (s->kind == 'n' || s->kind == 'l') && same_numbers(s->text, def);
    case MLC_PARAM_MATRIX:
        return s->kind == '0' || s->kind == 0;
    }
    return 0;
}

/* Header fields with no registry row of their own name: the row they are
 * documented by, or "" for a pointer the registry never sets (its NULL is
 * all the header may state). */
static const struct {
    const char *est, *field, *row;
} field_rows[] = {
    {"ridge", "target_alphas", ""},       /* the registry's alpha list, when longer than 1 */
    {"elastic_net_cv", "l1_ratios", "l1_ratio"},
    {"elastic_net_cv", "alpha_grid_size", "n_alphas"}, /* scikit-learn's name for the registry */
    {"lasso_cv", "alpha_grid_size", "n_alphas"},
    {"elastic_net_cv", "folds", ""},      /* the registry's test_fold */
    {"lasso_cv", "folds", ""},
};

static const char *row_name_of(const char *est, const char *field)
{
    for (size_t i = 0; i < sizeof field_rows / sizeof field_rows[0]; i++)
        if (!strcmp(field_rows[i].est, est) && !strcmp(field_rows[i].field, field))
            return field_rows[i].row;
    return field;
}

/* Check `typedef struct mlc_<est>_params { ... }` of one header text;
 * returns whether the header holds it. Table rows documented are marked. */
static int check_struct(const char *est, const char *text, int *documented)
{
    char open[128], close[128];
    snprintf(open, sizeof open, "typedef struct mlc_%s_params {", est);
    snprintf(close, sizeof close, "} mlc_%s_params;", est);
    const char *start = strstr(text, open), *end = start ? strstr(start, close) : NULL;
    if (!start || !end)
        return 0;
    for (const char *line = strchr(start, '\n') + 1; line < end; line = strchr(line, '\n') + 1) {
        /* `type name;` then a comment on the same line */
        const char *semi = strchr(line, ';'), *nl = strchr(line, '\n');
        const char *comment = strstr(line, "/*");
        if (!semi || semi > nl || !comment || comment > nl || comment < semi)
            continue;
        const char *name_end = semi, *name = semi;
        while (name > line && (isalnum((unsigned char)name[-1]) || name[-1] == '_'))
            name--;
        char field[64];
        snprintf(field, sizeof field, "%.*s", (int)(name_end - name), name);
        stated s = parse_comment(comment + 2 + strspn(comment + 2, " "));
        if (!s.kind)
            continue; /* a comment that states no default ("length of alphas") */
        const char *rname = row_name_of(est, field);
        const mlc_param_info *row = rname[0] ? row_of(est, rname) : NULL;
        if (!row) {
            ck_assert_msg(s.kind == '0' && !rname[0],
                          "mlc_%s_params.%s states a default (%s) but the registry has no "
                          "parameter %s", est, field, s.kind == '0' ? "NULL" : s.text, rname);
            continue;
        }
        char why[128] = "";
        ck_assert_msg(agrees(&s, row, why, sizeof why),
                      "mlc_%s_params.%s: the header says %s, `mlcore estimators %s` says %s=%s %s",
                      est, field, s.kind == '0' ? "NULL" : s.text, est, row->name,
                      row->default_text[0] ? row->default_text : "(none)", why);
        documented[row - mlc_registry_param(est, 0)] = 1;
    }
    return 1;
}

START_TEST(header_defaults_are_the_table_defaults)
{
    char *texts[MAX_HEADERS];
    size_t n_headers = read_headers(texts);
    n_consts = 0;
    for (size_t h = 0; h < n_headers; h++)
        collect_consts(texts[h]);
    for (size_t i = 0; i < mlc_registry_count(); i++) {
        const char *est = mlc_registry_name(i);
        size_t n_params = 0;
        ck_assert_int_eq(mlc_registry_lookup(est, NULL, NULL, &n_params), MLC_OK);
        int documented[64] = {0};
        ck_assert_uint_le(n_params, 64);
        int found = 0;
        for (size_t h = 0; h < n_headers && !found; h++)
            found = check_struct(est, texts[h], documented);
        ck_assert_msg(found, "no `typedef struct mlc_%s_params` in the public headers", est);
        /* every stated default of the table is documented in the header */
        for (size_t j = 0; j < n_params; j++) {
            const mlc_param_info *row = mlc_registry_param(est, j);
            if (row->type == MLC_PARAM_MATRIX || !row->default_text[0])
                continue;
            ck_assert_msg(documented[j], "mlc_%s_params does not state %s's default (%s)", est,
                          row->name, row->default_text);
        }
    }
    for (size_t h = 0; h < n_headers; h++)
        free(texts[h]);
}
END_TEST

Suite *MLC_SUITE_FN(void)
{
    Suite *s = suite_create("registry_defaults");
    TCase *core = tcase_create("core");
    tcase_add_test(core, registry_starts_from_the_table);
    tcase_add_test(core, defaults_ignore_the_callers_locale);
    tcase_add_test(core, typed_defaults_are_the_table_defaults);
    tcase_add_test(core, header_defaults_are_the_table_defaults);
    suite_add_tcase(s, core);
    return s;
}
