/* mlcore help COMMAND and mlcore COMMAND --help: each command's usage. */
#include <string.h>
#include "cli.h"

static const struct {
    const char *command;
    const char *text;
} HELP[] = {
    {"fit",
     "usage: mlcore fit ESTIMATOR --data FILE [--target COL] [--PARAM VALUE ...]\n"
     "                  [--model OUT.json] [--labels OUT.csv] [--linkage-out Z.csv]\n"
     "                  [--scoring NAME ...] [--threads N] [--json] [--quiet]\n"
     "\n"
     "Fits ESTIMATOR (see: mlcore estimators) on --data and prints a summary of the fit on\n"
     "stderr: its time, scalar attributes (n_iter_, converged, inertia_ ...), the training\n"
     "score and each --scoring scorer's training score; warnings where scikit-learn warns\n"
     "(no convergence within max_iter, fewer distinct points than clusters, alpha = 0 with\n"
     "coordinate descent). --model saves the fitted model (JSON; '-' is standard output),\n"
     "--labels a clusterer's or outlier detector's labels of the training rows,\n"
     "--linkage-out agglomerative clustering's merge tree as scipy's linkage matrix.\n"
     "--json prints one object on stdout (its \"warnings\" too).\n"
     "mlcore fit ESTIMATOR --help lists ESTIMATOR's parameters.\n"},
    {"predict",
     "usage: mlcore predict --model MODEL.json --data FILE [--out OUT.csv]\n"
     "                      [--proba | --decision | --score-samples] [--json] [--quiet]\n"
     "\n"
     "Applies a saved model to --data: predictions, or predict_proba (--proba),\n"
     "decision_function (--decision), score_samples (--score-samples), as CSV to --out\n"
     "(standard output without it, or with '-'). --json prints one object on stdout (the\n"
     "values too when there is no --out).\n"},
    {"score",
     "usage: mlcore score --model MODEL.json --data FILE [--target COL]\n"
     "                    [--scoring NAME ...] [--json]\n"
     "\n"
     "Scores a saved model on --data: the estimator's own score (R^2, accuracy, ...) or\n"
     "each --scoring scorer (see: mlcore metrics).\n"},
    {"report", 
     "usage: mlcore report --model MODEL.json --data FILE [--target COL | --y Y.npy]\n"
     "                     [--digits N] [--threads N] [--json] [--quiet]\n"
     "\n"
     "Predicts --data with the model and reports, by the model's kind:\n"
     "  classifier   scikit-learn's classification_report (precision, recall, f1-score,\n"
     "               support per class; accuracy, macro and weighted averages; --digits N\n"
     "               decimals, default 2; an undefined precision or recall is 0.0), the\n"
     "               confusion matrix (rows: true, columns: predicted), ROC AUC and PR AUC\n"
     "               (average precision) when the model gives scores (two classes:\n"
     "               decision_function, else predict_proba of the greater class; more:\n"
     "               predict_proba, else a one-vs-rest decision_function, one-vs-rest macro\n"
     "               average), log loss when it has predict_proba. Needs y.\n"
     "  regressor    R^2, MSE, RMSE, MAE, MAPE (a fraction), explained variance, max\n"
     "               error, median absolute error, and the residuals y - prediction: mean,\n"
     "               std (n - 1, as pandas' describe), min, quartiles (linear), max. Needs y.\n"
     "  clusterer,   cluster sizes, silhouette, Calinski-Harabasz and Davies-Bouldin of the\n"
     "  mixture      predicted labels; inertia (k-means: minus its score on the data) or the\n"
     "               mean log-likelihood (mixtures); with y, the adjusted Rand index and the\n"
     "               normalized mutual information.\n"
     "  outlier      the counts of +1 (inliers) and -1 (outliers); with y (+1/-1), the\n"
     "               confusion matrix.\n"
     "A metric that is undefined on the data (one class only, one cluster) is reported as\n"
     "undefined (null in --json) with a note on stderr. --json prints one object: command,\n"
     "estimator, task, model, data, n_samples and the numbers (classification_report keyed\n"
     "by label as scikit-learn's output_dict=True).\n"},
    {"cv",
     "usage: mlcore cv ESTIMATOR --data FILE [--target COL] [--folds K] [--shuffle --seed S]\n"
     "                 [--splitter NAME] [--test-size F] [--fold-file FILE]\n"
     "                 [--scoring NAME ...] [--PARAM VALUE ...] [--threads N] [--json]\n"
     "\n"
     "Cross-validates ESTIMATOR as scikit-learn's cross_validate: each scorer's test score\n"
     "per fold, mean and std. A scorer that cannot score the estimator is a usage error; a\n"
     "score that is NaN on a fold is kept (null in --json) with a warning.\n"},
    {"grid",
     "usage: mlcore grid ESTIMATOR --data FILE [--target COL] --PARAM V1,V2,... [...]\n"
     "                   [--folds K] [--splitter NAME] [--scoring NAME ...]\n"
     "                   [--model BEST.json] [--threads N] [--json]\n"
     "\n"
     "Grid search over every combination of the --PARAM lists, ranked by the first\n"
     "--scoring (default: the estimator's score); --model saves the best candidate refit on\n"
     "all the data.\n"},
    {"estimators",
     "usage: mlcore estimators [ESTIMATOR]\n"
     "\n"
     "Lists the estimators, or ESTIMATOR's parameters: name, type, default, allowed values\n"
     "and meaning.\n"},
    {"datasets",
     "usage: mlcore datasets [NAME [--out FILE]]\n"
     "\n"
     "Lists the bundled data sets, or writes NAME as CSV to --out (standard output\n"
     "without it).\n"},
    {"metrics",
     "usage: mlcore metrics\n"
     "\n"
     "Lists the scorer names that --scoring takes, with what each measures.\n"},
};

int cli_command_help(const char *command)
{
    for (size_t i = 0; i < sizeof HELP / sizeof HELP[0]; i++)
        if (command && !strcmp(command, HELP[i].command)) {
            fputs(HELP[i].text, stdout);
            fputs("\ncommon options: mlcore --help\n", stdout);
            return EXIT_OK;
        }
    return cli_usage_error("no command '%s' (commands: fit, predict, score, report, cv, grid, "
                           "estimators, datasets, metrics)",
                           command ? command : "");
}
