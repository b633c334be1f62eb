/*
 * toml: a small, strict reader for the part of TOML that configuration
 * files such as renacer.toml use: tables ([a], [a.b]), arrays of tables
 * ([[a]]), key = value pairs (bare, quoted and dotted keys), basic and
 * literal strings, integers (decimal, 0x, 0o, 0b), floats (inf, nan),
 * booleans, arrays and comments.  Anything else (multi-line strings,
 * inline tables, dates and times) is refused by name, never guessed at.
 * Every error names the file, the line and the column.
 *
 * Ownership: the root table owns every value, key and string reachable
 * from it; gt_toml_free releases all.  Tables keep their keys in the
 * order of the file, so that what a caller lists reads like the input.
 */
#ifndef GT_TOML_H
#define GT_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum gt_toml_type {
	GT_TOML_STRING,
	GT_TOML_INTEGER,
	GT_TOML_FLOAT,
	GT_TOML_BOOL,
	GT_TOML_ARRAY,
	GT_TOML_TABLE,
};

struct gt_toml {
	enum gt_toml_type type;
	int line, col;          /* where the value (or the table's header) is */
	char *s;                /* STRING: NUL-terminated (may hold no NUL) */
	int64_t i;              /* INTEGER */
	double f;               /* FLOAT */
	bool b;                 /* BOOL */
	/* ARRAY: items[0..n); TABLE: keys[k] names items[k], in file order */
	struct gt_toml **items;
	char **keys;
	size_t n, cap;
	/* TABLE bookkeeping: defined by a [header] or by keys (a second
	 * definition is an error); an array made by [[header]] */
	bool defined;
	bool array_of_tables;
};

/* Parse DATA (LEN bytes, need not be NUL-terminated) into a root table
 * (*OUT, caller frees with gt_toml_free).  NAME is the file name used in
 * messages ("NAME:LINE:COL: what").  GT_ERR_FORMAT on any error, with
 * *OUT NULL and nothing left allocated. */
enum gt_rc gt_toml_parse(const char *data, size_t len, const char *name, struct gt_toml **out,
			 struct gt_error *err);
/* Read and parse PATH (gt_toml_parse; GT_ERR_IO when unreadable). */
enum gt_rc gt_toml_load(const char *path, struct gt_toml **out, struct gt_error *err);
void gt_toml_free(struct gt_toml *t); /* accepts NULL */

/* The value of KEY in TABLE, or NULL (also when TABLE is not a table). */
const struct gt_toml *gt_toml_get(const struct gt_toml *table, const char *key);
/* "a string", "an integer", "a float", "a boolean", "an array", "a table" */
const char *gt_toml_type_name(enum gt_toml_type t);

#endif
