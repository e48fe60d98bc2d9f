/* Attributes for the few hot loops GCC's -O2 leaves scalar (unknown trip
 * counts): vectorize them, with AVX-512 / AVX2 / baseline clones picked at
 * load time. No contraction, so every clone computes the same numbers. */
#ifndef MLC_INTERNAL_HOT_H
#define MLC_INTERNAL_HOT_H

#if defined(__GNUC__) && !defined(__clang__)
#define MLC_VECTORIZE optimize("tree-vectorize", "vect-cost-model=dynamic", "fp-contract=off")
#if defined(__x86_64__)
#define MLC_HOT                                                                        \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), MLC_VECTORIZE))
#else
#define MLC_HOT __attribute__((MLC_VECTORIZE))
#endif
#else
/* clang: no clones. Its target_clones (clang 14) never picks an
 * "arch=x86-64-vN" clone, names one feature per clone, and gives an extern
 * function no symbol under its own name (calls from other files do not
 * link). It vectorizes at -O2 anyway, and -ffp-contract=off
 * (CMakeLists.txt) stands for GCC's optimize("fp-contract=off"). */
#define MLC_HOT
#endif

/* The same clones for loops written with explicit vector types (GCC's own
 * vectorizer made a worse job of some short ones): no auto-vectorization,
 * no contraction. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MLC_CLONED                                                                     \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"),       \
                   optimize("fp-contract=off")))
#elif defined(__GNUC__) && !defined(__clang__)
#define MLC_CLONED __attribute__((optimize("fp-contract=off")))
#else
#define MLC_CLONED
#endif

/* Kernels written for AVX-512's 32 registers of 8 lanes (MLC_WIDE) spill
 * and go scalar when compiled for AVX2 or baseline x86-64 (measured: the
 * k-means kernel 8x and the Gram tiles 40x slower than 256-bit forms), so
 * they are compiled for AVX-512 alone and called only where mlc_cpu_wide()
 * says it runs; 256-bit forms (MLC_NARROW) cover the rest. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MLC_WIDE(opt) __attribute__((target("arch=x86-64-v4"), optimize(opt)))
#define MLC_NARROW(opt)                                                                \
    __attribute__((target_clones("arch=x86-64-v3", "default"), optimize(opt)))
#elif defined(__GNUC__) && !defined(__clang__)
#define MLC_WIDE(opt) __attribute__((optimize(opt)))
#define MLC_NARROW(opt) __attribute__((optimize(opt)))
#elif defined(__clang__) && defined(__x86_64__)
/* clang: the narrow forms (static functions: see MLC_HOT) clone for "fma",
 * which brings AVX's 256-bit lanes: a contracting form then gives
 * arch=x86-64-v3's bits. opt is GCC's; clang's contraction comes from
 * MLC_CONTRACT_BEGIN. */
#define MLC_WIDE(opt) __attribute__((target("arch=x86-64-v4")))
#if defined(__has_feature) && __has_feature(thread_sanitizer)
/* Under ThreadSanitizer (make test-tsan) no clones: their resolvers run at
 * load time, instrumented, before TSan's runtime has started (a crash at
 * load). The baseline form is the one compiled. */
#define MLC_NARROW(opt)
#else
#define MLC_NARROW(opt) __attribute__((target_clones("fma", "default")))
#endif
#else
#define MLC_WIDE(opt)
#define MLC_NARROW(opt)
#endif

/* Wide and narrow forms declared with "fp-contract=fast" sit between these
 * in their file: clang has no optimize attribute, so a pragma contracts
 * the code parsed in the region (the inlined tiles too). "on", not "fast":
 * every product in these forms is added in the expression that forms it,
 * which "on" fuses in the front end (llvm.fmuladd, an FMA wherever the
 * target has one); "fast" leaves fusion to the code generator, which under
 * UBSan's checks fused one form and not the other. Only the forms built
 * for FMA (arch=x86-64-v4, the "fma" clone) contract. GCC: no-op (its
 * optimize attribute does it). */
#if defined(__clang__)
#define MLC_CONTRACT_BEGIN _Pragma("clang fp contract(on)")
#define MLC_CONTRACT_END _Pragma("clang fp contract(off)")
#else
#define MLC_CONTRACT_BEGIN
#define MLC_CONTRACT_END
#endif

/* ---- The contraction and lane-order rules, written once ----
 * Every form of a kernel (wide, 256-bit, the scalar reference) follows one
 * of two policies, named in its declaration:
 *  - EXACT: every product is rounded before it is added (no FMA), so the
 *    forms give the same bits on every CPU and compiler;
 *  - FUSED: a product added in the expression that forms it becomes one FMA
 *    where the target has FMA (the AVX-512 form, the AVX2+FMA clone); the
 *    reference then uses fma(), and rounds separately where the form has no
 *    FMA (the baseline clone, -O1 builds). FUSED forms sit between
 *    MLC_CONTRACT_BEGIN and MLC_CONTRACT_END for clang.
 * Lane order: a kernel fixes its logical lanes (8 rows or 8 centres, say);
 * the wide form holds them in one 8-lane vector, the 256-bit form in two
 * 4-lane halves, the reference in 8 scalars, each reduced in the same order,
 * so every form of a policy gives the same bits (each kernel's test checks
 * every form the CPU has against its reference). */
#define MLC_WIDE_EXACT MLC_WIDE("fp-contract=off")
#define MLC_NARROW_EXACT MLC_NARROW("fp-contract=off")
#define MLC_WIDE_FUSED MLC_WIDE("fp-contract=fast")
#define MLC_NARROW_FUSED MLC_NARROW("fp-contract=fast")
/* MLC_CLONED under the FUSED policy (clones for AVX-512, AVX2 and baseline,
 * picked at load time). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MLC_CLONED_FUSED                                                               \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"),       \
                   optimize("fp-contract=fast")))
#elif defined(__GNUC__) && !defined(__clang__)
#define MLC_CLONED_FUSED __attribute__((optimize("fp-contract=fast")))
#else
#define MLC_CLONED_FUSED MLC_NARROW_FUSED
#endif
/* A kernel body written once and inlined into each of its forms: always
 * inlined (the forms' constants specialise it); a FUSED body carries GCC's
 * optimize attribute, which must match the forms it is inlined into. */
#define MLC_BODY static inline __attribute__((always_inline))
#if defined(__GNUC__) && !defined(__clang__)
#define MLC_BODY_FUSED MLC_BODY __attribute__((optimize("fp-contract=fast")))
#else
#define MLC_BODY_FUSED MLC_BODY
#endif

/* A hint that p will be read (rw 0) or written (rw 1) soon, kept in the
 * caches by `locality` (0-3, as GCC's __builtin_prefetch); nothing where the
 * compiler has no such built-in. */
#if defined(__GNUC__) || defined(__clang__)
#define MLC_PREFETCH(p, rw, locality) __builtin_prefetch((p), (rw), (locality))
#else
#define MLC_PREFETCH(p, rw, locality) ((void)(p))
#endif

/* 1 when the wide kernels may run: an x86-64-v4 CPU (AVX-512 F/BW/CD/DQ/VL)
 * and no override. */
int mlc_cpu_wide(void);
/* The vector forms of kernels written with intrinsics, by register width:
 * what mlc_cpu_level() answers, and what such kernels take to pick a form
 * (tests pass every level up to the CPU's to check each form). */
enum { MLC_SIMD_SCALAR = 0, MLC_SIMD_256 = 1, MLC_SIMD_512 = 2 };
/* MLC_SIMD_512 where mlc_cpu_wide(), MLC_SIMD_256 on an x86-64 CPU with
 * AVX2, MLC_SIMD_SCALAR elsewhere (and wherever the compiler cannot tell). */
int mlc_cpu_level(void);
/* Tests: 1 makes mlc_cpu_wide() answer 0, so the narrow forms run here too;
 * 0 restores the CPU's answer. */
void mlc_cpu_force_narrow(int on);

/* ---- Scalar references of the explicit-lane kernels ----
 * The plain form each such kernel is tested against, and the form it runs
 * where no vector form applies: no target, no clones, opt as for MLC_WIDE
 * (GCC's optimize attribute; clang contracts nothing outside
 * MLC_CONTRACT_BEGIN). noinline keeps it one function a debugger steps
 * through. */
#if defined(__GNUC__) && !defined(__clang__)
#define MLC_REFERENCE(opt) __attribute__((noinline, optimize(opt)))
#else
#define MLC_REFERENCE(opt) __attribute__((noinline))
#endif
#define MLC_REFERENCE_EXACT MLC_REFERENCE("fp-contract=off")

/* The forms of an element-wise kernel written in plain C (one MLC_BODY
 * loop, no intrinsics): the compiler vectorises the body for each target,
 * and with no contraction every element goes through the same IEEE
 * operations, so the wide, 256-bit and reference forms give the same bits;
 * the reference is MLC_REFERENCE_EXACT. Pick one with mlc_cpu_level(). */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define MLC_VECTOR_OPTS                                                                \
    optimize("fp-contract=off", "tree-vectorize", "vect-cost-model=dynamic", "no-trapping-math")
#define MLC_WIDE_ELEMENTWISE __attribute__((target("arch=x86-64-v4"), MLC_VECTOR_OPTS))
#define MLC_NARROW_ELEMENTWISE __attribute__((target("arch=x86-64-v3"), MLC_VECTOR_OPTS))
/* The body inlined into them carries the same options (GCC keeps an
 * inlined body's own: with trapping maths, AVX2 cannot if-convert it). */
#define MLC_BODY_ELEMENTWISE MLC_BODY __attribute__((MLC_VECTOR_OPTS))
#elif defined(__clang__) && defined(__x86_64__)
#define MLC_WIDE_ELEMENTWISE __attribute__((target("arch=x86-64-v4")))
#define MLC_NARROW_ELEMENTWISE __attribute__((target("arch=x86-64-v3")))
#define MLC_BODY_ELEMENTWISE MLC_BODY
#else
#define MLC_WIDE_ELEMENTWISE
#define MLC_NARROW_ELEMENTWISE
#define MLC_BODY_ELEMENTWISE MLC_BODY
#endif

#endif
