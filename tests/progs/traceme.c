/*
 * traceme: a program that wants to be traced itself, as a debugger's or
 * strace's child does: ptrace(PTRACE_TRACEME).  Untraced that succeeds
 * and it exits 0; under a ptrace-based tracer (gtdiff's ptrace or auto
 * backend) the kernel refuses with EPERM, since a task has one tracer at
 * most, and it says so on stderr and exits 1, as strace would.
 *
 *   traceme               as above
 *
 * Tests look for: under ptrace/auto, a failed ptrace(PTRACE_TRACEME) in
 * the trace and gtdiff's warning naming the cause.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/ptrace.h>
#include <unistd.h>

int main(void)
{
	if (ptrace(PTRACE_TRACEME, 0, NULL, NULL) != 0) {
		const char *e = strerror(errno);

		if (write(2, "traceme: ptrace(PTRACE_TRACEME): ", 33) < 0 ||
		    write(2, e, strlen(e)) < 0 || write(2, "\n", 1) < 0)
			_exit(2);
		return 1;
	}
	return 0;
}
