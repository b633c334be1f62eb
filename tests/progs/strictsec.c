/*
 * strictsec: a program that puts itself into strict seccomp mode
 * (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT)).  Strict mode allows only
 * read, write, _exit and sigreturn: the kernel kills the process with
 * SIGKILL at its next other call.  So, untraced (and under ptrace), it
 * writes "strict\n" and is then killed by its getpid().  If the prctl
 * fails it says so on stderr and exits 3 (it would not be strict).
 *
 *   strictsec             as above
 *   strictsec seccomp     the same through seccomp(SECCOMP_SET_MODE_STRICT, 0, NULL)
 *
 * Tests look for: a death by SIGKILL, as untraced, or a capture that
 * refuses to run it; never a clean exit.
 */
#define _GNU_SOURCE
#include <linux/seccomp.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	bool sys = argc > 1 && strcmp(argv[1], "seccomp") == 0;
	long r = sys ? syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL)
		     : prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0);

	if (r != 0) {
		static const char msg[] = "strictsec: cannot enter SECCOMP_MODE_STRICT\n";

		if (write(2, msg, sizeof msg - 1) < 0)
			_exit(4);
		_exit(3);
	}
	if (write(1, "strict\n", 7) < 0)
		syscall(SYS_exit, 5);
	syscall(SYS_getpid);    /* not allowed: SIGKILL */
	syscall(SYS_exit, 0);   /* not reached under strict mode */
	return 0;
}
