/*
 * headroom: a case's measurements against its budgets and bands, computed
 * once and rendered for each report.  See headroom.h.
 */
#include "config.h"

#include "headroom.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gtconfig.h"
#include "units.h"

/* The order the reports list them in. */
static const unsigned order[GT_HEADROOM_METRICS] = {
	GT_METRIC_WALL, GT_METRIC_SYSCALLS, GT_METRIC_RSS,
};

static const struct {
	const char *name;   /* in the text */
	const char *prop;   /* property prefix */
	const char *unit;   /* property suffix */
} info[GT_HEADROOM_METRICS] = {
	[GT_METRIC_WALL] = {"wall", "wall", "_s"},
	[GT_METRIC_RSS] = {"rss", "rss", "_bytes"},
	[GT_METRIC_SYSCALLS] = {"syscalls", "syscalls", ""},
};

void gt_headroom_compute(const struct gt_trace *golden, const struct gt_trace *new_,
			 const struct gt_case *c, struct gt_headroom *h)
{
	const struct gt_budgets *bu = c ? &c->budgets : NULL;

	memset(h, 0, sizeof(*h));
	if (!new_)
		return;
	for (int i = 0; i < GT_HEADROOM_METRICS; i++) {
		struct gt_headroom_metric *m = &h->m[i];
		enum gt_metric k = (enum gt_metric)i;

		gt_trace_metric(new_, k, &m->value, &m->worst);
		m->have = m->value > 0 || m->worst > 0;
		if (golden) {
			m->has_band = gt_metric_band(golden, c, k, &m->lo, &m->hi,
						     &m->golden_median);
			m->has_golden = m->golden_median > 0;
		}
	}
	if (!bu)
		return;
	if (bu->max_duration_ms > 0) {
		h->m[GT_METRIC_WALL].has_budget = true;
		h->m[GT_METRIC_WALL].budget = bu->max_duration_ms / 1000;
	}
	if (bu->max_syscalls > 0) {
		h->m[GT_METRIC_SYSCALLS].has_budget = true;
		h->m[GT_METRIC_SYSCALLS].budget = (double)bu->max_syscalls;
	}
	if (bu->max_rss_bytes > 0) {
		struct gt_buf ignored = {0};

		h->m[GT_METRIC_RSS].has_budget = true;
		h->m[GT_METRIC_RSS].budget = (double)bu->max_rss_bytes;
		gt_units_put_limit_bytes(&ignored, bu->max_rss_bytes,
					 &h->m[GT_METRIC_RSS].budget_decimal);
		gt_buf_free(&ignored);
	}
}

bool gt_headroom_any(const struct gt_headroom *h)
{
	for (int i = 0; i < GT_HEADROOM_METRICS; i++)
		if (h->m[i].have)
			return true;
	return false;
}

double gt_headroom_used_pct(const struct gt_headroom_metric *m)
{
	if (!m->has_budget || !(m->budget > 0))
		return -1;
	return 100 * m->worst / m->budget;
}

/* Append V in metric K's unit (RSS in decimal units when DEC). */
static void put_value(struct gt_buf *b, enum gt_metric k, double v, bool dec)
{
	switch (k) {
	case GT_METRIC_WALL:
		gt_units_put_seconds(b, v);
		break;
	case GT_METRIC_RSS:
		gt_units_put_bytes(b, v, dec);
		break;
	case GT_METRIC_SYSCALLS:
		gt_buf_printf(b, "%.0f", v);
		break;
	}
}

/* "[LO, HI] UNIT": the band's ends without their unit, then the unit. */
static void put_band(struct gt_buf *b, enum gt_metric k, const struct gt_headroom_metric *m)
{
	struct gt_buf lo = {0}, hi = {0};
	const char *unit_lo, *unit_hi;

	put_value(&lo, k, m->lo, m->budget_decimal);
	put_value(&hi, k, m->hi, m->budget_decimal);
	unit_lo = strrchr(lo.s, ' ');
	unit_hi = strrchr(hi.s, ' ');
	if (unit_lo && unit_hi && strcmp(unit_lo, unit_hi) == 0)
		gt_buf_printf(b, "band [%.*s, %.*s]%s", (int)(unit_lo - lo.s), lo.s,
			      (int)(unit_hi - hi.s), hi.s, unit_hi);
	else
		gt_buf_printf(b, "band [%s, %s]", lo.s, hi.s);
	gt_buf_free(&lo);
	gt_buf_free(&hi);
}

static void put_pct(struct gt_buf *b, double pct)
{
	gt_buf_printf(b, pct >= 10 || pct == 0 ? "%.0f%%" : "%.1f%%", pct);
}

static void metric_text(struct gt_buf *b, enum gt_metric k, const struct gt_headroom_metric *m)
{
	bool dec = m->budget_decimal;

	gt_buf_printf(b, "%s ", info[k].name);
	put_value(b, k, m->value, dec);
	if (m->worst > m->value && (m->has_budget || k != GT_METRIC_SYSCALLS)) {
		gt_buf_puts(b, k == GT_METRIC_WALL ? " (slowest " : " (largest ");
		put_value(b, k, m->worst, dec);
		gt_buf_putc(b, ')');
	}
	if (m->has_budget) {
		gt_buf_puts(b, " of ");
		if (k == GT_METRIC_WALL)
			gt_units_put_limit_ms(b, m->budget * 1000);
		else if (k == GT_METRIC_RSS)
			gt_units_put_limit_bytes(b, (uint64_t)m->budget, NULL);
		else
			gt_buf_printf(b, "%.0f", m->budget);
		gt_buf_puts(b, " budget (");
		put_pct(b, gt_headroom_used_pct(m));
		gt_buf_putc(b, ')');
	}
	if (m->has_band) {
		gt_buf_puts(b, ", ");
		put_band(b, k, m);
	} else if (m->has_golden) {
		gt_buf_puts(b, ", golden ");
		put_value(b, k, m->golden_median, dec);
	}
}

void gt_headroom_text(const struct gt_headroom *h, struct gt_buf *b)
{
	bool first = true;

	gt_buf_add(b, "", 0);
	for (int i = 0; i < GT_HEADROOM_METRICS; i++) {
		const struct gt_headroom_metric *m = &h->m[order[i] % GT_HEADROOM_METRICS];

		if (!m->have)
			continue;
		if (!first)
			gt_buf_puts(b, "; ");
		metric_text(b, (enum gt_metric)order[i], m);
		first = false;
	}
}

/* The properties of one metric, named PREFIX WHAT [UNIT]: "wall_band_lo_s". */
enum prop_field { P_VALUE, P_WORST, P_BUDGET, P_USED_PCT, P_BAND_LO, P_BAND_HI, P_GOLDEN };
static const struct {
	const char *what;
	bool unit;  /* the metric's unit suffix follows */
} fields[] = {
	[P_VALUE] = {"", true},           [P_WORST] = {"_worst", true},
	[P_BUDGET] = {"_budget", true},   [P_USED_PCT] = {"_budget_used_pct", false},
	[P_BAND_LO] = {"_band_lo", true}, [P_BAND_HI] = {"_band_hi", true},
	[P_GOLDEN] = {"_golden_median", true},
};

static void prop_name(char name[32], enum gt_metric k, enum prop_field fl)
{
	snprintf(name, 32, "%s%s%s", info[k].prop, fields[fl].what,
		 fields[fl].unit ? info[k].unit : "");
}

static void prop(struct gt_headroom_prop *out, size_t *n, enum gt_metric k, enum prop_field fl,
		 double value)
{
	struct gt_headroom_prop *p = &out[(*n)++];

	prop_name(p->name, k, fl);
	p->value = value;
}

size_t gt_headroom_props(const struct gt_headroom *h, struct gt_headroom_prop *out)
{
	size_t n = 0;

	for (int i = 0; i < GT_HEADROOM_METRICS; i++) {
		enum gt_metric k = (enum gt_metric)order[i];
		const struct gt_headroom_metric *m = &h->m[order[i] % GT_HEADROOM_METRICS];

		if (!m->have)
			continue;
		prop(out, &n, k, P_VALUE, m->value);
		prop(out, &n, k, P_WORST, m->worst);
		if (m->has_budget) {
			prop(out, &n, k, P_BUDGET, m->budget);
			prop(out, &n, k, P_USED_PCT, gt_headroom_used_pct(m));
		}
		if (m->has_band) {
			prop(out, &n, k, P_BAND_LO, m->lo);
			prop(out, &n, k, P_BAND_HI, m->hi);
		}
		if (m->has_golden)
			prop(out, &n, k, P_GOLDEN, m->golden_median);
	}
	return n;
}

/* Set field FL of M (metric K) to VALUE, as gt_headroom_props wrote it. */
static void set_field(struct gt_headroom_metric *m, enum gt_metric k, enum prop_field fl,
		      double value)
{
	switch (fl) {
	case P_VALUE:
		m->have = true;
		m->value = value;
		break;
	case P_WORST:
		m->have = true;
		m->worst = value;
		break;
	case P_BUDGET:
		m->has_budget = true;
		m->budget = value;
		if (k == GT_METRIC_RSS && value > 0) {
			struct gt_buf ignored = {0};

			gt_units_put_limit_bytes(&ignored, (uint64_t)value, &m->budget_decimal);
			gt_buf_free(&ignored);
		}
		break;
	case P_USED_PCT:   /* derived from the worst run and the budget */
		break;
	case P_BAND_LO:
		m->has_band = true;
		m->lo = value;
		break;
	case P_BAND_HI:
		m->has_band = true;
		m->hi = value;
		break;
	case P_GOLDEN:
		m->has_golden = true;
		m->golden_median = value;
		break;
	}
}

bool gt_headroom_set_prop(struct gt_headroom *h, const char *name, double value)
{
	char want[32];

	for (int k = 0; k < GT_HEADROOM_METRICS; k++)
		for (size_t fl = 0; fl < GT_ARRAY_SIZE(fields); fl++) {
			prop_name(want, (enum gt_metric)k, (enum prop_field)fl);
			if (strcmp(name, want) == 0) {
				set_field(&h->m[k], (enum gt_metric)k, (enum prop_field)fl, value);
				return true;
			}
		}
	return false;
}
