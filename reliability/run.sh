#!/usr/bin/env bash
# The whole e2e fault suite, "full"-tagged tests included, on the real control plane of e2e/.
#
#   reliability/run.sh                 # every e2e test once (about 25 min on 2 cores, more with the load test)
#   reliability/run.sh --runs 3        # three times over, each run on a fresh cluster
#   reliability/run.sh --test 'FaultsE2eTest,S3FaultsE2eTest'   # only these (surefire -Dtest patterns)
#   reliability/run.sh --test OperatorLoadE2eTest -- -De2e.load.jobs=100   # after --: passed to mvn
#
# Each run's surefire reports and the invariant checker's log (one line per job checked:
# phase, partitions, predictions, duplicate children, overwritten and refused PUTs) land in
# reliability/target/<date>/run-<n>/; summary.tsv there has one line per test and run.
# CI's `mvn -B verify` runs the same suite less the tests tagged "full" (e2e/pom.xml).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=1
tests=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --test) tests="$2"; shift 2 ;;
    -h|--help) sed -n 2,13p "$0"; exit 0 ;;
    --) shift; break ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "--runs takes a positive number, not '$runs'" >&2; exit 2 ;; esac

out="reliability/target/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
summary="$out/summary.tsv"
printf 'run\tclass\ttest\tresult\tseconds\n' > "$summary"
args=(-B -o -pl e2e -am verify -De2e.excludedGroups= -Dsurefire.failIfNoSpecifiedTests=false)
if [ -n "$tests" ]; then
  args+=("-Dtest=$tests")
else
  # only the e2e module's tests: the other modules' unit tests are CI's business
  args+=("-Dtest=io.dataparallel.e2e.**")
fi
args+=("$@")
failed=0
for n in $(seq 1 "$runs"); do
  dir="$out/run-$n"
  mkdir -p "$dir"
  rm -rf e2e/target/invariants.tsv e2e/target/surefire-reports
  echo "run $n of $runs: mvn ${args[*]} (log: $dir/mvn.log)"
  if ! mvn "${args[@]}" > "$dir/mvn.log" 2>&1; then
    failed=$((failed + 1))
  fi
  cp -r e2e/target/surefire-reports "$dir/" 2>/dev/null || true
  cp e2e/target/invariants.tsv "$dir/" 2>/dev/null || true
  for xml in "$dir"/surefire-reports/TEST-*.xml; do
    [ -e "$xml" ] || continue
    # one <testcase .../> per test; a <failure> or <error> inside it marks the outcome
    tr -d '\n' < "$xml" | sed 's/<testcase /\n<testcase /g' | grep '^<testcase ' | while read -r tc; do
      name=$(sed -E 's/.* name="([^"]*)".*/\1/' <<< "${tc%%>*}")
      cls=$(sed -E 's/.* classname="([^"]*)".*/\1/' <<< "${tc%%>*}")
      secs=$(sed -E 's/.* time="([^"]*)".*/\1/' <<< "${tc%%>*}")
      result=passed
      case "$tc" in *"<failure"*) result=failed ;; *"<error"*) result=error ;; *"<skipped"*) result=skipped ;; esac
      printf '%s\t%s\t%s\t%s\t%s\n' "$n" "${cls##*.}" "$name" "$result" "$secs" >> "$summary"
    done
  done
done
echo
column -t -s $'\t' "$summary"
if [ -s "$out/run-1/invariants.tsv" ]; then
  echo
  echo "invariants (all runs): $(cat "$out"/run-*/invariants.tsv | grep -vc '^run' || true) jobs checked; see $out/run-*/invariants.tsv"
fi
echo "$failed of $runs runs failed; reports in $out"
[ "$failed" -eq 0 ]
