#!/usr/bin/env bash
# Prints the python of a virtual environment holding PyTorch 2.7.1 (the libtorch that DJL
# 0.35.1 runs), ONNX Runtime 1.21.1 (the one DJL's ONNX Runtime engine brings), onnx, numpy and
# boto3, making it first if it is missing: the benchmark's Python references run on it so that
# both sides run the same kernels, and bench/models/make_onnx_models.py exports the ONNX models with it. Made once, then reused
# (a few GB: PyPI's Linux wheel pulls CUDA libraries even where only the CPU is used).
#   bench/python/torch-venv.sh             # path of the venv's python on stdout, progress on stderr
#   bench/python/torch-venv.sh --if-ready  # the path if it is made, else exit 1 (installs nothing)
# DATAPARALLEL_TORCH_VENV chooses the folder (default ~/.cache/dataparallel/venv-torch-2.7.1).
set -euo pipefail
version=2.7.1
ort=1.21.1
venv="${DATAPARALLEL_TORCH_VENV:-$HOME/.cache/dataparallel/venv-torch-$version}"
ready() {
  "$venv/bin/python" -c "import torch, numpy, boto3, onnx, onnxruntime, sys; sys.exit(torch.__version__.split('+')[0] != '$version' or onnxruntime.__version__ != '$ort')" 2>/dev/null
}
if ! ready && [ "${1:-}" = --if-ready ]; then
  exit 1
fi
if ! ready; then
  pip=("$venv/bin/pip" install -q --disable-pip-version-check)
  if ! "$venv/bin/python" -c "import torch, sys; sys.exit(torch.__version__.split('+')[0] != '$version')" 2>/dev/null; then
    echo "installing torch==$version into $venv (once; minutes)" >&2
    rm -rf "$venv"
    # Debian's python, the one the 1.13 column runs on, so only the torch version differs
    /usr/bin/python3 -m venv "$venv" >&2
    # the CPU-only wheel index is much smaller; where it cannot be reached, PyPI's wheel
    "${pip[@]}" --timeout 30 --retries 0 torch==$version --index-url https://download.pytorch.org/whl/cpu >&2 2>/dev/null \
      || "${pip[@]}" torch==$version >&2
  fi
  "${pip[@]}" numpy boto3 onnx==1.18.0 onnxruntime==$ort >&2
  ready || { echo "torch==$version did not install into $venv" >&2; exit 1; }
fi
echo "$venv/bin/python"
