"""Webhooks against a real receiver (http.server on loopback, started here):

- administrators subscribe a URL; the signing secret is shown once and never again;
  bad URLs and event types are refused by name;
- a subscriber gets complaint.created, complaint.transitioned and (with a PT3S
  first-response target) complaint.breached events whose Redress-Signature verifies
  (HMAC-SHA256 over "<t>." + body with the secret) and whose ids are unique;
- a receiver that keeps failing is retried, then the delivery is dead in the outbox
  (the admin API's dead letters), carrying the same event id on every attempt.
"""

from __future__ import annotations

import hashlib
import hmac
import http.server
import json
import os
import threading
import time
import unittest

from harness import ApiTestCase

JOB_ENV = {"REDRESS_JOB_POLL_MS": "100", "REDRESS_JOB_BACKOFF_MS": "200",
           "REDRESS_JOB_ATTEMPTS": "3"}


class Receiver:
    """A loopback HTTP server recording every POST; /fail answers 500."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with outer.lock:
                    outer.requests.append({"path": self.path, "headers": dict(self.headers),
                                           "body": body, "at": time.time()})
                status = 500 if self.path.startswith("/fail") else 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, path: str) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"] == path]

    def wait_for(self, path: str, predicate, timeout: float = 20.0, what: str = "a delivery"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [r for r in self.received(path) if predicate(r)]
            if found:
                return found
            time.sleep(0.1)
        raise AssertionError(f"no {what} within {timeout:.0f} s; got "
                             f"{[json.loads(r['body']).get('type') for r in self.received(path)]}")

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def verify(secret: str, request: dict, tolerance: float = 300.0) -> dict:
    """What a receiver does: check the signature and the timestamp, then parse."""
    header = request["headers"]["Redress-Signature"]
    parts = dict(p.split("=", 1) for p in header.split(","))
    t = int(parts["t"])
    expected = hmac.new(secret.encode(), f"{t}.".encode() + request["body"],
                        hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts["v1"]):
        raise AssertionError(f"signature does not verify: {header}")
    if abs(time.time() - t) > tolerance:
        raise AssertionError(f"stale signature timestamp {t}")
    return json.loads(request["body"])


class Webhooks(ApiTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.saved = {k: os.environ.get(k) for k in JOB_ENV}
        os.environ.update(JOB_ENV)
        cls.receiver = Receiver()
        try:
            super().setUpClass()
        except BaseException:
            cls.receiver.close()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.receiver.close()
        for k, v in cls.saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    def subscribe(self, path: str, events: list[str]) -> dict:
        r = self.admin.post("/api/v1/webhooks", {"url": self.receiver.url(path), "events": events,
                                                 "description": "test receiver"})
        self.assertEqual(r.status, 201, r)
        return r.body

    def test_bad_input_is_refused_by_field_and_secrets_stay_hidden(self):
        for body, field in (({"url": "ftp://example.org/", "events": ["complaint.created"]}, "url"),
                            ({"url": "file:///etc/passwd", "events": ["complaint.created"]},
                             "url"),
                            ({"url": "https://example.org/", "events": ["complaint.closed"]},
                             "events"),
                            ({"url": "https://example.org/", "events": []}, "events"),
                            ({"events": ["complaint.created"]}, "url")):
            r = self.admin.post("/api/v1/webhooks", body)
            self.assertEqual(r.status, 422, r)
            self.assertEqual(r.content_type, "application/problem+json")
            self.assertIn(field, {e["field"] for e in r.body["errors"]}, r.body)
        self.assertEqual(self.agent.post("/api/v1/webhooks", {"url": "https://x.org/",
                                                              "events": ["complaint.created"]}
                                         ).status, 403)
        hook = self.subscribe("/quiet", ["complaint.created"])
        self.assertTrue(hook["secret"].startswith("whsec_"), hook)
        listed = self.admin.get("/api/v1/webhooks")
        self.assertEqual(listed.status, 200, listed)
        one = self.admin.get(f"/api/v1/webhooks/{hook['id']}")
        self.assertEqual(one.status, 200, one)
        patched = self.admin.patch(f"/api/v1/webhooks/{hook['id']}", {"active": False})
        self.assertEqual(patched.status, 200, patched)
        self.assertFalse(patched.body["active"])
        for answer in (listed, one, patched):
            self.assertNotIn(hook["secret"], answer.text)
            self.assertNotIn("whsec_", answer.text)
        bad = self.admin.patch(f"/api/v1/webhooks/{hook['id']}", {"url": "gopher://x"})
        self.assertEqual(bad.status, 422, bad)
        self.assertEqual(self.admin.delete(f"/api/v1/webhooks/{hook['id']}").status, 200)
        self.assertEqual(self.admin.get(f"/api/v1/webhooks/{hook['id']}").status, 404)

    def test_signed_created_transitioned_and_breached_events(self):
        hook = self.subscribe("/ok", ["complaint.created", "complaint.transitioned",
                                      "complaint.breached"])
        secret = hook["secret"]
        r = self.admin.post("/api/v1/sla-policies", {"name": "webhook three seconds",
                                                     "first_response": "PT3S"})
        self.assertEqual(r.status, 201, r)
        c = self.submit()
        self.act(self.agent, c["id"], "take", "assessing")

        def of(kind):
            def match(req):
                body = json.loads(req["body"])
                return (body["type"] == kind
                        and body["data"]["complaint"]["tracking_code"] == c["code"])
            return match

        created = self.receiver.wait_for("/ok", of("complaint.created"), what="created")
        moved = self.receiver.wait_for("/ok", of("complaint.transitioned"), what="transitioned")
        breached = self.receiver.wait_for("/ok", of("complaint.breached"), timeout=25,
                                          what="breached")
        events = [verify(secret, req) for req in (created[0], moved[0], breached[0])]
        self.assertEqual(events[0]["data"]["complaint"]["id"], c["id"])
        self.assertEqual(events[0]["data"]["complaint"]["state"], "new")
        self.assertEqual((events[1]["data"]["from_state"], events[1]["data"]["to_state"],
                          events[1]["data"]["action"]), ("new", "assessing", "take"))
        self.assertEqual(events[2]["data"]["sla"]["target"], "PT3S")
        self.assertEqual(events[2]["data"]["sla"]["clock"], "first_response")
        ids = [e["id"] for e in events]
        self.assertEqual(len(set(ids)), 3, ids)
        for req, ev in zip((created[0], moved[0], breached[0]), events):
            self.assertEqual(req["headers"]["Redress-Event-Id"], ev["id"])
            self.assertEqual(req["headers"]["Redress-Event-Type"], ev["type"])
            self.assertEqual(req["headers"]["Content-Type"], "application/json")
        # A tampered body does not verify with the same header.
        forged = dict(created[0], body=created[0]["body"].replace(b'"new"', b'"closed"'))
        with self.assertRaises(AssertionError):
            verify(secret, forged)
        # Delivered once each, and the outbox shows them sent with the event id.
        self.assertEqual(len(self.receiver.wait_for("/ok", of("complaint.created"))), 1)
        deadline = time.monotonic() + 10
        sent = []
        while time.monotonic() < deadline:
            box = self.admin.get("/api/v1/outbox?state=sent&limit=200").body["items"]
            sent = [i for i in box if i["message_id"] in ids]
            if len(sent) == 3:
                break
            time.sleep(0.2)
        self.assertEqual(len(sent), 3, sent)
        self.assertEqual({i["channel"] for i in sent}, {"webhook"})
        self.assertEqual({i["recipient"] for i in sent}, {f"webhook:{hook['id']}"})

    def test_failing_receiver_is_retried_then_dead(self):
        hook = self.subscribe("/fail", ["complaint.created"])
        c = self.submit()

        def ours(req):
            return json.loads(req["body"])["data"]["complaint"]["tracking_code"] == c["code"]

        deadline = time.monotonic() + 25
        dead = []
        while time.monotonic() < deadline and not dead:
            box = self.admin.get("/api/v1/outbox?state=dead&limit=200")
            self.assertEqual(box.status, 200, box)
            dead = [i for i in box.body["items"] if i["recipient"] == f"webhook:{hook['id']}"
                    and i["payload"]["data"]["complaint"]["tracking_code"] == c["code"]]
            time.sleep(0.2)
        self.assertEqual(len(dead), 1, "the delivery is a dead letter")
        self.assertEqual(dead[0]["attempts"], 3, dead[0])  # REDRESS_JOB_ATTEMPTS
        self.assertIn("HTTP 500", dead[0]["last_error"])
        attempts = [r for r in self.receiver.received("/fail") if ours(r)]
        self.assertEqual(len(attempts), 3, "three attempts, then no more")
        self.assertEqual({r["headers"]["Redress-Event-Id"] for r in attempts},
                         {dead[0]["message_id"]}, "every retry carries the same event id")
        gaps = [b["at"] - a["at"] for a, b in zip(attempts, attempts[1:])]
        self.assertTrue(all(g >= 0.15 for g in gaps), f"retries back off: {gaps}")
        self.assertGreaterEqual(self.admin.get("/api/v1/outbox").body["counts"]["dead"], 1)
        self.admin.delete(f"/api/v1/webhooks/{hook['id']}")


if __name__ == "__main__":
    unittest.main()
