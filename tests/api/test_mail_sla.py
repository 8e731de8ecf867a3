"""E-mail out and SLA escalation against a real SMTP server (python3-aiosmtpd
from Debian, started here on loopback):

- a portal submission produces an acknowledgement mail in the customer's
  language, with a Message-ID and a tracking link;
- with a PT3S first-response target, an untouched complaint produces a breach
  event, an escalation mail to the department's supervisor and a `delay`
  accountability entry;
- with no SMTP server configured mail stays queued (and the admin API says so);
  killing the server (SIGKILL) before delivery and restarting it with SMTP
  delivers each mail exactly once.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import os
import shutil
import subprocess
import tempfile
import time
import unittest

from harness import ApiTestCase, Server, PublicClient, free_port, public_body

DEBIAN_PYTHON = "/usr/bin/python3"
HERE = os.path.dirname(os.path.abspath(__file__))
BASE_URL = "https://complaints.example.org"
MAIL_ENV = ("REDRESS_SMTP_URL", "REDRESS_MAIL_FROM", "REDRESS_BASE_URL",
            "REDRESS_JOB_POLL_MS", "REDRESS_JOB_BACKOFF_MS", "REDRESS_SMTP_TLS")


class SmtpSink:
    """python3-aiosmtpd on a free loopback port, storing messages as files."""

    def __init__(self) -> None:
        self.dir = tempfile.mkdtemp(prefix="redress-smtp-")
        self.port = free_port()
        self.proc = subprocess.Popen([DEBIAN_PYTHON, os.path.join(HERE, "smtp_sink.py"),
                                      str(self.port), self.dir],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.proc.stdout.readline()
        if "ready" not in line:
            raise RuntimeError(f"the SMTP sink did not start: {line}{self.proc.stdout.read()}")

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list:
        out = []
        for name in sorted(os.listdir(self.dir)):
            if name.endswith(".eml"):
                with open(os.path.join(self.dir, name), "rb") as f:
                    out.append(email.message_from_bytes(f.read(), policy=email.policy.default))
        return out

    def wait_for(self, predicate, timeout: float = 20.0, what: str = "a mail") -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [m for m in self.messages() if predicate(m)]
            if found:
                return found
            time.sleep(0.2)
        seen = [(m["X-Sink-Rcpt"], str(m["Subject"])) for m in self.messages()]
        raise AssertionError(f"no {what} within {timeout:.0f} s; the sink holds {seen}")

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait()
        self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def body_text(m) -> str:
    return m.get_body(preferencelist=("plain",)).get_content()


def set_mail_env(sink: SmtpSink | None) -> None:
    for k in MAIL_ENV:
        os.environ.pop(k, None)
    os.environ["REDRESS_JOB_POLL_MS"] = "100"
    os.environ["REDRESS_JOB_BACKOFF_MS"] = "500"
    if sink is not None:
        os.environ["REDRESS_SMTP_URL"] = sink.url
        os.environ["REDRESS_SMTP_TLS"] = "none"
        os.environ["REDRESS_MAIL_FROM"] = "Redress <complaints@example.org>"
        os.environ["REDRESS_BASE_URL"] = BASE_URL


class MailTestCase(ApiTestCase):
    """A demo server whose mail goes to a fresh SMTP sink."""

    with_smtp = True

    @classmethod
    def setUpClass(cls) -> None:
        cls.sink = SmtpSink() if cls.with_smtp else None
        set_mail_env(cls.sink)
        try:
            super().setUpClass()
        except BaseException:
            if cls.sink:
                cls.sink.close()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        if cls.sink:
            cls.sink.close()
        set_mail_env(None)

    def outbox(self, **query) -> dict:
        qs = "&".join(f"{k}={v}" for k, v in query.items())
        r = self.admin.get("/api/v1/outbox" + (f"?{qs}" if qs else ""))
        self.assertEqual(r.status, 200, r)
        return r.body

    def timeline_actions(self, cid: int) -> list:
        r = self.agent.get(f"/api/v1/complaints/{cid}/timeline")
        self.assertEqual(r.status, 200, r)
        items = r.body["items"] if isinstance(r.body, dict) else r.body
        return [e["action"] for e in items]


class AcknowledgementMail(MailTestCase):
    def test_portal_submission_sends_the_acknowledgement_in_the_customers_language(self):
        cases = {"fr": "réclamation", "zh-Hans": "受理回执", "vi": "tiếp nhận", "es": "queja"}
        sent = {}
        for lang in cases:
            body = public_body()
            body["customer"]["language"] = lang
            r = self.public.post("/api/v1/public/complaints", body)
            self.assertEqual(r.status, 201, r)
            sent[lang] = (body["customer"]["email"], r.body["tracking_code"],
                          r.body["access_token"])
        for lang, (address, code, token) in sent.items():
            mails = self.sink.wait_for(lambda m, a=address: m["X-Sink-Rcpt"] == a,
                                       what=f"acknowledgement to {address}")
            self.assertEqual(len(mails), 1, f"{lang}: exactly one acknowledgement")
            m = mails[0]
            subject = str(m["Subject"])
            self.assertIn(cases[lang], subject, f"{lang}: {subject}")
            self.assertIn(code, subject)
            self.assertTrue(m["Message-ID"], "a Message-ID header")
            self.assertEqual(m["X-Redress-Kind"], "acknowledgement")
            self.assertEqual(m.get_content_charset(), "utf-8")
            text = body_text(m)
            self.assertIn(f"{BASE_URL}/track/{code}#token={token}", text)
        # The admin API shows them sent, and never the portal token.
        box = self.outbox(state="sent", limit=200)
        self.assertTrue(box["smtp"]["configured"], box["smtp"])
        self.assertNotIn("password", str(box["smtp"]).lower())
        codes = {code for (_a, code, _t) in sent.values()}
        rows = [i for i in box["items"] if i["payload"].get("tracking_code") in codes]
        self.assertEqual(len(rows), len(codes), box)
        for row in rows:
            self.assertTrue(row["message_id"].startswith("<outbox-"), row)
            self.assertNotIn("access_token", row["payload"])
        for (_a, _c, token) in sent.values():
            self.assertNotIn(token, str(self.outbox(limit=500)))

    def test_assignment_mail_reaches_the_new_person_in_charge(self):
        c = self.submit()
        self.act(self.agent, c["id"], "take", "assessing")
        self.act(self.agent, c["id"], "accept", "assigned", category="delivery_delay",
                 urgency="general", difficulty="simple",
                 department_id=self.department_id("storage_transport"),
                 assignee_id=self.user_id("handler.st"))
        mails = self.sink.wait_for(
            lambda m: m["X-Redress-Kind"] == "assignment"
            and m["X-Redress-Tracking-Code"] == c["code"], what="assignment mail")
        self.assertEqual(mails[0]["X-Sink-Rcpt"], "handler.st@staff.redress.example")
        self.assertIn(f"{BASE_URL}/complaints/{c['id']}", body_text(mails[0]))

    def test_outbox_filter_is_validated_and_admin_only(self):
        self.assertEqual(self.admin.get("/api/v1/outbox?state=lost").status, 422)
        self.assertEqual(self.agent.get("/api/v1/outbox").status, 403)


class FirstResponseBreach(MailTestCase):
    def test_untouched_complaint_breaches_escalates_and_records_accountability(self):
        r = self.admin.post("/api/v1/sla-policies",
                            {"name": "three seconds", "first_response": "PT3S",
                             "warning_percent": 50})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["first_response"], "PT3S")
        bad = self.admin.post("/api/v1/sla-policies", {"name": "bad", "first_response": "P1M"})
        self.assertEqual(bad.status, 422, bad)
        self.assertEqual(self.agent.post("/api/v1/sla-policies", {"name": "x"}).status, 403)
        self.assertEqual(self.agent.get("/api/v1/sla-policies").status, 200)

        c = self.submit()
        cid = c["id"]
        st = self.department_id("storage_transport")
        self.act(self.agent, cid, "take", "assessing")
        self.act(self.agent, cid, "accept", "assigned", category="delivery_delay",
                 urgency="general", difficulty="simple", department_id=st)
        clocks = self.agent.get(f"/api/v1/complaints/{cid}/sla")
        self.assertEqual(clocks.status, 200, clocks)
        fr = [k for k in clocks.body["items"] if k["kind"] == "first_response"]
        self.assertEqual(len(fr), 1, clocks.body)
        self.assertEqual(fr[0]["target"], "PT3S")

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "sla_breached" not in self.timeline_actions(cid):
            time.sleep(0.2)
        actions = self.timeline_actions(cid)
        self.assertEqual(actions.count("sla_breached"), 1, actions)
        self.assertIn("escalated", actions)
        acc = self.agent.get(f"/api/v1/complaints/{cid}/accountability")
        self.assertEqual(acc.status, 200, acc)
        items = acc.body["items"] if isinstance(acc.body, dict) else acc.body
        delays = [e for e in items if e.get("kind") == "delay"]
        self.assertEqual(len(delays), 1, items)
        self.assertIn("Storage", delays[0]["subject"])
        mails = self.sink.wait_for(
            lambda m: m["X-Redress-Kind"] == "escalation"
            and m["X-Redress-Tracking-Code"] == c["code"]
            and m["X-Sink-Rcpt"] == "supervisor.st@staff.redress.example",
            what="escalation mail to supervisor.st")
        self.assertEqual(len(mails), 1)
        self.assertIn(c["code"], str(mails[0]["Subject"]))
        self.assertIn("PT3S", body_text(mails[0]))
        status = self.agent.get(f"/api/v1/complaints/{cid}/sla").body["items"]
        self.assertIn(status[0]["status"], ("breached",), status)
        self.assertGreaterEqual(self.get_complaint(cid)["escalation_level"], 1)

    def test_calendars(self):
        r = self.admin.post("/api/v1/calendars", {
            "name": "Paris office", "time_zone": "Europe/Paris",
            "working_hours": {"monday": ["09:00-12:00", "13:00-17:00"],
                              "friday": ["09:00-16:00"]},
            "holidays": ["2026-12-25"]})
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["working_hours"]["monday"], ["09:00-12:00", "13:00-17:00"])
        for body, field in (({"name": "Nowhere", "time_zone": "Mars/Olympus",
                               "working_hours": {"monday": ["09:00-17:00"]}}, "time_zone"),
                             ({"name": "Backwards", "time_zone": "UTC",
                               "working_hours": {"monday": ["17:00-09:00"]}},
                              "working_hours.monday")):
            bad = self.admin.post("/api/v1/calendars", body)
            self.assertEqual(bad.status, 422, bad)
            self.assertIn(field, {e["field"] for e in bad.body["errors"]}, bad.body)
        p = self.admin.post("/api/v1/sla-policies", {"name": "urgent office", "urgency": "urgent",
                                                     "first_response": "PT1H",
                                                     "calendar_id": r.body["id"]})
        self.assertEqual(p.status, 201, p)
        listed = self.agent.get("/api/v1/calendars")
        self.assertIn("Paris office", [c["name"] for c in listed.body["items"]])


class QueuedWithoutSmtpThenCrash(MailTestCase):
    with_smtp = False

    def test_mail_waits_for_smtp_and_survives_sigkill_exactly_once(self):
        box = self.outbox()
        self.assertFalse(box["smtp"]["configured"])
        self.assertIn("no SMTP", box["delivery"])
        subs = [self.submit() for _ in range(3)]
        addresses = {s["body"]["customer"]["email"] for s in subs}
        pending = self.outbox(state="pending", limit=500)["items"]
        self.assertTrue(addresses <= {i["recipient"] for i in pending}, pending)

        # Committed, not delivered: kill the server without a chance to clean up.
        self.server.proc.kill()
        self.server.proc.wait()
        self.server.proc = None
        sink = SmtpSink()
        try:
            set_mail_env(sink)
            self.server.start()
            for a in addresses:
                sink.wait_for(lambda m, a=a: m["X-Sink-Rcpt"] == a, what=f"mail to {a}")
            # Let the runner finish everything queued, then count.
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and self.outbox()["counts"]["pending"] > 0:
                time.sleep(0.2)
            time.sleep(1.0)
            for a in addresses:
                got = [m for m in sink.messages() if m["X-Sink-Rcpt"] == a]
                self.assertEqual(len(got), 1, f"{a}: {[str(m['Subject']) for m in got]}")
            ids = [m["Message-ID"] for m in sink.messages()]
            self.assertEqual(len(ids), len(set(ids)), "no Message-ID delivered twice")
            self.assertEqual(self.outbox()["counts"]["pending"], 0)
        finally:
            sink.close()


if __name__ == "__main__":
    unittest.main()
