"""`redress backup FILE` while the server writes, `redress restore FILE` into a
fresh directory (or a fresh PostgreSQL database), and a comparison of every
complaint, every event and every attachment's bytes (issue 8, part 2).

- A backup taken under write load is a consistent snapshot: its events are an
  exact prefix of the live timeline (same ids, same hashes), every complaint
  in it is either identical to the live one or at an older version, its audit
  chain verifies, and every attachment it refers to is in it, byte for byte.
- A backup taken at rest restores to exactly the live data, and a server
  started on the restored copy serves the same complaints and files.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from harness import (PG_URL, ApiTestCase, Client, Server, pg_url_for, psql,  # noqa: E402
                     public_body, run_cli)

TABLES = {  # what is compared, ordered by a unique key
    "complaints": "id",
    "events": "id",
    "customers": "id",
    "messages": "id",
    "attachments": "id",
    "outbox": "id",
}


class Backup(ApiTestCase):

    def setUp(self) -> None:
        self.tmp = tempfile.mkdtemp(prefix="redress-backup-test-")
        self.databases: list[str] = []

    def tearDown(self) -> None:
        for name in self.databases:
            psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", check=False)
        shutil.rmtree(self.tmp, ignore_errors=True)

    # -- helpers -------------------------------------------------------------------

    def attachments_dir(self) -> str:
        return os.path.join(self.server.dir, "attachments")

    def fresh_target(self) -> tuple[str, str]:
        """A database that does not exist yet (SQLite) or is empty (PostgreSQL), and a
        fresh attachment directory."""
        d = tempfile.mkdtemp(prefix="restore-", dir=self.tmp)
        if PG_URL:
            name = "redress_restore_" + uuid.uuid4().hex[:12]
            psql(f"CREATE DATABASE {name}")
            self.databases.append(name)
            return pg_url_for(name), os.path.join(d, "attachments")
        return os.path.join(d, "redress.db"), os.path.join(d, "attachments")

    def rows(self, database: str, table: str, key: str) -> list:
        sql = f"SELECT * FROM {table} ORDER BY {key}"
        if PG_URL:
            out = psql(f"COPY ({sql}) TO STDOUT", database).stdout
            return out.splitlines()
        con = sqlite3.connect(database)
        try:
            return [tuple(r) for r in con.execute(sql).fetchall()]
        finally:
            con.close()

    def files(self, directory: str) -> dict:
        out = {}
        for root, _dirs, names in os.walk(directory):
            for n in names:
                if ".tmp" not in n:
                    with open(os.path.join(root, n), "rb") as f:
                        out[n] = f.read()
        return out

    def backup(self, name: str) -> str:
        path = os.path.join(self.tmp, name)
        r = run_cli("backup", path, "--database", self.server.db,
                    "--attachments", self.attachments_dir())
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("backup of", r.stdout)
        self.assertTrue(os.path.isfile(path))
        self.assertFalse(os.path.exists(path + ".partial"))
        return path

    def restore(self, path: str) -> tuple[str, str]:
        db, attachments = self.fresh_target()
        r = run_cli("restore", path, "--database", db, "--attachments", attachments)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("audit chain intact", r.stdout)
        return db, attachments

    def load(self, stop: threading.Event, errors: list, n: int) -> None:
        rng = random.Random(n)
        agent = Client(self.server, "agent")
        try:
            self.assertEqual(agent.login("agent").status, 200)
            while not stop.is_set():
                r = agent.post("/api/v1/complaints", {**public_body(), "channel": "phone"},
                               headers={"Idempotency-Key": uuid.uuid4().hex})
                self.assertEqual(r.status, 201, r)
                cid = r.body["id"]
                if rng.random() < 0.5:
                    data = os.urandom(rng.randint(10, 4000)).hex().encode() + b"\n"
                    up = agent.upload(f"/api/v1/complaints/{cid}/attachments",
                                      [("evidence.txt", "text/plain", data)])
                    self.assertEqual(up.status, 201, up)
                r = agent.post(f"/api/v1/complaints/{cid}/transitions", {"action": "take"})
                self.assertEqual(r.status, 200, r)
        except Exception as e:  # reported by the test thread
            errors.append(e)
            stop.set()

    # -- the test ------------------------------------------------------------------

    def test_backup_under_load_and_restore(self):
        stop, errors = threading.Event(), []
        threads = [threading.Thread(target=self.load, args=(stop, errors, n)) for n in range(3)]
        for t in threads:
            t.start()
        time.sleep(1.0)
        under_load = self.backup("under-load.redress-backup")
        time.sleep(0.5)
        stop.set()
        for t in threads:
            t.join(timeout=60)
        if errors:
            raise errors[0]
        live = self.server.db
        live_files = self.files(self.attachments_dir())

        # Under load: a consistent snapshot.
        db, attachments = self.restore(under_load)
        restored_events = self.rows(db, "events", "id")
        live_events = self.rows(live, "events", "id")
        self.assertGreater(len(restored_events), 20)
        self.assertLess(len(restored_events), len(live_events), "the load wrote nothing after")
        self.assertEqual(restored_events, live_events[:len(restored_events)],
                         "the backup's timeline is not a prefix of the live one")
        live_complaints = {self.key(r): r for r in self.rows(live, "complaints", "id")}
        for row in self.rows(db, "complaints", "id"):
            other = live_complaints.get(self.key(row))
            self.assertIsNotNone(other, f"complaint {self.key(row)} only in the backup")
            if row != other:
                self.assertLess(self.version(row), self.version(other),
                                f"complaint {self.key(row)} differs at the same version")
        restored_files = self.files(attachments)
        for storage_key in self.storage_keys(db):
            self.assertIn(storage_key, restored_files, "an attachment of the snapshot is missing")
            self.assertEqual(restored_files[storage_key], live_files[storage_key])

        # At rest: exactly the live data.
        at_rest = self.backup("at-rest.redress-backup")
        db, attachments = self.restore(at_rest)
        for table, key in TABLES.items():
            self.assertEqual(self.rows(db, table, key), self.rows(live, table, key), table)
        self.assertEqual(self.files(attachments), live_files)

        # Refusals: an existing backup file, a non-empty target, a non-backup file.
        r = run_cli("backup", at_rest, "--database", live)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        r = run_cli("restore", at_rest, "--database", db, "--attachments", attachments)
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)
        junk = os.path.join(self.tmp, "junk")
        with open(junk, "wb") as f:
            f.write(b"not a backup")
        r = run_cli("restore", junk, "--database", self.fresh_target()[0])
        self.assertNotEqual(r.returncode, 0, r.stdout + r.stderr)

        # A server on the restored copy serves the same complaints and files.
        restored = Server()
        try:
            restored.db = db
            restored.dir = os.path.dirname(attachments)  # its attachments: <dir>/attachments
            restored.start()
            agent = Client(restored, "agent")
            self.assertEqual(agent.login("agent").status, 200)
            cid = self.key(self.rows(live, "attachments", "id")[-1], column=1)
            items = agent.get(f"/api/v1/complaints/{cid}/attachments").body["items"]
            self.assertTrue(items)
            r = agent.get(f"/api/v1/complaints/{cid}/attachments/{items[0]['id']}")
            self.assertEqual(r.status, 200, r)
            self.assertEqual(r.raw, live_files[items[0]["sha256"]])
        finally:
            restored.cleanup()

    # Row access that works for sqlite3 tuples and COPY text lines alike.
    @staticmethod
    def field(row, i: int):
        return row[i] if isinstance(row, tuple) else row.split("\t")[i]

    def key(self, row, column: int = 0):
        return int(self.field(row, column))

    def version(self, row) -> int:
        return int(self.field(row, 5))  # complaints.version (see migration 0001)

    def storage_keys(self, database: str) -> list:
        return [self.field(r, 6) for r in self.rows(database, "attachments", "id")
                if self.field(r, 6)]


if __name__ == "__main__":
    unittest.main(verbosity=2)
