/* The second moments of the linear models (algorithms/linear/linear_prep.h and
 * the panel kernel of algorithms/linear/gram_panels.h) against a direct
 * two-pass computation in long double: every width around the panel and
 * GEMM boundaries, one block and many chunks, weights, a row subset, several
 * targets, no intercept, and data far from the origin (the redo pass). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "linear/gram_panels.h"
#include "internal/hot.h"
#include "linear/linear_prep.h"
#include "internal/mem.h"
#include "internal/validate.h"
#include "test_util.h"

typedef struct prep_case {
    size_t n, p, k;
    int weights, subset, center;
    double offset; /* added to every X value */
} prep_case;

static double uniform(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) / 9007199254740992.0 - 0.5;
}

/* Reference moments of the used rows: G (p x p), XtY (k x p), yty (k).
 * Values are taken relative to the first used row (exact for data near
 * each other), so the sums stay accurate where long double is only double
 * (valgrind). */
static double value(const prep_case *c, const double *X, const double *Y, size_t i, size_t j)
{
    return j < c->p ? X[i * c->p + j] : Y[i * c->k + j - c->p];
}

static void reference(const prep_case *c, const double *X, const double *Y, const double *w,
                      const size_t *rows, size_t m, double *G, double *XtY, double *yty)
{
    size_t p = c->p, k = c->k, q = p + k, i0 = rows ? rows[0] : 0;
    long double *mu = calloc(q, sizeof *mu), W = 0;
    for (size_t a = 0; a < m; a++) {
        size_t i = rows ? rows[a] : a;
        double wi = w ? w[i] : 1.0;
        W += wi;
        for (size_t j = 0; j < q; j++)
            mu[j] += wi * (long double)(value(c, X, Y, i, j) - (c->center ? value(c, X, Y, i0, j) : 0));
    }
    for (size_t j = 0; j < q; j++)
        mu[j] = c->center ? mu[j] / W : 0;
    long double *M = calloc(q * q, sizeof *M), *xs = calloc(q, sizeof *xs);
    for (size_t a = 0; a < m; a++) {
        size_t i = rows ? rows[a] : a;
        double wi = w ? w[i] : 1.0;
        for (size_t u = 0; u < q; u++)
            xs[u] = (value(c, X, Y, i, u) - (c->center ? value(c, X, Y, i0, u) : 0)) - mu[u];
        for (size_t u = 0; u < q; u++)
            for (size_t v = u; v < q; v++)
                M[u * q + v] += wi * xs[u] * xs[v];
    }
    for (size_t u = 0; u < p; u++)
        for (size_t v = 0; v < p; v++)
            G[u * p + v] = (double)M[u <= v ? u * q + v : v * q + u];
    for (size_t t = 0; t < k; t++) {
        for (size_t j = 0; j < p; j++)
            XtY[t * p + j] = (double)M[j * q + p + t];
        yty[t] = (double)M[(p + t) * q + p + t];
    }
    free(mu);
    free(M);
    free(xs);
}

/* |a - b| <= tol * sqrt(b_uu b_vv): relative to the scale of the entry. */
static double scaled_diff(double a, double b, double duu, double dvv)
{
    double s = sqrt(fabs(duu) * fabs(dvv));
    return fabs(a - b) / (s > 0 ? s : 1.0);
}

static void check_case(const prep_case *c)
{
    size_t n = c->n, p = c->p, k = c->k;
    unsigned long long seed = 12345 + n * 31 + p * 7 + k;
    double *X = malloc(n * p * sizeof *X), *Y = malloc(n * k * sizeof *Y);
    double *w = c->weights ? malloc(n * sizeof *w) : NULL;
    for (size_t i = 0; i < n * p; i++)
        X[i] = c->offset + uniform(&seed) * (1.0 + (double)(i % p)); /* columns of different scale */
    for (size_t i = 0; i < n * k; i++)
        Y[i] = 3.0 * c->offset + uniform(&seed);
    for (size_t i = 0; w && i < n; i++)
        w[i] = 0.25 + uniform(&seed) + 0.5;
    size_t m = n, *rows = NULL;
    if (c->subset) {
        rows = malloc(n * sizeof *rows);
        m = 0;
        for (size_t i = 0; i < n; i++)
            if (i % 5 != 2)
                rows[m++] = i;
    }
    mlc_matrix Xm = mlc_matrix_wrap(X, n, p, p), Ym = mlc_matrix_wrap(Y, n, k, k);
    double *G = malloc(p * p * sizeof *G), *B = malloc(k * p * sizeof *B), *yy = malloc(k * 8);
    double *Gr = malloc(p * p * sizeof *Gr), *Br = malloc(k * p * sizeof *Br), *yr = malloc(k * 8);
    reference(c, X, Y, w, rows, m, Gr, Br, yr);
    for (int threads = 1; threads <= 2; threads++) {
        mlc_lin_data d;
        ck_assert_int_eq(mlc_lin_data_init(&d, &Xm, &Ym, w, rows, m, c->center, 0, threads),
                         MLC_OK);
        ck_assert_int_eq(mlc_lin_gram(&d, G, B, yy), MLC_OK);
        double worst = 0.0;
        for (size_t u = 0; u < p; u++)
            for (size_t v = 0; v < p; v++) {
                double e = scaled_diff(G[u * p + v], Gr[u * p + v], Gr[u * p + u], Gr[v * p + v]);
                worst = e > worst ? e : worst;
                ck_assert_msg(G[u * p + v] == G[v * p + u], "G is not symmetric at %zu,%zu", u, v);
            }
        for (size_t t = 0; t < k; t++) {
            for (size_t j = 0; j < p; j++) {
                double e = scaled_diff(B[t * p + j], Br[t * p + j], Gr[j * p + j], yr[t]);
                worst = e > worst ? e : worst;
            }
            double e = fabs(yy[t] - yr[t]) / yr[t];
            worst = e > worst ? e : worst;
        }
        ck_assert_msg(worst <= 1e-12,
                      "n=%zu p=%zu k=%zu w=%d subset=%d center=%d offset=%g threads=%d: "
                      "moments differ by %.3g",
                      n, p, k, c->weights, c->subset, c->center, c->offset, threads, worst);
        mlc_lin_data_clear(&d);
    }
    free(X), free(Y), free(w), free(rows), free(G), free(B), free(yy), free(Gr), free(Br),
        free(yr);
}

START_TEST(gram_every_width)
{
    /* widths of [X | y | scale] from 14 (GEMM) through 17-18 (first
     * panels) to several panels with a partial last one */
    static const size_t widths[] = {12, 13, 14, 15, 16, 21, 22, 23, 24, 37, 100};
    for (size_t i = 0; i < sizeof widths / sizeof *widths; i++) {
        prep_case c = {700, widths[i], 1, 0, 0, 1, 0.0};
        check_case(&c);
    }
    /* small data, every width of the 4-column sums (the last chunk
     * overlapping or not, fewer columns than a chunk), two targets */
    for (size_t p = 1; p <= 11; p++) {
        prep_case c = {301, p, 2, 0, 0, 1, 0.0};
        check_case(&c);
    }
}
END_TEST

START_TEST(gram_blocks_and_chunks)
{
    /* one row; fewer rows than a block; many blocks and chunks */
    static const size_t ns[] = {1, 2, 9, 333, 20000};
    for (size_t i = 0; i < sizeof ns / sizeof *ns; i++) {
        prep_case c = {ns[i], 30, 1, 0, 0, 1, 0.0};
        check_case(&c);
    }
}
END_TEST

START_TEST(gram_weights_subsets_targets)
{
    prep_case cases[] = {
        {5000, 25, 1, 1, 0, 1, 0.0}, {5000, 25, 3, 0, 1, 1, 0.0}, {9000, 41, 2, 1, 1, 1, 0.0},
        {3000, 19, 1, 0, 0, 0, 0.0}, {3000, 19, 4, 1, 1, 0, 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_case(&cases[i]);
}
END_TEST

START_TEST(gram_far_from_origin)
{
    /* the provisional shift (mean of the first rows) is far from the mean
     * of the rest only if the data drift; with an offset of 1e6 the shifted
     * pass keeps every bit, and the exact redo covers the rest */
    prep_case cases[] = {{4000, 20, 1, 0, 0, 1, 1e6}, {4000, 50, 2, 1, 1, 1, 1e8},
                         /* small data: raw products, or the centred pass when
                          * the mean correction would cancel */
                         {300, 12, 1, 0, 0, 1, 1e6},  {300, 20, 2, 0, 0, 1, 1e8},
                         {300, 10, 1, 0, 0, 1, 0.01}, {300, 10, 3, 0, 0, 0, 5.0}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        check_case(&cases[i]);
}
END_TEST

/* Entry (u, v) of B'B for panels `stride` apart, in long double. */
static long double panel_product(const double *buf, size_t stride, size_t m, size_t u, size_t v)
{
    const size_t W = MLC_GRAM_PANEL_W;
    long double ref = 0;
    for (size_t r = 0; r < m; r++)
        ref += (long double)buf[(u / W) * stride + r * W + u % W] *
               buf[(v / W) * stride + r * W + v % W];
    return ref;
}

/* Splitting the panel rows between calls gives the same bits. */
START_TEST(panels_split_bitwise)
{
    size_t m = 77, np = 5, W = MLC_GRAM_PANEL_W, P = np * W, stride = mlc_gram_panel_stride(m);
    ck_assert_uint_ge(stride, m * W);
    double *buf = malloc(np * stride * sizeof *buf);
    unsigned long long seed = 9;
    for (size_t i = 0; i < np * stride; i++)
        buf[i] = uniform(&seed);
    double *whole = calloc(P * P, sizeof *whole), *split = calloc(P * P, sizeof *split);
    mlc_gram_panels_accumulate(buf, stride, m, np, 0, np, whole, P, buf, 4096);
    for (size_t q = np; q-- > 0;)
        mlc_gram_panels_accumulate(buf, stride, m, np, q, q + 1, split, P, NULL, 0);
    for (size_t u = 0; u < P; u++)
        for (size_t v = u; v < P; v++) {
            long double ref = panel_product(buf, stride, m, u, v);
            ck_assert_msg(whole[u * P + v] == split[u * P + v], "split differs at %zu,%zu", u, v);
            ck_assert_msg(fabsl(whole[u * P + v] - ref) <= 1e-13L * m, "entry %zu,%zu off", u, v);
        }
    /* below the diagonal tiles nothing is written */
    ck_assert(whole[(2 * W) * P + 0] == 0.0);
    free(buf), free(whole), free(split);
}
END_TEST

/* Entry (u, v) of B'B summed over the rows in order, from 0, each product
 * fused into the sum (fma) or rounded first: the two roundings a tile form
 * can have. */
static double panel_chain(const double *buf, size_t stride, size_t m, size_t u, size_t v,
                          int fused)
{
    const size_t W = MLC_GRAM_PANEL_W;
    double s = 0.0;
    for (size_t r = 0; r < m; r++) {
        double a = buf[(u / W) * stride + r * W + u % W], b = buf[(v / W) * stride + r * W + v % W];
        if (fused) {
            s = fma(a, b, s);
        } else {
            double ab = a * b;
            s = s + ab;
        }
    }
    return s;
}

/* Every form of the panel tiles (the scalar reference, the 256-bit form and
 * the wide one where the CPU has them) for row counts around the prefetch
 * step of 4 (0 included), 1 .. 5 panels (the wide form's pairs and its
 * single last tile), every panel-row range, with and without a prefetch
 * source (NULL: clang's sanitizer once caught arithmetic on it). Each tile
 * entry is acc + (the rows' products summed in order from 0): the reference
 * fuses every product (fma()); a vector form does where it is compiled to
 * contract (FMA targets at -O2) and rounds each product first elsewhere (an
 * FMA-less CPU's baseline clone; GCC at -O1, as in the Sanitize build).
 * Each form must give, bit for bit, one of the two over a whole call, and
 * touch nothing outside its tiles. (Summing a 256-bit half's rows in
 * another order fails here.) */
START_TEST(panels_forms_match_reference)
{
    const size_t ms[] = {0, 1, 2, 3, 4, 5, 9, 77};
    const size_t W = MLC_GRAM_PANEL_W, npmax = 5, P = npmax * W;
    const int top = mlc_cpu_level();
    double *init = malloc(P * P * sizeof *init), *fused = malloc(P * P * sizeof *fused);
    double *plain = malloc(P * P * sizeof *plain), *out = malloc(P * P * sizeof *out);
    unsigned long long seed = 23;
    int checked = 0;
    for (size_t c = 0; c < sizeof ms / sizeof *ms; c++) {
        size_t m = ms[c], stride = mlc_gram_panel_stride(m);
        double *buf = malloc(npmax * stride * sizeof *buf);
        for (size_t i = 0; i < npmax * stride; i++)
            buf[i] = uniform(&seed) - 0.125;
        for (size_t np = 1; np <= npmax; np++)
            for (size_t q0 = 0; q0 < np; q0++) {
                size_t q1 = q0 + 1 + (np - q0 - 1) * (c % 2); /* one panel row or the rest */
                const void *pf = (np + q0) % 2 ? buf : NULL;
                size_t pf_bytes = pf ? 4096 : 0;
                for (size_t u = 0; u < P * P; u++) {
                    size_t r = u / P, k = u % P;
                    int tile = r / W >= q0 && r / W < q1 && k / W >= r / W && k / W < np;
                    init[u] = (double)(u % 7);
                    fused[u] = tile ? init[u] + panel_chain(buf, stride, m, r, k, 1) : init[u];
                    plain[u] = tile ? init[u] + panel_chain(buf, stride, m, r, k, 0) : init[u];
                }
                for (int level = MLC_SIMD_SCALAR; level <= top; level++) {
                    memcpy(out, init, P * P * sizeof *out);
                    mlc_gram_panels_accumulate_form(level, buf, stride, m, np, q0, q1, out, P, pf,
                                                    pf_bytes);
                    int as_fused = memcmp(out, fused, P * P * sizeof *out) == 0;
                    int as_plain = memcmp(out, plain, P * P * sizeof *out) == 0;
                    ck_assert_msg(as_fused || (level > MLC_SIMD_SCALAR && as_plain),
                                  "level %d, m %zu, %zu panels, rows [%zu, %zu): neither rounding",
                                  level, m, np, q0, q1);
                    checked++;
                }
            }
        free(buf);
    }
    ck_assert_int_ge(checked, 40);
    free(init), free(fused), free(plain), free(out);
}
END_TEST

/* The 256-bit tiles (CPUs without AVX-512) give the same bits as the wide
 * ones, an odd panel count included (the wide form's single last tile).
 * Where the CPU has no AVX-512 both runs take the narrow form, and the
 * reference sums still check it. */
START_TEST(panels_narrow_same_bits)
{
    size_t m = 77, np = 5, W = MLC_GRAM_PANEL_W, P = np * W, stride = mlc_gram_panel_stride(m);
    double *buf = malloc(np * stride * sizeof *buf);
    unsigned long long seed = 11;
    for (size_t i = 0; i < np * stride; i++)
        buf[i] = uniform(&seed) - 0.25;
    double *wide = calloc(P * P, sizeof *wide), *narrow = calloc(P * P, sizeof *narrow);
    mlc_gram_panels_accumulate(buf, stride, m, np, 0, np, wide, P, buf, 4096);
    mlc_cpu_force_narrow(1);
    ck_assert_int_eq(mlc_cpu_wide(), 0);
    mlc_gram_panels_accumulate(buf, stride, m, np, 0, np, narrow, P, buf, 4096);
    mlc_cpu_force_narrow(0);
    for (size_t u = 0; u < P; u++)
        for (size_t v = u; v < P; v++) {
            long double ref = panel_product(buf, stride, m, u, v);
            ck_assert_msg(wide[u * P + v] == narrow[u * P + v], "forms differ at %zu,%zu", u, v);
            ck_assert_msg(fabsl(narrow[u * P + v] - ref) <= 1e-13L * m, "entry %zu,%zu off", u,
                          v);
        }
    free(buf), free(wide), free(narrow);
}
END_TEST

/* The centred column-major copy and its statistics, straight from X (no
 * weights, all rows): every value, X~'y~, ||y~||^2 and the column norms
 * against direct sums, for row counts around the 4-row groups and the
 * parts, widths around the 4-column chunks, padded leading dimensions. */
START_TEST(copy_colmajor_plain)
{
    /* lines: columns on cache lines (ldx a multiple of 8, aligned), the
     * layout in which whole lines are streamed to memory 8 rows at a time */
    static const size_t ns[] = {1, 3, 4, 5, 9, 16, 4099, 4108};
    static const size_t ps[] = {1, 3, 4, 7, 50};
    unsigned long long seed = 5;
    for (int lines = 0; lines <= 1; lines++)
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++)
        for (size_t b = 0; b < sizeof ps / sizeof *ps; b++)
            for (size_t k = 1; k <= 2; k++) {
                size_t n = ns[a], p = ps[b], ldy = n + 1;
                size_t ldx = lines ? (n + 7) / 8 * 8 : n + 3;
                double *X = malloc(n * p * sizeof *X), *Y = malloc(n * k * sizeof *Y);
                for (size_t i = 0; i < n * p; i++)
                    X[i] = 3.0 + uniform(&seed);
                for (size_t i = 0; i < n * k; i++)
                    Y[i] = 100.0 + 10.0 * uniform(&seed);
                mlc_matrix Xm = mlc_matrix_wrap(X, n, p, p), Ym = mlc_matrix_wrap(Y, n, k, k);
                double *Xc = mlc_aligned_alloc(ldx * p, sizeof *Xc);
                double *Yc = malloc(ldy * k * sizeof *Yc);
                double *XtY = malloc(k * p * sizeof *XtY), *yty = malloc(k * sizeof *yty);
                double *nrm = malloc(p * sizeof *nrm);
                for (int threads = 1; threads <= 2; threads++) {
                    mlc_lin_data d;
                    ck_assert_int_eq(mlc_lin_data_init(&d, &Xm, &Ym, NULL, NULL, 0, 1, 0, threads),
                                     MLC_OK);
                    ck_assert_int_eq(mlc_lin_data_offsets(&d), MLC_OK);
                    ck_assert_int_eq(
                        mlc_lin_copy_colmajor_stats(&d, Xc, ldx, Yc, ldy, XtY, yty, nrm), MLC_OK);
                    for (size_t j = 0; j < p; j++) {
                        long double s = 0, mag = 0;
                        size_t wrong = 0; /* one assertion per column: check logs each one */
                        for (size_t i = 0; i < n; i++) {
                            double v = X[i * p + j] - d.x_offset[j];
                            wrong += Xc[j * ldx + i] != v;
                            s += (long double)v * v;
                        }
                        ck_assert_msg(wrong == 0, "lines=%d n=%zu p=%zu: %zu wrong in column %zu",
                                      lines, n, p, wrong, j);
                        ck_assert(fabsl(nrm[j] - s) <= 1e-13L * (s + 1e-300L));
                        for (size_t t = 0; t < k; t++) {
                            s = 0, mag = 0;
                            for (size_t i = 0; i < n; i++) {
                                double v = X[i * p + j] - d.x_offset[j];
                                double w = Y[i * k + t] - d.y_offset[t];
                                wrong += Yc[t * ldy + i] != w;
                                s += (long double)v * w;
                                mag += fabsl((long double)v * w);
                            }
                            ck_assert_msg(wrong == 0, "n=%zu: Yc wrong", n);
                            ck_assert_msg(fabsl(XtY[t * p + j] - s) <= 1e-13L * mag,
                                          "n=%zu p=%zu k=%zu: X'y at %zu,%zu", n, p, k, t, j);
                        }
                    }
                    for (size_t t = 0; t < k; t++) {
                        long double s = 0;
                        for (size_t i = 0; i < n; i++)
                            s += (long double)Yc[t * ldy + i] * Yc[t * ldy + i];
                        ck_assert(fabsl(yty[t] - s) <= 1e-13L * (s + 1e-300L));
                    }
                    mlc_lin_data_clear(&d);
                }
                mlc_aligned_free(Xc);
                free(X), free(Y), free(Yc), free(XtY), free(yty), free(nrm);
            }
}
END_TEST

/* The copy made before the offsets are known (centred on the mean of the
 * first rows, the rest left in resid) holds X~ + resid to rounding, with
 * the offsets and the statistics of the copy made after them: on columns
 * centred near 0, far from 0, sorted (the first rows' mean far from the
 * mean, where the norm is summed again) and constant. */
/* Every form of the fused column copy the CPU has (wide, 256-bit: 4 x 4
 * transposes, 8-row streamed lines where the copy's columns start on cache
 * lines) gives the plain reference's bits (row by row): the copy, the
 * centred Y, X~'y~, ||y~||^2, the column norms and sums, for row counts
 * around the 4- and 8-row steps and past one 4096-row part, widths 1 .. 9 and
 * 13 (the 4-column tail), one and two targets, streamed and not. (Adding a
 * block's rows to the norms in another order fails here.) */
START_TEST(copy_forms_match_reference)
{
    const size_t ns[] = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 33, 4099};
    const size_t ps[] = {1, 2, 3, 4, 5, 7, 8, 9, 13};
    unsigned long long seed = 31;
    int top = mlc_cpu_level(), checked = 0;
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++)
        for (size_t b = 0; b < sizeof ps / sizeof *ps; b++) {
            size_t n = ns[a], p = ps[b], k = 1 + (a + b) % 2;
            size_t ldx = (a + b) % 2 ? (n + 7) / 8 * 8 : n + 1; /* streamed or not */
            double *X = malloc(n * p * sizeof *X), *Y = malloc(n * k * sizeof *Y);
            double mu[13];
            for (size_t i = 0; i < n * p; i++)
                X[i] = 5.0 * uniform(&seed) + (double)(i % p);
            for (size_t i = 0; i < n * k; i++)
                Y[i] = uniform(&seed);
            for (size_t j = 0; j < p; j++)
                mu[j] = (double)j + 0.1 * uniform(&seed);
            mlc_matrix Xm = mlc_matrix_wrap(X, n, p, p), Ym = mlc_matrix_wrap(Y, n, k, k);
            mlc_lin_data d;
            ck_assert_int_eq(mlc_lin_data_init(&d, &Xm, &Ym, NULL, NULL, 0, 1, 0, 1), MLC_OK);
            ck_assert_int_eq(mlc_lin_data_offsets(&d), MLC_OK);
            size_t len = ldx * p + n * k + k * p + k + 2 * p; /* Xc | Yc | stats */
            double *want = mlc_aligned_alloc(len, sizeof *want);
            double *got = mlc_aligned_alloc(len, sizeof *got);
            for (int level = MLC_SIMD_SCALAR; level <= top; level++) {
                double *o = level == MLC_SIMD_SCALAR ? want : got;
                memset(o, 0, len * sizeof *o);
                double *Yc = o + ldx * p, *xty = Yc + n * k, *yy = xty + k * p, *nrm = yy + k;
                ck_assert_int_eq(mlc_lin_copy_plain_form(level, &d, mu, o, ldx, Yc, n, xty, yy,
                                                         nrm, nrm + p),
                                 MLC_OK);
                if (level == MLC_SIMD_SCALAR)
                    continue;
                for (size_t u = 0; u < len; u++)
                    ck_assert_msg(memcmp(&got[u], &want[u], sizeof *got) == 0,
                                  "level %d, n %zu, p %zu, k %zu, ldx %zu: value %zu %.17g vs "
                                  "%.17g",
                                  level, n, p, k, ldx, u, got[u], want[u]);
                checked++;
            }
            mlc_lin_data_clear(&d);
            mlc_aligned_free(want);
            mlc_aligned_free(got);
            free(X), free(Y);
        }
    ck_assert_int_ge(checked, top >= MLC_SIMD_256 ? 12 * 9 : 0);
}
END_TEST

START_TEST(copy_fused_matches_exact)
{
    static const size_t ns[] = {5, 70, 4108, 9000};
    unsigned long long seed = 11;
    for (size_t a = 0; a < sizeof ns / sizeof *ns; a++) {
        size_t n = ns[a], p = 6, k = 2, ldx = (n + 7) / 8 * 8;
        double *X = malloc(n * p * sizeof *X), *Y = malloc(n * k * sizeof *Y);
        for (size_t i = 0; i < n; i++) {
            X[i * p + 0] = uniform(&seed);
            X[i * p + 1] = 1e6 + uniform(&seed);
            X[i * p + 2] = (double)i / (double)n + 0.01 * uniform(&seed); /* sorted */
            X[i * p + 3] = 0.1;                                            /* constant */
            X[i * p + 4] = -3.0 + 1e-3 * uniform(&seed);
            X[i * p + 5] = 50.0 * uniform(&seed);
            for (size_t t = 0; t < k; t++)
                Y[i * k + t] = 7.0 + X[i * p] + (double)t * X[i * p + 2] + uniform(&seed);
        }
        mlc_matrix Xm = mlc_matrix_wrap(X, n, p, p), Ym = mlc_matrix_wrap(Y, n, k, k);
        double *Xe = mlc_aligned_alloc(ldx * p, sizeof *Xe), *Xf = mlc_aligned_alloc(ldx * p, sizeof *Xf);
        double *Ye = malloc(n * k * sizeof *Ye), *Yf = malloc(n * k * sizeof *Yf);
        double qe[12], qf[12], ye[2], yf[2], ne[6], nf[6], resid[6];
        mlc_lin_data de, df;
        ck_assert_int_eq(mlc_lin_data_init(&de, &Xm, &Ym, NULL, NULL, 0, 1, 0, 1), MLC_OK);
        ck_assert_int_eq(mlc_lin_data_init(&df, &Xm, &Ym, NULL, NULL, 0, 1, 0, 1), MLC_OK);
        df.unchecked = 1;
        ck_assert_int_eq(mlc_lin_data_offsets(&de), MLC_OK);
        ck_assert_int_eq(mlc_lin_copy_colmajor_stats(&de, Xe, ldx, Ye, n, qe, ye, ne), MLC_OK);
        ck_assert_int_eq(mlc_lin_copy_colmajor_fused(&df, Xf, ldx, Yf, n, qf, yf, nf, resid),
                         MLC_OK);
        ck_assert(df.have_offsets && !df.unchecked);
        for (size_t j = 0; j < p; j++) {
            double scale = 0.0; /* the largest |x| of the column */
            for (size_t i = 0; i < n; i++)
                scale = fmax(scale, fabs(X[i * p + j]));
            /* the mean, corrected by a second pass (long double is double
             * under valgrind) */
            double mean = 0.0, corr = 0.0;
            for (size_t i = 0; i < n; i++)
                mean += X[i * p + j];
            mean /= (double)n;
            for (size_t i = 0; i < n; i++)
                corr += X[i * p + j] - mean;
            mean += corr / (double)n;
            ck_assert_msg(fabs(df.x_offset[j] - mean) <= 1e-15 * scale, "n=%zu: offset %zu", n, j);
            long double s = 0;
            double worst = 0.0;
            for (size_t i = 0; i < n; i++) {
                long double v = (long double)X[i * p + j] - mean;
                worst = fmax(worst, (double)fabsl(Xf[j * ldx + i] - resid[j] - v));
                s += v * v;
            }
            /* x minus a mean to rounding */
            ck_assert_msg(worst <= 2e-15 * scale, "n=%zu: column %zu off by %g", n, j, worst);
            ck_assert_msg(fabsl(nf[j] - s) <= 1e-12L * s + 1e-24L * n * scale * scale,
                          "n=%zu: norm %zu: %g vs %Lg", n, j, nf[j], s);
            for (size_t t = 0; t < k; t++)
                ck_assert_msg(fabs(qf[t * p + j] - qe[t * p + j]) <=
                                  1e-12 * sqrt(ne[j] * ye[t]) + 1e-300,
                              "n=%zu: X'y %zu,%zu", n, t, j);
        }
        for (size_t t = 0; t < k; t++) {
            ck_assert_double_eq_tol(yf[t], ye[t], 1e-13 * ye[t]);
            ck_assert_double_eq_tol(df.y_offset[t], de.y_offset[t], 1e-14 * fabs(de.y_offset[t]));
        }
        mlc_lin_data_clear(&de);
        mlc_lin_data_clear(&df);
        mlc_aligned_free(Xe), mlc_aligned_free(Xf);
        free(X), free(Y), free(Ye), free(Yf);
    }
}
END_TEST

/* Fits that leave X's values to the Gram panels report a non-finite value
 * with the scan's status and message, wherever it is, on one thread or two;
 * and give the same model as before on clean data. */
static int fit_one(int which, const mlc_matrix *X, const double *y, int threads)
{
    int st;
    if (which == 0) {
        mlc_ridge_params p = mlc_ridge_params_default();
        p.n_threads = threads;
        mlc_ridge *m = NULL;
        st = mlc_ridge_fit(&p, X, y, &m);
        mlc_ridge_free(m);
    } else if (which == 1) {
        mlc_linear_regression_params p = mlc_linear_regression_params_default();
        p.n_threads = threads;
        mlc_linear_regression *m = NULL;
        st = mlc_linear_regression_fit(&p, X, y, &m);
        mlc_linear_regression_free(m);
    } else if (which == 2) {
        mlc_lasso_params p = mlc_lasso_params_default();
        p.n_threads = threads;
        mlc_lasso *m = NULL;
        st = mlc_lasso_fit(&p, X, y, &m);
        mlc_lasso_free(m);
    } else {
        mlc_elastic_net_params p = mlc_elastic_net_params_default();
        p.n_threads = threads;
        mlc_elastic_net *m = NULL;
        st = mlc_elastic_net_fit(&p, X, y, &m);
        mlc_elastic_net_free(m);
    }
    return st;
}

static void deferred_check(size_t n, size_t p)
{
    double *X = malloc(n * p * sizeof *X), *y = malloc(n * sizeof *y);
    unsigned long long seed = 77;
    for (size_t i = 0; i < n * p; i++)
        X[i] = uniform(&seed);
    for (size_t i = 0; i < n; i++)
        y[i] = X[i * p] - 2.0 * X[i * p + p - 1] + 0.1 * uniform(&seed);
    mlc_matrix Xm = mlc_matrix_wrap(X, n, p, p);
    const size_t at[][2] = {{0, 0}, {1, p / 3}, {n / 2, p / 2}, {n - 1, p - 1}, {63, p - 2}};
    const double bad[] = {NAN, INFINITY, -INFINITY};
    char expected[512];
    for (int which = 0; which < 4; which++) {
        ck_assert_int_eq(fit_one(which, &Xm, y, 1), MLC_OK);
        for (size_t a = 0; a < sizeof at / sizeof *at; a++)
            for (size_t b = 0; b < 3; b++) {
                size_t idx = at[a][0] * p + at[a][1];
                double keep = X[idx];
                X[idx] = bad[b];
                mlc_clear_error();
                ck_assert_int_eq(mlc_check_X(&Xm, "X"), MLC_ENONFINITE);
                snprintf(expected, sizeof expected, "%s", mlc_last_error_message());
                for (int threads = 1; threads <= 2; threads++) {
                    mlc_clear_error();
                    ck_assert_int_eq(fit_one(which, &Xm, y, threads), MLC_ENONFINITE);
                    ck_assert_str_eq(mlc_last_error_message(), expected);
                }
                X[idx] = keep;
            }
    }
    free(X);
    free(y);
}

START_TEST(deferred_check_names_the_value)
{
    deferred_check(3000, 20); /* 22 columns with y and scale: the panel path */
    deferred_check(200, 10);  /* small data: the column sums */
    deferred_check(200, 3);
    deferred_check(100, 150); /* p > n: the column sums of the offsets (CD on columns) */
}
END_TEST

Suite *MLC_SUITE_FN(void)
{
    Suite *s = suite_create("linear_prep");
    TCase *t = tcase_create("moments");
    tcase_add_test(t, gram_every_width);
    tcase_add_test(t, gram_blocks_and_chunks);
    tcase_add_test(t, gram_weights_subsets_targets);
    tcase_add_test(t, gram_far_from_origin);
    tcase_add_test(t, panels_split_bitwise);
    tcase_add_test(t, panels_narrow_same_bits);
    tcase_add_test(t, panels_forms_match_reference);
    tcase_add_test(t, copy_colmajor_plain);
    tcase_add_test(t, copy_fused_matches_exact);
    tcase_add_test(t, copy_forms_match_reference);
    tcase_add_test(t, deferred_check_names_the_value);
    suite_add_tcase(s, t);
    return s;
}
