/*
 * capture-notify: the seccomp pieces both backends use: a libseccomp filter
 * turned into classic BPF in the parent, its installation in the child
 * (with a user-notification listener when it has SCMP_ACT_NOTIFY rules),
 * and the listener's calls: synchronous wake-up, receive, continue, check
 * an id; and serving notifications on a capture session: one path for
 * the seccomp backend, which notifies every call, and --backend auto,
 * which notifies the calls whose return the trace does not need (served
 * by a thread of its own).  Internal to capture-*.c.
 */
#ifndef GT_CAPTURE_NOTIFY_H
#define GT_CAPTURE_NOTIFY_H

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "util.h"

/* Does this kernel offer SECCOMP_RET_USER_NOTIF (5.0)?  Asked once. */
bool gt_notify_available(void);

/* CTX as classic BPF in *PROG (its filter malloc'd; free it).  Built in the
 * parent: after fork only async-signal-safe calls are allowed, and the
 * child only passes the program to seccomp(2). */
enum gt_rc gt_seccomp_export(scmp_filter_ctx ctx, struct sock_fprog *prog, struct gt_error *err);

/* In the child (async-signal-safe): install PROG; with LISTENER, ask for a
 * notification listener, whose waits (5.19 and later) only a fatal signal
 * interrupts once a call has been received, so that no call is seen twice.
 * Returns the listener (close-on-exec), 0 without LISTENER, or -errno. */
long gt_seccomp_install(const struct sock_fprog *prog, bool listener);

/* Ask for synchronous wake-up (6.6): an answered task gets the CPU at once,
 * as does the supervisor on a new call.  False when the kernel refuses. */
bool gt_notify_sync_wakeup(int listener);

/* Receive the next call into REQ.  0, or the errno (EINTR; ENOENT: its
 * caller was killed meanwhile). */
int gt_notify_recv(int listener, struct seccomp_notif *req);

/* Is ID still a call waiting for us?  Asked after reading the caller's
 * memory: if it is, what was read belonged to that very call. */
bool gt_notify_id_valid(int listener, uint64_t id);

/* Answer call ID ourselves: it returns VAL, or fails with ERROR (an errno,
 * positive) when that is not 0; it does not run.  0, or the errno. */
int gt_notify_answer(int listener, uint64_t id, int64_t val, int error);

/* Let call ID run in the kernel.  0, or the errno (ENOENT: the caller was
 * killed while we looked, so the call never runs). */
int gt_notify_continue(int listener, uint64_t id);

/* ---- serving notifications on a session (capture-session.h) ---- */

struct gt_session;

/* Receive one notification of S->listener and serve it: the call is
 * recorded at entry (number, arguments, the memory the syscall table asks
 * for, checked against the notification id afterwards), the backend's
 * notify hooks check and follow it, and it runs in the kernel.  Failures go
 * to S->fail.  Takes S->lock. */
void gt_notify_serve(struct gt_session *s);

/* Serve S's notifications on a thread of their own from now on
 * (S->threaded), until gt_notifier_stop.  A failure to start goes to
 * S->fail, named after WHOSE ("--backend auto"). */
void gt_notifier_start(struct gt_session *s, const char *whose);
void gt_notifier_stop(struct gt_session *s);

#endif
