"""Department warning records, hotspots and the board report (issue 5 items 5 and 6;
docs/reports.md). Complaints are imported as Redress CSV with fixed dates in 2021–2022,
years the demo organisation does not reach, so every count below is the test's own:

- a warning record lists exactly the founded complaints of a department and its
  sub-department, with the repeat flags the rule gives (same customer or same object
  within 90 days, looking back before the period), and the ranking counts them;
- the hotspot test flags a category that doubles its rate and not one that keeps it, in
  the hotspots answer, on the dashboard and in the board report (JSON and PDF).
"""

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main  # noqa: E402

HEADER = ["tracking_code", "received_at", "subject", "kind", "validity", "urgency",
          "difficulty", "state", "category", "department_code", "object_ref",
          "customer_name"]


class InsightTest(ApiTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.tag = uuid.uuid4().hex[:6]
        admin = cls.client("admin")
        ids = {}
        for code, parent in (("ins_parent", None), ("ins_child", "ins_parent"),
                             ("ins_other", None)):
            body = {"code": code, "name": code.replace("_", " ").title()}
            if parent:
                body["parent_id"] = ids[parent]
            r = admin.post("/api/v1/departments", body)
            assert r.status == 201, r
            ids[code] = r.body["id"]
        cls.deps = ids
        rows = []

        def add(code, when, dep, obj="", validity="founded", kind="complaint", urgency="",
                difficulty="", category="ins_misc"):
            rows.append([f"INS-{cls.tag}-{code}", when, f"Insight {code}", kind, validity,
                         urgency, difficulty, "investigating", category, dep, obj,
                         f"Customer {code}"])

        # The warning records, 2021-01-01 .. 2021-04-01 (W7 before it, within 90 days).
        add("W1", "2021-01-05T10:00:00Z", "ins_parent", "OBJ-A", urgency="urgent")
        add("W2", "2021-01-20T10:00:00Z", "ins_child", "OBJ-A")            # object of W1
        add("W3", "2021-02-10T10:00:00Z", "ins_parent", "OBJ-B")           # customer of W1
        add("W4", "2021-02-15T10:00:00Z", "ins_parent", "OBJ-B", validity="unfounded")
        add("W5", "2021-03-01T10:00:00Z", "ins_other", "OBJ-A")            # another department
        add("W6", "2021-03-20T10:00:00Z", "ins_parent", "OBJ-C", difficulty="difficult")
        add("W7", "2020-12-20T10:00:00Z", "ins_parent", "OBJ-D")           # before the period
        add("W8", "2021-02-25T10:00:00Z", "ins_child", "OBJ-E")            # customer of W7
        add("W9", "2021-03-25T10:00:00Z", "ins_child", "OBJ-F", kind="suggestion")
        # Hotspots: recent window 2022-06-01 .. 2022-07-01 (30 days), baseline the 180 days
        # before. Flat: 6 per 30 days throughout; rising: 1 per 30 days, then 12.
        for i in range(36):
            add(f"F{i}", f"2021-12-{4 + i % 25:02d}T0{i % 9}:00:00Z" if i < 6 else
                f"2022-0{1 + (i - 6) // 6}-{2 + (i % 6) * 4:02d}T12:00:00Z", "ins_other",
                category="ins_flat")
        for i in range(6):
            add(f"FR{i}", f"2022-06-{2 + i * 4:02d}T12:00:00Z", "ins_other", category="ins_flat")
        for i in range(6):
            add(f"RB{i}", f"2022-0{1 + i % 5}-15T12:00:00Z", "ins_other", category="ins_rising")
        for i in range(12):
            add(f"RR{i}", f"2022-06-{2 + i * 2:02d}T08:00:00Z", "ins_other",
                category="ins_rising")
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(HEADER)
        w.writerows(rows)
        r = admin.request("POST", "/api/v1/imports?format=redress",
                          raw=out.getvalue().encode(), content_type="text/csv")
        assert r.status == 202, r
        run = {}
        for _ in range(600):
            run = admin.get(f"/api/v1/imports/{r.body['id']}").body
            if run["state"] in ("done", "failed"):
                break
            time.sleep(0.1)
        assert (run["state"], run["imported"]) == ("done", len(rows)), run
        # Imported rows each get a customer of their own: W3 is W1's customer again and W8
        # is W7's (the API has no way to say so for an import).
        for repeat, first in (("W3", "W1"), ("W8", "W7")):
            cls.server.run_sql(
                f"UPDATE complaints SET customer_id = (SELECT customer_id FROM complaints "
                f"WHERE tracking_code = 'INS-{cls.tag}-{first}') "
                f"WHERE tracking_code = 'INS-{cls.tag}-{repeat}'")

    def code(self, name: str) -> str:
        return f"INS-{self.tag}-{name}"

    # ------------------------------------------------------------------ warning records

    def test_warning_record_lists_the_founded_complaints_with_repeats(self):
        r = self.client("director").get(
            f"/api/v1/reports/departments/{self.deps['ins_parent']}/warnings"
            "?from=2021-01-01&to=2021-04-01")
        self.assertEqual(r.status, 200, r)
        doc = r.body
        entries = {e["tracking_code"]: e for e in doc["entries"]}
        self.assertEqual(sorted(entries), sorted(self.code(n) for n in
                                                 ("W1", "W2", "W3", "W6", "W8")))
        want = {"W1": None, "W2": ("W1", "object"), "W3": ("W1", "customer"), "W6": None,
                "W8": ("W7", "customer")}
        for name, rep in want.items():
            e = entries[self.code(name)]
            self.assertEqual(e["repeat"], rep is not None, e)
            if rep:
                self.assertEqual((e["repeat_of"], e["repeat_reason"]),
                                 (self.code(rep[0]), rep[1]), e)
            self.assertEqual(e["severity"]["major"], name in ("W1", "W6"), e)
            self.assertEqual(e["outcome"]["state"], "investigating")
        self.assertEqual(entries[self.code("W2")]["department"]["id"], self.deps["ins_child"])
        self.assertEqual(doc["totals"]["founded"], 5)
        self.assertEqual(doc["totals"]["major"], 2)
        self.assertEqual(doc["totals"]["repeats"], 3)
        self.assertEqual([(m["month"], m["founded"]) for m in doc["by_month"]],
                         [("2021-01", 2), ("2021-02", 2), ("2021-03", 1)])
        self.assertEqual({d["id"] for d in doc["subtree"]},
                         {self.deps["ins_parent"], self.deps["ins_child"]})
        # The child's own record holds only its two.
        r = self.client("admin").get(
            f"/api/v1/reports/departments/{self.deps['ins_child']}/warnings"
            "?from=2021-01-01&to=2021-04-01")
        self.assertEqual(sorted(e["tracking_code"] for e in r.body["entries"]),
                         [self.code("W2"), self.code("W8")])

        # The ranking: each complaint under its own department.
        r = self.client("qa").get("/api/v1/reports/departments/warnings"
                                  "?from=2021-01-01&to=2021-04-01")
        self.assertEqual(r.status, 200, r)
        ranks = {d["code"]: d for d in r.body["departments"]}
        self.assertEqual((ranks["ins_parent"]["founded"], ranks["ins_parent"]["major"],
                          ranks["ins_parent"]["repeats"]), (3, 2, 1))
        self.assertEqual((ranks["ins_child"]["founded"], ranks["ins_child"]["repeats"]), (2, 0))
        self.assertEqual(ranks["ins_other"]["founded"], 1)
        self.assertLess(ranks["ins_parent"]["rank"], ranks["ins_child"]["rank"])

        # Refusals: a supervisor outside the department, an unknown one, a bad period.
        r = self.client("supervisor.qm").get(
            f"/api/v1/reports/departments/{self.deps['ins_parent']}/warnings")
        self.assertProblem(r, 403)
        self.assertProblem(self.client("director").get(
            "/api/v1/reports/departments/999999/warnings"), 404)
        self.assertProblem(self.client("director").get(
            f"/api/v1/reports/departments/{self.deps['ins_parent']}/warnings"
            "?from=2021-04-01&to=2021-01-01"), 422, ["from"])

    # ------------------------------------------------------------------ hotspots

    def flagged(self, doc) -> set:
        return {(h["dimension"], h["key"]) for h in doc["flagged"]}

    def test_a_rising_category_is_flagged_and_a_flat_one_is_not(self):
        r = self.client("qa").get("/api/v1/reports/hotspots?from=2022-06-01&to=2022-07-01")
        self.assertEqual(r.status, 200, r)
        doc = r.body
        self.assertEqual(self.flagged(doc), {("category", "ins_rising")})
        cats = {c["key"]: c for c in doc["categories"]}
        rising, flat = cats["ins_rising"], cats["ins_flat"]
        self.assertEqual((rising["recent"], rising["baseline"]), (12, 6))
        self.assertAlmostEqual(rising["expected"], 1.0)
        self.assertLess(rising["p_value"], 0.01)
        self.assertEqual((flat["recent"], flat["baseline"]), (6, 36))
        self.assertFalse(flat["flagged"])
        self.assertGreater(flat["p_value"], 0.3)
        self.assertEqual(doc["window"]["baseline"]["from"][:10], "2021-12-03")

        # On the dashboard (the recent window ending at `to`) and in the board report.
        r = self.client("director").get("/api/v1/reports/dashboard?from=2022-01-01&to=2022-07-01")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.flagged(r.body["hotspots"]), {("category", "ins_rising")})
        r = self.client("director").get("/api/v1/reports/board?from=2022-06-01&to=2022-07-01")
        self.assertEqual(r.status, 200, r)
        self.assertEqual({(h["dimension"], h["key"]) for h in r.body["hotspots"]},
                         {("category", "ins_rising")})
        # A handler of another department sees nothing of ins_other's complaints.
        r = self.client("handler.qm").get("/api/v1/reports/hotspots?from=2022-06-01&to=2022-07-01")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("ins_rising", {c["key"] for c in r.body["categories"]})

    def test_board_pdf_in_chinese_and_english(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        for lang, heading in (("en", "Hotspots"), ("zh-Hans", "投诉热点")):
            r = self.client("director").get(
                f"/api/v1/reports/board?from=2022-06-01&to=2022-07-01&lang={lang}&format=pdf")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.content_type, "application/pdf")
            with tempfile.TemporaryDirectory() as d:
                path = os.path.join(d, "board.pdf")
                with open(path, "wb") as f:
                    f.write(r.raw)
                text = subprocess.run(["pdftotext", path, "-"], capture_output=True,
                                      text=True, check=True).stdout
                self.assertIn(heading, text)
                self.assertIn("ins_rising", text)
                fonts = subprocess.run(["pdffonts", path], capture_output=True, text=True,
                                       check=True).stdout
                self.assertIn("CJK" if lang == "zh-Hans" else "NotoSans", fonts)
                for line in fonts.splitlines()[2:]:
                    self.assertIn(" yes ", line, f"font not embedded: {line}")
        self.assertProblem(self.client("director").get("/api/v1/reports/board?format=xlsx"),
                           422, ["format"])
        self.assertProblem(self.client("director").get("/api/v1/reports/board?lang=de"),
                           422, ["lang"])


if __name__ == "__main__":
    main()
