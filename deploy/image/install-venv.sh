#!/bin/sh
# In an image's build stage: the virtualenv /opt/venv, from the wheelhouse copied to /wheelhouse
# (deploy/scripts/build-wheelhouse.sh) and nothing else: no index, no network.
#   install-venv.sh deps IMAGE       the third-party pins of requirements/IMAGE.txt
#   install-venv.sh workspace IMAGE  the workspace members of requirements/IMAGE-workspace.txt,
#                                    then checks every requirement is met and removes pip,
#                                    which the running image never needs
# Two steps so that a code change rebuilds only the second.
set -eu
phase=$1 image=$2
[ -x /opt/venv/bin/python ] || python3 -m venv /opt/venv
pip() { /opt/venv/bin/python -m pip --disable-pip-version-check --no-cache-dir "$@"; }
case $phase in
  deps)
    # The pins are the lock's whole closure: nothing is resolved here.
    pip install --quiet --no-index --no-deps --find-links /wheelhouse/deps \
      -r "/wheelhouse/requirements/$image.txt" ;;
  workspace)
    pip install --quiet --no-index --no-deps --find-links /wheelhouse/local \
      -r "/wheelhouse/requirements/$image-workspace.txt"
    pip check
    pip uninstall --quiet --yes pip setuptools ;;
  *) echo "usage: install-venv.sh deps|workspace IMAGE" >&2; exit 2 ;;
esac
