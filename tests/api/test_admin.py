"""Administration: departments, categories, users, routing and sanction rules."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ApiTestCase, Client, event_data, items_of, main,  # noqa: E402
                     mentions_rule)


class Admin(ApiTestCase):

    def test_organisation_and_routing(self):
        admin = self.admin
        # department
        r = admin.post("/api/v1/departments", {"code": "returns", "name": "Returns desk",
                                               "parent_id": self.department_id("storage_transport")})
        self.assertEqual(r.status, 201, r)
        dept = r.body["id"]
        self.assertEqual(r.body["code"], "returns")
        codes = [d["code"] for d in items_of(admin.get("/api/v1/departments").body)]
        self.assertEqual(codes.count("returns"), 1)
        r = admin.post("/api/v1/departments", {"code": "returns", "name": "Again"})
        self.assertProblem(r, 409, msg="duplicate department code")
        codes = [d["code"] for d in items_of(admin.get("/api/v1/departments").body)]
        self.assertEqual(codes.count("returns"), 1)

        # category
        r = admin.post("/api/v1/categories", {"code": "packaging", "name": "Packaging"})
        self.assertEqual(r.status, 201, r)
        r = admin.post("/api/v1/categories", {"code": "packaging.torn", "name": "Torn",
                                              "parent_code": "packaging"})
        self.assertEqual(r.status, 201, r)
        cats = {c["code"]: c for c in items_of(admin.get("/api/v1/categories").body)}
        self.assertIn("packaging", cats)
        self.assertEqual(cats["packaging.torn"].get("parent_code"), "packaging")

        # user, who can then log in
        r = admin.post("/api/v1/users", {
            "username": "handler.ret", "password": "returns-handler-pw-1",
            "display_name": "Returns Handler", "roles": ["handler"], "department_id": dept})
        self.assertEqual(r.status, 201, r)
        uid = r.body["id"]
        self.assertNotIn("password", r.body)
        self.assertNotIn("password_hash", r.body)
        ret = Client(self.server, "handler.ret")
        r = ret.login("handler.ret", "returns-handler-pw-1")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["user"]["id"], uid)
        self.assertEqual(r.body["user"]["roles"], ["handler"])
        self.assertEqual(r.body["user"]["department_id"], dept)
        me = ret.get("/api/v1/auth/me")
        self.assertEqual(me.status, 200, me)
        self.assertEqual(me.body.get("user", me.body)["username"], "handler.ret")
        self.assertEqual(Client(self.server).login("handler.ret", "wrong").status, 401)
        r = admin.post("/api/v1/users", {"username": "handler.ret", "password": "x-long-password",
                                         "display_name": "Dup", "roles": ["handler"],
                                         "department_id": dept})
        self.assertProblem(r, 409, msg="duplicate username")

        # routing rule: packaging -> returns
        r = admin.post("/api/v1/routing-rules", {"name": "packaging to returns", "position": 0,
                                                 "category": "packaging", "department_id": dept})
        self.assertEqual(r.status, 201, r)
        rule = r.body["id"]
        cid = self.submit()["id"]
        self.advance(cid, "assessing")
        body = self.act(self.agent, cid, "accept", "assigned", category="packaging.torn",
                        urgency="general", difficulty="simple")
        self.assertEqual(body["department_id"], dept, "the new routing rule should route it")
        accept = [e for e in self.timeline(cid) if e["action"] == "accept"][0]
        self.assertTrue(mentions_rule(event_data(accept), {"id": rule, "name": "packaging to returns"}),
                        f"accept event should name the rule: {accept}")
        # the new handler sees it and works on it; handler.st (parent dept) does not own it
        self.assertEqual(ret.get(f"/api/v1/complaints/{cid}").status, 200)
        self.act(ret, cid, "start_investigation", "investigating")

        # non-admins may not create users
        before = len(items_of(admin.get("/api/v1/users").body))
        for name in ("agent", "supervisor.st", "director"):
            r = self.client(name).post("/api/v1/users", {
                "username": f"sneaky.{name}", "password": "sneaky-password-1",
                "display_name": "Sneaky", "roles": ["admin"]})
            self.assertProblem(r, 403, msg=f"{name} creating a user")
        self.assertEqual(len(items_of(admin.get("/api/v1/users").body)), before)
        self.assertProblem(self.agent.post("/api/v1/departments", {"code": "x", "name": "x"}), 403)
        self.assertEqual(Client(self.server).login("sneaky.agent", "sneaky-password-1").status, 401)

    def test_sanction_rules(self):
        admin = self.admin
        existing = items_of(admin.get("/api/v1/sanction-rules").body)
        base = max([r["min_loss"] for r in existing] + [0]) + 100000
        r = admin.post("/api/v1/sanction-rules", {"min_loss": base, "max_loss": base + 100000,
                                                  "sanction": "written warning (api-test)",
                                                  "wage_deduction_percent": 5})
        self.assertEqual(r.status, 201, r)
        sid = r.body["id"]
        r = self.agent.post("/api/v1/sanction-rules", {"min_loss": 1, "sanction": "x"})
        self.assertProblem(r, 403, msg="agent creating a sanction rule")

        cid = self.submit()["id"]
        self.advance(cid, "investigating")
        sup = self.client("supervisor.st")
        r = sup.post(f"/api/v1/complaints/{cid}/accountability",
                     {"subject": "Dock team B", "finding": "Ignored the schedule",
                      "loss_amount": base + 50})
        self.assertEqual(r.status, 201, r)
        entry = r.body
        self.assertEqual(entry["proposed_sanction"], "written warning (api-test)")
        self.assertEqual(entry["proposed_deduction_percent"], 5)
        # a loss outside the band gets no proposal from this rule
        r = sup.post(f"/api/v1/complaints/{cid}/accountability",
                     {"subject": "Dock team C", "finding": "Late", "loss_amount": base + 200001})
        self.assertEqual(r.status, 201, r)
        self.assertNotEqual(r.body["proposed_sanction"], "written warning (api-test)")

        # the handler may not confirm; the supervisor confirms a different sanction
        r = self.client("handler.st").post(
            f"/api/v1/complaints/{cid}/accountability/{entry['id']}/confirm",
            {"sanction": "none"})
        self.assertProblem(r, 403, msg="handler confirming a sanction")
        r = sup.post(f"/api/v1/complaints/{cid}/accountability/{entry['id']}/confirm",
                     {"sanction": "verbal warning", "deduction_percent": 0})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["sanction"], "verbal warning")
        self.assertEqual(r.body["deduction_percent"], 0)
        self.assertEqual(r.body["proposed_sanction"], "written warning (api-test)")
        self.assertEqual(r.body["confirmed_by"], sup.user_id)
        listed = items_of(sup.get(f"/api/v1/complaints/{cid}/accountability").body)
        mine = [e for e in listed if e["id"] == entry["id"]][0]
        self.assertEqual(mine["sanction"], "verbal warning")
        self.assertTrue(any("accountab" in e["action"] or "sanction" in e["action"]
                            for e in self.timeline(cid)), "accountability not on the timeline")

        # deleting the rule stops the proposal
        self.assertIn(admin.delete(f"/api/v1/sanction-rules/{sid}").status, (200, 204))
        r = sup.post(f"/api/v1/complaints/{cid}/accountability",
                     {"subject": "Dock team D", "finding": "Late", "loss_amount": base + 50})
        self.assertEqual(r.status, 201, r)
        self.assertNotEqual(r.body["proposed_sanction"], "written warning (api-test)")


if __name__ == "__main__":
    main()
