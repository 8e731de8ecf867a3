"""Many clients submitting and transitioning at once: every acknowledged complaint
is present exactly once and every timeline is complete."""

import collections
import concurrent.futures as cf
import os
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, INTAKE_ACTIONS, PublicClient, main, public_body  # noqa: E402

THREADS = 16
PER_THREAD = 15
RACES = 20


class Concurrency(ApiTestCase):

    def submit_with_retry(self, client, key, body, stats):
        """POST with an idempotency key; 429 is retried with the same key."""
        for attempt in range(40):
            r = client.post("/api/v1/public/complaints", body, headers={"Idempotency-Key": key})
            if r.status != 429:
                return r
            stats["429"] += 1
            time.sleep(min(2.0, float(r.headers.get("Retry-After") or 0.25 * (attempt + 1))))
        return r

    def test_submissions_and_races(self):
        before = {c["tracking_code"] for c in self.all_complaints()}
        stats = collections.Counter()
        stats_lock = threading.Lock()

        # jobs: 240 distinct keys; every 4th is retried by the same thread right away,
        # every 12th is also sent at the same moment by another thread
        jobs = [[] for _ in range(THREADS)]
        bodies = {}
        for t in range(THREADS):
            for i in range(PER_THREAD):
                key = str(uuid.uuid4())
                bodies[key] = public_body()
                jobs[t].append((key, 2 if i % 4 == 0 else 1))
        twins = []
        for t in range(THREADS):
            key = jobs[t][PER_THREAD - 1][0]
            jobs[(t + 1) % THREADS].insert(0, (key, 1))  # same key, other thread, early
            twins.append(key)

        results = collections.defaultdict(list)  # key -> [(status, tracking_code)]
        lock = threading.Lock()
        start = threading.Barrier(THREADS)

        def worker(t):
            client = PublicClient(self.server, f"customer-{t}")
            local = collections.Counter()
            start.wait()
            for key, times in jobs[t]:
                for _ in range(times):
                    r = self.submit_with_retry(client, key, bodies[key], local)
                    code = r.body.get("tracking_code") if isinstance(r.body, dict) else None
                    with lock:
                        results[key].append((r.status, code, r.text[:300]))
            with stats_lock:
                stats.update(local)

        with cf.ThreadPoolExecutor(THREADS) as ex:
            list(ex.map(worker, range(THREADS)))

        acked = {}
        for key, answers in results.items():
            statuses = [s for s, _, _ in answers]
            codes = {c for s, c, _ in answers if s == 201}
            if key in twins:
                # a duplicate arriving while the first is in flight may be told 409
                self.assertTrue(set(statuses) <= {201, 409}, f"{key}: {answers}")
            else:
                self.assertEqual(set(statuses), {201}, f"{key}: {answers}")
            self.assertIn(201, statuses, f"{key} never acknowledged: {answers}")
            self.assertEqual(len(codes), 1, f"one key, several tracking codes: {answers}")
            acked[key] = codes.pop()
        self.assertEqual(len(acked), THREADS * PER_THREAD)
        self.assertEqual(len(set(acked.values())), len(acked), "two keys share a tracking code")

        listing = self.all_complaints()
        codes = collections.Counter(c["tracking_code"] for c in listing)
        for key, code in acked.items():
            self.assertEqual(codes[code], 1, f"{code} ({key}) listed {codes[code]} times")
        new = set(codes) - before
        self.assertEqual(new, set(acked.values()),
                         "complaints created that nobody acknowledged, or missing ones")
        self.assertEqual(len(listing), len(before) + len(acked))
        if stats["429"]:
            sys.stderr.write(f"\n[concurrency] {stats['429']} submissions were rate limited (429) "
                             f"and retried\n")

        # races: two agents take the same complaint at once; exactly one wins
        r = self.admin.post("/api/v1/users", {
            "username": "agent.two", "password": "agent-two-password-1",
            "display_name": "Second Agent", "roles": ["agent"],
            "department_id": self.department_id("customer_service")})
        self.assertEqual(r.status, 201, r)
        one = self.new_session("agent")
        two = self.new_session("agent.two", "agent-two-password-1")
        by_code = {c["tracking_code"]: c["id"] for c in listing}
        targets = [by_code[code] for code in list(acked.values())[:RACES]]

        def race(cid):
            barrier = threading.Barrier(2)

            def go(client):
                barrier.wait()
                return self.transition(client, cid, "take").status

            with cf.ThreadPoolExecutor(2) as ex:
                f1, f2 = ex.submit(go, one), ex.submit(go, two)
                return cid, sorted([f1.result(), f2.result()])

        with cf.ThreadPoolExecutor(8) as ex:
            outcomes = list(ex.map(race, targets))
        for cid, statuses in outcomes:
            self.assertEqual(statuses, [200, 409], f"take race on {cid}")

        # then many transitions at once on different complaints
        def accept(cid):
            client = one if cid % 2 else two
            return cid, self.transition(client, cid, "accept", category="delivery_delay",
                                        urgency="general", difficulty="simple").status

        with cf.ThreadPoolExecutor(8) as ex:
            for cid, status in ex.map(accept, targets):
                self.assertEqual(status, 200, f"accept {cid}")

        # every complaint's timeline is complete
        racing = set(targets)

        def check(cid):
            c = self.get_complaint(cid)
            events = self.timeline(cid)
            return cid, c, events

        with cf.ThreadPoolExecutor(8) as ex:
            checked = list(ex.map(check, [by_code[code] for code in acked.values()]))
        for cid, c, events in checked:
            self.assertTrue(events, f"{cid}: empty timeline")
            self.assertIn(events[0]["action"], INTAKE_ACTIONS, f"{cid}: {events[0]}")
            self.assertEqual(events[0].get("to_state"), "new", f"{cid}: {events[0]}")
            takes = [e for e in events if e["action"] == "take"]
            if cid in racing:
                self.assertEqual(c["state"], "assigned")
                self.assertEqual(len(takes), 1, f"{cid}: {len(takes)} take events")
                self.assertEqual((takes[0]["from_state"], takes[0]["to_state"]), ("new", "assessing"))
                accepts = [e for e in events if e["action"] == "accept"]
                self.assertEqual(len(accepts), 1)
                self.assertLess(takes[0]["id"], accepts[0]["id"])
            else:
                self.assertEqual(c["state"], "new")
                self.assertEqual(takes, [])
            self.assertTimelineConsistent(cid, c)


    def test_same_complaint_contention(self):
        """Many writers on one complaint: each refused one changes nothing."""
        cid = self.submit()["id"]
        self.advance(cid, "investigating")
        sessions = [self.new_session(u) for u in ("agent", "handler.st", "supervisor.st")] * 3
        before = self.get_complaint(cid)
        barrier = threading.Barrier(len(sessions))

        def hold(client):
            barrier.wait()
            return self.transition(client, cid, "hold", reason=f"hold by {client.name}").status

        with cf.ThreadPoolExecutor(len(sessions)) as ex:
            statuses = sorted(ex.map(hold, sessions))
        self.assertEqual(statuses, [200] + [409] * (len(sessions) - 1))
        after = self.get_complaint(cid)
        self.assertEqual(after["state"], "on_hold")
        self.assertEqual(after["version"], before["version"] + 1)
        self.assertEqual(len([e for e in self.timeline(cid) if e["action"] == "hold"]), 1)

        # two edits with the same If-Match: one wins, the other is told 412
        etag = f'"{after["version"]}"'
        barrier2 = threading.Barrier(2)

        def edit(i):
            barrier2.wait()
            return self.agent.patch(f"/api/v1/complaints/{cid}", {"tags": [f"edit-{i}"]},
                                    headers={"If-Match": etag}).status

        with cf.ThreadPoolExecutor(2) as ex:
            self.assertEqual(sorted(ex.map(edit, range(2))), [200, 412])
        self.assertEqual(self.get_complaint(cid)["version"], after["version"] + 1)


class CrashSafety(ApiTestCase):
    """SPEC §8: an acknowledged complaint survives kill -9."""

    def test_kill_9_loses_nothing(self):
        acked = []
        lock = threading.Lock()

        def submit(i):
            client = PublicClient(self.server, f"c{i}")
            r = client.post("/api/v1/public/complaints", public_body(),
                            headers={"Idempotency-Key": str(uuid.uuid4())})
            if r.status == 201:
                with lock:
                    acked.append(r.body["tracking_code"])

        with cf.ThreadPoolExecutor(8) as ex:
            list(ex.map(submit, range(40)))
        self.assertEqual(len(acked), 40)
        # kill -9 right after the last acknowledgement
        self.server.proc.kill()
        self.server.proc.wait(timeout=10)
        self.server.proc = None
        self.server.start()
        codes = collections.Counter(c["tracking_code"] for c in self.all_complaints())
        for code in acked:
            self.assertEqual(codes[code], 1, f"{code} lost or duplicated after kill -9")
        for cid in [c["id"] for c in self.all_complaints() if c["tracking_code"] in acked][:10]:
            self.assertTimelineConsistent(cid)


if __name__ == "__main__":
    main()
