#include <stdarg.h>
#include <stdio.h>
#include "internal/error.h"

/* Long enough for the longest list of valid names a message carries. */
static _Thread_local char last_message[2048];

const char *mlc_strerror(int status)
{
    switch (status) {
#define MLC_STATUS_CASE_(name, value, text) \
    case value:                             \
        return text;
        MLC_STATUS_LIST(MLC_STATUS_CASE_)
#undef MLC_STATUS_CASE_
    default:
        return "unknown status";
    }
}

const char *mlc_last_error_message(void)
{
    return last_message;
}

void mlc_clear_error(void)
{
    last_message[0] = '\0';
}

int mlc_raise(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return status;
}

int mlc_raise_nomem(const char *what)
{
    return mlc_raise(MLC_ENOMEM, "out of memory allocating %s", what);
}
