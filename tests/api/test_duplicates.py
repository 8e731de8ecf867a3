"""Likely duplicates and merge (issue 7 item 3): at intake a complaint from the same
customer or on the same object with near-identical text is flagged with a score and a
link; an agent merges the duplicate into the original, which takes its messages and
attachments; refused merges answer problem+json and change nothing."""

import datetime
import os
import random
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, event_data, main, public_body, run_cli  # noqa: E402

ZH_A = "我在三月三日购买的电水壶收到时盖子已经裂开，订单号551234，请尽快为我更换或者退款。"
ZH_B = "我在三月三日购买的电水壶收到时盖子已经裂开了，订单号 551234，请尽快给我更换或者退款！"
VI_A = ("Tôi đặt mua một ấm đun nước màu xanh ngày 3 tháng 3, khi nhận hàng thì nắp bị nứt, "
        "tôi muốn được đổi hàng hoặc hoàn tiền.")
VI_B = ("Toi dat mua mot am dun nuoc mau xanh ngay 3 thang 3, khi nhan hang thi nap bi nut, "
        "toi muon duoc doi hang hoac hoan lai tien.")
EN_A = ("The washing machine I bought last week leaks water from the door seal every time it "
        "runs; the floor is flooded and I want it repaired or replaced.")
EN_B = ("The washing machine I bought last week leaks water from the door seal every time it "
        "runs, the kitchen floor is flooded and I want it repaired or replaced.")
UNRELATED = ("Your call centre agent was rude and hung up on me twice when I asked why my "
             "monthly bill went up.")


def person(language="en"):
    tag = uuid.uuid4().hex[:8]
    return {"name": f"Customer {tag}", "email": f"dup{tag}@example.com",
            "phone": "", "language": language}


class Duplicates(ApiTestCase):

    def staff_intake(self, customer, description, subject="", object_ref=None, client=None):
        body = public_body(customer=customer, subject=subject, description=description,
                           channel="phone")
        if object_ref is not None:
            body["object"] = {"type": "order", "ref": object_ref}
        r = (client or self.agent).post("/api/v1/complaints", body)
        self.assertEqual(r.status, 201, r)
        return r.body

    def duplicates(self, cid, client=None):
        r = (client or self.agent).get(f"/api/v1/complaints/{cid}/duplicates")
        self.assertEqual(r.status, 200, r)
        return r.body["items"]

    def test_chinese_pair_from_the_same_customer_is_flagged_at_staff_intake(self):
        customer = person("zh-Hans")
        a = self.staff_intake(customer, ZH_A, subject="电水壶盖子裂开")
        self.assertEqual(a["likely_duplicates"], [])
        self.assertIsNone(a["likely_duplicate_of"])
        # the customer calls again: another agent registers it with another order number
        b = self.staff_intake(dict(customer, name="另一个名字"), ZH_B, subject="电水壶盖子裂开")
        self.assertEqual([d["complaint_id"] for d in b["likely_duplicates"]], [a["id"]], b)
        self.assertEqual(b["likely_duplicates"][0]["reasons"], ["same_customer"])
        self.assertGreaterEqual(b["likely_duplicates"][0]["score"], 0.5)

        items = self.duplicates(b["id"])
        self.assertEqual(len(items), 1, items)
        link = items[0]
        self.assertEqual((link["complaint_id"], link["relation"]), (a["id"], "duplicate_of"))
        self.assertEqual(link["tracking_code"], a["tracking_code"])
        self.assertEqual(link["href"], f"/api/v1/complaints/{a['id']}")
        # the original knows its later twin, and the complaint view carries the flag
        back = self.duplicates(a["id"])
        self.assertEqual([(i["complaint_id"], i["relation"]) for i in back],
                         [(b["id"], "duplicated_by")])
        view = self.get_complaint(b["id"])
        self.assertEqual(view["likely_duplicate_of"]["complaint_id"], a["id"])
        # the queue shows the marker too
        r = self.agent.get("/api/v1/complaints?limit=20")
        row = next(c for c in r.body["items"] if c["id"] == b["id"])
        self.assertEqual(row["likely_duplicate_of"]["complaint_id"], a["id"])

    def test_vietnamese_pair_on_the_same_object_is_flagged_at_the_portal(self):
        order = f"VN-{uuid.uuid4().hex[:8]}"
        a = self.submit(customer=person("vi"), subject="Ấm đun nước bị nứt", description=VI_A,
                        object={"type": "order", "ref": order})
        # another person (a relative) writes without tone marks about the same order
        b = self.submit(customer=person("vi"), subject="Am dun nuoc bi nut", description=VI_B,
                        object={"type": "order", "ref": order.lower()})
        items = self.duplicates(b["id"])
        self.assertEqual([(i["complaint_id"], i["reasons"]) for i in items],
                         [(a["id"], ["same_object"])], items)
        # the portal's answer does not mention other complaints
        r = self.public.view(b["code"], b["token"])
        self.assertEqual(r.status, 200, r)
        self.assertNotIn("likely_duplicate", r.text)

    def test_the_demo_flags_its_one_repeat_and_nothing_else(self):
        # `redress demo` registers through the intake signals: the same texts written by
        # different customers are not flagged; Mary Johnson writing again a day later is.
        # (the demo's complaints were received days ago; this class's own ones just now)
        cutoff = (datetime.datetime.now(datetime.timezone.utc)
                  - datetime.timedelta(hours=12)).strftime("%Y-%m-%dT%H:%M:%SZ")
        demo = [c for c in self.list_all(self.client("director"), "/api/v1/complaints", limit=100)
                if c["received_at"] < cutoff]
        self.assertGreaterEqual(len(demo), 36)
        flagged = [c for c in demo if c.get("likely_duplicate_of")]
        self.assertEqual(len(flagged), 1, [(c["id"], c["subject"]) for c in flagged])
        repeat = self.get_complaint(flagged[0]["id"])
        original = self.get_complaint(repeat["likely_duplicate_of"]["complaint_id"])
        self.assertIn("10-4471", repeat["subject"])
        self.assertIn("10-4471", original["description"])
        self.assertEqual(original["customer"]["email"], repeat["customer"]["email"])
        self.assertEqual(self.duplicates(repeat["id"])[0]["relation"], "duplicate_of")

    def test_unrelated_text_and_strangers_are_not_flagged(self):
        customer = person()
        first = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        # same customer, other topic
        other = self.staff_intake(customer, UNRELATED, subject="Rude agent")
        self.assertEqual(other["likely_duplicates"], [])
        self.assertEqual(self.duplicates(other["id"]), [])
        # the same text from someone else about another object
        stranger = self.staff_intake(person(), EN_B, subject="Leaking washing machine")
        self.assertEqual(stranger["likely_duplicates"], [])
        self.assertEqual([i["complaint_id"] for i in self.duplicates(first["id"])], [])

    def test_merge_moves_the_case_file_and_closes_the_duplicate(self):
        customer = person()
        a = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        b = self.staff_intake(customer, EN_B, subject="Leaking washing machine")
        self.assertEqual([d["complaint_id"] for d in b["likely_duplicates"]], [a["id"]])
        self.act(self.agent, a["id"], "take", "assessing")
        # the duplicate has its own case file: a note, a photo
        marker = "sealphoto" + "".join(random.choice("abcdefghij") for _ in range(10))
        r = self.agent.post(f"/api/v1/complaints/{b['id']}/messages",
                            {"text": f"Customer sent a photo of the seal ({marker})",
                             "kind": "note"})
        self.assertEqual(r.status, 201, r)
        found = self.agent.get(f"/api/v1/complaints?q={marker}").body["items"]
        self.assertEqual([c["id"] for c in found], [b["id"]], "the note is searchable")
        r = self.agent.upload(f"/api/v1/complaints/{b['id']}/attachments",
                              [("seal.txt", "text/plain", b"photo of the seal")])
        self.assertEqual(r.status, 201, r)
        attachment = r.body["items"][0]["id"]
        self.assertIn("merge", self.get_complaint(b["id"])["allowed_actions"])
        b_messages = [m["id"] for m in self.agent.get(
            f"/api/v1/complaints/{b['id']}/messages").body["items"]]

        merged = self.act(self.agent, b["id"], "merge", "duplicate", duplicate_of=a["id"])
        self.assertIsNotNone(merged["closed_at"])
        self.assertEqual(merged["allowed_actions"], [])

        a_messages = self.agent.get(f"/api/v1/complaints/{a['id']}/messages").body["items"]
        self.assertTrue(set(b_messages) <= {m["id"] for m in a_messages}, a_messages)
        a_files = self.agent.get(f"/api/v1/complaints/{a['id']}/attachments").body["items"]
        self.assertIn(attachment, [f["id"] for f in a_files])
        r = self.agent.get(f"/api/v1/complaints/{a['id']}/attachments/{attachment}")
        self.assertEqual(r.status, 200, r)
        # the search index follows the moved note: found on the original only
        found = self.agent.get(f"/api/v1/complaints?q={marker}").body["items"]
        self.assertEqual([c["id"] for c in found], [a["id"]], "search after the merge")
        # the duplicate keeps only the notice to its customer
        left = self.agent.get(f"/api/v1/complaints/{b['id']}/messages").body["items"]
        self.assertEqual([m["kind"] for m in left], ["merged"], left)
        self.assertIn(a["tracking_code"], left[0]["body"])
        self.assertEqual(self.agent.get(
            f"/api/v1/complaints/{b['id']}/attachments").body["items"], [])

        # both timelines say so
        ev = [e for e in self.timeline(b["id"]) if e["action"] == "merge"]
        self.assertEqual(len(ev), 1)
        data = event_data(ev[0])
        self.assertEqual(data["original_id"], a["id"])
        self.assertEqual(sorted(data["moved_message_ids"]), sorted(b_messages))
        self.assertEqual(data["moved_attachment_ids"], [attachment])
        ev = [e for e in self.timeline(a["id"]) if e["action"] == "merged_in"]
        self.assertEqual(len(ev), 1)
        self.assertEqual(event_data(ev[0])["duplicate_id"], b["id"])
        self.assertTimelineConsistent(a["id"])
        self.assertTimelineConsistent(b["id"])
        # the customer following the duplicate sees where it went
        r = self.public.view(b["tracking_code"], b["access_token"])
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["state"], "duplicate")
        self.assertEqual(r.body["allowed_actions"], [])
        self.assertIn(a["tracking_code"], r.text)
        # the audit chain is intact after the move
        r = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(r.returncode, 0, f"{r.stdout}\n{r.stderr}")
        # a merged complaint is not flagged again: a third copy points at the original only
        c = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        self.assertEqual([d["complaint_id"] for d in c["likely_duplicates"]], [a["id"]])

    def test_erasing_the_duplicates_customer_reaches_what_the_merge_moved(self):
        customer = person()
        a = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        b = self.staff_intake(customer, EN_B, subject="Leaking washing machine")
        # each intake has its customer record: erasing b's must still reach b's texts on a
        self.assertNotEqual(a["customer"]["id"], b["customer"]["id"])
        gone = "erasable" + "".join(random.choice("abcdefghij") for _ in range(10))
        kept = "keepable" + "".join(random.choice("abcdefghij") for _ in range(10))
        for cid, word in ((b["id"], gone), (a["id"], kept)):
            r = self.agent.post(f"/api/v1/complaints/{cid}/messages",
                                {"text": f"Customer said {word}", "kind": "inbound"})
            self.assertEqual(r.status, 201, r)
        r = self.agent.upload(f"/api/v1/complaints/{b['id']}/attachments",
                              [(f"{gone}.txt", "text/plain", f"receipt {gone}".encode())])
        self.assertEqual(r.status, 201, r)
        attachment = r.body["items"][0]["id"]
        self.act(self.agent, b["id"], "merge", "duplicate", duplicate_of=a["id"])
        self.assertEqual([c["id"] for c in self.agent.get(
            f"/api/v1/complaints?q={gone}").body["items"]], [a["id"]])

        r = self.admin.post(f"/api/v1/customers/{b['customer']['id']}/erase",
                            {"reason": "Erasure request"})
        self.assertEqual(r.status, 200, r)
        bodies = [m["body"] for m in self.agent.get(
            f"/api/v1/complaints/{a['id']}/messages").body["items"]]
        self.assertFalse([t for t in bodies if gone in t], bodies)
        self.assertIn("[erased]", bodies)
        self.assertTrue([t for t in bodies if kept in t], "a's own messages stay")
        files = {f["id"]: f for f in self.agent.get(
            f"/api/v1/complaints/{a['id']}/attachments").body["items"]}
        self.assertNotIn(gone, files[attachment]["filename"])
        self.assertNotEqual(self.agent.get(
            f"/api/v1/complaints/{a['id']}/attachments/{attachment}").status, 200)
        self.assertEqual(self.agent.get(f"/api/v1/complaints?q={gone}").body["items"], [])
        self.assertEqual([c["id"] for c in self.agent.get(
            f"/api/v1/complaints?q={kept}").body["items"]], [a["id"]])
        r = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(r.returncode, 0, f"{r.stdout}\n{r.stderr}")

    def test_refused_merges_answer_problems_and_change_nothing(self):
        customer = person()
        a = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        b = self.staff_intake(customer, EN_B, subject="Leaking washing machine")
        before = self.get_complaint(b["id"])

        r = self.transition(self.agent, b["id"], "merge")
        self.assertProblem(r, 422, ["duplicate_of"], "merge without a target")
        r = self.transition(self.agent, b["id"], "merge", duplicate_of=b["id"])
        self.assertProblem(r, 422, ["duplicate_of"], "self-merge")
        r = self.transition(self.agent, b["id"], "merge", duplicate_of=999999999)
        self.assertProblem(r, 422, ["duplicate_of"], "merge into nothing")
        # another person's complaint: their portal would show this customer's messages
        stranger = self.staff_intake(person(), EN_A, subject="Leaking washing machine")
        r = self.transition(self.agent, b["id"], "merge", duplicate_of=stranger["id"])
        self.assertProblem(r, 422, ["duplicate_of"], "merge across customers")
        # handlers do not merge
        r = self.transition(self.client("handler.st"), b["id"], "merge", duplicate_of=a["id"])
        self.assertProblem(r, 403, msg="handler merge")
        # a supervisor may merge unrouted complaints, but not into another department's case
        routed = self.staff_intake(customer, EN_A, subject="Leaking washing machine")
        self.act(self.agent, routed["id"], "take", "assessing")
        self.act(self.agent, routed["id"], "accept", "assigned", category="billing",
                 urgency="general", difficulty="simple",
                 department_id=self.department_id("sales"))
        r = self.transition(self.client("supervisor.st"), b["id"], "merge",
                            duplicate_of=routed["id"])
        self.assertProblem(r, 403, msg="merge into another department's complaint")
        after = self.get_complaint(b["id"])
        self.assertEqual((after["state"], after["version"]), (before["state"], before["version"]))
        self.assertEqual([e["action"] for e in self.timeline(b["id"])], ["registered"])

        # already closed: merged once, it cannot be merged again, nor be merged into
        self.act(self.agent, b["id"], "merge", "duplicate", duplicate_of=a["id"])
        r = self.transition(self.agent, b["id"], "merge", duplicate_of=a["id"])
        self.assertProblem(r, 409, msg="merge of a merged complaint")
        c = self.staff_intake(customer, EN_B, subject="Leaking washing machine")
        r = self.transition(self.agent, c["id"], "merge", duplicate_of=b["id"])
        self.assertProblem(r, 409, msg="merge into a closed complaint")
        self.assertEqual(self.get_complaint(c["id"])["state"], "new")


if __name__ == "__main__":
    main()
