"""E-mail in against a real IMAP server (Dovecot from Debian, started here on
loopback; imap_server.py) and a real SMTP server (python3-aiosmtpd) for the
acknowledgements:

- a mail APPENDed to the mailbox becomes a complaint on the `email` channel
  with its attachment (a file libmagic does not accept is refused and noted);
- a reply to the acknowledgement (In-Reply-To its Message-ID), and a mail
  with the tracking code in its subject from the customer's address, are
  threaded onto it; the same code from someone else opens a new complaint;
- a Chinese GB2312 mail and a Vietnamese Windows-1258 mail arrive as the
  expected UTF-8;
- auto-replies and our own mail are recorded and ignored; a mail without a
  sender is recorded as failed and left unseen and flagged;
- SIGKILL between the commit and \\Seen, and before the commit
  (REDRESS_TEST_MAIL_CRASH), still files each mail exactly once after restart.
"""

from __future__ import annotations

import base64
import os
import time
import unittest
import uuid

import imap_server
from harness import ApiTestCase, public_body
from test_mail_sla import SmtpSink, set_mail_env

# A valid 1x1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
IMAP_ENV = ("REDRESS_IMAP_URL", "REDRESS_IMAP_POLL_MS", "REDRESS_IMAP_TLS",
            "REDRESS_TEST_MAIL_CRASH")

GB2312_TEXT = "您好，我的快递丢了三天，请尽快处理并退款。"
VIETNAMESE_TEXT = "Tôi muốn khiếu nại: đơn hàng bị giao trễ, xin hoàn tiền."
VI_LID_A = ("Tôi đặt mua một ấm đun nước màu xanh ngày 3 tháng 3, khi nhận hàng thì nắp bị nứt, "
            "tôi muốn được đổi hàng hoặc hoàn tiền.")
# The same complaint written again without tone marks, as from a phone keyboard.
VI_LID_B = ("Toi dat mua mot am dun nuoc mau xanh ngay 3 thang 3, khi nhan hang thi nap bi nut, "
            "toi muon duoc doi hang hoac hoan lai tien.")


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese mail clients write it: base letters
    precomposed where the code page has them, tone marks as combining marks."""
    import unicodedata
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = ""
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        out += unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += "".join(c for c in d if c in tones)
    return out.encode("cp1258")


def message(sender: str, subject: str, body: bytes, charset: str = "utf-8",
            headers: str = "", message_id: str | None = None) -> tuple:
    mid = message_id or f"<{uuid.uuid4().hex}@customer.example>"
    head = (f"From: {sender}\r\nTo: complaints@example.org\r\nSubject: {subject}\r\n"
            f"Message-ID: {mid}\r\nDate: Mon, 2 Mar 2026 10:00:00 +0700\r\nMIME-Version: 1.0\r\n"
            f"Content-Type: text/plain; charset={charset}\r\n"
            f"Content-Transfer-Encoding: 8bit\r\n{headers}\r\n")
    return head.encode("ascii") + body + b"\r\n", mid


class MailInCase(ApiTestCase):
    """A demo server polling a fresh Dovecot mailbox, sending to a fresh SMTP sink."""

    @classmethod
    def setUpClass(cls) -> None:
        if not imap_server.available():
            raise unittest.SkipTest("dovecot is not installed (scripts/install-deps.sh)")
        cls.imap = imap_server.Dovecot()
        cls.sink = SmtpSink()
        set_mail_env(cls.sink)
        os.environ["REDRESS_IMAP_URL"] = cls.imap.url
        os.environ["REDRESS_IMAP_POLL_MS"] = "200"
        os.environ["REDRESS_IMAP_TLS"] = "none"
        try:
            super().setUpClass()
        except BaseException:
            cls.imap.close()
            cls.sink.close()
            raise

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        cls.imap.close()
        cls.sink.close()
        set_mail_env(None)
        for k in IMAP_ENV:
            os.environ.pop(k, None)

    def inbound(self, message_id: str, timeout: float = 20.0) -> dict:
        """The inbound-mail row of the mail with `message_id`, once it is there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            r = self.admin.get("/api/v1/inbound-mail?limit=500")
            self.assertEqual(r.status, 200, r)
            rows = [i for i in r.body["items"] if i["message_id"] == message_id]
            if rows:
                return rows[0]
            time.sleep(0.2)
        raise AssertionError(f"{message_id} was not handled within {timeout:.0f} s\n"
                             f"{self.server.logs()}")

    def rows_for(self, message_id: str) -> list:
        r = self.admin.get("/api/v1/inbound-mail?limit=500")
        return [i for i in r.body["items"] if i["message_id"] == message_id]

    def complaint(self, cid: int) -> dict:
        r = self.agent.get(f"/api/v1/complaints/{cid}")
        self.assertEqual(r.status, 200, r)
        return r.body

    def messages(self, cid: int) -> list:
        r = self.agent.get(f"/api/v1/complaints/{cid}/messages")
        self.assertEqual(r.status, 200, r)
        return r.body["items"]

    def seen(self, uid_count_before: int) -> dict:
        return self.imap.flags()


class NewMailAndReplies(MailInCase):
    def test_mail_opens_a_complaint_and_replies_are_threaded(self):
        sender = f"an.nguyen.{uuid.uuid4().hex[:6]}@customer.example"
        mid = f"<{uuid.uuid4().hex}@customer.example>"
        boundary = "b-" + uuid.uuid4().hex
        raw = (f"From: An Nguyen <{sender}>\r\nTo: complaints@example.org\r\n"
               f"Subject: Broken kettle\r\nMessage-ID: {mid}\r\nMIME-Version: 1.0\r\n"
               f"Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
               f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
               f"The kettle I bought on order 4411 leaks. Photo attached.\r\n"
               f"--{boundary}\r\nContent-Type: image/png\r\n"
               f"Content-Disposition: attachment; filename=\"kettle.png\"\r\n"
               f"Content-Transfer-Encoding: base64\r\n\r\n"
               f"{base64.b64encode(PNG).decode()}\r\n"
               f"--{boundary}\r\nContent-Type: image/png\r\n"
               f"Content-Disposition: attachment; filename=\"setup.exe\"\r\n"
               f"Content-Transfer-Encoding: base64\r\n\r\n"
               f"{base64.b64encode(b'MZ' + bytes(300)).decode()}\r\n"
               f"--{boundary}--\r\n").encode()
        self.imap.append(raw)
        row = self.inbound(mid)
        self.assertEqual(row["outcome"], "opened", row)
        self.assertIn("setup.exe", row["reason"])
        self.assertEqual(row["from"], sender)
        self.assertNotIn("imap-test-pw", str(row))
        cid = row["complaint_id"]
        c = self.complaint(cid)
        self.assertEqual(c["channel"], "email")
        self.assertEqual(c["subject"], "Broken kettle")
        self.assertIn("order 4411 leaks", c["description"])
        self.assertEqual(c["customer"]["email"], sender)
        self.assertEqual(c["customer"]["name"], "An Nguyen")
        files = self.agent.get(f"/api/v1/complaints/{cid}/attachments").body["items"]
        self.assertEqual([(f["filename"], f["content_type"]) for f in files],
                         [("kettle.png", "image/png")])
        got = self.agent.get(f"/api/v1/complaints/{cid}/attachments/{files[0]['id']}")
        self.assertEqual(got.raw, PNG)
        notes = [m for m in self.messages(cid) if m["kind"] == "note"]
        self.assertTrue(any("setup.exe" in m["body"] for m in notes), notes)
        # Marked \Seen once filed.
        flags = self.imap.flags()
        self.assertIn("\\Seen", flags[max(flags)])

        # The acknowledgement goes to the sender; a reply to it is threaded.
        ack = self.sink.wait_for(lambda m: m["X-Sink-Rcpt"] == sender, what="acknowledgement")[0]
        code = ack["X-Redress-Tracking-Code"]
        self.assertEqual(code, c["tracking_code"])
        reply, reply_id = message(sender, "Re: your complaint", b"Here is the order number: 4411.",
                                  headers=f"In-Reply-To: {ack['Message-ID']}\r\n"
                                          f"References: {ack['Message-ID']}\r\n")
        self.imap.append(reply)
        row = self.inbound(reply_id)
        self.assertEqual((row["outcome"], row["complaint_id"]), ("threaded", cid), row)
        inbound = [m for m in self.messages(cid) if m["direction"] == "inbound"]
        self.assertEqual([(m["body"], m["channel"]) for m in inbound],
                         [("Here is the order number: 4411.", "email")])

        # The tracking code in the subject, from the customer's address: threaded.
        by_code, code_id = message(sender, f"About {code}", b"Any news?")
        self.imap.append(by_code)
        row = self.inbound(code_id)
        self.assertEqual((row["outcome"], row["complaint_id"]), ("threaded", cid), row)
        self.assertIn("tracking code", row["reason"])
        # The same code from someone else is not theirs to write on: a new complaint.
        other, other_id = message("stranger@elsewhere.example", f"About {code}", b"Me too.")
        self.imap.append(other)
        row = self.inbound(other_id)
        self.assertEqual(row["outcome"], "opened", row)
        self.assertNotEqual(row["complaint_id"], cid)
        self.assertEqual(len([m for m in self.messages(cid) if m["direction"] == "inbound"]), 2)

        # A second complaint from the same address belongs to the same customer.
        again, again_id = message(sender, "Another problem", b"The lid is loose too.")
        self.imap.append(again)
        row = self.inbound(again_id)
        self.assertEqual(row["outcome"], "opened", row)
        self.assertEqual(self.complaint(row["complaint_id"])["customer"]["id"],
                         c["customer"]["id"])

    def test_mailed_near_duplicate_is_flagged_as_at_staff_intake(self):
        # The same intake code path as POST /api/v1/complaints (app/intake_signals.h):
        # a customer who phoned, then e-mails nearly the same text, is flagged.
        sender = f"binh.le.{uuid.uuid4().hex[:6]}@customer.example"
        phoned = self.agent.post("/api/v1/complaints", public_body(
            customer={"name": "Le Binh", "email": sender, "phone": "", "language": "vi"},
            subject="Ấm đun nước bị nứt", description=VI_LID_A, channel="phone"))
        self.assertEqual(phoned.status, 201, phoned)
        first, first_id = message(sender, "Am dun nuoc bi nut", VI_LID_B.encode())
        self.imap.append(first)
        row = self.inbound(first_id)
        self.assertEqual(row["outcome"], "opened", row)
        mailed = row["complaint_id"]
        r = self.agent.get(f"/api/v1/complaints/{mailed}/duplicates")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(i["complaint_id"], i["relation"], i["reasons"])
                          for i in r.body["items"]],
                         [(phoned.body["id"], "duplicate_of", ["same_customer"])], r.body)
        self.assertGreaterEqual(r.body["items"][0]["score"], 0.5)
        self.assertEqual(self.complaint(mailed)["likely_duplicate_of"]["complaint_id"],
                         phoned.body["id"])
        # An unrelated mail from the same address is not flagged.
        other, other_id = message(sender, "Hoa don", "Hóa đơn tháng này bị tính hai lần phí "
                                  "vận chuyển, xin kiểm tra lại.".encode())
        self.imap.append(other)
        row = self.inbound(other_id)
        self.assertEqual(row["outcome"], "opened", row)
        r = self.agent.get(f"/api/v1/complaints/{row['complaint_id']}/duplicates")
        self.assertEqual(r.body["items"], [], r.body)

    def test_gb2312_and_windows_1258_mail_arrive_as_utf8(self):
        zh, zh_id = message("=?GB2312?B?wO7PyMn6?= <li.xiansheng@customer.example>",
                            "=?GB2312?B?zcu/7tKqx/M=?=", GB2312_TEXT.encode("gb2312"), "GB2312")
        vi, vi_id = message("Tran Thi Hoa <hoa.tran@customer.example>", "Khieu nai don hang",
                            cp1258(VIETNAMESE_TEXT), "windows-1258")
        self.assertIn(b"\xcc", cp1258(VIETNAMESE_TEXT), "the sample uses combining tone marks")
        self.imap.append(zh)
        self.imap.append(vi)
        zc = self.complaint(self.inbound(zh_id)["complaint_id"])
        self.assertEqual(zc["description"], GB2312_TEXT)
        self.assertEqual(zc["subject"], "退款要求")
        self.assertEqual(zc["customer"]["name"], "李先生")
        self.assertEqual(zc["customer"]["language"], "zh-Hans")
        vc = self.complaint(self.inbound(vi_id)["complaint_id"])
        self.assertEqual(vc["description"], VIETNAMESE_TEXT)
        self.assertEqual(vc["customer"]["language"], "vi")
        # The acknowledgements go out in the customers' languages.
        zack = self.sink.wait_for(lambda m: m["X-Sink-Rcpt"] == "li.xiansheng@customer.example",
                                  what="Chinese acknowledgement")[0]
        self.assertIn("受理回执", str(zack["Subject"]))

    def test_automatic_own_and_unreadable_mail_is_recorded_not_filed(self):
        auto, auto_id = message("someone@customer.example", "Out of office", b"I am away.",
                                headers="Auto-Submitted: auto-replied\r\n")
        own, own_id = message("Redress <complaints@example.org>", "Loop?", b"our own mail")
        self.imap.append(auto)
        self.imap.append(own)
        row = self.inbound(auto_id)
        self.assertEqual(row["outcome"], "ignored")
        self.assertIn("auto-replied", row["reason"])
        self.assertIsNone(row["complaint_id"])
        row = self.inbound(own_id)
        self.assertEqual(row["outcome"], "ignored")
        self.assertIn("own address", row["reason"])
        # No sender: recorded as failed, left unseen and flagged for a person.
        nobody_id = f"<{uuid.uuid4().hex}@nowhere>"
        self.imap.append(f"Subject: who?\r\nMessage-ID: {nobody_id}\r\n\r\nno sender\r\n".encode())
        deadline = time.monotonic() + 20
        failed = []
        while time.monotonic() < deadline and not failed:
            r = self.admin.get("/api/v1/inbound-mail?outcome=failed")
            failed = [i for i in r.body["items"] if "From" in i["reason"]]
            time.sleep(0.2)
        self.assertEqual(len(failed), 1, self.server.logs())
        self.assertIsNone(failed[0]["complaint_id"])
        flags = self.imap.flags()[failed[0]["uid"]]
        self.assertIn("\\Flagged", flags)
        self.assertNotIn("\\Seen", flags)
        time.sleep(1.0)  # several more polls: still one row, not retried
        r = self.admin.get("/api/v1/inbound-mail?outcome=failed")
        self.assertEqual(len([i for i in r.body["items"] if "From" in i["reason"]]), 1)
        # The list is admin-only and validated.
        self.assertEqual(self.agent.get("/api/v1/inbound-mail").status, 403)
        self.assertEqual(self.admin.get("/api/v1/inbound-mail?outcome=lost").status, 422)
        box = self.admin.get("/api/v1/inbound-mail").body["imap"]["mailboxes"]
        self.assertEqual(box, [f"imap://127.0.0.1:{self.imap.port}/INBOX"])


class CrashBetweenCommitAndSeen(MailInCase):
    def crash_and_restart(self, point: str) -> None:
        subject = f"crash {point} {uuid.uuid4().hex[:8]}"
        raw, mid = message(f"{point.replace('_', '.')}@customer.example", subject,
                           b"Filed exactly once, please.")
        self.server.stop()
        self.server.env["REDRESS_TEST_MAIL_CRASH"] = point
        self.server.start()
        self.imap.append(raw)
        deadline = time.monotonic() + 20
        while self.server.running() and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertFalse(self.server.running(), f"the {point} hook did not fire")
        self.assertEqual(self.server.stop(), -9, "killed by SIGKILL")
        uid = max(self.imap.flags())
        self.assertNotIn("\\Seen", self.imap.flags()[uid], "not seen before the restart")
        del self.server.env["REDRESS_TEST_MAIL_CRASH"]
        self.server.start()
        row = self.inbound(mid)
        self.assertEqual(row["outcome"], "opened", row)
        deadline = time.monotonic() + 10
        while "\\Seen" not in self.imap.flags()[uid] and time.monotonic() < deadline:
            time.sleep(0.1)
        self.assertIn("\\Seen", self.imap.flags()[uid])
        time.sleep(0.6)  # a few more polls
        self.assertEqual(len(self.rows_for(mid)), 1)
        r = self.agent.get("/api/v1/complaints?limit=200")
        self.assertEqual(r.status, 200, r)
        items = r.body["items"] if isinstance(r.body, dict) else r.body
        self.assertEqual(len([c for c in items if c.get("subject") == subject]), 1)

    def test_sigkill_after_commit_before_seen_files_once(self):
        self.crash_and_restart("after_commit")

    def test_sigkill_before_commit_files_once(self):
        self.crash_and_restart("before_commit")


if __name__ == "__main__":
    unittest.main()
