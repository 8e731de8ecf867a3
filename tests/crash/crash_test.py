"""Crash consistency, proven: SIGKILL `redress serve` at random moments under
concurrent writes and check that nothing acknowledged is lost or doubled.

What one run does (SPEC.md §8 "Nothing lost", issue 8 part 1):

- starts the REAL `redress serve` on a fresh demo database (a temporary SQLite
  file, or a fresh PostgreSQL database when REDRESS_TEST_PG_URL is set — the
  same switch as tests/api/harness.py, which this reuses) with e-mail delivery
  to a real SMTP sink (tests/api/smtp_sink.py, python3-aiosmtpd);
- drives it from several threads: portal submissions and staff intake, each
  with an Idempotency-Key, and lifecycle transitions (take, accept) guarded by
  If-Match;
- kills the server with SIGKILL at random moments (KILLS times), restarts it,
  and keeps every request whose answer it did not receive for a retry with the
  same Idempotency-Key (or the same If-Match);
- after the last restart, retries all unacknowledged requests and checks:
  * every complaint whose 201 was received exists exactly once (counted by a
    unique marker in its description, in the database itself), and a retried
    key answers the first complaint again;
  * every acknowledged transition is in the complaint's timeline and the
    complaint is at least at the acknowledged version;
  * `redress audit verify` passes (the hash chain is intact);
  * `PRAGMA integrity_check` is ok (SQLite), or amcheck's index checks pass
    (PostgreSQL);
  * every outbox row is delivered exactly once after de-duplication by its
    Message-ID, and raw SMTP duplicates (the documented window: killed after the
    SMTP server accepted a message, before the commit) number at most one per
    kill.

Run:
    REDRESS_BIN=build/src/cli/redress python3 tests/crash/crash_test.py          # CI: 20 kills
    REDRESS_BIN=build/src/cli/redress python3 tests/crash/crash_test.py --long   # 200 kills
    REDRESS_CRASH_KILLS=50 REDRESS_CRASH_SEED=7 python3 tests/crash/crash_test.py

The seed is printed at the start, so a failing schedule can be replayed (the
kill moments are random; thread interleavings are not reproducible).
"""

from __future__ import annotations

import argparse
import collections
import email
import email.policy
import os
import random
import sqlite3
import sys
import threading
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "api"))

from harness import (PG_URL, STORE, Client, PublicClient, Server,  # noqa: E402
                     public_body, run_cli)
from test_mail_sla import SmtpSink  # noqa: E402

KILLS = int(os.environ.get("REDRESS_CRASH_KILLS", "20"))
SEED = int(os.environ.get("REDRESS_CRASH_SEED", str(random.randrange(1 << 30))))
WORKERS = 4
MAIL_ENV = {"REDRESS_JOB_POLL_MS": "50", "REDRESS_JOB_BACKOFF_MS": "100",
            "REDRESS_SMTP_TLS": "none", "REDRESS_MAIL_FROM": "Redress <cs@example.org>"}


class Unanswered(Exception):
    """The server died (or was not up) before it answered."""


def call(fn):
    """Runs one request; any transport failure is 'no answer'."""
    try:
        return fn()
    except (OSError, ConnectionError, TimeoutError, Exception) as e:  # noqa: B014
        if isinstance(e, AssertionError):
            raise
        raise Unanswered(str(e)) from e


class Ledger:
    """What the clients sent and what the server acknowledged. Thread-safe."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # key -> {"path", "body", "client", "marker", "ack": answer body or None}
        self.intakes: dict[str, dict] = {}
        # complaint id -> version, for staff-created complaints ready to move
        self.movable: dict[int, int] = {}
        # (cid, action, to_state, version) acknowledged
        self.transitions: list[tuple] = []
        # transitions sent but not answered: (cid, action, payload, if_match)
        self.pending_transitions: list[tuple] = []
        self.answered = 0
        self.unanswered = 0


class CrashConsistency(unittest.TestCase):

    @classmethod
    def setUpClass(cls) -> None:
        print(f"\n[crash] store={STORE} kills={KILLS} seed={SEED}", file=sys.stderr, flush=True)
        cls.rng = random.Random(SEED)
        cls.sink = SmtpSink()
        cls.saved_env = {k: os.environ.get(k) for k in [*MAIL_ENV, "REDRESS_SMTP_URL"]}
        os.environ.update(MAIL_ENV)
        os.environ["REDRESS_SMTP_URL"] = cls.sink.url
        cls.server = Server()
        cls.server.load_demo()
        cls.server.start()

    @classmethod
    def tearDownClass(cls) -> None:
        cls.server.cleanup()
        cls.sink.close()
        for k, v in cls.saved_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v

    # -- the load ------------------------------------------------------------------

    def intake(self, ledger: Ledger, public: bool, client: Client) -> None:
        key = "crash-" + uuid.uuid4().hex
        marker = "MARK-" + uuid.uuid4().hex
        body = public_body(description=f"Crash test complaint {marker}: the parcel was late.")
        path = "/api/v1/public/complaints"
        if not public:
            body["channel"] = "phone"
            path = "/api/v1/complaints"
        entry = {"path": path, "body": body, "client": client, "marker": marker, "ack": None}
        with ledger.lock:
            ledger.intakes[key] = entry
        self.send_intake(ledger, key, entry)

    def send_intake(self, ledger: Ledger, key: str, entry: dict) -> None:
        r = call(lambda: entry["client"].post(entry["path"], entry["body"],
                                              headers={"Idempotency-Key": key}))
        self.assertEqual(r.status, 201, f"intake {key}: {r!r}")
        with ledger.lock:
            entry["ack"] = r.body
            ledger.answered += 1
            if "id" in r.body and entry["path"] == "/api/v1/complaints":
                ledger.movable.setdefault(r.body["id"], r.body["version"])

    def move(self, ledger: Ledger, agent: Client, rng: random.Random) -> None:
        with ledger.lock:
            if not ledger.movable:
                return
            cid = rng.choice(list(ledger.movable))
            version = ledger.movable.pop(cid)
        try:
            c = call(lambda: agent.get(f"/api/v1/complaints/{cid}"))
        except Unanswered:
            with ledger.lock:
                ledger.movable[cid] = version
            raise
        self.assertEqual(c.status, 200, c)
        state, version = c.body["state"], c.body["version"]
        if state == "new":
            action, payload = "take", {}
        elif state == "assessing":
            action, payload = "accept", {"category": "delivery_delay", "urgency": "general",
                                         "difficulty": "simple"}
        else:
            return  # far enough: it leaves the pool
        self.send_transition(ledger, agent, cid, action, payload, version)

    def send_transition(self, ledger, agent, cid, action, payload, version) -> None:
        try:
            r = call(lambda: agent.post(f"/api/v1/complaints/{cid}/transitions",
                                        {"action": action, **payload},
                                        headers={"If-Match": f'"{version}"'}))
        except Unanswered:
            with ledger.lock:
                ledger.pending_transitions.append((cid, action, payload, version))
            raise
        if r.status == 412 or r.status == 409:
            # A retry after an unanswered attempt: the first one committed.
            with ledger.lock:
                ledger.movable[cid] = -1
            return
        self.assertEqual(r.status, 200, f"{action} on {cid}: {r!r}")
        with ledger.lock:
            ledger.transitions.append((cid, action, r.body["state"], r.body["version"]))
            ledger.movable[cid] = r.body["version"]
            ledger.answered += 1

    def worker(self, ledger: Ledger, stop: threading.Event, n: int, errors: list) -> None:
        rng = random.Random(SEED + n)
        agent = Client(self.server, "agent")
        public = PublicClient(self.server, "customer")
        logged_in = False
        while not stop.is_set():
            try:
                if not logged_in:
                    r = call(lambda: agent.login("agent"))
                    self.assertEqual(r.status, 200, r)
                    logged_in = True
                roll = rng.random()
                if roll < 0.35:
                    self.intake(ledger, True, public)
                elif roll < 0.6:
                    self.intake(ledger, False, agent)
                else:
                    self.move(ledger, agent, rng)
            except Unanswered:
                with ledger.lock:
                    ledger.unanswered += 1
                time.sleep(0.05)
            except Exception as e:  # an assertion in a thread: report, stop the run
                errors.append(e)
                stop.set()

    # -- the test ------------------------------------------------------------------

    def test_sigkill_under_load_loses_nothing(self):
        ledger = Ledger()
        stop = threading.Event()
        errors: list = []
        threads = [threading.Thread(target=self.worker, args=(ledger, stop, n, errors))
                   for n in range(WORKERS)]
        for t in threads:
            t.start()
        started = time.monotonic()
        try:
            for k in range(KILLS):
                if stop.is_set():
                    break
                # Let the restarted server acknowledge some work first (a loaded
                # machine may start it slowly), then kill at a random moment.
                progress = ledger.answered
                deadline = time.monotonic() + 20
                while ledger.answered < progress + 3 and time.monotonic() < deadline \
                        and not stop.is_set():
                    time.sleep(0.02)
                time.sleep(self.rng.uniform(0.0, 0.75))
                self.server.proc.kill()  # SIGKILL: no handler, no flush, no goodbye
                self.server.proc.wait()
                self.server.proc = None
                time.sleep(self.rng.uniform(0.0, 0.2))
                self.server.start()
        finally:
            time.sleep(0.5)
            stop.set()
            for t in threads:
                t.join(timeout=120)
        if errors:
            raise errors[0]
        elapsed = time.monotonic() - started
        print(f"[crash] {KILLS} kills in {elapsed:.0f} s; {ledger.answered} answered, "
              f"{ledger.unanswered} cut off", file=sys.stderr, flush=True)

        # Retry every unanswered request with the same key / If-Match.
        agent = Client(self.server, "agent")
        self.assertEqual(agent.login("agent").status, 200)
        retried = 0
        for key, entry in list(ledger.intakes.items()):
            if entry["ack"] is None:
                if entry["path"] == "/api/v1/complaints":
                    entry["client"] = agent
                self.send_intake(ledger, key, entry)
                retried += 1
        for cid, action, payload, version in ledger.pending_transitions:
            self.send_transition(ledger, agent, cid, action, payload, version)
        print(f"[crash] {retried} intakes and {len(ledger.pending_transitions)} transitions "
              f"retried after the last restart", file=sys.stderr, flush=True)
        self.assertGreater(len(ledger.intakes), 20, "the load did too little to prove anything")

        # A replayed key answers the first complaint again, never a new one.
        for key, entry in list(ledger.intakes.items())[:10]:
            client = agent if entry["path"] == "/api/v1/complaints" else PublicClient(self.server)
            r = client.post(entry["path"], entry["body"], headers={"Idempotency-Key": key})
            self.assertEqual(r.status, 201, r)
            self.assertEqual(r.body["tracking_code"], entry["ack"]["tracking_code"], key)

        # Every acknowledged transition is in the timeline.
        for cid, action, to_state, version in ledger.transitions:
            c = agent.get(f"/api/v1/complaints/{cid}")
            self.assertGreaterEqual(c.body["version"], version, f"complaint {cid} went back")
            tl = agent.get(f"/api/v1/complaints/{cid}/timeline").body["items"]
            self.assertTrue(any(e["action"] == action and e.get("to_state") == to_state
                                for e in tl), f"acknowledged {action} on {cid} is missing: {tl}")

        self.check_outbox_delivered()
        self.server.stop()
        self.check_store(ledger)

    # -- the checks ----------------------------------------------------------------

    def query(self, sql: str) -> list:
        if PG_URL:
            out = self.server.sql(sql).stdout
            return [tuple(line.split("|")) for line in out.splitlines() if line]
        con = sqlite3.connect(self.server.db)
        try:
            return [tuple(str(v) for v in row) for row in con.execute(sql).fetchall()]
        finally:
            con.close()

    def check_outbox_delivered(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            pending = self.query("SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]
            if int(pending) == 0:
                break
            time.sleep(0.3)
        rows = self.query("SELECT id, state, message_id FROM outbox ORDER BY id")
        self.assertTrue(rows, "the load produced no outbox rows")
        not_sent = [r for r in rows if r[1] != "sent"]
        self.assertEqual(not_sent, [], "outbox rows not delivered after the last restart")
        time.sleep(0.5)  # the sink writes its file just after answering 250
        seen = collections.Counter()
        for name in os.listdir(self.sink.dir):
            if name.endswith(".eml"):
                with open(os.path.join(self.sink.dir, name), "rb") as f:
                    m = email.message_from_bytes(f.read(), policy=email.policy.default)
                seen[str(m["Message-ID"]).strip()] += 1
        expected = {r[2] for r in rows}
        self.assertEqual(len(expected), len(rows), "two outbox rows share a Message-ID")
        missing = expected - set(seen)
        unknown = set(seen) - expected
        self.assertEqual(missing, set(), "outbox rows marked sent that the SMTP server never got")
        self.assertEqual(unknown, set(), "mail that no outbox row explains")
        duplicates = sum(n - 1 for n in seen.values())
        print(f"[crash] outbox: {len(rows)} rows, each delivered once by Message-ID; "
              f"{duplicates} raw SMTP re-sends (kill between SMTP accept and commit)",
              file=sys.stderr, flush=True)
        self.assertLessEqual(duplicates, KILLS, "more re-sends than kills")

    def check_store(self, ledger: Ledger) -> None:
        # Each marker exactly once, and the tracking code answered is that complaint.
        rows = self.query("SELECT tracking_code, description FROM complaints "
                          "WHERE description LIKE 'Crash test complaint MARK-%'")
        by_marker = collections.defaultdict(list)
        for code, description in rows:
            by_marker[description.split(" ")[3].rstrip(":")].append(code)
        for key, entry in ledger.intakes.items():
            codes = by_marker.get(entry["marker"], [])
            self.assertEqual(len(codes), 1, f"intake {key} is stored {len(codes)} times")
            self.assertEqual(codes[0], entry["ack"]["tracking_code"], key)
        self.assertEqual(len(by_marker), len(ledger.intakes), "complaints nobody sent")
        acks = self.query("SELECT complaint_id, count(*) FROM outbox WHERE kind = "
                          "'acknowledgement' GROUP BY complaint_id HAVING count(*) <> 1")
        self.assertEqual(acks, [], "a complaint with other than one acknowledgement mail")

        r = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(r.returncode, 0, f"audit verify: {r.stdout}{r.stderr}")
        self.assertIn("intact", r.stdout)

        if PG_URL:
            # amcheck (contrib) verifies every B-tree index against its table.
            self.server.sql("CREATE EXTENSION IF NOT EXISTS amcheck")
            checked = self.server.sql(
                "SELECT count(bt_index_check(c.oid, true)) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE a.amname = 'btree' AND n.nspname = 'public'").stdout.strip()
            self.assertGreater(int(checked), 5, "amcheck checked no indexes")
        else:
            con = sqlite3.connect(self.server.db)
            try:
                self.assertEqual(con.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
                self.assertEqual(con.execute("PRAGMA foreign_key_check").fetchall(), [])
            finally:
                con.close()


def main() -> None:
    global KILLS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", action="store_true", help="200 kills instead of 20")
    parser.add_argument("--kills", type=int, help="number of SIGKILLs")
    args, rest = parser.parse_known_args()
    if args.long:
        KILLS = 200
    if args.kills:
        KILLS = args.kills
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
