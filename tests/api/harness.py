"""Black-box harness for the Redress API scenario tests.

Starts the REAL `redress` executable on a temporary SQLite file loaded with the
demo organisation and drives it over HTTP. Python 3 standard library only.

    REDRESS_BIN=/path/to/redress python3 -m unittest discover -s tests/api -t tests/api -v

With REDRESS_TEST_PG_URL set (a PostgreSQL cluster URL, e.g. the output of
`scripts/pg-test-cluster.sh url`), every server gets a fresh PostgreSQL
database instead, created and dropped through `psql`; `Server.db` is then
that database's URL.

The binary defaults to build/src/cli/redress relative to the repository root.
One server runs per TestCase class (setUpClass / tearDownClass).
"""

from __future__ import annotations

import datetime as _dt
import http.client
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import uuid

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_BIN = os.path.join("build", "src", "cli", "redress")
DEMO_PASSWORD = "redress-demo"
PROBLEM_JSON = "application/problem+json"
HEALTH_TIMEOUT = 15.0
HTTP_TIMEOUT = 60.0

# The demo organisation (docs/api-contract.md).
DEMO_USERS = ("admin", "agent", "handler.st", "handler.qm", "supervisor.st",
              "supervisor.qm", "qa", "director")

# Event actions accepted as the first (intake) event of a complaint's timeline.
INTAKE_ACTIONS = {"registered", "register", "intake", "submitted", "created", "received"}


# The PostgreSQL cluster to test against, or None for SQLite.
PG_URL = os.environ.get("REDRESS_TEST_PG_URL") or None
STORE = "postgresql" if PG_URL else "sqlite"


def pg_url_for(database: str) -> str:
    """The cluster URL with its database name replaced."""
    parts = urllib.parse.urlsplit(PG_URL)
    return urllib.parse.urlunsplit(parts._replace(path="/" + database))


def psql(sql: str, url: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Runs SQL through `psql` (unaligned, tuples only, stop at the first error)."""
    r = subprocess.run(["psql", url or PG_URL, "-X", "-q", "-tA", "-v", "ON_ERROR_STOP=1"],
                       input=sql, capture_output=True, text=True, timeout=60)
    if check and r.returncode != 0:
        raise RuntimeError(f"psql failed ({r.returncode}): {sql}\n{r.stdout}{r.stderr}")
    return r


def sql_literal(value) -> str:
    """A SQL literal for psql scripts (standard_conforming_strings is on)."""
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def redress_bin() -> str:
    path = os.environ.get("REDRESS_BIN", DEFAULT_BIN)
    if not os.path.isabs(path):
        path = os.path.join(REPO_ROOT, path)
    return path


def require_binary() -> str:
    path = redress_bin()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(
            f"redress binary not found or not executable: {path}\n"
            f"Build the project first (cmake --build build) or set REDRESS_BIN to the "
            f"path of the `redress` executable.")
    return path


def run_cli_exact(*args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Runs `redress ARGS…` exactly as given (text output)."""
    return subprocess.run([require_binary(), *args], capture_output=True, text=True,
                          timeout=timeout)


def _database_first(args: tuple) -> list:
    """`serve --database P …` -> `--database P serve …` (a global option)."""
    args = list(args)
    if "--database" in args:
        i = args.index("--database")
        db = args[i:i + 2]
        del args[i:i + 2]
        args = db + args
    return args


def cli_args(*args: str) -> list:
    """The arguments as the contract writes them (`redress demo --database P`). If this
    build only accepts --database before the subcommand, fall back to that and say so
    (test_cli.py keeps the contract form under test)."""
    if _CLI_FORM.get("database_first"):
        return _database_first(args)
    return list(args)


_CLI_FORM: dict = {}


def _probe_cli_form() -> None:
    if "database_first" in _CLI_FORM:
        return
    with tempfile.TemporaryDirectory(prefix="redress-probe-") as d:
        db = os.path.join(d, "probe.db")
        r = run_cli_exact("audit", "verify", "--database", db)
        rejected = r.returncode != 0 and "not expected" in (r.stdout + r.stderr)
        _CLI_FORM["database_first"] = rejected
        if rejected:
            sys.stderr.write("\n[harness] WARNING: `redress SUBCOMMAND --database PATH` is refused "
                             "by this build; using `redress --database PATH SUBCOMMAND` instead "
                             "(see test_cli.py)\n")


def run_cli(*args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Runs `redress ARGS…` (contract form) and returns the completed process."""
    _probe_cli_form()
    return run_cli_exact(*cli_args(*args), timeout=timeout)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def iso(ts: _dt.datetime) -> str:
    return ts.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{ts.microsecond // 1000:03d}Z"


def iso_in(days: float = 0, hours: float = 0) -> str:
    return iso(_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(days=days, hours=hours))


def unique(prefix: str = "x") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- server

class Server:
    """A `redress serve` subprocess on a fresh demo database in a temp dir."""

    # The portal's rate limits would refuse the suites' many submissions from one
    # address; test_trust.py turns them on for its own server through `env`.
    DEFAULT_ENV = {"REDRESS_SUBMIT_LIMIT": "0", "REDRESS_LOOKUP_LIMIT": "0",
                   "REDRESS_CODE_LIMIT": "0"}

    def __init__(self, env: dict | None = None, args: list | None = None) -> None:
        self.env = dict(env or {})  # over os.environ (read at each start) and DEFAULT_ENV
        self.extra_args = list(args or [])
        self.bin = require_binary()
        self.dir = tempfile.mkdtemp(prefix="redress-api-")
        self.pg_database: str | None = None
        if PG_URL:
            self.pg_database = "redress_api_" + uuid.uuid4().hex[:16]
            psql(f"CREATE DATABASE {self.pg_database}")
            self.db = pg_url_for(self.pg_database)
        else:
            self.db = os.path.join(self.dir, "redress.db")
        self.port = 0
        self.proc: subprocess.Popen | None = None
        self.unclean_exits: list[str] = []
        # Set (with --tls-certificate/--tls-key in extra_args) to talk HTTPS to the server.
        self.tls: ssl.SSLContext | None = None
        self.stdout_path = os.path.join(self.dir, "serve.stdout")
        self.stderr_path = os.path.join(self.dir, "serve.stderr")
        self.owns_database = True

    def twin(self) -> "Server":
        """Another `redress serve` on this server's database and attachment folder
        (not started). Its cleanup stops it and leaves the database to this one."""
        other = Server.__new__(Server)
        other.bin, other.dir, other.db = self.bin, self.dir, self.db
        other.env, other.extra_args = dict(self.env), list(self.extra_args)
        other.pg_database = self.pg_database
        other.port, other.proc = 0, None
        other.unclean_exits = []
        other.tls = self.tls
        tag = uuid.uuid4().hex[:8]
        other.stdout_path = os.path.join(self.dir, f"serve-{tag}.stdout")
        other.stderr_path = os.path.join(self.dir, f"serve-{tag}.stderr")
        other.owns_database = False
        return other

    @property
    def base(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def connection(self, timeout: float) -> http.client.HTTPConnection:
        """A new connection to the server, over TLS when `tls` is set."""
        if self.tls:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                               context=self.tls)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def load_demo(self) -> None:
        r = run_cli("demo", "--database", self.db)
        if r.returncode != 0:
            raise RuntimeError(f"`redress demo --database {self.db}` failed "
                               f"(exit {r.returncode}):\n{r.stdout}\n{r.stderr}")

    def start(self) -> None:
        last_error = None
        for _attempt in range(3):  # the free port may be taken between pick and bind
            self.port = free_port()
            out = open(self.stdout_path, "ab")
            err = open(self.stderr_path, "ab")
            _probe_cli_form()
            self.proc = subprocess.Popen(
                [self.bin, *cli_args("serve", "--database", self.db,
                                     "--listen", f"127.0.0.1:{self.port}",
                                     *self._attachment_args(), *self.extra_args)],
                stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                env={**os.environ, **self.DEFAULT_ENV, **self.env})
            out.close()
            err.close()
            try:
                self._wait_healthy()
                return
            except RuntimeError as e:
                last_error = e
                self.stop()
        raise last_error  # type: ignore[misc]

    def _attachment_args(self) -> list:
        # Beside a SQLite file is the default; a URL has no directory of its own.
        return ["--attachments", os.path.join(self.dir, "attachments")] if PG_URL else []

    def sql(self, statement: str, check: bool = True) -> subprocess.CompletedProcess:
        """Runs SQL on this server's PostgreSQL database (PostgreSQL runs only)."""
        if not self.pg_database:
            raise RuntimeError("Server.sql is for PostgreSQL runs; use sqlite3 on Server.db")
        return psql(statement, self.db, check=check)

    def run_sql(self, statement: str) -> None:
        """Runs a statement that returns nothing on this server's database, either
        store: for what the API cannot say (a test's set-up only)."""
        if self.pg_database:
            self.sql(statement)
            return
        con = sqlite3.connect(self.db, timeout=30)
        try:
            con.execute(statement)
            con.commit()
        finally:
            con.close()

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + HEALTH_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"redress serve exited with {self.proc.returncode} before "
                                   f"answering /healthz\n{self.logs()}")
            try:
                conn = self.connection(timeout=2)
                conn.request("GET", "/healthz")
                resp = conn.getresponse()
                resp.read()
                conn.close()
                if resp.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"redress serve did not answer GET /healthz within "
                           f"{HEALTH_TIMEOUT:.0f} s\n{self.logs()}")

    def logs(self, tail: int = 4000) -> str:
        parts = []
        for name, path in (("stdout", self.stdout_path), ("stderr", self.stderr_path)):
            try:
                with open(path, "rb") as f:
                    data = f.read().decode("utf-8", "replace")
                parts.append(f"--- server {name} (tail) ---\n{data[-tail:]}")
            except OSError:
                pass
        return "\n".join(parts)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> int | None:
        """SIGTERM, then SIGKILL after 5 s. Returns the exit code.

        A server that does not exit 0 on SIGTERM (a crash at shutdown, a hung drain, a
        sanitizer's leak report) is recorded in `unclean_exits`; cleanup() fails on it.
        A process that had already ended (a test killed it on purpose) is not judged."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
                self.unclean_exits.append("did not exit within 5 s of SIGTERM")
            else:
                if self.proc.returncode != 0:
                    self.unclean_exits.append(f"exited with {self.proc.returncode} on SIGTERM")
        code = self.proc.returncode
        self.proc = None
        return code

    def cleanup(self) -> None:
        """Stops the server and removes its files; raises when the server did not shut
        down cleanly, so shutdown crashes and leak reports fail the test that caused them."""
        self.stop()
        if self.unclean_exits:
            problems, self.unclean_exits = self.unclean_exits, []
            logs = self.logs()
            self._remove_files()
            raise AssertionError("redress serve did not shut down cleanly: " +
                                 "; ".join(problems) + "\n" + logs)
        self._remove_files()

    def _remove_files(self) -> None:
        if not self.owns_database:
            return
        if os.environ.get("REDRESS_KEEP_TMP"):
            sys.stderr.write(f"\n[harness] kept {self.dir} (database {self.db})\n")
            return
        shutil.rmtree(self.dir, ignore_errors=True)
        if self.pg_database:
            psql(f"DROP DATABASE IF EXISTS {self.pg_database} WITH (FORCE)", check=False)


# --------------------------------------------------------------------------- HTTP

class Resp(tuple):
    """(status, headers, body) where body is parsed JSON when the response is JSON,
    else text. Also .raw (bytes), .status, .headers, .body, .content_type."""

    def __new__(cls, status, headers, body, raw):
        self = super().__new__(cls, (status, headers, body))
        self.raw = raw
        return self

    status = property(lambda self: self[0])
    headers = property(lambda self: self[1])
    body = property(lambda self: self[2])

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", "replace")

    def __repr__(self) -> str:
        return f"<Resp {self.status} {self.content_type} {self.text[:600]!r}>"


def _decode(headers, raw: bytes):
    ctype = (headers.get("Content-Type") or "").lower()
    text = raw.decode("utf-8", "replace")
    if "json" in ctype or text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text


class Client:
    """One user's HTTP session: a cookie jar, the CSRF token, optional bearer token."""

    def __init__(self, server: Server, name: str = "anonymous") -> None:
        self.server = server
        self.name = name
        self.cookies: dict[str, str] = {}
        self.csrf: str | None = None
        self.bearer: str | None = None
        self.user: dict | None = None
        self._lock = threading.Lock()

    # -- low level
    def request(self, method: str, path: str, body=None, *, headers: dict | None = None,
                raw: bytes | None = None, content_type: str | None = None,
                csrf: bool = True, cookies: bool = True) -> Resp:
        hdrs = {"Accept": "application/json"}
        data = None
        if raw is not None:
            data = raw
            hdrs["Content-Type"] = content_type or "application/json"
        elif body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        elif method in ("POST", "PUT", "PATCH"):
            data = b""
        if cookies and self.cookies:
            with self._lock:
                hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            hdrs["Authorization"] = f"Bearer {self.bearer}"
        if csrf and self.csrf and method not in ("GET", "HEAD", "OPTIONS"):
            hdrs["X-CSRF-Token"] = self.csrf
        if headers:
            for k, v in headers.items():
                if v is None:
                    hdrs.pop(k, None)
                else:
                    hdrs[k] = v
        conn = self.server.connection(timeout=HTTP_TIMEOUT)
        try:
            conn.request(method, path, body=data, headers=hdrs)
            resp = conn.getresponse()
            payload = resp.read()
        finally:
            conn.close()
        self._store_cookies(resp.headers)
        return Resp(resp.status, resp.headers, _decode(resp.headers, payload), payload)

    def _store_cookies(self, headers) -> None:
        for value in headers.get_all("Set-Cookie") or []:
            first = value.split(";", 1)[0]
            if "=" not in first:
                continue
            k, v = first.split("=", 1)
            k, v = k.strip(), v.strip()
            attrs = value.lower()
            expired = ("max-age=0" in attrs.replace(" ", "")) or v == ""
            with self._lock:
                if expired:
                    self.cookies.pop(k, None)
                else:
                    self.cookies[k] = v

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def patch(self, path, body=None, **kw):
        return self.request("PATCH", path, body, **kw)

    def put(self, path, body=None, **kw):
        return self.request("PUT", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- auth
    def login(self, username: str, password: str = DEMO_PASSWORD) -> Resp:
        r = self.post("/api/v1/auth/login", {"username": username, "password": password})
        if r.status == 200 and isinstance(r.body, dict):
            self.csrf = r.body.get("csrf_token")
            self.user = r.body.get("user")
            self.name = username
        return r

    @property
    def user_id(self) -> int:
        return self.user["id"]

    # -- multipart upload
    def upload(self, path: str, files: list[tuple[str, str, bytes]], *, csrf: bool = True,
               field: str = "file", headers: dict | None = None) -> Resp:
        """POST multipart/form-data with `files` = [(filename, content_type, data)] and any
        extra `headers` (the portal's X-Access-Token).
        Uses Expect: 100-continue so a 413/415 decided on the head is read reliably."""
        boundary = "----redress" + uuid.uuid4().hex
        parts = []
        for filename, ctype, data in files:
            parts.append(
                (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                 f"filename=\"{filename}\"\r\nContent-Type: {ctype}\r\n\r\n").encode() + data +
                b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        hdrs = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.bearer:
            hdrs["Authorization"] = f"Bearer {self.bearer}"
        if csrf and self.csrf:
            hdrs["X-CSRF-Token"] = self.csrf
        for k, v in (headers or {}).items():
            if v is not None:
                hdrs[k] = v
        return raw_request(self.server.port, "POST", path, hdrs, body)


def _read_http_response(f):
    """Parses one HTTP/1.1 response from a binary file object; skips 1xx responses.
    Returns (status, HTTPMessage, body) or None when the peer closed first."""
    while True:
        line = f.readline()
        if not line:
            return None
        parts = line.decode("latin-1").split(" ", 2)
        status = int(parts[1])
        headers = http.client.parse_headers(f)
        if 100 <= status < 200:
            if status == 100:
                return (100, headers, b"")
            continue
        te = (headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            while True:
                size = int(f.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while f.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(f.read(size))
                f.readline()
            data = b"".join(chunks)
        elif headers.get("Content-Length") is not None:
            data = f.read(int(headers["Content-Length"]))
        else:
            data = f.read()
        return (status, headers, data)


def raw_request(port: int, method: str, path: str, headers: dict, body: bytes) -> Resp:
    """A request over a raw socket with `Expect: 100-continue`: the body is sent only
    after 100 Continue (or after 3 s of silence); a final answer to the head alone
    (e.g. 413) is returned without sending the body."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=HTTP_TIMEOUT)
    try:
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}",
                f"Content-Length: {len(body)}", "Expect: 100-continue", "Connection: close",
                "Accept: application/json"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
        f = sock.makefile("rb")
        sock.settimeout(3.0)
        first = None
        try:
            first = _read_http_response(f)
        except (socket.timeout, TimeoutError):
            first = (100, None, b"")  # server does not do 100-continue: send anyway
        sock.settimeout(HTTP_TIMEOUT)
        if first is not None and first[0] != 100:
            status, hdrs, data = first
            return Resp(status, hdrs, _decode(hdrs, data), data)
        try:
            view = memoryview(body)
            for i in range(0, len(body), 256 * 1024):
                sock.sendall(view[i:i + 256 * 1024])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early; read what it said
        try:
            final = _read_http_response(f)
        except ConnectionResetError as e:
            raise AssertionError(f"connection reset before a response to {method} {path}") from e
        if final is None:
            raise AssertionError(f"server closed the connection without answering {method} {path}")
        status, hdrs, data = final
        return Resp(status, hdrs, _decode(hdrs, data), data)
    finally:
        sock.close()


class PublicClient(Client):
    """The customer on the portal: no account, the access token in X-Access-Token."""

    def view(self, code: str, token: str | None) -> Resp:
        return self.get(f"/api/v1/public/complaints/{urllib.parse.quote(code)}",
                        headers={"X-Access-Token": token})

    def act(self, code: str, token: str | None, action: str, **payload) -> Resp:
        return self.post(f"/api/v1/public/complaints/{urllib.parse.quote(code)}/actions",
                         {"action": action, **payload}, headers={"X-Access-Token": token})

    def attach(self, code: str, token: str | None, files: list[tuple[str, str, bytes]]) -> Resp:
        """The customer adds files (multipart, parts named 'file') on the portal."""
        return self.upload(f"/api/v1/public/complaints/{urllib.parse.quote(code)}/attachments",
                           files, headers={"X-Access-Token": token})

    def download(self, code: str, token: str | None, aid) -> Resp:
        return self.get(f"/api/v1/public/complaints/{urllib.parse.quote(code)}/attachments/{aid}",
                        headers={"X-Access-Token": token})


# --------------------------------------------------------------------------- test base

def event_data(ev: dict):
    data = ev.get("data")
    if isinstance(data, str):
        try:
            return json.loads(data)
        except ValueError:
            return data
    return data


def find_keys(obj, names: set[str], path: str = "$") -> list[str]:
    """Paths of every key in `names` anywhere in a JSON value."""
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in names:
                found.append(f"{path}.{k}")
            found += find_keys(v, names, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            found += find_keys(v, names, f"{path}[{i}]")
    return found


# The field-error rules of docs/api-contract.md ("Field errors").
FIELD_RULES = {"required", "too_long", "type", "date_time", "invalid_value", "range", "email",
               "one_of", "min_length", "retired", "duration", "working_period", "periods_overlap",
               "min_items", "max_files", "max_attachments", "file_too_large", "upload_too_large",
               "file_type", "empty_file"}


def public_body(n: int = 0, **over) -> dict:
    tag = uuid.uuid4().hex[:8]
    body = {
        "customer": {"name": f"Customer {tag}", "email": f"c{tag}@example.com",
                     "phone": "+34 600 000 000", "language": "en"},
        "subject": f"Late parcel {tag}",
        "description": f"My order ORD-{tag} arrived nine days late and the box was crushed.",
        "demands": "Refund of the shipping fee.",
        "object": {"type": "order", "ref": f"ORD-{tag}"},
    }
    body.update(over)
    return body


class ApiTestCase(unittest.TestCase):
    """Base class: one demo server per TestCase class and helpers to drive it."""

    maxDiff = 4000
    server: Server
    _clients: dict

    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.server = Server()
        try:
            cls.server.load_demo()
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            raise
        cls._clients = {}
        cls._ids = {}
        cls.public = PublicClient(cls.server, "customer")

    @classmethod
    def tearDownClass(cls) -> None:
        server = getattr(cls, "server", None)
        if server is not None:
            server.cleanup()
        super().tearDownClass()

    def run(self, result=None):  # show the server log tail on failure
        before = len(result.failures) + len(result.errors) if result is not None else 0
        out = super().run(result)
        if result is not None and len(result.failures) + len(result.errors) > before:
            if os.environ.get("REDRESS_SHOW_LOGS"):
                sys.stderr.write("\n" + self.server.logs() + "\n")
        return out

    # -- sessions
    @classmethod
    def client(cls, username: str, password: str = DEMO_PASSWORD) -> Client:
        c = cls._clients.get(username)
        if c is None:
            c = Client(cls.server, username)
            r = c.login(username, password)
            if r.status != 200 or not c.csrf:
                raise AssertionError(f"login as {username} failed: {r!r}")
            cls._clients[username] = c
        return c

    @classmethod
    def new_session(cls, username: str, password: str = DEMO_PASSWORD) -> Client:
        c = Client(cls.server, username)
        r = c.login(username, password)
        if r.status != 200:
            raise AssertionError(f"login as {username} failed: {r!r}")
        return c

    @property
    def agent(self) -> Client:
        return self.client("agent")

    @property
    def admin(self) -> Client:
        return self.client("admin")

    # -- lookups
    @classmethod
    def department_id(cls, code: str) -> int:
        key = ("dept", code)
        if key not in cls._ids:
            r = cls.client("admin").get("/api/v1/departments")
            if r.status != 200:
                raise AssertionError(f"GET /api/v1/departments: {r!r}")
            for d in items_of(r.body):
                cls._ids[("dept", d["code"])] = d["id"]
            if key not in cls._ids:
                raise AssertionError(f"department {code!r} not in {r.body!r}")
        return cls._ids[key]

    @classmethod
    def user_id(cls, username: str) -> int:
        return cls.client(username).user_id

    def list_all(self, client: Client, path: str, limit: int = 200) -> list:
        out, cursor = [], None
        for _ in range(10000):
            sep = "&" if "?" in path else "?"
            url = f"{path}{sep}limit={limit}"
            if cursor:
                url += "&cursor=" + urllib.parse.quote(str(cursor))
            r = client.get(url)
            self.assertEqual(r.status, 200, f"GET {url}: {r!r}")
            out += r.body["items"]
            cursor = r.body.get("next_cursor")
            if not cursor:
                return out
        raise AssertionError("pagination did not end")

    def all_complaints(self) -> list:
        return self.list_all(self.agent, "/api/v1/complaints")

    def complaint_id_for(self, code: str) -> int:
        """The staff id of the complaint with this tracking code (newest first)."""
        cursor = None
        for _ in range(1000):
            url = "/api/v1/complaints?limit=200"
            if cursor:
                url += "&cursor=" + urllib.parse.quote(str(cursor))
            r = self.agent.get(url)
            self.assertEqual(r.status, 200, f"GET {url}: {r!r}")
            for c in r.body["items"]:
                if c.get("tracking_code") == code:
                    return c["id"]
            cursor = r.body.get("next_cursor")
            if not cursor:
                break
        self.fail(f"complaint {code} is not in the agent's GET /api/v1/complaints")

    # -- complaints
    def submit(self, **over) -> dict:
        """Portal submission. Returns {code, token, id, body}."""
        body = public_body(**over)
        r = self.public.post("/api/v1/public/complaints", body)
        self.assertEqual(r.status, 201, f"portal submission: {r!r}")
        self.assertIsInstance(r.body.get("tracking_code"), str)
        self.assertTrue(r.body.get("access_token"), r.body)
        self.assertEqual(r.body.get("state"), "new", r.body)
        code, token = r.body["tracking_code"], r.body["access_token"]
        return {"code": code, "token": token, "id": self.complaint_id_for(code), "body": body}

    def get_complaint(self, cid: int, client: Client | None = None) -> dict:
        r = (client or self.agent).get(f"/api/v1/complaints/{cid}")
        self.assertEqual(r.status, 200, f"GET complaint {cid}: {r!r}")
        return r.body

    def timeline(self, cid: int, client: Client | None = None, own_only: bool = True) -> list:
        r = (client or self.agent).get(f"/api/v1/complaints/{cid}/timeline")
        self.assertEqual(r.status, 200, f"GET timeline {cid}: {r!r}")
        items = r.body["items"]
        if own_only:
            items = [e for e in items if e.get("complaint_id", cid) == cid]
        return items

    def allowed(self, cid: int, client: Client) -> set:
        return set(self.get_complaint(cid, client)["allowed_actions"])

    def transition(self, client: Client, cid: int, action: str, headers=None, **payload) -> Resp:
        return client.post(f"/api/v1/complaints/{cid}/transitions",
                           {"action": action, **payload}, headers=headers)

    def act(self, client: Client, cid: int, action: str, expect_state: str | None = None,
            **payload) -> dict:
        """A transition that must succeed (200) and lead to `expect_state`."""
        r = self.transition(client, cid, action, **payload)
        self.assertEqual(r.status, 200, f"{client.name} {action} on {cid}: {r!r}")
        body = r.body
        complaint = body.get("complaint", body) if isinstance(body, dict) else body
        if expect_state is not None:
            self.assertEqual(complaint.get("state"), expect_state,
                             f"{action} should lead to {expect_state}: {r!r}")
        return body

    # the standard path, one step per state; urgency decides on director approval
    def step(self, cid: int, state: str, info: dict | None = None) -> None:
        if state == "new":
            self.act(self.agent, cid, "take", "assessing")
        elif state == "assessing":
            self.act(self.agent, cid, "accept", "assigned", category="delivery_delay",
                     urgency="general", difficulty="simple")
        elif state == "assigned":
            self.act(self.client("handler.st"), cid, "start_investigation", "investigating")
        elif state == "investigating":
            self.act(self.client("handler.st"), cid, "propose_plan", "plan_review",
                     remedies=[{"type": "refund", "description": "Refund the shipping fee",
                                "amount": 12.5, "currency": "EUR"}],
                     feasibility="Refund can be issued by finance today.")
        elif state == "plan_review":
            self.act(self.client("supervisor.st"), cid, "approve_plan", "awaiting_customer",
                     instructions="Approved; refund within 3 days.")
        elif state == "awaiting_customer":
            self.act(self.agent, cid, "record_customer_answer", "implementing", accepted=True)
        elif state == "implementing":
            self.act(self.client("handler.st"), cid, "submit_for_verification", "verifying")
        elif state == "verifying":
            self.act(self.client("qa"), cid, "verify_pass", "responding", note="Refund seen.")
        elif state == "responding":
            self.act(self.agent, cid, "reply", "resolved", channel="email",
                     text="We refunded the shipping fee. Sorry for the delay.")
        elif state == "resolved":
            self.act(self.agent, cid, "close", "closed")
        else:
            raise AssertionError(f"no standard step from {state}")

    def advance(self, cid: int, target: str) -> dict:
        for _ in range(20):
            c = self.get_complaint(cid)
            if c["state"] == target:
                return c
            self.step(cid, c["state"])
        self.fail(f"could not drive {cid} to {target}")

    # -- assertions
    def snapshot(self, cid: int) -> tuple:
        c = self.get_complaint(cid)
        return (c["version"], c["state"], len(self.timeline(cid, own_only=False)))

    def assertUnchanged(self, cid: int, snap: tuple, what: str = "") -> None:
        now = self.snapshot(cid)
        self.assertEqual(now, snap, f"refused request changed the complaint {cid} "
                                    f"(version, state, timeline length) {what}")

    def assertProblem(self, r: Resp, status: int, fields=(), msg: str = "") -> dict:
        self.assertEqual(r.status, status, f"{msg} expected {status}: {r!r}")
        self.assertEqual(r.content_type, PROBLEM_JSON, f"{msg} content type: {r!r}")
        self.assertIsInstance(r.body, dict, f"{msg} body is not JSON: {r!r}")
        self.assertEqual(r.body.get("status"), status, f"{msg} problem status: {r!r}")
        self.assertTrue(r.body.get("title"), f"{msg} problem without title: {r!r}")
        for e in r.body.get("errors") or []:
            # A field error's rule, when it has one, is a documented word with string
            # params (docs/api-contract.md, "Field errors"): clients word it themselves.
            if "rule" in e:
                self.assertIn(e["rule"], FIELD_RULES, f"{msg} undocumented rule: {e!r}")
                self.assertIsInstance(e.get("params"), dict, f"{msg} rule without params: {e!r}")
                self.assertTrue(all(isinstance(v, str) for v in e["params"].values()), e)
            self.assertIsInstance(e.get("message"), str, f"{msg} error without message: {e!r}")
        if fields:
            named = {e.get("field") for e in r.body.get("errors") or []}
            for f in fields:
                self.assertIn(f, named, f"{msg} errors should name {f!r}: {r!r}")
        return r.body

    def assertTimelineConsistent(self, cid: int, complaint: dict | None = None) -> list:
        """The first event is the intake; every state change starts where the
        previous one ended; the last one ends in the complaint's state."""
        complaint = complaint or self.get_complaint(cid)
        events = self.timeline(cid)
        self.assertTrue(events, f"complaint {cid} has an empty timeline")
        self.assertIn(events[0]["action"], INTAKE_ACTIONS,
                      f"complaint {cid}: first event should be the intake: {events[0]!r}")
        ids = [e["id"] for e in events]
        self.assertEqual(ids, sorted(ids), f"timeline of {cid} is not in order")
        ats = [e["at"] for e in events]
        self.assertEqual(ats, sorted(ats), f"timeline of {cid} times go backwards")
        current = None
        for e in events:
            if e.get("to_state") is None:
                continue
            if current is not None and e.get("from_state") is not None:
                self.assertEqual(e["from_state"], current,
                                 f"complaint {cid}: event {e['id']} {e['action']} starts from "
                                 f"{e['from_state']} but the previous state was {current}")
            current = e["to_state"]
        if current is not None:
            self.assertEqual(current, complaint["state"],
                             f"complaint {cid}: timeline ends in {current}, complaint is "
                             f"{complaint['state']}")
        return events


def mentions_rule(data, rule: dict) -> bool:
    """Whether an event's data names the routing rule, by id or by name."""
    if isinstance(data, dict):
        for k, v in data.items():
            if "rule" in k.lower():
                if v == rule["id"] or v == rule.get("name") or str(v) == str(rule["id"]):
                    return True
                if isinstance(v, dict) and (v.get("id") == rule["id"] or
                                            v.get("name") == rule.get("name")):
                    return True
            if mentions_rule(v, rule):
                return True
    elif isinstance(data, list):
        return any(mentions_rule(v, rule) for v in data)
    elif isinstance(data, str):
        return bool(rule.get("name")) and rule["name"] in data
    return False


def items_of(body) -> list:
    if isinstance(body, dict) and "items" in body:
        return body["items"]
    if isinstance(body, list):
        return body
    raise AssertionError(f"not a list answer: {body!r}")


def transitions_of(events: list) -> list:
    """(action, from_state, to_state) of the events that change the state."""
    return [(e["action"], e.get("from_state"), e.get("to_state")) for e in events
            if e.get("to_state") is not None and e.get("from_state") is not None
            and e.get("from_state") != e.get("to_state")]


def main() -> None:
    unittest.main(verbosity=2)
