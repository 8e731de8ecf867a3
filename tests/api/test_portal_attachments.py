"""The customer attaches evidence on the portal (SPEC §5: submit with attachments, track):
the staff route's limits, content sniffing and storage; the tracking view lists and serves
back only the files the customer added, never staff evidence; refusals are problem+json
naming the field `file` and its rule, and change nothing."""

import hashlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, PublicClient, Server, event_data, main  # noqa: E402

MIB = 1024 * 1024
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
       b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
       b"trailer << /Root 1 0 R >>\n%%EOF\n")
# A Windows executable's header, sent as a photo.
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" * 16


class PortalAttachments(ApiTestCase):

    def stored_path(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        return os.path.join(self.server.dir, "attachments", digest[:2], digest)

    def public_files(self, code: str, token: str) -> list:
        v = self.public.view(code, token)
        self.assertEqual(v.status, 200, v)
        return v.body["attachments"]

    def test_customer_attaches_tracks_downloads_and_staff_see_it(self):
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        v = self.public.view(code, token)
        self.assertEqual(v.status, 200, v)
        self.assertEqual(v.body["attachments"], [])
        self.assertTrue(v.body["can_attach"], v.body)

        # right after submitting: a PDF and a photo in one request
        receipt = PDF + b"% receipt " + os.urandom(6).hex().encode() + b"\n"
        r = self.public.attach(code, token, [("receipt.pdf", "application/pdf", receipt),
                                             ("box.png", "image/png", PNG)])
        self.assertEqual(r.status, 201, r)
        items = r.body["items"]
        self.assertEqual([(a["filename"], a["content_type"], a["size"]) for a in items],
                         [("receipt.pdf", "application/pdf", len(receipt)),
                          ("box.png", "image/png", len(PNG))])
        for a in items:  # the customer's view carries no digest or uploader
            self.assertEqual(set(a), {"id", "filename", "content_type", "size", "at"}, a)

        # the tracking page lists them: name, size, type, date
        listed = self.public_files(code, token)
        self.assertEqual([(a["id"], a["filename"], a["size"], a["content_type"]) for a in listed],
                         [(a["id"], a["filename"], a["size"], a["content_type"]) for a in items])
        self.assertTrue(all(a["at"] for a in listed), listed)

        # and serves them back, as downloads
        for a, data in zip(items, (receipt, PNG)):
            d = self.public.download(code, token, a["id"])
            self.assertEqual(d.status, 200, d)
            self.assertEqual(d.raw, data)
            self.assertTrue(d.headers["Content-Disposition"].startswith("attachment;"), d.headers)
            self.assertEqual(d.headers["X-Content-Type-Options"], "nosniff")

        # staff see them on the complaint, marked as the customer's, and can open them
        staff = self.agent.get(f"/api/v1/complaints/{cid}/attachments")
        self.assertEqual(staff.status, 200, staff)
        by_id = {a["id"]: a for a in staff.body["items"]}
        for a in items:
            self.assertIn(a["id"], by_id)
            self.assertTrue(by_id[a["id"]]["by_customer"], by_id[a["id"]])
            self.assertIsNone(by_id[a["id"]]["uploaded_by"])
        self.assertEqual(by_id[items[0]["id"]]["sha256"], hashlib.sha256(receipt).hexdigest())
        d = self.agent.get(f"/api/v1/complaints/{cid}/attachments/{items[1]['id']}")
        self.assertEqual((d.status, d.raw), (200, PNG))
        # the timeline records the customer as the one who attached, like a staff upload
        events = [e for e in self.timeline(cid) if e["action"] == "attachments_added"]
        self.assertEqual(len(events), 1, events)
        self.assertEqual(events[0]["actor_kind"], "customer")
        self.assertIsNone(events[0].get("actor_id"))
        self.assertEqual([x["id"] for x in event_data(events[0])["attachments"]],
                         [a["id"] for a in items])

        # later, from the tracking page, while the complaint is being handled
        self.advance(cid, "investigating")
        r = self.public.attach(code, token, [("more.txt", "text/plain", b"Courier note: late\n")])
        self.assertEqual(r.status, 201, r)
        self.assertEqual(len(self.public_files(code, token)), 3)

    def test_refusals_name_the_field_and_change_nothing(self):
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        r = self.public.attach(code, token, [("first.txt", "text/plain", b"first note\n")])
        self.assertEqual(r.status, 201, r)
        snap = self.snapshot(cid)
        before = self.public_files(code, token)

        big = b"A" * (10 * MIB + 4096)
        r = self.public.attach(code, token, [("big.txt", "text/plain", big)])
        body = self.assertProblem(r, 413, fields=["file"], msg="a file over 10 MiB")
        self.assertIn("10 MiB", body["errors"][0]["message"])
        # each refusal names its rule and the params a client words it with
        self.assertEqual((body["errors"][0]["rule"], body["errors"][0]["params"]),
                         ("file_too_large", {"max": "10 MiB", "file": "big.txt"}), body)

        # several files that fit one by one but not in one request: refused on the head
        r = self.public.attach(code, token, [("a.txt", "text/plain", b"a" * (6 * MIB)),
                                             ("b.txt", "text/plain", b"b" * (6 * MIB))])
        body = self.assertProblem(r, 413, fields=["file"], msg="12 MiB in one request")
        self.assertIn("10 MiB", body["errors"][0]["message"])
        self.assertEqual((body["errors"][0]["rule"], body["errors"][0]["params"]),
                         ("upload_too_large", {"max": "10 MiB"}), body)

        r = self.public.attach(code, token, [("photo.png", "image/png", EXE)])
        body = self.assertProblem(r, 415, fields=["file"], msg="an executable named .png")
        self.assertIn("unsupported type", body["errors"][0]["message"])
        self.assertEqual(body["errors"][0]["rule"], "file_type", body)
        self.assertEqual(body["errors"][0]["params"]["file"], "photo.png", body)
        self.assertNotIn("image", body["errors"][0]["params"]["media_type"], body)
        self.assertFalse(os.path.exists(self.stored_path(EXE)), "a refused file was stored")

        # one bad part refuses the whole request, and its good part is not stored either
        good = b"a good note " + os.urandom(6).hex().encode() + b"\n"
        r = self.public.attach(code, token, [("good.txt", "text/plain", good),
                                             ("tool.png", "image/png", EXE)])
        self.assertProblem(r, 415, fields=["file"], msg="a good file with a bad one")
        self.assertFalse(os.path.exists(self.stored_path(good)), "a refused upload left a file")

        eleven = [(f"n{i}.txt", "text/plain", f"note {i}\n".encode()) for i in range(11)]
        r = self.public.attach(code, token, eleven)
        body = self.assertProblem(r, 422, fields=["file"], msg="eleven files at once")
        self.assertIn("at most 10", body["errors"][0]["message"])
        self.assertEqual((body["errors"][0]["rule"], body["errors"][0]["params"]),
                         ("max_files", {"max": "10"}), body)

        r = self.public.upload(f"/api/v1/public/complaints/{code}/attachments",
                               [("x.txt", "text/plain", b"x\n")], field="photo",
                               headers={"X-Access-Token": token})
        body = self.assertProblem(r, 422, fields=["file"], msg="no part named file")
        self.assertEqual(body["errors"][0]["rule"], "min_items", body)

        # a wrong code, a wrong token, another complaint's token: not found, nothing stored
        other = self.submit()
        secret = b"probe " + os.urandom(6).hex().encode() + b"\n"
        for c, t, what in (("RD-NOPE-0000", token, "unknown code"),
                           (code, "wrong-" + token, "wrong token"),
                           (code, other["token"], "another complaint's token"),
                           (code, None, "no token")):
            r = self.public.attach(c, t, [("probe.txt", "text/plain", secret)])
            self.assertProblem(r, 404, msg=what)
        self.assertFalse(os.path.exists(self.stored_path(secret)), "a refused upload left a file")

        self.assertUnchanged(cid, snap)
        self.assertEqual(self.public_files(code, token), before)
        self.assertEqual(len(self.agent.get(f"/api/v1/complaints/{cid}/attachments").body["items"]),
                         1)

    def test_the_complaint_limit_is_the_staff_one_and_counts_staff_files(self):
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        for batch in range(5):
            r = self.agent.upload(f"/api/v1/complaints/{cid}/attachments",
                                  [(f"b{batch}-{i}.txt", "text/plain",
                                    f"staff note {batch} {i}\n".encode()) for i in range(10)])
            self.assertEqual(r.status, 201, r)
        snap = self.snapshot(cid)
        r = self.public.attach(code, token, [("one-more.png", "image/png", PNG)])
        body = self.assertProblem(r, 422, fields=["file"], msg="the 51st file")
        self.assertIn("at most 50", body["errors"][0]["message"])
        self.assertEqual((body["errors"][0]["rule"], body["errors"][0]["params"]),
                         ("max_attachments", {"max": "50"}), body)
        self.assertUnchanged(cid, snap)

    def test_closed_or_withdrawn_complaints_take_no_files(self):
        closed = self.submit()
        self.advance(closed["id"], "closed")
        withdrawn = self.submit()
        r = self.public.act(withdrawn["code"], withdrawn["token"], "withdraw", reason="Sorted.")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(r.body["state"], "withdrawn")
        for sub, state in ((closed, "closed"), (withdrawn, "withdrawn")):
            v = self.public.view(sub["code"], sub["token"])
            self.assertFalse(v.body["can_attach"], v.body)
            snap = self.snapshot(sub["id"])
            data = b"late evidence " + os.urandom(6).hex().encode() + b"\n"
            r = self.public.attach(sub["code"], sub["token"], [("late.txt", "text/plain", data)])
            body = self.assertProblem(r, 409, fields=["file"], msg=f"a {state} complaint")
            self.assertIn(state, body["errors"][0]["message"])
            self.assertFalse(os.path.exists(self.stored_path(data)))
            self.assertUnchanged(sub["id"], snap)
            self.assertEqual(self.public_files(sub["code"], sub["token"]), [])

    def test_staff_evidence_is_never_listed_or_served_on_the_portal(self):
        sub = self.submit()
        cid, code, token = sub["id"], sub["code"], sub["token"]
        self.advance(cid, "investigating")
        internal = b"INTERNAL-EVIDENCE warehouse camera log " + os.urandom(6).hex().encode()
        r = self.client("handler.st").upload(f"/api/v1/complaints/{cid}/attachments",
                                             [("camera-log.txt", "text/plain", internal)])
        self.assertEqual(r.status, 201, r)
        staff_aid = r.body["items"][0]["id"]
        self.assertFalse(r.body["items"][0]["by_customer"])
        mine = self.public.attach(code, token, [("mine.png", "image/png", PNG)])
        self.assertEqual(mine.status, 201, mine)
        own_aid = mine.body["items"][0]["id"]

        v = self.public.view(code, token)
        self.assertEqual([a["id"] for a in v.body["attachments"]], [own_aid])
        self.assertNotIn("camera-log", v.text)
        r = self.public.download(code, token, staff_aid)
        self.assertProblem(r, 404, msg="a staff attachment through the portal")
        self.assertNotIn(b"INTERNAL-EVIDENCE", r.raw)

        # another customer reaches neither file, with their own token or this code
        other = self.submit()
        for c, t in ((code, other["token"]), (other["code"], other["token"]),
                     (code, "wrong-" + token), (code, None)):
            for aid in (own_aid, staff_aid):
                r = self.public.download(c, t, aid)
                self.assertProblem(r, 404, msg=f"download {aid} with {c}")
        self.assertProblem(self.public.download(code, token, "abc"), 404)
        self.assertEqual(self.public.download(code, token, own_aid).raw, PNG)

    def test_a_merge_keeps_the_file_with_the_customer_who_added_it(self):
        # a merge joins one person's complaints: the same customer twice
        who = {"name": "Merge Customer", "email": f"merge-{os.urandom(4).hex()}@example.com",
               "language": "en"}
        a, b = self.submit(customer=dict(who)), self.submit(customer=dict(who))
        r = self.public.attach(b["code"], b["token"], [("b.png", "image/png", PNG)])
        self.assertEqual(r.status, 201, r)
        aid = r.body["items"][0]["id"]
        self.act(self.agent, a["id"], "take", "assessing")
        self.act(self.agent, b["id"], "merge", "duplicate", duplicate_of=a["id"])
        # the file now sits on a's case file, yet stays b's customer's own
        self.assertIn(aid, [x["id"] for x in
                            self.agent.get(f"/api/v1/complaints/{a['id']}/attachments").body["items"]])
        self.assertEqual(self.public_files(a["code"], a["token"]), [])
        self.assertProblem(self.public.download(a["code"], a["token"], aid), 404)
        self.assertEqual([x["id"] for x in self.public_files(b["code"], b["token"])], [aid])
        self.assertEqual(self.public.download(b["code"], b["token"], aid).raw, PNG)
        # the merged complaint is finished: it takes no more files
        r = self.public.attach(b["code"], b["token"], [("late.png", "image/png", PNG)])
        self.assertProblem(r, 409, fields=["file"])


class PortalAttachmentLimits(ApiTestCase):
    """The public submit route's per-address limiter applies to uploads too."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.server = Server(env={"REDRESS_SUBMIT_LIMIT": "3"})
        cls.server.load_demo()
        cls.server.start()
        cls._clients, cls._ids = {}, {}
        cls.public = PublicClient(cls.server, "customer")

    def test_uploads_are_rate_limited_per_address(self):
        sub = self.submit()
        for i in range(3):
            r = self.public.attach(sub["code"], sub["token"],
                                   [(f"n{i}.txt", "text/plain", f"note {i}\n".encode())])
            self.assertEqual(r.status, 201, r)
        snap = self.snapshot(sub["id"])
        r = self.public.attach(sub["code"], sub["token"], [("n4.txt", "text/plain", b"note 4\n")])
        self.assertProblem(r, 429, msg="the fourth upload")
        self.assertTrue(int(r.headers["Retry-After"]) > 0, r.headers)
        self.assertUnchanged(sub["id"], snap)


if __name__ == "__main__":
    main()
