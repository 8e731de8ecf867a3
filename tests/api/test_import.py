"""`redress import --format cfpb`: every row lands once, counts match the CSV,
re-imports create nothing, bad rows are reported with their reasons."""

import csv
import datetime
import os
import sqlite3
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import main, run_cli_exact  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "cfpb-excerpt.csv")
SHARED = os.path.join(HERE, "..", "..", "..", "shared", "data")


def parses_as_date(text):
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            datetime.datetime.strptime(text, fmt)
            return True
        except ValueError:
            pass
    return False


def expected_counts(path):
    """Counts computed from the CSV itself, independently of the importer."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    good = [r for r in rows
            if r.get("Complaint ID", "").isdigit() and parses_as_date(r["Date received"])]
    response = "Company response to consumer" if "Company response to consumer" in rows[0] else "Company response"
    closed = sum(1 for r in good if r[response].startswith("Closed"))
    disputed = sum(1 for r in good if r.get("Consumer disputed?") == "Yes")
    products = {r["Product"] for r in good}
    return len(rows), len(good), closed, disputed, products


class Import(unittest.TestCase):

    def setUp(self):
        self.dir = tempfile.TemporaryDirectory(prefix="redress-import-")
        self.db = os.path.join(self.dir.name, "r.db")
        r = run_cli_exact("init", "--database", self.db, "--admin-user", "admin",
                          "--admin-password", "password1")
        self.assertEqual(r.returncode, 0, r.stderr)

    def tearDown(self):
        self.dir.cleanup()

    def import_file(self, path, *extra):
        r = run_cli_exact("import", "--database", self.db, "--format", "cfpb", path, *extra,
                          timeout=600)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def check_counts(self, path, rejected_rows):
        total, good, closed, disputed, products = expected_counts(path)
        out = self.import_file(path)
        self.assertIn(f"imported {good} complaints from {total} rows (0 already imported, "
                      f"{rejected_rows} rejected)", out)
        db = sqlite3.connect(self.db)
        self.assertEqual(db.execute("select count(*) from complaints").fetchone()[0], good)
        self.assertEqual(db.execute("select count(*) from complaints where state='closed'").fetchone()[0], closed)
        self.assertEqual(db.execute("select count(*) from complaints where reopen_count=1").fetchone()[0], disputed)
        names = {n for (n,) in db.execute("select name from categories where parent_code is null")}
        self.assertEqual(names, products)
        self.assertEqual(db.execute("select count(*) from events where action='imported'").fetchone()[0], good)
        # Every category and department the import created is in the change log, once,
        # marked as made by an import.
        logged = db.execute("select entity, entity_key, actor_id, after_json from admin_changes "
                            "where after_json like '%\"via\":\"import\"%'").fetchall()
        codes = {k for (k,) in db.execute("select code from categories where code like 'cfpb.%'")}
        self.assertTrue(codes)
        self.assertEqual(sorted(k for (e, k, _, _) in logged if e == "category"), sorted(codes))
        dept_ids = {str(i) for (i,) in db.execute("select id from departments where code like 'org.%'")}
        self.assertTrue(dept_ids)
        self.assertEqual(sorted(k for (e, k, _, _) in logged if e == "department"), sorted(dept_ids))
        db.close()
        again = self.import_file(path)
        self.assertIn(f"imported 0 complaints from {total} rows ({good} already imported", again)
        r = run_cli_exact("audit", "verify", "--database", self.db)
        self.assertEqual(r.returncode, 0, r.stdout)

    def test_fixture_counts_rejects_and_reimport(self):
        self.check_counts(FIXTURE, rejected_rows=2)
        good_rows = expected_counts(FIXTURE)[1]
        rejects = os.path.join(self.dir.name, "rejects.csv")
        self.import_file(FIXTURE, "--rejects", rejects)
        with open(rejects, newline="") as f:
            rows = list(csv.DictReader(f))
        self.assertEqual([r["field"] for r in rows], ["Complaint ID", "Date received"])
        self.assertEqual([r["row"] for r in rows], [str(good_rows + 2), str(good_rows + 3)])  # the header is row 1

    def test_narratives_keep_their_newlines(self):
        self.import_file(FIXTURE)
        db = sqlite3.connect(self.db)
        n = db.execute("select count(*) from complaints where description like '%' || char(10) || '%'").fetchone()[0]
        self.assertGreaterEqual(n, 3)

    def test_shared_current_sample(self):
        path = os.path.join(SHARED, "cfpb-complaints-sample.csv")
        if not os.path.exists(path):
            self.skipTest(f"shared data absent: {path}")
        self.check_counts(path, rejected_rows=0)

    def test_shared_legacy_sample(self):
        path = os.path.join(SHARED, "cfpb-legacy-2014-sample.csv")
        if not os.path.exists(path):
            self.skipTest(f"shared data absent: {path}")
        self.check_counts(path, rejected_rows=0)

    def test_redress_format_rejects_rows_with_their_numbers(self):
        path = os.path.join(self.dir.name, "redress.csv")
        rows = [
            ["tracking_code", "received_at", "subject", "description", "state",
             "satisfaction_score", "tags"],
            ["RT-1", "2025-01-02T03:04:05.000Z", "Good one", "", "closed", "5", "a; b"],   # 2
            ["", "2025-01-02", "No code", "", "new", "", ""],                              # 3
            ["RT-3", "2025-01-02", "Bad state", "", "flying", "", ""],                     # 4
            ["RT-4", "yesterday", "Bad time", "", "", "", ""],                             # 5
            ["RT-5", "2025-01-02", "Bad score", "", "", "9", ""],                          # 6
            ["RT-6", "2025-01-02", "", "", "", "", ""],                                    # 7
            ["RT-7", "2025-01-02", "Short row"],                                           # 8
            ["RT-8", "2025-01-03", "'=guarded", "multi\nline, \"quoted\"", "", "", ""],    # 9
        ]
        with open(path, "w", newline="", encoding="utf-8") as f:
            csv.writer(f).writerows(rows)
        rejects = os.path.join(self.dir.name, "rejects.csv")
        r = run_cli_exact("import", "--database", self.db, "--format", "redress", path,
                          "--rejects", rejects)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("imported 2 complaints from 8 rows (0 already imported, 6 rejected)",
                      r.stdout)
        with open(rejects, newline="") as f:
            got = [(int(x["row"]), x["field"]) for x in csv.DictReader(f)]
        self.assertEqual(got, [(3, "tracking_code"), (4, "state"), (5, "received_at"),
                               (6, "satisfaction_score"), (7, "description"), (8, "row")])
        db = sqlite3.connect(self.db)
        found = dict(db.execute("select tracking_code, subject from complaints"))
        self.assertEqual(found, {"RT-1": "Good one", "RT-8": "=guarded"})
        self.assertEqual(db.execute("select state, satisfaction_score, tags from complaints "
                                    "where tracking_code='RT-1'").fetchone(),
                         ("closed", 5, '["a","b"]'))
        db.close()
        r = run_cli_exact("import", "--database", self.db, "--format", "redress",
                          FIXTURE)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not a Redress export", r.stderr)

    def test_not_a_cfpb_file(self):
        other = os.path.join(self.dir.name, "other.csv")
        with open(other, "w") as f:
            f.write("id,text\n1,hello\n")
        r = run_cli_exact("import", "--database", self.db, "--format", "cfpb", other)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("not a CFPB export", r.stderr)


if __name__ == "__main__":
    main()
