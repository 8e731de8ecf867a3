#!/usr/bin/env bash
# Runs every triage evaluation quoted in bench/README.md ("## Triage") and
# prints each command before its output. Needs ../shared/data and a built
# redress (REDRESS=path, default build/src/cli/redress).
# Usage: bash bench/triage.sh [quick|large|cv] > bench/triage-results.txt
#   (cv: the UIT-VSFC settings search on the training split only, > bench/triage-results-cv.txt)
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
elif [ "$mode" = cv ]; then
  # Settings chosen by 5-fold cross-validation over the UIT-VSFC training
  # split (the dev split is not read), then the two best on every corpus.
  CV=(triage evaluate --train "$D/vi/vi-uit-vsfc-train.csv" --format vsfc --cv 5)
  for flags in "" "--class-weight 1" "--class-weight 0.7" "--class-weight 0.5" "--class-weight 0.3" \
    "--class-weight 0.3 -C 5" "--class-weight 0.5 -C 5" "--nb" "--nb -C 1" "--nb -C 3" \
    "--solver svm -C 0.5" "--solver svm -C 0.5 --nb" "--span-char-min 3 --span-char-max 5" \
    "--span-char-min 3 --span-char-max 5 --char-max 0" \
    "--span-char-min 2 --span-char-max 6 --char-max 0 --min-df 1" \
    "--trigrams --span-char-min 3 --span-char-max 5" \
    "--class-weight 0.5 --span-char-min 3 --span-char-max 5" \
    "--class-weight 0.5 -C 5 --span-char-min 3 --span-char-max 5"; do
    # shellcheck disable=SC2086
    run "${CV[@]}" $flags
  done
  for flags in "--class-weight 0.5 -C 5 --span-char-min 3 --span-char-max 5" "--class-weight 0.5 -C 5"; do
    # shellcheck disable=SC2086
    run triage evaluate --train "$D/vi/vi-uit-vsfc-train.csv" --test "$D/vi/vi-uit-vsfc-dev.csv" --format vsfc $flags
    # shellcheck disable=SC2086
    run triage evaluate --train "$D/cfpb-complaints-sample.csv" --format cfpb --split 0.2 $flags
    # shellcheck disable=SC2086
    run triage evaluate --train "$D/zh/zh-tipdm2020-messages-labeled.csv" --format tipdm --split 0.2 $flags
  done
else
  # Training time on a large set: the training split resampled with
  # replacement (deterministic), scored on the real dev/hold-out rows.
  run triage evaluate --train "$D/vi/vi-uit-vsfc-train.csv" --test "$D/vi/vi-uit-vsfc-dev.csv" \
    --format vsfc --resample "${ROWS:-1000000}"
fi
