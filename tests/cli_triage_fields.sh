#!/bin/sh
# cli.triage_fields: `redress triage evaluate --learner fasttext-fields` trains
# the product's large-set learner (one fastText model of category, department
# and urgency) on a Redress export and reports every field; on its own
# training rows it must be right at least 9 times in 10. Without --test it
# is refused.
# Usage: cli_triage_fields.sh REDRESS FIXTURE.csv
set -eu
redress=$1
data=$2
out=$("$redress" triage evaluate --train "$data" --test "$data" --format redress \
  --learner fasttext-fields --threads 1 --epochs 50 --dim 10 --char-max 0 --min-df 1)
echo "$out"
for field in category department urgency; do
  echo "$out" | grep -qx "== $field" || { echo "FAIL: no report for $field"; exit 1; }
done
echo "$out" | awk '/^accuracy/ { n++; if ($2 < 0.9) low++ }
  END { if (n != 3 || low > 0) { print "FAIL: accuracies", n, "low", low; exit 1 } }'
if "$redress" triage evaluate --train "$data" --format redress --learner fasttext-fields \
  >/dev/null 2>&1; then
  echo "FAIL: accepted without --test"
  exit 1
fi
echo "ok"
