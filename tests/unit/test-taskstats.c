/*
 * test-taskstats: the exit reports of taskstats(7): a datagram built here
 * is parsed into (pid, peak RSS) reports, others' and short ones are not;
 * and, where gtdiff may listen (root), a child that touched 16 MiB is
 * reported with a peak of at least that.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>

#include "taskstats.h"

struct seen {
	pid_t pid[8];
	uint64_t kb[8];
	int n;
};

static void collect(pid_t pid, uint64_t kb, void *ctx)
{
	struct seen *s = ctx;

	if (s->n < 8) {
		s->pid[s->n] = pid;
		s->kb[s->n] = kb;
	}
	s->n++;
}

static size_t attr(char *at, uint16_t type, const void *data, size_t n)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + n), .nla_type = type};

	memcpy(at, &a, sizeof(a));
	if (data)
		memcpy(at + NLA_HDRLEN, data, n);
	return NLA_HDRLEN + NLA_ALIGN(n);
}

/* One TASKSTATS_CMD_NEW message of family FAM for PID with KB (STATS_LEN
 * bytes of struct taskstats) at BUF; returns its length. */
static size_t message(char *buf, uint16_t fam, uint32_t pid, uint64_t kb, size_t stats_len)
{
	struct taskstats ts;
	struct nlmsghdr h = {.nlmsg_type = fam};
	struct genlmsghdr g = {.cmd = TASKSTATS_CMD_NEW, .version = 1};
	char inner[sizeof(ts) + 64];
	size_t n = 0, at = NLMSG_HDRLEN + GENL_HDRLEN;

	memset(&ts, 0, sizeof(ts));
	ts.hiwater_rss = kb;
	n += attr(inner + n, TASKSTATS_TYPE_PID, &pid, sizeof(pid));
	n += attr(inner + n, TASKSTATS_TYPE_STATS, &ts, stats_len);
	at += attr(buf + at, TASKSTATS_TYPE_AGGR_PID, inner, n);
	h.nlmsg_len = (uint32_t)at;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &g, sizeof(g));
	return NLMSG_ALIGN(at);
}

static void test_parse(void **state)
{
	static union {
		char b[4096];
		struct nlmsghdr align;
	} u;
	struct seen s = {0};
	size_t n = 0;

	(void)state;
	n += message(u.b + n, 27, 4242, 1234, sizeof(struct taskstats));
	n += message(u.b + n, 28, 4343, 99, sizeof(struct taskstats)); /* another family */
	n += message(u.b + n, 27, 4444, 77, offsetof(struct taskstats, hiwater_rss)); /* short */
	n += message(u.b + n, 27, 4545, 5678, sizeof(struct taskstats));
	assert_int_equal(gt_taskstats_parse(u.b, n, 27, collect, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.pid[0], 4242);
	assert_int_equal(s.kb[0], 1234);
	assert_int_equal(s.pid[1], 4545);
	assert_int_equal(s.kb[1], 5678);
	/* A datagram cut short yields what is whole in it. */
	s.n = 0;
	assert_int_equal(gt_taskstats_parse(u.b, 10, 27, collect, &s), 0);
}

struct want {
	pid_t pid;
	uint64_t kb;
};

static void find(pid_t pid, uint64_t kb, void *ctx)
{
	struct want *w = ctx;

	if (pid == w->pid)
		w->kb = kb;
}

static void test_live(void **state)
{
	struct gt_taskstats ts;
	struct want w = {0};
	pid_t pid;

	(void)state;
	if (gt_taskstats_open(&ts) < 0)
		skip(); /* not root, or no CONFIG_TASKSTATS */
	pid = fork();
	if (pid == 0) {
		size_t n = 16u << 20;
		volatile char *p = malloc(n);

		for (size_t i = 0; p && i < n; i += 4096)
			p[i] = 1; /* each page touched: resident */
		_exit(p ? 0 : 1);
	}
	assert_true(pid > 0);
	waitpid(pid, NULL, 0);
	w.pid = pid;
	for (int i = 0; i < 100 && !w.kb; i++) {
		assert_true(gt_taskstats_drain(&ts, find, &w) >= 0);
		if (!w.kb)
			usleep(10000);
	}
	gt_taskstats_close(&ts);
	assert_true(w.kb >= 16 * 1024);
	assert_int_equal(ts.fd, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_live),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
