/*
 * strtab: string interning.  A table owns every string it hands out; equal
 * strings intern to the same pointer, so interned strings compare with ==.
 * gt_strtab_free releases them all at once.
 */
#ifndef GT_STRTAB_H
#define GT_STRTAB_H

#include <stddef.h>

struct gt_strtab;

struct gt_strtab *gt_strtab_new(void);
/* Free the table and every string it interned.  Accepts NULL. */
void gt_strtab_free(struct gt_strtab *t);
/* Intern the N bytes at S (need not be NUL-terminated); the result is
 * NUL-terminated and lives as long as the table. */
const char *gt_strtab_intern_n(struct gt_strtab *t, const char *s, size_t n);
const char *gt_strtab_intern(struct gt_strtab *t, const char *s);
/* Number of distinct strings. */
size_t gt_strtab_count(const struct gt_strtab *t);

#endif
