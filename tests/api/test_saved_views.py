"""Saved views (GET/POST /api/v1/saved-views, DELETE /api/v1/saved-views/{id}) and the
caller's own settings (GET/PATCH /api/v1/auth/me): each user sees and deletes only their
own views, a view's filter obeys the complaint list's rules, saving under a used name
replaces that view, bad input is refused with the field named and nothing written; the
language is kept per user and only one of the six is accepted."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, Client, DEMO_PASSWORD, main  # noqa: E402


class SavedViews(ApiTestCase):

    def views(self, client) -> list:
        r = client.get("/api/v1/saved-views")
        self.assertEqual(r.status, 200, r)
        return r.body["items"]

    def test_a_view_is_saved_listed_replaced_and_deleted_by_its_owner_only(self):
        handler = self.client("handler.st")
        other = self.client("handler.qm")
        r = handler.post("/api/v1/saved-views",
                         {"name": "  My urgent ones ",
                          "filter": {"urgency": "urgent", "sort": "due", "department_id": 3,
                                     "state": ""}})
        self.assertEqual(r.status, 201, r)
        view = r.body
        self.assertEqual(view["name"], "My urgent ones")  # trimmed
        # canonical: strings only, the empty "any" field dropped
        self.assertEqual(view["filter"], {"urgency": "urgent", "sort": "due", "department_id": "3"})
        # the filter really opens a queue: the list API takes it as it is
        from urllib.parse import urlencode
        self.assertEqual(handler.get("/api/v1/complaints?" + urlencode(view["filter"])).status, 200)

        self.assertIn(view["id"], [v["id"] for v in self.views(handler)])
        self.assertNotIn(view["id"], [v["id"] for v in self.views(other)])

        # the same name again replaces the filter of that view (200, same id)
        r = handler.post("/api/v1/saved-views",
                         {"name": "My urgent ones", "filter": {"q": "broken seal"}})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["id"], view["id"])
        mine = [v for v in self.views(handler) if v["name"] == "My urgent ones"]
        self.assertEqual([v["filter"] for v in mine], [{"q": "broken seal"}])

        # another user can neither see nor delete it: not found, and it stays
        self.assertProblem(other.delete(f"/api/v1/saved-views/{view['id']}"), 404)
        self.assertIn(view["id"], [v["id"] for v in self.views(handler)])
        r = handler.delete(f"/api/v1/saved-views/{view['id']}")
        self.assertEqual(r.status, 200, r)
        self.assertNotIn(view["id"], [v["id"] for v in self.views(handler)])
        self.assertProblem(handler.delete(f"/api/v1/saved-views/{view['id']}"), 404)

    def test_bad_views_are_refused_with_the_field_named_and_nothing_saved(self):
        agent = self.client("agent")
        before = self.views(agent)
        cases = [
            ({"filter": {"state": "new"}}, "name"),
            ({"name": "   ", "filter": {"state": "new"}}, "name"),
            ({"name": "x" * 101, "filter": {"state": "new"}}, "name"),
            ({"name": "No filter"}, "filter"),
            ({"name": "Array", "filter": ["state"]}, "filter"),
            ({"name": "Bad state", "filter": {"state": "sleeping"}}, "filter.state"),
            ({"name": "Bad urgency", "filter": {"urgency": "soon"}}, "filter.urgency"),
            ({"name": "Bad key", "filter": {"limit": "5"}}, "filter.limit"),
            ({"name": "Bad key", "filter": {"cursor": "abc"}}, "filter.cursor"),
            ({"name": "Sort and q", "filter": {"q": "seal", "sort": "due"}}, "filter.sort"),
            ({"name": "Nested", "filter": {"state": {"in": ["new"]}}}, "filter.state"),
            ({"name": "Overdue", "filter": {"overdue": "maybe"}}, "filter.overdue"),
        ]
        for body, field in cases:
            with self.subTest(body=body):
                self.assertProblem(agent.post("/api/v1/saved-views", body), 422, [field])
        self.assertEqual(self.views(agent), before)
        self.assertProblem(agent.delete("/api/v1/saved-views/abc"), 404)

    def test_views_need_a_signed_in_user_and_the_csrf_token(self):
        anonymous = Client(self.server, "anonymous")
        self.assertProblem(anonymous.get("/api/v1/saved-views"), 401)
        qa = self.client("qa")
        r = qa.request("POST", "/api/v1/saved-views",
                       {"name": "No token", "filter": {"state": "new"}}, csrf=False)
        self.assertProblem(r, 403)
        self.assertNotIn("No token", [v["name"] for v in self.views(qa)])


class OwnSettings(ApiTestCase):

    def test_me_returns_the_csrf_token_of_the_cookie_session(self):
        c = Client(self.server, "supervisor.st")
        login = c.login("supervisor.st", DEMO_PASSWORD)
        self.assertEqual(login.status, 200, login)
        r = c.get("/api/v1/auth/me")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["csrf_token"], login.body["csrf_token"])
        # the token from /auth/me is the one writes need
        c.csrf = r.body["csrf_token"]
        self.assertEqual(c.patch("/api/v1/auth/me", {"language": "fr"}).status, 200)

    def test_the_language_is_kept_per_user_and_only_one_of_the_six(self):
        c = self.new_session("director")
        r = c.patch("/api/v1/auth/me", {"language": "zh-Hant"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["user"]["language"], "zh-Hant")
        # a new session of the same user starts with it; other users keep theirs
        again = self.new_session("director")
        self.assertEqual(again.get("/api/v1/auth/me").body["user"]["language"], "zh-Hant")
        self.assertNotEqual(self.client("qa").get("/api/v1/auth/me").body["user"]["language"],
                            "zh-Hant")
        for body, field in [({"language": "de"}, "language"), ({"language": "ZH-hant"}, "language"),
                            ({"language": 3}, "language"), ({}, "language"),
                            ({"language": "vi", "roles": ["admin"]}, "roles")]:
            with self.subTest(body=body):
                self.assertProblem(c.patch("/api/v1/auth/me", body), 422, [field])
        me = c.get("/api/v1/auth/me").body["user"]
        self.assertEqual(me["language"], "zh-Hant")  # nothing written by the refusals
        self.assertNotIn("admin", me["roles"])


if __name__ == "__main__":
    main()
