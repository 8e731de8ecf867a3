#!/usr/bin/env bash
# Runs every triage evaluation quoted in bench/README.md ("## Triage") and
# prints each command before its output. Needs ../shared/data and a built
# redress (REDRESS=path, default build/src/cli/redress).
# Usage: bash bench/triage.sh [quick|large] > bench/triage-results.txt
set -euo pipefail
cd "$(dirname "$0")/.."
REDRESS=${REDRESS:-build/src/cli/redress}
D=${DATA:-../shared/data}
if [ ! -d "$D" ]; then echo "no data at $D (see ../shared/data/README.md)" >&2; exit 2; fi

run() {
  echo "\$ redress $*"
  "$REDRESS" "$@"
  echo
}

mode=${1:-quick}
if [ "$mode" = quick ]; then
  VSFC=(triage evaluate --train "$D/vi/vi-uit-vsfc-train.csv" --test "$D/vi/vi-uit-vsfc-dev.csv" --format vsfc)
  CFPB=(triage evaluate --train "$D/cfpb-complaints-sample.csv" --format cfpb --split 0.2)
  TIPDM=(triage evaluate --train "$D/zh/zh-tipdm2020-messages-labeled.csv" --format tipdm --split 0.2)
  run "${VSFC[@]}"
  run "${VSFC[@]}" --accents fold
  run "${VSFC[@]}" --min-df 1 --char-max 0
  run "${VSFC[@]}" --learner fasttext
  run "${CFPB[@]}"
  run "${CFPB[@]}" --learner fasttext
  run "${TIPDM[@]}"
  run "${TIPDM[@]}" --learner fasttext
else
  # Training time on a large set: the training split resampled with
  # replacement (deterministic), scored on the real dev/hold-out rows.
  run triage evaluate --train "$D/vi/vi-uit-vsfc-train.csv" --test "$D/vi/vi-uit-vsfc-dev.csv" \
    --format vsfc --resample "${ROWS:-1000000}"
fi
