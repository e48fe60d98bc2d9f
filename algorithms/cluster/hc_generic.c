/* Complete and average linkage on the condensed distance matrix by
 * Müllner's generic algorithm (Müllner 2011, arXiv:1109.2378, section 3.1,
 * figure 2 "GENERIC_LINKAGE"), with the Lance-Williams updates (Lance &
 * Williams 1967).
 *
 * Each active slot x keeps a candidate nn[x] for its nearest neighbour
 * among the active slots above it, and a lower bound mind[x] of that
 * distance; a heap orders the slots by their bound. The slot at the top
 * is checked (its candidate's distance equals the bound: the pair is the
 * closest of all) or its row is searched again and it sinks. So a search
 * reads a row of the upper triangle, in order; the nearest-neighbour
 * chain (scipy's) reads the column part of the row too, a cache line per
 * entry, at every link, about three times a merge.
 *
 * The top slot a merges with its candidate b (a < b); a keeps the union
 * and its distances d(a, x) are rewritten for every active x. Bounds stay
 * bounds: a slot below a saw both a and b, and the new d(x, a) is at least
 * the least of the two for complete and average linkage (Müllner's
 * figure keeps the union in b and lowers the bounds a new distance falls
 * below; keeping it in a, nothing falls below a bound). A slot below a
 * whose candidate was b takes a; one between a and b has no candidate
 * until it is searched again; a's own candidate is the least of its new
 * row, found as the row is written.
 *
 * The linkages are reducible, so the merges are those of the
 * nearest-neighbour chain, found in order of height (the same tree when
 * no two distances tie; under ties the tree is not defined:
 * docs/PARITY.md §9). The update reads and writes down columns, a cache
 * miss per entry below b (about 17 ns each here): it is most of the time,
 * and it runs in parts on the threads. */
#include <math.h>
#include <stdlib.h>
#include "hc_tree.h"
#include "internal/error.h"
#include "internal/hot.h"
#include "internal/parallel.h"
#include "internal/step_team.h"

#define MAX_PARTS 64
/* Entries ahead whose strided distances are prefetched: an update reads
 * and writes down a column, a cache line per row. */
#define AHEAD 16

typedef struct generic_state {
    double *D;      /* the condensed distances, rewritten by the merges */
    size_t n;
    size_t *row;    /* d(x, y), x < y, is D[row[x] + y] */
    size_t *active; /* the active slots in index order (SIZE_MAX: merged away) */
    size_t alen, dead;
    size_t *pos;    /* slot -> its entry of active */
    size_t *size;   /* members of the cluster in slot i */
    size_t *nn;     /* slot -> its candidate above it (SIZE_MAX: none) */
    double *mind;   /* slot -> a lower bound of its distance to the active slots above it */
    size_t *heap, *hpos, hlen; /* slots by (mind, slot); hpos: slot -> its heap entry */
    int method;
    /* a search: row x over the entries [from, to) of active */
    size_t x, from, to;
    double part_min[MAX_PARTS];
    size_t part_at[MAX_PARTS];
    /* a merge: slots a < b, a keeps the union (sizes na, nb before) */
    size_t a, b, na, nb;
    int given;      /* the first candidates came with the matrix */
    mlc_parts parts;
    mlc_step_team *team;
    mlc_progress_ctx *progress;
    hc_merge *merges;
} generic_state;

/* Whether (d, j) comes before (min, at): by distance, then by slot. */
static inline int nearer(double d, size_t j, double min, size_t at)
{
    return d < min || (d == min && j < at);
}

/* ---- the heap of slots by (bound, slot) ---- */

static inline int heap_before(const generic_state *s, size_t u, size_t v)
{
    return nearer(s->mind[u], u, s->mind[v], v);
}

static void heap_place(generic_state *s, size_t e, size_t slot)
{
    s->heap[e] = slot;
    s->hpos[slot] = e;
}

static void heap_up(generic_state *s, size_t e)
{
    size_t slot = s->heap[e];
    while (e > 0) {
        size_t parent = (e - 1) / 2;
        if (!heap_before(s, slot, s->heap[parent]))
            break;
        heap_place(s, e, s->heap[parent]);
        e = parent;
    }
    heap_place(s, e, slot);
}

static void heap_down(generic_state *s, size_t e)
{
    size_t slot = s->heap[e];
    for (;;) {
        size_t c = 2 * e + 1;
        if (c >= s->hlen)
            break;
        if (c + 1 < s->hlen && heap_before(s, s->heap[c + 1], s->heap[c]))
            c++;
        if (!heap_before(s, s->heap[c], slot))
            break;
        heap_place(s, e, s->heap[c]);
        e = c;
    }
    heap_place(s, e, slot);
}

/* Slot x's bound changed: its entry moves up or down. */
static void heap_update(generic_state *s, size_t x)
{
    heap_up(s, s->hpos[x]);
    heap_down(s, s->hpos[x]);
}

static void heap_remove(generic_state *s, size_t x)
{
    size_t e = s->hpos[x], last = s->heap[--s->hlen];
    if (last == x)
        return;
    heap_place(s, e, last);
    heap_update(s, last);
}

/* ---- searching a row ---- */

/* An entry of an update against a term of a search, in HC_STEP_MIN_WORK's
 * units: the update's entries down a column miss the cache (about 17 ns
 * each at 10 000 rows, against a nanosecond for an entry read in order). */
#define UPDATE_ENTRY_WORK 16

/* Parts of a step over len entries of `weight` terms each: one per thread
 * of the team, or one while the step is under HC_STEP_MIN_WORK terms. */
static void parts_for(generic_state *s, size_t len, double weight)
{
    int size = mlc_step_team_size(s->team);
    size_t parts = size > 1 && (double)len * weight >= HC_STEP_MIN_WORK ? (size_t)size : 1;
    s->parts = mlc_parts_even(len, parts < MAX_PARTS ? parts : MAX_PARTS, 8);
}

/* The nearest to x of the slots in part q of the entries [from, to). */
static void search_part(void *ctx, size_t q)
{
    generic_state *s = ctx;
    size_t lo = s->from + mlc_part_lo(&s->parts, q), hi = s->from + mlc_part_hi(&s->parts, q);
    const double *rx = s->D + s->row[s->x];
    double min = INFINITY;
    size_t at = SIZE_MAX;
    for (size_t e = lo; e < hi; e++) {
        size_t j = s->active[e];
        if (j != SIZE_MAX && nearer(rx[j], j, min, at)) {
            min = rx[j];
            at = j;
        }
    }
    s->part_min[q] = min;
    s->part_at[q] = at;
}

/* The nearest of the parts' answers into nn[x], mind[x]. */
static void combine_parts(generic_state *s, size_t x)
{
    double min = INFINITY;
    size_t at = SIZE_MAX;
    for (size_t q = 0; q < s->parts.count; q++)
        if (s->part_at[q] != SIZE_MAX && nearer(s->part_min[q], s->part_at[q], min, at)) {
            min = s->part_min[q];
            at = s->part_at[q];
        }
    s->nn[x] = at;
    s->mind[x] = min;
}

/* nn[x] and mind[x] from x's row, exactly. */
static void search(generic_state *s, size_t x)
{
    s->x = x;
    s->from = s->pos[x] + 1;
    s->to = s->alen;
    parts_for(s, s->to - s->from, 1.0);
    mlc_step_team_parts(s->team, s->parts.count, search_part, s);
    combine_parts(s, x);
}

/* The first candidates, when not given: every row searched, rows dealt to
 * the parts in turn (the triangle's rows shrink). */
static void first_part(void *ctx, size_t q)
{
    generic_state *s = ctx;
    for (size_t x = q; x < s->n; x += s->parts.count)
        hc_row_nearest(s->D + s->row[x] + x + 1, s->n - 1 - x, x + 1, &s->mind[x], &s->nn[x]);
}

/* ---- merging ---- */

/* d(a, x) rewritten over part q (a keeps the union of a and b, a < b),
 * the candidates of the slots below b kept (see the top of the file), and
 * the nearest slot above a (a's new row: its candidate) in part_min /
 * part_at. */
static void update_part(void *ctx, size_t q)
{
    generic_state *s = ctx;
    size_t lo = mlc_part_lo(&s->parts, q), hi = mlc_part_hi(&s->parts, q);
    size_t a = s->a, b = s->b;
    double na = (double)s->na, nb = (double)s->nb;
    double min = INFINITY;
    size_t at = SIZE_MAX;
    for (size_t e = lo; e < hi; e++) {
        if (e + AHEAD < hi) {
            size_t ahead = s->active[e + AHEAD];
            if (ahead < b) { /* SIZE_MAX is not */
                MLC_PREFETCH(hc_condensed_at(s->D, s->row, ahead, b), 0, 3);
                if (ahead < a)
                    MLC_PREFETCH(hc_condensed_at(s->D, s->row, ahead, a), 1, 3);
            }
        }
        size_t x = s->active[e];
        if (x == SIZE_MAX || x == a)
            continue;
        double *dax = hc_condensed_at(s->D, s->row, a, x);
        double v = hc_lance_williams(s->method, na, nb, *dax, *hc_condensed_at(s->D, s->row, b, x));
        *dax = v;
        if (x < a) {
            if (s->nn[x] == b)
                s->nn[x] = a;
        } else {
            if (x < b && s->nn[x] == b) /* b has gone and a is not above x */
                s->nn[x] = SIZE_MAX;
            if (v < min) {
                min = v;
                at = x;
            }
        }
    }
    s->part_min[q] = min;
    s->part_at[q] = at;
}

static void compact(generic_state *s)
{
    size_t w = 0;
    for (size_t e = 0; e < s->alen; e++)
        if (s->active[e] != SIZE_MAX)
            s->active[w++] = s->active[e];
    s->alen = w;
    for (size_t e = 0; e < w; e++)
        s->pos[s->active[e]] = e;
    s->dead = 0;
}

/* Slots a and b merged into a (b has left the heap and the list). */
static void merge(generic_state *s)
{
    parts_for(s, s->alen, UPDATE_ENTRY_WORK);
    mlc_step_team_parts(s->team, s->parts.count, update_part, s);
    combine_parts(s, s->a);
    heap_update(s, s->a);
}

static int generic_loop(void *ctx, mlc_step_team *team)
{
    generic_state *s = ctx;
    s->team = team;
    size_t n = s->n;
    if (!s->given) {
        s->parts = mlc_parts_even(n, (size_t)mlc_step_team_size(team), 1);
        mlc_step_team_parts(team, s->parts.count, first_part, s);
    }
    for (size_t x = 0; x < n; x++)
        heap_place(s, x, x);
    s->hlen = n;
    for (size_t e = n / 2; e-- > 0;)
        heap_down(s, e);
    for (size_t k = 0; k + 1 < n; k++) {
        size_t a, b;
        for (;;) { /* the top's candidate, checked, or its row searched again */
            a = s->heap[0];
            b = s->nn[a];
            if (!(s->mind[a] < INFINITY))
                return mlc_raise(MLC_ERANGE, "the distances between clusters overflow (values "
                                             "too large for double precision)");
            if (b != SIZE_MAX && *hc_condensed_at(s->D, s->row, a, b) == s->mind[a])
                break;
            search(s, a);
            heap_update(s, a);
        }
        s->merges[k] = (hc_merge){a, b, s->mind[a]};
        s->a = a;
        s->b = b;
        s->na = s->size[a];
        s->nb = s->size[b];
        s->size[a] += s->size[b];
        s->size[b] = 0;
        s->active[s->pos[b]] = SIZE_MAX;
        heap_remove(s, b);
        merge(s);
        if (++s->dead * 16 > s->alen)
            compact(s);
        if (mlc_progress_tick(s->progress, (int64_t)k + 1, (int64_t)n - 1, NAN, NULL))
            return MLC_EINTERRUPTED;
    }
    return MLC_OK;
}

int hc_generic_linkage(double *D, size_t n, const double *near_dist, const size_t *near_at,
                       int method, int n_threads, mlc_progress_ctx *progress,
                       hc_merge *merges)
{
    generic_state s = {.D = D, .n = n, .method = method, .alen = n, .progress = progress,
                       .merges = merges, .given = near_dist != NULL};
    s.row = malloc(n * sizeof *s.row);
    s.active = malloc(n * sizeof *s.active);
    s.pos = malloc(n * sizeof *s.pos);
    s.size = malloc(n * sizeof *s.size);
    s.nn = malloc(n * sizeof *s.nn);
    s.mind = malloc(n * sizeof *s.mind);
    s.heap = malloc(n * sizeof *s.heap);
    s.hpos = malloc(n * sizeof *s.hpos);
    int st;
    if (!s.row || !s.active || !s.pos || !s.size || !s.nn || !s.mind || !s.heap || !s.hpos) {
        st = mlc_raise_nomem("the linkage's neighbour candidates");
    } else {
        for (size_t i = 0; i < n; i++) {
            s.row[i] = hc_condensed_row(n, i);
            s.active[i] = i;
            s.pos[i] = i;
            s.size[i] = 1;
            if (near_dist) {
                s.mind[i] = near_dist[i];
                s.nn[i] = near_at[i];
            }
        }
        double first = (double)n * (double)n / 2;
        int threads = mlc_threads_for(n_threads, n / 1024 + 1, first, HC_STEP_MIN_WORK);
        st = mlc_step_team_run(threads, generic_loop, &s);
    }
    free(s.row);
    free(s.active);
    free(s.pos);
    free(s.size);
    free(s.nn);
    free(s.mind);
    free(s.heap);
    free(s.hpos);
    return st;
}
