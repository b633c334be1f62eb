/*
 * taskstats: the kernel's per-task accounting at exit (taskstats(7) over
 * generic netlink), for the peak RSS of a command's tasks where nothing
 * stops them at their exit: the eBPF backend.  wait4's ru_maxrss would
 * count the pages gtdiff's forked child had before the command's exec;
 * the kernel's hiwater_rss at exit is the command's own peak (VmHWM), as
 * the ptrace backend reads it at the exit stop.
 */
#ifndef GT_TASKSTATS_H
#define GT_TASKSTATS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct gt_taskstats {
	int fd;          /* -1: not listening */
	uint16_t family; /* the TASKSTATS generic netlink family id */
};

/* Listen to the exits on every CPU (root: CAP_NET_ADMIN).  -1 (TS->fd -1)
 * where that cannot be (no CONFIG_TASKSTATS, not privileged). */
int gt_taskstats_open(struct gt_taskstats *ts);

/* Call CB for each task exit reported so far: its pid (the tid, in the
 * initial pid namespace) and its peak RSS in kB.  Returns the number of
 * reports, or -1 when some were lost (the socket's buffer overflowed). */
typedef void (*gt_taskstats_cb)(pid_t pid, uint64_t hiwater_kb, void *ctx);
int gt_taskstats_drain(const struct gt_taskstats *ts, gt_taskstats_cb cb, void *ctx);

/* The reports in one netlink datagram BUF of LEN bytes (FAMILY: the
 * TASKSTATS generic netlink family id): what drain does with each. */
int gt_taskstats_parse(const void *buf, size_t len, uint16_t family, gt_taskstats_cb cb,
		       void *ctx);

/* Stop listening (not listening: nothing). */
void gt_taskstats_close(struct gt_taskstats *ts);

#endif
