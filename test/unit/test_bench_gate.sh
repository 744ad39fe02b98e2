#!/bin/bash
# scripts/bench-gate.sh on made-up tables: a figure within its tolerance
# passes, one past it fails naming the row, a row without a baseline line
# fails, TSC rows are never gated, a missed target is reported without
# failing, and --update rewrites the figures keeping comments and
# tolerances. Installed as $BUILD/unit/bench_gate by bench_gate.mk; prints
# PASS/FAIL lines for test/run.sh.
set -u
GATE="${GATE:-scripts/bench-gate.sh}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
failed=0

verdict() {	# verdict NAME OK(0/1)
	if [ "$2" = 0 ]; then
		echo "PASS bench_gate.$1"
	else
		echo "FAIL bench_gate.$1"
		sed 's/^/    /' "$tmp/out"
		failed=1
	fi
}

rows() {	# rows SYSCALL THREAD IRQS TSC: a table of four rows
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' \
		"null syscall (getppid)" "instructions per call" "$1" 344.0 0.57 "<= 0.25" \
		"thread create + join" "instructions" "$2" 75000 0.2 "" \
		"interrupts on the app core" "during the noise probe" "$3" 12 0.00 "Cove: 0" \
		"futex ping-pong (2 cores)" "TSC cycles, no icount" "$4" 300000 99.0 "<= 0.5" \
		> "$tmp/rows"
}

cat > "$tmp/base" <<'B'
# a comment that --update keeps
null syscall (getppid)           |        196.0 | 3%
thread create + join             |      13000.0 | 5%
interrupts on the app core       |            0 | 0%
B

rows 200.0 13500 0 99999999
"$GATE" "$tmp/rows" "$tmp/base" >"$tmp/out" 2>&1
verdict within_tolerance $?
grep -q 'null syscall (getppid) .*MISSES TARGET' "$tmp/out"; verdict target_reported $?
grep -q 'futex ping-pong .*not gated' "$tmp/out"; verdict tsc_not_gated $?

rows 203.0 13500 0 1
"$GATE" "$tmp/rows" "$tmp/base" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q '^bench: REGRESSION null syscall (getppid): Cove 203.0' "$tmp/out"
verdict regression_named $?

rows 196.0 13000 1 1
"$GATE" "$tmp/rows" "$tmp/base" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q '^bench: REGRESSION interrupts on the app core' "$tmp/out"
verdict zero_baseline $?

grep -v thread "$tmp/base" > "$tmp/base2"
rows 196.0 13000 0 1
"$GATE" "$tmp/rows" "$tmp/base2" >"$tmp/out" 2>&1
[ $? = 1 ] && grep -q 'REGRESSION thread create + join.*no baseline line' "$tmp/out"
verdict missing_baseline_line $?

rows 190.0 20000 0 1
"$GATE" "$tmp/rows" "$tmp/base" --update >"$tmp/out" 2>&1 &&
	grep -q '^# a comment that --update keeps' "$tmp/base" &&
	grep -Eq '^thread create \+ join +\| +20000 \| 5%$' "$tmp/base" &&
	! grep -q futex "$tmp/base" &&
	"$GATE" "$tmp/rows" "$tmp/base" >"$tmp/out" 2>&1
verdict update $?

exit $failed
