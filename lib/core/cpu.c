/* Which kernel forms this CPU runs (see lib/internal/hot.h). */
#include "internal/hot.h"

static int force_narrow;

int mlc_cpu_wide(void)
{
    if (force_narrow)
        return 0;
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
    return __builtin_cpu_supports("x86-64-v4") != 0;
#elif defined(__clang__) && defined(__x86_64__)
    /* clang 14 knows no "x86-64-v4": its AVX-512 part by feature (every
     * such CPU has the x86-64-v3 features too). */
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
#else
    return 0;
#endif
}

void mlc_cpu_force_narrow(int on)
{
    force_narrow = on != 0;
}

int mlc_cpu_level(void)
{
    if (mlc_cpu_wide())
        return MLC_SIMD_512;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    return __builtin_cpu_supports("avx2") ? MLC_SIMD_256 : MLC_SIMD_SCALAR;
#else
    return MLC_SIMD_SCALAR;
#endif
}
