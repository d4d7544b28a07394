#!/usr/bin/env bash
# Prints the python of a virtual environment holding the Python readers of the partition formats
# (h5py with hdf5plugin's filters, astropy, pyarrow, pandas, Pillow, numpy): the format tests'
# fixtures are made with it and the decode benchmark's Python side runs on it. Made once, then reused.
#   bench/python/formats-venv.sh             # path of the venv's python on stdout, progress on stderr
#   bench/python/formats-venv.sh --if-ready  # the path if it is made, else exit 1 (installs nothing)
# DATAPARALLEL_FORMATS_VENV chooses the folder (default ~/.cache/dataparallel/venv-formats-1).
set -euo pipefail
pins=(numpy==2.3.5 h5py==3.16.0 hdf5plugin==7.1.0 astropy==7.2.0 pyarrow==26.0.1 pandas==2.3.3 pillow==12.0.0)
venv="${DATAPARALLEL_FORMATS_VENV:-$HOME/.cache/dataparallel/venv-formats-1}"
ready() {
  "$venv/bin/python" -c "import h5py, hdf5plugin, astropy, pyarrow, pandas, PIL, numpy" 2>/dev/null
}
if ! ready && [ "${1:-}" = --if-ready ]; then
  exit 1
fi
if ! ready; then
  echo "installing ${pins[*]} into $venv (once; a minute)" >&2
  rm -rf "$venv"
  /usr/bin/python3 -m venv "$venv" >&2
  "$venv/bin/pip" install -q --disable-pip-version-check "${pins[@]}" >&2
  ready || { echo "the format readers did not install into $venv" >&2; exit 1; }
fi
echo "$venv/bin/python"
