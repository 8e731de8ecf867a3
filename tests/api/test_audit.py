"""The hash-chained audit trail detects an event edited behind its back."""

import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import ApiTestCase, main, run_cli  # noqa: E402


class AuditChain(ApiTestCase):

    def test_tampering_is_detected(self):
        # some activity on two complaints
        a = self.submit()["id"]
        b = self.submit()["id"]
        self.advance(a, "investigating")
        self.advance(b, "assessing")
        self.act(self.agent, b, "hold", "on_hold", reason="waiting for photos")
        events = self.timeline(a)
        self.assertGreaterEqual(len(events), 4)

        r = run_cli("audit", "verify", "--database", self.server.db)
        self.assertEqual(r.returncode, 0, f"intact chain: {r.stdout}\n{r.stderr}")
        m = re.search(r"intact:?\s*(\d+)", r.stdout + r.stderr)
        self.assertIsNotNone(m, f"audit verify should count the events: {r.stdout}")
        self.assertGreaterEqual(int(m.group(1)), len(events) + len(self.timeline(b)))

        # stop the server and edit one event as an attacker would
        self.server.stop()
        target = events[2]  # an event in the middle of the chain, e.g. `accept`
        con = sqlite3.connect(self.server.db)
        try:
            (data,) = con.execute("SELECT data FROM events WHERE id = ?", (target["id"],)).fetchone()
            with self.assertRaises(sqlite3.DatabaseError, msg="events must refuse UPDATE"):
                con.execute("UPDATE events SET data = '{}' WHERE id = ?", (target["id"],))
            con.rollback()
            with self.assertRaises(sqlite3.DatabaseError, msg="events must refuse DELETE"):
                con.execute("DELETE FROM events WHERE id = ?", (events[-1]["id"],))
            con.rollback()
            con.execute("DROP TRIGGER events_no_update")
            try:
                forged = json.loads(data)
                forged = dict(forged, tampered="yes") if isinstance(forged, dict) else {"x": 1}
                forged = json.dumps(forged)
            except ValueError:
                forged = data + " "
            con.execute("UPDATE events SET data = ? WHERE id = ?", (forged, target["id"]))
            con.commit()
            (now,) = con.execute("SELECT data FROM events WHERE id = ?", (target["id"],)).fetchone()
            self.assertNotEqual(now, data)
        finally:
            con.close()

        r = run_cli("audit", "verify", "--database", self.server.db)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, f"tampering not detected: {out}")
        self.assertIn("broken", out)
        m = re.search(r"event\s+(?:id\s*)?#?(\d+)", out, re.IGNORECASE)
        self.assertIsNotNone(m, f"audit verify should name the broken event: {out}")
        self.assertEqual(int(m.group(1)), target["id"], f"first broken link: {out}")


class AuditChainStateEdit(ApiTestCase):
    """On its own database: a state column edited, the hash left as it was."""

    def test_state_edit_is_detected(self):
        cid = self.submit()["id"]
        self.advance(cid, "assigned")
        events = self.timeline(cid)
        self.server.stop()
        con = sqlite3.connect(self.server.db)
        try:
            con.execute("DROP TRIGGER IF EXISTS events_no_update")
            # re-hash nothing: move the state of the event, keep its hash
            con.execute("UPDATE events SET to_state = 'closed' WHERE id = ?", (events[-1]["id"],))
            con.commit()
        finally:
            con.close()
        r = run_cli("audit", "verify", "--database", self.server.db)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, out)
        m = re.search(r"event\s+(?:id\s*)?#?(\d+)", out, re.IGNORECASE)
        self.assertIsNotNone(m, out)
        self.assertEqual(int(m.group(1)), events[-1]["id"], out)


if __name__ == "__main__":
    main()
