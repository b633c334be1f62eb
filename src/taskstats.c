/*
 * taskstats: exit reports of the kernel's per-task accounting (see
 * taskstats.h).  One generic netlink socket; the family id is asked of the
 * controller once per open; the listener registers for every possible CPU
 * and deregisters before it closes.
 */
#include "config.h"

#include "taskstats.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/taskstats.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

#define NLA_OK_(nla, len)                                                                  \
	((len) >= (int)sizeof(struct nlattr) && (nla)->nla_len >= sizeof(struct nlattr) &&  \
	 (nla)->nla_len <= (len))
#define NLA_NEXT_(nla, len)                                                                \
	((len) -= NLA_ALIGN((nla)->nla_len),                                               \
	 (struct nlattr *)((char *)(nla) + NLA_ALIGN((nla)->nla_len)))
#define NLA_DATA_(nla) ((char *)(nla) + NLA_HDRLEN)

static int put_attr(char *buf, size_t at, size_t cap, uint16_t type, const void *data,
		    size_t n)
{
	struct nlattr *a = (struct nlattr *)(buf + at);

	if (at + NLA_HDRLEN + NLA_ALIGN(n) > cap)
		return -1;
	a->nla_type = type;
	a->nla_len = (uint16_t)(NLA_HDRLEN + n);
	memcpy(buf + at + NLA_HDRLEN, data, n);
	return (int)(NLA_HDRLEN + NLA_ALIGN(n));
}

/* Send a generic netlink request CMD to FAMILY with one attribute. */
static int request(int fd, uint16_t family, uint8_t cmd, uint16_t type, const void *data,
		   size_t n)
{
	union {
		char b[512];
		struct nlmsghdr align;
	} u;
	struct nlmsghdr *h = (struct nlmsghdr *)u.b;
	struct genlmsghdr *g = (struct genlmsghdr *)NLMSG_DATA(h);
	size_t at = NLMSG_HDRLEN + GENL_HDRLEN;
	int k;

	memset(u.b, 0, sizeof(u.b));
	k = put_attr(u.b, at, sizeof(u.b), type, data, n);
	if (k < 0)
		return -1;
	h->nlmsg_len = (uint32_t)(at + (size_t)k);
	h->nlmsg_type = family;
	h->nlmsg_flags = NLM_F_REQUEST;
	h->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = 1;
	return send(fd, u.b, h->nlmsg_len, 0) == (ssize_t)h->nlmsg_len ? 0 : -1;
}

/* The TASKSTATS family's id, from the controller (0: none). */
static uint16_t family_id(int fd)
{
	union {
		char b[4096];
		struct nlmsghdr align;
	} u;
	ssize_t n;

	if (request(fd, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_ATTR_FAMILY_NAME,
		    TASKSTATS_GENL_NAME, sizeof(TASKSTATS_GENL_NAME)) < 0)
		return 0;
	do
		n = recv(fd, u.b, sizeof(u.b), 0);
	while (n < 0 && errno == EINTR);
	for (struct nlmsghdr *h = (struct nlmsghdr *)u.b; n > 0 && NLMSG_OK(h, (unsigned)n);
	     h = NLMSG_NEXT(h, n)) {
		struct nlattr *a;
		int len;

		if (h->nlmsg_type == NLMSG_ERROR || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			return 0;
		a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		len = (int)(h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
		for (; NLA_OK_(a, len); a = NLA_NEXT_(a, len)) {
			if ((a->nla_type & NLA_TYPE_MASK) == CTRL_ATTR_FAMILY_ID &&
			    a->nla_len >= NLA_HDRLEN + sizeof(uint16_t)) {
				uint16_t id;

				memcpy(&id, NLA_DATA_(a), sizeof(id));
				return id;
			}
		}
	}
	return 0;
}

static void cpumask(char *buf, size_t n)
{
	long cpus = sysconf(_SC_NPROCESSORS_CONF);

	snprintf(buf, n, "0-%ld", cpus > 0 ? cpus - 1 : 0);
}

int gt_taskstats_open(struct gt_taskstats *ts)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	int size = 8 << 20;
	char mask[64];
	uint16_t fam;

	ts->fd = -1;
	ts->family = 0;
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	fam = family_id(fd);
	if (!fam)
		goto fail;
	/* Every exit of the machine comes here while we listen: room for a
	 * burst between two reads. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	cpumask(mask, sizeof(mask));
	if (request(fd, fam, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_REGISTER_CPUMASK, mask,
		    strlen(mask) + 1) < 0)
		goto fail;
	ts->fd = fd;
	ts->family = fam;
	return 0;
fail:
	close(fd);
	return -1;
}

/* Inside AGGR_PID: the pid and the stats. */
static int aggr(struct nlattr *a, int len, gt_taskstats_cb cb, void *ctx)
{
	uint32_t pid = 0;
	bool have_pid = false;

	for (; NLA_OK_(a, len); a = NLA_NEXT_(a, len)) {
		uint16_t t = a->nla_type & NLA_TYPE_MASK;

		if (t == TASKSTATS_TYPE_PID && a->nla_len >= NLA_HDRLEN + sizeof(pid)) {
			memcpy(&pid, NLA_DATA_(a), sizeof(pid));
			have_pid = true;
		} else if (t == TASKSTATS_TYPE_STATS && have_pid &&
			   a->nla_len >= NLA_HDRLEN + offsetof(struct taskstats, hiwater_rss) +
						 sizeof(uint64_t)) {
			uint64_t kb;

			memcpy(&kb, NLA_DATA_(a) + offsetof(struct taskstats, hiwater_rss),
			       sizeof(kb));
			cb((pid_t)pid, kb, ctx);
			return 1;
		}
	}
	return 0;
}

int gt_taskstats_parse(const void *buf, size_t len, uint16_t family, gt_taskstats_cb cb,
		       void *ctx)
{
	int got = 0;
	int n = len > INT32_MAX ? INT32_MAX : (int)len;

	for (const struct nlmsghdr *h = buf; NLMSG_OK(h, (unsigned)n); h = NLMSG_NEXT(h, n)) {
		struct nlattr *a;
		int alen;

		if (h->nlmsg_type != family || h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(h) + GENL_HDRLEN);
		alen = (int)(h->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
		for (; NLA_OK_(a, alen); a = NLA_NEXT_(a, alen))
			if ((a->nla_type & NLA_TYPE_MASK) == TASKSTATS_TYPE_AGGR_PID)
				got += aggr((struct nlattr *)NLA_DATA_(a),
					    (int)(a->nla_len - NLA_HDRLEN), cb, ctx);
	}
	return got;
}

int gt_taskstats_drain(const struct gt_taskstats *ts, gt_taskstats_cb cb, void *ctx)
{
	union {
		char b[16384];
		struct nlmsghdr align;
	} u;
	int got = 0;
	bool lost = false;

	for (;;) {
		ssize_t n;

		if (ts->fd < 0)
			break;
		n = recv(ts->fd, u.b, sizeof(u.b), MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			lost = true;
			continue;
		}
		if (n <= 0)
			break;
		got += gt_taskstats_parse(u.b, (size_t)n, ts->family, cb, ctx);
	}
	return lost ? -1 : got;
}

void gt_taskstats_close(struct gt_taskstats *ts)
{
	char mask[64];

	if (ts->fd < 0)
		return;
	cpumask(mask, sizeof(mask));
	request(ts->fd, ts->family, TASKSTATS_CMD_GET, TASKSTATS_CMD_ATTR_DEREGISTER_CPUMASK,
		mask, strlen(mask) + 1);
	close(ts->fd);
	ts->fd = -1;
}
