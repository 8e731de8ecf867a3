"""The scheduled management review (issue 5 item 4): `redress serve` keeps one
`review.mail` job pending (06:00 UTC on 1 January and 1 July by default); when
it comes due, every active director receives the review of the six full
months before, as a PDF in the director's language, through the real SMTP
sink, and the next mailing is queued. Time passing is simulated by moving the
pending job's due time, as a database operator would see it happen."""

import datetime
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import PG_URL  # noqa: E402
from test_mail_sla import MailTestCase, body_text  # noqa: E402

HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None
DAY_MS = 86_400_000


def epoch_ms(text: str) -> int:
    dt = datetime.datetime.fromisoformat(text).replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp() * 1000)


class ReviewMailCase(MailTestCase):
    """A mail test case that also reads and writes the server's database."""

    def query(self, statement: str, params: tuple = ()) -> list:
        """Rows of a statement on the server's own database (SQLite file or PostgreSQL)."""
        if PG_URL:
            for p in params:  # psql has no parameters: the test's own integers only
                statement = statement.replace("?", str(int(p)), 1)
            out = self.server.sql(statement).stdout.strip()
            return [tuple(line.split("|")) for line in out.splitlines() if line]
        con = sqlite3.connect(self.server.db, timeout=30, isolation_level=None)
        try:
            return [tuple(str(v) for v in row) for row in con.execute(statement, params)]
        finally:
            con.close()

    def pending_jobs(self) -> list:
        return [(int(i), int(due)) for i, due in self.query(
            "SELECT id, due_at FROM jobs WHERE kind = 'review.mail' AND state = 'pending'")]

    def set_director_language(self, language: str) -> None:
        self.query("UPDATE users SET language = '" + language + "' WHERE username = 'director'")


class ScheduledReview(ReviewMailCase):

    def test_the_due_review_reaches_each_director_as_a_pdf(self):
        # The schedule exists from the start: one job, at 06:00 UTC on 1 January or 1 July.
        jobs = self.pending_jobs()
        self.assertEqual(len(jobs), 1, jobs)
        due = datetime.datetime.fromtimestamp(jobs[0][1] / 1000, datetime.timezone.utc)
        self.assertEqual((due.day, due.hour, due.minute), (1, 6, 0), due)
        self.assertIn(due.month, (1, 7))
        self.assertGreater(due, datetime.datetime.now(datetime.timezone.utc))

        # The director reads Vietnamese; the job falls due as if on 1 July 2026.
        self.set_director_language("vi")
        self.query("UPDATE jobs SET due_at = ? WHERE id = ?",
                   (epoch_ms("2026-07-01T06:00:00"), jobs[0][0]))
        mails = self.sink.wait_for(lambda m: m["X-Redress-Kind"] == "management_review",
                                   timeout=60, what="the management review mail")
        self.assertEqual(len(mails), 1, "one director, one mail")
        m = mails[0]
        self.assertEqual(m["X-Sink-Rcpt"], "director@staff.redress.example")
        subject = str(m["Subject"])
        self.assertIn("Báo cáo xem xét của lãnh đạo", subject)
        self.assertIn("2026-01-01", subject)  # the six full months before July
        self.assertIn("2026-07-01", subject)
        text = body_text(m)
        self.assertIn("/api/v1/reports/management-review?from=2026-01-01&to=2026-07-01"
                      "&format=pdf&lang=vi", text)
        files = [p for p in m.iter_attachments()]
        self.assertEqual(len(files), 1, [p.get_filename() for p in files])
        pdf = files[0]
        self.assertEqual(pdf.get_content_type(), "application/pdf")
        self.assertEqual(pdf.get_filename(), "management-review-2026-01-01-2026-07-01-vi.pdf")
        data = pdf.get_content()
        self.assertTrue(data.startswith(b"%PDF-"), data[:16])
        if HAVE_PDFTOTEXT:
            with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
                f.write(data)
                f.flush()
                words = subprocess.run(["pdftotext", f.name, "-"], capture_output=True,
                                       text=True, check=True).stdout
            self.assertIn("Báo cáo xem xét của lãnh đạo", words)

        # The next mailing is queued for 1 January 2027 (the first date after now
        # whose month starts a six-month cycle) and nothing else is left pending.
        later = self.pending_jobs()
        self.assertEqual(len(later), 1, later)
        self.assertNotEqual(later[0][0], jobs[0][0])
        self.assertEqual(later[0][1], jobs[0][1])
        box = self.outbox(limit=500)
        rows = [i for i in box["items"] if i["kind"] == "management_review"]
        self.assertEqual(len(rows), 1, rows)
        self.assertEqual(rows[0]["payload"]["period_from"], "2026-01-01")
        self.assertEqual(rows[0]["payload"]["period_to"], "2026-07-01")


class ReviewScheduleOff(ReviewMailCase):
    """--review-every-months 0 (here through its environment variable) turns it off."""

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["REDRESS_REVIEW_EVERY_MONTHS"] = "0"
        try:
            super().setUpClass()
        finally:
            os.environ.pop("REDRESS_REVIEW_EVERY_MONTHS", None)

    def test_no_mailing_is_scheduled(self):
        r = self.admin.get("/api/v1/outbox?limit=500")
        self.assertEqual(r.status, 200, r)
        self.assertFalse([i for i in r.body["items"] if i["kind"] == "management_review"])
        self.assertEqual(self.pending_jobs(), [])


if __name__ == "__main__":
    unittest.main()
