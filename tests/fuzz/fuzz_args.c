/* The command's argument parser (cli/args.c) on arbitrary argument lists:
 * the input is NUL-separated words, the first the subcommand. What parses is
 * then routed (--metric) and applied to the estimator the positional names
 * (or to one chosen by the input's length), as `mlcore fit` does. Usage
 * errors print to stderr (run with -close_fd_mask=2). */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "fuzz_util.h"

#define MAX_WORDS 48

/* Values naming absolute paths or climbing out of the folder are dropped:
 * an array parameter reads the file it names (e.g. /dev/zero). */
static int harmless(const char *value)
{
    return value[0] != '/' && !strstr(value, "..");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *argv[MAX_WORDS + 1];
    int argc = 0;
    for (char *p = text; p < text + size && argc < MAX_WORDS; p += strlen(p) + 1)
        argv[argc++] = p;
    argv[argc] = NULL;
    cli_opts o;
    memset(&o, 0, sizeof o);
    o.command = argv[0];
    int st = cli_parse(argc, argv, 1, &o);
    const char *name = o.positional;
    mlc_task task;
    if (!name || mlc_registry_lookup(name, &task, NULL, NULL) != MLC_OK)
        name = mlc_registry_name(size % mlc_registry_count());
    if (st == EXIT_OK)
        st = cli_route_metric(&o, name);
    if (st == EXIT_OK) {
        int kept = 0;
        for (int i = 0; i < o.n_params; i++)
            if (harmless(o.param_values[i])) {
                o.param_names[kept] = o.param_names[i];
                o.param_values[kept++] = o.param_values[i];
            }
        o.n_params = kept;
        mlc_estimator *e = NULL;
        if (mlc_estimator_new(name, &e) == MLC_OK)
            (void)cli_apply_params(&o, e);
        mlc_estimator_free(e);
    }
    free(text);
    return 0;
}
