/* The kernel-row cache (algorithms/svm/svm_cache.h). */
#include <stdlib.h>
#include "internal/error.h"
#include "svm_cache.h"

typedef struct cache_row {
    float *data;
    size_t len, cap;   /* valid values, allocated values */
    size_t prev, next; /* LRU list; `n` is the list's head */
    size_t applied;    /* entries of the swap log already applied to data */
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
    size_t n, used, budget; /* in values */
    cache_row *rows;        /* n + 1: the last is the list head */
    swap_pair *log;
    size_t log_len, log_cap;
};

/* Apply the logged swaps this row has not seen. */
static void catch_up(svm_cache *c, cache_row *h)
{
    for (size_t k = h->applied; k < c->log_len && h->len; k++) {
        size_t i = c->log[k].i, j = c->log[k].j;
        if (h->len > j) {
            float t = h->data[i];
            h->data[i] = h->data[j];
            h->data[j] = t;
        } else if (h->len > i) {
            h->len = i;
        }
    }
    h->applied = c->log_len;
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

int svm_cache_new(size_t n, size_t budget_bytes, svm_cache **out)
{
    *out = NULL;
    svm_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->rows = calloc(n + 1, sizeof *c->rows))) {
        free(c);
        return mlc_raise_nomem("the kernel cache");
    }
    c->n = n;
    c->budget = budget_bytes / sizeof(float);
    if (c->budget < 2 * n)
        c->budget = 2 * n;
    c->rows[n].prev = c->rows[n].next = n;
    *out = c;
    return MLC_OK;
}

void svm_cache_free(svm_cache *c)
{
    if (!c)
        return;
    for (size_t r = 0; r < c->n; r++)
        free(c->rows[r].data);
    free(c->rows);
    free(c->log);
    free(c);
}

int svm_cache_row(svm_cache *c, size_t r, size_t len, float **data, size_t *valid)
{
    cache_row *h = &c->rows[r];
    catch_up(c, h);
    if (h->cap)
        unlink_row(c, r);
    if (h->cap < len) {
        size_t more = len - h->cap;
        /* Evict from the least recently used end; the row asked for before
         * this one is the most recent, so it stays while two rows fit. */
        while (c->used + more > c->budget && c->rows[c->n].next != c->n) {
            size_t old = c->rows[c->n].next;
            unlink_row(c, old);
            free(c->rows[old].data);
            c->used -= c->rows[old].cap;
            c->rows[old].data = NULL;
            c->rows[old].len = c->rows[old].cap = 0;
        }
        float *grown = realloc(h->data, len * sizeof *grown);
        if (!grown) {
            if (h->cap)
                link_row(c, r);
            return mlc_raise_nomem("a kernel cache row");
        }
        h->data = grown;
        c->used += more;
        h->cap = len;
    }
    *valid = h->len < len ? h->len : len;
    if (h->len < len)
        h->len = len; /* the caller fills [valid, len) */
    link_row(c, r);
    *data = h->data;
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
    if (a->cap)
        unlink_row(c, i);
    if (b->cap)
        unlink_row(c, j);
    float *td = a->data;
    size_t tl = a->len, tc = a->cap, ta = a->applied;
    a->data = b->data, a->len = b->len, a->cap = b->cap, a->applied = b->applied;
    b->data = td, b->len = tl, b->cap = tc, b->applied = ta;
    if (a->cap)
        link_row(c, i);
    if (b->cap)
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
            if (!grown) { /* no room to log: apply this swap to every row now */
                for (size_t r = c->rows[c->n].next; r != c->n; r = c->rows[r].next)
                    catch_up(c, &c->rows[r]);
                for (size_t r = c->rows[c->n].next; r != c->n; r = c->rows[r].next) {
                    cache_row *h = &c->rows[r];
                    if (h->len > j) {
                        float t = h->data[i];
                        h->data[i] = h->data[j];
                        h->data[j] = t;
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
