"""Full-text search: `GET /api/v1/complaints?q=…` finds complaints by subject,
description and messages in every language (Chinese without spaces, Vietnamese
with and without accents, French, English), ranks them, marks the match in a
snippet, pages, stays inside the caller's scope, forgets erased text, and
refuses bad queries by name. Runs on both stores (api.search, api_pg.search).

The demo data is loaded too, so a check never assumes our complaints are the
only hits: it asserts which of OURS are found and that every hit shows the
query term in its snippet.
"""

from __future__ import annotations

import unicodedata
import unittest
import urllib.parse
import uuid

from harness import ApiTestCase, public_body


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s)
                   if unicodedata.category(c) != "Mn").replace("đ", "d").replace("Đ", "D")


class Search(ApiTestCase):
    ids: dict = {}
    tag = "t" + uuid.uuid4().hex[:10]

    def setUp(self) -> None:
        super().setUp()
        if not Search.ids:
            self.make_complaints()

    def make_complaints(self) -> None:
        tag = self.tag
        texts = {
            "en": ("Refund for a broken kettle", f"The kettle leaks. Reference {tag}."),
            "en_msg": ("Money back please", f"Still waiting {tag}."),
            "en_plural": ("Several refunds missing", f"Two refunds never arrived {tag}."),
            "fr": ("Demande de remboursement", f"Je souhaite un remboursement intégral {tag}."),
            "vi": ("Yêu cầu hoàn tiền", f"Tôi muốn được hoàn tiền cho đơn hàng bị hỏng {tag}."),
            "vi_plain": ("Yeu cau gap", f"toi muon hoan tien ngay {tag}"),
            "vi_other": ("Tiến độ giao hàng", f"Hoàn thành chậm, tiến độ kém {tag}."),
            "zh": ("申请退款", f"快递盒子破损，我要求全额退款。{tag}"),
            "zh_other": ("我想退货", f"商品有问题，想退货换新的。{tag}"),
        }
        ids = {key: self.submit(subject=subject, description=description)["id"]
               for key, (subject, description) in texts.items()}
        # A message (an internal note) is indexed with its complaint.
        r = self.agent.post(f"/api/v1/complaints/{ids['en_msg']}/messages",
                            {"kind": "note", "text": "Customer agreed to a refund voucher."})
        self.assertEqual(r.status, 201, r)
        # Route the Chinese complaint to storage_transport, the French one to
        # quality_management: handlers only find their department's.
        for key, dept, handler in (("zh", "storage_transport", "handler.st"),
                                   ("fr", "quality_management", "handler.qm")):
            self.act(self.agent, ids[key], "take", "assessing")
            self.act(self.agent, ids[key], "accept", "assigned", category="delivery_delay",
                     urgency="general", difficulty="simple",
                     department_id=self.department_id(dept), assignee_id=self.user_id(handler))
        Search.ids = ids

    def search(self, q: str, client=None, extra: str = "", limit: int = 200) -> list:
        path = f"/api/v1/complaints?q={urllib.parse.quote(q)}{extra}"
        return self.list_all(client or self.agent, path, limit=limit)

    def ours(self, hits: list) -> set:
        by_id = {v: k for k, v in self.ids.items()}
        return {by_id[h["id"]] for h in hits if h["id"] in by_id}

    def assert_marked(self, hits: list, accept) -> None:
        """Every hit carries a snippet whose marked parts are the query's term."""
        for h in hits:
            snip = h.get("snippet")
            self.assertIsNotNone(snip, h)
            self.assertIn(snip["field"], ("subject", "description", "message"))
            marked = [p["text"] for p in snip["parts"] if p["match"]]
            self.assertTrue(marked, snip)
            for m in marked:
                self.assertTrue(accept(m), f"{m!r} marked in {snip}")

    def test_english_word_finds_subject_description_and_messages(self):
        hits = self.search("refund")
        self.assertEqual(self.ours(hits), {"en", "en_msg"}, "no stemming: refunds is another word")
        self.assert_marked(hits, lambda m: m.lower() == "refund")
        msg_hit = next(h for h in hits if h["id"] == self.ids["en_msg"])
        self.assertEqual(msg_hit["snippet"]["field"], "message")
        self.assertEqual([p for p in msg_hit["snippet"]["parts"] if p["match"]],
                         [{"text": "refund", "match": True}])
        # The subject match ranks above the match in a long note's body.
        order = [h["id"] for h in hits if h["id"] in (self.ids["en"], self.ids["en_msg"])]
        self.assertEqual(order, [self.ids["en"], self.ids["en_msg"]])

    def test_french(self):
        hits = self.search("REMBOURSEMENT")
        self.assertEqual(self.ours(hits), {"fr"})
        self.assert_marked(hits, lambda m: m.lower() == "remboursement")

    def test_two_chinese_characters(self):
        hits = self.search("退款")
        self.assertEqual(self.ours(hits), {"zh"})
        self.assert_marked(hits, lambda m: "退款" in m)
        zh = next(h for h in hits if h["id"] == self.ids["zh"])
        self.assertEqual(zh["snippet"]["field"], "subject")
        self.assertEqual([p["text"] for p in zh["snippet"]["parts"]], ["申请", "退款"])
        # 退货 shares a character but is another word.
        self.assertEqual(self.ours(self.search("退货")), {"zh_other"})

    def test_vietnamese_with_and_without_accents(self):
        hits = self.search("hoàn tiền")
        self.assertEqual(self.ours(hits), {"vi"}, "typed accents must match exactly")
        self.assert_marked(hits, lambda m: m.lower() in ("hoàn", "tiền"))
        plain = self.search("hoan tien")
        self.assertEqual(self.ours(plain), {"vi", "vi_plain", "vi_other"},
                         "without accents: every spelling of both words")
        self.assert_marked(plain, lambda m: strip_accents(m).lower() in ("hoan", "tien"))
        # A phrase must be adjacent: vi_other has Hoàn and tiến apart.
        self.assertEqual(self.ours(self.search('"hoan tien"')), {"vi", "vi_plain"})
        self.assertEqual(self.ours(self.search('"tiền hoàn"')), set())

    def test_all_terms_required_and_exclusion(self):
        self.assertEqual(self.ours(self.search(f"refund {self.tag}")), {"en", "en_msg"})
        self.assertEqual(self.ours(self.search(f"refund kettle {self.tag}")), {"en"})
        self.assertEqual(self.ours(self.search(f"refund -kettle {self.tag}")), {"en_msg"})
        self.assertEqual(len(self.ours(self.search(self.tag))), len(self.ids))

    def test_filters_and_paging(self):
        everything = self.search(self.tag)
        pages = self.search(self.tag, limit=2)
        self.assertEqual([h["id"] for h in pages], [h["id"] for h in everything])
        r = self.agent.get(f"/api/v1/complaints?q={self.tag}&limit=2")
        self.assertEqual(r.body["next_cursor"], "s2")
        zh_dept = self.department_id("storage_transport")
        filtered = self.search(self.tag, extra=f"&department_id={zh_dept}")
        self.assertEqual(self.ours(filtered), {"zh"})
        self.assertEqual(self.ours(self.search(self.tag, extra="&state=new")),
                         set(self.ids) - {"zh", "fr"})

    def test_scope(self):
        st, qm = self.client("handler.st"), self.client("handler.qm")
        self.assertEqual(self.ours(self.search(self.tag, st)), {"zh"})
        self.assertEqual(self.ours(self.search(self.tag, qm)), {"fr"})
        self.assertEqual(self.ours(self.search("退款", qm)), set())
        self.assertEqual(self.ours(self.search("remboursement", st)), set())
        for hit in self.search("refund", st):
            self.assertEqual(hit["department_id"], self.department_id("storage_transport"), hit)

    def test_bad_queries_are_refused_by_name(self):
        for q, field in (('"refund', "q"), ("-refund", "q"), ("?!", "q"), ("x" * 501, "q")):
            r = self.agent.get(f"/api/v1/complaints?q={urllib.parse.quote(q)}")
            self.assertProblem(r, 422, ["q"], q[:20])
        self.assertProblem(self.agent.get("/api/v1/complaints?q=refund&sort=due"), 422, ["sort"])
        self.assertProblem(self.agent.get("/api/v1/complaints?q=refund&cursor=c5"), 422, ["cursor"])
        self.assertProblem(self.agent.get("/api/v1/complaints?q=refund&cursor=s99999"), 422,
                           ["cursor"])


class SearchForgetsErasedText(ApiTestCase):
    def test_erasure_removes_text_from_the_index(self):
        word = "e" + uuid.uuid4().hex[:10]
        made = self.submit(subject=f"Broken blender {word}", description=f"It smokes {word}.")
        cid = made["id"]
        r = self.agent.post(f"/api/v1/complaints/{cid}/messages",
                            {"kind": "note", "text": f"called back, note{word}"})
        self.assertEqual(r.status, 201, r)
        self.assertEqual([h["id"] for h in self.search_ids(word)], [cid])
        self.assertEqual([h["id"] for h in self.search_ids("note" + word)], [cid])
        customer = self.get_complaint(cid)["customer"]["id"]
        r = self.admin.post(f"/api/v1/customers/{customer}/erase", {"reason": "test"})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search_ids(word), [])
        self.assertEqual(self.search_ids("note" + word), [])
        self.assertEqual(self.search_ids("blender smokes"), [])

    def test_edited_text_is_reindexed(self):
        word, new = "o" + uuid.uuid4().hex[:10], "n" + uuid.uuid4().hex[:10]
        cid = self.submit(description=f"Original wording {word}.")["id"]
        self.assertEqual([h["id"] for h in self.search_ids(word)], [cid])
        version = self.get_complaint(cid)["version"]
        r = self.agent.patch(f"/api/v1/complaints/{cid}", {"description": f"Corrected {new}."},
                             headers={"If-Match": f'"{version}"'})
        self.assertEqual(r.status, 200, r)
        self.assertEqual(self.search_ids(word), [])
        self.assertEqual([h["id"] for h in self.search_ids(new)], [cid])

    def search_ids(self, q: str) -> list:
        r = self.agent.get(f"/api/v1/complaints?q={urllib.parse.quote(q)}&limit=200")
        self.assertEqual(r.status, 200, r)
        return r.body["items"]


if __name__ == "__main__":
    unittest.main()
