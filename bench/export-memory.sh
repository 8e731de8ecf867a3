#!/bin/bash
# Export memory check (bench/README.md, "Export"): a demo database plus 10,000 and
# 100,000 generated CFPB rows, then CSV and XLSX exports of growing size from one
# `redress serve`, printing the file size, the time and the server's RSS after each.
# Usage: bench/export-memory.sh [path/to/redress] [work-dir]
set -euo pipefail
BIN=$(realpath "${1:-build/src/cli/redress}")
DIR=${2:-$(mktemp -d /tmp/redress-export-bench-XXXXXX)}
PORT=18791
cd "$DIR"
python3 - <<'PY'
import csv
H = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue", "Consumer complaint narrative",
     "Company public response", "Company", "State", "ZIP code", "Tags", "Consumer consent provided?",
     "Submitted via", "Date sent to company", "Company response to consumer", "Timely response?",
     "Consumer disputed?", "Complaint ID"]
for name, n, prod, base in (("small.csv", 10000, "Small product", 10000000),
                            ("big.csv", 100000, "Big product", 20000000)):
    with open(name, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(H)
        for i in range(n):
            w.writerow(["2024-01-02", prod, "", "Issue", "",
                        "Narrative text of a typical complaint, about two hundred bytes long: the parcel "
                        "arrived late and the box was crushed; the customer wants a refund of the "
                        "shipping fee. #%d" % i, "", "Bulk Co", "CA", "", "", "", "Web", "2024-01-03",
                        "In progress", "Yes", "N/A", str(base + i)])
PY
rm -f b.db*
"$BIN" demo --database b.db >/dev/null
"$BIN" import --database b.db --format cfpb small.csv
"$BIN" import --database b.db --format cfpb big.csv
"$BIN" serve --database b.db --listen 127.0.0.1:$PORT > serve.log 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -sf http://127.0.0.1:$PORT/healthz >/dev/null && break; sleep 0.2; done
curl -s -c jar -H 'Content-Type: application/json' \
  -d '{"username":"admin","password":"redress-demo"}' http://127.0.0.1:$PORT/api/v1/auth/login >/dev/null
rss() { grep -E "VmRSS|VmHWM" /proc/$PID/status | tr -s ' \t\n' ' '; }
echo "started: $(rss)"
for q in "category=cfpb.small_product" "category=cfpb.big_product" ""; do
  for f in csv xlsx; do
    s=$(date +%s.%N)
    curl -s -b jar -o "out.$f" "http://127.0.0.1:$PORT/api/v1/complaints/export?format=$f&$q"
    e=$(date +%s.%N)
    echo "$f ${q:-(all)}: $(stat -c %s "out.$f") bytes in $(echo "$e - $s" | bc) s; $(rss)"
  done
done
