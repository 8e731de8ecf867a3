"""POST /api/v1/imports: an administrator uploads a CFPB export (raw body or
multipart), it imports in the background, GET /api/v1/imports/{id} shows the
progress and the counts the CSV itself gives, /rejects the refused rows with their
row numbers and reasons; uploading the same file again creates nothing; a run
interrupted by a restart resumes and still imports every row exactly once."""

import csv
import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main  # noqa: E402
from test_import import FIXTURE, expected_counts  # noqa: E402

HEADER = ["Date received", "Product", "Sub-product", "Issue", "Sub-issue",
          "Consumer complaint narrative", "Company public response", "Company", "State",
          "ZIP code", "Tags", "Consumer consent provided?", "Submitted via",
          "Date sent to company", "Company response to consumer", "Timely response?",
          "Consumer disputed?", "Complaint ID"]


def bulk_csv(n: int, first_id: int, product: str) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(HEADER)
    for i in range(n):
        w.writerow(["2024-02-03", product, "", "Issue", "", f"Narrative {i}", "", "Bulk Co",
                    "CA", "", "", "", "Web", "2024-02-04", "In progress", "Yes", "N/A",
                    str(first_id + i)])
    return out.getvalue().encode()


class Imports(ApiTestCase):

    def upload_raw(self, data: bytes, query: str = "format=cfpb&filename=excerpt.csv"):
        return self.admin.request("POST", f"/api/v1/imports?{query}", raw=data,
                                  content_type="text/csv")

    def wait_done(self, run_id: int, timeout: float = 90) -> dict:
        deadline = time.monotonic() + timeout
        seen = set()
        while time.monotonic() < deadline:
            r = self.admin.get(f"/api/v1/imports/{run_id}")
            self.assertEqual(r.status, 200, r)
            seen.add(r.body["state"])
            if r.body["state"] in ("done", "failed"):
                r.body["_seen"] = seen
                return r.body
            time.sleep(0.1)
        self.fail(f"import {run_id} did not finish: {r!r}")

    def cfpb_codes(self) -> list:
        return [c["tracking_code"] for c in self.list_all(self.admin, "/api/v1/complaints")
                if c["tracking_code"].startswith("CFPB-")]

    def test_upload_progress_rejects_and_reupload(self):
        with open(FIXTURE, "rb") as f:
            data = f.read()
        total, good, _closed, _disputed, _products = expected_counts(FIXTURE)
        before = len(self.cfpb_codes())

        r = self.upload_raw(data)
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.headers.get("Location"), f"/api/v1/imports/{r.body['id']}")
        self.assertIn(r.body["state"], ("queued", "running", "done"))
        self.assertEqual(r.body["filename"], "excerpt.csv")
        self.assertEqual(r.body["bytes"], len(data))
        run = self.wait_done(r.body["id"])
        self.assertEqual(run["state"], "done", run)
        self.assertEqual((run["rows_read"], run["imported"], run["skipped"], run["rejected"]),
                         (total, good, 0, total - good), run)
        self.assertGreater(run["rows_per_second"], 0)
        self.assertEqual((run["bytes_read"], run["progress"], run["seconds_left"]),
                         (len(data), 1.0, None), run)
        self.assertTrue(run["started_at"] and run["finished_at"], run)
        self.assertEqual(len(self.cfpb_codes()), before + good)

        rej = self.admin.get(f"/api/v1/imports/{run['id']}/rejects")
        self.assertEqual(rej.status, 200, rej)
        self.assertEqual([(x["row"], x["field"]) for x in rej.body["items"]],
                         [(good + 2, "Complaint ID"), (good + 3, "Date received")])
        self.assertTrue(all(x["reason"] for x in rej.body["items"]))
        page = self.admin.get(f"/api/v1/imports/{run['id']}/rejects?limit=1")
        self.assertEqual(len(page.body["items"]), 1)
        rest = self.admin.get(f"/api/v1/imports/{run['id']}/rejects?limit=1&cursor="
                              f"{page.body['next_cursor']}")
        self.assertEqual([x["row"] for x in rest.body["items"]], [good + 3])

        # The same file again, as a browser form would send it: nothing new.
        again = self.admin.upload("/api/v1/imports?format=cfpb",
                                  [("same.csv", "text/csv", data)])
        self.assertEqual(again.status, 202, again)
        self.assertEqual(again.body["filename"], "same.csv")
        run2 = self.wait_done(again.body["id"])
        self.assertEqual((run2["state"], run2["imported"], run2["skipped"], run2["rejected"]),
                         ("done", 0, good, total - good), run2)
        self.assertEqual(len(self.cfpb_codes()), before + good)

    def test_wrong_files_are_refused_at_once(self):
        r = self.upload_raw(b"id,text\n1,hello\n")
        self.assertProblem(r, 422, ["header"])
        r = self.upload_raw(b"", "format=cfpb")
        body = self.assertProblem(r, 422, ["file"])
        self.assertEqual(body["errors"][0]["rule"], "empty_file", body)
        r = self.upload_raw(bulk_csv(1, 700000000, "Wrong format"), "format=xml")
        self.assertProblem(r, 422, ["format"])
        r = self.admin.get("/api/v1/imports/999999")
        self.assertProblem(r, 404)
        r = self.client("supervisor.st").request(
            "POST", "/api/v1/imports", raw=bulk_csv(1, 700000001, "Refused"),
            content_type="text/csv")
        self.assertProblem(r, 403)

    def test_a_run_interrupted_by_a_restart_resumes(self):
        n = 6000
        product = "Resume product"
        data = bulk_csv(n, 600000000, product)
        r = self.upload_raw(data, "format=cfpb&filename=big.csv")
        self.assertEqual(r.status, 202, r)
        run_id = r.body["id"]
        # Stop the server while the import is (most likely) half-way.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            p = self.admin.get(f"/api/v1/imports/{run_id}").body
            if p["rows_read"] > 0 or p["state"] == "done":
                break
            time.sleep(0.05)
        self.server.stop()
        sys.stderr.write(f"\n[test_imports] stopped the server at rows_read={p['rows_read']} "
                         f"of {n} ({p['state']})\n")
        self.server.start()
        self.__class__._clients = {}
        run = self.wait_done(run_id, timeout=120)
        self.assertEqual(run["state"], "done", run)
        self.assertEqual((run["rows_read"], run["imported"], run["skipped"], run["rejected"]),
                         (n, n, 0, 0), run)
        codes = [c for c in self.cfpb_codes() if 600000000 <= int(c[5:]) < 600000000 + n]
        self.assertEqual(len(codes), n)
        self.assertEqual(len(set(codes)), n)


if __name__ == "__main__":
    main()
