"""The command line as docs/api-contract.md writes it."""

import os
import re
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import main, run_cli_exact  # noqa: E402


class CommandLine(unittest.TestCase):

    def test_contract_argument_order(self):
        with tempfile.TemporaryDirectory(prefix="redress-cli-") as d:
            db = os.path.join(d, "redress.db")
            r = run_cli_exact("demo", "--database", db)
            self.assertEqual(r.returncode, 0, f"redress demo --database PATH: {r.stdout}{r.stderr}")
            self.assertTrue(os.path.exists(db))
            r = run_cli_exact("demo", "--database", db)
            self.assertNotEqual(r.returncode, 0, "a second demo load must be refused")
            r = run_cli_exact("audit", "verify", "--database", db)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertRegex(r.stdout, r"audit chain intact: \d+ events")
            r = run_cli_exact("user", "list", "--database", db)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("handler.st", r.stdout)

    def test_demo_with_model_trains_from_what_the_demo_agent_classified(self):
        with tempfile.TemporaryDirectory(prefix="redress-cli-") as d:
            db = os.path.join(d, "redress.db")
            r = run_cli_exact("demo", "--with-model", "--database", db)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            m = re.search(r"triage model version (\d+) trained on (\d+) classified", r.stdout)
            self.assertIsNotNone(m, r.stdout)
            self.assertEqual(int(m.group(1)), 1)
            self.assertGreaterEqual(int(m.group(2)), 10)
            # the next training is the next version of the same store
            r = run_cli_exact("triage", "train", "--database", db)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.assertIn("triage model version 2", r.stdout)

    def test_missing_database_is_an_error(self):
        with tempfile.TemporaryDirectory(prefix="redress-cli-") as d:
            r = run_cli_exact("audit", "verify", "--database", os.path.join(d, "nope", "x.db"))
            self.assertNotEqual(r.returncode, 0)


if __name__ == "__main__":
    main()
