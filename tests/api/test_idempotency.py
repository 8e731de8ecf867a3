"""Idempotent retries of creating POSTs (Idempotency-Key)."""

import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main, public_body  # noqa: E402


class Idempotency(ApiTestCase):

    def count(self) -> int:
        return len(self.all_complaints())

    def test_public_retry_creates_one(self):
        before = self.count()
        key = str(uuid.uuid4())
        body = public_body()
        r1 = self.public.post("/api/v1/public/complaints", body, headers={"Idempotency-Key": key})
        self.assertEqual(r1.status, 201, r1)
        r2 = self.public.post("/api/v1/public/complaints", body, headers={"Idempotency-Key": key})
        self.assertEqual(r2.status, r1.status, r2)
        self.assertEqual(r2.body["tracking_code"], r1.body["tracking_code"])
        self.assertEqual(r2.body, r1.body, "a retry returns the first answer")
        r3 = self.public.post("/api/v1/public/complaints", body, headers={"Idempotency-Key": key})
        self.assertEqual(r3.body["tracking_code"], r1.body["tracking_code"])
        items = self.all_complaints()
        self.assertEqual(len(items), before + 1, "exactly one complaint for three tries")
        self.assertEqual([c["tracking_code"] for c in items].count(r1.body["tracking_code"]), 1)
        # the replayed access token still opens the complaint
        pv = self.public.view(r2.body["tracking_code"], r2.body["access_token"])
        self.assertEqual(pv.status, 200, pv)

    def test_same_key_other_body(self):
        key = str(uuid.uuid4())
        r1 = self.public.post("/api/v1/public/complaints", public_body(),
                              headers={"Idempotency-Key": key})
        self.assertEqual(r1.status, 201, r1)
        before = self.count()
        r2 = self.public.post("/api/v1/public/complaints",
                              public_body(description="Something else entirely happened."),
                              headers={"Idempotency-Key": key})
        self.assertProblem(r2, 422, ["Idempotency-Key"], "same key, different body")
        self.assertEqual(self.count(), before, "the refused retry created a complaint")

    def test_without_key_creates_two(self):
        before = self.count()
        body = public_body()
        r1 = self.public.post("/api/v1/public/complaints", body)
        r2 = self.public.post("/api/v1/public/complaints", body)
        self.assertEqual((r1.status, r2.status), (201, 201))
        self.assertNotEqual(r1.body["tracking_code"], r2.body["tracking_code"])
        self.assertEqual(self.count(), before + 2)

    def test_keys_are_independent(self):
        before = self.count()
        body = public_body()
        r1 = self.public.post("/api/v1/public/complaints", body,
                              headers={"Idempotency-Key": str(uuid.uuid4())})
        r2 = self.public.post("/api/v1/public/complaints", body,
                              headers={"Idempotency-Key": str(uuid.uuid4())})
        self.assertEqual((r1.status, r2.status), (201, 201))
        self.assertNotEqual(r1.body["tracking_code"], r2.body["tracking_code"])
        self.assertEqual(self.count(), before + 2)

    def test_staff_retry_creates_one(self):
        before = self.count()
        key = str(uuid.uuid4())
        body = dict(public_body(), channel="phone")
        r1 = self.agent.post("/api/v1/complaints", body, headers={"Idempotency-Key": key})
        self.assertEqual(r1.status, 201, r1)
        self.assertEqual(r1.body["channel"], "phone")
        r2 = self.agent.post("/api/v1/complaints", body, headers={"Idempotency-Key": key})
        self.assertEqual(r2.status, 201, r2)
        self.assertEqual(r2.body["id"], r1.body["id"])
        self.assertEqual(self.count(), before + 1)
        r3 = self.agent.post("/api/v1/complaints", dict(body, description="different"),
                             headers={"Idempotency-Key": key})
        self.assertProblem(r3, 422, ["Idempotency-Key"])
        self.assertEqual(self.count(), before + 1)


if __name__ == "__main__":
    main()
