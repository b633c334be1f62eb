/*
 * test-parallel: recordings in worker processes: each job's trace, error
 * or nothing comes back to its index, with what its worker printed; a
 * worker that dies is reported, not fatal; jobs run at once up to the
 * limit, and never more.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "parallel.h"
#include "trace-json.h"

#define GOLDEN GT_SRCDIR "/golden_traces/progs-forker.json"

/* Job I: 0 the golden (and a line on each stream), 1 a timeout error,
 * 2 nothing, 3 dies (SIGABRT). */
static enum gt_rc job(size_t i, void *ctx, struct gt_trace **out, struct gt_error *err)
{
	(void)ctx;
	printf("stdout of job %zu\n", i);
	fprintf(stderr, "stderr of job %zu\n", i);
	switch (i % 4) {
	case 0:
		return gt_trace_load(GOLDEN, out, err);
	case 1:
		return gt_error_set(err, GT_ERR_TIMEOUT, "job %zu: timed out after 1 s", i);
	case 2:
		return GT_OK;
	default:
		fflush(stdout);
		abort();
	}
}

/* Run the test's output through a file to see what take printed. */
static char *capture_take(struct gt_parallel *p, size_t i, enum gt_parallel_outcome *o,
			  struct gt_trace **t, struct gt_error *err)
{
	char path[] = "/tmp/gtdiff-par-out.XXXXXX";
	int fd = mkstemp(path), saved1 = dup(1), saved2 = dup(2);
	double secs;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	assert_true(fd >= 0);
	fflush(stdout);
	fflush(stderr);
	dup2(fd, 1);
	dup2(fd, 2);
	*o = gt_parallel_take(p, i, t, &secs, err);
	fflush(stdout);
	fflush(stderr);
	dup2(saved1, 1);
	dup2(saved2, 2);
	close(saved1);
	close(saved2);
	close(fd);
	f = fopen(path, "r");
	assert_non_null(f);
	if (getdelim(&text, &len, '\0', f) < 0) {
		free(text);
		text = strdup("");
	}
	fclose(f);
	unlink(path);
	assert_true(secs >= 0);
	return text;
}

static void test_results_in_order(void **state)
{
	struct gt_error err = {0};
	struct gt_parallel *p = gt_parallel_run(8, 3, job, NULL, &err);
	struct gt_trace *golden = NULL;

	(void)state;
	assert_non_null(p);
	assert_int_equal(gt_trace_load(GOLDEN, &golden, &err), GT_OK);
	for (size_t i = 0; i < 8; i++) {
		struct gt_trace *t = NULL;
		enum gt_parallel_outcome o;
		char want[64];
		char *text;

		memset(&err, 0, sizeof(err));
		text = capture_take(p, i, &o, &t, &err);
		snprintf(want, sizeof(want), "stdout of job %zu\n", i);
		assert_non_null(strstr(text, want));
		snprintf(want, sizeof(want), "stderr of job %zu\n", i);
		assert_non_null(strstr(text, want));
		free(text);
		switch (i % 4) {
		case 0:
			assert_int_equal(o, GT_PAR_TRACE);
			assert_non_null(t);
			assert_true(t->hash == golden->hash);
			break;
		case 1:
			assert_int_equal(o, GT_PAR_ERROR);
			assert_int_equal(err.rc, GT_ERR_TIMEOUT);
			assert_non_null(strstr(err.msg, "timed out after 1 s"));
			break;
		case 2:
			assert_int_equal(o, GT_PAR_NONE);
			break;
		default:
			assert_int_equal(o, GT_PAR_NONE);
			assert_non_null(strstr(err.msg, "SIGABRT"));
			break;
		}
		gt_trace_free(t);
	}
	gt_trace_free(golden);
	gt_parallel_free(p);
}

/* Jobs meet at a rendezvous: each marks itself arrived (DIR/aI) and
 * running (DIR/rI, removed as it ends), then waits (at most 60 s, a guard
 * against a hang, not a measure) until its pair has arrived: jobs 0 and 1,
 * then 2 and 3.  With at most 2 at once, both pairs meet, and no job ever
 * sees more than 2 running. */
static char meet_dir[] = "/tmp/gtdiff-par-meet.XXXXXX";

static size_t count_files(char kind, int from, int to)
{
	size_t n = 0;
	char p[256];

	for (int i = from; i < to; i++) {
		snprintf(p, sizeof(p), "%s/%c%d", meet_dir, kind, i);
		n += access(p, F_OK) == 0;
	}
	return n;
}

static void touch(char kind, size_t i)
{
	char p[256];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%c%zu", meet_dir, kind, i);
	f = fopen(p, "w");
	if (f)
		fclose(f);
}

static enum gt_rc meet(size_t i, void *ctx, struct gt_trace **out, struct gt_error *err)
{
	int from = i < 2 ? 0 : 2;
	size_t running;
	char p[256];

	(void)ctx;
	*out = NULL;
	touch('r', i);
	touch('a', i);
	running = count_files('r', 0, 4);
	for (int k = 0; k < 60000 && count_files('a', from, from + 2) < 2; k++)
		usleep(1000);
	snprintf(p, sizeof(p), "%s/r%zu", meet_dir, i);
	unlink(p);
	if (running > 2)
		return gt_error_set(err, GT_ERR_IO, "job %zu saw %zu running", i, running);
	if (count_files('a', from, from + 2) < 2)
		return gt_error_set(err, GT_ERR_IO, "job %zu: its pair never came", i);
	return GT_OK;
}

static void test_at_once(void **state)
{
	struct gt_error err = {0};
	struct gt_parallel *p;
	char path[256];

	(void)state;
	assert_non_null(mkdtemp(meet_dir));
	p = gt_parallel_run(4, 2, meet, NULL, &err);
	assert_non_null(p);
	for (size_t i = 0; i < 4; i++) {
		struct gt_trace *t = NULL;
		enum gt_parallel_outcome o;
		char *text;

		memset(&err, 0, sizeof(err));
		text = capture_take(p, i, &o, &t, &err);
		free(text);
		if (o != GT_PAR_NONE)
			fail_msg("job %zu: %s", i, err.msg);
		snprintf(path, sizeof(path), "%s/a%zu", meet_dir, i);
		unlink(path);
	}
	gt_parallel_free(p);
	rmdir(meet_dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_results_in_order),
		cmocka_unit_test(test_at_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
