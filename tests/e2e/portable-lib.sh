# portable-lib.sh: the project and the environments of portable.test and
# portable-detect.test.  Sourced after lib.sh.

# make_project DIR: a small project with a gtdiff.yaml whose cases run real
# programs the way a user would, with their inputs.
make_project() {
	d=$1
	mkdir -p "$d"
	# A tree with enough entries that directory order differs between
	# file systems (ext4 hashes names with a per-file-system seed; tmpfs
	# lists newest first).
	for sub in alpha beta gamma; do
		mkdir -p "$d/tree/$sub"
		for f in one two three four five six seven eight nine ten eleven twelve; do
			printf '%s %s\nneedle in %s/%s\n' "$sub" "$f" "$sub" "$f" >"$d/tree/$sub/$f.txt"
		done
	done
	awk 'BEGIN { x = 7; for (i = 0; i < 200000; i++) { x = (x * 1103515245 + 12345) % 2147483648; print x % 1000003 } }' \
		>"$d/numbers.txt"
	awk 'BEGIN { split("pear apple fig needle plum kiwi", w, " "); for (i = 0; i < 3000; i++) print w[i % 6 + 1] }' \
		>"$d/words.txt"
	printf '{"items": [{"n": 1}, {"n": 2}, {"n": 39}]}\n' >"$d/data.json"
	printf 'int main(void) { return 0; }\n' >"$d/hello.c"
	printf 'all: out2.txt\nout1.txt: words.txt\n\tsort words.txt > out1.txt\nout2.txt: out1.txt\n\tuniq -c out1.txt > out2.txt\nclean:\n\trm -f out1.txt out2.txt\n' \
		>"$d/Makefile"
	head -c 300000 "$d/numbers.txt" >"$d/big.bin"
	sqlite3 "$d/data.db" 'create table t(a); insert into t values (1), (2), (3);'
	(cd "$d" && git init -q repo && cp words.txt hello.c repo/ && cd repo && git add . &&
		git -c user.name=t -c user.email=t@t commit -qm init) >/dev/null 2>&1
	cat >"$d/gtdiff.yaml" <<'CFG'
version: 1
defaults:
  runs: 3
  timeout: 120
cases:
  - name: ls
    run: [ls, -la, tree]
  - name: find
    run: [find, tree, -name, "*.txt"]
  - name: grep
    run: [grep, -rn, needle, tree]
  - name: tar
    run: [tar, -cf, tree.tar, tree]
  - name: sort
    run: [sort, -n, numbers.txt]
  - name: pipeline
    shell: "cat words.txt | sort | uniq -c | sort -rn | head -3"
  - name: wc
    run: [wc, -l, words.txt]
  - name: git-status
    run: [git, status, --short]
    cwd: repo
    fresh_cwd: true     # git refreshes its index: each run gets a fresh copy
  - name: git-log
    run: [git, log, --oneline]
    cwd: repo
  - name: python3
    run: [python3, -c, "import json, os; print(json.dumps(sorted(os.listdir('tree'))))"]
  - name: sqlite3
    run: [sqlite3, data.db, "select count(*), sum(a) from t;"]
  - name: cc
    run: [cc, -c, hello.c, -o, hello.o]
    fresh_cwd: true     # as would find the hello.o of the run before
  - name: make
    run: [make, -s]
    setup: make -s clean
  - name: xz
    shell: "xz -T2 -1 -c big.bin > big.bin.xz"
  - name: perl
    run: [perl, -ne, "$n++ if /needle/; END { print qq($n\n) }", words.txt]
  - name: jq
    run: [jq, ".items | map(.n) | add", data.json]
CFG
}

# make_home DIR: a user's home with a pyenv-like shim for python3: a bash
# script that finds the next python3 on PATH, as pyenv's shims do.
make_home() {
	h=$1
	mkdir -p "$h/.pyenv/shims" "$h/bin"
	cat >"$h/.pyenv/shims/python3" <<'SHIM'
#!/usr/bin/env bash
set -e
program="${0##*/}"
shim_dir="$(cd "${0%/*}" && pwd)"
IFS=: read -r -a dirs <<<"$PATH"
for d in "${dirs[@]}"; do
	[ "$d" = "$shim_dir" ] && continue
	[ -x "$d/$program" ] && exec "$d/$program" "$@"
done
echo "$program: not found" >&2
exit 127
SHIM
	chmod 755 "$h/.pyenv/shims/python3"
}

# user_path HOME: the PATH such a user has.
user_path() { echo "$1/.pyenv/shims:/usr/local/bin:/usr/bin:/bin"; }

is_root() { [ "$(id -u)" -eq 0 ]; }
can_unshare() { unshare -m -u true 2>/dev/null; }
# A small ext4 on a loop device (needs mkfs.ext4 and a loop device).
can_loop() {
	command -v mkfs.ext4 >/dev/null 2>&1 || return 1
	truncate -s 8M "$T/probe.img" && mkfs.ext4 -q -F "$T/probe.img" >/dev/null 2>&1 &&
		mkdir -p "$T/probe" &&
		unshare -m sh -c "mount -o loop '$T/probe.img' '$T/probe'" 2>/dev/null
	st=$?
	rm -rf "$T/probe.img" "$T/probe"
	return $st
}

# The environments.  Those that need root or namespaces are left out, with
# a note, where they cannot run.
portable_envs() {
	envs="dir cpu1 umask077 nofile deep path sigign load"
	if is_root; then
		envs="$envs user"
		if can_unshare; then
			envs="$envs host tmpfs"
			if can_loop; then envs="$envs ext4-1k"
			else echo "note: no loop device or mkfs.ext4: no ext4-1k run" >&2; fi
			envs="$envs all"
		else
			echo "note: unshare refused: no host, tmpfs, ext4-1k or all runs" >&2
		fi
	else
		echo "note: not root: no runs as another user, on tmpfs or on ext4" >&2
	fi
	echo "$envs"
}

# check_in ENV SRC OUT [GTDIFF ARGS...]: copy the project SRC (a plain
# recursive copy: new mtimes, as a checkout makes) into a place of ENV's
# kind and run gtdiff there as ENV says, output to OUT.  Returns gtdiff's
# status.
check_in() {
	env=$1; src=$2; out=$3; shift 3
	base=$T/env-$env
	rm -rf "$base"   # a second check in ENV starts from a fresh copy
	mkdir -p "$base"
	home=$base/home; dest=$base/proj; mnt=
	user=; cpus=; um=; host=; nofile=; path=; load=; sigign=
	case $env in
	dir) dest=$base/x/y/proj ;;
	deep) dest=$base/a-much-longer-directory-name/and/another/level/of/depth/here/proj ;;
	load) load=1 ;;
	cpu1) cpus=0 ;;
	umask077) um=077 ;;
	nofile) nofile=256 ;;
	path) path=1 ;;
	sigign) sigign=1 ;;
	user) user=nobody ;;
	host) host=other-host-name ;;
	tmpfs) mnt=tmpfs ;;
	ext4-1k) mnt=ext4 ;;
	all) user=nobody; cpus=0; um=077; host=elsewhere; nofile=256; mnt=tmpfs
	     path=1; sigign=1
	     dest=$base/m/a-much-longer-directory-name/and/another/level/proj ;;
	esac
	[ -n "$mnt" ] && [ "$env" != all ] && dest=$base/m/proj
	mkdir -p "$base/m"
	make_home "$home"
	upath=$(user_path "$home")
	# Extra PATH entries: one first (git's hooks put /usr/lib/git-core
	# there), one that does not exist, one in HOME.
	[ -n "$path" ] && upath=/usr/lib/git-core:$home/.pyenv/shims:/opt/nothing/bin:/usr/local/bin:/usr/bin:/bin:$home/bin
	if [ -n "$mnt" ] && [ "$mnt" = ext4 ]; then
		truncate -s 64M "$base/fs.img" && mkfs.ext4 -q -b 1024 -F "$base/fs.img" || return 2
	fi
	cat >"$base/run.sh" <<EOF
set -e
case "$mnt" in
tmpfs) mount -t tmpfs -o mode=1777 gtdiff-test "$base/m" ;;
ext4) mount -o loop "$base/fs.img" "$base/m"; chmod 1777 "$base/m" ;;
esac
[ -n "$host" ] && hostname "$host"
[ -n "$um" ] && umask "$um"
mkdir -p "\$(dirname "$dest")"
cp -R "$src" "$dest"
[ -n "$user" ] && chown -R "$user" "$dest" "$home" "$base/m" "$base"
set +e
cd "$dest"
[ -n "$nofile" ] && ulimit -n "$nofile"
pre=
[ -n "$cpus" ] && pre="taskset -c $cpus"
[ -n "$user" ] && pre="\$pre setpriv --reuid=$user --regid=nogroup --clear-groups"
# A caller that ignores SIGINT, SIGQUIT and SIGHUP, as nohup and a
# shell's background jobs do.
[ -n "$sigign" ] && pre="\$pre env --ignore-signal=INT --ignore-signal=QUIT --ignore-signal=HUP"
HOME="$home" PATH="$upath" \$pre "\$@"
st=\$?
[ -n "$mnt" ] && { cd /; umount -l "$base/m"; }
exit \$st
EOF
	ns=
	[ -n "$mnt" ] && ns="$ns -m"
	[ -n "$host" ] && ns="$ns -u"
	# A busy machine: two CPU hogs and a loop of synced writes, bounded
	# (they stop by themselves after 120 s at most) and killed at the end.
	hogs=
	if [ -n "$load" ]; then
		for i in 1 2; do
			timeout 120 sh -c 'while :; do :; done' & hogs="$hogs $!"
		done
		timeout 120 sh -c "while :; do dd if=/dev/zero of='$base/sync.bin' bs=64k count=16 conv=fsync 2>/dev/null; done" &
		hogs="$hogs $!"
	fi
	if [ -n "$ns" ]; then
		unshare $ns sh "$base/run.sh" "$@" >"$out" 2>&1
	else
		sh "$base/run.sh" "$@" >"$out" 2>&1
	fi
	st=$?
	[ -n "$hogs" ] && { kill $hogs 2>/dev/null; wait $hogs 2>/dev/null; }
	return $st
}
