#!/usr/bin/bash
# Bash as scripts use it: arrays, functions, $(...), process substitution,
# a coprocess, a trap, background jobs and subshell statuses.
set -e
declare -a arr=(3 1 2)
declare -A map=([x]=1 [y]=2)
f() { local n=$1; echo "f $n $((n * n))"; }
for i in "${arr[@]}"; do f "$i"; done
echo "map ${map[x]} ${map[y]} ${#arr[@]}"
echo "subshell $( (echo inner; exit 0) )"
diff <(printf 'a\nb\n') <(printf 'a\nc\n') || echo "diff rc $?"
coproc cat
echo hi >&"${COPROC[1]}"
exec {COPROC[1]}>&-
read -r line <&"${COPROC[0]}"
echo "coproc $line"
wait
trap 'echo trapped USR1' USR1
kill -USR1 $$
sleep 0.1 &
wait $!
echo "background rc $?"
(exit 3) || echo "subshell rc $?"
echo done
