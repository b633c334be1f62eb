/*
 * tolerance: the statistical side of a check (SPEC 7): each metric of the
 * new run(s) judged against a band derived from the golden's recording
 * runs (median and MAD with relative and absolute floors), the absolute
 * budgets, the exit status, and the verdict they add up to.
 *
 * Bands.  For a golden statistic s = (min, median, mad, max) over its runs:
 *   slack = max(k * 1.4826 * mad, floor(median))
 *   band  = [min(s.min, median - slack), max(s.max, median + slack)]
 * so that every recorded run is inside its own band.
 * - per-syscall counts: exact (band [median, median]) when all recording
 *   runs agreed and the tolerance is exact; else banded with the count
 *   tolerance as the floor and k = duration.mads; calls the golden lists
 *   as unordered (futex...) only when the config names them in counts;
 * - wall time: banded (floor = duration.floor_pct % of the median, and at
 *   least 5 ms); a regression only when GROSS: above the band AND above
 *   duration.gross times the golden median (default 2x) AND at least 50 ms
 *   slower AND confirmed: by the program's own CPU time (user + sys: above
 *   its own band, gross, and at least 50 ms more), or, for a program that
 *   waits rather than computes, by wall time above its band and over
 *   1 s slower; or by the CPU time alone, when it is above its own band,
 *   gross and at least 100 ms more.  A busy shared runner stretches wall
 *   time, not CPU time; and a golden recorded on a busy machine has a wide
 *   wall band (and median), not a wide CPU band.  With gate
 *   `tight`: a one-sided Mann-Whitney U test of the golden's run samples
 *   against the new runs at level alpha, and the median shift beyond the
 *   floor (needs >= 5 runs on each side, else it is judged gross);
 * - peak RSS: upper side only: above the band and above the golden median
 *   by more than rss_pct;
 * - improved: counts, time or memory better beyond the band (a pass that
 *   suggests `gtdiff update`).
 * Budgets always gate: max_duration_ms, max_syscalls, max_rss_bytes,
 * forbid_syscalls, forbid_write_paths.
 */
#ifndef GT_TOLERANCE_H
#define GT_TOLERANCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats.h"
#include "trace.h"
#include "util.h"

/* A tolerance: exact, an absolute slack ("±3", "+-3", 3) or a relative one
 * ("10%").  EXACT is the same as ABS 0; gt_tol_parse turns every zero
 * ("0", "±0", "0%") into EXACT. */
enum gt_tol_kind { GT_TOL_EXACT = 0, GT_TOL_ABS, GT_TOL_PCT };
struct gt_tol {
	enum gt_tol_kind kind;
	double value;   /* ABS: units; PCT: percent (10 for "10%") */
};

/* Counts: one default and per-syscall overrides. */
struct gt_tol_syscall {
	char *syscall;
	struct gt_tol tol;
};
struct gt_count_tol {
	struct gt_tol dflt;
	struct gt_tol_syscall *per;
	size_t nper;
};

/* How timing is judged (SPEC 7). */
enum gt_gate { GT_GATE_GROSS = 0, GT_GATE_TIGHT };
struct gt_duration_tol {
	double mads;       /* band half-width in (scaled) MADs; default 4 */
	double floor_pct;  /* relative floor of the band, percent; default 25 */
	double gross;      /* gross: fail only above this many times the golden
			    * median; default 2 */
	enum gt_gate gate; /* tight: several runs each side and a rank test */
	double alpha;      /* significance level of the rank tests; default
			    * 0.01 */
	unsigned reruns;   /* extra runs a timing regression may take before
			    * its verdict; default 4 */
	double rerun_time_s; /* and the seconds they may take; default 60 */
};

struct gt_tolerance {
	struct gt_count_tol counts;
	struct gt_duration_tol duration;
	double rss_pct;    /* memory may grow this much; default 25 */
	double bytes_pct;  /* byte counts may move this much either way (and
			    * 256 bytes in any case); default 50 */
	bool exact_order;  /* order: exact: each thread's events in the order
			    * run; default commute (independent events swap) */
};

/* Absolute limits, checked on every run.  0 / NULL: not set. */
struct gt_budgets {
	double max_duration_ms;     /* max_duration_ms, or max_duration ("1.5s") */
	uint64_t max_syscalls;
	uint64_t max_rss_bytes;     /* max_rss_bytes, or max_rss ("512MB") */
	bool duration_units, rss_units; /* set by the keys with units: the
					 * messages name those */
	char **forbid_syscalls;     /* NULL-terminated */
	size_t nforbid_syscalls;
	char **forbid_write_paths;  /* globs over canonical paths ("$HOME/ **") */
	size_t nforbid_write_paths;
};

/* Parse a tolerance string ("0", "3", "±3", "+-3", "10%", "12.5%", "±10%").
 * false if malformed (negative, exponent, junk, "%", "10%%"). */
bool gt_tol_parse(const char *s, struct gt_tol *out);
/* The count tolerance of SYSCALL under T. */
struct gt_tol gt_tol_for(const struct gt_count_tol *t, const char *syscall);
/* Is the number of SYSCALL's calls timing's (futex, poll, wait4...)? */
bool gt_tol_is_timing_call(const char *syscall);
/* The count tolerance of SYSCALL with its class's built-in floor (byte
 * counts, memory management, timing: gtdiff-trace(5)), relative (the
 * result) and absolute (*ABS), unless T names the syscall itself. */
struct gt_tol gt_tol_with_class(const struct gt_count_tol *t, const char *syscall,
				double *abs);
/* The slack a tolerance allows around VALUE (ABS: value; PCT: % of VALUE). */
double gt_tol_slack(struct gt_tol t, double value);

/* A case of gtdiff.yaml (gtconfig.h): what gt_judge reads of it is its
 * tolerance, its budgets and its expected exit status. */
struct gt_case;

/* Kinds of regression, as bits. */
enum gt_kind {
	GT_KIND_SEQUENCE = 1 << 0,
	GT_KIND_COUNTS = 1 << 1,
	GT_KIND_TIMING = 1 << 2,
	GT_KIND_MEMORY = 1 << 3,
	GT_KIND_BUDGET = 1 << 4,
	GT_KIND_EXIT = 1 << 5,
};
/* Append "sequence, counts" for a kind set to B. */
void gt_kinds_format(unsigned kinds, struct gt_buf *b);

enum gt_verdict_kind {
	GT_VERDICT_PASS = 0,
	GT_VERDICT_IMPROVED,   /* passes; better beyond the band */
	GT_VERDICT_REGRESSION,
	GT_VERDICT_ERROR,
};
const char *gt_verdict_name(enum gt_verdict_kind v); /* "pass", ... */

/* One judged metric that is out of its band or over a budget. */
struct gt_violation {
	enum gt_kind kind;
	bool improved;         /* better, not worse */
	char *metric;          /* "wall_s", "calls of openat", "max_rss_kb",
				* "budget max_syscalls", "exit status" */
	double value;          /* the new run's value (median of new runs) */
	double lo, hi;         /* the band (or budget: lo = hi = the limit) */
	double golden_median;
	char *message;         /* one line a person reads: names the metric, the
				* value, the band and the golden median */
	bool explained;        /* a count change that follows from the sequence
				* change (count-groups.h): reported grouped under it */
};

struct gt_verdict {
	enum gt_verdict_kind verdict;
	unsigned kinds;        /* enum gt_kind bits of the regressions */
	struct gt_violation *v;
	size_t nv, cap;
	char *explained_by;    /* what the explained count changes follow from
				* ("the new process p3"), or NULL (count-groups.h) */
};

/* The band of a golden statistic (see above). K in scaled MADs; FLOOR the
 * absolute floor of the half-width. */
void gt_band(struct gt_stat s, double k, double floor, double *lo, double *hi);

/* The wall-time band [*LO, *HI] in seconds of GOLDEN under case C (NULL:
 * the defaults), as the timing verdict draws it (lo at least 0); false
 * when the golden has no wall time. */
bool gt_wall_band(const struct gt_trace *golden, const struct gt_case *c, double *lo,
		  double *hi);

/* A timing verdict's rank test: the p-value of the hypothesis that NEW's
 * runs are not slower than GOLDEN's times the case's gross factor
 * (duration.gross), one-sided Mann-Whitney over the run samples of the
 * program's CPU time (user + sys; wall time where the golden has none).
 * Small p: NEW is grossly slower.  *MIN_P: the smallest p these numbers of
 * runs can give.  -1 when a side has no run samples. */
double gt_timing_rank_p(const struct gt_trace *golden, const struct gt_trace *new_,
			const struct gt_case *c, double *min_p);

/* Judge the NEW trace (which may hold several runs' statistics) against
 * GOLDEN under case C: counts, timing, memory, budgets and exit status.
 * SEQUENCE_CHANGES is the number of changed diff lines (0: same sequence);
 * it only sets the SEQUENCE kind.  Fills V (zero it first; free with
 * gt_verdict_free).
 *
 * Details the summary above leaves open:
 * - C may be NULL: the defaults of SPEC 3 (4 MADs, floor 25%, gross 2x,
 *   alpha 0.01, rss 25%, counts exact), no budgets, the golden's exit;
 *   in a case, gross <= 0 means 2 and alpha outside (0, 1) means 0.01;
 * - the value of a metric is the new trace's median; a statistic that was
 *   never filled in (max 0) is summarised from the run samples; timing and
 *   memory are skipped when either side has none;
 * - count bands are rounded inward to whole calls; syscalls in either
 *   trace's `ignored` are not judged;
 * - the tight gate adds to the gross one (a gross slowdown still fails
 *   when the rank test cannot reach alpha with 5 + 5 runs); it also calls
 *   a significant speedup beyond the floor improved;
 * - memory is "much lower" (improved) below the band and below
 *   median / (1 + 2 * rss_pct%);
 * - budgets use the worst run (max_duration_ms: slowest run, max_syscalls:
 *   largest total, max_rss_bytes: largest peak);
 * - forbid_write_paths looks at open/openat/openat2 with O_WRONLY, O_RDWR,
 *   O_CREAT or O_TRUNC in their flags, and at creat, unlink(at),
 *   rename(at/at2), mkdir(at), rmdir, truncate, chmod/fchmodat(2),
 *   (l)chown/fchownat, utime(s)/utimensat, mknod(at) (every quoted path) and
 *   link(at)/symlink(at) (the new name only).  Each distinct forbidden path
 *   is one violation ("wrote P (forbidden by "G")"; a failed call "tried to
 *   write P (-1 EACCES, ...)"), the first 5 only, then one more that counts
 *   them all. */
void gt_judge(const struct gt_trace *golden, const struct gt_trace *new_,
	      const struct gt_case *c, size_t sequence_changes, struct gt_verdict *v);
void gt_verdict_free(struct gt_verdict *v);

/* The measurements the reports hold against budgets and bands
 * (headroom.h), read as gt_judge reads them. */
enum gt_metric {
	GT_METRIC_WALL,      /* wall time, seconds */
	GT_METRIC_RSS,       /* peak RSS, bytes */
	GT_METRIC_SYSCALLS,  /* syscalls of a run */
};
/* Metric M of T: *MEDIAN over its runs (what bands judge) and *WORST, the
 * largest run's (what budgets judge).  0 when T has none. */
void gt_trace_metric(const struct gt_trace *t, enum gt_metric m, double *median,
		     double *worst);
/* The band gt_judge holds the new median of M to, from GOLDEN under C
 * (NULL: the defaults), in M's unit, and the golden's *MEDIAN.  false (and
 * no band) when the golden has no such measurement, and for syscalls,
 * whose total has no band (its calls are judged syscall by syscall). */
bool gt_metric_band(const struct gt_trace *golden, const struct gt_case *c, enum gt_metric m,
		    double *lo, double *hi, double *median);

/* Does the canonical path PATH match the glob PAT?  '*' matches within a
 * component, '**' across components, '?' one character; placeholders
 * ("$HOME") are literal text on both sides. */
bool gt_glob_match(const char *pat, const char *path);

#endif
