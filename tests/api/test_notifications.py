"""In-app notifications (GET /api/v1/notifications, GET /api/v1/notifications/count,
POST /api/v1/notifications/{id}/read, POST /api/v1/notifications/read-all): who is told
what while a complaint moves — the assignee hears of the assignment, the department's
supervisor of a routing with no assignee and of an urgent escalation, the approver of a
plan waiting for them (the director once a supervisor has approved an urgent plan) — and
nobody else sees those notices; marking read changes the unread count, and another user
can neither read nor mark someone else's. A second server with a seconds-long SLA target
checks that the SLA warning reaches the assignee and the breach the supervisor.
"""

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main, public_body  # noqa: E402

WATCHED = ("agent", "handler.st", "handler.qm", "supervisor.st", "supervisor.qm", "director",
           "qa", "admin")


class NotificationsTestCase(ApiTestCase):

    def count(self, username: str) -> int:
        r = self.client(username).get("/api/v1/notifications/count")
        self.assertEqual(r.status, 200, r)
        return r.body["unread_count"]

    def notices(self, username: str, cid: int, unread: bool = False) -> list:
        """`username`'s notifications about complaint `cid`, newest first (every page)."""
        path = "/api/v1/notifications" + ("?unread=true" if unread else "")
        items = self.list_all(self.client(username), path, limit=50)
        return [n for n in items if n["complaint_id"] == cid]

    def kinds(self, cid: int) -> dict:
        """Who holds which kinds of notification about `cid`."""
        return {u: sorted(n["kind"] for n in self.notices(u, cid)) for u in WATCHED}

    def registered(self) -> int:
        r = self.agent.post("/api/v1/complaints", dict(public_body(), channel="phone"))
        self.assertEqual(r.status, 201, r)
        self.act(self.agent, r.body["id"], "take", "assessing")
        return r.body["id"]

    def accept(self, cid: int, urgency: str = "general", **over) -> None:
        self.act(self.agent, cid, "accept", "assigned", category="delivery_delay",
                 urgency=urgency, difficulty="simple",
                 department_id=self.department_id("storage_transport"), **over)


class Notifications(NotificationsTestCase):

    def test_lifecycle_tells_the_right_people_and_marking_read_counts(self):
        nobody = {u: [] for u in WATCHED}
        cid = self.registered()
        self.assertEqual(self.kinds(cid), nobody, "intake notifies no one")
        before = {u: self.count(u) for u in WATCHED}

        # assignment: the assignee alone (the agent who assigned does not hear of it)
        self.accept(cid, assignee_id=self.user_id("handler.st"))
        self.assertEqual(self.kinds(cid), nobody | {"handler.st": ["assignment"]})
        self.assertEqual(self.count("handler.st"), before["handler.st"] + 1)
        for u in WATCHED:
            if u != "handler.st":
                self.assertEqual(self.count(u), before[u], f"{u}'s count moved")
        [assigned] = self.notices("handler.st", cid, unread=True)
        code = self.get_complaint(cid)["tracking_code"]
        self.assertEqual(assigned["tracking_code"], code)
        self.assertEqual(assigned["params"]["tracking_code"], code)
        self.assertIsNone(assigned["read_at"])
        self.assertTrue(assigned["created_at"].endswith("Z"), assigned)

        # a plan waiting for approval: the department's supervisor alone
        handler = self.client("handler.st")
        self.act(handler, cid, "start_investigation", "investigating")
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "refund", "description": "Shipping fee", "amount": 12.5,
                            "currency": "EUR"}], feasibility="Finance can refund today.")
        self.assertEqual(self.kinds(cid), nobody | {"handler.st": ["assignment"],
                                                    "supervisor.st": ["approval_waiting"]})
        [waiting] = self.notices("supervisor.st", cid)
        self.assertEqual(waiting["params"]["awaiting"], "supervisor")
        self.assertEqual(waiting["params"]["plan_round"], 1)
        # approving a plan no director must see tells no one else
        self.act(self.client("supervisor.st"), cid, "approve_plan", "awaiting_customer",
                 instructions="Refund within 3 days.")
        self.assertEqual(self.kinds(cid), nobody | {"handler.st": ["assignment"],
                                                    "supervisor.st": ["approval_waiting"]})

        # another user can neither mark nor see it: 404, and it stays unread
        for other in ("handler.qm", "supervisor.st", "admin"):
            r = self.client(other).post(f"/api/v1/notifications/{assigned['id']}/read", {})
            self.assertProblem(r, 404, msg=f"{other} marking handler.st's notification")
        self.assertIsNone(self.notices("handler.st", cid)[0]["read_at"])
        self.assertEqual(self.count("handler.st"), before["handler.st"] + 1)
        r = self.client("handler.st").post("/api/v1/notifications/999999999/read", {})
        self.assertProblem(r, 404)

        # the owner marks it: the count drops by one, read_at stays the first time
        r = handler.post(f"/api/v1/notifications/{assigned['id']}/read", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["id"], assigned["id"])
        self.assertIsNotNone(r.body["read_at"])
        self.assertEqual(r.body["unread_count"], before["handler.st"])
        self.assertEqual(self.count("handler.st"), before["handler.st"])
        first = r.body["read_at"]
        again = handler.post(f"/api/v1/notifications/{assigned['id']}/read", {})
        self.assertEqual((again.status, again.body["read_at"]), (200, first), again)
        self.assertEqual(self.notices("handler.st", cid, unread=True), [])
        self.assertEqual(len(self.notices("handler.st", cid)), 1, "read ones stay listed")

        # read-all: everything of the caller, nobody else's
        sup_before = self.count("supervisor.st")
        self.assertGreaterEqual(sup_before, 1)
        r = self.client("supervisor.st").post("/api/v1/notifications/read-all", {})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.body["marked"], r.body["unread_count"]), (sup_before, 0), r)
        self.assertEqual(self.count("supervisor.st"), 0)
        self.assertEqual(self.count("handler.st"), before["handler.st"])

    def test_department_routing_and_urgent_plans_reach_supervisor_and_director(self):
        nobody = {u: [] for u in WATCHED}
        # routed to a department with no assignee: its supervisor answers for it
        cid = self.registered()
        self.accept(cid)
        self.assertEqual(self.kinds(cid), nobody | {"supervisor.st": ["department_assignment"]})
        [routed] = self.notices("supervisor.st", cid)
        self.assertEqual(routed["params"]["department_id"],
                         self.department_id("storage_transport"))

        # urgent: the supervisor is told at once (escalation, level 1); the plan needs
        # the supervisor first, then a director
        cid = self.registered()
        self.accept(cid, urgency="urgent", assignee_id=self.user_id("handler.st"))
        self.assertEqual(self.kinds(cid), nobody | {"handler.st": ["assignment"],
                                                    "supervisor.st": ["escalation"]})
        [esc] = self.notices("supervisor.st", cid)
        self.assertEqual((esc["params"]["reason"], esc["params"]["level"]), ("urgent", 1))
        handler = self.client("handler.st")
        self.act(handler, cid, "start_investigation", "investigating")
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "apology", "description": "Written apology"}],
                 feasibility="Today.")
        self.assertEqual(self.kinds(cid)["supervisor.st"], ["approval_waiting", "escalation"])
        self.assertEqual(self.kinds(cid)["director"], [])
        self.act(self.client("supervisor.st"), cid, "approve_plan", "plan_review",
                 instructions="Fine by me; a director decides.")
        got = self.kinds(cid)
        self.assertEqual(got["director"], ["approval_waiting"])
        self.assertEqual(self.notices("director", cid)[0]["params"]["awaiting"], "director")
        self.assertEqual(got["supervisor.st"], ["approval_waiting", "escalation"], "no repeat")
        for u in ("agent", "handler.qm", "supervisor.qm", "qa", "admin"):
            self.assertEqual(got[u], [], u)

    def test_a_returned_plan_tells_its_handler_why(self):
        nobody = {u: [] for u in WATCHED}
        cid = self.registered()
        self.accept(cid, assignee_id=self.user_id("handler.st"))
        handler = self.client("handler.st")
        self.act(handler, cid, "start_investigation", "investigating")
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "apology", "description": "Written apology"}],
                 feasibility="Today.")
        self.act(self.client("supervisor.st"), cid, "return_plan", "investigating",
                 instructions="Offer the refund as well.")
        got = self.kinds(cid)
        self.assertEqual(got, nobody | {"handler.st": ["assignment", "plan_returned"],
                                        "supervisor.st": ["approval_waiting"]})
        [returned] = [n for n in self.notices("handler.st", cid) if n["kind"] == "plan_returned"]
        self.assertEqual(returned["params"]["instructions"], "Offer the refund as well.")
        self.assertEqual(returned["params"]["plan_round"], 1)
        self.assertIsNone(returned["read_at"])
        # the second proposal waits for the supervisor again (round 2)
        self.act(handler, cid, "propose_plan", "plan_review",
                 remedies=[{"type": "refund", "description": "Fee", "amount": 5,
                            "currency": "EUR"}], feasibility="Today.")
        rounds = sorted(n["params"]["plan_round"] for n in self.notices("supervisor.st", cid))
        self.assertEqual(rounds, [1, 2])

    def test_bad_queries_and_pages(self):
        handler = self.client("handler.st")
        for query, field in (("unread=yes", "unread"), ("limit=0", "limit"),
                             ("limit=201", "limit"), ("cursor=x12", "cursor")):
            self.assertProblem(handler.get("/api/v1/notifications?" + query), 422, [field],
                               msg=query)
        # pages: newest first, no overlap, the cursor continues below the last id
        for _ in range(3):
            self.accept(self.registered(), assignee_id=self.user_id("handler.st"))
        first = handler.get("/api/v1/notifications?limit=2")
        self.assertEqual(first.status, 200, first)
        ids = [n["id"] for n in first.body["items"]]
        self.assertEqual(len(ids), 2)
        self.assertEqual(ids, sorted(ids, reverse=True))
        self.assertTrue(first.body["next_cursor"])
        second = handler.get("/api/v1/notifications?limit=2&cursor=" + first.body["next_cursor"])
        self.assertEqual(second.status, 200, second)
        self.assertTrue(all(n["id"] < ids[-1] for n in second.body["items"]), second.body)
        self.assertEqual(first.body["unread_count"], self.count("handler.st"))


class SlaNotices(NotificationsTestCase):
    """A four-second target on the `assigned` state: the warning (at half) goes to the
    assignee, the breach to the department's supervisor, the second level to the
    director — each as an in-app notification written with the SLA event."""

    @classmethod
    def setUpClass(cls) -> None:
        os.environ["REDRESS_JOB_POLL_MS"] = "100"
        try:
            super().setUpClass()
        finally:
            os.environ.pop("REDRESS_JOB_POLL_MS", None)

    def test_warning_to_the_assignee_breach_to_the_supervisor(self):
        r = self.admin.post("/api/v1/sla-policies",
                            {"name": "four seconds assigned",
                             "state_targets": {"assigned": "PT4S"},
                             "warning_percent": 50, "director_percent": 150})
        self.assertEqual(r.status, 201, r)
        cid = self.registered()
        self.accept(cid, assignee_id=self.user_id("handler.st"))
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            got = self.kinds(cid)
            if got["director"]:
                break
            time.sleep(0.3)
        got = self.kinds(cid)
        self.assertEqual(got["handler.st"], ["assignment", "sla_warning"], got)
        self.assertEqual(got["supervisor.st"], ["escalation"], got)
        self.assertEqual(got["director"], ["escalation"], got)
        for u in ("agent", "handler.qm", "supervisor.qm", "qa", "admin"):
            self.assertEqual(got[u], [], u)
        warning = [n for n in self.notices("handler.st", cid) if n["kind"] == "sla_warning"][0]
        self.assertEqual((warning["params"]["clock"], warning["params"]["state"]),
                         ("state", "assigned"), warning)
        self.assertEqual(self.notices("supervisor.st", cid)[0]["params"]["level"], 1)
        self.assertEqual(self.notices("director", cid)[0]["params"]["level"], 2)
        # each with its event on the timeline
        actions = [e["action"] for e in self.timeline(cid)]
        self.assertIn("sla_warning", actions)
        self.assertEqual(actions.count("escalated"), 2, actions)


if __name__ == "__main__":
    main()
