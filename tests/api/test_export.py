"""GET /api/v1/complaints/export: a list filter as CSV and XLSX, read back with real
readers (python's csv module; zipfile + the sheet XML) and compared field by field
with what GET /api/v1/complaints says about the same complaints; filters and the
caller's department scope apply as on the list; several thousand rows stream."""

import csv
import io
import os
import re
import sys
import tempfile
import time
import uuid
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main, public_body, run_cli  # noqa: E402

# docs/export.md, in order.
COLUMNS = [
    "id", "tracking_code", "state", "kind", "validity", "validity_reason", "category",
    "urgency", "difficulty", "department_id", "department_code", "assignee_id",
    "escalation_level", "channel", "received_at", "occurred_at", "place", "object_type",
    "object_ref", "subject", "description", "demands", "people_involved", "language", "tags",
    "impact_customer", "impact_reputation", "estimated_loss", "customer_name", "customer_email",
    "customer_phone", "customer_language", "satisfaction_score", "satisfaction_comment",
    "reopen_count", "appeal_count", "follow_up_of", "resolved_at", "closed_at", "created_at",
    "updated_at", "due_at",
]
NUMERIC = {"id", "department_id", "assignee_id", "escalation_level", "estimated_loss",
           "satisfaction_score", "reopen_count", "appeal_count", "follow_up_of"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def unguard(text: str) -> str:
    """Undoes the formula guard (docs/export.md): one apostrophe less before = + - @."""
    stripped = text.lstrip("'")
    if stripped != text and stripped[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    return text


def text_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def expected_row(item: dict, department_codes: dict) -> dict:
    """What the export must say for one item of the list API."""
    c = item["customer"]
    return {
        "id": item["id"], "tracking_code": item["tracking_code"], "state": item["state"],
        "kind": item["kind"], "validity": item["validity"],
        "validity_reason": item["validity_reason"], "category": item["category"],
        "urgency": item["urgency"], "difficulty": item["difficulty"],
        "department_id": item["department_id"],
        "department_code": department_codes.get(item["department_id"], ""),
        "assignee_id": item["assignee_id"], "escalation_level": item["escalation_level"],
        "channel": item["channel"], "received_at": item["received_at"],
        "occurred_at": item["occurred_at"], "place": item["place"],
        "object_type": item["object"]["type"], "object_ref": item["object"]["ref"],
        "subject": item["subject"], "description": item["description"],
        "demands": item["demands"], "people_involved": item["people_involved"],
        "language": item["language"], "tags": "; ".join(item["tags"]),
        "impact_customer": item["impact"]["customer"],
        "impact_reputation": item["impact"]["reputation"],
        "estimated_loss": item["impact"]["estimated_loss"],
        "customer_name": c["name"], "customer_email": c["email"], "customer_phone": c["phone"],
        "customer_language": c["language"],
        "satisfaction_score": item["satisfaction"]["score"],
        "satisfaction_comment": item["satisfaction"]["comment"],
        "reopen_count": item["reopen_count"], "appeal_count": item["appeal_count"],
        "follow_up_of": item["follow_up_of"], "resolved_at": item["resolved_at"],
        "closed_at": item["closed_at"], "created_at": item["created_at"],
        "updated_at": item["updated_at"], "due_at": item["due_at"],
    }


def parse_csv(raw: bytes) -> list:
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows


def column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def unescape_ooxml(text: str) -> str:
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def parse_xlsx(raw: bytes) -> list:
    """Every sheet's rows in workbook order, as lists of str/float/None by column."""
    z = zipfile.ZipFile(io.BytesIO(raw))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    sheets = sorted((n for n in z.namelist() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n)),
                    key=lambda n: int(re.search(r"\d+", n.rsplit("/", 1)[1]).group(0)))
    out = []
    for name in sheets:
        for row in ET.fromstring(z.read(name)).iter(f"{{{NS['m']}}}row"):
            cells = {}
            for c in row.findall("m:c", NS):
                kind = c.get("t")
                if kind == "inlineStr":
                    value = "".join(t.text or "" for t in c.iter(f"{{{NS['m']}}}t"))
                elif kind == "s":
                    value = shared[int(c.find("m:v", NS).text)]
                elif kind == "str":
                    value = c.find("m:v", NS).text or ""
                else:
                    v = c.find("m:v", NS)
                    value = float(v.text) if v is not None else None
                if isinstance(value, str):
                    value = unescape_ooxml(value)
                cells[column_index(c.get("r"))] = value
            width = max(cells) + 1 if cells else 0
            out.append([cells.get(i) for i in range(width)])
    return out


class Export(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:8]

    def department_codes(self) -> dict:
        r = self.admin.get("/api/v1/departments")
        self.assertEqual(r.status, 200, r)
        body = r.body["items"] if isinstance(r.body, dict) else r.body
        return {d["id"]: d["code"] for d in body}

    def intake(self, **over) -> dict:
        body = dict(public_body(), channel="phone")
        body.update(over)
        r = self.agent.post("/api/v1/complaints", body)
        self.assertEqual(r.status, 201, r)
        return r.body

    def export(self, client, query: str = "", fmt: str = "csv"):
        sep = "&" if query else ""
        r = client.get(f"/api/v1/complaints/export?format={fmt}{sep}{query}",
                       headers={"Accept": "*/*"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.headers.get("Transfer-Encoding"), "chunked", r.headers)
        disposition = r.headers.get("Content-Disposition") or ""
        self.assertRegex(disposition, r'^attachment; filename="complaints-\d{8}-\d{6}\.' + fmt + '"$')
        return r

    def quiet_export_and_list(self, fmt: str):
        """An export and the list read while nothing changed in between: the job runner
        (SLA checks) may touch a demo complaint at any moment, so export, list, export
        again, and retry when the two exports differ."""
        parse = parse_csv if fmt == "csv" else parse_xlsx
        for _ in range(5):
            first = self.export(self.agent, fmt=fmt)
            items = self.list_all(self.agent, "/api/v1/complaints")
            if parse(self.export(self.agent, fmt=fmt).raw) == parse(first.raw):
                return first, items
        self.fail("the complaints kept changing during the export")

    def assertRowsMatch(self, rows: list, items: list, xlsx: bool = False):
        codes = self.department_codes()
        self.assertEqual(rows[0], COLUMNS)
        by_id = {}
        for row in rows[1:]:
            self.assertEqual(len(row) if not xlsx else len(COLUMNS), len(COLUMNS), row)
            row = row + [None] * (len(COLUMNS) - len(row))
            by_id[int(row[0])] = dict(zip(COLUMNS, row))
        self.assertEqual(sorted(by_id), sorted(i["id"] for i in items))
        for item in items:
            got, want = by_id[item["id"]], expected_row(item, codes)
            for col in COLUMNS:
                g, w = got[col], want[col]
                if xlsx:
                    if col in NUMERIC:
                        self.assertEqual(g, None if w is None else float(w), (col, item["id"]))
                    else:
                        self.assertEqual(g or "", text_of(w), (col, item["id"]))
                elif col in NUMERIC:
                    self.assertEqual(float(g) if g else None,
                                     None if w is None else float(w), (col, item["id"]))
                else:
                    self.assertEqual(unguard(g), text_of(w), (col, item["id"]))

    def tricky(self) -> list:
        """Complaints whose texts break naive CSV writers and spreadsheets."""
        made = [
            self.intake(subject=f'=HYPERLINK("http://evil.example","click") {self.tag}',
                        description='Line one, with a comma\nLine two "quoted"\n\nand a blank line',
                        tags=["a,b", "-minus", "plain"]),
            self.intake(subject=f"東京の倉庫で箱が潰れていました {self.tag}",
                        description="荷物が九日遅れて届きました。箱は潰れていました。",
                        customer={"name": '+Nguyễn Văn "An", Jr.', "email": "an@example.com",
                                  "phone": "-0912 345 678", "language": "vi"}),
            self.intake(subject=f"Hàng bị hỏng khi giao {self.tag}",
                        description="@mention; Đơn hàng của tôi đến trễ chín ngày, hộp bị móp.",
                        demands="'=already quoted"),
        ]
        return made

    def test_csv_matches_the_list_field_by_field(self):
        made = self.tricky()
        r, items = self.quiet_export_and_list("csv")
        self.assertTrue(r.raw.startswith(b"\xef\xbb\xbf"), r.raw[:10])
        self.assertEqual(r.content_type, "text/csv")
        self.assertIn(b"\r\n", r.raw)
        rows = parse_csv(r.raw)
        self.assertGreaterEqual(len(items), 3)
        self.assertRowsMatch(rows, items)
        # The guard, literally: the spreadsheet gets text, not a formula.
        by_id = {int(row[0]): dict(zip(COLUMNS, row)) for row in rows[1:]}
        first, second, third = (by_id[m["id"]] for m in made)
        self.assertTrue(first["subject"].startswith("'=HYPERLINK("), first["subject"])
        self.assertEqual(first["tags"], "a,b; -minus; plain")
        self.assertTrue(second["customer_name"].startswith("'+Nguyễn"), second["customer_name"])
        self.assertTrue(second["customer_phone"].startswith("'-0912"), second["customer_phone"])
        self.assertEqual(third["description"][:2], "'@")
        self.assertEqual(third["demands"], "''=already quoted")
        self.assertIn("\n\n", first["description"])

    def test_xlsx_matches_the_list(self):
        self.tricky()
        r, items = self.quiet_export_and_list("xlsx")
        self.assertEqual(r.content_type, XLSX)
        rows = parse_xlsx(r.raw)
        self.assertRowsMatch(rows, items, xlsx=True)

    def test_a_filter_filters(self):
        marker = f"exportfilter{self.tag}"
        kept = self.intake(subject=f"Findable {marker}")
        other = self.intake()
        self.advance(kept["id"], "investigating")
        for query in ("state=investigating", f"q={marker}", "sort=due"):
            with self.subTest(query=query):
                rows = parse_csv(self.export(self.agent, query).raw)
                ids = [int(row[0]) for row in rows[1:]]
                listed = [i["id"] for i in self.list_all(self.agent, f"/api/v1/complaints?{query}")]
                self.assertEqual(ids, listed)  # same rows, same order
                if query != "sort=due":
                    self.assertIn(kept["id"], ids)
                    self.assertNotIn(other["id"], ids)
        rows = parse_xlsx(self.export(self.agent, f"q={marker}", fmt="xlsx").raw)
        self.assertEqual([int(row[0]) for row in rows[1:]], [kept["id"]])

    def test_bad_parameters_are_named(self):
        for query, field in (("format=pdf", "format"), ("state=nonsense", "state"),
                             ("received_from=yesterday", "received_from")):
            with self.subTest(query=query):
                r = self.agent.get(f"/api/v1/complaints/export?{query}")
                self.assertProblem(r, 422, [field])

    def test_scope_is_the_lists(self):
        routed = self.intake()
        self.advance(routed["id"], "investigating")  # routed to storage_transport
        for username, sees in (("handler.st", True), ("handler.qm", False)):
            with self.subTest(user=username):
                client = self.client(username)
                ids = {int(row[0]) for row in parse_csv(self.export(client).raw)[1:]}
                listed = {i["id"] for i in self.list_all(client, "/api/v1/complaints")}
                self.assertEqual(ids, listed)
                self.assertEqual(routed["id"] in ids, sees)
                xids = {int(row[0]) for row in parse_xlsx(self.export(client, fmt="xlsx").raw)[1:]}
                self.assertEqual(xids, listed)

    def test_cli_export_writes_the_same_rows(self):
        self.tricky()
        with tempfile.TemporaryDirectory() as d:
            for fmt in ("csv", "xlsx"):
                parse = parse_csv if fmt == "csv" else parse_xlsx
                out = os.path.join(d, f"all.{fmt}")
                # The server's jobs keep working meanwhile (the demo's overdue complaints
                # escalate on the real clock), so the CLI is compared with the API while
                # the data stood still: an API export before and after it that agree.
                for _ in range(5):
                    before = parse(self.export(self.agent, fmt=fmt).raw)
                    r = run_cli("export", "--database", self.server.db, "--format", fmt,
                                "-o", out)
                    self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                    api = parse(self.export(self.agent, fmt=fmt).raw)
                    if before == api:
                        break
                self.assertEqual(before, api, "the data never stood still for an export")
                with open(out, "rb") as f:
                    raw = parse(f.read())
                self.assertEqual(raw, api)
                if fmt == "csv":
                    self.assertIn(f"exported {len(raw) - 1} complaints", r.stdout)
            r = run_cli("export", "--database", self.server.db, "--state", "nonsense",
                        "-o", os.path.join(d, "x.csv"))
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("--state", r.stdout + r.stderr)

    def test_round_trip_through_the_redress_import(self):
        """export → import --format redress into a fresh database → export: the same
        complaints (all but the installation's own ids and the SLA-derived due time)."""
        self.tricky()
        done = self.intake(subject=f"Resolved one {self.tag}")
        self.advance(done["id"], "resolved")
        exported = self.export(self.agent).raw
        original = parse_csv(exported)
        skip = {"id", "department_id", "assignee_id", "follow_up_of", "due_at"}
        keep = [i for i, c in enumerate(COLUMNS) if c not in skip]
        with tempfile.TemporaryDirectory() as d:
            db, src, out = (os.path.join(d, n) for n in ("fresh.db", "in.csv", "out.csv"))
            with open(src, "wb") as f:
                f.write(exported)
            r = run_cli("init", "--database", db, "--admin-user", "admin",
                        "--admin-password", "password1")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            r = run_cli("import", "--database", db, "--format", "redress", src)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            n = len(original) - 1
            self.assertIn(f"imported {n} complaints from {n} rows (0 already imported, "
                          f"0 rejected)", r.stdout)
            r = run_cli("export", "--database", db, "-o", out)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(out, "rb") as f:
                again = parse_csv(f.read())
            def by_code(rows):
                return {row[1]: [row[i] for i in keep] for row in rows[1:]}
            self.assertEqual(by_code(again), by_code(original))
            # A second import of the same file creates nothing.
            r = run_cli("import", "--database", db, "--format", "redress", src)
            self.assertIn(f"imported 0 complaints from {n} rows ({n} already imported", r.stdout)
        # Into the installation it came from: every tracking code is taken, nothing new.
        with tempfile.TemporaryDirectory() as d:
            src = os.path.join(d, "self.csv")
            with open(src, "wb") as f:
                f.write(self.export(self.agent, "state=resolved").raw)
            r = self.admin.request("POST", "/api/v1/imports?format=redress",
                                   raw=open(src, "rb").read(), content_type="text/csv")
            self.assertEqual(r.status, 202, r)
            for _ in range(300):
                run = self.admin.get(f"/api/v1/imports/{r.body['id']}").body
                if run["state"] in ("done", "failed"):
                    break
                time.sleep(0.1)
            self.assertEqual((run["state"], run["imported"]), ("done", 0), run)
            self.assertGreaterEqual(run["skipped"], 1, run)

    def test_thousands_of_rows_stream(self):
        n = 3000
        product = f"Bulk export {self.tag}"
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "bulk.csv")
            with open(path, "w", newline="", encoding="utf-8") as f:
                w = csv.writer(f)
                w.writerow(["Date received", "Product", "Sub-product", "Issue", "Sub-issue",
                            "Consumer complaint narrative", "Company public response", "Company",
                            "State", "ZIP code", "Tags", "Consumer consent provided?",
                            "Submitted via", "Date sent to company",
                            "Company response to consumer", "Timely response?",
                            "Consumer disputed?", "Complaint ID"])
                for i in range(n):
                    w.writerow(["2024-01-02", product, "", "Issue", "", f"Narrative {i}, \"q\"",
                                "", "Bulk Co", "CA", "", "", "", "Web", "2024-01-03",
                                "In progress", "Yes", "N/A", str(900000000 + i)])
            r = run_cli("import", "--database", self.server.db, "--format", "cfpb", path,
                        timeout=120)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        category = "cfpb.bulk_export_" + self.tag
        started = time.monotonic()
        rows = parse_csv(self.export(self.agent, f"category={category}").raw)
        csv_seconds = time.monotonic() - started
        self.assertEqual(len(rows) - 1, n)
        self.assertEqual({row[1] for row in rows[1:]},
                         {f"CFPB-{900000000 + i}" for i in range(n)})
        ids = [int(row[0]) for row in rows[1:]]
        self.assertEqual(ids, sorted(ids, reverse=True))  # newest first, no page repeated
        started = time.monotonic()
        xrows = parse_xlsx(self.export(self.agent, f"category={category}", fmt="xlsx").raw)
        xlsx_seconds = time.monotonic() - started
        self.assertEqual([int(row[0]) for row in xrows[1:]], ids)
        self.assertLess(csv_seconds + xlsx_seconds, 20, (csv_seconds, xlsx_seconds))


if __name__ == "__main__":
    main()
