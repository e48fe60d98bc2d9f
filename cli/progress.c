/* The progress line of fit, cv and grid: the library's progress callback
 * (mlc_estimator_set_progress) drawn on stderr, one line redrawn in place
 * on a terminal, or one line per report with --progress elsewhere. The
 * same callback stops the fit cleanly on Ctrl-C (a second one kills). */
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "cli.h"

int cli_progress_mode(const cli_opts *o)
{
    int tty = isatty(STDERR_FILENO);
    if (o->progress < 0)
        return CLI_PROGRESS_OFF;
    if (o->progress > 0)
        return tty ? CLI_PROGRESS_LINE : CLI_PROGRESS_LOG;
    return !o->quiet && tty ? CLI_PROGRESS_LINE : CLI_PROGRESS_OFF;
}

/* Ctrl-C during a fit: the next report asks the library to stop. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
    interrupted = 1;
    signal(sig, SIG_DFL); /* a second Ctrl-C ends the process at once */
}

/* Columns of the terminal on stderr (80 when it does not say). */
static size_t terminal_width(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    return 80;
}

/* Draw text: in place of the last line (padded over what was longer, cut
 * to the terminal), or as a line of its own. */
static void show(cli_progress *pg, const char *text)
{
    if (pg->mode == CLI_PROGRESS_LOG) {
        fprintf(stderr, "%s\n", text);
        return;
    }
    if (pg->mode != CLI_PROGRESS_LINE)
        return;
    size_t len = strlen(text), room = pg->width > 1 ? pg->width - 1 : 1;
    if (len > room)
        len = room;
    size_t pad = pg->shown > len ? pg->shown - len : 0;
    fprintf(stderr, "\r%.*s%*s", (int)len, text, (int)pad, "");
    if (pad)
        fprintf(stderr, "\r%.*s", (int)len, text);
    fflush(stderr);
    pg->shown = len;
}

/* Append to line[cap] at *n (cut at the end of the buffer). */
static void append(char *line, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void append(char *line, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int w = vsnprintf(line + *n, cap - *n, fmt, ap);
    va_end(ap);
    if (w > 0)
        *n = *n + (size_t)w < cap ? *n + (size_t)w : cap - 1;
}

/* "svc: fold 2/5, pair 3/45  17%  iter 1200  gap 3.1e-02  0:04" */
static int draw(const mlc_progress *p, void *user)
{
    cli_progress *pg = user;
    if (interrupted)
        return 1;
    if (pg->mode == CLI_PROGRESS_OFF)
        return 0;
    char line[512];
    size_t n = 0, cap = sizeof line;
    append(line, cap, &n, "%s: %s", p->estimator, p->stage);
    if (p->fraction >= 0.0)
        append(line, cap, &n, "  %d%%", (int)(100.0 * p->fraction));
    if (p->max_iter > 0)
        append(line, cap, &n, "  iter %lld/%lld", (long long)p->iter, (long long)p->max_iter);
    else
        append(line, cap, &n, "  iter %lld", (long long)p->iter);
    if (p->measure_name[0] && !isnan(p->measure))
        append(line, cap, &n, "  %s %.1e", p->measure_name, p->measure);
    long s = (long)p->elapsed;
    if (s >= 3600)
        append(line, cap, &n, "  %ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
    else
        append(line, cap, &n, "  %ld:%02ld", s / 60, s % 60);
    show(pg, line);
    return 0;
}

void cli_progress_attach(const cli_opts *o, mlc_estimator *e, cli_progress *pg)
{
    memset(pg, 0, sizeof *pg);
    pg->mode = cli_progress_mode(o);
    pg->width = pg->mode == CLI_PROGRESS_LINE ? terminal_width() : 0;
    interrupted = 0;
    signal(SIGINT, on_interrupt);
    mlc_estimator_set_progress(e, draw, pg);
}

void cli_progress_note(cli_progress *pg, const char *text)
{
    if (pg->mode == CLI_PROGRESS_LINE)
        show(pg, text);
}

void cli_progress_clear(cli_progress *pg)
{
    signal(SIGINT, SIG_DFL);
    if (pg->mode == CLI_PROGRESS_LINE && pg->shown) {
        fprintf(stderr, "\r%*s\r", (int)pg->shown, "");
        fflush(stderr);
    }
    pg->shown = 0;
}
