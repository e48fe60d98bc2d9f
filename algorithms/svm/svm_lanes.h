/* The scans' vector lanes (svm_scan.c, svm_scan_nu.c). The reference
 * forms keep SVM_SCAN_LANES (L) lanes in scalars: position t goes to lane
 * t mod L. The vector forms keep SV_W lanes in one GCC / clang vector, 8
 * for AVX-512 and 4 for AVX2 (an 8-lane vector on AVX2 has GCC 12 split
 * its compares into scalar ones), and hand their lanes to the reference's
 * tail and combination as lanes 0 .. SV_W - 1 of L. A scan's answer (the
 * best value, the last position with it) does not depend on how positions
 * are dealt to lanes, so every form gives the reference's. The code at
 * each width is written once, in templates (svm_lanes_on.h). */
#ifndef MLC_SVM_LANES_H
#define MLC_SVM_LANES_H
#include <stdint.h>
#include <string.h>
#include "internal/hot.h"
#include "internal/vec.h"
#include "svm_scan.h"

#define L SVM_SCAN_LANES

typedef unsigned char mlc_v8u __attribute__((vector_size(8)));
typedef signed char mlc_v8c __attribute__((vector_size(8)));
typedef float mlc_v8f __attribute__((vector_size(32)));
typedef unsigned char mlc_v4u __attribute__((vector_size(4)));
typedef signed char mlc_v4c __attribute__((vector_size(4)));
typedef float mlc_v4f __attribute__((vector_size(16)));
typedef uint64_t mlc_v8q __attribute__((vector_size(64)));
typedef uint64_t mlc_v4q __attribute__((vector_size(32)));

#define SV_W 8
#include "svm_lanes_on.h"
#include "svm_lanes_helpers.h"
#include "svm_lanes_off.h"
#undef SV_W
#define SV_W 4
#include "svm_lanes_on.h"
#include "svm_lanes_helpers.h"
#include "svm_lanes_off.h"
#undef SV_W

#endif
