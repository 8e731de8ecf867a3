"""Triage help (issue 7): complaints an agent confirmed train a model; a new
complaint on the same topic gets the right suggestions; accept records what
was suggested against what was chosen."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, event_data, main, run_cli  # noqa: E402

# Two topics an agent confirmed, in several languages, with distinctive words.
BILLING = [
    ("Charged twice", "My invoice charged me twice for the same subscription, refund the duplicate fee."),
    ("Wrong invoice", "The invoice amount is wrong: an unexpected fee was debited from my account."),
    ("Double debit", "You debited my bank account twice for one invoice; I want the overcharge refunded."),
    ("Facture en double", "Ma facture compte deux fois l'abonnement, remboursez le montant débité en trop."),
    ("账单重复扣费", "本月账单重复扣费，发票金额错误，要求退还多收的费用。"),
    ("Hóa đơn sai", "hóa đơn bị tính tiền hai lần , yêu cầu hoàn tiền phí bị trừ sai ."),
    ("Overcharge", "Invoice overcharge: a fee I never agreed to appears on my bill, please refund."),
    ("Billing error", "Billing error on the invoice, the fee was debited twice from my card."),
]
DELIVERY = [
    ("Parcel lost", "The courier lost my parcel; tracking has not moved for two weeks."),
    ("Late delivery", "Delivery is three weeks late and the parcel tracking shows nothing."),
    ("Wrong address", "The courier delivered my parcel to the wrong address and nobody helps."),
    ("Colis perdu", "Le transporteur a perdu mon colis, le suivi de livraison ne bouge plus."),
    ("快递丢失", "快递一直没有送到，包裹丢失，物流信息没有更新。"),
    ("Giao hàng chậm", "giao hàng chậm , gói hàng bị thất lạc , không ai thông báo ."),
    ("Still waiting", "Still waiting for the parcel, the courier says delivery failed twice."),
    ("Tracking stuck", "Parcel tracking stuck in transit, the delivery never arrived."),
]


class Triage(ApiTestCase):

    def confirm(self, subject, description, category, department, urgency):
        sub = self.submit(subject=subject, description=description)
        cid = sub["id"]
        self.act(self.agent, cid, "take", "assessing")
        self.act(self.agent, cid, "accept", None, category=category, urgency=urgency,
                 difficulty="simple", department_id=department)
        return cid

    def wait_for_model(self, newer_than):
        deadline = time.time() + 60
        while time.time() < deadline:
            r = self.agent.get("/api/v1/triage/model")
            self.assertEqual(r.status, 200, r)
            serving = r.body["serving_version"]
            if serving is not None and serving > newer_than:
                return r.body
            time.sleep(0.3)
        self.fail(f"no triage model newer than {newer_than} is serving: {r!r}")

    def test_confirmed_complaints_train_a_model_that_suggests_the_topic(self):
        sales = self.department_id("sales")
        transport = self.department_id("storage_transport")
        for subject, text in BILLING:
            self.confirm(subject, text, "billing", sales, "important")
        for subject, text in DELIVERY:
            self.confirm(subject, text, "delivery_delay", transport, "general")

        before = self.agent.get("/api/v1/triage/model").body["serving_version"] or 0

        # Retraining is an admin action, answered at once; the job runner trains.
        r = self.agent.post("/api/v1/triage/train", {})
        self.assertEqual(r.status, 403, r)
        r = self.admin.post("/api/v1/triage/train", {})
        self.assertEqual(r.status, 202, r)
        self.assertEqual(r.body["kind"], "triage.train")
        model = self.wait_for_model(before)
        latest = model["latest"]
        self.assertEqual(latest["version"], model["serving_version"])
        self.assertTrue(latest["summary"]["fields"]["category"]["model"], latest)
        self.assertGreaterEqual(latest["summary"]["fields"]["category"]["labels"]["billing"], 8)
        version = latest["version"]

        # A new complaint on the same topic (portal intake) gets the right suggestions.
        sub = self.submit(subject="Refund the double charge",
                          description="I was charged twice on this month's invoice, refund the fee.")
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        self.assertEqual(r.status, 200, r)
        s = r.body
        self.assertEqual(s["model_version"], version)
        self.assertEqual(s["suggestions"]["category"][0]["value"], "billing", s)
        self.assertEqual(s["suggestions"]["department"][0]["value"], sales, s)
        top = s["suggestions"]["category"][0]["confidence"]
        self.assertTrue(0 < top <= 1, s)
        confidences = [x["confidence"] for x in s["suggestions"]["category"]]
        self.assertEqual(confidences, sorted(confidences, reverse=True))
        if top >= s["prefill_threshold"]:
            self.assertEqual(s["prefill"].get("category"), "billing", s)
        else:
            self.assertNotIn("category", s["prefill"], s)
        self.assertIsNone(s["outcome"])

        # A category retired after the model learnt it is no longer suggested,
        # pre-filled or shown in the queue; reactivated, it is again.
        def queue_suggestion():
            r = self.agent.get("/api/v1/complaints?state=new&limit=200")
            self.assertEqual(r.status, 200, r)
            row = next(c for c in r.body["items"] if c["id"] == sub["id"])
            return (row.get("suggested_category") or {}).get("value")
        self.assertEqual(queue_suggestion(), "billing")
        r = self.admin.patch("/api/v1/categories/billing", {"active": False})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        self.assertNotIn("billing", [x["value"] for x in r.body["suggestions"]["category"]], r.body)
        self.assertNotEqual(r.body["prefill"].get("category"), "billing", r.body)
        self.assertEqual(r.body["suggestions"]["department"][0]["value"], sales, r.body)
        self.assertNotEqual(queue_suggestion(), "billing")
        r = self.admin.patch("/api/v1/categories/billing", {"active": True})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        self.assertEqual(r.body["suggestions"]["category"][0]["value"], "billing", r.body)
        self.assertEqual(queue_suggestion(), "billing")
        # The same for a retired department.
        r = self.admin.patch(f"/api/v1/departments/{sales}", {"active": False})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        self.assertNotIn(sales, [x["value"] for x in r.body["suggestions"]["department"]], r.body)
        self.assertNotEqual(r.body["prefill"].get("department_id"), sales, r.body)
        r = self.admin.patch(f"/api/v1/departments/{sales}", {"active": True})
        self.assertEqual(r.status, 200, r)
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        self.assertEqual(r.body["suggestions"]["department"][0]["value"], sales, r.body)

        # Staff intake (POST /api/v1/complaints) stores suggestions too.
        r = self.agent.post("/api/v1/complaints", {
            "customer": {"name": "Phone caller", "phone": "+34 600 111 222", "language": "zh-Hans"},
            "channel": "phone",
            "subject": "快递没有送到",
            "description": "包裹丢失，快递一直没有送到，物流信息没有更新。",
        })
        self.assertEqual(r.status, 201, r)
        phone_id = r.body["id"]
        r = self.agent.get(f"/api/v1/complaints/{phone_id}/suggestions")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["suggestions"]["category"][0]["value"], "delivery_delay", r.body)

        # The agent overrides the category at accept: the outcome records both,
        # in the suggestion and in the accept event.
        self.act(self.agent, sub["id"], "take", "assessing")
        self.act(self.agent, sub["id"], "accept", None, category="other", urgency="general",
                 difficulty="simple", department_id=sales)
        r = self.agent.get(f"/api/v1/complaints/{sub['id']}/suggestions")
        outcome = r.body["outcome"]
        self.assertEqual(outcome["category"], {"suggested": "billing", "chosen": "other",
                                               "taken": False})
        self.assertTrue(outcome["department"]["taken"], outcome)
        accept_ev = [e for e in self.timeline(sub["id"]) if e["action"] == "accept"]
        self.assertEqual(event_data(accept_ev[0])["triage"]["category"]["chosen"], "other")

        # A model trained by `redress triage train` in another process is served too.
        cli = run_cli("triage", "train", "--database", self.server.db)
        self.assertEqual(cli.returncode, 0, cli.stdout + cli.stderr)
        self.assertIn("triage model version", cli.stdout)
        self.wait_for_model(version)

    def test_suggestions_of_unknown_or_unsuggested_complaints(self):
        # Complaints registered while no model served have an empty answer.
        r = self.agent.get("/api/v1/complaints/1/suggestions")
        self.assertEqual(r.status, 200, r)
        self.assertIsNone(r.body["model_version"], r.body)
        self.assertEqual(r.body["suggestions"], {"category": [], "department": [], "urgency": []})
        self.assertEqual(r.body["prefill"], {})
        r = self.agent.get("/api/v1/complaints/999999/suggestions")
        self.assertEqual(r.status, 404, r)
        r = self.public.get("/api/v1/complaints/1/suggestions")
        self.assertEqual(r.status, 401, r)


if __name__ == "__main__":
    main()
