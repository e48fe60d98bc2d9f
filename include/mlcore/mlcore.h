/* libmlcore: the whole public API. */
#ifndef MLCORE_H
#define MLCORE_H
#include "mlcore/version.h"
#include "mlcore/export.h"
#include "mlcore/status.h"
#include "mlcore/matrix.h"
#include "mlcore/rng.h"
#include "mlcore/threads.h"
#include "mlcore/linalg.h"
#include "mlcore/io.h"
#include "mlcore/dataset.h"
#include "mlcore/estimator.h"
#include "mlcore/preprocessing.h"
#include "mlcore/metrics.h"
#include "mlcore/model_selection.h"
#include "mlcore/cluster.h"
#include "mlcore/mixture.h"
#include "mlcore/linear.h"
#endif
