"""The authorization matrix: every route, called by every kind of caller, answers exactly
the outcome SPEC §1 and §8 intend (docs/api-contract.md: 401 without credentials, 403 when
the role or the department scope is lacking on a write, 404 for a complaint outside the
caller's scope on a read and for a portal call without the complaint's own token).

The routes are taken from the running server's OpenAPI document AND from the router table
(`redress docs routes`); both must equal the rows of MATRIX, so a route added without a
row here fails this test. Each cell is a real request against a real server on the demo
organisation, with fixtures made through the API; a cell expecting success must answer
2xx, a refusal must answer exactly its status and change nothing it could have changed.
"""

import os
import re
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (ApiTestCase, Client, DEMO_PASSWORD, iso_in, main,  # noqa: E402
                     public_body, run_cli_exact)

OK = "2xx"

# The callers. Staff columns are demo accounts; the complaint fixtures are routed to
# storage_transport, so handler.st / supervisor.st are the owning department and
# handler.qm / supervisor.qm another one.
STAFF = {
    "agent": "agent",
    "handler_own": "handler.st",
    "handler_other": "handler.qm",
    "qa": "qa",
    "supervisor_own": "supervisor.st",
    "supervisor_other": "supervisor.qm",
    "director": "director",
    "admin": "admin",
}
# anonymous: no credentials at all. customer_other: the portal access token of ANOTHER
# complaint, sent as X-Access-Token and (an attack) as a bearer API token.
# customer_own: the portal access token of the fixture complaint, sent the same way.
ROLES = ("anonymous", "customer_other", "customer_own", *STAFF)


def staff(default, **over) -> dict:
    """No credentials → 401 for the three non-staff callers; `default` for every staff
    caller unless overridden."""
    row = {"anonymous": 401, "customer_other": 401, "customer_own": 401}
    row.update({role: default for role in STAFF})
    row.update(over)
    assert set(row) == set(ROLES), row
    return row


EVERYONE = {role: OK for role in ROLES}
STAFF_READ = staff(OK)
ADMIN_ONLY = staff(403, admin=OK)
# Organisation-wide roles and the owning department see the complaint; another
# department's handler and supervisor are told it does not exist.
SCOPED_READ = staff(OK, handler_other=404, supervisor_other=404)
# Only the holder of the complaint's own token gets past the portal; everyone else,
# staff included (the portal has no sessions), is told it does not exist.
PORTAL_OWN = {role: 404 for role in ROLES} | {"customer_own": OK}


def scoped_write(*allowed) -> dict:
    """A write on the fixture complaint: the listed staff columns succeed, every other
    staff caller (other department included: writes say 403) is refused with 403."""
    return staff(403, **{role: OK for role in allowed})


# (METHOD, OpenAPI path) -> expected outcome per caller. SPEC §1: agents register and talk
# to the customer, handlers investigate and carry out tasks, QA analyses causes and
# verifies, supervisors review and decide accountability, directors guide, administrators
# configure. Lists of the organisation (users, departments, rules) are readable by all staff
# (assignee and category pickers); changing them is for administrators only.
MATRIX = {
    # operations and the public lifecycle description
    ("GET", "/healthz"): EVERYONE,
    ("GET", "/readyz"): EVERYONE,
    ("GET", "/api/v1/openapi.json"): EVERYONE,
    ("GET", "/api/v1/lifecycle"): EVERYONE,
    # auth: logging in needs no session (the body carries the credentials)
    ("POST", "/api/v1/auth/login"): EVERYONE,
    ("POST", "/api/v1/auth/logout"): STAFF_READ,
    ("GET", "/api/v1/auth/me"): STAFF_READ,
    ("POST", "/api/v1/auth/tokens"): STAFF_READ,
    # both end every session of the caller (the matrix logs the role in again after)
    ("POST", "/api/v1/auth/logout-everywhere"): STAFF_READ,
    ("POST", "/api/v1/auth/password"): STAFF_READ,
    # the caller's own language
    ("PATCH", "/api/v1/auth/me"): STAFF_READ,
    # saved views: every staff user keeps their own (each deletes a view of their own)
    ("GET", "/api/v1/saved-views"): STAFF_READ,
    ("POST", "/api/v1/saved-views"): STAFF_READ,
    ("DELETE", "/api/v1/saved-views/{id}"): STAFF_READ,
    # notifications: every staff user reads and marks their own; the fixture notice is
    # handler.st's assignment, so marking it is someone else's for every other caller (404)
    ("GET", "/api/v1/notifications"): STAFF_READ,
    ("GET", "/api/v1/notifications/count"): STAFF_READ,
    ("POST", "/api/v1/notifications/{id}/read"): staff(404, handler_own=OK),
    ("POST", "/api/v1/notifications/read-all"): STAFF_READ,
    # triage: suggestions follow the complaint's visibility; retraining is configuration
    ("GET", "/api/v1/complaints/{id}/suggestions"): SCOPED_READ,
    ("GET", "/api/v1/complaints/{id}/duplicates"): SCOPED_READ,
    ("GET", "/api/v1/triage/model"): STAFF_READ,
    ("POST", "/api/v1/triage/train"): ADMIN_ONLY,
    # personal data and other users' sessions: administrators only
    ("POST", "/api/v1/customers/{id}/erase"): ADMIN_ONLY,
    ("POST", "/api/v1/users/{id}/revoke-sessions"): ADMIN_ONLY,
    # complaints
    ("POST", "/api/v1/complaints"): scoped_write("agent", "supervisor_own", "supervisor_other"),
    ("GET", "/api/v1/complaints"): STAFF_READ,
    # export: any list filter, in the same scope as the list
    ("GET", "/api/v1/complaints/export"): STAFF_READ,
    ("GET", "/api/v1/complaints/{id}"): SCOPED_READ,
    ("PATCH", "/api/v1/complaints/{id}"): scoped_write("agent", "handler_own", "supervisor_own"),
    # the `hold` action (agent, handler, supervisor in SPEC §2) from investigating
    ("POST", "/api/v1/complaints/{id}/transitions"):
        scoped_write("agent", "handler_own", "supervisor_own"),
    ("GET", "/api/v1/complaints/{id}/timeline"): SCOPED_READ,
    # the case file
    ("GET", "/api/v1/complaints/{id}/messages"): SCOPED_READ,
    # an internal note: every role working the case; administrators only configure
    ("POST", "/api/v1/complaints/{id}/messages"):
        scoped_write("agent", "handler_own", "qa", "supervisor_own", "director"),
    ("GET", "/api/v1/complaints/{id}/attachments"): SCOPED_READ,
    ("POST", "/api/v1/complaints/{id}/attachments"):
        scoped_write("agent", "handler_own", "qa", "supervisor_own"),
    ("GET", "/api/v1/complaints/{id}/attachments/{aid}"): SCOPED_READ,
    ("GET", "/api/v1/complaints/{id}/causes"): SCOPED_READ,
    ("POST", "/api/v1/complaints/{id}/causes"): scoped_write("handler_own", "qa", "supervisor_own"),
    ("GET", "/api/v1/complaints/{id}/plan"): SCOPED_READ,
    ("GET", "/api/v1/complaints/{id}/tasks"): SCOPED_READ,
    ("POST", "/api/v1/complaints/{id}/tasks"): scoped_write("handler_own", "qa", "supervisor_own"),
    # the task's owner (handler.st) or the handling department
    ("PATCH", "/api/v1/complaints/{id}/tasks/{tid}"):
        scoped_write("handler_own", "qa", "supervisor_own"),
    ("GET", "/api/v1/complaints/{id}/accountability"): SCOPED_READ,
    ("POST", "/api/v1/complaints/{id}/accountability"):
        scoped_write("handler_own", "qa", "supervisor_own", "director"),
    ("POST", "/api/v1/complaints/{id}/accountability/{eid}/confirm"):
        scoped_write("supervisor_own", "director"),
    ("GET", "/api/v1/complaints/{id}/review"): SCOPED_READ,
    ("PUT", "/api/v1/complaints/{id}/review"):
        scoped_write("agent", "handler_own", "qa", "supervisor_own", "director"),
    ("GET", "/api/v1/complaints/{id}/satisfaction"): SCOPED_READ,
    # on a resolved complaint: agents record what the customer said (supervisors too)
    ("POST", "/api/v1/complaints/{id}/satisfaction"): scoped_write("agent", "supervisor_own"),
    ("GET", "/api/v1/complaints/{id}/sla"): SCOPED_READ,
    # the organisation
    ("GET", "/api/v1/users"): STAFF_READ,
    ("POST", "/api/v1/users"): ADMIN_ONLY,
    ("GET", "/api/v1/departments"): STAFF_READ,
    ("POST", "/api/v1/departments"): ADMIN_ONLY,
    ("GET", "/api/v1/categories"): STAFF_READ,
    ("POST", "/api/v1/categories"): ADMIN_ONLY,
    # editing and retiring the organisation, and its change log
    ("PATCH", "/api/v1/users/{id}"): ADMIN_ONLY,
    ("PATCH", "/api/v1/departments/{id}"): ADMIN_ONLY,
    ("PATCH", "/api/v1/categories/{code}"): ADMIN_ONLY,
    ("GET", "/api/v1/admin-changes"): ADMIN_ONLY,
    ("GET", "/api/v1/policies"): STAFF_READ,
    ("POST", "/api/v1/policies"): ADMIN_ONLY,
    ("PUT", "/api/v1/policies/{id}"): ADMIN_ONLY,
    ("GET", "/api/v1/routing-rules"): STAFF_READ,
    ("POST", "/api/v1/routing-rules"): ADMIN_ONLY,
    ("PUT", "/api/v1/routing-rules/{id}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/routing-rules/{id}"): ADMIN_ONLY,
    ("GET", "/api/v1/sanction-rules"): STAFF_READ,
    ("POST", "/api/v1/sanction-rules"): ADMIN_ONLY,
    ("DELETE", "/api/v1/sanction-rules/{id}"): ADMIN_ONLY,
    ("GET", "/api/v1/calendars"): STAFF_READ,
    ("POST", "/api/v1/calendars"): ADMIN_ONLY,
    ("PUT", "/api/v1/calendars/{id}"): ADMIN_ONLY,
    ("GET", "/api/v1/sla-policies"): STAFF_READ,
    ("POST", "/api/v1/sla-policies"): ADMIN_ONLY,
    ("PUT", "/api/v1/sla-policies/{id}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/sla-policies/{id}"): ADMIN_ONLY,
    # e-mail delivery carries customers' addresses: administrators only
    ("GET", "/api/v1/outbox"): ADMIN_ONLY,
    # e-mail in: senders' addresses and subjects, administrators only
    ("GET", "/api/v1/inbound-mail"): ADMIN_ONLY,
    # integrations: webhook subscriptions carry secrets and URLs, administrators only
    ("GET", "/api/v1/webhooks"): ADMIN_ONLY,
    ("POST", "/api/v1/webhooks"): ADMIN_ONLY,
    ("GET", "/api/v1/webhooks/{id}"): ADMIN_ONLY,
    ("PATCH", "/api/v1/webhooks/{id}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/webhooks/{id}"): ADMIN_ONLY,
    # inbound channels: administrators manage them and their tokens
    ("GET", "/api/v1/channels"): ADMIN_ONLY,
    ("POST", "/api/v1/channels"): ADMIN_ONLY,
    ("PATCH", "/api/v1/channels/{id}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/channels/{id}"): ADMIN_ONLY,
    ("POST", "/api/v1/channels/{id}/token"): ADMIN_ONLY,
    # a bridge's endpoint takes only its channel's token: sessions, API tokens and portal
    # tokens are all refused (test_integrations.py drives it with the real token)
    ("POST", "/api/v1/channels/{name}/messages"): {role: 401 for role in ROLES},
    # mail templates are configuration
    ("GET", "/api/v1/templates"): ADMIN_ONLY,
    ("GET", "/api/v1/templates/{kind}/{language}"): ADMIN_ONLY,
    ("PUT", "/api/v1/templates/{kind}/{language}"): ADMIN_ONLY,
    ("DELETE", "/api/v1/templates/{kind}/{language}"): ADMIN_ONLY,
    # uploaded imports: configuration work, administrators only
    ("POST", "/api/v1/imports"): ADMIN_ONLY,
    ("GET", "/api/v1/imports/{id}"): ADMIN_ONLY,
    ("GET", "/api/v1/imports/{id}/rejects"): ADMIN_ONLY,
    # reports (scoped like the complaint list)
    ("GET", "/api/v1/reports/dashboard"): STAFF_READ,
    # the management review and its training needs: organisation-wide figures for the
    # directors (SPEC §1: they receive the review), QA (it leads the analysis of causes)
    # and administrators
    ("GET", "/api/v1/reports/management-review"): staff(403, qa=OK, director=OK, admin=OK),
    ("GET", "/api/v1/reports/training-needs"): staff(403, qa=OK, director=OK, admin=OK),
    # the lessons-learned library: every member of staff learns from it, within the scope
    # of the complaint list; an action is kept current by whoever may record the review
    # (the fixture action's owner is handler.st, of the complaint's own department)
    ("GET", "/api/v1/lessons"): STAFF_READ,
    ("GET", "/api/v1/improvement-actions"): STAFF_READ,
    ("PATCH", "/api/v1/improvement-actions/{id}"):
        scoped_write("agent", "handler_own", "qa", "supervisor_own", "director"),
    # a department's warning record ({id}: storage_transport, the fixtures' department):
    # the organisation-wide readers and the supervisor of that department's subtree; the
    # ranking compares departments, so only the organisation-wide readers
    ("GET", "/api/v1/reports/departments/{id}/warnings"):
        staff(403, qa=OK, director=OK, admin=OK, supervisor_own=OK),
    ("GET", "/api/v1/reports/departments/warnings"): staff(403, qa=OK, director=OK, admin=OK),
    # hotspots: every staff member, within the department scope (like the dashboard)
    ("GET", "/api/v1/reports/hotspots"): STAFF_READ,
    # the board report: organisation-wide, for the directors, QA and administrators
    ("GET", "/api/v1/reports/board"): staff(403, qa=OK, director=OK, admin=OK),
    # the public portal
    ("POST", "/api/v1/public/complaints"): EVERYONE,
    ("GET", "/api/v1/public/complaints/{code}"): PORTAL_OWN,
    ("POST", "/api/v1/public/complaints/{code}/actions"): PORTAL_OWN,
    # the customer's evidence: added and downloaded with the complaint's own token only
    # ({aid}: a file the customer added; staff evidence is checked in
    # test_portal_attachments.py)
    ("POST", "/api/v1/public/complaints/{code}/attachments"): PORTAL_OWN,
    ("GET", "/api/v1/public/complaints/{code}/attachments/{aid}"): PORTAL_OWN,
}

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def shape(path: str) -> str:
    """A path with its parameter names erased: /a/{id}/b and /a/:x/b compare equal."""
    return re.sub(r"\{[^}/]+\}|:[^/]+", "{}", path)


class AuthorizationMatrix(ApiTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.callers = {}
        for role, username in STAFF.items():
            cls.callers[role] = cls.client(username)
        cls.callers["anonymous"] = Client(cls.server, "anonymous")

    # ------------------------------------------------------------------ fixtures

    def intake(self) -> dict:
        """A complaint registered by the agent (the portal's rate limits stay out of it)."""
        r = self.agent.post("/api/v1/complaints", dict(public_body(), channel="phone"))
        self.assertEqual(r.status, 201, r)
        return r.body

    def investigating(self) -> dict:
        """A complaint routed to storage_transport and under investigation."""
        c = self.intake()
        self.advance(c["id"], "investigating")
        got = self.get_complaint(c["id"])
        self.assertEqual(got["department_id"], self.department_id("storage_transport"), got)
        return c

    def customer(self, complaint: dict, name: str) -> Client:
        c = Client(self.server, name)
        c.bearer = complaint["access_token"]  # a portal token is not an API token
        c.extra = {"X-Access-Token": complaint["access_token"]}
        return c

    def build_fixtures(self):
        f = {}
        case = self.investigating()
        f["case"] = case
        cid = case["id"]
        h = self.client("handler.st")
        r = h.post(f"/api/v1/complaints/{cid}/tasks",
                   {"title": "Re-pack the stock", "kind": "corrective",
                    "owner_id": h.user_id, "due_at": iso_in(days=3)})
        self.assertEqual(r.status, 201, r)
        f["task"] = r.body["id"]
        r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                              [("note.txt", "text/plain", b"evidence")])
        self.assertEqual(r.status, 201, r)
        f["attachment"] = r.body["items"][0]["id"]
        r = self.client("supervisor.st").post(f"/api/v1/complaints/{cid}/accountability",
                                              {"subject": "Warehouse B", "finding": "Crushed",
                                               "loss_amount": 10})
        self.assertEqual(r.status, 201, r)
        f["entry"] = r.body["id"]
        resolved = self.intake()
        self.advance(resolved["id"], "resolved")
        f["resolved"] = resolved["id"]
        r = self.agent.put(f"/api/v1/complaints/{resolved['id']}/review",
                           {"lessons": "Matrix lessons",
                            "improvement_actions": [{"title": "Matrix action",
                                                     "owner_id": h.user_id}]})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{resolved['id']}/review")
        self.assertEqual(r.status, 200, r)
        f["action"] = r.body["improvement_actions"][0]["id"]
        f["notification"] = self.new_notification()
        other = self.intake()
        self.callers["customer_own"] = self.customer(case, "customer_own")
        r = self.public.attach(case["tracking_code"], case["access_token"],
                               [("receipt.txt", "text/plain", b"the customer's receipt")])
        self.assertEqual(r.status, 201, r)
        f["customer_attachment"] = r.body["items"][0]["id"]
        self.callers["customer_other"] = self.customer(other, "customer_other")
        f["code"] = case["tracking_code"]
        admin = self.admin
        f["policy_category"] = self.new_category()
        r = admin.post("/api/v1/policies", {"name": "matrix", "category": f["policy_category"]})
        self.assertEqual(r.status, 201, r)
        f["policy"] = r.body["id"]
        f["routing_rule"] = self.new_routing_rule()  # the demo's rules keep routing
        f["calendar"] = self.new_calendar()
        f["sla_policy"] = self.new_sla_policy()
        f["webhook"] = self.new_webhook()
        f["channel"], f["channel_name"] = self.new_channel()
        r = admin.upload("/api/v1/imports", [("matrix.csv", "text/csv", self.cfpb_csv())])
        self.assertEqual(r.status, 202, r)
        f["import"] = r.body["id"]
        return f

    @staticmethod
    def cfpb_csv() -> bytes:
        """A one-row CFPB export with a Complaint ID of its own."""
        header = ("Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,"
                  "Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,"
                  "Submitted via,Date sent to company,Company response to consumer,"
                  "Timely response?,Consumer disputed?,Complaint ID")
        row = (f"2024-01-02,Matrix product,,Issue,,Narrative,,Matrix Co,CA,,,,Web,2024-01-03,"
               f"In progress,Yes,N/A,{800000000 + uuid.uuid4().int % 99999999}")
        return (header + "\n" + row + "\n").encode()

    def new_channel(self) -> tuple:
        name = "matrix-" + uuid.uuid4().hex[:8]
        r = self.admin.post("/api/v1/channels", {"name": name})
        self.assertEqual(r.status, 201, r)
        return r.body["id"], name

    def new_notification(self) -> int:
        """An assignment notice of handler.st's (the agent assigns a complaint to them)."""
        cid = self.intake()["id"]
        self.advance(cid, "assessing")
        self.act(self.agent, cid, "accept", "assigned", category="delivery_delay",
                 urgency="general", difficulty="simple",
                 department_id=self.department_id("storage_transport"),
                 assignee_id=self.client("handler.st").user_id)
        r = self.client("handler.st").get("/api/v1/notifications?limit=200")
        self.assertEqual(r.status, 200, r)
        mine = [n["id"] for n in r.body["items"]
                if n["complaint_id"] == cid and n["kind"] == "assignment"]
        self.assertEqual(len(mine), 1, r.body)
        return mine[0]

    def new_saved_view(self, username: str) -> int:
        r = self.client(username).post("/api/v1/saved-views",
                                       {"name": "matrix " + uuid.uuid4().hex[:8],
                                        "filter": {"urgency": "urgent"}})
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_webhook(self) -> int:
        r = self.admin.post("/api/v1/webhooks", self.webhook_body())
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    @staticmethod
    def webhook_body() -> dict:
        # inactive: the matrix's events are not delivered anywhere
        return {"url": "http://127.0.0.1:9/matrix", "events": ["complaint.created"],
                "active": False}

    def new_calendar(self) -> int:
        r = self.admin.post("/api/v1/calendars", self.calendar_body())
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_category(self) -> str:
        code = "matrix_" + uuid.uuid4().hex[:8]
        r = self.admin.post("/api/v1/categories", {"code": code, "name": code})
        self.assertEqual(r.status, 201, r)
        return code

    def new_department(self) -> int:
        code = "matrix_" + uuid.uuid4().hex[:8]
        r = self.admin.post("/api/v1/departments", {"code": code, "name": code})
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_sla_policy(self) -> int:
        r = self.admin.post("/api/v1/sla-policies", {"name": "matrix " + uuid.uuid4().hex[:8]})
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_routing_rule(self) -> int:
        r = self.admin.post("/api/v1/routing-rules", self.routing_rule_body())
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_user(self) -> int:
        tag = uuid.uuid4().hex[:8]
        r = self.admin.post("/api/v1/users", {"username": "matrix." + tag,
                                              "password": "matrix-password-" + tag,
                                              "display_name": "Matrix " + tag,
                                              "roles": ["agent"]})
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    def new_sanction_rule(self) -> int:
        r = self.admin.post("/api/v1/sanction-rules", {"min_loss": 900000, "sanction": "note"})
        self.assertEqual(r.status, 201, r)
        return r.body["id"]

    @staticmethod
    def calendar_body() -> dict:
        return {"name": "matrix " + uuid.uuid4().hex[:8], "time_zone": "UTC",
                "working_hours": {"monday": ["09:00-17:00"]}}

    def routing_rule_body(self) -> dict:
        return {"name": "matrix " + uuid.uuid4().hex[:8], "position": 900,
                "keywords": ["matrix-" + uuid.uuid4().hex[:8]],
                "department_id": self.department_id("sales")}

    # ------------------------------------------------------------------ requests

    def request_for(self, f: dict, role: str, method: str, path: str) -> dict:
        """The request that exercises (method, path) for `role`: real ids, a valid body,
        and a fresh object wherever a success would consume the shared one."""
        cid = f["case"]["id"]
        tag = uuid.uuid4().hex[:8]
        ids = {"id": cid, "tid": f["task"], "aid": f["attachment"], "eid": f["entry"],
               "code": f["code"], "name": f["channel_name"], "kind": "survey", "language": "vi"}
        body = None
        upload = None
        session = None
        refresh = False
        key = (method, path)
        if path.startswith("/api/v1/policies/"):
            ids["id"] = f["policy"]
        elif path.startswith("/api/v1/routing-rules/"):
            ids["id"] = self.new_routing_rule() if method == "DELETE" else f["routing_rule"]
        elif path.startswith("/api/v1/sanction-rules/"):
            ids["id"] = self.new_sanction_rule()
        elif path.startswith("/api/v1/calendars/"):
            ids["id"] = f["calendar"]
        elif path.startswith("/api/v1/sla-policies/"):
            ids["id"] = self.new_sla_policy() if method == "DELETE" else f["sla_policy"]
        elif path.startswith("/api/v1/webhooks/"):
            ids["id"] = self.new_webhook() if method == "DELETE" else f["webhook"]
        elif path.startswith("/api/v1/imports/"):
            ids["id"] = f["import"]
        elif path.startswith("/api/v1/improvement-actions/"):
            ids["id"] = f["action"]
        elif path.startswith("/api/v1/channels/{id}"):
            ids["id"] = self.new_channel()[0] if method == "DELETE" else f["channel"]
        elif path == "/api/v1/saved-views/{id}":
            # a view of the caller's own (the admin's for callers without an account)
            ids["id"] = self.new_saved_view(STAFF.get(role, "admin"))
        elif path == "/api/v1/notifications/{id}/read":
            ids["id"] = f["notification"]
        elif path.startswith("/api/v1/reports/departments/{id}"):
            ids["id"] = self.department_id("storage_transport")
        elif path == "/api/v1/public/complaints/{code}/attachments/{aid}":
            ids["aid"] = f["customer_attachment"]

        if key == ("POST", "/api/v1/auth/login"):
            body = {"username": STAFF.get(role, "agent"), "password": DEMO_PASSWORD}
            session = Client(self.server, role)  # a fresh caller, nothing to log out
        elif key == ("POST", "/api/v1/auth/logout"):
            if role in STAFF:
                session = self.new_session(STAFF[role])  # keep the shared session alive
        elif key == ("POST", "/api/v1/auth/tokens"):
            body = {"name": "matrix " + tag}
        elif key in (("POST", "/api/v1/auth/logout-everywhere"), ("POST", "/api/v1/auth/password")):
            body = {"current_password": DEMO_PASSWORD, "new_password": DEMO_PASSWORD}
            refresh = role in STAFF
        elif key == ("PATCH", "/api/v1/auth/me"):
            body = {"language": "en"}
        elif key == ("POST", "/api/v1/saved-views"):
            body = {"name": "Matrix " + tag, "filter": {"state": "investigating"}}
        elif key in (("POST", "/api/v1/notifications/{id}/read"),
                     ("POST", "/api/v1/notifications/read-all")):
            body = {}
        elif key == ("POST", "/api/v1/imports"):
            upload = [("matrix.csv", "text/csv", self.cfpb_csv())]
        elif key == ("POST", "/api/v1/triage/train"):
            body = {}
        elif key == ("POST", "/api/v1/customers/{id}/erase"):
            # a success erases: only the admin's call gets a customer of its own
            ids["id"] = (self.intake() if role == "admin" else f["case"])["customer"]["id"]
            body = {"reason": "Matrix erasure " + tag}
        elif key == ("POST", "/api/v1/users/{id}/revoke-sessions"):
            ids["id"] = self.new_user()
            body = {}
        elif key in (("POST", "/api/v1/complaints"), ("POST", "/api/v1/public/complaints")):
            body = public_body()
            if path == "/api/v1/complaints":
                body["channel"] = "phone"
        elif key == ("PATCH", "/api/v1/complaints/{id}"):
            body = {"subject": "Edited by the matrix " + tag}
        elif key == ("POST", "/api/v1/complaints/{id}/transitions"):
            ids["id"] = self.investigating()["id"]  # a success puts it on hold
            body = {"action": "hold", "reason": "Waiting for the customer's photos"}
        elif key == ("POST", "/api/v1/complaints/{id}/messages"):
            body = {"kind": "note", "text": "Matrix note " + tag}
        elif key == ("POST", "/api/v1/complaints/{id}/attachments"):
            upload = [("matrix.txt", "text/plain", b"matrix evidence " + tag.encode())]
        elif key == ("POST", "/api/v1/complaints/{id}/causes"):
            body = {"family": "method", "description": "Stacking rule ignored " + tag}
        elif key == ("POST", "/api/v1/complaints/{id}/tasks"):
            body = {"title": "Matrix task " + tag, "kind": "preventive"}
        elif key == ("PATCH", "/api/v1/complaints/{id}/tasks/{tid}"):
            body = {"note": "Progress " + tag}
        elif key == ("POST", "/api/v1/complaints/{id}/accountability"):
            body = {"subject": "Shift " + tag, "finding": "Skipped the check", "loss_amount": 5}
        elif key == ("POST", "/api/v1/complaints/{id}/accountability/{eid}/confirm"):
            body = {"sanction": "Verbal warning " + tag}
        elif key == ("PUT", "/api/v1/complaints/{id}/review"):
            body = {"lessons": "Check stacking " + tag, "improvement_actions": []}
        elif key == ("PATCH", "/api/v1/improvement-actions/{id}"):
            body = {"status": "in_progress", "resources": "Matrix " + tag}
        elif key == ("POST", "/api/v1/complaints/{id}/satisfaction"):
            ids["id"] = f["resolved"]
            body = {"score": 4, "comment": "Fine " + tag}
        elif key == ("PATCH", "/api/v1/users/{id}"):
            ids["id"] = self.new_user()
            body = {"display_name": "Matrix " + tag}
        elif key == ("PATCH", "/api/v1/departments/{id}"):
            ids["id"] = self.new_department()
            body = {"name": "Matrix " + tag}
        elif key == ("PATCH", "/api/v1/categories/{code}"):
            ids["code"] = self.new_category()
            body = {"name": "Matrix " + tag}
        elif key == ("POST", "/api/v1/users"):
            body = {"username": "matrix." + tag, "password": "matrix-password-" + tag,
                    "display_name": "Matrix " + tag, "roles": ["agent"]}
        elif key == ("POST", "/api/v1/departments"):
            body = {"code": "matrix_" + tag, "name": "Matrix " + tag}
        elif key == ("POST", "/api/v1/categories"):
            body = {"code": "matrix_" + tag, "name": "Matrix " + tag}
        elif key == ("POST", "/api/v1/policies"):
            # one policy per category: only a success needs a category of its own
            body = {"name": "Matrix " + tag,
                    "category": self.new_category() if role == "admin" else "other"}
        elif key == ("PUT", "/api/v1/policies/{id}"):
            body = {"name": "Matrix " + tag, "category": f["policy_category"]}
        elif key in (("POST", "/api/v1/routing-rules"), ("PUT", "/api/v1/routing-rules/{id}")):
            body = self.routing_rule_body()
        elif key == ("POST", "/api/v1/sanction-rules"):
            body = {"min_loss": 800000 + int(tag[:4], 16), "sanction": "Matrix " + tag}
        elif key in (("POST", "/api/v1/calendars"), ("PUT", "/api/v1/calendars/{id}")):
            body = self.calendar_body()
        elif key in (("POST", "/api/v1/sla-policies"), ("PUT", "/api/v1/sla-policies/{id}")):
            body = {"name": "Matrix " + tag}
        elif key == ("POST", "/api/v1/webhooks"):
            body = self.webhook_body()
        elif key == ("PATCH", "/api/v1/webhooks/{id}"):
            body = {"description": "Matrix " + tag}
        elif key == ("POST", "/api/v1/channels"):
            body = {"name": "matrix-" + tag}
        elif key == ("PATCH", "/api/v1/channels/{id}"):
            body = {"description": "Matrix " + tag}
        elif key == ("POST", "/api/v1/channels/{id}/token"):
            body = {}
        elif key == ("POST", "/api/v1/channels/{name}/messages"):
            body = {"message_id": "matrix-" + tag, "text": "Hello " + tag,
                    "customer": {"external_id": "matrix-user", "name": "Matrix"}}
        elif key == ("PUT", "/api/v1/templates/{kind}/{language}"):
            body = {"subject": "Khảo sát {{tracking_code}}", "body": "Matrix " + tag}
        elif key == ("POST", "/api/v1/public/complaints/{code}/actions"):
            body = {"action": "message", "text": "A question from the customer " + tag}
        elif key == ("POST", "/api/v1/public/complaints/{code}/attachments"):
            upload = [("photo-note.txt", "text/plain", b"matrix customer evidence " + tag.encode())]
        elif method != "GET" and key not in (("DELETE", "/api/v1/routing-rules/{id}"),
                                             ("DELETE", "/api/v1/sanction-rules/{id}"),
                                             ("DELETE", "/api/v1/sla-policies/{id}"),
                                             ("DELETE", "/api/v1/webhooks/{id}"),
                                             ("DELETE", "/api/v1/channels/{id}"),
                                             ("DELETE", "/api/v1/saved-views/{id}"),
                                             ("DELETE", "/api/v1/templates/{kind}/{language}")):
            self.fail(f"no request body defined for {method} {path}: add one to request_for")

        url = re.sub(r"\{([^}]+)\}", lambda m: str(ids[m.group(1)]), path)
        return {"url": url, "body": body, "upload": upload, "session": session,
                "refresh": refresh}

    def call(self, role: str, method: str, req: dict):
        client = req["session"] or self.callers[role]
        headers = dict(getattr(client, "extra", {}))
        if req["upload"] is not None:  # a customer's portal token goes as the bearer token
            return client.upload(req["url"], req["upload"], headers=headers)
        if method == "GET" or method == "DELETE":
            return client.request(method, req["url"], headers=headers)
        return client.request(method, req["url"], req["body"], headers=headers)

    # ------------------------------------------------------------------ the tests

    def served_routes(self) -> set:
        r = self.public.get("/api/v1/openapi.json")
        self.assertEqual(r.status, 200, r)
        out = set()
        for path, item in r.body["paths"].items():
            for method in METHODS:
                if method.lower() in item:
                    out.add((method, shape(path)))
        return out

    def router_routes(self) -> set:
        r = run_cli_exact("docs", "routes")
        self.assertEqual(r.returncode, 0, r.stderr)
        out = set()
        for line in r.stdout.splitlines():
            if line.strip():
                method, pattern = line.split()
                out.add((method, shape(pattern)))
        self.assertTrue(out, "`redress docs routes` printed no routes")
        return out

    def test_every_route_has_a_row(self):
        rows = {(m, shape(p)) for (m, p) in MATRIX}
        self.assertEqual(len(rows), len(MATRIX), "two matrix rows for the same route")
        for name, routes in (("the OpenAPI document", self.served_routes()),
                             ("the router table (redress docs routes)", self.router_routes())):
            missing = sorted(routes - rows)
            stale = sorted(rows - routes)
            self.assertFalse(missing, f"routes in {name} without a row in MATRIX "
                                      f"(add one with the intended outcome per caller): {missing}")
            self.assertFalse(stale, f"MATRIX rows for routes not in {name}: {stale}")
        for key, row in MATRIX.items():
            self.assertEqual(set(row), set(ROLES), f"{key}: a row names every caller")

    def test_matrix(self):
        f = self.build_fixtures()
        failures = []
        calls = 0
        # DELETE and logout last would not matter (fresh objects and sessions), but reads
        # first keeps a failure report readable.
        order = sorted(MATRIX, key=lambda k: (k[0] != "GET", k[1], k[0]))
        for method, path in order:
            row = MATRIX[(method, path)]
            for role in ROLES:
                req = self.request_for(f, role, method, path)
                r = self.call(role, method, req)
                calls += 1
                if req["refresh"]:  # the call ended the role's sessions: log in again
                    self.__class__._clients.pop(STAFF[role], None)
                    self.callers[role] = self.client(STAFF[role])
                want = row[role]
                got_ok = 200 <= r.status < 300
                if (want == OK and not got_ok) or (want != OK and r.status != want):
                    failures.append(f"{method} {path} as {role}: expected {want}, got "
                                    f"{r.status} {r.text[:160]!r}")
                elif want != OK and r.status >= 400:
                    # a refusal is a problem+json body
                    if r.content_type != "application/problem+json":
                        failures.append(f"{method} {path} as {role}: {r.status} is not "
                                        f"problem+json ({r.content_type})")
        self.assertFalse(failures, f"{len(failures)} of {calls} matrix cells wrong:\n  " +
                         "\n  ".join(failures))
        self.assertGreaterEqual(calls, len(MATRIX) * len(ROLES))

    def test_refused_writes_change_nothing(self):
        """A refused cell leaves the complaint as it was (version, state, timeline)."""
        case = self.investigating()
        cid = case["id"]
        before = self.snapshot(cid)
        for username in ("handler.qm", "supervisor.qm", "admin"):
            c = self.client(username)
            for method, path, body in (
                    ("PATCH", f"/api/v1/complaints/{cid}", {"subject": "hijacked"}),
                    ("POST", f"/api/v1/complaints/{cid}/transitions",
                     {"action": "hold", "reason": "x"}),
                    ("POST", f"/api/v1/complaints/{cid}/causes",
                     {"family": "method", "description": "x"}),
                    ("PUT", f"/api/v1/complaints/{cid}/review", {"lessons": "x"})):
                if username == "admin" and path.endswith("/review"):
                    continue  # admin is refused there too, but checked in the matrix
                r = c.request(method, path, body)
                self.assertEqual(r.status, 403, f"{username} {method} {path}: {r!r}")
        self.assertUnchanged(cid, before, "after refused writes")


if __name__ == "__main__":
    main()
