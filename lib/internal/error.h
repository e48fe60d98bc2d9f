/* Raising errors: the one place that records the thread's error message. */
#ifndef MLC_INTERNAL_ERROR_H
#define MLC_INTERNAL_ERROR_H
#include "mlcore/status.h"

/* Record a formatted message for this thread and return `status`. Use as
 * `return mlc_raise(MLC_EINVAL, "alpha must be >= 0, got %g", a);` */
int mlc_raise(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shorthand for allocation failures. */
int mlc_raise_nomem(const char *what);

#endif
