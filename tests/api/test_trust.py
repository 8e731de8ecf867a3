"""Hardening and personal data (issue 8, parts 5 and 6; docs/security.md):

- security headers on every response, error answers included;
- sessions: a new id at log-in (fixation), idle expiry, log out everywhere,
  an administrator ends a user's sessions, a password change ends them;
- log-in lockout after repeated failures, kept in the database (a second
  instance on the same database sees it);
- portal rate limits per address and per tracking code (429 + Retry-After);
- uploads: checked by content, counted, served as attachments;
- request head and body limits, slow-client timeouts;
- erasure of a customer's personal data: API and CLI, the statistics stay, the
  audit chain still verifies.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (PG_URL, PROBLEM_JSON, ApiTestCase, Client, PublicClient, Server,  # noqa: E402
                     public_body, raw_request, run_cli)

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def raw_exchange(port: int, data: bytes, wait: float = 5.0) -> bytes:
    """Sends bytes on a fresh connection and reads until the server closes or `wait` ends."""
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        s.sendall(data)
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            out += chunk
        return out
    finally:
        s.close()


class SecurityHeaders(ApiTestCase):

    def assertHardened(self, headers, what: str) -> None:
        csp = headers.get("Content-Security-Policy") or ""
        self.assertIn("frame-ancestors 'none'", csp, what)
        self.assertIn("default-src 'self'", csp, what)
        self.assertNotIn("unsafe-inline", csp, what)
        self.assertNotIn("unsafe-eval", csp, what)
        self.assertEqual(headers.get("X-Content-Type-Options"), "nosniff", what)
        self.assertEqual(headers.get("Referrer-Policy"), "no-referrer", what)
        self.assertEqual(headers.get("X-Frame-Options"), "DENY", what)

    def test_every_kind_of_answer_carries_the_headers(self):
        anonymous = Client(self.server)
        answers = {
            "200 health": anonymous.get("/healthz"),
            "200 API": self.agent.get("/api/v1/complaints?limit=1"),
            "201 portal": self.public.post("/api/v1/public/complaints", public_body()),
            "401": anonymous.get("/api/v1/complaints"),
            "403 csrf": self.agent.post("/api/v1/complaints", public_body(), csrf=False),
            "404": anonymous.get("/api/v1/no-such-thing"),
            "405": anonymous.request("DELETE", "/healthz"),
            "400 body": anonymous.post("/api/v1/auth/login", raw=b"{not json"),
            "422": self.public.post("/api/v1/public/complaints", {"description": ""}),
        }
        for what, r in answers.items():
            self.assertHardened(r.headers, what)
        self.assertEqual(answers["401"].content_type, PROBLEM_JSON)

        # Answers the server gives before any route runs: 431 and 413.
        big = raw_exchange(self.server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " +
                           b"a" * 20000 + b"\r\n\r\n")
        self.assertIn(b" 431 ", big.split(b"\r\n")[0])
        self.assertIn(b"frame-ancestors 'none'", big)
        too_long = raw_request(self.server.port, "POST", "/api/v1/public/complaints",
                               {"Content-Type": "application/json"}, b"x" * (2 << 20))
        self.assertEqual(too_long.status, 413, too_long)
        self.assertHardened(too_long.headers, "413")

    def test_attachments_are_served_as_downloads(self):
        cid = self.submit()["id"]
        up = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                               [("photo.png", "image/png", PNG)])
        self.assertEqual(up.status, 201, up)
        aid = up.body["items"][0]["id"]
        r = self.agent.get(f"/api/v1/complaints/{cid}/attachments/{aid}")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.raw, PNG)
        self.assertTrue(r.headers["Content-Disposition"].startswith("attachment;"), r.headers)
        self.assertHardened(r.headers, "download")


class Uploads(ApiTestCase):

    def test_type_is_decided_by_content_not_by_the_client(self):
        cid = self.submit()["id"]
        html = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>\n"
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("photo.png", "image/png", html)])
        self.assertProblem(r, 415, fields=["file"])
        elf = b"\x7fELF\x02\x01\x01" + b"\x00" * 57
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("report.pdf", "application/pdf", elf)])
        self.assertProblem(r, 415, fields=["file"])
        self.assertEqual(self.agent.get(f"/api/v1/complaints/{cid}/attachments").body["items"], [])

    def test_files_per_request_and_per_complaint_are_counted(self):
        cid = self.submit()["id"]
        eleven = [(f"n{i}.txt", "text/plain", f"note {i}\n".encode()) for i in range(11)]
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments", eleven)
        self.assertProblem(r, 422, fields=["file"])
        self.assertIn("at most 10", r.body["errors"][0]["message"])
        for batch in range(5):
            r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                                  [(f"b{batch}-{i}.txt", "text/plain",
                                    f"note {batch} {i}\n".encode()) for i in range(10)])
            self.assertEqual(r.status, 201, r)
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("one-more.txt", "text/plain", b"one more\n")])
        self.assertProblem(r, 422, fields=["file"])
        self.assertIn("at most 50", r.body["errors"][0]["message"])


class Sessions(ApiTestCase):

    def new_user(self, roles=("agent",)) -> tuple[str, str, int]:
        name = "u" + uuid.uuid4().hex[:10]
        password = "pw-" + uuid.uuid4().hex[:12]
        r = self.admin.post("/api/v1/users", {"username": name, "password": password,
                                              "display_name": name, "roles": list(roles)})
        self.assertEqual(r.status, 201, r)
        return name, password, r.body["id"]

    def login(self, name: str, password: str) -> Client:
        c = Client(self.server, name)
        r = c.login(name, password)
        self.assertEqual(r.status, 200, r)
        return c

    def test_login_issues_a_new_session_and_drops_the_one_sent(self):
        name, password, _ = self.new_user()
        c = self.login(name, password)
        planted = c.cookies["redress_session"]
        r = c.login(name, password)  # the browser still sends the old cookie
        self.assertEqual(r.status, 200, r)
        fresh = c.cookies["redress_session"]
        self.assertNotEqual(planted, fresh)
        old = Client(self.server)
        old.cookies["redress_session"] = planted
        self.assertProblem(old.get("/api/v1/auth/me"), 401)
        self.assertEqual(c.get("/api/v1/auth/me").status, 200)
        cookie = r.headers["Set-Cookie"]
        for attribute in ("HttpOnly", "SameSite=Strict", "Path=/"):
            self.assertIn(attribute, cookie)

    def test_logout_everywhere_ends_every_session_of_the_caller(self):
        name, password, _ = self.new_user()
        laptop, phone = self.login(name, password), self.login(name, password)
        other = self.login(*self.new_user()[:2])
        r = laptop.post("/api/v1/auth/logout-everywhere")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["sessions_ended"], 2)
        self.assertProblem(phone.get("/api/v1/auth/me"), 401)
        self.assertProblem(laptop.get("/api/v1/auth/me"), 401)
        self.assertEqual(other.get("/api/v1/auth/me").status, 200)

    def test_an_administrator_ends_a_users_sessions_others_may_not(self):
        name, password, uid = self.new_user()
        c = self.login(name, password)
        self.assertProblem(self.agent.post(f"/api/v1/users/{uid}/revoke-sessions"), 403)
        self.assertEqual(c.get("/api/v1/auth/me").status, 200)
        r = self.admin.post(f"/api/v1/users/{uid}/revoke-sessions")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["sessions_ended"], 1)
        self.assertProblem(c.get("/api/v1/auth/me"), 401)
        self.assertProblem(self.admin.post("/api/v1/users/999999/revoke-sessions"), 404)

    def test_a_password_change_ends_the_sessions(self):
        name, password, _ = self.new_user()
        a, b = self.login(name, password), self.login(name, password)
        r = a.post("/api/v1/auth/password", {"current_password": "wrong-password",
                                             "new_password": "a-new-password"})
        self.assertProblem(r, 401)
        self.assertEqual(b.get("/api/v1/auth/me").status, 200)
        r = a.post("/api/v1/auth/password", {"current_password": password, "new_password": "short"})
        self.assertProblem(r, 422, fields=["new_password"])
        r = a.post("/api/v1/auth/password", {"current_password": password,
                                             "new_password": "a-new-password"})
        self.assertEqual(r.status, 200, r)
        self.assertProblem(b.get("/api/v1/auth/me"), 401)
        self.assertProblem(Client(self.server).login(name, password), 401)
        self.login(name, "a-new-password")

    def test_lockout_after_five_failures_is_shared_by_instances(self):
        name, password, _ = self.new_user()
        c = Client(self.server)
        for i in range(5):
            r = c.login(name, f"wrong-{i}")
            self.assertProblem(r, 401)
        self.assertIn("locked", r.body["detail"])
        r = c.login(name, password)  # the right password no longer helps
        body = self.assertProblem(r, 429)
        self.assertIn("locked after 5 failed log-ins", body["detail"])
        self.assertIn("try again in", body["detail"])
        # Another user is not affected.
        self.login(*self.new_user()[:2])
        # A second instance on the same database refuses too.
        second = Server()
        try:
            second.db = self.server.db
            second.start()
            r = Client(second).login(name, password)
            self.assertProblem(r, 429, msg="second instance")
        finally:
            second.cleanup()


class IdleSessions(ApiTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(args=["--session-idle-seconds", "5"])
        cls.server.load_demo()
        cls.server.start()
        cls._clients, cls._ids = {}, {}
        cls.public = PublicClient(cls.server, "customer")

    def test_an_idle_session_expires(self):
        c = Client(self.server)
        self.assertEqual(c.login("agent").status, 200)
        self.assertEqual(c.get("/api/v1/auth/me").status, 200)
        time.sleep(6)
        r = c.get("/api/v1/auth/me")
        self.assertProblem(r, 401)
        self.assertIn("expired", r.body["detail"])
        self.assertEqual(c.login("agent").status, 200)
        self.assertEqual(c.get("/api/v1/auth/me").status, 200)


class RateLimits(ApiTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(env={"REDRESS_SUBMIT_LIMIT": "3", "REDRESS_LOOKUP_LIMIT": "40",
                                 "REDRESS_CODE_LIMIT": "5"})
        cls.server.load_demo()
        cls.server.start()
        cls._clients, cls._ids = {}, {}
        cls.public = PublicClient(cls.server, "customer")

    def test_submissions_per_address(self):
        keys = [uuid.uuid4().hex for _ in range(3)]
        bodies = [public_body() for _ in range(3)]
        for key, body in zip(keys, bodies):
            r = self.public.post("/api/v1/public/complaints", body,
                                 headers={"Idempotency-Key": key})
            self.assertEqual(r.status, 201, r)
        r = self.public.post("/api/v1/public/complaints", public_body())
        body = self.assertProblem(r, 429)
        self.assertIn("more than 3 complaints from this address", body["detail"])
        self.assertGreater(int(r.headers["Retry-After"]), 0)
        # X-Forwarded-For is the client's word unless the proxy is trusted.
        r = self.public.post("/api/v1/public/complaints", public_body(),
                             headers={"X-Forwarded-For": "198.51.100.7"})
        self.assertProblem(r, 429)
        # A retry with a used key replays the first answer; it is not a new submission.
        r = self.public.post("/api/v1/public/complaints", bodies[0],
                             headers={"Idempotency-Key": keys[0]})
        self.assertEqual(r.status, 201, r)

    def test_lookups_per_tracking_code(self):
        # Submissions of this class share the address limit: use the staff route.
        r = self.agent.post("/api/v1/complaints", {**public_body(), "channel": "phone"})
        self.assertEqual(r.status, 201, r)
        code, token = r.body["tracking_code"], r.body["access_token"]
        for i in range(4):
            self.assertProblem(self.public.view(code, f"guess-{i}"), 404)
        self.assertEqual(self.public.view(code, token).status, 200)
        r = self.public.view(code, token)  # the sixth look-up of this code
        self.assertProblem(r, 429)
        self.assertIn("look-ups of this tracking code", r.body["detail"])
        self.assertIn("Retry-After", r.headers)
        r = self.public.act(code, token, "message", text="hello")
        self.assertProblem(r, 429)
        other = self.agent.post("/api/v1/complaints", {**public_body(), "channel": "phone"}).body
        self.assertEqual(self.public.view(other["tracking_code"], other["access_token"]).status,
                         200)


class RequestLimits(ApiTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(args=["--request-timeout", "2"])
        cls.server.load_demo()
        cls.server.start()
        cls._clients, cls._ids = {}, {}
        cls.public = PublicClient(cls.server, "customer")

    def test_a_slow_head_is_cut_off(self):
        started = time.monotonic()
        out = raw_exchange(self.server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n", wait=10)
        elapsed = time.monotonic() - started
        self.assertEqual(out, b"", "the server answered a request it never fully received")
        self.assertLess(elapsed, 6, "the connection was held open past the request timeout")
        self.assertGreater(elapsed, 1.5)

    def test_a_slow_body_is_cut_off(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(b"POST /api/v1/public/complaints HTTP/1.1\r\nHost: x\r\n"
                      b"Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"a\":")
            started = time.monotonic()
            data = s.recv(65536)
            self.assertEqual(data, b"")
            self.assertLess(time.monotonic() - started, 6)
        finally:
            s.close()

    def test_an_idle_keep_alive_connection_is_closed(self):
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=10)
        try:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            first = s.recv(65536)
            self.assertIn(b" 200 ", first.split(b"\r\n")[0])
            started = time.monotonic()
            self.assertEqual(s.recv(65536), b"")
            self.assertLess(time.monotonic() - started, 6)
        finally:
            s.close()

    def test_head_and_body_limits(self):
        out = raw_exchange(self.server.port, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                           b"p" * 17000 + b"\r\n\r\n")
        self.assertIn(b" 431 ", out.split(b"\r\n")[0])
        r = raw_request(self.server.port, "POST", "/api/v1/auth/login",
                        {"Content-Type": "application/json"}, b" " * ((1 << 20) + 1))
        self.assertProblem(r, 413)
        self.assertEqual(self.public.get("/healthz").status, 200)


class Erasure(ApiTestCase):

    def make_history(self) -> dict:
        tag = uuid.uuid4().hex[:10]
        sub = self.submit(customer={"name": f"Ana Erasable {tag}", "email": f"ana{tag}@example.com",
                                    "phone": "+34 611 222 333", "language": "es"},
                          description=f"Ana {tag} was overcharged at the Valencia shop.",
                          subject=f"Overcharge {tag}")
        cid = sub["id"]
        self.advance(cid, "investigating")
        h = self.client("handler.st")
        self.assertEqual(h.post(f"/api/v1/complaints/{cid}/messages",
                                {"kind": "question", "text": f"Ana {tag}, which card?"}).status,
                         201)
        r = self.public.act(sub["code"], sub["token"], "message", text=f"Visa, Ana {tag}")
        self.assertEqual(r.status, 200, r)
        up = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                               [("receipt.txt", "text/plain", f"receipt of Ana {tag}\n".encode())])
        self.assertEqual(up.status, 201, up)
        patched = self.agent.patch(f"/api/v1/complaints/{cid}",
                                   {"people_involved": f"Ana {tag} and her sister"})
        self.assertEqual(patched.status, 200, patched)
        return {**sub, "tag": tag, "attachment": up.body["items"][0]["id"],
                "customer_id": self.get_complaint(cid)["customer"]["id"]}

    def test_erasure_anonymises_keeps_statistics_and_the_chain(self):
        h = self.make_history()
        cid, tag = h["id"], h["tag"]
        before = self.admin.get("/api/v1/reports/dashboard")
        self.assertEqual(before.status, 200, before)
        state_before = self.get_complaint(cid)["state"]

        # an acknowledgement that was delivered after a failed attempt keeps the SMTP
        # server's complaint about the address in last_error (as "550 <ana…> unknown")
        self.db_exec(f"UPDATE outbox SET state = 'sent', last_error = "
                     f"'550 <ana{tag}@example.com> mailbox unavailable' "
                     f"WHERE complaint_id = {cid}")

        self.assertProblem(self.agent.post(f"/api/v1/customers/{h['customer_id']}/erase"), 403)
        r = self.admin.post(f"/api/v1/customers/{h['customer_id']}/erase",
                            {"reason": "request 2026-117"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["complaints"], [cid])
        self.assertGreater(r.body["events_redacted"], 3)
        self.assertEqual(r.body["files_deleted"], 1)
        again = self.admin.post(f"/api/v1/customers/{h['customer_id']}/erase", {})
        self.assertProblem(again, 409)
        self.assertProblem(self.admin.post("/api/v1/customers/999999/erase", {}), 404)

        c = self.get_complaint(cid)
        self.assertEqual(c["state"], state_before)
        self.assertEqual(c["customer"]["name"], "[erased]")
        self.assertEqual(c["customer"]["email"], "")
        self.assertEqual(c["customer"]["phone"], "")
        self.assertEqual(c["category"], "delivery_delay")
        everything = json.dumps([
            c,
            self.agent.get(f"/api/v1/complaints/{cid}/messages").body,
            self.agent.get(f"/api/v1/complaints/{cid}/attachments").body,
            self.timeline(cid),
        ])
        self.assertNotIn(tag, everything, "personal data left after erasure")
        events = self.timeline(cid)
        erased = [e for e in events if e["action"] == "customer_erased"]
        self.assertEqual(len(erased), 1)
        self.assertEqual(events[0]["action"], "registered")
        self.assertEqual(self.public.view(h["code"], h["token"]).status, 404)
        r = self.agent.get(f"/api/v1/complaints/{cid}/attachments/{h['attachment']}")
        self.assertProblem(r, 404)

        outbox = self.db_query(f"SELECT recipient, payload, COALESCE(last_error, '') "
                               f"FROM outbox WHERE complaint_id = {cid}")
        self.assertTrue(outbox, "the complaint wrote no outbox rows to check")
        self.assertNotIn(tag, json.dumps(outbox), "personal data left in the outbox")

        after = self.admin.get("/api/v1/reports/dashboard")
        self.assertEqual(after.body, before.body, "erasure moved the statistics")
        v = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
        self.assertIn("redacted by erasure", v.stdout)

    def db_exec(self, sql: str) -> None:
        """Runs a statement on the server's database behind its back (either store)."""
        if PG_URL:
            self.server.sql(sql)
            return
        con = sqlite3.connect(self.server.db, timeout=10)
        con.execute(sql)
        con.commit()
        con.close()

    def db_query(self, sql: str) -> list:
        """Rows of a query on the server's database (PostgreSQL rows as |-split text)."""
        if PG_URL:
            out = self.server.sql(sql).stdout
            return [line.split("|") for line in out.splitlines() if line]
        con = sqlite3.connect(self.server.db, timeout=10)
        rows = [list(r) for r in con.execute(sql).fetchall()]
        con.close()
        return rows

    def test_zz_redaction_outside_erasure_breaks_the_chain(self):
        # Runs last in this class: it leaves the chain broken on purpose.
        cid = self.submit()["id"]
        event = self.timeline(cid)[0]
        if PG_URL:
            data = self.server.sql(f"SELECT data FROM events WHERE id = {event['id']}").stdout
            data = data.rstrip("\n")
        else:
            con = sqlite3.connect(self.server.db)
            data = con.execute(f"SELECT data FROM events WHERE id = {event['id']}").fetchone()[0]
            con.close()
        stub = json.dumps({"erased": True,
                           "data_sha256": hashlib.sha256(data.encode()).hexdigest()})
        sql = f"UPDATE events SET data = '{stub}' WHERE id = {event['id']}"
        if PG_URL:
            self.server.sql(sql)
        else:
            con = sqlite3.connect(self.server.db, timeout=10)
            con.execute(sql)
            con.commit()
            con.close()
        v = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(v.returncode, 1, v.stdout + v.stderr)
        self.assertIn(f"broken at event {event['id']}", v.stdout)
        self.assertIn("no customer_erased event names it", v.stdout)

    def test_cli_erase(self):
        h = self.make_history()
        r = run_cli("customer", "erase", str(h["customer_id"]), "--reason", "by letter",
                    "--database", self.server.db, "--attachments",
                    os.path.join(self.server.dir, "attachments"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("erased", r.stdout)
        c = self.get_complaint(h["id"])
        self.assertEqual(c["customer"]["name"], "[erased]")
        self.assertNotIn(h["tag"], json.dumps(self.timeline(h["id"])))
        r = run_cli("customer", "erase", str(h["customer_id"]), "--database", self.server.db)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        v = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(v.returncode, 0, v.stdout + v.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
