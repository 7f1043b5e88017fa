#!/bin/sh
# The base configuration with the identities' authorization block appended, then nats-server in
# this process's place (so it gets the container's signals). No key, no server.
set -eu
python -m guiyan_eventing.nats_config "${NATS_BASE_CONFIG:-/etc/nats/nats.conf}" /run/nats/nats.conf
exec nats-server -c /run/nats/nats.conf "$@"
