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

/* Jobs meet at a rendezvous: each makes its file in DIR, then waits (at
 * most 60 s, a guard against a hang, not a measure) until LIMIT files are
 * there.  With 4 jobs at most 2 at once, the first two meet, then the
 * last two; and never more than 2 run (a third file before the first
 * pair is done would show as a count above 2 in a job's view). */
static char meet_dir[] = "/tmp/gtdiff-par-meet.XXXXXX";

static size_t count_files(void)
{
	size_t n = 0;
	char p[256];

	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s/%d", meet_dir, i);
		n += access(p, F_OK) == 0;
	}
	return n;
}

static enum gt_rc meet(size_t i, void *ctx, struct gt_trace **out, struct gt_error *err)
{
	char p[256];
	FILE *f;
	size_t want = i < 2 ? 2 : 4;

	(void)ctx;
	*out = NULL;
	snprintf(p, sizeof(p), "%s/%zu", meet_dir, i);
	f = fopen(p, "w");
	if (f)
		fclose(f);
	for (int k = 0; k < 60000 && count_files() < want; k++)
		usleep(1000);
	if (count_files() != want)
		return gt_error_set(err, GT_ERR_IO, "job %zu saw %zu jobs, wanted %zu", i,
				    count_files(), want);
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
		snprintf(path, sizeof(path), "%s/%zu", meet_dir, i);
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
