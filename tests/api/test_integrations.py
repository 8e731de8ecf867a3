"""Inbound channels, mail templates over the API, and SLA re-targeting:

- a chat-app bridge with its channel's token opens a complaint, threads replies by
  conversation id and by tracking code (only the complaint's own customer), and a
  repeated message id replays instead of storing twice; other tokens are refused;
- an administrator's template override (validated: mustache that parses, known
  variables only) changes the next mail aiosmtpd receives; deleting it reverts;
- editing a calendar, then the policy, moves a running clock's due time (and the
  complaint's due_at) in the same request.
"""

from __future__ import annotations

import datetime as _dt
import time
import unittest

from harness import Client
from test_mail_sla import MailTestCase, body_text


def parse(ts: str) -> _dt.datetime:
    return _dt.datetime.fromisoformat(ts.replace("Z", "+00:00"))


class Bridge(Client):
    """A bridge calling POST /api/v1/channels/{name}/messages with a channel token."""

    def __init__(self, server, name: str, token: str) -> None:
        super().__init__(server, "bridge-" + name)
        self.channel = name
        self.bearer = token

    def send(self, **body):
        return self.post(f"/api/v1/channels/{self.channel}/messages", body)


class Integrations(MailTestCase):
    def new_channel(self, name: str) -> dict:
        r = self.admin.post("/api/v1/channels", {"name": name, "description": "test bridge"})
        self.assertEqual(r.status, 201, r)
        self.assertTrue(r.body["token"].startswith("rch_"), r.body)
        return r.body

    def test_bridge_opens_threads_and_is_idempotent(self):
        ch = self.new_channel("zalo-shop")
        listed = self.admin.get("/api/v1/channels")
        self.assertEqual(listed.status, 200, listed)
        self.assertNotIn(ch["token"], listed.text)
        bad = self.admin.post("/api/v1/channels", {"name": "Zalo Shop!"})
        self.assertEqual(bad.status, 422, bad)
        self.assertEqual({e["field"] for e in bad.body["errors"]}, {"name"})
        self.assertEqual(self.admin.post("/api/v1/channels", {"name": "zalo-shop"}).status, 422)

        bridge = Bridge(self.server, "zalo-shop", ch["token"])
        first = {"message_id": "zm-1", "conversation_id": "conv-lan",
                 "customer": {"external_id": "zalo:1001", "name": "Nguyễn Thị Lan",
                              "language": "vi"},
                 "subject": "Giao hàng trễ", "text": "Đơn hàng của tôi bị giao trễ 5 ngày."}
        for token in (None, "rch_wrong", ch["token"] + "x"):
            stranger = Bridge(self.server, "zalo-shop", token)
            r = stranger.send(**first)
            self.assertEqual(r.status, 401, r)
            self.assertEqual(r.content_type, "application/problem+json")
        self.assertEqual(Bridge(self.server, "nope", ch["token"]).send(**first).status, 401)
        self.assertEqual(self.admin.post("/api/v1/channels/zalo-shop/messages", first).status, 401)

        opened = bridge.send(**first)
        self.assertEqual(opened.status, 201, opened)
        self.assertTrue(opened.body["opened"])
        self.assertTrue(opened.body["access_token"])
        code, cid = opened.body["tracking_code"], opened.body["complaint_id"]
        c = self.get_complaint(cid)
        self.assertEqual(c["channel"], "chat")
        self.assertEqual(c["tracking_code"], code)

        again = bridge.send(**first)  # the bridge retried: same answer, nothing new
        self.assertEqual(again.status, 201, again)
        self.assertEqual(again.body["complaint_id"], cid)
        self.assertEqual(again.headers.get("Idempotent-Replayed"), "true")
        other_body = dict(first, text="something else")
        reused = bridge.send(**other_body)
        self.assertEqual(reused.status, 422, reused)
        self.assertIn("message_id", {e["field"] for e in reused.body["errors"]})

        by_conversation = bridge.send(message_id="zm-2", conversation_id="conv-lan",
                                      customer={"external_id": "zalo:1001"},
                                      text="Tôi có ảnh chụp gói hàng.")
        self.assertEqual(by_conversation.status, 200, by_conversation)
        self.assertFalse(by_conversation.body["opened"])
        self.assertEqual(by_conversation.body["complaint_id"], cid)
        by_code = bridge.send(message_id="zm-3", tracking_code=code,
                              customer={"external_id": "zalo:1001"}, text="Còn đó không?")
        self.assertEqual(by_code.status, 200, by_code)
        self.assertEqual(by_code.body["complaint_id"], cid)
        msgs = self.agent.get(f"/api/v1/complaints/{cid}/messages")
        self.assertEqual(msgs.status, 200, msgs)
        texts = [m["body"] for m in (msgs.body["items"] if isinstance(msgs.body, dict)
                                     else msgs.body) if m["direction"] == "inbound"]
        self.assertEqual(texts.count("Tôi có ảnh chụp gói hàng."), 1, texts)
        self.assertEqual(texts.count("Còn đó không?"), 1, texts)

        # A tracking code alone does not let another customer write into the complaint.
        hijack = bridge.send(message_id="zm-4", tracking_code=code,
                             customer={"external_id": "zalo:666", "name": "Mallory"}, text="hi")
        self.assertEqual(hijack.status, 422, hijack)
        self.assertEqual({e["field"] for e in hijack.body["errors"]}, {"tracking_code"})
        for body, field in (({"message_id": "zm-5", "customer": {"external_id": "x"}}, "text"),
                            ({"message_id": "zm-6", "text": "hi"}, "customer"),
                            ({"customer": {"external_id": "x"}, "text": "hi"}, "message_id"),
                            ({"message_id": "zm-7", "text": "hi", "customer": {}},
                             "customer.external_id")):
            r = bridge.send(**body)
            self.assertEqual(r.status, 422, r)
            self.assertIn(field, {e["field"] for e in r.body["errors"]}, r.body)

        # A new token ends the old one; a deactivated channel takes nothing.
        rotated = self.admin.post(f"/api/v1/channels/{ch['id']}/token", {})
        self.assertEqual(rotated.status, 200, rotated)
        self.assertEqual(bridge.send(message_id="zm-8", conversation_id="conv-lan",
                                     customer={"external_id": "zalo:1001"}, text="x").status, 401)
        bridge.bearer = rotated.body["token"]
        ok = bridge.send(message_id="zm-8", conversation_id="conv-lan",
                         customer={"external_id": "zalo:1001"}, text="Cảm ơn.")
        self.assertEqual(ok.status, 200, ok)
        off = self.admin.patch(f"/api/v1/channels/{ch['id']}", {"active": False})
        self.assertEqual(off.status, 200, off)
        self.assertEqual(bridge.send(message_id="zm-9", conversation_id="conv-lan",
                                     customer={"external_id": "zalo:1001"}, text="x").status, 401)

    def test_chat_repeat_is_flagged_as_at_staff_intake(self):
        # A customer known only by the chat app's id writes the same complaint
        # again in a new conversation: flagged like any intake (app/intake_signals.h).
        ch = self.new_channel("zalo-repeat")
        bridge = Bridge(self.server, "zalo-repeat", ch["token"])
        who = {"external_id": "zalo:2002", "name": "Trần Văn Minh", "language": "vi"}
        a = bridge.send(message_id="rp-1", conversation_id="conv-a", customer=who,
                        text="Máy giặt mua tuần trước bị rò nước ở gioăng cửa mỗi lần giặt, "
                             "sàn nhà bị ngập, tôi muốn được sửa hoặc đổi máy mới.")
        self.assertEqual(a.status, 201, a)
        b = bridge.send(message_id="rp-2", conversation_id="conv-b", customer=who,
                        text="Máy giặt mua tuần trước bị rò nước ở gioăng cửa mỗi lần giặt, "
                             "sàn bếp bị ngập nước, tôi muốn được sửa hoặc đổi máy mới!")
        self.assertEqual(b.status, 201, b)
        self.assertNotIn("likely_duplicates", b.body)  # for staff, not for the bridge
        r = self.agent.get(f"/api/v1/complaints/{b.body['complaint_id']}/duplicates")
        self.assertEqual(r.status, 200, r)
        self.assertEqual([(i["complaint_id"], i["relation"], i["reasons"])
                          for i in r.body["items"]],
                         [(a.body["complaint_id"], "duplicate_of", ["same_customer"])], r.body)
        # Another chat customer with the same text is not "the same customer".
        c = bridge.send(message_id="rp-3", conversation_id="conv-c",
                        customer={"external_id": "zalo:3003", "language": "vi"},
                        text="Máy giặt mua tuần trước bị rò nước ở gioăng cửa mỗi lần giặt, "
                             "sàn nhà bị ngập, tôi muốn được sửa hoặc đổi máy mới.")
        self.assertEqual(c.status, 201, c)
        r = self.agent.get(f"/api/v1/complaints/{c.body['complaint_id']}/duplicates")
        self.assertEqual(r.body["items"], [], r.body)

    def test_template_override_changes_the_next_mail_and_delete_reverts(self):
        listed = self.admin.get("/api/v1/templates")
        self.assertEqual(listed.status, 200, listed)
        # every kind of mail in each of the six languages
        kinds = {t["kind"] for t in listed.body["items"]}
        self.assertLessEqual({"acknowledgement", "question", "proposal", "rejection", "reply",
                              "survey", "sla_warning", "escalation", "assignment", "merged"},
                             kinds)
        self.assertEqual(len(listed.body["items"]), len(kinds) * 6)
        one = self.admin.get("/api/v1/templates/acknowledgement/en")
        self.assertEqual(one.status, 200, one)
        self.assertFalse(one.body["overridden"])
        self.assertIn("customer_name", one.body["variables"])
        self.assertEqual(self.admin.get("/api/v1/templates/nonsense/en").status, 404)
        self.assertEqual(self.agent.get("/api/v1/templates").status, 403)

        path = "/api/v1/templates/acknowledgement/en"
        for body, field, words in (
                ({"subject": "Hi {{password}}", "body": "x"}, "subject", "unknown variable"),
                ({"subject": "Hi", "body": "{{#tracking_code}} unclosed"}, "body", "mustache"),
                ({"subject": "Hi", "body": "{{> header}}"}, "body", "partials"),
                ({"subject": "two\nlines", "body": "x"}, "subject", "one line"),
                ({"body": "x"}, "subject", "required")):
            r = self.admin.put(path, body)
            self.assertEqual(r.status, 422, r)
            errs = {e["field"]: e for e in r.body["errors"]}
            self.assertIn(field, errs, r.body)
            self.assertIn(words, str(r.body), r.body)
        self.assertFalse(self.admin.get(path).body["overridden"], "nothing written")

        put = self.admin.put(path, {"subject": "Custom receipt {{tracking_code}}",
                                    "body": "Hello {{customer_name}}, keep {{tracking_code}}."
                                            "{{#tracking_link}} {{tracking_link}}"
                                            "{{/tracking_link}}\n"})
        self.assertEqual(put.status, 200, put)
        self.assertTrue(put.body["overridden"])
        c = self.submit()
        address = c["body"]["customer"]["email"]
        mail = self.sink.wait_for(lambda m: m["X-Sink-Rcpt"] == address, what="custom ack")[0]
        self.assertEqual(str(mail["Subject"]), f"Custom receipt {c['code']}")
        self.assertIn(f"keep {c['code']}.", body_text(mail))

        reverted = self.admin.delete(path)
        self.assertEqual(reverted.status, 200, reverted)
        self.assertTrue(reverted.body["reverted"])
        c2 = self.submit()
        address2 = c2["body"]["customer"]["email"]
        mail2 = self.sink.wait_for(lambda m: m["X-Sink-Rcpt"] == address2, what="shipped ack")[0]
        self.assertEqual(str(mail2["Subject"]),
                         f"Your complaint {c2['code']} has been registered")

    def test_calendar_and_policy_edits_move_a_running_clock(self):
        every_day = {d: ["09:00-17:00"] for d in ("monday", "tuesday", "wednesday", "thursday",
                                                   "friday", "saturday", "sunday")}
        cal = self.admin.post("/api/v1/calendars", {"name": "retarget", "time_zone": "UTC",
                                                    "working_hours": every_day})
        self.assertEqual(cal.status, 201, cal)
        pol = self.admin.post("/api/v1/sla-policies", {"name": "retarget one hour",
                                                       "first_response": "PT1H",
                                                       "calendar_id": cal.body["id"]})
        self.assertEqual(pol.status, 201, pol)
        c = self.submit()

        def first_response():
            items = self.agent.get(f"/api/v1/complaints/{c['id']}/sla").body["items"]
            clocks = [k for k in items if k["kind"] == "first_response"]
            self.assertEqual(len(clocks), 1, items)
            return clocks[0]

        before = first_response()
        self.assertEqual(before["sla_policy_id"], pol.body["id"])
        # Only one working hour a week, on the day three days from now.
        day = (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=3)).date()
        r = self.admin.put(f"/api/v1/calendars/{cal.body['id']}",
                           {"name": "retarget", "time_zone": "UTC",
                            "working_hours": {day.strftime("%A").lower(): ["09:00-10:00"]}})
        self.assertEqual(r.status, 200, r)
        after = first_response()
        want = _dt.datetime.combine(day, _dt.time(10, 0), _dt.timezone.utc)
        self.assertEqual(parse(after["due_at"]), want, after)
        self.assertEqual(parse(self.get_complaint(c["id"])["due_at"]), want)
        # The policy's target doubles: the second working hour is a week later.
        r = self.admin.put(f"/api/v1/sla-policies/{pol.body['id']}",
                           {"name": "retarget one hour", "first_response": "PT2H",
                            "calendar_id": cal.body["id"]})
        self.assertEqual(r.status, 200, r)
        moved = first_response()
        self.assertEqual(moved["target"], "PT2H")
        self.assertEqual(parse(moved["due_at"]), want + _dt.timedelta(days=7), moved)
        self.assertEqual(parse(self.get_complaint(c["id"])["due_at"]), want + _dt.timedelta(days=7))
        # A calendar without working time would strand the clock: refused, nothing written.
        r = self.admin.put(f"/api/v1/calendars/{cal.body['id']}",
                           {"name": "retarget", "time_zone": "UTC", "working_hours": {}})
        self.assertIn(r.status, (409, 412, 422), r)
        self.assertEqual(parse(first_response()["due_at"]), want + _dt.timedelta(days=7))
        # Back to a normal calendar so later complaints of this server are not stranded.
        self.admin.put(f"/api/v1/calendars/{cal.body['id']}",
                       {"name": "retarget", "time_zone": "UTC", "working_hours": every_day})
        self.admin.delete(f"/api/v1/sla-policies/{pol.body['id']}")


if __name__ == "__main__":
    unittest.main()
