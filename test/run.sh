#!/bin/bash
# The one test runner: `test/run.sh [all|unit|fuzz|boot|abi|bench|protect|cokernel] [-j N] [PATTERN]`.
# Prints PASS/FAIL per test and ends with "N passed, N failed" alone on its
# line; exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."

BUILD="${BUILD:-build}"
export BUILD
what="${1:-all}"
shift || true
jobs=2
pattern=""
while [ $# -gt 0 ]; do
	case "$1" in
	-j) jobs="$2"; shift 2 ;;
	*) pattern="$1"; shift ;;
	esac
done
case "$what" in
all|unit|fuzz|boot|abi|bench|protect|cokernel) ;;
*) echo "usage: test/run.sh [all|unit|fuzz|boot|abi|bench|protect|cokernel] [-j N] [PATTERN]" >&2; exit 2 ;;
esac

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT
passed=0
failed=0
# The failures again at the end, so that the last lines of a long log (all a
# CI excerpt may show) name them with their reasons.
failures=()

record() {	# record pass|fail NAME [DETAIL]
	if [ "$1" = pass ]; then
		passed=$((passed + 1))
		echo "PASS $2"
	else
		failed=$((failed + 1))
		echo "FAIL $2${3:+: $3}"
		failures+=("FAIL $2${3:+: $3}")
	fi
}

run_unit() {
	if ! make --no-print-directory -s unit-bins >"$results/unit-build.log" 2>&1; then
		cat "$results/unit-build.log"
		record fail unit.build "host unit tests do not compile"
		return
	fi
	for bin in "$BUILD"/unit/*; do
		local name out rc
		name=$(basename "$bin")
		[ -z "$pattern" ] || [[ "$name" == *$pattern* ]] || continue
		out="$results/unit-$name.log"
		"$bin" >"$out" 2>&1
		rc=$?
		while read -r verdict tname; do
			if [ "$verdict" = PASS ]; then
				record pass "unit.${tname#*.}"
			else
				record fail "unit.${tname#*.}"
			fi
		done < <(grep -E '^(PASS|FAIL) ' "$out")
		grep -v -E '^(PASS|FAIL) ' "$out" | sed 's/^/    /'
		# A crash (sanitizer report, signal) after the last line is a failure too.
		if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
			record fail "unit.$name" "exited with status $rc"
		fi
	done
}

# Each libFuzzer harness briefly (FUZZ_TEST_SECONDS, 3): its seeds first,
# so a crash once found and added to test/fuzz/corpus/ stays a failure.
run_fuzz() {
	local bin name secs="${FUZZ_TEST_SECONDS:-3}"

	if ! make --no-print-directory -s fuzz-bins >"$results/fuzz-build.log" 2>&1; then
		cat "$results/fuzz-build.log"
		record fail fuzz.build "the fuzz harnesses do not compile"
		return
	fi
	for bin in "$BUILD"/fuzz/*; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		name=$(basename "$bin")
		[ -z "$pattern" ] || [[ "$name" == *$pattern* ]] || continue
		if test/fuzz/fuzz.sh "$bin" "$secs" >"$results/fuzz-$name.log" 2>&1; then
			record pass "fuzz.$name ($(sed 's/^[^:]*: //' "$results/fuzz-$name.log"))"
		else
			record fail "fuzz.$name" "$(head -n 1 "$results/fuzz-$name.log")"
			tail -n +2 "$results/fuzz-$name.log"
		fi
	done
}

# Every header must compile on its own, with the kernel's flags.
run_headers() {
	local h
	# Some headers include the generated config: make sure it exists.
	if ! make --no-print-directory -s "$BUILD/include/generated/config.h" \
		>"$results/config.log" 2>&1; then
		record fail header.config "$(head -n 3 "$results/config.log")"
		return
	fi
	for h in include/cove/*.h arch/*/include/arch/*.h; do
		[ -z "$pattern" ] || [[ "$h" == *$pattern* ]] || continue
		if gcc -std=gnu11 -ffreestanding -fsyntax-only -Wall -Wextra -Werror -Iinclude \
			-Iarch/x86_64/include -I"$BUILD/include" -x c "$h" 2>"$results/hdr.log"; then
			record pass "header.$h"
		else
			record fail "header.$h" "$(head -n 3 "$results/hdr.log" | tr '\n' ' ')"
		fi
	done
}

# A helper a scenario calls but nobody defines must fail the scenario, not
# vanish with a message on stderr. Bash runs this handler in a subshell,
# hence the file.
command_not_found_handle() {
	echo "$1" >>"$results/cnf-$SCENARIO"
	echo "test/run.sh: $SCENARIO: no such command: $1" >&2
	return 127
}

run_scenario() {	# in a subshell: writes its verdict to $results/scn-NAME
	local name="$1" start
	SCENARIO="$name"
	LOG="$BUILD/test/$name.log"
	FAILED=""
	start=$(date +%s)
	"scenario_$name"
	[ ! -s "$results/cnf-$name" ] ||
		FAILED="${FAILED:+$FAILED; }calls undefined: $(sort -u "$results/cnf-$name" | tr '\n' ' ')"
	local secs=$(( $(date +%s) - start ))
	if [ -z "$FAILED" ]; then
		echo "pass ($secs s)" >"$results/scn-$name"
	else
		{
			# One line: the verdict's first line is all a summary shows.
			echo "fail ($secs s) ${FAILED//$'\n'/ | }"
			echo "    --- last lines of $LOG ---"
			tail -n 25 "$LOG" 2>/dev/null | tr -d '\r' | sed 's/^/    /'
		} >"$results/scn-$name"
	fi
}

# Boot scenarios of one category: test/CATEGORY/scenarios.sh.
run_scenarios() {
	local category="$1"
	shift
	if ! make --no-print-directory -s "$@" >"$results/build.log" 2>&1; then
		cat "$results/build.log"
		record fail "$category.build" "the kernel or its initramfs does not build"
		return
	fi
	mkdir -p "$BUILD/test"
	# shellcheck source=test/boot/lib.sh
	. test/boot/lib.sh
	# shellcheck disable=SC1090
	. "test/$category/scenarios.sh"
	local names=() all
	# The long ones first (SCENARIOS_FIRST, from the category's file), so
	# that none of them starts last and runs alone while the other slot idles.
	all=$( { printf '%s\n' ${SCENARIOS_FIRST:-}
		 declare -F | awk '{ print $3 }' | sed -n 's/^scenario_//p'; } | awk '!seen[$0]++')
	for name in $all; do
		declare -F "scenario_$name" >/dev/null || continue
		[ -z "$pattern" ] || [[ "$name" == *$pattern* ]] || continue
		names+=("$name")
	done
	unset SCENARIOS_FIRST
	local running=0
	for name in "${names[@]}"; do
		run_scenario "$name" &
		running=$((running + 1))
		if [ $running -ge "$jobs" ]; then
			wait -n
			running=$((running - 1))
		fi
	done
	wait
	for name in "${names[@]}"; do
		local v
		v=$(head -n 1 "$results/scn-$name" 2>/dev/null)
		case "$v" in
		pass*) record pass "$category.$name ${v#pass }" ;;
		*)
			record fail "$category.$name" "${v#fail }"
			tail -n +2 "$results/scn-$name"
			;;
		esac
		unset -f "scenario_$name"
	done
}

# The debug configuration's kernel, $BUILD/debug/cove.elf (-Og, extra
# checks), its make output to $1; also for scenarios that boot it.
build_debug() {
	make --no-print-directory -s BUILD="$BUILD/debug" \
		CONFIGS="configs/defconfig configs/debug.config" "$BUILD/debug/cove.elf" >"$1" 2>&1
}

run_boot() {
	# The debug configuration must build too.
	if build_debug "$results/build-debug.log"; then
		record pass build.debug_config
	else
		record fail build.debug_config "$(grep -m 3 -E 'error|Error' "$results/build-debug.log")"
	fi
	run_scenarios boot "$BUILD/cove.elf"
}

if [ "$what" = unit ] || [ "$what" = all ]; then run_unit; run_headers; fi
if [ "$what" = fuzz ] || [ "$what" = all ]; then run_fuzz; fi
if [ "$what" = boot ] || [ "$what" = all ]; then run_boot; fi
# make bench must keep working: every row needs a Cove and a Linux figure.
run_bench() {
	local log="$BUILD/test/bench.log" bad
	mkdir -p "$BUILD/test"
	if ! scripts/bench.sh >"$log" 2>&1; then
		bad=$(grep -a '^bench: REGRESSION' "$log" | tr '\n' ' ')
		record fail bench.table "${bad:-scripts/bench.sh failed: $(tail -n 3 "$log" | tr '\n' ' ')}"
		return
	fi
	# Open targets, reported (scripts/bench-gate.sh): not failures.
	grep -a 'MISSES TARGET' "$log" | sed 's/^ */    /'
	local rows='^(null syscall|thread create|noise quantum|interrupts on|futex|migration|fork|vfork|pipe ping-pong|shm)'
	bad=$(awk -v rows="$rows" '$0 ~ rows { if ($0 ~ / - +- /) print $0 }' "$log")
	if [ "$(grep -cE "$rows" "$log")" != 17 ] || [ -n "$bad" ]; then
		record fail bench.table "rows missing figures: $bad"
		return
	fi
	grep -qE '^interrupts on the app core +during the noise probe +0 ' "$log" ||
		{ record fail bench.tickless "Cove's application core took interrupts"; return; }
	record pass bench.table
	record pass bench.tickless
}

if [ "$what" = bench ] || [ "$what" = all ]; then run_bench; fi
if [ "$what" = protect ] || [ "$what" = all ]; then
	run_scenarios protect "$BUILD/cove.elf" "$BUILD/initramfs.cpio"
fi
if [ "$what" = abi ] || [ "$what" = all ]; then
	run_scenarios abi "$BUILD/cove.elf" "$BUILD/initramfs.cpio"
fi

# The co-kernel loader inside Debian's Linux (test/cokernel/): the module is
# built against the headers of the kernel the guest boots.
if [ "$what" = cokernel ] || [ "$what" = all ]; then
	run_scenarios cokernel "$BUILD/cove.elf" cokernel user
fi

if [ $failed -gt 0 ]; then
	echo "--- the failures again ---"
	printf '%s\n' "${failures[@]}" | cut -c1-400
fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
