# shellcheck shell=sh
# The launch options every way of booting Cove takes, parsed once:
# scripts/qemu-run.sh, scripts/bochs-run.sh and test/boot/lib.sh source this.
#
#   boot_opts_parse "iso smp mem ..." "$@"
#
# Each option named in the first word list is "--NAME VALUE" and sets the
# shell variable NAME (the caller sets defaults first; in bash a caller's
# `local` variables are the ones set). A name ending in "!" is a flag,
# "--NAME", and sets NAME=1. On an option not in the list, or one that
# lacks its value, it returns 1 with boot_opts_bad naming the option.
# Names are plain words, so the assignment below evaluates no input.

boot_opts_parse() {
	boot_opts_taken=" $1 "
	boot_opts_bad=""
	shift
	while [ $# -gt 0 ]; do
		boot_opts_name=${1#--}
		case "$1" in
		--*!*) boot_opts_bad="$1"; return 1 ;;
		--*) ;;
		*) boot_opts_bad="$1"; return 1 ;;
		esac
		case "$boot_opts_taken" in
		*" $boot_opts_name! "*)
			eval "$boot_opts_name=1"
			shift
			;;
		*" $boot_opts_name "*)
			if [ $# -lt 2 ]; then
				boot_opts_bad="$1 (needs a value)"
				return 1
			fi
			eval "$boot_opts_name=\$2"
			shift 2
			;;
		*) boot_opts_bad="$1"; return 1 ;;
		esac
	done
	return 0
}
