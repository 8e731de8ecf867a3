"""The lessons-learned library (issue 5 item 8): GET /api/v1/lessons searches
the lessons and improvement actions of every complaint in the caller's scope
(accent-folded, in any language), GET /api/v1/improvement-actions lists the
actions by deadline, and PATCH /api/v1/improvement-actions/{id} keeps an
action current, in the complaint's timeline; bad input is refused and
changes nothing."""

import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, iso_in, main, unique  # noqa: E402

LESSONS = "/api/v1/lessons"
ACTIONS = "/api/v1/improvement-actions"


class LessonsLibrary(ApiTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.word = unique("pallet")  # a term no demo complaint holds

    def resolved_complaint(self) -> int:
        cid = self.submit()["id"]
        self.advance(cid, "resolved")
        return cid

    def put_review(self, cid: int, lessons: str, actions: list) -> dict:
        r = self.agent.put(f"/api/v1/complaints/{cid}/review",
                           {"lessons": lessons, "improvement_actions": actions})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{cid}/review")
        self.assertEqual(r.status, 200, r)
        return r.body

    def library(self, client, query: str = "") -> list:
        return self.list_all(client, LESSONS + ("?" + query if query else ""))

    def ids(self, entries) -> set:
        return {e["complaint"]["id"] for e in entries}

    def setUp(self) -> None:
        if hasattr(type(self), "first"):
            return
        owner = self.user_id("handler.st")
        cls = type(self)
        cls.first = self.resolved_complaint()
        cls.second = self.resolved_complaint()
        self.put_review(cls.first, f"Forklift damage: add a {self.word} hand-over checklist.", [
            {"title": "Train the night shift on the checklist", "owner_id": owner,
             "due_at": iso_in(days=-2), "status": "planned"},
            {"title": "Buy corner protectors", "status": "done"},
        ])
        self.put_review(cls.second, "Kiểm tra bao bì trước khi giao hàng cho khách.", [
            {"title": f"Quarterly {self.word} audit", "owner_id": owner,
             "due_at": iso_in(days=30), "status": "in_progress"},
        ])

    def test_search_finds_lessons_and_action_titles_in_any_language(self):
        both = self.ids(self.library(self.agent, "q=" + self.word))
        self.assertEqual(both, {self.first, self.second})  # lessons of one, action of the other
        forklift = self.ids(self.library(self.agent, "q=forklift+" + self.word))
        self.assertEqual(forklift, {self.first})
        # Vietnamese, typed without its accents, finds the accented lessons.
        folded = self.ids(self.library(self.agent, "q=" + urllib.parse.quote("kiem tra bao bi")))
        self.assertIn(self.second, folded)
        self.assertNotIn(self.first, folded)
        excluded = self.ids(self.library(self.agent, f"q={self.word}+-forklift"))
        self.assertEqual(excluded, {self.second})

    def test_entries_carry_lessons_and_actions(self):
        entries = {e["complaint"]["id"]: e for e in self.library(self.agent, "q=" + self.word)}
        first = entries[self.first]
        self.assertIn("hand-over checklist", first["lessons"])
        self.assertEqual([a["title"] for a in first["improvement_actions"]],
                         ["Train the night shift on the checklist", "Buy corner protectors"])
        self.assertEqual([a["overdue"] for a in first["improvement_actions"]], [True, False])
        self.assertEqual(first["complaint"]["state"], "resolved")
        self.assertTrue(first["complaint"]["tracking_code"])

    def test_action_conditions_filter_the_library(self):
        overdue = self.ids(self.library(self.agent, "overdue=true"))
        self.assertIn(self.first, overdue)
        self.assertNotIn(self.second, overdue)
        in_progress = self.ids(self.library(self.agent, "status=in_progress"))
        self.assertIn(self.second, in_progress)
        self.assertNotIn(self.first, in_progress)
        mine = self.ids(self.library(self.agent, f"owner_id={self.user_id('handler.st')}"))
        self.assertTrue({self.first, self.second} <= mine)
        self.assertEqual(self.ids(self.library(self.agent, f"owner_id={self.user_id('qa')}")) &
                         {self.first, self.second}, set())

    def test_scope_applies(self):
        word = "q=" + self.word
        self.assertEqual(self.ids(self.library(self.client("handler.st"), word)),
                         {self.first, self.second})
        self.assertEqual(self.ids(self.library(self.client("handler.qm"), word)), set())
        actions = self.list_all(self.client("handler.qm"), ACTIONS)
        self.assertFalse({a["complaint"]["id"] for a in actions} & {self.first, self.second})
        self.assertEqual(self.public.get(LESSONS).status, 401)

    def test_pages_cover_the_library_once(self):
        whole = [e["complaint"]["id"] for e in self.library(self.agent)]
        paged = [e["complaint"]["id"] for e in self.list_all(self.agent, LESSONS, limit=1)]
        self.assertEqual(paged, whole)
        self.assertEqual(whole, sorted(whole, reverse=True))
        actions = [a["id"] for a in self.list_all(self.agent, ACTIONS)]
        paged = [a["id"] for a in self.list_all(self.agent, ACTIONS, limit=1)]
        self.assertEqual(paged, actions)
        self.assertEqual(len(set(actions)), len(actions))

    def test_actions_by_deadline_undated_last(self):
        rows = self.list_all(self.agent, ACTIONS)
        dated = [a["due_at"] for a in rows if a["due_at"]]
        self.assertEqual(dated, sorted(dated))
        firsts_undated = next((i for i, a in enumerate(rows) if not a["due_at"]), len(rows))
        self.assertTrue(all(not a["due_at"] for a in rows[firsts_undated:]))
        overdue = self.list_all(self.agent, ACTIONS + "?overdue=true")
        self.assertTrue(overdue)
        self.assertTrue(all(a["overdue"] and a["status"] != "done" for a in overdue))
        titles = {a["title"] for a in overdue}
        self.assertIn("Train the night shift on the checklist", titles)

    def action(self, cid: int, title: str) -> dict:
        for a in self.list_all(self.agent, ACTIONS):
            if a["complaint"]["id"] == cid and a["title"] == title:
                return a
        self.fail(f"no action {title!r} on {cid}")

    def test_owner_updates_an_action_in_the_timeline(self):
        cid = self.resolved_complaint()
        self.put_review(cid, "Label fragile parcels.", [
            {"title": "Print fragile labels", "owner_id": self.user_id("handler.st"),
             "due_at": iso_in(days=-1), "status": "planned"}])
        a = self.action(cid, "Print fragile labels")
        self.assertTrue(a["overdue"])
        r = self.client("handler.st").patch(f"{ACTIONS}/{a['id']}", {"status": "done"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["status"], "done")
        self.assertFalse(r.body["overdue"])
        events = [e for e in self.timeline(cid) if e["action"] == "improvement_action_updated"]
        self.assertEqual(len(events), 1, events)
        # A new title is searchable at once; null clears the deadline.
        title = unique("relabel")
        r = self.agent.patch(f"{ACTIONS}/{a['id']}", {"title": title, "due_at": None})
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.body["due_at"])
        self.assertEqual(self.ids(self.library(self.agent, "q=" + title)), {cid})

    def test_refusals_change_nothing(self):
        cid = self.resolved_complaint()
        self.put_review(cid, "Seal boxes twice.", [
            {"title": "Buy better tape", "status": "planned"}])
        a = self.action(cid, "Buy better tape")
        path = f"{ACTIONS}/{a['id']}"
        snap = self.snapshot(cid)
        self.assertProblem(self.agent.patch(path, {"status": "finished"}), 422, ["status"])
        self.assertProblem(self.agent.patch(path, {"title": "  "}), 422, ["title"])
        self.assertProblem(self.agent.patch(path, {"colour": "red"}), 422, ["colour"])
        self.assertProblem(self.agent.patch(path, {"owner_id": 999999}), 422, ["owner_id"])
        self.assertProblem(self.agent.patch(path, {}), 422, ["body"])
        # Not the owner and outside the complaint's department: refused.
        self.assertProblem(self.client("handler.qm").patch(path, {"status": "done"}), 403)
        self.assertProblem(self.agent.patch(f"{ACTIONS}/987654321", {"status": "done"}), 404)
        self.assertUnchanged(cid, snap)
        self.assertEqual(self.action(cid, "Buy better tape")["status"], "planned")
        self.assertProblem(self.agent.get(LESSONS + "?limit=0"), 422, ["limit"])
        self.assertProblem(self.agent.get(LESSONS + "?status=late&overdue=maybe"), 422,
                           ["status", "overdue"])
        self.assertProblem(self.agent.get(LESSONS + "?cursor=zz"), 422, ["cursor"])
        self.assertProblem(self.agent.get(ACTIONS + "?cursor=d1_x"), 422, ["cursor"])

    def test_lessons_given_at_closing_join_the_library(self):
        cid = self.resolved_complaint()
        word = unique("closing")
        self.act(self.agent, cid, "close", "closed", lessons=f"Call back within a day {word}.")
        found = self.library(self.agent, "q=" + word)
        self.assertEqual(self.ids(found), {cid})
        self.assertEqual(found[0]["complaint"]["state"], "closed")
        self.assertEqual(found[0]["improvement_actions"], [])


if __name__ == "__main__":
    main()
