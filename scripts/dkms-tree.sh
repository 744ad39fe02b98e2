#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Lay out the loader module as a self-contained DKMS source tree:
#   scripts/dkms-tree.sh DEST
# DEST gets the module's sources, its dkms.conf and the two headers it
# shares with Cove (include/cove/pisces_abi.h, debug_abi.h). As root, to have dkms
# rebuild it on every kernel update:
#   scripts/dkms-tree.sh /usr/src/cove-1 && dkms install -m cove -v 1
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: scripts/dkms-tree.sh DEST" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"
version="$(sed -n 's/^PACKAGE_VERSION=//p' "$root/linux/module/dkms.conf")"
case "$(basename "$dest")" in
cove-"$version") ;;
*) echo "dkms-tree: DEST should end in cove-$version (dkms looks there)" >&2 ;;
esac
mkdir -p "$dest/include/cove"
cp "$root"/linux/module/{*.c,*.h,*.S,Kbuild,Makefile,dkms.conf} "$dest/"
cp "$root/include/cove/pisces_abi.h" "$root/include/cove/debug_abi.h" "$dest/include/cove/"
echo "dkms-tree: cove $version in $dest"
