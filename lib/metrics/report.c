/* classification_report: per-label precision/recall/F1/support plus the
 * micro (or accuracy), macro and weighted averages, and scikit-learn's text
 * layout. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "prf.h"
#include "metrics_util.h"
#include "mlcore/metrics.h"

void mlc_class_report_clear(mlc_class_report *r)
{
    if (!r)
        return;
    free(r->labels);
    free(r->rows);
    memset(r, 0, sizeof *r);
}

/* Are the given labels the same set as the present ones? */
static int same_set(const double *a, size_t na, const double *sorted_b, size_t nb)
{
    double *sa;
    size_t ka;
    if (mlc_class_union(a, na, NULL, 0, &sa, &ka)) {
        mlc_clear_error();
        return 0;
    }
    int same = ka == nb && memcmp(sa, sorted_b, nb * sizeof *sa) == 0;
    free(sa);
    return same;
}

int mlc_classification_report(const double *y_true, const double *y_pred, size_t n,
                              const double *labels, size_t n_labels, const double *sw,
                              mlc_zero_division zero_division, mlc_class_report *out)
{
    if (!out)
        return mlc_raise(MLC_EINVAL, "the report output must not be NULL");
    memset(out, 0, sizeof *out);
    if (!y_true || !y_pred)
        return mlc_raise(MLC_EINVAL, "y_true and y_pred must not be NULL");
    if (n == 0)
        return mlc_raise(MLC_EEMPTY, "empty input: y_true and y_pred have no samples");
    if (labels && n_labels == 0)
        return mlc_raise(MLC_EINVAL, "labels is given but n_labels is 0");
    int st = mlc_check_class_labels(y_true, n, "y_true");
    if (!st)
        st = mlc_check_class_labels(y_pred, n, "y_pred");
    if (!st && labels)
        st = mlc_check_class_labels(labels, n_labels, "labels");
    if (st)
        return st;
    double *present;
    size_t n_present;
    if ((st = mlc_class_union(y_true, n, y_pred, n, &present, &n_present)))
        return st;
    size_t k = labels ? n_labels : n_present;
    out->labels = malloc(k * sizeof *out->labels);
    out->rows = malloc(k * sizeof *out->rows);
    double *buf = malloc(4 * k * sizeof *buf);
    if (!out->labels || !out->rows || !buf) {
        free(present);
        free(buf);
        mlc_class_report_clear(out);
        return mlc_raise_nomem("classification report");
    }
    memcpy(out->labels, labels ? labels : present, k * sizeof *out->labels);
    out->n_labels = k;
    out->weighted = sw != NULL;
    out->micro_is_accuracy = !labels || same_set(labels, n_labels, present, n_present);
    free(present);

    mlc_prf_options o = mlc_prf_options_default();
    o.labels = out->labels;
    o.n_labels = k;
    o.sample_weight = sw;
    o.zero_division = zero_division;
    o.average = MLC_AVERAGE_NONE;
    st = mlc_prf_compute(y_true, y_pred, n, &o, buf, buf + k, buf + 2 * k, buf + 3 * k, NULL);
    const mlc_average avgs[3] = {MLC_AVERAGE_MICRO, MLC_AVERAGE_MACRO, MLC_AVERAGE_WEIGHTED};
    mlc_report_row *rows[3] = {&out->micro_avg, &out->macro_avg, &out->weighted_avg};
    double total_support = 0.0;
    if (!st) {
        for (size_t j = 0; j < k; j++) {
            mlc_report_row r = {buf[j], buf[k + j], buf[2 * k + j], buf[3 * k + j]};
            out->rows[j] = r;
        }
        total_support = mlc_sum_pairwise(buf + 3 * k, k);
    }
    for (int a = 0; a < 3 && !st; a++) {
        o.average = avgs[a];
        mlc_report_row *r = rows[a];
        st = mlc_prf_compute(y_true, y_pred, n, &o, &r->precision, &r->recall, &r->f1, NULL,
                             NULL);
        r->support = total_support;
    }
    free(buf);
    if (st) {
        mlc_class_report_clear(out);
        return st;
    }
    out->accuracy = out->micro_avg.precision;
    return MLC_OK;
}

/* ------------------------------------------------------------- text layout */

typedef struct text_out {
    char *buf;
    size_t len, used;
    int overflow;
} text_out;

static void emit(text_out *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(text_out *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = t->used < t->len ? t->len - t->used : 0;
    int w = vsnprintf(room ? t->buf + t->used : NULL, room, fmt, ap);
    va_end(ap);
    if (w < 0 || (size_t)w >= room)
        t->overflow = 1;
    t->used += w > 0 ? (size_t)w : 0;
}

/* Python's str() of an int, or of a float (the shortest digits that
 * round-trip; positional for exponents in [-4, 16), as repr does). */
static void format_number(double v, int as_float, char *buf, size_t len)
{
    if (!as_float && v == floor(v) && fabs(v) < 1e17) {
        snprintf(buf, len, "%.0f", v);
        return;
    }
    if (!isfinite(v)) {
        snprintf(buf, len, "%s", isnan(v) ? "nan" : v > 0 ? "inf" : "-inf");
        return;
    }
    int prec = 1;
    for (; prec < 17; prec++) {
        snprintf(buf, len, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    snprintf(buf, len, "%.*e", prec - 1, v);
    int exponent = atoi(strchr(buf, 'e') + 1);
    if (exponent < -4 || exponent >= 16)
        return;
    int decimals = prec - 1 - exponent;
    snprintf(buf, len, "%.*f", decimals > 0 ? decimals : 0, v);
    if (decimals <= 0)
        strncat(buf, ".0", len - strlen(buf) - 1);
}

static void label_name(const mlc_class_report *r, const char *const *names, size_t i,
                       char *buf, size_t len)
{
    if (names && names[i])
        snprintf(buf, len, "%s", names[i]);
    else
        format_number(r->labels[i], 1, buf, len); /* str() of a float label */
}

int mlc_classification_report_format(const mlc_class_report *r,
                                     const char *const *target_names, int digits, char *buf,
                                     size_t len)
{
    if (!r || !buf || len == 0)
        return mlc_raise(MLC_EINVAL, "report and buffer must not be NULL");
    if (!r->rows || r->n_labels == 0)
        return mlc_raise(MLC_EINVAL, "the report is empty (not computed)");
    if (digits < 0 || digits > 17)
        return mlc_raise(MLC_EINVAL, "digits must be in [0, 17], got %d", digits);
    char name[128], num[64];
    int width = (int)strlen("weighted avg");
    if (digits > width)
        width = digits;
    for (size_t i = 0; i < r->n_labels; i++) {
        label_name(r, target_names, i, name, sizeof name);
        if ((int)strlen(name) > width)
            width = (int)strlen(name);
    }
    text_out t = {buf, len, 0, 0};
    emit(&t, "%*s  %9s %9s %9s %9s\n\n", width, "", "precision", "recall", "f1-score",
         "support");
    for (size_t i = 0; i < r->n_labels; i++) {
        label_name(r, target_names, i, name, sizeof name);
        format_number(r->rows[i].support, r->weighted, num, sizeof num);
        emit(&t, "%*s  %9.*f %9.*f %9.*f %9s\n", width, name, digits, r->rows[i].precision,
             digits, r->rows[i].recall, digits, r->rows[i].f1, num);
    }
    emit(&t, "\n");
    const mlc_report_row *avg[3] = {&r->micro_avg, &r->macro_avg, &r->weighted_avg};
    const char *heading[3] = {"micro avg", "macro avg", "weighted avg"};
    for (int a = 0; a < 3; a++) {
        format_number(avg[a]->support, r->weighted, num, sizeof num);
        if (a == 0 && r->micro_is_accuracy)
            emit(&t, "%*s  %9s %9s %9.*f %9s\n", width, "accuracy", "", "", digits, avg[a]->f1,
                 num);
        else
            emit(&t, "%*s  %9.*f %9.*f %9.*f %9s\n", width, heading[a], digits,
                 avg[a]->precision, digits, avg[a]->recall, digits, avg[a]->f1, num);
    }
    if (t.overflow)
        return mlc_raise(MLC_ERANGE, "the report needs %zu bytes but the buffer has %zu",
                         t.used + 1, len);
    return MLC_OK;
}
