"""Two `redress serve` processes on one database behave as one system (issue 6):

- a session opened on one instance works on the other, and logging out on one
  ends it on both (sessions live in the database);
- an idempotency key used on one instance is honoured by the other;
- under load sent to both, every job runs exactly once: each acknowledgement
  mail reaches the customer once, each untouched complaint breaches once (one
  `sla_breached` event, one escalation mail) although both instances run jobs.

On PostgreSQL both instances run jobs and the database's row leases
(FOR UPDATE SKIP LOCKED) share them out; on SQLite the lock file beside the
database elects one runner. The test is the same.
"""

from __future__ import annotations

import concurrent.futures
import time
import unittest
import uuid

from harness import Client, PublicClient, public_body
from test_mail_sla import MailTestCase


class TwoInstances(MailTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.other = cls.server.twin()
        try:
            cls.other.start()
        except BaseException:
            cls.other.cleanup()
            super().tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        cls.other.cleanup()
        super().tearDownClass()

    def test_a_session_from_one_instance_works_on_the_other(self):
        a = Client(self.server, "agent-a")
        self.assertEqual(a.login("agent").status, 200)
        b = Client(self.other, "agent-b")
        b.cookies = dict(a.cookies)
        b.csrf = a.csrf
        me = b.get("/api/v1/auth/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.body["user"]["username"] if "user" in me.body else me.body["username"],
                         "agent")
        self.assertIn(b.post("/api/v1/auth/logout", {}).status, (200, 204))
        self.assertEqual(a.get("/api/v1/auth/me").status, 401, "logged out on both")

    def test_an_idempotency_key_holds_across_instances(self):
        key = str(uuid.uuid4())
        body = public_body()
        first = PublicClient(self.server).post("/api/v1/public/complaints", body,
                                                headers={"Idempotency-Key": key})
        again = PublicClient(self.other).post("/api/v1/public/complaints", body,
                                               headers={"Idempotency-Key": key})
        self.assertEqual((first.status, again.status), (201, 201), (first, again))
        self.assertEqual(first.body["tracking_code"], again.body["tracking_code"])

    def test_every_job_runs_once_under_load_on_both(self):
        r = self.admin.post("/api/v1/sla-policies",
                            {"name": "two seconds", "first_response": "PT2S",
                             "warning_percent": 50})
        self.assertEqual(r.status, 201, r)
        servers = [self.server, self.other]

        def submit(i: int):
            body = public_body(i)
            resp = PublicClient(servers[i % 2]).post("/api/v1/public/complaints", body)
            return resp.status, body["customer"]["email"], resp.body.get("tracking_code")

        with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
            results = list(pool.map(submit, range(40)))
        self.assertEqual([s for s, _e, _c in results], [201] * 40, results)
        codes = {c for _s, _e, c in results}
        addresses = {e for _s, e, _c in results}

        # Every acknowledgement arrives, then nothing more for a while: exactly once.
        for a in addresses:
            self.sink.wait_for(lambda m, a=a: m["X-Sink-Rcpt"] == a, what=f"mail to {a}")
        ids = {code: self.complaint_id_for(code) for code in codes}
        deadline = time.monotonic() + 30
        pending = set(codes)
        while pending and time.monotonic() < deadline:
            pending = {c for c in pending
                       if "sla_breached" not in self.timeline_actions(ids[c])}
            time.sleep(0.3)
        self.assertFalse(pending, "every untouched complaint breaches")
        time.sleep(2.0)  # a second claimer would have delivered its copy by now
        acks = [m for m in self.sink.messages()
                if m["X-Redress-Kind"] == "acknowledgement" and m["X-Sink-Rcpt"] in addresses]
        self.assertEqual(sorted(m["X-Sink-Rcpt"] for m in acks), sorted(addresses),
                         "one acknowledgement per customer")
        for code, cid in ids.items():
            self.assertEqual(self.timeline_actions(cid).count("sla_breached"), 1, code)


if __name__ == "__main__":
    unittest.main()
