#!/usr/bin/env bash
# All benchmarks in one run.  bench/run.sh          full run (tens of minutes on 2 cores)
#                             bench/run.sh --smoke  tiny sizes, one run each (CI)
# Full runs install the Python reference (Debian's python3-torch, python3-boto3) if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " != *" --smoke "* ]] && ! /usr/bin/python3 -c "import torch, boto3" 2>/dev/null; then
  (apt-get update -qq && apt-get install -y -qq python3-torch python3-boto3 python3-numpy) >/dev/null || \
    echo "note: could not install python3-torch/boto3: the Python references will be skipped" >&2
fi
if [ ! -f bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar ] || [ "${REBUILD:-}" = 1 ]; then
  # the CLI too: benchmark 7 runs the dataparallel command
  mvn -B -q -o -DskipTests install -pl bench,cli -am 2>/dev/null || mvn -B -q -DskipTests install -pl bench,cli -am
fi
export PYTORCH_VERSION=2.7.1 PYTORCH_FLAVOR=cpu OPT_OUT_TRACKING=true
exec java -Xmx2g -XX:+UseSerialGC -Dai.djl.offline=true -cp "bench/target/dataparallel-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  io.dataparallel.bench.BenchMain "$@"
