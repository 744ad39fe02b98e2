#!/bin/bash
# The verdict of `make bench` on its own table (scripts/bench.sh writes the
# rows, tab-separated: label, unit, Cove, Linux, Cove/Linux, target).
#
#   bench-gate.sh ROWS BASELINE            judge, exit 1 on a regression
#   bench-gate.sh ROWS BASELINE --update   write ROWS' gated figures to BASELINE
#
# Gated: Cove's figures counted under -icount (instructions, interrupts) or
# by the instruction-count plugin (two cores), which do not depend on the host. Each such row has a line in BASELINE,
#   label | figure | tolerance%
# and fails when Cove's figure exceeds figure * (1 + tolerance) -- a line
# "bench: REGRESSION <label>: ..." says which and by how much. A row with
# no baseline line fails too (the baseline must cover every gated row).
# Not gated: TSC-cycle rows (two cores, no -icount), which follow the host's
# clock and load; they are reported only.
#
# Targets (ratio to Linux, "<= 0.25"; or "Cove: 0") are reported: a row
# past its target reads "MISSES TARGET" but does not fail, since several
# targets are open work. A figure better than its baseline by more than
# the tolerance is reported too: update the baseline (README, Benchmarks).
set -u
rows="$1"
baseline="$2"
mode="${3:-judge}"

[ -s "$rows" ] || { echo "bench: no rows in $rows" >&2; exit 1; }

# A row is gated when its unit is counted under -icount: everything but TSC cycles.
gated() {
	case "$1" in *TSC*) return 1 ;; *) return 0 ;; esac
}

# baseline_of LABEL: "figure|tolerance%" from BASELINE, or nothing.
baseline_of() {
	awk -F'|' -v l="$1" '$0 !~ /^#/ {
		gsub(/^ +| +$/, "", $1); if ($1 == l) { print $2 "|" $3; exit } }' "$baseline" 2>/dev/null
}

if [ "$mode" = --update ]; then
	tmp="$(mktemp)"
	{
		sed -n '/^#/p' "$baseline" 2>/dev/null
		while IFS=$'\t' read -r label unit cove _; do
			gated "$unit" || continue
			[ "$cove" != - ] || { echo "bench: $label has no figure: baseline not written" >&2
				rm -f "$tmp"; exit 1; }
			tol=$(baseline_of "$label")
			tol=$(echo "${tol#*|}" | tr -d ' %')
			printf '%-32s | %12s | %s%%\n' "$label" "$cove" "${tol:-5}"
		done < "$rows"
	} > "$tmp" || exit 1
	mv "$tmp" "$baseline"
	echo "bench: baseline written to $baseline (review the diff, say why in the commit)"
	exit 0
fi

status=0
echo
echo "gate: -icount rows against $baseline (tolerance per row);"
echo "      TSC-cycle rows are host noise: reported, not gated"
while IFS=$'\t' read -r label unit cove linux ratio target; do
	verdict="" miss=""
	case "$target" in
	"<= "*)
		if [ "$ratio" != - ] && awk "BEGIN { exit !($ratio > ${target#<= }) }"; then
			miss="MISSES TARGET ($target of Linux, is $ratio)"
		fi ;;
	"Cove: "*)
		[ "$cove" = "${target#Cove: }" ] || miss="MISSES TARGET ($target, is $cove)" ;;
	esac
	if ! gated "$unit"; then
		verdict="not gated (TSC cycles: host noise)"
	elif [ "$cove" = - ]; then
		verdict="REGRESSION: no figure"
	else
		line=$(baseline_of "$label")
		if [ -z "$line" ]; then
			verdict="REGRESSION: no baseline line"
		else
			base=$(echo "${line%%|*}" | tr -d ' ')
			tol=$(echo "${line#*|}" | tr -d ' %')
			verdict=$(awk -v c="$cove" -v b="$base" -v t="$tol" 'BEGIN {
				d = b > 0 ? (c - b) * 100 / b : 0
				if (b == 0 && c > 0)
					printf "REGRESSION: baseline 0"
				else if (c > b * (1 + t / 100))
					printf "REGRESSION: baseline %s, %+.1f%% > %s%%", b, d, t
				else if (c < b * (1 - t / 100))
					printf "ok, better than baseline %s by %.1f%%: update it", b, -d
				else
					printf "ok (baseline %s, %+.1f%%, tolerance %s%%)", b, d, t }')
		fi
	fi
	printf '  %-30s %14s  %s%s\n' "$label" "$cove" "$verdict" "${miss:+  $miss}"
	case "$verdict" in
	REGRESSION*)
		echo "bench: REGRESSION $label: Cove $cove $unit; ${verdict#REGRESSION: }" >&2
		status=1 ;;
	esac
done < "$rows"
exit $status
