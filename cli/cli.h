/* The mlcore command: shared pieces of the subcommands. */
#ifndef MLC_CLI_H
#define MLC_CLI_H
#include <jansson.h>
#include <stdio.h>
#include "mlcore/mlcore.h"

/* Exit statuses (130: a fit stopped by Ctrl-C, as a shell reports SIGINT). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

/* Parsed command line: fixed options plus free "--name value" pairs, which
 * are estimator parameters. */
typedef struct cli_opts {
    const char *command;
    const char *positional;    /* ESTIMATOR or dataset NAME */
    const char *data, *target, *y_file, *model, *labels, *out;
    const char *linkage_out;   /* fit: a merge tree as scipy's linkage matrix (CSV) */
    const char *metrics[16];   /* scorers: --scoring (and --metric where it is one) */
    int n_metrics;
    const char *metric_args[16]; /* --metric values, until cli_route_metric places them */
    int n_metric_args;
    int json, quiet, proba, decision, score_samples, shuffle, help;
    int no_header;             /* --no-header: CSV files have no header row (x0, x1, ...) */
    int progress;              /* --progress 1, --no-progress -1, else 0 (a terminal) */
    long folds, seed, threads;
    int folds_set, seed_set;
    long digits;               /* report: decimals of the classification report (2) */
    const char *fold_file;     /* explicit folds: one fold id per row (-1: always train) */
    const char *splitter;      /* kfold, stratified_kfold, shuffle_split, ... */
    double test_size;          /* for the shuffle splitters; 0 = default */
    /* estimator parameters, with '-' turned into '_' in names */
    const char *param_names[64];
    const char *param_values[64];
    int n_params;
} cli_opts;

/* Parse argv after the command word; usage errors print to stderr and
 * return EXIT_USAGE. */
int cli_parse(int argc, char **argv, int first, cli_opts *o);

/* fit --linkage-out: the model's linkage matrix as CSV (cli/linkage_out.c). */
int cli_write_linkage(const cli_opts *o, const mlc_estimator *e);

/* Give --metric its meaning for `estimator` (a registry name): the
 * estimator's parameter when it has one (DBSCAN's distance), and always in
 * fit; otherwise, in score, cv and grid, a scorer as --scoring NAME. main()
 * calls it for the commands that name the estimator, cmd_score once the
 * model is loaded. Usage errors: --metric in fit for an estimator without
 * the parameter, in score for one with it. */
int cli_route_metric(cli_opts *o, const char *estimator);

/* Report a library failure (status + the thread's message) and return EXIT_FAIL
 * (EXIT_INTERRUPTED for MLC_EINTERRUPTED: Ctrl-C). */
int cli_fail(const char *what, int status);
/* Report a usage error and return EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Load --data (a bundled name, a CSV or an NPY file) with its target. For
 * unsupervised tasks the target column is still split off (and kept as y
 * for scores) when one is named or called "target". */
int cli_load_data(const cli_opts *o, mlc_dataset *ds);
/* When --data is an .npy that cli_load_data did not scan and it holds a
 * NaN or an infinity: says which cell (file and numpy's indices) on stderr
 * and returns 1; else 0 (nothing said). */
int cli_locate_nonfinite(void);
/* Check that the command got no estimator parameters and a --model, then
 * load the model and --data. A model with feature names takes a named
 * input's columns by name (reordered to the model's; other names refused,
 * listed); otherwise, and for an input without names (.npy, --no-header:
 * a warning when the model has names), the data must have the model's
 * width and its columns are taken by position. */
int cli_load_model_and_data(const cli_opts *o, mlc_estimator **e, mlc_dataset *ds);
/* Whether --data has real column names: a bundled data set or a CSV with a
 * header (not an .npy, not --no-header). */
int cli_data_has_names(const cli_opts *o);
/* After a fit on ds: keep its column names in the model (feature_names_in_)
 * when the data has names. */
int cli_record_names(const cli_opts *o, mlc_estimator *e, const mlc_dataset *ds);
/* A CSV (--no-header applies) or .npy table the command reads besides
 * --data (fold files). A library status. */
int cli_read_table(const cli_opts *o, const char *path, mlc_table *t);
/* mlc_estimator_set, except that under --no-header an array parameter's
 * CSV file is read without a header row. A library status. */
int cli_set_param(const cli_opts *o, mlc_estimator *e, const char *name, const char *value);

/* Apply --PARAM VALUE pairs and --threads to an estimator (usage errors). */
int cli_apply_params(const cli_opts *o, mlc_estimator *e);

/* Seconds on a monotonic clock. */
double cli_now(void);
/* How fit, cv and grid show their progress on stderr (cli/progress.c):
 * LINE, one line redrawn in place (stderr a terminal, not --quiet, or
 * --progress); LOG, a line per report (--progress elsewhere); OFF
 * (--no-progress, --quiet, or not a terminal). */
enum { CLI_PROGRESS_OFF = 0, CLI_PROGRESS_LINE = 1, CLI_PROGRESS_LOG = 2 };
int cli_progress_mode(const cli_opts *o);
typedef struct cli_progress {
    int mode;
    size_t width; /* the terminal's columns (LINE) */
    size_t shown; /* characters of the line on screen */
} cli_progress;
/* Draw e's fit progress in pg's mode, and stop the fit on Ctrl-C (pg must
 * outlive the fits; cli_progress_clear ends the Ctrl-C handling). */
void cli_progress_attach(const cli_opts *o, mlc_estimator *e, cli_progress *pg);
/* A line of text in place of the progress line (LINE only). */
void cli_progress_note(cli_progress *pg, const char *text);
/* Erase the line (LINE) before the summary is printed. */
void cli_progress_clear(cli_progress *pg);

/* A warning (cli/warnings.c): "mlcore: warning: TEXT" on stderr, whatever
 * --quiet says, and TEXT appended to `warnings` (a JSON array, or NULL). */
void cli_warn(json_t *warnings, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* cli_warn each of the fitted e's warnings (mlc_estimator_warning). */
void cli_model_warnings(const mlc_estimator *e, json_t *warnings);

/* Print one JSON object on stdout (stable key order). */
/* Malloc settings for a short-lived process (cli/heap.c); called first. */
void cli_heap_setup(void);
void cli_print_json(json_t *obj);
/* JSON of the estimator's parameters and of its scalar attributes. */
json_t *cli_params_json(const mlc_estimator *e);
json_t *cli_scalar_attributes_json(const mlc_estimator *e);

/* A scorer on the training data (X, y): a clusterer's labels_ when it keeps
 * them, else the estimator's predictions. A library status. */
int cli_training_score(const mlc_estimator *e, const char *name, const mlc_matrix *X,
                       const double *y, double *value);
/* fit --scoring: each scorer's training score into `scores` (usage errors
 * for unknown names). */
int cli_fit_scores(const cli_opts *o, const mlc_estimator *e, const mlc_matrix *X,
                   const double *y, json_t *scores);

/* Print COMMAND's usage on stdout (cli/help.c): EXIT_OK, or a usage error
 * for an unknown command. */
int cli_command_help(const char *command);

/* Subcommands. */
int cmd_fit(const cli_opts *o);
int cmd_predict(const cli_opts *o);
int cmd_score(const cli_opts *o);
int cmd_report(const cli_opts *o);
int cmd_cv(const cli_opts *o);
int cmd_grid(const cli_opts *o);
int cmd_metrics(const cli_opts *o);
int cmd_estimators(const cli_opts *o);
int cmd_datasets(const cli_opts *o);

#endif
