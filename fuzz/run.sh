#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang-19, build-fuzz/) and runs each for
# SECONDS (default 60), two at a time, starting from the seed corpus in fuzz/corpus/<target>/.
# New interesting inputs go to build-fuzz/corpus/<target>/ (not the repository); a crash is
# written to build-fuzz/artifacts/ and fails the run.
#
#   fuzz/run.sh            # 60 s per target
#   fuzz/run.sh 10         # CI's short run (see docs/security-testing.md for the times)
#   fuzz/run.sh 3600 time  # the long mode, one target
#   FUZZ_JOBS=1 fuzz/run.sh
#
# To keep what a long run found as seeds: fuzz/run.sh --merge (minimises build-fuzz/corpus
# into fuzz/corpus; review and commit the few files it adds).
set -euo pipefail
cd "$(dirname "$0")/.."
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"

targets_all=(json_requests multipart query csv_import time inbound_mail search_query)
merge=0
if [ "${1:-}" = "--merge" ]; then merge=1; shift; fi
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${targets_all[@]}")
jobs="${FUZZ_JOBS:-2}"

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
mkdir -p build-fuzz/artifacts build-fuzz/logs

if [ "$merge" = 1 ]; then
  for t in "${targets[@]}"; do
    mkdir -p "build-fuzz/corpus/$t"
    "build-fuzz/fuzz/fuzz_$t" -merge=1 "fuzz/corpus/$t" "build-fuzz/corpus/$t"
  done
  exit 0
fi

run_one() {
  local t="$1" seconds="$2"
  mkdir -p "build-fuzz/corpus/$t"
  # FUZZ_SEED fixes libFuzzer's random seed (CI sets it, so a run explores the same
  # inputs first each time and a red CI is a reproducible finding); unset: random.
  local seed_arg=()
  if [ -n "${FUZZ_SEED:-}" ]; then seed_arg=(-seed="$FUZZ_SEED"); fi
  if "build-fuzz/fuzz/fuzz_$t" -max_total_time="$seconds" -print_final_stats=1 "${seed_arg[@]}" \
      -timeout=10 -rss_limit_mb=2048 -max_len=8192 \
      -artifact_prefix="build-fuzz/artifacts/$t-" \
      "build-fuzz/corpus/$t" "fuzz/corpus/$t" >"build-fuzz/logs/$t.log" 2>&1; then
    echo "fuzz: $t ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "build-fuzz/logs/$t.log" |
      grep -o '[0-9]*$') runs in ${seconds} s)"
  else
    echo "fuzz: $t FAILED; the log follows (the input is in build-fuzz/artifacts/$t-*)"
    tail -60 "build-fuzz/logs/$t.log"
    return 1
  fi
}
export -f run_one

start=$(date +%s)
printf '%s\n' "${targets[@]}" | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {} "$seconds"
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, ${jobs} at a time: $(( $(date +%s) - start )) s"
