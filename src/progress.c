/*
 * progress: the in-place progress line of a check.  See progress.h.
 */
#include "config.h"

#include "progress.h"

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "escape.h"
#include "util.h"

/* A long case name is cut so that the line fits a narrow terminal. */
#define MAX_NAME 48

static struct {
	bool on, shown;
	size_t n;
	uint64_t t0;
} p;

void gt_progress_start(size_t n, bool enabled)
{
	p.on = enabled && n > 0 && isatty(STDERR_FILENO);
	p.shown = false;
	p.n = n;
	p.t0 = gt_now_ns();
}

void gt_progress_case(size_t i, const char *name)
{
	struct gt_buf b = {0};
	size_t len;

	if (!p.on)
		return;
	/* The name is the config's: escaped, so that it cannot drive the
	 * terminal. */
	gt_escape_str(&b, name, GT_ESC_INLINE);
	len = b.len > MAX_NAME ? MAX_NAME : b.len;
	fflush(stdout);
	fprintf(stderr, "\r\033[Kcase %zu/%zu %.*s%s  %.1f s", i, p.n, (int)len, b.s,
		len < b.len ? "..." : "", (double)(gt_now_ns() - p.t0) / 1e9);
	fflush(stderr);
	p.shown = true;
	gt_buf_free(&b);
}

void gt_progress_clear(void)
{
	if (!p.shown)
		return;
	fputs("\r\033[K", stderr);
	fflush(stderr);
	p.shown = false;
}

void gt_progress_end(void)
{
	gt_progress_clear();
	p.on = false;
}
