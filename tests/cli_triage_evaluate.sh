#!/bin/sh
# cli.triage_evaluate: `redress triage evaluate` with the product's learner
# (LIBLINEAR) prints accuracy, macro and weighted F1 and a confusion matrix,
# and refuses bad input with the option and the rule. Then, when
# ../shared/data is present, the three published evaluations of
# bench/README.md ("Accuracy") are run with their exact commands and must
# still reach the published figures (less 0.005 for floating-point noise), so
# a change that costs accuracy fails here instead of silently making the
# README untrue. Without the data those checks are skipped, and say so.
# Usage: cli_triage_evaluate.sh REDRESS FIXTURE.csv SHARED_DATA_DIR
set -eu
redress=$1
fixture=$2
data=$3

fail() {
  echo "FAIL: $*"
  exit 1
}

# value LABEL OUTPUT: the number after a report line's label ("weighted F1  0.8669").
value() {
  echo "$2" | awk -v label="$1" 'index($0, label) == 1 { print $NF; found = 1 }
    END { if (!found) exit 1 }'
}

# at_least NAME ACTUAL FLOOR
at_least() {
  awk -v a="$2" -v f="$3" 'BEGIN { exit !(a + 0 >= f + 0) }' ||
    fail "$1 is $2, below $3"
  echo "ok: $1 $2 >= $3"
}

# 1. The report's parts, on the fixture's own rows (LIBLINEAR, every field).
for field in category department urgency; do
  out=$("$redress" triage evaluate --train "$fixture" --test "$fixture" --format redress \
    --label "$field" --min-df 1)
  for part in "examples" "accuracy" "macro F1" "weighted F1" "confusion matrix"; do
    value "$part" "$out" >/dev/null || fail "$field: no '$part' line"
  done
  [ "$(value examples "$out")" = 48 ] || fail "$field: not 48 examples"
  at_least "fixture $field accuracy" "$(value accuracy "$out")" 0.9
  # One confusion-matrix row per label: lines that start with a row number.
  labels=$(echo "$out" | sed -n '/^confusion matrix/,$p' | grep -cE '^ +[0-9]+ ')
  case $field in
    category) [ "$labels" = 4 ] || fail "category: $labels matrix rows, not 4" ;;
    urgency) [ "$labels" = 2 ] || fail "urgency: $labels matrix rows, not 2" ;;
  esac
done

# 2. Bad input: exit code 2 and a message naming the option and the rule.
refused() {
  expect=$1
  shift
  if err=$("$redress" triage evaluate "$@" 2>&1 >/dev/null); then
    fail "accepted: $*"
  else
    rc=$?
  fi
  [ "$rc" = 2 ] || fail "exit $rc, not 2, for: $*"
  echo "$err" | grep -qF -e "$expect" || fail "'$expect' not in: $err"
  [ "$(echo "$err" | grep -cF -e "$expect")" = 1 ] || fail "said twice: $err"
  echo "ok: refused ($expect)"
}
refused "--label: $fixture has no column 'nosuch'" --train "$fixture" --format redress \
  --label nosuch
refused "--format: must be one of cfpb, vsfc, tipdm, redress" --train "$fixture" --format xml
refused "cannot read /nonexistent/train.csv" --train /nonexistent/train.csv --format redress

# 3. The published figures (bench/README.md, "Accuracy", product settings).
if [ ! -f "$data/vi/vi-uit-vsfc-train.csv" ] || [ ! -f "$data/cfpb-complaints-sample.csv" ] ||
  [ ! -f "$data/zh/zh-tipdm2020-messages-labeled.csv" ]; then
  echo "SKIPPED: the published-figure checks need $data (UIT-VSFC, CFPB, TipDM); not found"
  exit 0
fi
out=$("$redress" triage evaluate --train "$data/vi/vi-uit-vsfc-train.csv" \
  --test "$data/vi/vi-uit-vsfc-dev.csv" --format vsfc)
at_least "UIT-VSFC dev weighted F1" "$(value 'weighted F1' "$out")" 0.8619
at_least "UIT-VSFC dev accuracy" "$(value accuracy "$out")" 0.8674
out=$("$redress" triage evaluate --train "$data/cfpb-complaints-sample.csv" --format cfpb \
  --split 0.2)
[ "$(value examples "$out")" = 325 ] || fail "CFPB hold-out is not 325 rows"
at_least "CFPB accuracy" "$(value accuracy "$out")" 0.7827
at_least "CFPB weighted F1" "$(value 'weighted F1' "$out")" 0.7456
out=$("$redress" triage evaluate --train "$data/zh/zh-tipdm2020-messages-labeled.csv" \
  --format tipdm --split 0.2)
[ "$(value examples "$out")" = 67 ] || fail "TipDM hold-out is not 67 rows"
at_least "TipDM accuracy" "$(value accuracy "$out")" 0.7562
at_least "TipDM weighted F1" "$(value 'weighted F1' "$out")" 0.7127
echo "ok"
