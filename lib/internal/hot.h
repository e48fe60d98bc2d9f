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

#endif
