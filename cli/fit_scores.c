/* mlcore fit --scoring NAME: scores of the fitted model on its training
 * data. A clusterer is scored by its labels_ (the training rows' clusters;
 * DBSCAN has no predict), as a study scores fit_predict's labels. */
#include <stdlib.h>
#include "cli.h"
#include "mlcore/model_selection.h"

int cli_training_score(const mlc_estimator *e, const char *name, const mlc_matrix *X,
                       const double *y, double *value)
{
    mlc_attribute a;
    if (mlc_estimator_attribute(e, "labels_", &a) != MLC_OK || mlc_attribute_size(&a) != X->rows)
        return mlc_scorer_score(name, e, X, y, value);
    double *labels = malloc((X->rows ? X->rows : 1) * sizeof *labels);
    if (!labels)
        return MLC_ENOMEM;
    for (size_t i = 0; i < X->rows; i++)
        labels[i] = mlc_attribute_value(&a, i);
    int st = mlc_scorer_score_labels(name, X, y, labels, value);
    free(labels);
    return st;
}

int cli_fit_scores(const cli_opts *o, const mlc_estimator *e, const mlc_matrix *X,
                   const double *y, json_t *scores)
{
    for (int m = 0; m < o->n_metrics; m++) {
        double v;
        int st = cli_training_score(e, o->metrics[m], X, y, &v);
        if (st == MLC_ENOTFOUND)
            return cli_usage_error("%s (see: mlcore metrics)", mlc_last_error_message());
        if (st)
            return cli_fail(o->metrics[m], st);
        json_object_set_new(scores, o->metrics[m], json_real(v));
    }
    return EXIT_OK;
}
