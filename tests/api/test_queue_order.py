"""Queues by due time: `GET /api/v1/complaints?sort=due` lists complaints by the
earliest due time of their running SLA clocks (`due_at`), those without one
last; `overdue=true` keeps the ones past due; cursors walk both parts of the
order without skipping or repeating a row; bad values are refused by name.
"""

from __future__ import annotations

import datetime as _dt
import time
import unittest

from harness import ApiTestCase


def parse(ts: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


class QueueByDueTime(ApiTestCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        admin = cls.client("admin")
        for body in ({"name": "everyone: one hour to answer", "first_response": "PT1H"},
                     {"name": "urgent: one second to resolve", "urgency": "urgent",
                      "first_response": "PT1H", "resolution": "PT1S"}):
            r = admin.post("/api/v1/sla-policies", body)
            if r.status != 201:
                raise AssertionError(f"creating an SLA policy: {r!r}")

    def ours(self, items: list, ids: set) -> list:
        return [c["id"] for c in items if c["id"] in ids]

    def test_due_order_overdue_filter_and_cursors(self):
        a, b, c, d = (self.submit() for _ in range(4))
        ids = {x["id"] for x in (a, b, c, d)}
        got = {x["id"]: self.get_complaint(x["id"]) for x in (a, b, c, d)}
        for cid, body in got.items():
            due = parse(body["due_at"])
            received = parse(body["received_at"])
            self.assertAlmostEqual((due - received).total_seconds(), 3600, delta=1, msg=body)

        # B is answered: its only clock stops, so it has no due time any more.
        r = self.agent.post(f"/api/v1/complaints/{b['id']}/messages",
                            {"kind": "question", "text": "Which delivery address was it?"})
        self.assertEqual(r.status, 201, r)
        self.assertIsNone(self.get_complaint(b["id"])["due_at"])
        # D becomes urgent: its resolution clock (one second) is now the earliest.
        self.act(self.agent, d["id"], "take", "assessing")
        self.act(self.agent, d["id"], "accept", "assigned", category="delivery_delay",
                 urgency="urgent", difficulty="simple",
                 department_id=self.department_id("storage_transport"),
                 assignee_id=self.user_id("handler.st"))
        d_due = parse(self.get_complaint(d["id"])["due_at"])
        self.assertLess(d_due, parse(got[a["id"]]["due_at"]))

        # Every page size walks the same order, without gaps or repeats.
        expected = None
        for limit in (1, 2, 3, 200):
            rows = self.list_all(self.agent, "/api/v1/complaints?sort=due", limit=limit)
            seen = [x["id"] for x in rows]
            self.assertEqual(len(seen), len(set(seen)), f"limit {limit}: a row repeated")
            order = self.ours(rows, ids)
            if expected is None:
                expected = order
                self.assertEqual(order, [d["id"], a["id"], c["id"], b["id"]], rows[:8])
                # Rows with a due time come first, ascending; the rest by id.
                dues = [x["due_at"] for x in rows]
                first_none = dues.index(None) if None in dues else len(dues)
                self.assertTrue(all(x is None for x in dues[first_none:]))
                with_due = [parse(x) for x in dues[:first_none]]
                self.assertEqual(with_due, sorted(with_due))
                tail = seen[first_none:]
                self.assertEqual(tail, sorted(tail))
                everything = {x["id"] for x in self.all_complaints()}
                self.assertEqual(set(seen), everything, "sort=due lists the same rows")
            else:
                self.assertEqual(order, expected, f"limit {limit}")

        # Filters combine with the order.
        st = self.department_id("storage_transport")
        rows = self.list_all(self.agent,
                             f"/api/v1/complaints?sort=due&state=assigned&department_id={st}")
        self.assertIn(d["id"], [x["id"] for x in rows])
        self.assertTrue(all(x["state"] == "assigned" for x in rows))

        # Once D's second has passed, it alone (of ours) is overdue.
        time.sleep(max(0.0, (d_due - _dt.datetime.now(_dt.timezone.utc)).total_seconds()) + 0.3)
        rows = self.list_all(self.agent, "/api/v1/complaints?overdue=true&sort=due", limit=2)
        self.assertEqual(self.ours(rows, ids), [d["id"]])
        now = _dt.datetime.now(_dt.timezone.utc)
        self.assertTrue(all(parse(x["due_at"]) < now for x in rows), rows)
        newest = self.list_all(self.agent, "/api/v1/complaints?overdue=true")
        self.assertEqual(self.ours(newest, ids), [d["id"]])

    def test_bad_sort_overdue_and_cursor_are_named(self):
        for query, field in (("sort=oldest", "sort"), ("overdue=yes", "overdue"),
                             ("sort=due&cursor=c12", "cursor"), ("cursor=d1_2", "cursor"),
                             ("sort=due&cursor=d12", "cursor"), ("sort=due&cursor=nx", "cursor")):
            r = self.agent.get(f"/api/v1/complaints?{query}")
            self.assertEqual(r.status, 422, f"{query}: {r!r}")
            self.assertIn(field, [e.get("field") for e in r.body.get("errors", [])], r.body)


if __name__ == "__main__":
    unittest.main()
