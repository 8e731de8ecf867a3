"""Refused requests: the right status and problem+json, and nothing changed."""

import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, Client, PROBLEM_JSON, main, public_body  # noqa: E402

MIB = 1024 * 1024


class Refusals(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._assessing = None
        cls._assigned = None

    def assessing(self) -> int:
        """A complaint in `assessing` (unrouted)."""
        if type(self)._assessing is None:
            cid = self.submit()["id"]
            self.advance(cid, "assessing")
            type(self)._assessing = cid
        return type(self)._assessing

    def assigned(self) -> int:
        """A complaint in `assigned` to storage_transport."""
        if type(self)._assigned is None:
            cid = self.submit()["id"]
            self.advance(cid, "assigned")
            self.assertEqual(self.get_complaint(cid)["department_id"],
                             self.department_id("storage_transport"))
            type(self)._assigned = cid
        return type(self)._assigned

    # -- field errors name their rule, for clients that word them in their reader's language

    def test_field_errors_carry_their_rule_and_params(self):
        def rules(body: dict) -> dict:
            problem = self.assertProblem(self.agent.post("/api/v1/complaints", body), 422)
            for e in problem["errors"]:
                self.assertTrue(e["message"], e)  # the English sentence stays for every client
            return {e["field"]: (e.get("rule"), e.get("params")) for e in problem["errors"]}

        # what the request reader refuses: types and lengths
        got = rules(public_body(channel=7, subject="s" * 501))
        self.assertEqual(got.get("channel"), ("type", {"type": "string"}), got)
        self.assertEqual(got.get("subject"), ("too_long", {"max": "500"}), got)
        # what intake refuses: blanks, addresses, languages
        got = rules(public_body(description="  ", customer={"name": "Ana", "email": "not-an-address",
                                                            "language": "xx"}))
        self.assertEqual(got.get("description"), ("required", {}), got)
        self.assertEqual(got.get("customer.email"), ("email", {}), got)
        self.assertEqual(got.get("customer.language"),
                         ("one_of", {"values": "en, es, fr, zh-Hans, zh-Hant, vi"}), got)
        # a range, from a query parameter
        r = self.agent.get("/api/v1/notifications?limit=0")
        [limit] = self.assertProblem(r, 422, ["limit"])["errors"]
        self.assertEqual((limit["rule"], limit["params"]), ("range", {"min": "1", "max": "200"}))
        # a lifecycle requirement: "required", with the server's explanation in the message
        cid = self.assessing()
        r = self.agent.post(f"/api/v1/complaints/{cid}/transitions", {"action": "accept"})
        errors = {e["field"]: e for e in self.assertProblem(r, 422, ["category"])["errors"]}
        self.assertEqual(errors["urgency"]["rule"], "required")
        self.assertIn("urgent, important or general", errors["urgency"]["message"])

    # -- role and scope
    def test_wrong_role(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        accept = dict(category="delivery_delay", urgency="general", difficulty="simple")
        with self.subTest("qa sends accept (a role without accept, sees every complaint)"):
            r = self.transition(self.client("qa"), cid, "accept", **accept)
            self.assertProblem(r, 403, msg="qa accepting")
            self.assertUnchanged(cid, snap)
        with self.subTest("director sends take"):
            r = self.transition(self.client("director"), cid, "take")
            self.assertIn(r.status, (403, 409), r)  # 409: take is not possible from assessing
            self.assertUnchanged(cid, snap)
        aid = self.assigned()
        asnap = self.snapshot(aid)
        with self.subTest("agent sends start_investigation on an assigned complaint"):
            r = self.transition(self.agent, aid, "start_investigation")
            self.assertProblem(r, 403, msg="agent starting the investigation")
            self.assertUnchanged(aid, asnap)
        with self.subTest("handler.st sends approve_plan-like supervisor action (return_plan)"):
            r = self.transition(self.client("handler.st"), aid, "return_plan", instructions="x")
            self.assertProblem(r, 403, msg="handler returning a plan")
            self.assertUnchanged(aid, asnap)
        with self.subTest("handler.st sends accept (issue 2: wrong role -> 403)"):
            r = self.transition(self.client("handler.st"), cid, "accept", **accept)
            self.assertProblem(r, 403, msg="handler accepting")
            self.assertUnchanged(cid, snap)

    def test_other_department(self):
        cid = self.assigned()
        snap = self.snapshot(cid)
        qm = self.client("handler.qm")
        with self.subTest("reads outside the scope answer 404"):
            r = qm.get(f"/api/v1/complaints/{cid}")
            self.assertProblem(r, 404, msg="handler.qm reading a storage_transport complaint")
            r = qm.get(f"/api/v1/complaints/{cid}/timeline")
            self.assertIn(r.status, (403, 404), r)
            listed = [c["id"] for c in self.list_all(qm, "/api/v1/complaints")]
            self.assertNotIn(cid, listed, "handler.qm lists a storage_transport complaint")
            self.assertIn(cid, [c["id"] for c in self.list_all(self.client("handler.st"),
                                                                "/api/v1/complaints")])
        with self.subTest("handler.qm transition on a storage_transport complaint -> 403"):
            r = self.transition(qm, cid, "start_investigation")
            self.assertProblem(r, 403, msg="handler.qm on a storage_transport complaint")
            self.assertUnchanged(cid, snap)
        with self.subTest("supervisor.qm transition on a storage_transport complaint -> 403"):
            r = self.transition(self.client("supervisor.qm"), cid, "hold", reason="not mine")
            self.assertProblem(r, 403, msg="supervisor.qm on a storage_transport complaint")
            self.assertUnchanged(cid, snap)
        with self.subTest("handler.qm writes a record on a storage_transport complaint -> 403"):
            r = qm.post(f"/api/v1/complaints/{cid}/messages", {"text": "x", "kind": "note"})
            self.assertProblem(r, 403, msg="writes outside the scope say 403, as transitions do")
            self.assertUnchanged(cid, snap)

    # -- state
    def test_wrong_state(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        r = self.transition(self.client("qa"), cid, "verify_pass", note="looks fine")
        body = self.assertProblem(r, 409, msg="verify_pass on an assessing complaint")
        self.assertIn("assessing", body.get("detail", ""), "detail should name the state")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "take")
        self.assertProblem(r, 409, msg="take twice")
        self.assertUnchanged(cid, snap)
        r = self.agent.post(f"/api/v1/complaints/{cid}/causes",
                            {"family": "method", "description": "x", "responsible": "y"})
        self.assertIn(r.status, (403, 409), r)
        self.assertUnchanged(cid, snap)

    # -- data
    def test_missing_data(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        r = self.transition(self.agent, cid, "accept")
        self.assertProblem(r, 422, ["category", "urgency", "difficulty"], "accept {}")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "reject", reason="Not founded")
        self.assertProblem(r, 422, ["reply_text"], "reject without reply_text")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "reject", reason="  ", reply_text="")
        self.assertProblem(r, 422, ["reason", "reply_text"], "reject with blanks")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "forward", note="x")
        self.assertProblem(r, 422, ["department_ids"], "forward without departments")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "accept", category="delivery_delay",
                            urgency="sometimes", difficulty="simple")
        self.assertProblem(r, 422, ["urgency"], "accept with a bad urgency")
        self.assertUnchanged(cid, snap)
        r = self.transition(self.agent, cid, "accept", category="no_such_category",
                            urgency="general", difficulty="simple")
        self.assertProblem(r, 422, ["category"], "accept with an unknown category")
        self.assertUnchanged(cid, snap)

    def test_missing_plan_data(self):
        cid = self.submit()["id"]
        self.advance(cid, "investigating")
        snap = self.snapshot(cid)
        h = self.client("handler.st")
        r = self.transition(h, cid, "propose_plan", remedies=[], feasibility="")
        self.assertProblem(r, 422, ["remedies", "feasibility"], "empty plan")
        self.assertUnchanged(cid, snap)
        r = h.post(f"/api/v1/complaints/{cid}/causes",
                   {"family": "method", "description": "", "responsible": "x"})
        self.assertProblem(r, 422, ["description"], "cause without description")
        self.assertUnchanged(cid, snap)
        r = h.post(f"/api/v1/complaints/{cid}/causes",
                   {"family": "weather", "description": "rain", "responsible": "x"})
        self.assertProblem(r, 422, ["family"], "cause of an unknown family")
        self.assertUnchanged(cid, snap)
        # every invalid field is named at once (contract: "errors names every field")
        r = h.post(f"/api/v1/complaints/{cid}/causes",
                   {"family": "weather", "description": "", "responsible": "x"})
        self.assertProblem(r, 422, ["family", "description"], "bad family and no description")
        self.assertUnchanged(cid, snap)

    def test_stale_if_match(self):
        cid = self.assessing()
        r = self.agent.get(f"/api/v1/complaints/{cid}")
        version = r.body["version"]
        self.assertEqual(r.headers.get("ETag"), f'"{version}"')
        snap = self.snapshot(cid)
        stale = f'"{version - 1}"'
        r = self.agent.patch(f"/api/v1/complaints/{cid}", {"subject": "changed"},
                             headers={"If-Match": stale})
        self.assertProblem(r, 412, msg="PATCH with stale If-Match")
        self.assertUnchanged(cid, snap)
        self.assertNotEqual(self.get_complaint(cid)["subject"], "changed")
        r = self.transition(self.agent, cid, "hold", headers={"If-Match": stale}, reason="x")
        self.assertProblem(r, 412, msg="transition with stale If-Match")
        self.assertUnchanged(cid, snap)
        # the current version is accepted
        r = self.agent.patch(f"/api/v1/complaints/{cid}", {"tags": ["if-match-ok"]},
                             headers={"If-Match": f'"{version}"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["tags"], ["if-match-ok"])
        self.assertGreater(r.body["version"], version)

    def test_bad_json(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        r = self.agent.post(f"/api/v1/complaints/{cid}/transitions", raw=b'{"action": "take",',
                            content_type="application/json")
        self.assertProblem(r, 400, msg="malformed JSON")
        self.assertUnchanged(cid, snap)
        r = self.public.post("/api/v1/public/complaints", raw=b"not json at all",
                             content_type="application/json")
        self.assertProblem(r, 400, msg="malformed JSON on the portal")
        r = self.agent.post(f"/api/v1/complaints/{cid}/transitions", raw=b'["take"]',
                            content_type="application/json")
        self.assertIn(r.status, (400, 422), r)
        self.assertEqual(r.content_type, PROBLEM_JSON)
        self.assertUnchanged(cid, snap)

    def test_unknown_action(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        r = self.transition(self.agent, cid, "teleport")
        self.assertProblem(r, 422, ["action"], "unknown action")
        self.assertUnchanged(cid, snap)
        r = self.agent.post(f"/api/v1/complaints/{cid}/transitions", {})
        self.assertProblem(r, 422, ["action"], "no action")
        self.assertUnchanged(cid, snap)

    def test_uploads(self):
        cid = self.assessing()
        # an allowed upload works (and the refusals below are not a broken endpoint)
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("note.txt", "text/plain", b"delivery note\n")])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(r.body["items"][0]["filename"], "note.txt")
        self.assertEqual(r.body["items"][0]["size"], 14)
        self.assertEqual(r.body["items"][0]["sha256"], hashlib.sha256(b"delivery note\n").hexdigest())
        listed = self.agent.get(f"/api/v1/complaints/{cid}/attachments")
        count = len(listed.body["items"])
        snap = self.snapshot(cid)

        big = b"A" * (10 * MIB + 4096)
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("big.txt", "text/plain", big)])
        self.assertProblem(r, 413, msg="upload over 10 MiB")
        self.assertUnchanged(cid, snap)

        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("tool.exe", "application/x-msdownload",
                                b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 16)])
        self.assertProblem(r, 415, msg="executable upload")
        self.assertUnchanged(cid, snap)
        self.assertEqual(len(self.agent.get(f"/api/v1/complaints/{cid}/attachments").body["items"]),
                         count)

        # a caller whose roles may not attach evidence is refused before any file is
        # written: no orphan file is left in the content-addressed attachment folder
        refused = b"director's evidence " + os.urandom(8).hex().encode()
        digest = hashlib.sha256(refused).hexdigest()
        r = self.client("director").upload(f"/api/v1/complaints/{cid}/attachments",
                                           [("evidence.txt", "text/plain", refused)])
        self.assertProblem(r, 403, msg="upload by a role that may not attach")
        self.assertUnchanged(cid, snap)
        stored = os.path.join(self.server.dir, "attachments", digest[:2], digest)
        self.assertFalse(os.path.exists(stored), f"refused upload left {stored}")
        # the folder itself is where the server keeps files (so the check above can fail)
        kept = hashlib.sha256(b"delivery note\n").hexdigest()
        self.assertTrue(os.path.exists(os.path.join(self.server.dir, "attachments", kept[:2], kept)))

    def test_no_credentials(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        anon = Client(self.server, "anonymous")
        self.assertProblem(anon.get("/api/v1/complaints"), 401, msg="list without credentials")
        self.assertProblem(anon.get(f"/api/v1/complaints/{cid}"), 401, msg="get without credentials")
        r = anon.post(f"/api/v1/complaints/{cid}/transitions", {"action": "hold", "reason": "x"})
        self.assertProblem(r, 401, msg="transition without credentials")
        bad = Client(self.server, "forged")
        bad.cookies["redress_session"] = "forged-session-value"
        self.assertProblem(bad.get("/api/v1/complaints"), 401, msg="forged cookie")
        bearer = Client(self.server, "forged-bearer")
        bearer.bearer = "not-a-real-token"
        self.assertProblem(bearer.get("/api/v1/complaints"), 401, msg="forged bearer")
        self.assertUnchanged(cid, snap)

    def test_csrf(self):
        cid = self.assessing()
        snap = self.snapshot(cid)
        agent = self.agent
        r = agent.post(f"/api/v1/complaints/{cid}/transitions", {"action": "hold", "reason": "x"},
                       csrf=False)
        self.assertProblem(r, 403, msg="cookie write without CSRF token")
        self.assertUnchanged(cid, snap)
        r = agent.post(f"/api/v1/complaints/{cid}/transitions", {"action": "hold", "reason": "x"},
                       headers={"X-CSRF-Token": "wrong-" + (agent.csrf or "")})
        self.assertProblem(r, 403, msg="cookie write with a wrong CSRF token")
        self.assertUnchanged(cid, snap)
        r = agent.patch(f"/api/v1/complaints/{cid}", {"subject": "csrf"}, csrf=False)
        self.assertProblem(r, 403, msg="PATCH without CSRF token")
        self.assertUnchanged(cid, snap)
        # a bearer token needs no CSRF token
        r = agent.post("/api/v1/auth/tokens", {"name": "api-test"})
        self.assertEqual(r.status, 201, r)
        api = Client(self.server, "agent-bearer")
        api.bearer = r.body["token"]
        r = api.get(f"/api/v1/complaints/{cid}")
        self.assertEqual(r.status, 200, r)
        r = api.patch(f"/api/v1/complaints/{cid}", {"tags": ["bearer"]})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["tags"], ["bearer"])

    def test_login_failures(self):
        c = Client(self.server, "intruder")
        r = c.login("agent", "wrong-password")
        self.assertProblem(r, 401, msg="wrong password")
        self.assertFalse(c.cookies.get("redress_session"), "no session on a failed login")
        r = c.login("nobody-at-all", "redress-demo")
        self.assertProblem(r, 401, msg="unknown user")

    def test_unknown_complaint(self):
        self.assertProblem(self.agent.get("/api/v1/complaints/999999"), 404)
        r = self.transition(self.agent, 999999, "take")
        self.assertProblem(r, 404)


if __name__ == "__main__":
    main()
