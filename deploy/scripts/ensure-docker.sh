#!/usr/bin/env bash
# Make sure a Docker engine answers and `docker-compose` runs: install Debian's docker.io,
# docker-compose and debootstrap when missing, start dockerd when no engine answers, wait for it.
# Safe to run again: it changes nothing when Docker already works.
set -euo pipefail

DOCKER_LOG=${DOCKER_LOG:-/var/log/guiyan-dockerd.log}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v docker-compose >/dev/null || missing+=(docker-compose)
command -v debootstrap >/dev/null || missing+=(debootstrap)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

engine_answers() { docker info >/dev/null 2>&1; }

if ! engine_answers; then
  echo "starting dockerd (log: $DOCKER_LOG)"
  # In a session of its own: the engine outlives this script and the make that ran it.
  as_root sh -c 'setsid --fork dockerd >>"$0" 2>&1 < /dev/null' "$DOCKER_LOG"
  for _ in $(seq 60); do
    engine_answers && break
    sleep 1
  done
  engine_answers || { echo "no Docker engine answers; see $DOCKER_LOG (not root? join the" \
                           "docker group)" >&2; exit 1; }
fi

echo "docker: client $(docker version -f '{{.Client.Version}}'), engine $(docker version -f '{{.Server.Version}}')"
