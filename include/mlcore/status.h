/* Status codes and error messages.
 *
 * Every fallible function returns an int status: MLC_OK (0) or one of the
 * codes below. The human-readable detail of the last failure on the calling
 * thread is available from mlc_last_error_message(). */
#ifndef MLCORE_STATUS_H
#define MLCORE_STATUS_H
#include "mlcore/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(name, value, description) */
#define MLC_STATUS_LIST(X)                                                   \
    X(MLC_OK, 0, "success")                                                  \
    X(MLC_EINVAL, 1, "invalid argument")                                     \
    X(MLC_EBADLEN, 2, "dimension mismatch")                                  \
    X(MLC_ENOMEM, 3, "out of memory")                                        \
    X(MLC_ENONFINITE, 4, "non-finite value (NaN or infinity) in input")      \
    X(MLC_ESING, 5, "matrix is singular or not positive definite")           \
    X(MLC_EIO, 6, "input/output error")                                      \
    X(MLC_EFORMAT, 7, "malformed file or data")                              \
    X(MLC_EVERSION, 8, "unsupported format version")                         \
    X(MLC_ENOTFOUND, 9, "no such name")                                      \
    X(MLC_ENOTFITTED, 10, "estimator is not fitted")                         \
    X(MLC_EUNSUPPORTED, 11, "operation not supported by this estimator")     \
    X(MLC_EEMPTY, 12, "empty input")                                         \
    X(MLC_ERANGE, 13, "value out of range")                                  \
    X(MLC_EINTERRUPTED, 14, "stopped by the progress callback")

typedef enum mlc_status {
#define MLC_STATUS_ENUM_(name, value, text) name = value,
    MLC_STATUS_LIST(MLC_STATUS_ENUM_)
#undef MLC_STATUS_ENUM_
} mlc_status;

/* Static description of a status code ("unknown status" for others). The
 * three functions below cannot fail. */
MLC_API const char *mlc_strerror(int status);

/* The detailed message of the last error raised on this thread, e.g.
 * "X has 3 columns but the model was fit on 4". Empty string if none. The
 * string belongs to the calling thread (never freed by the caller) and stays
 * valid until the next failing call on this thread; other threads' failures
 * do not change it. */
MLC_API const char *mlc_last_error_message(void);

/* Forget the last error message of this thread. */
MLC_API void mlc_clear_error(void);

#ifdef __cplusplus
}
#endif

#endif
