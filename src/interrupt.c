/*
 * interrupt: the signal policy.  See interrupt.h.
 */
#include "config.h"

#include "interrupt.h"

#include <string.h>
#include <unistd.h>

#include "util.h"

volatile sig_atomic_t gt_interrupted;
bool gt_interrupt_reported;
static volatile sig_atomic_t fence, held, pending;

static void say_and_exit(void)
{
	static const char msg[] = "gtdiff: interrupted again; exiting at once\n";
	ssize_t n = write(STDERR_FILENO, msg, sizeof(msg) - 1);

	(void)n;
	_exit(128 + gt_interrupted);
}

void gt_interrupt_note(int sig, pid_t pgid)
{
	if (!gt_interrupted) {
		gt_interrupted = sig;
		if (fence)
			gt_write_cancel = 1;
		if (pgid > 0)
			kill(-pgid, SIGKILL);
		return;
	}
	if (pgid > 0)
		kill(-pgid, SIGKILL);
	if (held) {
		pending = 1;
		return;
	}
	say_and_exit();
}

static void on_signal(int sig)
{
	gt_interrupt_note(sig, 0);
}

void gt_interrupt_install(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < GT_ARRAY_SIZE(sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

void gt_interrupt_fence_writes(bool on)
{
	fence = on;
	gt_write_cancel = on && gt_interrupted;
}

void gt_interrupt_hold(bool on)
{
	held = on;
	if (!on && pending)
		say_and_exit();
}

int gt_interrupt_status(void)
{
	return gt_interrupted ? 128 + gt_interrupted : 0;
}
