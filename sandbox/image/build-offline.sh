#!/usr/bin/env bash
# Builds the sandbox root filesystem without a container registry: a Debian minbase made by
# debootstrap, with Debian's python3 and the curated python3-* packages from packages.txt, then
# stripped of what a sandbox must not have. Writes the tree as a tar stream to stdout, for
# `docker import`, and the full Python version ("3.13.5") to VERSION_FILE. The suite decides the
# Python version (bookworm 3.11, trixie 3.13, forky 3.14). Needs root, debootstrap and a Debian
# mirror (DEBIAN_MIRROR).
set -euo pipefail

usage='usage: build-offline.sh RECIPE_DIR SUITE VERSION_FILE > rootfs.tar'
recipe=${1:?$usage}
suite=${2:?$usage}
version_file=${3:?$usage}
packages_file=$recipe/packages.txt
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || {
  echo "debootstrap is not installed: apt-get install debootstrap" >&2
  exit 1
}

rootfs=$(mktemp -d /tmp/sandpiper-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

debian_packages=$(awk '!/^#/ && NF { print $2 }' "$packages_file" | paste -sd, -)
# An older debootstrap may not know a suite newer than itself (forky); every current Debian suite
# is built the way sid's script says.
script=/usr/share/debootstrap/scripts/$suite
[[ -e $script ]] || script=/usr/share/debootstrap/scripts/sid
# libnss-myhostname: sandboxes get no hosts file from Docker (sandbox/spec.ts, NetworkDisabled), and
# this resolves localhost and the sandbox's own name without one.
debootstrap --variant=minbase --include="python3,libnss-myhostname,${debian_packages}" \
  "$suite" "$rootfs" "$mirror" "$script" >&2
grep -q '^hosts:.*myhostname' "$rootfs/etc/nsswitch.conf" || sed -i 's/^hosts:.*/hosts:          files myhostname dns/' "$rootfs/etc/nsswitch.conf"
chroot "$rootfs" python3 -c 'import platform; print(platform.python_version())' > "$version_file"

# What the Dockerfile adds too: the matplotlib backend that turns plt.show() into PNG files, and
# matplotlib's font cache built once here, so no run rebuilds it (the bootstrap links it into place).
install -D -m 0644 "$recipe/sandpiper_plots.py" "$rootfs/opt/sandpiper/python/sandpiper_plots.py"
chroot "$rootfs" env MPLCONFIGDIR=/opt/sandpiper/matplotlib python3 -c 'import matplotlib.font_manager' >&2

# No package manager state, caches, docs or locales: smaller, and nothing to install with.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/usr/share/doc "$rootfs"/usr/share/man "$rootfs"/usr/share/info \
  "$rootfs"/usr/share/locale "$rootfs"/var/log/*
# setuid/setgid binaries (a minbase ships about eleven) are privilege-escalation material.
find "$rootfs" -xdev -perm /6000 -type f -exec chmod ug-s {} +

tar -C "$rootfs" --numeric-owner -cf - .
