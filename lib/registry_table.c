/* The registry table: one line per estimator. Adding an estimator is its
 * folder under algorithms/ plus one line here. */
#include "internal/registry.h"

extern const mlc_estimator_desc mlc_standard_scaler_desc;
extern const mlc_estimator_desc mlc_min_max_scaler_desc;

const mlc_estimator_desc *const mlc_registry_table[] = {
    &mlc_standard_scaler_desc,
    &mlc_min_max_scaler_desc,
};

const size_t mlc_registry_table_size = MLC_COUNT_OF(mlc_registry_table);
