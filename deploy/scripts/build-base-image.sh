#!/usr/bin/env bash
# Make the base image the images build FROM where no registry can be reached: a minimal Debian
# bookworm with Python 3.11, made with debootstrap from the host's own Debian mirror.
# Does nothing when the image is already present.
set -euo pipefail

IMAGE=${BASE_IMAGE:-guiyan-base:bookworm}

if docker image inspect "$IMAGE" >/dev/null 2>&1; then
  echo "base image $IMAGE present"
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The mirror apt already uses (deb822 sources, else the one-line format).
mirror=$(grep -hsoE '^URIs: *\S+' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hsoE '^deb +\S+' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}' | grep -v security | head -1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d)
trap 'as_root rm -rf "$root"' EXIT
echo "building $IMAGE with debootstrap from $mirror"
as_root debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
  bookworm "$root" "$mirror" >/dev/null
# No package lists, caches or docs in the image.
as_root rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/usr/share/doc/* "$root"/usr/share/man/*
as_root tar -C "$root" -c . | docker import -c 'CMD ["/bin/bash"]' - "$IMAGE" >/dev/null
echo "base image $IMAGE built"
