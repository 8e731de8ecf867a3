"""GET /api/v1/reports/management-review and `redress report`: every section of
the review against figures the test computes itself — from complaints it drives
through the lifecycle, and (when ../shared/data is present) from the public CFPB
sample imported and re-counted straight from the CSV. The PDF is checked with
pdftotext/pdffonts in the six languages, the XLSX by reading its XML."""

import collections
import csv
import datetime
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ApiTestCase, Client, Server, iso, iso_in, items_of, main,  # noqa: E402
                     public_body, run_cli)

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "data")
CFPB = os.path.join(SHARED, "cfpb-complaints-sample.csv")
ROUTE = "/api/v1/reports/management-review"
LANGS = ("en", "es", "fr", "zh-Hans", "zh-Hant", "vi")
# Headings each PDF must carry, per language (the glossary's terms).
HEADINGS = {
    "en": ["Management review", "Root causes (Pareto)", "Satisfaction", "Training needs"],
    "es": ["Revisión por la dirección", "Causas raíz (Pareto)", "Satisfacción",
           "Necesidades de formación"],
    "fr": ["Revue de direction", "Causes racines (Pareto)", "Satisfaction",
           "Besoins de formation"],
    "zh-Hans": ["管理评审报告", "根本原因", "满意度", "培训需求"],
    "zh-Hant": ["管理評審報告", "根本原因", "滿意度", "培訓需求"],
    "vi": ["Báo cáo xem xét của lãnh đạo", "Nguyên nhân gốc", "Mức độ hài lòng",
           "Nhu cầu đào tạo"],
}
XLSX_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def quantile(values, p):
    """Type-7 percentile, computed here independently of the server."""
    if not values:
        return None
    if p == 50:
        return statistics.median(values)
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=10, method="inclusive")[int(p / 10) - 1]


def slope(values):
    if len(values) < 2:
        return None
    return statistics.linear_regression(list(range(len(values))), values).slope


def read_xlsx(data: bytes) -> dict:
    """{sheet name: [[cell values]]} from the workbook's XML (numbers as float)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        root = ET.fromstring(z.read("xl/sharedStrings.xml"))
        for si in root.findall("m:si", XLSX_NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{XLSX_NS['m']}}}t")))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    book = ET.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for s in book.find("m:sheets", XLSX_NS):
        root = ET.fromstring(z.read("xl/" + target[s.get(REL_NS)]))
        rows = []
        for row in root.iter(f"{{{XLSX_NS['m']}}}row"):
            cells = {}
            for c in row.findall("m:c", XLSX_NS):
                col = re.match(r"[A-Z]+", c.get("r")).group(0)
                idx = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(col))) - 1
                v = c.find("m:v", XLSX_NS)
                if v is None:
                    continue
                t = c.get("t")
                cells[idx] = shared[int(v.text)] if t == "s" else (
                    bool(int(v.text)) if t == "b" else float(v.text))
            rows.append([cells.get(i) for i in range(max(cells) + 1)] if cells else [])
        out[s.get("name")] = rows
    return out


def tools_present():
    return all(shutil.which(t) for t in ("pdftotext", "pdffonts"))


class LifecycleReview(ApiTestCase):
    """Complaints driven through the lifecycle in a window of their own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t0 = iso_in(hours=-0.02)
        cls.ids = {}

    def setUp(self):
        if not self.ids:
            self.drive()
        self.period = f"from={self.t0}&to={iso_in(days=1)}"

    def cause(self, cid, family, text):
        r = self.client("handler.st").post(f"/api/v1/complaints/{cid}/causes",
                                           {"family": family, "description": text})
        self.assertEqual(r.status, 201, r)

    def drive(self):
        agent, handler = self.agent, self.client("handler.st")
        st = self.department_id("storage_transport")
        shared_object = {"type": "order", "ref": "ORD-REVIEW-SHARED"}
        # A: delivery delay, method cause, refund 12.50 EUR, rated 5, closed, reviewed.
        a = self.submit(object=shared_object)
        cid = a["id"]
        self.act(agent, cid, "take", "assessing")
        self.act(agent, cid, "accept", "assigned", category="delivery_delay",
                 urgency="general", difficulty="simple", department_id=st)
        self.act(handler, cid, "start_investigation", "investigating")
        self.cause(cid, "method", "Parcel left on the dock over the weekend")
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "refund", "amount": 12.5, "currency": "EUR"}],
                 feasibility="today")
        self.advance(cid, "resolved")
        r = self.public.act(a["code"], a["token"], "rate", score=5)
        self.assertEqual(r.status, 200, r)
        self.act(agent, cid, "close", "closed")
        r = handler.post(f"/api/v1/complaints/{cid}/accountability",
                         {"subject": "Dock team, night shift", "finding": "Left on the dock",
                          "loss_amount": 30})
        self.assertEqual(r.status, 201, r)
        r = self.client("supervisor.st").put(
            f"/api/v1/complaints/{cid}/review",
            {"lessons": "Weekend dock checks.",
             "improvement_actions": [
                 {"title": "Weekend dock round", "owner_id": handler.user_id,
                  "due_at": iso_in(days=-1), "status": "planned"},
                 {"title": "Dock sign-off sheet", "owner_id": handler.user_id,
                  "due_at": iso_in(days=10), "status": "done"}]})
        self.assertIn(r.status, (200, 201), r)
        self.ids["a"] = a
        # B: service attitude on the same object, people cause, compensation + apology, rated 2.
        b = self.submit(object=shared_object)
        cid = b["id"]
        self.act(agent, cid, "take", "assessing")
        self.act(agent, cid, "accept", "assigned", category="service_attitude",
                 urgency="general", difficulty="simple", department_id=st)
        self.act(handler, cid, "start_investigation", "investigating")
        self.cause(cid, "people", "Rude answer at the counter")
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "compensation", "amount": 40, "currency": "EUR"},
                           {"type": "apology"}], feasibility="today")
        self.advance(cid, "resolved")
        r = self.public.act(b["code"], b["token"], "rate", score=2)
        self.assertEqual(r.status, 200, r)
        self.ids["b"] = b
        # C: urgent service attitude (major impact), the same people cause; left open.
        c = self.submit()
        cid = c["id"]
        self.act(agent, cid, "take", "assessing")
        self.act(agent, cid, "accept", "assigned", category="service_attitude",
                 urgency="urgent", difficulty="complex", department_id=st)
        self.act(handler, cid, "start_investigation", "investigating")
        self.cause(cid, "people", "Rude answer at the counter")
        self.ids["c"] = c
        # D: unfounded, then appealed by the customer.
        d = self.submit()
        cid = d["id"]
        self.act(agent, cid, "take", "assessing")
        self.act(agent, cid, "reject", "rejected", reason="Delivered on time per carrier scan",
                 reply_text="Our records show the parcel arrived on the promised day.")
        r = self.public.act(d["code"], d["token"], "appeal", reason="It did not.")
        self.assertEqual(r.status, 200, r)
        self.ids["d"] = d

    def review(self, client=None, query=""):
        r = (client or self.client("director")).get(f"{ROUTE}?{self.period}{query}")
        self.assertEqual(r.status, 200, r)
        return r.body

    def test_sections_match_what_happened(self):
        doc = self.review()
        mine = [self.get_complaint(x["id"]) for x in self.ids.values()]
        self.assertEqual(doc["totals"]["received"], 4)
        self.assertEqual(doc["validity"]["founded"],
                         sum(1 for c in mine if c["validity"] == "founded"))
        self.assertEqual(doc["validity"]["unfounded"],
                         sum(1 for c in mine if c["validity"] == "unfounded"))
        # Pareto of causes: people 2, method 1.
        fam = doc["root_causes"]["by_family"]
        self.assertEqual([(f["key"], f["count"]) for f in fam], [("people", 2), ("method", 1)])
        self.assertAlmostEqual(fam[0]["cumulative_share"], 2 / 3)
        self.assertEqual([f["vital_few"] for f in fam], [True, True])
        self.assertEqual(doc["root_causes"]["by_cause"][0],
                         {"key": "Rude answer at the counter", "family": "people", "count": 2,
                          "share": 2 / 3, "cumulative_share": 2 / 3, "vital_few": True})
        # Remedies of carried-out plans and their cost.
        granted = {(g["type"], g["count"], g["amount"]) for g in doc["remedies"]["granted"]}
        self.assertEqual(granted, {("refund", 1, 12.5), ("compensation", 1, 40.0),
                                   ("apology", 1, 0.0)})
        self.assertEqual(doc["remedies"]["cost"], [{"currency": "EUR", "amount": 52.5}])
        # Satisfaction.
        sat = doc["satisfaction"]
        self.assertEqual(sat["ratings"], 2)
        self.assertAlmostEqual(sat["average"], 3.5)
        self.assertEqual({s["score"]: s["count"] for s in sat["by_score"]},
                         {1: 0, 2: 1, 3: 0, 4: 0, 5: 1})
        # Resolution times from the complaints' own timestamps.
        def ts(s):
            return datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).timestamp()
        hours = [(ts(c["resolved_at"]) - ts(c["received_at"])) / 3600 for c in mine
                 if c.get("resolved_at")]
        res = doc["times"]["resolution"]
        self.assertEqual(res["count"], len(hours))
        self.assertAlmostEqual(res["median_hours"], quantile(hours, 50), places=4)
        self.assertAlmostEqual(res["p90_hours"], quantile(hours, 90), places=4)
        # SLA clocks as the complaints' own clock lists show them.
        clocks = [k for x in self.ids.values()
                  for k in items_of(self.agent.get(f"/api/v1/complaints/{x['id']}/sla").body)]
        for kind in ("first_response", "resolution"):
            mine_k = [k for k in clocks if k["kind"] == kind]
            got = doc["sla"][kind]
            self.assertEqual(got["met"], sum(1 for k in mine_k if k["status"] == "met"), kind)
            self.assertEqual(got["met"] + got["breached"] + got["pending"], len(mine_k), kind)
        first = [(ts(k["stopped_at"]) - ts(k["started_at"])) / 3600 for k in clocks
                 if k["kind"] == "first_response" and k["stopped_at"]]
        self.assertTrue(all(k["paused"] == "PT0S" for k in clocks if k["stopped_at"]))
        self.assertEqual(doc["times"]["first_response"]["count"], len(first))
        if first:
            self.assertAlmostEqual(doc["times"]["first_response"]["median_hours"],
                                   quantile(first, 50), places=4)
        # Reopen and appeal.
        ra = doc["reopen_appeal"]
        self.assertEqual((ra["appealed"], ra["rejected"], ra["appeal_rate"]), (1, 1, 1.0))
        self.assertEqual(ra["reopened"], 0)
        # Accountability.
        acc = doc["accountability"]
        self.assertEqual((acc["total"], acc["loss"]), (1, 30.0))
        self.assertEqual(acc["entries"][0]["tracking_code"], self.ids["a"]["code"])
        # Recurring: the two complaints on the shared order; no customer twice.
        self.assertEqual(doc["recurring"]["objects"]["groups"], 1)
        self.assertEqual(doc["recurring"]["objects"]["top"][0],
                         {"key": "ORD-REVIEW-SHARED", "label": "ORD-REVIEW-SHARED", "count": 2})
        self.assertEqual(doc["recurring"]["customers"]["groups"], 0)
        # Influential: the urgent one.
        self.assertEqual(doc["influential"]["count"], 1)
        self.assertEqual(doc["influential"]["complaints"][0]["tracking_code"],
                         self.ids["c"]["code"])
        # Improvement actions and lessons.
        imp = doc["improvement"]
        self.assertEqual(imp["actions"], 2)
        self.assertEqual({s["status"]: s["count"] for s in imp["by_status"]},
                         {"planned": 1, "done": 1})
        self.assertEqual((imp["overdue"], imp["lessons_recorded"]), (1, 1))
        # Training needs: the people cause twice and two service-attitude complaints.
        groups = {(g["source"], g["topic"]): (g["department"], g["count"], g["repeated"])
                  for g in doc["training_needs"]["groups"]}
        st_name = self.department_name("storage_transport")
        self.assertEqual(groups[("people_cause", "Rude answer at the counter")],
                         (st_name, 2, True))
        attitude = [v for (src, _), v in groups.items() if src == "service_attitude"]
        self.assertEqual(attitude, [(st_name, 2, True)])
        self.assertEqual(doc["training_needs"]["total"], 4)

    def department_name(self, code):
        deps = items_of(self.admin.get("/api/v1/departments").body)
        return next(d["name"] for d in deps if d["code"] == code)

    def test_who_may_read_it(self):
        for user in ("director", "qa", "admin"):
            self.assertEqual(self.client(user).get(f"{ROUTE}?{self.period}").status, 200, user)
        for user in ("agent", "handler.st", "supervisor.st"):
            r = self.client(user).get(f"{ROUTE}?{self.period}")
            self.assertProblem(r, 403, msg=user)
        self.assertEqual(Client(self.server).get(ROUTE).status, 401)

    def test_refusals_name_the_parameter(self):
        d = self.client("director")
        self.assertProblem(d.get(f"{ROUTE}?lang=de"), 422, ["lang"])
        self.assertProblem(d.get(f"{ROUTE}?format=docx"), 422, ["format"])
        self.assertProblem(d.get(f"{ROUTE}?from=2026-02-01&to=2026-01-01"), 422, ["from"])
        self.assertProblem(d.get(f"{ROUTE}?from=soon"), 422, ["from"])

    def test_training_needs_export(self):
        r = self.client("qa").get(f"/api/v1/reports/training-needs?{self.period}")
        self.assertEqual(r.status, 200, r)
        self.assertTrue(r.content_type.startswith("text/csv"), r.content_type)
        rows = list(csv.DictReader(io.StringIO(r.text)))
        doc = self.review()
        self.assertEqual([(x["source"], x["topic"], int(x["count"]), x["repeated"] == "yes")
                          for x in rows],
                         [(g["source"], g["topic"], g["count"], g["repeated"])
                          for g in doc["training_needs"]["groups"]])

    def test_pdf_in_six_languages(self):
        if not tools_present():
            self.skipTest("pdftotext/pdffonts (poppler-utils) are not installed")
        d = self.client("director")
        with tempfile.TemporaryDirectory() as tmp:
            for lang in LANGS:
                r = d.get(f"{ROUTE}?{self.period}&lang={lang}&format=pdf")
                self.assertEqual(r.status, 200, r)
                self.assertEqual(r.content_type, "application/pdf")
                self.assertIn(f"-{lang}.pdf", r.headers.get("Content-Disposition", ""))
                raw = r.raw if isinstance(r.raw, bytes) else r.body
                self.assertEqual(raw[:5], b"%PDF-")
                path = os.path.join(tmp, f"{lang}.pdf")
                with open(path, "wb") as f:
                    f.write(raw)
                text = subprocess.run(["pdftotext", "-layout", path, "-"], capture_output=True,
                                      text=True, check=True).stdout
                for heading in HEADINGS[lang]:
                    self.assertIn(heading, text, f"{lang}: {heading!r} missing")
                self.assertIn(self.ids["c"]["code"], text, f"{lang}: the influential complaint\n{text}")
                fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True,
                                       check=True).stdout.splitlines()[2:]
                self.assertTrue(fonts, f"{lang}: no fonts")
                for line in fonts:
                    self.assertIn(" yes ", line.split(None, 1)[1], f"{lang}: not embedded: {line}")
                names = " ".join(line.split()[0] for line in fonts)
                if lang.startswith("zh"):
                    self.assertIn("NotoSansCJK", names, f"{lang}: {names}")
                else:
                    self.assertIn("NotoSans-", names, f"{lang}: {names}")

    def test_xlsx_agrees_with_the_json(self):
        d = self.client("director")
        doc = self.review()
        r = d.get(f"{ROUTE}?{self.period}&format=xlsx&lang=fr")
        self.assertEqual(r.status, 200, r)
        self.assertIn("spreadsheetml", r.content_type)
        sheets = read_xlsx(r.raw if isinstance(r.raw, bytes) else r.body)
        self.assertIn("training_needs", sheets)
        self.assertEqual([row[:2] for row in sheets["volume"][1:]],
                         [[m["month"], float(m["count"])] for m in doc["volume_by_month"]])
        self.assertEqual(sorted((row[0], row[2], row[4]) for row in sheets["remedies"][1:]),
                         sorted((g["type"], float(g["count"]), g["amount"])
                                for g in doc["remedies"]["granted"]))
        self.assertEqual([(row[1], row[2], row[3]) for row in sheets["training_needs"][1:]],
                         [(g["source"], g["topic"], float(g["count"]))
                          for g in doc["training_needs"]["groups"]])
        summary = {row[0]: row[1] for row in sheets["summary"][1:]}
        self.assertEqual(summary["received"], float(doc["totals"]["received"]))
        self.assertEqual(sheets["volume"][0][0], "Mois")  # headers in the chosen language


class RecurringCustomersReview(ApiTestCase):
    """Customers who complain again: counted, named, largest first, ties by id."""

    def test_recurring_customers_are_counted_and_named(self):
        t0 = iso_in(hours=-0.02)
        customer_id = {}
        for name, times in (("Rosa Twice", 2), ("Alan Thrice", 3), ("Mai Once", 1),
                            ("Bui Twice", 2)):
            body = public_body()
            body["customer"]["name"] = name
            ids = [self.submit(customer=body["customer"])["id"] for _ in range(times)]
            customer_id[name] = self.get_complaint(ids[0])["customer"]["id"]
            # Each portal submission gets a customer of its own (the portal never
            # merges people by e-mail); the API has no way to say they are one.
            self.server.run_sql(f"UPDATE complaints SET customer_id = {customer_id[name]} "
                                f"WHERE id IN ({', '.join(map(str, ids))})")
        r = self.client("director").get(f"{ROUTE}?from={t0}&to={iso_in(days=1)}")
        self.assertEqual(r.status, 200, r)
        rec = r.body["recurring"]["customers"]
        self.assertEqual((rec["groups"], rec["complaints"]), (3, 7))
        twice = sorted(("Rosa Twice", "Bui Twice"), key=lambda n: customer_id[n])
        self.assertEqual(rec["top"], [{"key": str(customer_id[n]), "label": n,
                                       "count": 3 if n == "Alan Thrice" else 2}
                                      for n in ["Alan Thrice"] + twice])


class CfpbReview(unittest.TestCase):
    """The public CFPB sample imported, and the review re-counted from the CSV."""

    FROM, TO = "2012-01-01", "2025-06-01"

    @classmethod
    def setUpClass(cls):
        if not os.path.exists(CFPB):
            raise unittest.SkipTest(f"shared data absent: {CFPB}")
        cls.server = Server()
        try:
            cls.server.load_demo()
            r = run_cli("import", "--database", cls.server.db, "--format", "cfpb", CFPB,
                        timeout=600)
            if r.returncode != 0:
                raise RuntimeError(r.stdout + r.stderr)
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise
        cls.director = Client(cls.server, "director")
        assert cls.director.login("director").status == 200
        r = cls.director.get(f"{ROUTE}?from={cls.FROM}&to={cls.TO}")
        assert r.status == 200, r
        cls.doc = r.body
        with open(CFPB, newline="", encoding="utf-8-sig") as f:
            cls.all_rows = list(csv.DictReader(f))
        cls.rows = [x for x in cls.all_rows if cls.FROM <= x["Date received"] < cls.TO]

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "server", None):
            cls.server.cleanup()

    @staticmethod
    def counter(items, key="label"):
        return collections.Counter({i[key]: i["count"] for i in items})

    def test_volumes_categories_channels(self):
        doc, rows = self.doc, self.rows
        self.assertEqual(doc["totals"]["received"], len(rows))
        by_month = collections.Counter(x["Date received"][:7] for x in rows)
        got = {m["month"]: m["count"] for m in doc["volume_by_month"] if m["count"]}
        self.assertEqual(got, dict(by_month))
        months = [m["count"] for m in doc["volume_by_month"]]
        self.assertEqual(len(months), 161)  # 2012-01 … 2025-05, empty months included
        self.assertAlmostEqual(doc["volume_trend"]["slope_per_month"], slope(months), places=6)
        self.assertEqual(self.counter(doc["categories"]),
                         collections.Counter(x["Product"] for x in rows))
        leaves = collections.Counter(
            (x["Product"], x["Sub-product"]) if x["Sub-product"] else (None, x["Product"])
            for x in rows)
        self.assertEqual(collections.Counter({(i["parent"], i["label"]): i["count"]
                                              for i in doc["subcategories"]}), leaves)
        via = {"Web": "portal", "Phone": "phone", "Postal mail": "letter", "Fax": "letter",
               "Email": "email"}
        self.assertEqual(self.counter(doc["channels"], "key"),
                         collections.Counter(via.get(x["Submitted via"], "api") for x in rows))

    def test_departments_are_the_companies(self):
        def slug(text):
            out = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
            return (out[:56].rstrip("_") if len(out) > 56 else out) or "unnamed"
        first_name = {}
        for x in self.all_rows:  # the importer names a department after the first spelling
            first_name.setdefault(slug(x["Company"]), x["Company"])
        expected = collections.Counter(first_name[slug(x["Company"])] for x in self.rows)
        self.assertEqual(self.counter(self.doc["departments"]), expected)

    def test_outcomes_timeliness_disputes(self):
        doc, rows = self.doc, self.rows
        self.assertEqual(doc["validity"]["founded"], len(rows))
        self.assertEqual(doc["validity"]["unfounded"], 0)
        outcomes = collections.Counter(x["Company response to consumer"] for x in rows
                                       if x["Company response to consumer"])
        self.assertEqual(self.counter(doc["imported"]["outcomes"]), outcomes)
        timely = collections.Counter(x["Timely response?"] for x in rows)
        t = doc["imported"]["timely"]
        self.assertEqual((t["yes"], t["no"]), (timely["Yes"], timely["No"]))
        self.assertAlmostEqual(t["compliance"], timely["Yes"] / (timely["Yes"] + timely["No"]))
        disputed = sum(1 for x in rows if x["Consumer disputed?"] == "Yes")
        self.assertEqual(doc["imported"]["disputed"], disputed)
        self.assertEqual(doc["reopen_appeal"]["reopened"], disputed)
        self.assertAlmostEqual(doc["reopen_appeal"]["reopen_rate"], disputed / len(rows))

    def test_resolution_times_and_recurring_objects(self):
        doc, rows = self.doc, self.rows
        hours = []
        for x in rows:
            if not x["Company response to consumer"].startswith("Closed"):
                continue
            received = datetime.date.fromisoformat(x["Date received"])
            sent = datetime.date.fromisoformat(x["Date sent to company"] or x["Date received"])
            hours.append((sent - received).days * 24.0)
        res = doc["times"]["resolution"]
        self.assertEqual(doc["totals"]["resolved"], len(hours))
        self.assertEqual(res["count"], len(hours))
        self.assertAlmostEqual(res["median_hours"], quantile(hours, 50), places=6)
        self.assertAlmostEqual(res["p90_hours"], quantile(hours, 90), places=6)
        objects = collections.Counter(x["Sub-product"] or x["Product"] for x in rows)
        recurring = {k: n for k, n in objects.items() if n >= 2}
        rec = doc["recurring"]["objects"]
        self.assertEqual((rec["groups"], rec["complaints"]),
                         (len(recurring), sum(recurring.values())))
        self.assertEqual({g["key"]: g["count"] for g in rec["top"]},
                         dict(sorted(recurring.items(), key=lambda kv: (-kv[1], kv[0]))[:50]))
        self.assertEqual(doc["recurring"]["customers"]["groups"], 0)  # one consumer per row
        self.assertEqual(doc["influential"]["count"], 0)

    def test_cli_writes_the_same_review(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "review.json")
            r = run_cli("report", "management-review", "--database", self.server.db,
                        "--from", self.FROM, "--to", self.TO, "--lang", "vi", "-o", out)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(out, encoding="utf-8") as f:
                cli_doc = json.load(f)
            for key in ("generated_at", "language"):
                cli_doc.pop(key)
            api_doc = dict(self.doc)
            api_doc.pop("generated_at")
            api_doc.pop("language")
            self.assertEqual(cli_doc, api_doc)
            pdf = os.path.join(tmp, "review.pdf")
            r = run_cli("report", "management-review", "--database", self.server.db,
                        "--from", self.FROM, "--to", self.TO, "--lang", "vi", "--format", "pdf",
                        "-o", pdf)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(pdf, "rb") as f:
                self.assertEqual(f.read(5), b"%PDF-")
            r = run_cli("report", "management-review", "--database", self.server.db,
                        "--format", "pdf")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("-o", r.stderr + r.stdout)


if __name__ == "__main__":
    main()
