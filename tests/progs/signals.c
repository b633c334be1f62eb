/*
 * signals: signal delivery as the tracer sees it.
 *
 *   1. rt_sigaction installs handlers for SIGUSR1 and SIGUSR2;
 *   2. kill(getpid(), SIGUSR1): delivered on return from kill, the handler
 *      counts it (a signal-delivery stop, then rt_sigreturn);
 *   3. rt_sigprocmask blocks SIGUSR2; kill(getpid(), SIGUSR2) leaves it
 *      pending (no delivery); rt_sigprocmask unblocks it and it is delivered
 *      on return from that call;
 *   4. checks each handler ran exactly once and writes "ok\n"; exit 0.
 *
 *   signals          the above
 *   signals --die    the above, then raise(SIGTERM) with the default action:
 *                    the process is killed by SIGTERM (the known change:
 *                    "exited 0" becomes "killed by SIGTERM")
 *   signals --segv   the above, then setrlimit(RLIMIT_CORE, 0) and a store
 *                    through a NULL pointer: killed by SIGSEGV (a SIGSEGV
 *                    delivery stop with si_addr NULL, no core dump)
 *
 * Tests look for the SIGUSR1 delivery right after kill, the SIGUSR2 delivery
 * right after the unblocking rt_sigprocmask (not after the second kill), and
 * the process's end: exit 0, killed by SIGTERM or killed by SIGSEGV.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static volatile sig_atomic_t got_usr1, got_usr2;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		got_usr1++;
	else if (sig == SIGUSR2)
		got_usr2++;
}

static void die(const char *msg)
{
	if (write(2, msg, strlen(msg)) < 0)
		_exit(2);
	_exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t usr2;
	int mode = 0; /* 0 normal, 1 --die, 2 --segv */

	if (argc > 2)
		die("usage: signals [--die|--segv]\n");
	if (argc == 2) {
		if (strcmp(argv[1], "--die") == 0)
			mode = 1;
		else if (strcmp(argv[1], "--segv") == 0)
			mode = 2;
		else
			die("usage: signals [--die|--segv]\n");
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) != 0 || sigaction(SIGUSR2, &sa, NULL) != 0)
		die("signals: sigaction failed\n");

	if (kill(getpid(), SIGUSR1) != 0)
		die("signals: kill SIGUSR1 failed\n");

	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &usr2, NULL) != 0)
		die("signals: sigprocmask failed\n");
	if (kill(getpid(), SIGUSR2) != 0)
		die("signals: kill SIGUSR2 failed\n");
	if (got_usr2 != 0)
		die("signals: SIGUSR2 delivered while blocked\n");
	if (sigprocmask(SIG_UNBLOCK, &usr2, NULL) != 0)
		die("signals: sigprocmask failed\n");

	if (got_usr1 != 1 || got_usr2 != 1)
		die("signals: wrong delivery counts\n");
	if (write(1, "ok\n", 3) != 3)
		die("signals: write failed\n");

	if (mode == 1) {
		signal(SIGTERM, SIG_DFL);
		raise(SIGTERM);
		die("signals: survived SIGTERM\n");
	}
	if (mode == 2) {
		volatile int *volatile p = NULL; /* both: or the store is dead */
		struct rlimit nocore = { 0, 0 };

		/* no core file: none left behind, and no "(core dumped)" that
		 * depends on the machine's ulimit -c */
		setrlimit(RLIMIT_CORE, &nocore);

		*p = 1;
		die("signals: survived a NULL store\n");
	}
	return 0;
}
