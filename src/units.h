/*
 * units: quantities with their units, read from gtdiff.yaml's budgets and
 * written in the reports: durations ("500ms", "1.5s", "2m") and sizes
 * ("512MB", "100MiB").  Sizes are decimal with an SI prefix (kB/KB = 1000
 * bytes, MB = 10^6, GB = 10^9, TB = 10^12) and binary with an IEC one
 * (KiB = 1024, MiB = 2^20, GiB = 2^30, TiB = 2^40), as in the kernel's and
 * coreutils' own usage; the prefix letter may be of either case ("mb",
 * "mib"), the unit may follow the number after one space.
 */
#ifndef GT_UNITS_H
#define GT_UNITS_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* The number at the start of S: digits, and at most one '.' followed by
 * digits (no sign, no exponent, no hex).  *END is where it stops.  false
 * when S does not start so, or the number is not finite. */
bool gt_units_number(const char *s, double *num, const char **end);

/* Parse a duration: a number (digits, at most one '.', no sign, no
 * exponent) and a unit: ms, s, m (minutes) or h.  It must be above 0.  On
 * success *MS holds it in milliseconds; on failure *WHY is a phrase for
 * "'KEY' WHY" ("needs a unit: ms, s, m or h (500ms, 1.5s)"). */
bool gt_units_duration(const char *s, double *ms, const char **why);

/* Parse a size: a number as above and a unit: B, kB/KB, MB, GB, TB, KiB,
 * MiB, GiB or TiB.  The result is rounded to whole bytes and must be at
 * least 1 and at most 2^62.  *WHY as above. */
bool gt_units_bytes(const char *s, uint64_t *bytes, const char **why);

/* Append a measured size of BYTES: "4.1 MiB" (binary units) or, when
 * DECIMAL, "4.3 MB"; below 1 KiB (1 kB) in bytes. */
void gt_units_put_bytes(struct gt_buf *b, double bytes, bool decimal);
/* Append a limit of BYTES in the largest unit that holds it exactly:
 * "512 MB", "512 MiB", "1000 B".  *DECIMAL (may be NULL) says whether the
 * unit chosen was a decimal one (for gt_units_put_bytes of the value
 * measured against it). */
void gt_units_put_limit_bytes(struct gt_buf *b, uint64_t bytes, bool *decimal);
/* Append a duration of S seconds: "213 ms", "4.12 ms", "12.5 s", "150 s"
 * (three significant digits, milliseconds below a second). */
void gt_units_put_seconds(struct gt_buf *b, double s);
/* Append a limit of MS milliseconds: "500 ms" below a second, else "1 s",
 * "1.5 s", "120 s". */
void gt_units_put_limit_ms(struct gt_buf *b, double ms);

#endif
