/*
 * ownfilter: a program that sandboxes itself, as a browser or a service
 * does: it sets no_new_privs and installs a seccomp filter of its own that
 * makes getppid fail with EPERM, then calls getppid and writes "blocked\n"
 * (or "allowed\n" when the call went through) and exits 0.
 *
 *   ownfilter           as above
 *   ownfilter --allow   the filter lets getppid through (a known change:
 *                       getppid returns, "allowed\n")
 *
 * Tests look for: getppid() = -1 EPERM in the trace, and the program's own
 * output; a backend with a filter of its own in the command (seccomp,
 * auto, ptrace --ignore) refuses it instead.  Exits 3 when the filter
 * cannot be installed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned action = argc > 1 && strcmp(argv[1], "--allow") == 0
				  ? SECCOMP_RET_ALLOW
				  : SECCOMP_RET_ERRNO | EPERM;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};
	long r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) != 0)
		return 3;
	r = syscall(SYS_getppid);
	if (write(1, r == -1 ? "blocked\n" : "allowed\n", 8) != 8)
		return 4;
	return 0;
}
