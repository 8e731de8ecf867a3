"""Editing and retiring users, departments and categories (PATCH, never DELETE):
the guards, the sessions a retirement ends, the change log, and that routing and
classification refuse what was retired while old complaints keep showing it."""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, Client, items_of, main  # noqa: E402


class AdminEdit(ApiTestCase):

    def changes(self, entity: str, key) -> list:
        r = self.admin.get(f"/api/v1/admin-changes?entity={entity}&key={key}")
        self.assertEqual(r.status, 200, r)
        return [c["action"] for c in r.body["items"]]

    def user(self, uid: int) -> dict:
        return {u["id"]: u for u in items_of(self.admin.get("/api/v1/users").body)}[uid]

    def test_change_log_query_names_bad_parameters(self):
        r = self.admin.get("/api/v1/admin-changes?entity=policy&limit=0")
        self.assertProblem(r, 422, fields=("entity", "limit"))
        r = self.admin.get("/api/v1/admin-changes?entity=category&limit=2")
        self.assertEqual(r.status, 200, r)
        self.assertLessEqual(len(r.body["items"]), 2)
        self.assertTrue(all(c["entity"] == "category" for c in r.body["items"]), r.body)
        self.assertProblem(self.admin.get("/api/v1/admin-changes?cursor=zz"), 422,
                           fields=("cursor",))

    def test_change_log_pages_follow_the_cursor_without_overlap(self):
        for i in range(5):
            r = self.admin.post("/api/v1/categories", {"code": f"paging_{uuid.uuid4().hex[:8]}",
                                                       "name": f"Paging {i}"})
            self.assertEqual(r.status, 201, r)
        everything = self.admin.get("/api/v1/admin-changes?limit=500").body["items"]
        seen, cursor = [], None
        while True:
            r = self.admin.get("/api/v1/admin-changes?limit=2"
                               + (f"&cursor={cursor}" if cursor else ""))
            self.assertEqual(r.status, 200, r)
            self.assertLessEqual(len(r.body["items"]), 2)
            seen += [c["id"] for c in r.body["items"]]
            cursor = r.body["next_cursor"]
            if cursor is None:
                break
        self.assertEqual(seen, [c["id"] for c in everything], "every entry once, newest first")
        self.assertGreaterEqual(len(seen), 5)
        # the cursor combines with the entity filter
        first = self.admin.get("/api/v1/admin-changes?entity=category&limit=1").body
        second = self.admin.get("/api/v1/admin-changes?entity=category&limit=1&cursor="
                                + first["next_cursor"]).body
        self.assertEqual(second["items"][0]["entity"], "category")
        self.assertLess(second["items"][0]["id"], first["items"][0]["id"])

    def test_user_edit_retire_and_guards(self):
        admin, tag = self.admin, uuid.uuid4().hex[:8]
        r = admin.post("/api/v1/users", {"username": "edit." + tag, "password": "edit-pw-" + tag,
                                         "display_name": "Edit " + tag, "roles": ["agent"]})
        self.assertEqual(r.status, 201, r)
        uid = r.body["id"]
        person = Client(self.server, "edit." + tag)
        self.assertEqual(person.login("edit." + tag, "edit-pw-" + tag).status, 200)

        # bad input names every field and writes nothing
        r = admin.patch(f"/api/v1/users/{uid}", {"display_name": " ", "language": "xx",
                                                 "email": "nope", "roles": []})
        self.assertProblem(r, 422, fields=("display_name", "language", "email", "roles"))
        r = admin.patch(f"/api/v1/users/{uid}", {"display_name": "Y", "username": "y"})
        self.assertProblem(r, 422, fields=("username",))  # the user name is fixed
        self.assertEqual(self.user(uid)["display_name"], "Edit " + tag)
        # only administrators edit
        self.assertProblem(self.agent.patch(f"/api/v1/users/{uid}", {"display_name": "X"}), 403)

        r = admin.patch(f"/api/v1/users/{uid}", {"display_name": "Edited " + tag,
                                                 "roles": ["agent", "qa"], "language": "vi",
                                                 "email": "e@example.com"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.body["display_name"], r.body["roles"], r.body["language"]),
                         ("Edited " + tag, ["agent", "qa"], "vi"))

        # retired: the open session stops working at once, and log-in is refused
        self.assertEqual(person.get("/api/v1/auth/me").status, 200)
        r = admin.patch(f"/api/v1/users/{uid}", {"active": False})
        self.assertEqual(r.status, 200, r)
        self.assertIs(r.body["active"], False)
        self.assertEqual(person.get("/api/v1/auth/me").status, 401)
        self.assertEqual(Client(self.server).login("edit." + tag, "edit-pw-" + tag).status, 401)
        self.assertIn(uid, [u["id"] for u in items_of(admin.get("/api/v1/users").body)])
        self.assertEqual(self.changes("user", uid), ["deactivated", "updated", "created"])
        # brought back, the person signs in again
        self.assertEqual(admin.patch(f"/api/v1/users/{uid}", {"active": True}).status, 200)
        self.assertEqual(Client(self.server).login("edit." + tag, "edit-pw-" + tag).status, 200)

        # an administrator cannot retire themselves nor drop their own admin role
        me = admin.user_id
        self.assertProblem(admin.patch(f"/api/v1/users/{me}", {"active": False}), 422,
                           fields=("active",))
        self.assertProblem(admin.patch(f"/api/v1/users/{me}", {"roles": ["agent"]}), 422,
                           fields=("roles",))
        self.assertEqual(admin.get("/api/v1/auth/me").status, 200)
        self.assertProblem(admin.patch("/api/v1/users/999999", {"active": False}), 404)

    def test_department_and_category_retirement(self):
        admin, tag = self.admin, uuid.uuid4().hex[:8]
        top = admin.post("/api/v1/departments", {"code": "top_" + tag, "name": "Top"}).body["id"]
        sub = admin.post("/api/v1/departments", {"code": "sub_" + tag, "name": "Sub",
                                                 "parent_id": top}).body["id"]
        cat = "cat_" + tag
        self.assertEqual(admin.post("/api/v1/categories", {"code": cat, "name": "Cat"}).status, 201)

        # no cycle, no retiring a department that still has active sub-departments
        self.assertProblem(admin.patch(f"/api/v1/departments/{top}", {"parent_id": sub}), 422,
                           fields=("parent_id",))
        self.assertProblem(admin.patch(f"/api/v1/departments/{top}", {"active": False}), 422,
                           fields=("active",))
        self.assertProblem(admin.patch(f"/api/v1/categories/{cat}", {"name": ""}), 422,
                           fields=("name",))
        r = admin.patch(f"/api/v1/departments/{sub}", {"name": "Sub desk"})
        self.assertEqual((r.status, r.body.get("name")), (200, "Sub desk"), r)

        # a complaint routed there before the retirement keeps showing it
        cid = self.submit()["id"]
        self.advance(cid, "assessing")
        accept = {"category": cat, "urgency": "general", "difficulty": "simple",
                  "department_id": sub}
        later = self.submit()["id"]
        self.advance(later, "assessing")
        self.act(self.agent, cid, "accept", "assigned", **accept)
        r = admin.patch(f"/api/v1/departments/{sub}", {"active": False})
        self.assertEqual((r.status, r.body.get("active")), (200, False), r)
        r = admin.patch(f"/api/v1/categories/{cat}", {"active": False})
        self.assertEqual((r.status, r.body.get("active")), (200, False), r)
        shown = self.get_complaint(cid)
        self.assertEqual((shown["department_id"], shown["category"]), (sub, cat))
        listed = {d["id"]: d for d in items_of(admin.get("/api/v1/departments").body)}
        self.assertIs(listed[sub]["active"], False)

        # a new complaint cannot be routed or classified there: both fields named, nothing moved
        r = self.transition(self.agent, later, "accept", **accept)
        self.assertProblem(r, 422, fields=("category", "department_id"))
        self.assertEqual(self.get_complaint(later)["state"], "assessing")
        self.assertEqual(self.changes("department", sub), ["deactivated", "updated", "created"])
        self.assertEqual(self.changes("category", cat), ["deactivated", "created"])


if __name__ == "__main__":
    main()
