/* mlcore: dataset experiments from the shell. Thin: it parses, calls the
 * registry, prints. */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static const char usage_text[] =
    "usage: mlcore COMMAND [options]\n"
    "\n"
    "commands:\n"
    "  fit ESTIMATOR --data FILE [--target COL] [--PARAM VALUE ...] [--model OUT.json]\n"
    "                [--labels OUT.csv] [--linkage-out Z.csv] [--scoring NAME ...] [--json]\n"
    "  predict --model MODEL.json --data FILE [--out OUT.csv] [--proba | --decision |\n"
    "          --score-samples] [--json]\n"
    "  score --model MODEL.json --data FILE [--target COL] [--scoring NAME ...] [--json]\n"
    "  report --model MODEL.json --data FILE [--target COL] [--digits N] [--json]\n"
    "                 classification report and confusion matrix, ROC/PR AUC, log loss;\n"
    "                 regression errors and residuals; clustering indices (report --help)\n"
    "  cv ESTIMATOR --data FILE [--target COL] [--folds K] [--shuffle --seed S]\n"
    "               [--splitter NAME] [--fold-file FILE] [--scoring NAME ...]\n"
    "               [--PARAM VALUE ...] [--json]\n"
    "  grid ESTIMATOR --data FILE [--target COL] --PARAM V1,V2,... [...] [--folds K]\n"
    "               [--scoring NAME] [--model BEST.json] [--json]\n"
    "  estimators [ESTIMATOR]        list estimators, or one's parameters\n"
    "  datasets [NAME [--out FILE]]  list bundled data sets, or write one as CSV\n"
    "  metrics                       list the scorer names --scoring takes\n"
    "  help COMMAND                  a command's usage (or: mlcore COMMAND --help)\n"
    "\n"
    "common options:\n"
    "  --data FILE      a CSV with a header row, an .npy (y from --y FILE.npy), or a bundled\n"
    "                   data set: iris, wine, breast_cancer, digits, diabetes\n"
    "  --target COL     the CSV column holding y (default: a column named 'target')\n"
    "  --no-header      CSV files have no header row (a first row of numbers is refused\n"
    "                   without it); the columns are x0, x1, ... (--target x3)\n"
    "  --threads N      threads, 0 to 4096 (default 0 = all cores); --n_threads is the same\n"
    "  --splitter NAME  kfold, stratified_kfold, shuffle_split, stratified_shuffle_split,\n"
    "                   leave_one_out (default: stratified_kfold for classifiers, else kfold);\n"
    "                   --test-size for the shuffle splitters; --fold-file FILE gives each\n"
    "                   row's fold id (a CSV column or .npy; -1 = always in training)\n"
    "  --json           one JSON object on stdout; the summary stays on stderr\n"
    "  --linkage-out Z.csv  fit of agglomerative_clustering: the merge tree as scipy's\n"
    "                   linkage matrix (node_a, node_b, height, size), for a dendrogram\n"
    "  --quiet          no summary or progress on stderr (fit: no training score)\n"
    "  --progress       fit, cv, grid: show progress on stderr even when it is not a\n"
    "                   terminal (a line per report); --no-progress: never\n"
    "  --PARAM VALUE    estimator parameters, scikit-learn's names (--alpha 0.5,\n"
    "                   --l1_ratio 0.3 or --l1-ratio 0.3); see mlcore estimators NAME\n"
    "  --scoring NAME   a scorer (repeatable; see mlcore metrics); in fit, of the training\n"
    "                   data (a clusterer: its labels_, e.g. silhouette of DBSCAN's fit)\n"
    "  --metric NAME    the estimator's parameter 'metric' (dbscan's distance) in fit,\n"
    "                   and in cv and grid for an estimator that has one; otherwise, in\n"
    "                   score, cv and grid, a scorer as --scoring (older scripts)\n"
    "\n"
    "exit status: 0 success, 1 failure (file, data, numerical), 2 usage error,\n"
    "             130 a fit stopped by Ctrl-C\n"
    "\n"
    "a session:\n"
    "  mlcore datasets diabetes --out diabetes.csv\n"
    "  mlcore cv ridge --data diabetes.csv --folds 5 --alpha 0.1\n"
    "  mlcore cv lasso --data diabetes.csv --folds 5 --alpha 0.1\n"
    "  mlcore fit ridge --data diabetes.csv --alpha 0.1 --model ridge.json\n"
    "  mlcore predict --model ridge.json --data diabetes.csv --out predictions.csv\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    cli_heap_setup();
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "version")) {
        printf("mlcore %s\n", mlc_version());
        return EXIT_OK;
    }
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        if (argc > 2) /* help COMMAND */
            return argc > 3 ? cli_usage_error("help takes one command name")
                            : cli_command_help(argv[2]);
        fputs(usage_text, stdout);
        return EXIT_OK;
    }
    static const struct {
        const char *name;
        int (*run)(const cli_opts *);
    } commands[] = {
        {"fit", cmd_fit},
        {"predict", cmd_predict},
        {"score", cmd_score},
        {"report", cmd_report},
        {"cv", cmd_cv},
        {"grid", cmd_grid},
        {"estimators", cmd_estimators},
        {"datasets", cmd_datasets},
        {"metrics", cmd_metrics},
    };
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(cmd, commands[i].name) != 0)
            continue;
        cli_opts o;
        memset(&o, 0, sizeof o);
        o.command = cmd;
        o.folds = 5;
        o.digits = 2;
        int rc = cli_parse(argc, argv, 2, &o);
        if (rc)
            return rc;
        /* COMMAND --help: its usage; fit ESTIMATOR --help: the parameters. */
        if (o.help && !(!strcmp(cmd, "fit") && o.positional))
            return cli_command_help(cmd);
        /* fit, cv and grid name their estimator: --metric's meaning is known. */
        int names_estimator = !strcmp(cmd, "fit") || !strcmp(cmd, "cv") || !strcmp(cmd, "grid");
        if (names_estimator && o.positional &&
            mlc_registry_lookup(o.positional, NULL, NULL, NULL) == MLC_OK &&
            (rc = cli_route_metric(&o, o.positional)))
            return rc;
        /* Scorer names are checked before any data is read or fit. */
        for (int m = 0; m < o.n_metrics; m++)
            if (mlc_scorer_check(o.metrics[m]))
                return cli_usage_error("%s (see: mlcore metrics)", mlc_last_error_message());
        return commands[i].run(&o);
    }
    fprintf(stderr, "mlcore: unknown command '%s'\n\n%s", cmd, usage_text);
    return EXIT_USAGE;
}
