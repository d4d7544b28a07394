#!/usr/bin/env bash
# All benchmarks in one run.  bench/run.sh                 full run (tens of minutes on 2 cores)
#                             bench/run.sh --smoke         tiny sizes, one run each (CI)
#                             bench/run.sh --compute-only  the worker's compute against PyTorch in Python (minutes)
#                             bench/run.sh --skip-decode   (or any --skip-PART of BenchMain) leaves a part out
# Full runs make the Python references' PyTorch 2.7.1 venv once (bench/python/torch-venv.sh, a
# few GB from PyPI) and install Debian's python3-torch 1.13 and python3-boto3, the second column,
# if missing. Smoke runs use whichever of the two is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " != *" --smoke "* ]]; then
  if ! /usr/bin/python3 -c "import torch, boto3" 2>/dev/null; then
    (apt-get update -qq && apt-get install -y -qq python3-torch python3-boto3 python3-numpy) >/dev/null || \
      echo "note: could not install python3-torch/boto3: the PyTorch 1.13 column will be missing" >&2
  fi
  DATAPARALLEL_TORCH_PYTHON="$(bench/python/torch-venv.sh)" || \
    echo "note: could not make the PyTorch 2.7.1 venv: the Python references run on 1.13 only" >&2
else
  DATAPARALLEL_TORCH_PYTHON="$(bench/python/torch-venv.sh --if-ready || true)"
fi
export DATAPARALLEL_TORCH_PYTHON
# Benchmark 10's Python readers (h5py, astropy, pyarrow, Pillow): made once on a full run; a smoke run
# uses them if they are there, else times the .npz reader alone
if [[ " $* " != *" --smoke "* && " $* " != *" --skip-decode "* && " $* " != *" --compute-only "* ]]; then
  bench/python/formats-venv.sh >/dev/null || \
    echo "note: could not make the formats venv: decode is timed without its Python references" >&2
fi
# Rebuilt whenever a source or pom is newer than the jar: figures measured on an old build of the
# worker or operator would be reported as today's code (this happened once: a full run on
# 2026-12-03 measured a jar from before that day's last commits). REBUILD=1 forces it.
jar=bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar
stale() {
  [ ! -f "$jar" ] || [ "${REBUILD:-}" = 1 ] || \
    [ -n "$(find pom.xml api core worker-image operator cli charts bench -newer "$jar" \
             \( -name '*.java' -o -name 'pom.xml' -o -name '*.yaml' -o -name '*.py' \) -not -path '*/target/*' -print -quit)" ]
}
if stale; then
  # package, not install: the reactor hands bench the modules it just built; the CLI too, as benchmark 7 runs
  # the dataparallel command
  mvn -B -q -o -DskipTests -De2e.skip=true package -pl bench,cli -am 2>/dev/null || mvn -B -q -DskipTests -De2e.skip=true package -pl bench,cli -am
fi
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OPT_OUT_TRACKING=true
java -Xmx2g -XX:+UseSerialGC -Dai.djl.offline=true -cp "bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  io.dataparallel.bench.BenchMain "$@"

# Sizing from a deadline (issue 15): three deadlines on this machine in local mode, the predicted
# against the actual wall time, in bench/results-sizing.md (--smoke: one deadline, a smaller job,
# bench/target/smoke/results-sizing.md). --skip-sizing leaves it out.
if [[ " $* " != *" --skip-sizing "* && " $* " != *" --compute-only "* ]]; then
  sizing_args=()
  [[ " $* " == *" --smoke "* ]] && sizing_args+=(--smoke)
  java -Xmx1g -XX:+UseSerialGC -cp "bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
    io.dataparallel.bench.SizingBench ${sizing_args[@]+"${sizing_args[@]}"}
fi
