#!/usr/bin/env bash
# Builds a Node.js 20 base image for Sandpiper's own image (the Dockerfile's NODE_IMAGE) without a
# container registry: a Debian trixie minbase made by debootstrap, with Debian's nodejs (20) and
# npm, `docker import`ed. Use it where `node:20-bookworm-slim` can't be pulled:
#
#   scripts/node-image-offline.sh                      # tags sandpiper-node:20-trixie
#   NODE_IMAGE=sandpiper-node:20-trixie docker-compose build
#
# Needs root, debootstrap and a Debian mirror (DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -euo pipefail

tag=${1:-sandpiper-node:20-trixie}
suite=trixie # Debian's nodejs is 20 in trixie
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

command -v debootstrap >/dev/null || PATH=$PATH:/usr/sbin:/sbin
command -v debootstrap >/dev/null || {
  echo "debootstrap is not installed: apt-get install debootstrap" >&2
  exit 1
}

rootfs=$(mktemp -d /tmp/sandpiper-node-rootfs.XXXXXX)
trap 'rm -rf --one-file-system "$rootfs"' EXIT

script=/usr/share/debootstrap/scripts/$suite
[[ -e $script ]] || script=/usr/share/debootstrap/scripts/sid
debootstrap --variant=minbase --include=nodejs,ca-certificates "$suite" "$rootfs" "$mirror" "$script" >&2
# npm (and its ~300 node-* packages) through apt in the new system: debootstrap's own resolver
# fails to configure them.
mount -t proc proc "$rootfs/proc"
trap '{ umount "$rootfs/proc" 2>/dev/null || true; }; rm -rf --one-file-system "$rootfs"' EXIT
chroot "$rootfs" apt-get update -q >&2
chroot "$rootfs" apt-get install -y -q --no-install-recommends npm >&2
umount "$rootfs/proc"
chroot "$rootfs" node --version >&2
chroot "$rootfs" npm --version >&2

rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc \
  "$rootfs"/usr/share/man "$rootfs"/usr/share/info "$rootfs"/var/log/*

tar -C "$rootfs" --numeric-owner -cf - . |
  docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["node"]' - "$tag" >/dev/null
echo "$tag"
