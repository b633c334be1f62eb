/*
 * units: durations and sizes with their units, parsed and printed.  See
 * units.h.
 */
#include "config.h"

#include "units.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_BYTES 4611686018427387904.0 /* 2^62: far beyond any machine */

struct unit {
	const char *name;
	double factor;
};

static const struct unit duration_units[] = {
	{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {NULL, 0},
};

static const struct unit size_units[] = {
	{"B", 1},
	{"kB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"KiB", 1024.0}, {"MiB", 1048576.0}, {"GiB", 1073741824.0}, {"TiB", 1099511627776.0},
	{NULL, 0},
};

bool gt_units_number(const char *s, double *num, const char **end)
{
	const char *p = s;

	if (*p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	*num = strtod(s, NULL);
	if (!isfinite(*num))
		return false;
	*end = p;
	return true;
}

/* Split S into a number, an optional space and the unit (the rest). */
static bool split(const char *s, double *num, const char **unit)
{
	if (!gt_units_number(s, num, unit))
		return false;
	if (**unit == ' ')
		(*unit)++;
	return true;
}

bool gt_units_duration(const char *s, double *ms, const char **why)
{
	const char *unit;
	double num;

	if (!s || !split(s, &num, &unit)) {
		*why = "must be a number and a unit, such as 500ms or 1.5s";
		return false;
	}
	if (!*unit) {
		*why = "needs a unit: ms, s, m or h (such as 500ms or 1.5s)";
		return false;
	}
	for (const struct unit *u = duration_units; u->name; u++) {
		if (strcmp(unit, u->name) != 0)
			continue;
		if (!(num > 0)) {
			*why = "must be greater than 0";
			return false;
		}
		*ms = num * u->factor;
		return true;
	}
	*why = "has a unit that is not ms, s, m or h (such as 500ms or 1.5s)";
	return false;
}

bool gt_units_bytes(const char *s, uint64_t *bytes, const char **why)
{
	const char *unit;
	double num, v;

	if (!s || !split(s, &num, &unit)) {
		*why = "must be a number and a unit, such as 512MB or 100MiB";
		return false;
	}
	if (!*unit) {
		*why = "needs a unit: B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB "
		       "(powers of 1024)";
		return false;
	}
	for (const struct unit *u = size_units; u->name; u++) {
		if (strcasecmp(unit, u->name) != 0)
			continue;
		v = round(num * u->factor);
		if (!(v >= 1)) {
			*why = "must be at least 1 byte";
			return false;
		}
		if (v > MAX_BYTES) {
			*why = "is too large";
			return false;
		}
		*bytes = (uint64_t)v;
		return true;
	}
	*why = "has a unit that is not B, kB, MB, GB, TB (powers of 1000) or KiB, MiB, GiB, TiB "
	       "(powers of 1024)";
	return false;
}

/* How many times BASE divides V exactly, at most 4. */
static int exact_power(uint64_t v, uint64_t base)
{
	int k = 0;

	while (k < 4 && v && v % base == 0) {
		v /= base;
		k++;
	}
	return k;
}

static const char *const dec_names[] = {"B", "kB", "MB", "GB", "TB"};
static const char *const bin_names[] = {"B", "KiB", "MiB", "GiB", "TiB"};

void gt_units_put_limit_bytes(struct gt_buf *b, uint64_t bytes, bool *decimal)
{
	int kd = exact_power(bytes, 1000), kb = exact_power(bytes, 1024);
	bool dec = kd > kb;
	int k = dec ? kd : kb;
	uint64_t v = bytes;

	for (int i = 0; i < k; i++)
		v /= dec ? 1000 : 1024;
	gt_buf_printf(b, "%llu %s", (unsigned long long)v, dec ? dec_names[k] : bin_names[k]);
	if (decimal)
		*decimal = dec;
}

void gt_units_put_bytes(struct gt_buf *b, double bytes, bool decimal)
{
	double base = decimal ? 1000 : 1024, v = bytes;
	const char *const *names = decimal ? dec_names : bin_names;
	int k = 0;

	if (!(bytes >= base)) {
		gt_buf_printf(b, "%.0f B", bytes);
		return;
	}
	while (k < 4 && v >= base) {
		v /= base;
		k++;
	}
	gt_buf_printf(b, v < 10 ? "%.1f %s" : "%.0f %s", v, names[k]);
}

void gt_units_put_seconds(struct gt_buf *b, double s)
{
	if (s < 1)
		gt_buf_printf(b, s * 1000 >= 100 ? "%.0f ms" : "%.3g ms", s * 1000);
	else
		gt_buf_printf(b, s >= 100 ? "%.0f s" : "%.3g s", s);
}

void gt_units_put_limit_ms(struct gt_buf *b, double ms)
{
	if (ms < 1000)
		gt_buf_printf(b, "%g ms", ms);
	else
		gt_buf_printf(b, "%g s", ms / 1000);
}
