#!/bin/bash
# Run one libFuzzer harness for SECONDS: `test/fuzz/fuzz.sh BIN SECONDS`.
# It starts from the seeds in test/fuzz/corpus/NAME/ (read only) and keeps
# what it finds in $BUILD/fuzz/corpus/NAME/; a crash is saved as
# $BUILD/fuzz/crash-NAME-* (add it to the seeds once the parser is fixed).
# Prints one line, "NAME: N execs in S s (R/s), corpus C", and the
# harness's own report on failure; exits non-zero on a crash.
set -u
bin="$1"
secs="$2"
BUILD="${BUILD:-build}"
name=$(basename "$bin")
seeds="test/fuzz/corpus/$name"
work="$BUILD/fuzz/corpus/$name"
log="$BUILD/fuzz/$name.log"

if [ ! -x "$bin" ]; then
	echo "$name: $bin is missing (make fuzz-bins)" >&2
	exit 1
fi
mkdir -p "$work" "$seeds"
"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	-artifact_prefix="$BUILD/fuzz/crash-$name-" "$work" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
corpus=$(find "$work" "$seeds" -type f | wc -l)
if [ $rc -ne 0 ]; then
	echo "$name: crashed after ${execs:-?} execs (status $rc); see $log:"
	grep -E 'ERROR|promise broken|runtime error|SUMMARY|Test unit written' "$log" |
		head -n 8 | sed 's/^/    /'
	exit 1
fi
echo "$name: ${execs:-?} execs in $secs s (${rate:-?}/s), corpus $corpus"
