/* Warnings: where scikit-learn warns (a fit that did not converge, a score
 * that is NaN on a fold), the command says so on stderr and lists the same
 * text in its JSON output as "warnings". */
#include <stdarg.h>
#include "cli.h"

void cli_warn(json_t *warnings, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fprintf(stderr, "mlcore: warning: %s\n", text);
    if (warnings)
        json_array_append_new(warnings, json_string(text));
}

void cli_model_warnings(const mlc_estimator *e, json_t *warnings)
{
    const char *text;
    for (size_t i = 0; (text = mlc_estimator_warning(e, i)) != NULL; i++)
        cli_warn(warnings, "%s", text);
}
