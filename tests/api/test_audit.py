"""The hash-chained audit trail detects an event edited behind its back."""

import json
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import PG_URL, ApiTestCase, main, run_cli, sql_literal  # noqa: E402


class EventsTable:
    """The events table edited behind the server's back, as an attacker with
    database access would: sqlite3 on the file, or psql on the PostgreSQL
    database. Statements run in autocommit."""

    def __init__(self, server) -> None:
        self.server = server
        self.con = None if PG_URL else sqlite3.connect(server.db, isolation_level=None)

    def close(self) -> None:
        if self.con is not None:
            self.con.close()

    def data(self, event_id: int) -> str:
        if self.con is not None:
            return self.con.execute("SELECT data FROM events WHERE id = ?",
                                    (event_id,)).fetchone()[0]
        return self.server.sql(f"SELECT data FROM events WHERE id = {int(event_id)}").stdout \
            .rstrip("\n")

    def refuses(self, statement: str) -> bool:
        """Whether the database refuses `statement` (the append-only triggers)."""
        if self.con is not None:
            try:
                self.con.execute(statement)
            except sqlite3.DatabaseError:
                return True
            return False
        r = self.server.sql(statement, check=False)
        return r.returncode != 0 and "append-only" in r.stderr

    def drop_update_trigger(self) -> None:
        if self.con is not None:
            self.con.execute("DROP TRIGGER IF EXISTS events_no_update")
        else:
            self.server.sql("DROP TRIGGER IF EXISTS events_no_update ON events")

    def set(self, event_id: int, column: str, value: str) -> None:
        if self.con is not None:
            self.con.execute(f"UPDATE events SET {column} = ? WHERE id = ?", (value, event_id))
        else:
            self.server.sql(f"UPDATE events SET {column} = {sql_literal(value)} "
                            f"WHERE id = {int(event_id)}")


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
        table = EventsTable(self.server)
        try:
            data = table.data(target["id"])
            self.assertTrue(table.refuses(f"UPDATE events SET data = '{{}}' WHERE id = {target['id']}"),
                            "events must refuse UPDATE")
            self.assertTrue(table.refuses(f"DELETE FROM events WHERE id = {events[-1]['id']}"),
                            "events must refuse DELETE")
            table.drop_update_trigger()
            try:
                forged = json.loads(data)
                forged = dict(forged, tampered="yes") if isinstance(forged, dict) else {"x": 1}
                forged = json.dumps(forged)
            except ValueError:
                forged = data + " "
            table.set(target["id"], "data", forged)
            self.assertNotEqual(table.data(target["id"]), data)
        finally:
            table.close()

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
        table = EventsTable(self.server)
        try:
            table.drop_update_trigger()
            # re-hash nothing: move the state of the event, keep its hash
            table.set(events[-1]["id"], "to_state", "closed")
        finally:
            table.close()
        r = run_cli("audit", "verify", "--database", self.server.db)
        out = r.stdout + r.stderr
        self.assertNotEqual(r.returncode, 0, out)
        m = re.search(r"event\s+(?:id\s*)?#?(\d+)", out, re.IGNORECASE)
        self.assertIsNotNone(m, out)
        self.assertEqual(int(m.group(1)), events[-1]["id"], out)


if __name__ == "__main__":
    main()
