/* Command-line parsing shared by every subcommand. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("mlcore: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputs("\n", stderr);
    va_end(ap);
    return EXIT_USAGE;
}

int cli_fail(const char *what, int status)
{
    if (status == MLC_EINTERRUPTED) {
        fprintf(stderr, "mlcore: %s: interrupted\n", what);
        return EXIT_INTERRUPTED;
    }
    /* A NaN of an unscanned .npy: said by file and cell when it is there. */
    if (status == MLC_ENONFINITE && cli_locate_nonfinite())
        return EXIT_FAIL;
    const char *msg = mlc_last_error_message()[0] ? mlc_last_error_message() : mlc_strerror(status);
    size_t w = strlen(what);
    /* The loaders already name the file ("x.csv: line 3, column 2: ..."). */
    if (strncmp(msg, what, w) == 0 && msg[w] == ':')
        fprintf(stderr, "mlcore: %s\n", msg);
    else
        fprintf(stderr, "mlcore: %s: %s\n", what, msg);
    return EXIT_FAIL;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int parse_long(const char *opt, const char *text, long lo, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end || errno || v < lo)
        return cli_usage_error("%s needs an integer >= %ld, got '%s'", opt, lo, text);
    *out = v;
    return EXIT_OK;
}

/* Options that take a value, and where it goes. */
static const char **value_slot(cli_opts *o, const char *name)
{
    static const char *sink;
    if (!strcmp(name, "data"))
        return &o->data;
    if (!strcmp(name, "target"))
        return &o->target;
    if (!strcmp(name, "y"))
        return &o->y_file;
    if (!strcmp(name, "model"))
        return &o->model;
    if (!strcmp(name, "labels"))
        return &o->labels;
    if (!strcmp(name, "out"))
        return &o->out;
    if (!strcmp(name, "linkage-out") || !strcmp(name, "linkage_out"))
        return &o->linkage_out;
    if (!strcmp(name, "fold-file") || !strcmp(name, "fold_file"))
        return &o->fold_file;
    if (!strcmp(name, "splitter"))
        return &o->splitter;
    (void)sink;
    return NULL;
}

/* The one range of a thread count: the registry's for the parameter
 * n_threads (the same for every estimator that has it). */
static long threads_max(void)
{
    for (size_t i = 0; mlc_registry_name(i); i++)
        for (size_t k = 0;; k++) {
            const mlc_param_info *info = mlc_registry_param(mlc_registry_name(i), k);
            if (!info)
                break;
            if (!strcmp(info->name, "n_threads"))
                return (long)info->max;
        }
    return 4096;
}

/* Options given so far, by canonical name ('-' as '_'; n_threads is
 * --threads): a value option given twice is a usage error, as the last one
 * silently winning hides a typo. */
typedef struct seen_options {
    char names[96][128];   /* canonical */
    char spelled[96][128]; /* as given */
    const char *values[96];
    int n;
} seen_options;

static int note_option(seen_options *seen, const char *name, const char *value)
{
    char canon[128];
    size_t len = strlen(name);
    if (len >= sizeof canon)
        return cli_usage_error("option name too long: --%s", name);
    for (size_t k = 0; k <= len; k++)
        canon[k] = name[k] == '-' ? '_' : name[k];
    if (!strcmp(canon, "n_threads"))
        strcpy(canon, "threads");
    for (int i = 0; i < seen->n; i++) {
        if (strcmp(seen->names[i], canon) != 0)
            continue;
        if (!strcmp(seen->spelled[i], name))
            return cli_usage_error("--%s is given twice ('%s', then '%s'): give it once", name,
                                   seen->values[i], value);
        return cli_usage_error("--%s and --%s are one option, given twice ('%s', then '%s'): "
                               "give it once",
                               seen->spelled[i], name, seen->values[i], value);
    }
    if (seen->n == (int)(sizeof seen->values / sizeof seen->values[0]))
        return cli_usage_error("too many options");
    strcpy(seen->names[seen->n], canon);
    strcpy(seen->spelled[seen->n], name);
    seen->values[seen->n++] = value;
    return EXIT_OK;
}

int cli_parse(int argc, char **argv, int first, cli_opts *o)
{
    static char names[64][128];
    static seen_options seen;
    seen.n = 0;
    for (int i = first; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0) {
            if (o->positional)
                return cli_usage_error("unexpected argument '%s'", a);
            o->positional = a;
            continue;
        }
        const char *name = a + 2;
        const char *inline_value = strchr(name, '=');
        char namebuf[128];
        if (inline_value) {
            size_t len = (size_t)(inline_value - name);
            if (len >= sizeof namebuf)
                return cli_usage_error("option name too long: %s", a);
            memcpy(namebuf, name, len);
            namebuf[len] = '\0';
            name = namebuf;
            inline_value++;
        }
        /* Flags. */
        int is_flag = 1;
        if (!strcmp(name, "json"))
            o->json = 1;
        else if (!strcmp(name, "quiet"))
            o->quiet = 1;
        else if (!strcmp(name, "proba"))
            o->proba = 1;
        else if (!strcmp(name, "decision"))
            o->decision = 1;
        else if (!strcmp(name, "score-samples") || !strcmp(name, "score_samples"))
            o->score_samples = 1;
        else if (!strcmp(name, "shuffle"))
            o->shuffle = 1;
        else if (!strcmp(name, "no-header") || !strcmp(name, "no_header"))
            o->no_header = 1;
        else if (!strcmp(name, "help"))
            o->help = 1;
        else if (!strcmp(name, "progress"))
            o->progress = 1;
        else if (!strcmp(name, "no-progress") || !strcmp(name, "no_progress"))
            o->progress = -1;
        else
            is_flag = 0;
        if (is_flag) {
            if (inline_value)
                return cli_usage_error("--%s takes no value", name);
            continue;
        }
        const char *value = inline_value;
        if (!value) {
            if (i + 1 >= argc)
                return cli_usage_error("--%s needs a value", name);
            value = argv[++i];
        }
        int repeatable = !strcmp(name, "scoring") || !strcmp(name, "metric");
        int st = repeatable ? EXIT_OK : note_option(&seen, name, value);
        if (st)
            return st;
        const char **slot = value_slot(o, name);
        if (slot) {
            *slot = value;
        } else if (!strcmp(name, "scoring")) {
            if (o->n_metrics == (int)(sizeof o->metrics / sizeof o->metrics[0]))
                return cli_usage_error("too many --scoring options");
            o->metrics[o->n_metrics++] = value;
        } else if (!strcmp(name, "metric")) {
            if (o->n_metric_args == (int)(sizeof o->metric_args / sizeof o->metric_args[0]))
                return cli_usage_error("too many --metric options");
            o->metric_args[o->n_metric_args++] = value;
        } else if (!strcmp(name, "folds")) {
            st = parse_long("--folds", value, 2, &o->folds);
            o->folds_set = 1;
        } else if (!strcmp(name, "seed")) {
            st = parse_long("--seed", value, 0, &o->seed);
            o->seed_set = 1;
        } else if (!strcmp(name, "test-size") || !strcmp(name, "test_size")) {
            char *end;
            o->test_size = strtod(value, &end);
            if (end == value || *end || !(o->test_size > 0))
                return cli_usage_error("--test-size needs a fraction in (0, 1) or a count, "
                                       "got '%s'", value);
        } else if (!strcmp(name, "digits")) {
            st = parse_long("--digits", value, 0, &o->digits);
        } else if (!strcmp(name, "threads") || !strcmp(name, "n_threads") ||
                   !strcmp(name, "n-threads")) {
            /* One rule for both spellings: the registry's range of n_threads. */
            long max = threads_max();
            const char *opt = !strcmp(name, "threads")     ? "--threads"
                              : !strcmp(name, "n_threads") ? "--n_threads"
                                                           : "--n-threads";
            st = parse_long(opt, value, 0, &o->threads);
            if (!st && o->threads > max)
                return cli_usage_error("--%s must be an integer in [0, %ld], got '%s'", name,
                                       max, value);
        } else {
            /* An estimator parameter: scikit-learn's name, '-' accepted for '_'. */
            if (o->n_params == 64)
                return cli_usage_error("too many parameters");
            size_t len = strlen(name);
            if (len >= sizeof names[0])
                return cli_usage_error("option name too long: --%s", name);
            for (size_t k = 0; k <= len; k++)
                names[o->n_params][k] = name[k] == '-' ? '_' : name[k];
            o->param_names[o->n_params] = names[o->n_params];
            o->param_values[o->n_params] = value;
            o->n_params++;
        }
        if (st)
            return st;
    }
    return EXIT_OK;
}

/* Does the registered estimator `name` have a parameter called `param`? */
static int has_param(const char *name, const char *param)
{
    for (size_t i = 0;; i++) {
        const mlc_param_info *info = mlc_registry_param(name, i);
        if (!info)
            return 0;
        if (!strcmp(info->name, param))
            return 1;
    }
}

int cli_route_metric(cli_opts *o, const char *estimator)
{
    if (o->n_metric_args == 0 || !estimator)
        return EXIT_OK;
    int is_param = has_param(estimator, "metric");
    int fit = !strcmp(o->command, "fit");
    if (fit && !is_param)
        return cli_usage_error("%s has no parameter 'metric'; scorers are --scoring NAME "
                               "(in score, cv and grid)",
                               estimator);
    if (is_param && !strcmp(o->command, "score"))
        return cli_usage_error("--metric is a parameter of %s, not a scorer: name scorers "
                               "with --scoring NAME",
                               estimator);
    if (is_param && o->n_metric_args > 1)
        return cli_usage_error("--metric (a parameter of %s) is given twice ('%s', then '%s'): "
                               "give it once",
                               estimator, o->metric_args[0], o->metric_args[1]);
    for (int i = 0; i < o->n_metric_args; i++) {
        if (is_param) {
            if (o->n_params == 64)
                return cli_usage_error("too many parameters");
            o->param_names[o->n_params] = "metric";
            o->param_values[o->n_params++] = o->metric_args[i];
        } else {
            if (o->n_metrics == (int)(sizeof o->metrics / sizeof o->metrics[0]))
                return cli_usage_error("too many --scoring/--metric options");
            o->metrics[o->n_metrics++] = o->metric_args[i];
        }
    }
    o->n_metric_args = 0;
    return EXIT_OK;
}

int cli_apply_params(const cli_opts *o, mlc_estimator *e)
{
    for (int i = 0; i < o->n_params; i++) {
        int st = cli_set_param(o, e, o->param_names[i], o->param_values[i]);
        if (st == MLC_ENOTFOUND || st == MLC_EINVAL)
            return cli_usage_error("%s (see: mlcore estimators %s)", mlc_last_error_message(),
                                   mlc_estimator_name(e));
        if (st)
            return cli_fail(o->param_names[i], st);
    }
    if (o->threads > 0 && mlc_estimator_set_threads(e, (int)o->threads))
        return cli_fail("--threads", MLC_EINVAL);
    return EXIT_OK;
}
