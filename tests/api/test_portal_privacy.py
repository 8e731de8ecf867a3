"""The portal never shows internal notes, causes, accountability or routing."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, find_keys, main  # noqa: E402

SECRETS = {
    "note": "INTERNAL-NOTE-7f3a customer seems to exaggerate",
    "cause": "CAUSE-TEXT-91bc forklift driver skipped the check",
    "responsible": "RESPONSIBLE-55de Juan the forklift driver",
    "subject": "ACCT-SUBJECT-0a1b dock team B",
    "finding": "ACCT-FINDING-c3d4 ignored the loading schedule",
}
QUESTION = "Could you send us a photo of the damaged box? (PUBLIC-QUESTION-e5f6)"
INTERNAL_KEYS = {"assignee_id", "department_id", "causes", "accountability", "access_token_hash",
                 "actor_id", "escalation_level", "validity_reason", "hash", "prev_hash"}


class PortalPrivacy(ApiTestCase):

    def test_public_view_hides_internals(self):
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        self.advance(cid, "investigating")
        agent, handler = self.agent, self.client("handler.st")
        sup = self.client("supervisor.st")
        r = agent.post(f"/api/v1/complaints/{cid}/messages", {"text": SECRETS["note"], "kind": "note"})
        self.assertEqual(r.status, 201, r)
        r = agent.post(f"/api/v1/complaints/{cid}/messages", {"text": QUESTION, "kind": "question"})
        self.assertEqual(r.status, 201, r)
        r = handler.post(f"/api/v1/complaints/{cid}/causes",
                         {"family": "people", "description": SECRETS["cause"],
                          "responsible": SECRETS["responsible"]})
        self.assertEqual(r.status, 201, r)
        r = sup.post(f"/api/v1/complaints/{cid}/accountability",
                     {"subject": SECRETS["subject"], "finding": SECRETS["finding"],
                      "loss_amount": 40})
        self.assertEqual(r.status, 201, r)
        # staff see all of it
        staff = agent.get(f"/api/v1/complaints/{cid}/messages").text
        self.assertIn(SECRETS["note"], staff)

        pv = self.public.view(code, token)
        self.assertEqual(pv.status, 200, pv)
        self.assertEqual(pv.body["tracking_code"], code)
        self.assertEqual(pv.body["state"], "investigating")
        for name, text in SECRETS.items():
            self.assertNotIn(text, pv.text, f"the portal leaks the {name}")
            self.assertNotIn(text.split(" ")[0], pv.text, f"the portal leaks the {name}")
        self.assertEqual(find_keys(pv.body, INTERNAL_KEYS), [], "internal fields on the portal")
        self.assertIn(QUESTION, [m["body"] for m in pv.body["messages"]],
                      "the question to the customer should be visible")
        self.assertNotIn("internal", {m.get("direction") for m in pv.body["messages"]})

        # the customer's own message goes in, and is visible to staff
        r = self.public.act(code, token, "message", text="Photo sent by e-mail. (CUSTOMER-MSG-9)")
        self.assertEqual(r.status, 200, r)
        self.assertIn("CUSTOMER-MSG-9", agent.get(f"/api/v1/complaints/{cid}/messages").text)
        pv = self.public.view(code, token)
        for text in SECRETS.values():
            self.assertNotIn(text, pv.text)

    def test_tokens(self):
        a = self.submit()
        b = self.submit()
        snap = self.snapshot(a["id"])
        for token, what in ((None, "no token"), ("", "empty token"),
                            ("wrong-" + a["token"], "wrong token"),
                            (b["token"], "another complaint's token")):
            r = self.public.view(a["code"], token)
            self.assertProblem(r, 404, msg=f"public view with {what}")
            self.assertNotIn(a["body"]["description"], r.text)
            r = self.public.act(a["code"], token, "withdraw", reason="x")
            self.assertProblem(r, 404, msg=f"public action with {what}")
        self.assertUnchanged(a["id"], snap)
        # an unknown code answers exactly like a wrong token
        r = self.public.view("RD-NOPE-0000", a["token"])
        self.assertProblem(r, 404)
        self.assertEqual(self.public.view(a["code"], a["token"]).status, 200)
        self.assertEqual(self.public.view(b["code"], b["token"]).status, 200)

    def test_submission_answer_is_minimal(self):
        r = self.public.post("/api/v1/public/complaints",
                             {"customer": {"name": "Ana", "email": "ana@example.com",
                                           "phone": "", "language": "es"},
                              "description": "El pedido llegó roto.", "demands": "Reembolso"})
        self.assertEqual(r.status, 201, r)
        self.assertTrue({"tracking_code", "access_token", "state"} <= set(r.body), r.body)
        self.assertEqual(set(r.body) - {"tracking_code", "access_token", "state", "received_at"},
                         set(), f"the submission answer carries internal fields: {r.body}")
        self.assertEqual(find_keys(r.body, INTERNAL_KEYS | {"id"}), [])

    def test_submission_needs_data(self):
        before = len(self.all_complaints())
        r = self.public.post("/api/v1/public/complaints", {"customer": {"name": ""}})
        self.assertProblem(r, 422, ["description"], "empty submission")
        self.assertEqual(len(self.all_complaints()), before)


if __name__ == "__main__":
    main()
