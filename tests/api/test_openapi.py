"""GET /api/v1/openapi.json is OpenAPI 3.1 and every route in it exists."""

import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, iso_in, items_of, main  # noqa: E402

METHODS = ("get", "post", "put", "patch", "delete")


class OpenApi(ApiTestCase):

    def test_document_and_routes(self):
        r = self.public.get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200, r)
        doc = r.body
        self.assertIsInstance(doc, dict, r)
        self.assertTrue(str(doc.get("openapi", "")).startswith("3.1"), doc.get("openapi"))
        self.assertTrue(doc.get("info", {}).get("title"))
        paths = doc.get("paths") or {}
        for p in ("/api/v1/complaints", "/api/v1/complaints/{id}/transitions",
                  "/api/v1/public/complaints", "/api/v1/auth/login"):
            self.assertTrue(any(re.sub(r"\{[^}]+\}", "{}", k) == re.sub(r"\{[^}]+\}", "{}", p)
                                for k in paths), f"{p} missing from the OpenAPI paths")

        # real ids for the path parameters
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        self.advance(cid, "investigating")
        h = self.client("handler.st")
        task = h.post(f"/api/v1/complaints/{cid}/tasks",
                      {"title": "t", "kind": "corrective", "owner_id": h.user_id,
                       "due_at": iso_in(days=2)}).body["id"]
        att = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                                [("a.txt", "text/plain", b"hello")]).body["items"][0]["id"]
        acc = self.client("supervisor.st").post(
            f"/api/v1/complaints/{cid}/accountability",
            {"subject": "s", "finding": "f", "loss_amount": 1}).body["id"]
        srule = self.admin.post("/api/v1/sanction-rules",
                                {"min_loss": 999999, "sanction": "note"}).body["id"]
        # POST /api/v1/notifications/{id}/read answers 404 for a notice that is not the
        # caller's: the admin supervises a new department and hears of a complaint routed there
        dept = self.admin.post("/api/v1/departments",
                               {"code": "openapi_probe", "name": "OpenAPI probe",
                                "supervisor_id": self.admin.user_id})
        self.assertEqual(dept.status, 201, dept)
        routed = self.submit()["id"]
        self.act(self.agent, routed, "take", "assessing")
        self.act(self.agent, routed, "accept", "assigned", category="delivery_delay",
                 urgency="general", difficulty="simple", department_id=dept.body["id"])
        notices = [n["id"] for n in self.admin.get("/api/v1/notifications").body["items"]
                   if n["complaint_id"] == routed]
        self.assertEqual(len(notices), 1, "the admin supervisor's routing notice")
        values = {
            "notifications": notices[0],
            "complaints": cid, "tasks": task, "attachments": att, "accountability": acc,
            "users": self.user_id("handler.qm"), "departments": self.department_id("sales"),
            "categories": "other", "sanction-rules": srule,
            "routing-rules": items_of(self.admin.get("/api/v1/routing-rules").body)[0]["id"],
            "policies": items_of(self.admin.get("/api/v1/policies").body)[0]["id"],
            "sla-policies": self.admin.post("/api/v1/sla-policies",
                                            {"name": "openapi probe"}).body["id"],
            "calendars": self.admin.post("/api/v1/calendars", {
                "name": "openapi probe", "time_zone": "UTC",
                "working_hours": {"monday": ["09:00-17:00"]}}).body["id"],
            "webhooks": self.admin.post("/api/v1/webhooks", {
                "url": "http://127.0.0.1:9/probe", "events": ["complaint.created"],
                "active": False}).body["id"],
            "channels": self.admin.post("/api/v1/channels", {"name": "openapi-probe"}).body["id"],
            # DELETE answers 404 for a view that is not the caller's: one of the admin's
            "saved-views": self.admin.post("/api/v1/saved-views",
                                           {"name": "openapi probe", "filter": {}}).body["id"],
            # /api/v1/templates/{kind}/{language}: a kind, then a language
            "templates": "survey", "{kind}": "vi",
            "imports": self.admin.request(
                "POST", "/api/v1/imports?format=cfpb", content_type="text/csv",
                raw=open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                                      "fixtures", "cfpb-excerpt.csv"), "rb").read()).body["id"],
        }

        # the portal serves only files the customer added: one of theirs
        mine = self.public.attach(code, token, [("mine.txt", "text/plain", b"customer file")])
        self.assertEqual(mine.status, 201, mine)
        public_attachment = mine.body["items"][0]["id"]

        def fill(path):
            segs, out = path.split("/"), []
            for i, s in enumerate(segs):
                if s.startswith("{") and s.endswith("}"):
                    prev = segs[i - 1] if i else ""
                    if prev == "complaints" and "/public/" in path:
                        out.append(code)
                    elif prev == "attachments" and "/public/" in path:
                        out.append(str(public_attachment))
                    else:
                        out.append(str(values.get(prev, 1)))
                else:
                    out.append(s)
            return "/".join(out)

        calls = []
        for path, item in paths.items():
            for m in METHODS:
                if m in item:
                    calls.append((m.upper(), path))
        self.assertTrue(calls)
        # destructive calls last, logout on its own session
        calls.sort(key=lambda c: (c[0] == "DELETE", "logout" in c[1]))
        failures = []
        for method, path in calls:
            url = fill(path)
            client = self.admin
            if "logout" in path:
                client = self.new_session("agent")
            body = {} if method in ("POST", "PUT", "PATCH") else None
            headers = {"X-Access-Token": token} if "/public/" in path else None
            r = client.request(method, url, body, headers=headers)
            if r.status in (404, 405):
                failures.append(f"{method} {path} ({url}) -> {r.status} {r.text[:200]}")
        self.assertEqual(failures, [], "routes in openapi.json that do not answer")


if __name__ == "__main__":
    main()
