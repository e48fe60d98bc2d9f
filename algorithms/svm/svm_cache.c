/* The kernel-row cache (algorithms/svm/svm_cache.h).
 *
 * Memory is one arena of `slots` rows of n floats each, reserved once and
 * touched as rows are first filled; an evicted row's slot goes to the next
 * row, so a fit allocates nothing per row (a realloc per growing row and a
 * malloc per refill cost a third of a fit at n = 10 000: copies and page
 * faults). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal/error.h"
#include "internal/mem.h"
#include "svm_cache.h"

#define NO_SLOT SIZE_MAX

typedef struct cache_row {
    size_t slot;       /* its slot in the arena, or NO_SLOT */
    size_t len;        /* valid values */
    size_t prev, next; /* LRU list; `n` is the list's head */
    size_t applied;    /* entries of the swap log already applied to the slot */
} cache_row;

/* Swaps of positions change the entries of every cached row. They are
 * logged and applied to a row when it is next used, in order: a shrinking
 * pass makes thousands of swaps, and visiting every cached row for each of
 * them cost a sixth of a fit (n = 10 000); most rows are used again only
 * after several passes, or never. */
typedef struct swap_pair {
    size_t i, j; /* i < j */
} swap_pair;

#define LOG_MAX ((size_t)1 << 20) /* then every row catches up and the log restarts */

struct svm_cache {
    size_t n, slots, next_free; /* slots [next_free, slots) were never used */
    size_t frontier;            /* slots [0, frontier) have their pages entered */
    svm_cache_enter_fn enter;   /* how (NULL: mlc_enter_pages on this thread) */
    void *enter_ctx;
    float *arena;
    cache_row *rows; /* n + 1: the last is the list head */
    swap_pair *log;
    size_t log_len, log_cap;
};

static float *slot_data(const svm_cache *c, size_t slot)
{
    return c->arena + slot * c->n;
}

/* Fresh memory is entered in the page table ahead of the rows, a stretch
 * of slots at a time, in one call (on the team of threads when the solver
 * gives one: svm_cache_set_enter), rather than a page fault per page as
 * rows are first filled:
 *  - a fill on a team of threads whose parts take page faults gets parts
 *    of uneven length; the team then judges its helpers slower than they
 *    are and sends them home (SVC 10 000 x 20 on two threads: 0.50 s a fit
 *    with faults in the parts, 0.37 s without);
 *  - entering pages is a fifth of a large fit (SVR 7 500 x 20 fills its
 *    whole 200 MB: 85-90 ms a fit, row by row on the caller) and runs at
 *    2.5 GB/s row by row, 3.3 GB/s in large stretches and 6 GB/s on two
 *    threads.
 * Slots are handed out in order, so the entered ones are a prefix. A small
 * arena (under ENTER_MIN_BYTES) is left to fault: it comes back from the
 * heap fit after fit, mostly entered already (the pairs of a digits fit). */
#define ENTER_MIN_BYTES ((size_t)4 << 20)
#define ENTER_STRETCH_BYTES ((size_t)4 << 20)

static void advance_frontier(svm_cache *c, size_t need)
{
    size_t row_bytes = c->n * sizeof(float);
    if (c->slots * row_bytes < ENTER_MIN_BYTES) {
        c->frontier = c->slots;
        return;
    }
    size_t to = c->frontier + ENTER_STRETCH_BYTES / row_bytes;
    if (to < need)
        to = need;
    if (to > c->slots)
        to = c->slots;
    float *from = slot_data(c, c->frontier);
    size_t bytes = (to - c->frontier) * row_bytes;
    if (c->enter)
        c->enter(c->enter_ctx, from, bytes);
    else
        mlc_enter_pages(from, bytes);
    c->frontier = to;
}

static void unlink_row(svm_cache *c, size_t r)
{
    cache_row *h = &c->rows[r];
    c->rows[h->prev].next = h->next;
    c->rows[h->next].prev = h->prev;
}

/* As the most recently used: just before the head. */
static void link_row(svm_cache *c, size_t r)
{
    size_t head = c->n;
    cache_row *h = &c->rows[r];
    h->next = head;
    h->prev = c->rows[head].prev;
    c->rows[h->prev].next = r;
    c->rows[head].prev = r;
}

/* Apply the logged swaps this row has not seen. */
static void catch_up(svm_cache *c, cache_row *h)
{
    float *d = h->slot == NO_SLOT ? NULL : slot_data(c, h->slot);
    for (size_t k = h->applied; k < c->log_len && h->len; k++) {
        size_t i = c->log[k].i, j = c->log[k].j;
        if (h->len > j) {
            float t = d[i];
            d[i] = d[j];
            d[j] = t;
        } else if (h->len > i) {
            h->len = i;
        }
    }
    h->applied = c->log_len;
}

int svm_cache_new(size_t n, size_t budget_bytes, svm_cache **out)
{
    *out = NULL;
    svm_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->rows = calloc(n + 1, sizeof *c->rows))) {
        free(c);
        return mlc_raise_nomem("the kernel cache");
    }
    c->n = n;
    size_t row_bytes = (n ? n : 1) * sizeof(float);
    c->slots = budget_bytes / row_bytes;
    if (c->slots > n)
        c->slots = n;
    if (c->slots < 2)
        c->slots = 2;
    /* Ordinary pages, from malloc (internal/mem.h says why not huge ones);
     * a small arena then comes back from the heap fit after fit. */
    c->arena = malloc(c->slots * row_bytes);
    if (!c->arena) {
        free(c->rows);
        free(c);
        return mlc_raise_nomem("the kernel cache");
    }
    for (size_t r = 0; r < n; r++)
        c->rows[r].slot = NO_SLOT;
    c->rows[n].prev = c->rows[n].next = n;
    *out = c;
    return MLC_OK;
}

void svm_cache_set_enter(svm_cache *c, svm_cache_enter_fn enter, void *ctx)
{
    c->enter = enter;
    c->enter_ctx = ctx;
}

void svm_cache_free(svm_cache *c)
{
    if (!c)
        return;
    free(c->arena);
    free(c->rows);
    free(c->log);
    free(c);
}

int svm_cache_row(svm_cache *c, size_t r, size_t len, float **data, size_t *valid)
{
    cache_row *h = &c->rows[r];
    if (h->slot != NO_SLOT) {
        catch_up(c, h);
        unlink_row(c, r);
    } else {
        /* A never-used slot, else the least recently used row's: the row
         * asked for just before this one is the most recent, so it stays. */
        if (c->next_free < c->slots) {
            h->slot = c->next_free++;
            if (h->slot >= c->frontier)
                advance_frontier(c, h->slot + 1);
        } else {
            size_t old = c->rows[c->n].next;
            unlink_row(c, old);
            h->slot = c->rows[old].slot;
            c->rows[old].slot = NO_SLOT;
            c->rows[old].len = 0;
        }
        h->len = 0;
        h->applied = c->log_len;
    }
    *valid = h->len < len ? h->len : len;
    *data = slot_data(c, h->slot);
    if (h->len < len)
        h->len = len; /* the caller fills [valid, len) */
    link_row(c, r);
    return MLC_OK;
}

void svm_cache_swap(svm_cache *c, size_t i, size_t j)
{
    if (i == j)
        return;
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    cache_row *a = &c->rows[i], *b = &c->rows[j];
    if (a->slot != NO_SLOT)
        unlink_row(c, i);
    if (b->slot != NO_SLOT)
        unlink_row(c, j);
    cache_row t = *a;
    a->slot = b->slot, a->len = b->len, a->applied = b->applied;
    b->slot = t.slot, b->len = t.len, b->applied = t.applied;
    if (a->slot != NO_SLOT)
        link_row(c, i);
    if (b->slot != NO_SLOT)
        link_row(c, j);
    if (c->log_len == c->log_cap) {
        if (c->log_cap >= LOG_MAX) { /* bring every row up to date, restart the log */
            for (size_t r = c->rows[c->n].next; r != c->n; r = c->rows[r].next)
                catch_up(c, &c->rows[r]);
            for (size_t r = 0; r < c->n; r++)
                c->rows[r].applied = 0;
            c->log_len = 0;
        } else {
            size_t cap = c->log_cap ? 2 * c->log_cap : 1024;
            swap_pair *grown = realloc(c->log, cap * sizeof *grown);
            if (!grown) { /* no room to log: bring every row up to date, then swap */
                for (size_t r = c->rows[c->n].next; r != c->n; r = c->rows[r].next) {
                    cache_row *h = &c->rows[r];
                    catch_up(c, h);
                    float *d = slot_data(c, h->slot);
                    if (h->len > j) {
                        float v = d[i];
                        d[i] = d[j];
                        d[j] = v;
                    } else if (h->len > i) {
                        h->len = i;
                    }
                }
                return;
            }
            c->log = grown;
            c->log_cap = cap;
        }
    }
    c->log[c->log_len].i = i;
    c->log[c->log_len].j = j;
    c->log_len++;
}
