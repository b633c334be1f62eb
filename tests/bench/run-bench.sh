#!/bin/sh
# run-bench.sh: gtdiff's benchmark (`make bench`; not part of `make check`).
#
# 0. Mechanism floors.  bench-floor times a loop of getppid() calls bare
#    and under the cheapest tracing loop of each mechanism (ptrace at every
#    syscall stop, ptrace at seccomp stops, seccomp user notification with
#    and without sync wake-up), pinned and not.  These floors vary from day
#    to day on a virtual machine, so they are measured in the same run as
#    gtdiff, and part 1 ends with each backend's cost per call on the read
#    loop next to the floor of the mechanism it uses.
# 1. Capture overhead.  Real, syscall-heavy workloads are timed bare, under
#    `strace -f` (as users run it, and pinned to one CPU: see "Pinning"
#    below) and under `gtdiff record` with each backend that works here
#    (ptrace always; seccomp, auto and ebpf when a probe record succeeds:
#    ebpf needs root and a build with it).  The workload "true" is
#    gtdiff's fixed cost: `gtdiff record -- true` against a bare `true`.  The
#    variants run round-robin within each repetition (the order rotating
#    from one repetition to the next), BENCH_RUNS repetitions, and the table
#    shows the median wall time of each, the ratios to bare and to strace,
#    and the cost per system call of tracing.  gtdiff writes its trace to
#    /dev/null, so the measured time includes canonicalization and JSON,
#    which is what a user pays.
# 2. The diff engine.  gen-traces writes two traces of 1,000,000 events, the
#    second with 1% of the events edited, and the same event lists as text.
#    `gtdiff diff` (loading included) and GNU `diff` of the text files are
#    timed with their peak RSS; bench-diff times gt_diff_traces +
#    gt_diff_render alone.
# 3. The targets of the benchmark issue, each said met or not met.
#
# Environment (set by `make bench`; defaults for a run by hand from the
# build directory):
#   GTDIFF      the gtdiff binary              (default $BUILDDIR/src/gtdiff)
#   PROGS       the built tests/progs          (default $BUILDDIR/tests/progs)
#   BUILDDIR    the build directory            (default .)
#   SRCDIR      the source directory           (default: from $0)
#   BENCH_RUNS  repetitions (default 5)
#   BENCH_BIN   where gen-traces, bench-diff, bench-time and bench-floor
#               are (default $BUILDDIR/tests/bench)
#   BENCH_EVENTS  events per generated trace (default 1000000)
#   BENCH_PIN   none (default): pin nothing; auto: run everything on one
#               CPU (the last) when there are several; N: on CPU N.  See
#               "Pinning" below.
#   BENCH_KEEP  set to 1 to keep the temporary directory
#   TMPDIR      where the temporary directory goes (default /tmp)
#
# Exit status: 0 when every measurement could be made (whether or not the
# targets are met: this is a report, not a gate), 1 when one failed, 2 on a
# bad setup.

# Word splitting of unquoted "a b c" lists and command outputs is intended.
# shellcheck disable=SC2046,SC2086
set -u

BUILDDIR=${BUILDDIR:-.}
SRCDIR=${SRCDIR:-$(dirname "$0")/../..}
GTDIFF=${GTDIFF:-$BUILDDIR/src/gtdiff}
PROGS=${PROGS:-$BUILDDIR/tests/progs}
BENCH_RUNS=${BENCH_RUNS:-5}
BENCH_BIN=${BENCH_BIN:-$BUILDDIR/tests/bench}
BENCH_EVENTS=${BENCH_EVENTS:-1000000}
# Exported where the shell's default locale would make awk print "0,5".
LC_ALL=C
export LC_ALL

die() {
	echo "run-bench: $*" >&2
	exit 2
}

# The absolute form of path $1 (we change directory while timing).
abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

case $BENCH_RUNS in
'' | *[!0-9]* | 0) die "BENCH_RUNS must be a positive integer, not '$BENCH_RUNS'" ;;
esac
GTDIFF=$(abspath "$GTDIFF")
PROGS=$(abspath "$PROGS")
BENCH_BIN=$(abspath "$BENCH_BIN")
[ -x "$GTDIFF" ] || die "no gtdiff at $GTDIFF (set GTDIFF)"
[ -x "$PROGS/readloop" ] || die "no readloop at $PROGS/readloop (make tests/progs/readloop)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gtdiff-bench.XXXXXX") || die "cannot make a temporary directory"
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	cd / || :
	if [ "${BENCH_KEEP:-0}" = 1 ]; then
		echo "run-bench: kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failed=0

# ---- timing ----------------------------------------------------------------

# The timer: bench-time when built (a fork per run), else two `date` calls
# (which put a fork and exec of date inside the interval, ~1 ms).
if [ -x "$BENCH_BIN/bench-time" ]; then
	TIMER="$BENCH_BIN/bench-time"
else
	TIMER=
	echo "run-bench: no $BENCH_BIN/bench-time; timing with date +%s.%N" >&2
fi

# time_cmd CMD [ARG...]: run CMD with its output to /dev/null and set
# $secs (wall seconds) and $status (its exit status).  With $one_cpu set
# to -1, CMD runs on one CPU (bench-time -1).
one_cpu=
time_cmd() {
	if [ -n "$TIMER" ]; then
		set -- $("$TIMER" $one_cpu "$@")
		secs=${1:-0} status=${2:-127}
	else
		t0=$(date +%s.%N)
		"$@" </dev/null >/dev/null 2>&1
		status=$?
		t1=$(date +%s.%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')
	fi
}

# median FILE: the median of the numbers in FILE, one per line ("FAIL" if
# the file holds a FAIL line, "-" if it does not exist).
median() {
	if [ ! -s "$1" ]; then
		echo -
	elif grep -q FAIL "$1"; then
		echo FAIL
	else
		sort -n "$1" | awk '{ v[NR] = $1 }
			END { if (NR % 2) print v[(NR + 1) / 2];
			      else printf "%.6f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
	fi
}

# ---- machine and build -----------------------------------------------------

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)
ncpu=$(nproc)
echo "== gtdiff benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "machine: $ncpu CPUs${cpu:+ ($cpu)}, $(uname -srm)"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (1, 5, 15 min; other work on the machine)"

# Pinning.  A tracer and its tracee hand the CPU to each other at every
# stop.  On several CPUs the scheduler may put them on different ones, and
# every stop then costs a cross-CPU wake-up, which in a virtual machine
# whose idle vCPUs halt is slow and varies a lot from run to run (strace -f
# on the read loop, on the 2-vCPU machine of the issue: 1.9 s on one CPU,
# 2.7 to 9.8 s unpinned).  gtdiff's ptrace backend therefore pins itself
# and its tracee to one CPU (until the tracee makes a thread or a process;
# GTDIFF_PIN=0 turns that off).  So by default nothing is pinned here, as
# for a user, and strace is timed twice: as users run it ("strace") and on
# one CPU like gtdiff ("strace1", the like-for-like tracer comparison).
# BENCH_PIN=auto or =N pins this script and everything it runs to one CPU
# instead (then "strace1" would be the same as "strace" and is left out).
pin=${BENCH_PIN:-none}
pinned=0
case $pin in
none) pin_note="not pinned (BENCH_PIN=auto: pin everything to one CPU)" ;;
auto | [0-9]*)
	[ "$pin" = auto ] && pin=$((ncpu - 1))
	if [ "$ncpu" -gt 1 ] && command -v taskset >/dev/null 2>&1 &&
		taskset -p -c "$pin" $$ >/dev/null 2>&1; then
		pin_note="everything pinned to CPU $pin (BENCH_PIN=$BENCH_PIN)"
		pinned=1
	else
		pin_note="not pinned (one CPU, or no taskset)"
	fi
	;;
*) die "BENCH_PIN must be none, auto or a CPU number, not '$pin'" ;;
esac
echo "gtdiff:  $("$GTDIFF" --version 2>&1 | head -n 1), $GTDIFF"
if grep -q -e __asan_init -e __ubsan_handle "$GTDIFF" 2>/dev/null; then
	echo "WARNING: gtdiff is built with sanitizers: its timings are not representative"
	echo "         (configure without --enable-sanitizers, CFLAGS='-O2 -g')"
fi
echo "runs:    $BENCH_RUNS per variant, round-robin; times are medians; $pin_note"

# ---- variants --------------------------------------------------------------

STRACE=$(command -v strace 2>/dev/null) || STRACE=
VARIANTS=bare
if [ -n "$STRACE" ]; then
	VARIANTS="$VARIANTS strace"
	# strace on one CPU needs bench-time -1, and is moot when all is pinned.
	[ -n "$TIMER" ] && [ "$pinned" = 0 ] && [ "$ncpu" -gt 1 ] &&
		VARIANTS="$VARIANTS strace1"
else
	echo "note:    no strace: the strace column is empty"
fi
BACKENDS=
for b in ptrace seccomp auto ebpf; do
	if "$GTDIFF" record -q -o /dev/null --backend "$b" -- true </dev/null >/dev/null 2>"$WORK/probe.err"; then
		BACKENDS="$BACKENDS $b"
	else
		echo "note:    backend $b is not available: $(head -n 1 "$WORK/probe.err")"
	fi
done
[ -n "$BACKENDS" ] || die "gtdiff cannot record with any backend here"
VARIANTS="$VARIANTS$BACKENDS"

# run_variant VARIANT CMD [ARG...]: time CMD bare, under strace or under
# gtdiff record with backend VARIANT; VARIANT "count" runs it untimed under
# strace -c, the summary going to $COUNT_FILE.
run_variant() {
	v=$1
	shift
	case $v in
	bare) time_cmd "$@" ;;
	count) "$STRACE" -f -qq -c -o "$COUNT_FILE" "$@" </dev/null >/dev/null 2>&1 ;;
	strace) time_cmd "$STRACE" -f -qq -o /dev/null "$@" ;;
	strace1)
		one_cpu=-1
		time_cmd "$STRACE" -f -qq -o /dev/null "$@"
		one_cpu=
		;;
	*) time_cmd "$GTDIFF" record -q -o /dev/null --backend "$v" -- "$@" ;;
	esac
}

# ---- workloads -------------------------------------------------------------

WORKLOADS="readloop"
TAR=$(command -v tar 2>/dev/null) || TAR=
LS=$(command -v ls 2>/dev/null) || LS=
GIT=$(command -v git 2>/dev/null) || GIT=
PY=/usr/bin/python3 # not a pyenv shim: that would time a shell script

# A tree of 2000 small files (40 directories of 50, 20 to 920 bytes).
if [ -n "$TAR" ]; then
	mkdir "$WORK/tree" || die "cannot populate $WORK"
	d=1
	while [ $d -le 40 ]; do
		mkdir "$WORK/tree/d$d"
		f=1
		while [ $f -le 50 ]; do
			printf 'file %d/%d\n%0*d\n' $d $f $((d * f % 900 + 20)) 0 \
				>"$WORK/tree/d$d/f$f.txt"
			f=$((f + 1))
		done
		d=$((d + 1))
	done
	WORKLOADS="$WORKLOADS tar"
fi
# A tree of C headers, as a build packs them: the kernel's UAPI headers.
HDRS=
for h in /usr/include/linux /usr/include; do
	[ -d "$h" ] && { HDRS=$h; break; }
done
[ -n "$TAR" ] && [ -n "$HDRS" ] && WORKLOADS="$WORKLOADS tarh"
[ -n "$LS" ] && WORKLOADS="$WORKLOADS ls"
[ -x "$PY" ] && WORKLOADS="$WORKLOADS python3"
TRUE=$(command -v true 2>/dev/null) && WORKLOADS="$WORKLOADS true"

# A small repository: 200 committed files, 5 of them modified since, 3
# untracked ones.  The config is given on the command line so that the
# user's and the system's do not matter.
if [ -n "$GIT" ]; then
	(
		set -e
		mkdir "$WORK/repo"
		cd "$WORK/repo"
		"$GIT" init -q
		i=1
		while [ $i -le 200 ]; do
			mkdir -p "src/m$((i % 10))"
			printf 'int f%d(void) { return %d; }\n' $i $i >"src/m$((i % 10))/f$i.c"
			i=$((i + 1))
		done
		"$GIT" add -A
		"$GIT" -c user.name=bench -c user.email=bench@example.invalid \
			-c commit.gpgsign=false commit -q -m 'bench tree'
		for i in 3 50 97 120 199; do
			echo '/* changed */' >>"src/m$((i % 10))/f$i.c"
		done
		touch new1.c new2.c src/new3.c
	) >/dev/null 2>&1 && WORKLOADS="$WORKLOADS git"
fi

# wl_label NAME: what the table calls the workload.
wl_label() {
	case $1 in
	readloop) echo "readloop 100k" ;;
	tar) echo "tar 2000 files" ;;
	tarh) echo "tar headers" ;;
	true) echo "record true" ;;
	ls) echo "ls -la /usr/bin" ;;
	python3) echo "python3 -c pass" ;;
	git) echo "git status" ;;
	esac
}

# run_workload NAME VARIANT: one timed run of workload NAME.
#
# tar writes a real archive: with -f /dev/null GNU tar notices that nothing
# is kept and does not read the files at all (4,600 syscalls instead of
# 12,900), which is not the workload we mean.
run_workload() {
	case $1 in
	readloop)
		cd "$WORK" && run_variant "$2" "$PROGS/readloop" --small 100000 ;;
	tar)
		cd "$WORK" && run_variant "$2" "$TAR" -cf "$WORK/tree.tar" tree ;;
	tarh)
		cd "$WORK" && run_variant "$2" "$TAR" -cf "$WORK/hdrs.tar" -C "$(dirname "$HDRS")" \
			"$(basename "$HDRS")" ;;
	true)
		cd "$WORK" && run_variant "$2" "$TRUE" ;;
	ls)
		cd "$WORK" && run_variant "$2" "$LS" -la /usr/bin ;;
	python3)
		cd "$WORK" && run_variant "$2" "$PY" -c pass ;;
	git)
		cd "$WORK/repo" && run_variant "$2" "$GIT" status ;;
	esac
}

# The number of system calls of each workload (strace -c, once), for the
# cost per call; before it, an untimed warm-up run that fills the caches.
for w in $WORKLOADS; do
	run_workload "$w" bare
	n=
	if [ -n "$STRACE" ]; then
		COUNT_FILE="$WORK/count.$w"
		run_workload "$w" count
		n=$(awk '$NF == "total" { print $4 }' "$COUNT_FILE" 2>/dev/null)
	fi
	[ -z "$n" ] && [ "$w" = readloop ] && n=100000
	echo "${n:--}" >"$WORK/calls.$w"
done

# ---- part 0: mechanism floors ----------------------------------------------

# FLOOR_MAP: the floor each backend is held to, one "BACKEND FLOOR PINNED"
# per line, with FLOOR a bench-floor row and PINNED as the backend runs:
# the ptrace backend pins itself and its tracee to one CPU, auto runs in
# the same tracer (its readloop calls are user notifications: read's return
# is not needed), seccomp pins nothing.  FLOOR may list alternatives,
# a|b, the first one measured being taken (sync wake-up needs Linux 6.6).
# This is the one place to change when a backend changes its mechanism.
FLOOR_MAP='ptrace ptrace-syscall 1
seccomp unotify-sync|unotify 0
auto unotify-sync|unotify 1'

# $WORK/floor keeps bench-floor's lines, "NAME PINNED US_PER_CALL" (or
# "NAME PINNED unavailable REASON", "NAME PINNED failed REASON"), for the
# comparison after the capture tables.
echo
echo "== mechanism floor (µs per call, median of $BENCH_RUNS)"
if [ -x "$BENCH_BIN/bench-floor" ]; then
	echo "measuring the mechanism floors..." >&2
	"$BENCH_BIN/bench-floor" -r "$BENCH_RUNS" >"$WORK/floor" || {
		echo "run-bench: bench-floor failed" >&2
		failed=1
	}
	printf '%-22s %9s %9s\n' mechanism unpinned pinned
	awk '
	function num(x) { return x ~ /^[0-9.]+$/ }
	{
		if (!($1 in seen)) {
			seen[$1] = 1
			order[++n] = $1
		}
		if (num($3)) {
			v[$1, $2] = sprintf("%.2f", $3)
		} else {
			v[$1, $2] = $3 == "unavailable" ? "n/a" : "FAIL"
			why = $0
			sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", why)
			note[++nn] = sprintf("%s%s: %s %s", $1, $2 ? " (pinned)" : "", $3, why)
		}
	}
	END {
		for (i = 1; i <= n; i++)
			printf "%-22s %9s %9s\n", order[i], ((order[i], 0) in v) ? v[order[i], 0] : "-",
				((order[i], 1) in v) ? v[order[i], 1] : "-"
		for (i = 1; i <= nn; i++)
			print "  " note[i]
	}' "$WORK/floor"
	echo "(a child's loop of getppid() calls, its own clock around them: bare, or under"
	echo " the cheapest loop of each mechanism, reading each call and decoding nothing;"
	echo " ptrace-syscall stops at entry and exit, ptrace-seccomp-entry at entry only;"
	if [ "$pinned" = 1 ]; then
		echo " pinned: tracer and tracee on one CPU; here everything is, unpinned too)"
	else
		echo " pinned: tracer and tracee on one CPU)"
	fi
else
	echo "(not measured: no $BENCH_BIN/bench-floor; make bench builds it)"
fi

# ---- part 1: capture overhead ----------------------------------------------

nvar=$(echo $VARIANTS | wc -w)
echo
echo "== capture overhead (${BENCH_RUNS} runs each, variants: $VARIANTS)"
rep=1
while [ $rep -le "$BENCH_RUNS" ]; do
	printf 'run %d/%d...\n' "$rep" "$BENCH_RUNS" >&2
	for w in $WORKLOADS; do
		# Rotate the variants' order by one per repetition.
		set -- $VARIANTS
		k=$(((rep - 1) % nvar))
		while [ "$k" -gt 0 ]; do
			first=$1
			shift
			set -- "$@" "$first"
			k=$((k - 1))
		done
		for v in "$@"; do
			run_workload "$w" "$v"
			if [ "$status" -eq 0 ]; then
				echo "$secs" >>"$WORK/t.$w.$v"
			else
				echo "FAIL $status" >>"$WORK/t.$w.$v"
				echo "run-bench: $w under $v: exit status $status" >&2
				failed=1
			fi
		done
	done
	rep=$((rep + 1))
done
cd "$WORK" || exit 2

# Table 1, the medians: one row per workload, one column per variant (ms).
printf '\n%-16s %8s' workload syscalls
for v in $VARIANTS; do
	printf ' %10s' "$v ms"
done
printf '\n'
for w in $WORKLOADS; do
	printf '%-16s %8s' "$(wl_label "$w")" "$(cat "$WORK/calls.$w")"
	for v in $VARIANTS; do
		median "$WORK/t.$w.$v" | awk '
			$1 ~ /^[0-9.]+$/ { printf " %10.1f", $1 * 1000; next }
			{ printf " %10s", $1 }'
	done
	printf '\n'
done

# Table 2, the overhead: one row per workload and backend: gtdiff's median
# over bare, over strace and over strace1, and the cost per system call
# (us) over bare of gtdiff, strace and strace1.  $WORK/summary keeps
# "workload backend x_bare x_strace x_strace1 us_per_call" for the targets
# and the floors below.
printf '\n%-16s %-8s %8s %9s %10s %9s %10s %11s\n' workload backend "x bare" \
	"x strace" "x strace1" "us/call" "strace us" "strace1 us"
: >"$WORK/summary"
for w in $WORKLOADS; do
	bare=$(median "$WORK/t.$w.bare")
	str=$(median "$WORK/t.$w.strace")
	str1=$(median "$WORK/t.$w.strace1")
	n=$(cat "$WORK/calls.$w")
	for b in $BACKENDS; do
		gt=$(median "$WORK/t.$w.$b")
		awk -v w="$(wl_label "$w")" -v n="$n" -v bare="$bare" -v str="$str" \
			-v str1="$str1" -v b="$b" -v gt="$gt" -v sum="$WORK/summary" -v key="$w" '
		function num(x) { return x ~ /^[0-9.]+$/ }
		function ratio(a, c) {
			if (!num(a) || !num(c) || c == 0)
				return "-"
			return sprintf("%.2f", a / c)
		}
		function percall(t) {
			if (!num(t) || !num(bare) || !num(n) || n == 0)
				return "-"
			return sprintf("%.2f", (t - bare) * 1e6 / n)
		}
		BEGIN {
			printf "%-16s %-8s %8s %9s %10s %9s %10s %11s\n", w, b,
				ratio(gt, bare), ratio(gt, str), ratio(gt, str1),
				percall(gt), percall(str), percall(str1)
			print key, b, ratio(gt, bare), ratio(gt, str), ratio(gt, str1),
				percall(gt) >> sum
		}'
	done
done
echo "(strace: strace -f as users run it; strace1: the same on one CPU, as gtdiff's"
echo " ptrace backend runs itself; us/call: (median - bare median) / syscalls, the"
echo " syscalls counted once with strace -c)"

# Each backend on the read loop against the floor of its mechanism
# (FLOOR_MAP).  gtdiff's us/call is over bare, so the floor is taken over
# bare too: bench-floor's traced call less its bare one.
if [ -s "$WORK/floor" ] && grep -q '^readloop ' "$WORK/summary"; then
	echo
	echo "readloop 100k against the floor of each backend's mechanism:"
	printf '%-8s %9s %9s %8s  %s\n' backend "us/call" "floor us" "x floor" mechanism
	printf '%s\n' "$FLOOR_MAP" | awk -v floor="$WORK/floor" -v sum="$WORK/summary" '
	function num(x) { return x ~ /^[0-9.]+$/ }
	BEGIN {
		while ((getline l < floor) > 0) {
			split(l, f, " ")
			if (num(f[3]))
				fl[f[1] " " f[2]] = f[3]
		}
		while ((getline l < sum) > 0) {
			split(l, f, " ")
			if (f[1] == "readloop")
				gt[f[2]] = f[6]
		}
	}
	!($1 in gt) { next }
	{
		k = split($2, alt, "|")
		m = ""
		for (i = 1; i <= k && m == ""; i++)
			if ((alt[i] " " $3) in fl)
				m = alt[i]
		fus = "-"
		if (m != "") {
			fus = fl[m " " $3] - (("bare 0") in fl ? fl["bare 0"] : 0)
			fus = sprintf("%.2f", fus)
		}
		x = num(gt[$1]) && num(fus) && fus + 0 > 0 ? sprintf("%.2f", gt[$1] / fus) : "-"
		printf "%-8s %9s %9s %8s  %s, %s\n", $1, gt[$1], fus, x,
			m != "" ? m : $2 " (no floor)", $3 ? "pinned" : "unpinned"
	}'
	echo "(floor us: bench-floor's cost per call under the mechanism less the bare call's;"
	echo " x floor: gtdiff's us/call over it; 1.00 would be the mechanism's own cost)"
fi

# ---- part 2: the diff engine -----------------------------------------------

echo
echo "== diff engine: $BENCH_EVENTS vs $BENCH_EVENTS events, 1% edited"
diff_ok=0
if [ -x "$BENCH_BIN/gen-traces" ] && [ -x "$BENCH_BIN/bench-diff" ]; then
	if "$BENCH_BIN/gen-traces" -n "$BENCH_EVENTS" "$WORK"; then
		diff_ok=1
	else
		echo "run-bench: gen-traces failed" >&2
		failed=1
	fi
else
	echo "run-bench: no gen-traces/bench-diff in $BENCH_BIN (make bench builds them)" >&2
	failed=1
fi

# measure NAME EXPECTED CMD [ARG...]: time CMD (its output to /dev/null)
# with /usr/bin/time -v, appending "seconds max_rss_kb" to $WORK/m.NAME;
# EXPECTED is the exit status it should have.
measure() {
	name=$1 want=$2
	shift 2
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -v -o "$WORK/time.out" "$@" </dev/null >/dev/null 2>&1
		st=$?
		awk '/Elapsed \(wall clock\)/ {
				n = split($NF, p, ":"); s = 0
				for (i = 1; i <= n; i++) s = s * 60 + p[i]
			}
			/Maximum resident set size/ { rss = $NF }
			END { print s, rss }' "$WORK/time.out" >>"$WORK/m.$name"
	elif [ -n "$TIMER" ]; then
		set -- $("$TIMER" "$@")
		st=$2
		echo "$1 $3" >>"$WORK/m.$name"
	else
		die "need /usr/bin/time or bench-time for the diff benchmark"
	fi
	if [ "$st" -ne "$want" ]; then
		echo "run-bench: $name: exit status $st, expected $want" >&2
		failed=1
	fi
}

if [ "$diff_ok" = 1 ]; then
	rep=1
	while [ $rep -le "$BENCH_RUNS" ]; do
		measure gtdiff 1 "$GTDIFF" diff --color never "$WORK/golden.json" "$WORK/new.json"
		measure gnudiff 1 diff "$WORK/golden.txt" "$WORK/new.txt"
		rep=$((rep + 1))
	done
	printf '%-34s %9s %12s\n' "" "median s" "peak RSS MB"
	for m in gtdiff gnudiff; do
		case $m in
		gtdiff) label="gtdiff diff golden.json new.json" ;;
		gnudiff) label="diff golden.txt new.txt" ;;
		esac
		awk '{ print $1 }' "$WORK/m.$m" >"$WORK/m.$m.s"
		s=$(median "$WORK/m.$m.s")
		rss=$(awk '$2 > max { max = $2 } END { printf "%.0f", max / 1024 }' "$WORK/m.$m")
		printf '%-34s %9.2f %12s\n' "$label" "$s" "$rss"
		echo "$m $s $rss" >>"$WORK/summary.diff"
	done
	# The engine alone: bench-diff prints its own line; its peak RSS is
	# that of the two loaded traces plus the diff.
	echo "bench-diff (gt_diff_traces + gt_diff_render only, traces preloaded):"
	if "$BENCH_BIN/bench-diff" -r "$BENCH_RUNS" "$WORK/golden.json" "$WORK/new.json" \
		>"$WORK/engine.out"; then
		sed 's/^/  /' "$WORK/engine.out"
	else
		echo "run-bench: bench-diff failed" >&2
		failed=1
	fi
fi

# ---- part 3: the targets ---------------------------------------------------

echo
echo "== targets"
# verdict OK TEXT: print TEXT as met (OK = 1), not met (0) or n/a (-).
verdict() {
	case $1 in
	1) printf '  met      %s\n' "$2" ;;
	0) printf '  NOT MET  %s\n' "$2" ;;
	*) printf '  n/a      %s\n' "$2" ;;
	esac
}

# all_le BACKEND FIELD LIMIT [WORKLOADS]: "ok detail" where ok is 1 when
# FIELD (3: x bare, 4: x strace, 5: x strace1) is <= LIMIT for every listed
# workload (all by default, but the fixed cost "true").
all_le() {
	awk -v b="$1" -v f="$2" -v lim="$3" -v only="${4:-}" '
	BEGIN { ok = 1; seen = 0; d = "" }
	$2 == b && ((only == "" && $1 != "true") || index(" " only " ", " " $1 " ")) {
		seen = 1
		d = d sprintf("%s%s %s", d == "" ? "" : ", ", $1, $f)
		if ($f == "-" || $f + 0 > lim) ok = 0
	}
	END { print (seen ? ok : "-"), (d == "" ? "not measured" : d) }' "$WORK/summary"
}

if [ -n "$STRACE" ]; then
	set -- $(all_le ptrace 4 0.5)
	ok=$1
	shift
	verdict "$ok" "ptrace <= 0.5x strace on every workload ($*)"
	if [ -s "$WORK/t.readloop.strace1" ]; then
		set -- $(all_le ptrace 5 0.5)
		ok=$1
		shift
		verdict "$ok" "  ... the same against strace on one CPU ($*)"
	fi
	set -- $(all_le seccomp 4 0.2 readloop)
	ok=$1
	shift
	verdict "$ok" "seccomp <= 0.2x strace on the read loop ($*)"
	if [ -s "$WORK/t.readloop.strace1" ]; then
		set -- $(all_le seccomp 5 0.2 readloop)
		ok=$1
		shift
		verdict "$ok" "  ... the same against strace on one CPU ($*)"
	fi
	s=$(median "$WORK/t.readloop.strace")
	s=$(awk -v s="$s" 'BEGIN { printf (s ~ /^[0-9.]+$/ ? "%.2f" : "%s"), s }')
	s1=$(median "$WORK/t.readloop.strace1")
	s1=$(awk -v s="$s1" 'BEGIN { printf (s ~ /^[0-9.]+$/ ? "%.2f s" : "%s"), s }')
	echo "  (ref.)   strace -f on the read loop: $s s here (on one CPU: $s1), ~2.29 s in the issue"
else
	verdict - "ptrace <= 0.5x strace on every workload (no strace)"
	verdict - "seccomp <= 0.2x strace on the read loop (no strace)"
fi
real=$(echo "$WORKLOADS" | sed 's/readloop//; s/true//')
set -- $(all_le seccomp 3 2 "$real")
ok=$1
shift
verdict "$ok" "seccomp <= 2x bare on the real workloads ($*)"

# auto_vs WHICH: "ok detail", auto's median against the faster of ptrace and
# seccomp (WHICH = min) or against ptrace alone (WHICH = ptrace), per
# workload, from the x-bare ratios (same bare median for all three).
auto_vs() {
	awk -v which="$1" '
	{
		r[$1 " " $2] = $3
		if (!($1 in w))
			order[++n] = $1
		w[$1] = 1
	}
	END {
		ok = 1; d = ""; seen = 0
		for (i = 1; i <= n; i++) {
			k = order[i]
			if (!((k " auto") in r) || !((k " ptrace") in r))
				continue
			lim = r[k " ptrace"]
			if (which == "min" && (k " seccomp") in r && r[k " seccomp"] < lim)
				lim = r[k " seccomp"]
			seen = 1
			d = d sprintf("%s%s %.2f", d == "" ? "" : ", ", k, r[k " auto"] / lim)
			if (r[k " auto"] > lim)
				ok = 0
		}
		print (seen ? ok : "-"), (d == "" ? "not measured" : d)
	}' "$WORK/summary"
}
set -- $(auto_vs min)
ok=$1
shift
verdict "$ok" "auto no slower than the faster of ptrace and seccomp (auto / faster: $*)"
set -- $(auto_vs ptrace)
ok=$1
shift
verdict "$ok" "  ... no slower than ptrace, whose returns it keeps where they matter ($*)"

# The eBPF backend's goals (issue 11): near-native on the read loop, at
# most twice bare on ls and tar, a tenth of strace everywhere, and a fixed
# cost (record -- true less a bare true) under 50 ms.
if grep -q ' ebpf ' "$WORK/summary"; then
	set -- $(all_le ebpf 3 1.5 readloop)
	ok=$1
	shift
	verdict "$ok" "ebpf <= 1.5x bare on the read loop ($*)"
	set -- $(all_le ebpf 3 2 "ls tar tarh")
	ok=$1
	shift
	verdict "$ok" "ebpf <= 2x bare on ls and tar ($*)"
	if [ -n "$STRACE" ]; then
		set -- $(all_le ebpf 4 0.1 "$(echo "$WORKLOADS" | sed 's/true//')")
		ok=$1
		shift
		verdict "$ok" "ebpf <= 0.1x strace on every workload ($*)"
	fi
	fixed=$(awk -v e="$(median "$WORK/t.true.ebpf")" -v b="$(median "$WORK/t.true.bare")" '
		BEGIN { if (e ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.1f", (e - b) * 1000; else print "-" }')
	ok=$(awk -v f="$fixed" 'BEGIN { print (f ~ /^[0-9.]+$/ ? (f < 50 ? 1 : 0) : "-") }')
	verdict "$ok" "ebpf's fixed cost (record -- true less a bare true) < 50 ms: $fixed ms"
	fixed=$(awk -v e="$(median "$WORK/t.true.ptrace")" -v b="$(median "$WORK/t.true.bare")" '
		BEGIN { if (e ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.1f", (e - b) * 1000; else print "-" }')
	echo "  (ref.)   ptrace's fixed cost: $fixed ms"
fi
echo "  (load)   $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null) (1, 5, 15 min), at the end"

if [ -s "$WORK/summary.diff" ]; then
	eng=$(sed -n 's/.*median \([0-9.]*\) s.*/\1/p' "$WORK/engine.out" 2>/dev/null)
	engmb=$(sed -n 's/.*hold \([0-9]*\) MB of heap.*/\1/p' "$WORK/engine.out" 2>/dev/null)
	awk -v eng="${eng:--}" -v engmb="${engmb:--}" '
	$1 == "gtdiff" { gs = $2; gr = $3 }
	$1 == "gnudiff" { ds = $2; dr = $3 }
	function v(ok, text) { printf "  %-8s %s\n", ok ? "met" : "NOT MET", text }
	END {
		v(gs <= 1, sprintf("gtdiff diff (loading included) <= 1 s: %.2f s", gs))
		v(gr <= 300, sprintf("gtdiff diff <= 300 MB: %d MB", gr))
		v(gs < ds, sprintf("gtdiff diff faster than GNU diff: %.2f s vs %.2f s", gs, ds))
		if (eng != "-") {
			v(eng <= 1, sprintf("diff engine alone <= 1 s: %.3f s", eng))
			if (engmb != "-")
				v(engmb <= 300, sprintf("diff engine alone <= 300 MB: %d MB of heap over the loaded traces", engmb))
			v(eng < ds, sprintf("diff engine alone faster than GNU diff: %.3f s vs %.2f s", eng, ds))
		}
	}' "$WORK/summary.diff"
else
	verdict - "diff engine targets (not measured)"
fi

exit "$failed"
