/*
 * explain: a failing case's added and changed calls, located in the
 * program (see explain.h).  The rerun's events that carry a stack are
 * indexed by their call and arguments; each + line of the diff takes the
 * closest of those: in the same thread, with the same return, nearest in
 * position.
 */
#include "config.h"

#include "explain.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <xxhash.h>

#include "runner.h"
#include "stacks.h"
#include "unwind.h"

extern char **environ;

bool gt_explain_available(void)
{
	return gt_unwind_available();
}

/* ---- the repository ---- */

char *gt_explain_root(const char *dir)
{
	char git[] = "git", rev_parse[] = "rev-parse", top[] = "--show-toplevel";
	char *const argv[] = {git, rev_parse, top, NULL};
	posix_spawn_file_actions_t fa;
	char buf[4096];
	size_t len = 0;
	ssize_t n;
	int p[2], status = 0;
	pid_t pid = -1;

	if (pipe2(p, O_CLOEXEC) < 0)
		return xstrdup(dir);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addchdir_np(&fa, dir);
	if (posix_spawnp(&pid, "git", &fa, NULL, argv, environ) != 0)
		pid = -1;
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	while (pid > 0 && len < sizeof(buf) - 1) {
		n = read(p[0], buf + len, sizeof(buf) - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(p[0]);
	while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || buf[0] != '/')
		return xstrdup(dir);
	return xstrdup(buf);
}

/* ---- matching ---- */

/* An event of the rerun that has a stack. */
struct cand {
	uint64_t key;               /* call and arguments */
	const char *thread;
	size_t pos;
	const struct gt_event *e;
};

struct ctx {
	const struct gt_trace *st;
	const struct gt_explain_opts *o;
	struct cand *cands;
	size_t ncands;
	const struct gt_diff *d;
	size_t **loc_of;            /* [thread diff][line]: location + 1, 0: none */
	size_t nloc_of;
	struct gt_location *locs;
	size_t nlocs, locs_cap;
	struct gt_explain_stats stats;
	struct gt_buf scratch;
};

static uint64_t key_of(const struct gt_event *e, struct gt_buf *b)
{
	gt_buf_reset(b);
	gt_buf_add(b, e->call, strlen(e->call) + 1);
	for (size_t i = 0; i < e->nargs; i++)
		gt_buf_add(b, e->args[i], strlen(e->args[i]) + 1);
	return XXH3_64bits(b->s, b->len);
}

static int cmp_cand(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

static void index_rerun(struct ctx *c)
{
	const struct gt_trace *t = c->st;
	size_t cap = 0;

	for (size_t i = 0; i < t->nprocs; i++)
		for (size_t j = 0; j < t->procs[i].nthreads; j++) {
			const struct gt_thread *th = &t->procs[i].threads[j];

			for (size_t k = 0; k < th->nevents; k++) {
				if (!th->events[k].stack)
					continue;
				xgrow((void **)&c->cands, &cap, c->ncands + 1, sizeof(*c->cands));
				c->cands[c->ncands++] = (struct cand){
					key_of(&th->events[k], &c->scratch), th->id, k,
					&th->events[k]};
			}
		}
	if (c->ncands)
		qsort(c->cands, c->ncands, sizeof(*c->cands), cmp_cand);
}

static bool same_call(const struct gt_event *a, const struct gt_event *b)
{
	if (strcmp(a->call, b->call) != 0 || a->nargs != b->nargs)
		return false;
	for (size_t i = 0; i < a->nargs; i++)
		if (strcmp(a->args[i], b->args[i]) != 0)
			return false;
	return true;
}

/* The rerun's event that made E (the ND-th event of THREAD), or NULL. */
static const struct cand *match(struct ctx *c, const char *thread, size_t nd,
				const struct gt_event *e)
{
	uint64_t key = key_of(e, &c->scratch);
	size_t lo = 0, hi = c->ncands;
	const struct cand *best = NULL;
	int best_score = -1;
	size_t best_dist = 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->cands[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->ncands && c->cands[i].key == key; i++) {
		const struct cand *x = &c->cands[i];
		int score;
		size_t dist;

		if (!same_call(x->e, e))
			continue;
		score = (thread && strcmp(x->thread, thread) == 0 ? 2 : 0) +
			(strcmp(x->e->ret, e->ret) == 0 ? 1 : 0);
		dist = x->pos > nd ? x->pos - nd : nd - x->pos;
		if (score > best_score || (score == best_score && dist < best_dist)) {
			best = x;
			best_score = score;
			best_dist = dist;
		}
	}
	return best;
}

static char *frame_text(const struct gt_frame *f, const char *root)
{
	struct gt_buf b = {0};

	gt_frame_format(&b, f, root);
	return gt_buf_steal(&b);
}

/* A location for line L of thread diff TD, made by the rerun's X. */
static size_t add_location(struct ctx *c, const struct gt_thread_diff *td,
			   const struct gt_dline *l, const struct cand *x)
{
	const char *root = c->o ? c->o->root : NULL;
	const struct gt_frame *f;
	struct gt_location *loc;
	size_t n, own;
	struct gt_buf b = {0};

	f = gt_stacks_get(c->st->stacks, x->e->stack, &n);
	if (!f)
		return 0;
	own = gt_frame_own(f, n);
	xgrow((void **)&c->locs, &c->locs_cap, c->nlocs + 1, sizeof(*c->locs));
	loc = &c->locs[c->nlocs++];
	memset(loc, 0, sizeof(*loc));
	gt_buf_printf(&b, "%s ", td->new_id ? td->new_id : "?");
	gt_event_format(&b, l->new_, true);
	loc->event = gt_buf_steal(&b);
	loc->where = frame_text(&f[own], root);
	if (f[own].file && f[own].line) {
		loc->file = gt_path_relative(f[own].file, root);
		loc->line = f[own].line;
	}
	loc->function = f[own].symbol ? xstrdup(f[own].symbol) : NULL;
	loc->module = f[own].module ? gt_path_relative(f[own].module, root) : NULL;
	loc->offset = f[own].offset;
	for (size_t k = own; k < n && loc->nframes < GT_LOCATION_FRAMES; k++)
		loc->frames[loc->nframes++] = frame_text(&f[k], root);
	return c->nlocs;
}

static void prepare(void *p, const struct gt_diff *d)
{
	struct ctx *c = p;

	c->d = d;
	c->nloc_of = d->nthreads;
	c->loc_of = xcalloc(d->nthreads ? d->nthreads : 1, sizeof(*c->loc_of));
	for (size_t i = 0; i < d->nthreads; i++) {
		const struct gt_thread_diff *td = &d->threads[i];

		c->loc_of[i] = xcalloc(td->nlines ? td->nlines : 1, sizeof(**c->loc_of));
		for (size_t k = 0; k < td->nlines; k++) {
			const struct gt_dline *l = &td->lines[k];
			const struct cand *x;

			if (l->kind != GT_DL_ADD && l->kind != GT_DL_COUNT)
				continue;
			c->stats.changed++;
			x = match(c, td->new_id, l->ni, l->new_);
			if (x)
				c->loc_of[i][k] = add_location(c, td, l, x);
			if (c->loc_of[i][k])
				c->stats.located++;
		}
	}
}

static void note(void *p, const struct gt_thread_diff *td, const struct gt_dline *l,
		 struct gt_buf *b)
{
	struct ctx *c = p;
	size_t i = (size_t)(td - c->d->threads), k = (size_t)(l - td->lines), at;
	const struct gt_location *loc;

	if (i >= c->nloc_of || !c->loc_of[i][k])
		return;
	at = c->loc_of[i][k] - 1;
	loc = &c->locs[at];
	gt_buf_printf(b, " at %s", loc->where);
	for (size_t f = 1; c->o && c->o->frames && f < loc->nframes; f++)
		gt_buf_printf(b, "\nfrom %s", loc->frames[f]);
}

void gt_explain_with(const struct gt_trace *golden, const struct gt_trace *now,
		     const struct gt_trace *st, const struct gt_case *c, const char *golden_name,
		     const char *new_name, size_t max_diff_lines,
		     const struct gt_explain_opts *o, struct gt_case_result *r,
		     struct gt_explain_stats *stats)
{
	struct ctx x = {.st = st, .o = o};
	struct gt_diff_notes notes = {.note = note, .prepare = prepare, .ctx = &x};
	struct gt_case_result again = {0};

	index_rerun(&x);
	gt_case_compare_notes(golden, now, c, golden_name, new_name, max_diff_lines, &notes,
			      &again);
	/* Only the texts and the locations change hands. */
	if (again.diff_text) {
		free(r->diff_text);
		free(r->diff_text_color);
		r->diff_text = again.diff_text;
		r->diff_text_color = again.diff_text_color;
		again.diff_text = again.diff_text_color = NULL;
	}
	r->locations = x.locs;
	r->nlocations = x.nlocs;
	gt_verdict_free(&again.verdict);
	free(again.error);
	free(again.diff_text);
	free(again.diff_text_color);
	if (stats)
		*stats = x.stats;
	for (size_t i = 0; i < x.nloc_of; i++)
		free(x.loc_of[i]);
	free(x.loc_of);
	free(x.cands);
	gt_buf_free(&x.scratch);
}

enum gt_rc gt_explain_case(const struct gt_trace *golden, const struct gt_trace *now,
			   const struct gt_case *c, const char *golden_name, size_t max_diff_lines,
			   const struct gt_record_opts *rec, const struct gt_explain_opts *o,
			   struct gt_case_result *r, struct gt_explain_stats *stats,
			   struct gt_error *err)
{
	struct gt_record_opts ro = *rec;
	struct gt_trace *st = NULL;
	enum gt_rc rc;

	if (stats)
		*stats = (struct gt_explain_stats){0};
	/* Stacks are unwound at ptrace stops, whatever backend the check
	 * used; one run, as long as the case may take. */
	ro.backend = GT_BACKEND_PTRACE;
	ro.runs = 1;
	ro.stacks = true;
	ro.debuginfod = o && o->debuginfod;
	ro.show_output = false;
	ro.refuse_stateful = false;
	ro.notes = NULL;
	rc = gt_record(&ro, &st, NULL, err);
	if (rc == GT_OK)
		gt_explain_with(golden, now, st, c, golden_name, "new run", max_diff_lines, o, r,
				stats);
	gt_trace_free(st);
	return rc;
}
