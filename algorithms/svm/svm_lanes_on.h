/* The vector lanes at width SV_W (8: AVX-512, 4: AVX2), for the scans'
 * templates (svm_lanes_helpers.h, svm_scan_vector.h, svm_scan_nu_vector.h),
 * as GSL's templates_on.h: define SV_W, include this, the template, then
 * svm_lanes_off.h. No include guard: included once per width. Masks are
 * lanes of all ones or all zeros. */
#if SV_W == 8
#define SV_D mlc_v8d  /* doubles */
#define SV_L mlc_v8l  /* 64-bit integers and masks */
#define SV_Q mlc_v8q  /* 64-bit unsigned integers (logical shifts) */
#define SV_U mlc_v8u  /* bytes */
#define SV_C mlc_v8c  /* signed bytes */
#define SV_F mlc_v8f  /* floats */
#define SV(name) name##_v8
#define SV_SPLAT(x) ((SV_D){(x), (x), (x), (x), (x), (x), (x), (x)})
#define SV_NO_POSITIONS ((SV_L){-1, -1, -1, -1, -1, -1, -1, -1})
#define SV_FIRST_POSITIONS ((SV_L){0, 1, 2, 3, 4, 5, 6, 7})
#elif SV_W == 4
#define SV_D mlc_v4d
#define SV_L mlc_v4l
#define SV_Q mlc_v4q
#define SV_U mlc_v4u
#define SV_C mlc_v4c
#define SV_F mlc_v4f
#define SV(name) name##_v4
#define SV_SPLAT(x) ((SV_D){(x), (x), (x), (x)})
#define SV_NO_POSITIONS ((SV_L){-1, -1, -1, -1})
#define SV_FIRST_POSITIONS ((SV_L){0, 1, 2, 3})
#else
#error "SV_W is 8 or 4"
#endif
/* Lanes of a where mask is set, else of b. */
#define SV_PICK(mask, a, b) ((SV_D)(((mask) & (SV_L)(a)) | (~(mask) & (SV_L)(b))))
#define SV_PICK_INDEX(mask, a, b) (((mask) & (a)) | (~(mask) & (b)))
/* All ones in the lanes whose byte of u is not zero (compared as bytes,
 * then widened: one vpmovsxbq; widening first took GCC 12 twenty scalar
 * instructions). */
#define SV_NONZERO_BYTES(u) __builtin_convertvector((SV_C)((u) != 0), SV_L)
