"""Every branch of the lifecycle off the happy path (SPEC §2)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, items_of, main, transitions_of  # noqa: E402


class Branches(ApiTestCase):

    def test_reject_then_appeal(self):
        sub = self.submit()
        cid = sub["id"]
        self.advance(cid, "assessing")
        reply = "We checked the tracking: the parcel was delivered on time. (reject-reply)"
        body = self.act(self.agent, cid, "reject", "rejected",
                        reason="Delivered within the promised window", reply_text=reply)
        self.assertEqual(body["validity"], "unfounded")
        self.assertEqual(body["validity_reason"], "Delivered within the promised window")

        pv = self.public.view(sub["code"], sub["token"])
        self.assertEqual(pv.status, 200, pv)
        self.assertEqual(pv.body["state"], "rejected")
        self.assertIn(reply, [m["body"] for m in pv.body["messages"]],
                      "the tactful explanation is sent to the customer")
        self.assertIn("appeal", pv.body["allowed_actions"])

        r = self.public.act(sub["code"], sub["token"], "appeal",
                            reason="The tracking page shows it arrived late.")
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "assessing")
        self.assertEqual(c["appeal_count"], 1)
        events = self.assertTimelineConsistent(cid, c)
        self.assertEqual(transitions_of(events)[-2:],
                         [("reject", "assessing", "rejected"), ("appeal", "rejected", "assessing")])
        self.assertEqual(events[-1]["actor_kind"], "customer")
        # a second appeal from assessing is refused
        snap = self.snapshot(cid)
        r = self.public.act(sub["code"], sub["token"], "appeal", reason="again")
        self.assertIn(r.status, (409, 422), r)
        self.assertUnchanged(cid, snap)

    def test_forward_suggestion(self):
        sub = self.submit(description="Suggestion: offer evening delivery slots, please.")
        cid = sub["id"]
        self.advance(cid, "assessing")
        qm, sales = self.department_id("quality_management"), self.department_id("sales")
        self.act(self.agent, cid, "forward", "forwarded", department_ids=[qm, sales],
                 note="Improvement input for delivery planning.")
        events = self.assertTimelineConsistent(cid)
        self.assertEqual(transitions_of(events)[-1], ("forward", "assessing", "forwarded"))
        self.assertEqual(self.allowed(cid, self.agent) & {"accept", "reject", "forward", "take"},
                         set())

    def test_return_plan(self):
        cid = self.submit()["id"]
        self.advance(cid, "plan_review")
        body = self.act(self.client("supervisor.st"), cid, "return_plan", "investigating",
                        instructions="Check the carrier's scan log first.")
        self.assertEqual(body["plan"]["instructions"], "Check the carrier's scan log first.")
        # a second round of the plan
        body = self.act(self.client("handler.st"), cid, "propose_plan", "plan_review",
                        remedies=[{"type": "apology", "description": "Written apology"},
                                  {"type": "compensation", "description": "Voucher",
                                   "amount": 20, "currency": "EUR"}],
                        feasibility="Voucher from the marketing budget.")
        self.assertEqual(sorted(x["type"] for x in body["plan"]["remedies"]),
                         ["apology", "compensation"])
        self.assertEqual(body["plan"]["round"], 2)
        plan = self.agent.get(f"/api/v1/complaints/{cid}/plan")
        self.assertEqual(plan.status, 200, plan)
        self.assertEqual(plan.body["round"], 2)
        self.assertIn(1, [h["round"] for h in plan.body["history"]])
        self.assertEqual(transitions_of(self.timeline(cid))[-2:],
                         [("return_plan", "plan_review", "investigating"),
                          ("propose_plan", "investigating", "plan_review")])

    def test_customer_rejects_plan(self):
        sub = self.submit()
        cid = sub["id"]
        self.advance(cid, "awaiting_customer")
        reason = "A refund of the fee is not enough, I want the whole order refunded."
        r = self.public.act(sub["code"], sub["token"], "reject_plan", reason=reason)
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "investigating")
        self.assertIs(c["plan"]["customer_accepted"], False)
        self.assertEqual(c["plan"]["customer_reason"], reason)
        self.assertEqual(transitions_of(self.assertTimelineConsistent(cid, c))[-1][1:],
                         ("awaiting_customer", "investigating"))
        # reject_plan needs a reason
        self.advance(cid, "awaiting_customer")
        snap = self.snapshot(cid)
        r = self.public.act(sub["code"], sub["token"], "reject_plan")
        self.assertProblem(r, 422, ["reason"])
        self.assertUnchanged(cid, snap)
        # agent records the answer on the customer's behalf: rejected needs a reason too
        r = self.transition(self.agent, cid, "record_customer_answer", accepted=False)
        self.assertProblem(r, 422, ["reason"])
        self.assertUnchanged(cid, snap)

    def test_verify_fail_opens_follow_up(self):
        cid = self.submit()["id"]
        self.advance(cid, "verifying")
        before = self.timeline(cid)
        r = self.transition(self.client("qa"), cid, "verify_fail",
                            findings="Refund was never booked.")
        self.assertEqual(r.status, 200, r)
        fid = r.body.get("follow_up_id")
        self.assertIsInstance(fid, int, f"verify_fail answer must name follow_up_id: {r!r}")
        self.assertNotEqual(fid, cid)
        orig = self.get_complaint(cid)
        self.assertEqual(orig["state"], "verification_failed")
        fu = self.get_complaint(fid)
        self.assertEqual(fu["state"], "assessing")
        self.assertEqual(fu["follow_up_of"], cid)
        self.assertEqual(fu["customer"]["email"], orig["customer"]["email"])
        self.assertEqual(transitions_of(self.timeline(cid))[-1],
                         ("verify_fail", "verifying", "verification_failed"))
        # the follow-up's timeline carries the original's history
        full = self.timeline(fid, own_only=False)
        carried = [e for e in full if e.get("complaint_id") == cid]
        self.assertGreaterEqual(len(carried), len(before) + 1, "history not carried over")
        own = [e for e in full if e.get("complaint_id", fid) == fid]
        self.assertTrue(own, "the follow-up has no events of its own")
        self.assertEqual(own[-1].get("to_state"), "assessing")
        # the original accepts nothing further
        self.assertEqual(self.allowed(cid, self.client("qa")) & {"verify_pass", "verify_fail"}, set())
        self.assertTrue({"accept", "reject"} <= self.allowed(fid, self.agent))

    def test_customer_reopens(self):
        sub = self.submit()
        cid = sub["id"]
        self.advance(cid, "resolved")
        pv = self.public.view(sub["code"], sub["token"])
        self.assertIn("reopen", pv.body["allowed_actions"])
        r = self.public.act(sub["code"], sub["token"], "reopen",
                            reason="The refund never reached my account.")
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "investigating")
        self.assertEqual(c["reopen_count"], 1)
        self.assertEqual(transitions_of(self.assertTimelineConsistent(cid, c))[-1],
                         ("reopen", "resolved", "investigating"))

    def test_supervisor_reopens_closed(self):
        cid = self.submit()["id"]
        self.advance(cid, "closed")
        snap = self.snapshot(cid)
        r = self.transition(self.agent, cid, "reopen")
        self.assertProblem(r, 403, msg="agent reopening a closed complaint")
        self.assertUnchanged(cid, snap)
        self.act(self.client("supervisor.st"), cid, "reopen", "investigating")

    def test_customer_withdraws(self):
        sub = self.submit()
        cid = sub["id"]
        self.advance(cid, "investigating")
        r = self.public.act(sub["code"], sub["token"], "withdraw", reason="Sorted it out myself.")
        self.assertEqual(r.status, 200, r)
        c = self.get_complaint(cid)
        self.assertEqual(c["state"], "withdrawn")
        self.assertEqual(transitions_of(self.assertTimelineConsistent(cid, c))[-1],
                         ("withdraw", "investigating", "withdrawn"))
        pv = self.public.view(sub["code"], sub["token"])
        self.assertEqual(pv.body["state"], "withdrawn")
        self.assertNotIn("withdraw", pv.body["allowed_actions"])
        # withdrawn is terminal
        snap = self.snapshot(cid)
        r = self.public.act(sub["code"], sub["token"], "withdraw")
        self.assertIn(r.status, (409, 422), r)
        self.assertUnchanged(cid, snap)

    def test_hold_and_resume(self):
        cid = self.submit()["id"]
        self.advance(cid, "investigating")
        handler = self.client("handler.st")
        snap = self.snapshot(cid)
        r = self.transition(handler, cid, "hold")
        self.assertProblem(r, 422, ["reason"], "hold without a reason")
        self.assertUnchanged(cid, snap)
        body = self.act(handler, cid, "hold", "on_hold", reason="Waiting for the customer's photos.")
        self.assertEqual(body["held_from"], "investigating")
        self.assertIn("resume", self.allowed(cid, handler))
        self.assertNotIn("propose_plan", self.allowed(cid, handler))
        body = self.act(handler, cid, "resume", "investigating")
        self.assertIsNone(body.get("held_from"))
        self.assertEqual(transitions_of(self.assertTimelineConsistent(cid))[-2:],
                         [("hold", "investigating", "on_hold"),
                          ("resume", "on_hold", "investigating")])
        # hold from another state comes back to that state
        self.advance(cid, "plan_review")
        self.act(self.agent, cid, "hold", "on_hold", reason="Customer on holiday.")
        self.act(self.agent, cid, "resume", "plan_review")

    def test_urgent_plan_needs_director(self):
        cid = self.submit()["id"]
        self.advance(cid, "assessing")
        self.act(self.agent, cid, "accept", "assigned", category="delivery_delay",
                 urgency="urgent", difficulty="complex")
        self.advance(cid, "plan_review")
        c = self.get_complaint(cid)
        self.assertTrue(c["plan"]["director_required"])
        body = self.act(self.client("supervisor.st"), cid, "approve_plan", "plan_review",
                        instructions="Fine by me; director to confirm.")
        self.assertTrue(body["plan"]["supervisor_approved"])
        self.assertFalse(body["plan"]["director_approved"])
        director = self.client("director")
        self.assertIn("approve_plan", self.allowed(cid, director))
        body = self.act(director, cid, "approve_plan", "awaiting_customer",
                        instructions="Approved; call the customer personally.")
        self.assertTrue(body["plan"]["director_approved"])
        events = self.assertTimelineConsistent(cid)
        approvals = [e for e in events if e["action"] == "approve_plan"]
        self.assertEqual([(e["actor_id"], e["from_state"], e["to_state"]) for e in approvals],
                         [(self.user_id("supervisor.st"), "plan_review", "plan_review"),
                          (director.user_id, "plan_review", "awaiting_customer")])

    def test_director_for_compensation_above_threshold(self):
        cid = self.submit()["id"]
        self.advance(cid, "investigating")
        self.act(self.client("handler.st"), cid, "propose_plan", "plan_review",
                 remedies=[{"type": "compensation", "description": "Goodwill payment",
                            "amount": 1500, "currency": "EUR"}],
                 feasibility="Needs board budget.")
        self.assertTrue(self.get_complaint(cid)["plan"]["director_required"])
        self.act(self.client("supervisor.st"), cid, "approve_plan", "plan_review",
                 instructions="OK from the department.")


if __name__ == "__main__":
    main()
