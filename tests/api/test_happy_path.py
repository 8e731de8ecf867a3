"""The full happy path, portal submission to `closed`, with each role's account."""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ApiTestCase, event_data, iso_in, items_of, main,  # noqa: E402
                     mentions_rule, run_cli, transitions_of)

REPLY_TEXT = "We refunded the shipping fee of your order; we are sorry for the delay. (happy-reply)"
CAUSE_TEXT = "Parcel left on the dock over the weekend (happy-cause)"


class HappyPath(ApiTestCase):

    def test_portal_to_closed(self):
        agent = self.agent
        handler = self.client("handler.st")
        supervisor = self.client("supervisor.st")
        qa = self.client("qa")
        st = self.department_id("storage_transport")

        # 1. portal submission
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "new")
        self.assertEqual(c["tracking_code"], code)
        self.assertEqual(c["channel"], "portal")
        self.assertIsNone(c["department_id"])
        self.assertEqual(c["customer"]["email"], sub["body"]["customer"]["email"])
        self.assertEqual(c["description"], sub["body"]["description"])
        self.assertIn("take", c["allowed_actions"])
        self.assertNotIn("accept", c["allowed_actions"])
        self.assertNotIn("take", self.allowed(cid, qa), "qa may not take")

        # 2. agent takes it
        body = self.act(agent, cid, "take", "assessing")
        self.assertGreater(body["version"], c["version"])
        allowed = self.allowed(cid, agent)
        self.assertTrue({"accept", "reject", "forward", "hold"} <= allowed, allowed)
        self.assertNotIn("take", allowed)
        self.assertNotIn("start_investigation", allowed)

        # 3. accept without a department: the routing rule picks storage_transport
        body = self.act(agent, cid, "accept", "assigned", category="delivery_delay",
                        urgency="general", difficulty="simple")
        self.assertEqual(body["department_id"], st, "delivery_delay must be routed to storage_transport")
        self.assertEqual(body["category"], "delivery_delay")
        self.assertEqual(body["urgency"], "general")
        self.assertEqual(body["difficulty"], "simple")
        self.assertEqual(body["validity"], "founded")
        rules = items_of(agent.get("/api/v1/routing-rules").body)
        rule = next(r for r in rules if r.get("category") == "delivery_delay")
        accept_ev = [e for e in self.timeline(cid) if e["action"] == "accept"]
        self.assertEqual(len(accept_ev), 1)
        self.assertTrue(mentions_rule(event_data(accept_ev[0]), rule),
                        f"the accept event should name routing rule {rule}: {accept_ev[0]}")

        # handler.st now sees it and may start; the agent may not
        self.assertIn("start_investigation", self.allowed(cid, handler))
        self.assertNotIn("start_investigation", self.allowed(cid, agent))

        # 4. investigation with a cause
        self.act(handler, cid, "start_investigation", "investigating")
        r = handler.post(f"/api/v1/complaints/{cid}/causes",
                         {"family": "method", "description": CAUSE_TEXT,
                          "responsible": "night shift, dock 3"})
        self.assertEqual(r.status, 201, r)
        causes = items_of(handler.get(f"/api/v1/complaints/{cid}/causes").body)
        self.assertEqual([(x["family"], x["description"]) for x in causes], [("method", CAUSE_TEXT)])

        # 5. propose a plan with a refund
        body = self.act(handler, cid, "propose_plan", "plan_review",
                        remedies=[{"type": "refund", "description": "Refund the shipping fee",
                                   "amount": 12.5, "currency": "EUR"}],
                        feasibility="Finance can refund today.")
        plan = body["plan"]
        self.assertEqual([(x["type"], x["amount"], x["currency"]) for x in plan["remedies"]],
                         [("refund", 12.5, "EUR")])
        self.assertEqual(plan["feasibility"], "Finance can refund today.")
        self.assertFalse(plan["director_required"])
        self.assertTrue({"approve_plan", "return_plan"} <= self.allowed(cid, supervisor))
        self.assertNotIn("approve_plan", self.allowed(cid, handler))
        self.assertNotIn("approve_plan", self.allowed(cid, agent))

        # 6. supervisor approves
        body = self.act(supervisor, cid, "approve_plan", "awaiting_customer",
                        instructions="Refund within three days.")
        self.assertTrue(body["plan"]["supervisor_approved"])
        self.assertEqual(body["plan"]["instructions"], "Refund within three days.")

        # 7. the customer accepts on the portal
        pv = self.public.view(code, token)
        self.assertEqual(pv.status, 200, pv)
        self.assertEqual(pv.body["state"], "awaiting_customer")
        self.assertTrue({"accept_plan", "reject_plan"} <= set(pv.body["allowed_actions"]), pv)
        self.assertEqual([x["type"] for x in pv.body["plan"]["remedies"]], ["refund"])
        r = self.public.act(code, token, "accept_plan")
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "implementing")
        self.assertIs(c["plan"]["customer_accepted"], True)

        # 8. a task: it must be done before verification
        r = handler.post(f"/api/v1/complaints/{cid}/tasks",
                         {"title": "Refund the shipping fee", "kind": "corrective",
                          "owner_id": handler.user_id, "due_at": iso_in(days=3)})
        self.assertEqual(r.status, 201, r)
        tid = r.body["id"]
        self.assertEqual(r.body["status"], "open")
        snap = self.snapshot(cid)
        r = self.transition(handler, cid, "submit_for_verification")
        self.assertProblem(r, 422, ["tasks"], "submit_for_verification with an open task")
        self.assertUnchanged(cid, snap)
        r = handler.patch(f"/api/v1/complaints/{cid}/tasks/{tid}", {"status": "done"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["status"], "done")
        tasks = items_of(handler.get(f"/api/v1/complaints/{cid}/tasks").body)
        self.assertEqual([(t["id"], t["status"]) for t in tasks], [(tid, "done")])

        self.act(handler, cid, "submit_for_verification", "verifying")
        self.assertTrue({"verify_pass", "verify_fail"} <= self.allowed(cid, qa))
        self.assertNotIn("verify_pass", self.allowed(cid, handler))
        self.assertNotIn("verify_pass", self.allowed(cid, agent))

        # 9. QA passes, the agent replies
        self.act(qa, cid, "verify_pass", "responding", note="Refund visible in the ledger.")
        self.assertIn("reply", self.allowed(cid, agent))
        self.assertNotIn("reply", self.allowed(cid, handler))
        self.act(agent, cid, "reply", "resolved", channel="email", text=REPLY_TEXT)

        # 10. the customer rates 5 on the portal
        pv = self.public.view(code, token)
        self.assertEqual(pv.body["state"], "resolved")
        self.assertIn("rate", pv.body["allowed_actions"])
        r = self.public.act(code, token, "rate", score=5, comment="Quick and fair.")
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["satisfaction"]["score"], 5)
        self.assertEqual(c["satisfaction"]["comment"], "Quick and fair.")
        self.assertEqual(c["state"], "resolved")

        # 11. the agent closes
        self.act(agent, cid, "close", "closed")
        final = self.get_complaint(cid)
        self.assertEqual(final["state"], "closed")
        self.assertEqual(self.allowed(cid, agent) & {"close", "reply", "take"}, set())

        # the timeline: one event per transition, in order, with from/to states
        events = self.assertTimelineConsistent(cid, final)
        self.assertEqual([(f, t) for _, f, t in transitions_of(events)], [
            ("new", "assessing"), ("assessing", "assigned"), ("assigned", "investigating"),
            ("investigating", "plan_review"), ("plan_review", "awaiting_customer"),
            ("awaiting_customer", "implementing"), ("implementing", "verifying"),
            ("verifying", "responding"), ("responding", "resolved"), ("resolved", "closed")])
        staff_actions = [a for a, _, _ in transitions_of(events)]
        for a in ("take", "accept", "start_investigation", "propose_plan", "approve_plan",
                  "submit_for_verification", "verify_pass", "reply", "close"):
            self.assertEqual(staff_actions.count(a), 1, f"{a} in {staff_actions}")
        by_action = {e["action"]: e for e in events}
        self.assertEqual(by_action["take"]["actor_id"], agent.user_id)
        self.assertEqual(by_action["start_investigation"]["actor_id"], handler.user_id)
        self.assertEqual(by_action["approve_plan"]["actor_id"], supervisor.user_id)
        self.assertEqual(by_action["verify_pass"]["actor_id"], qa.user_id)
        answer = [e for e in events if e.get("from_state") == "awaiting_customer"][0]
        self.assertEqual(answer["actor_kind"], "customer", answer)
        self.assertTrue(all(e.get("hash") for e in events), "every event carries its hash")
        self.assertTrue(any("cause" in e["action"] for e in events), "cause not on the timeline")
        self.assertTrue(any("task" in e["action"] for e in events), "task not on the timeline")

        # the public view at the end
        pv = self.public.view(code, token)
        self.assertEqual(pv.status, 200, pv)
        self.assertIn(pv.body["state"], ("resolved", "closed"))
        self.assertIn(REPLY_TEXT, [m["body"] for m in pv.body["messages"]], pv)
        self.assertEqual([x["type"] for x in pv.body["plan"]["remedies"]], ["refund"])
        self.assertEqual(pv.body["satisfaction"]["score"], 5)
        self.assertNotIn(CAUSE_TEXT, pv.text)

        # the audit chain is intact (server still running; WAL lets the CLI read)
        r = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(r.returncode, 0, f"audit verify: {r.stdout}\n{r.stderr}")
        self.assertIn("intact", r.stdout + r.stderr)


if __name__ == "__main__":
    main()
