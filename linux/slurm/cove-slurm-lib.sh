# Shared by the Cove prolog, epilog and task prolog for Slurm (sourced, /bin/sh).
# Slurm runs them with no PATH (prolog_epilog.html): set one first.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH

COVE_SLURM_CONF="${COVE_SLURM_CONF:-/etc/cove/slurm.conf}"
# shellcheck disable=SC1090
[ -r "$COVE_SLURM_CONF" ] && . "$COVE_SLURM_CONF"
COVE_FEATURE="${COVE_FEATURE:-cove}"
COVE_BIN="${COVE_BIN:-$(command -v cove || echo /usr/bin/cove)}"
COVE_STATE_DIR="${COVE_STATE_DIR:-/run/cove/slurm}"
COVE_CONSOLE_DIR="${COVE_CONSOLE_DIR-/var/log/cove}"
COVE_LOG="${COVE_LOG-/var/log/cove/slurm.log}"
COVE_CLEAN_TIMEOUT="${COVE_CLEAN_TIMEOUT:-20}"
COVE_BOOT_TIMEOUT="${COVE_BOOT_TIMEOUT:-30}"
COVE_NODE="${SLURMD_NODENAME:-$(hostname -s)}"
COVE_JOB_STATE="$COVE_STATE_DIR/job-${SLURM_JOB_ID:-none}"

# cove_log MESSAGE: to our log and syslog (Slurm drops a prolog's output).
cove_log() {
	if [ -n "$COVE_LOG" ]; then
		mkdir -p "$(dirname "$COVE_LOG")" 2>/dev/null
		echo "$(date '+%Y-%m-%dT%H:%M:%S') $COVE_NODE job $SLURM_JOB_ID: $*" >>"$COVE_LOG"
	fi
	command -v logger >/dev/null 2>&1 && logger -t cove-slurm "job $SLURM_JOB_ID: $*"
	return 0
}

# cove_drain REASON: take this node out of scheduling, saying why.
cove_drain() {
	cove_log "draining $COVE_NODE: $1"
	scontrol update nodename="$COVE_NODE" state=drain reason="cove: $1" && return 0
	cove_log "scontrol could not drain $COVE_NODE"
	return 1
}

# cove_wanted: the job asked for an enclave (--constraint naming the feature).
# Slurm puts the job's constraint expression in SLURM_JOB_CONSTRAINTS
# ("cove", "cove&big", "[cove|other]"); the feature must appear as a word.
cove_wanted() {
	echo "${SLURM_JOB_CONSTRAINTS:-}" | tr '&|,[]()*' '\n\n\n\n\n\n\n\n' |
		sed 's/:[0-9]*$//' | grep -qx "$COVE_FEATURE"
}

# cove_list_count LIST: how many CPUs a list such as 0-1,3 names.
cove_list_count() {
	echo "$1" | tr ',' '\n' | awk -F- 'NF == 1 && $1 != "" { n++ } NF == 2 { n += $2 - $1 + 1 }
		END { print n + 0 }'
}

# cove_list_expand LIST: one CPU number a line.
cove_list_expand() {
	echo "$1" | tr ',' '\n' | awk -F- 'NF == 1 && $1 != "" { print $1 }
		NF == 2 { for (i = $1; i <= $2; i++) print i }'
}

# cove_cpu_online N: 1 if Linux has CPU N online (CPU 0 may have no file).
cove_cpu_online() {
	if [ -r "/sys/devices/system/cpu/cpu$1/online" ]; then
		cat "/sys/devices/system/cpu/cpu$1/online"
	elif [ -d "/sys/devices/system/cpu/cpu$1" ]; then
		echo 1
	else
		echo 0
	fi
}
