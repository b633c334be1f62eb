# lib.sh: shared helpers for the end-to-end tests.  Sourced by each *.test,
# which automake runs with GTDIFF, PROGS, SRCDIR and BUILDDIR set.
set -u

: "${GTDIFF:?GTDIFF must point at the built gtdiff}"
: "${PROGS:?PROGS must point at the built tracee programs}"
: "${SRCDIR:?SRCDIR must point at the source tree}"
# The tests set up CI mode themselves where they test it: a CI runner's own
# CI=true (update refuses, a missing golden is an error) and GitHub's
# variables (annotations, a step summary) must not change what they see.
unset CI GITHUB_ACTIONS GITHUB_STEP_SUMMARY

T=$(mktemp -d "${TMPDIR:-/tmp}/gtdiff-e2e.XXXXXX")
# GTDIFF_TEST_KEEP=1 keeps the test's directory for a look afterwards.
[ -n "${GTDIFF_TEST_KEEP:-}" ] && echo "keeping $T" || trap 'rm -rf "$T"' EXIT
FAILS=0
PASSES=0

fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
pass() { echo "ok: $*"; PASSES=$((PASSES + 1)); }
skip_all() { echo "SKIP: $*"; exit 77; }

# Finish: print the count and exit non-zero if anything failed.
finish() {
	echo "$PASSES passed, $FAILS failed"
	[ "$FAILS" -eq 0 ]
	exit $?
}

# expect_status WANT DESCRIPTION CMD...: run CMD, check its exit status.
expect_status() {
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" -eq "$want" ]; then
		pass "$what (exit $got)"
	else
		fail "$what: exit $got, wanted $want; stderr:"
		sed 's/^/    /' "$T/err" | head -20 >&2
	fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
	if grep -qE -- "$1" "$2"; then pass "$3"; else fail "$3: no /$1/ in $2:"; head -30 "$2" | sed 's/^/    /' >&2; fi
}
expect_no_grep() {
	if grep -qE -- "$1" "$2"; then fail "$3: /$1/ found in $2"; grep -E -- "$1" "$2" | head -5 | sed 's/^/    /' >&2; else pass "$3"; fi
}

# hash_of FILE: the canonical sequence hash of a trace.
hash_of() { sed -n 's/^  "hash": "\(.*\)",$/\1/p' "$1"; }

ptrace_ok() {
	"$GTDIFF" record -q -o /dev/null -- true >/dev/null 2>&1
}
