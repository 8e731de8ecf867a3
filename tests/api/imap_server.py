"""A real IMAP server for the e-mail-in scenario tests: Debian's Dovecot
(dovecot-imapd) on a free loopback port, configured from scratch in a temp
directory (its own base_dir, logs and maildir; a passwd-file with one user;
plaintext login without TLS, loopback only). No system configuration is read
or changed.

When run as root, Dovecot's processes drop to the package's `dovecot` and
`dovenull` users and the mail is owned by `nobody` (Dovecot refuses mail
access as uid 0); as an ordinary user everything runs as that user.

    with Dovecot() as imap:
        imap.append(raw_bytes)      # APPEND into INBOX, like a delivery
        imap.url                    # imap://user:pw@127.0.0.1:PORT/INBOX
        imap.flags()                # {uid: {"\\Seen", ...}}
"""

from __future__ import annotations

import imaplib
import os
import pwd
import grp
import shutil
import socket
import subprocess
import tempfile
import time

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "complaints"
PASSWORD = "imap-test-pw"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> bool:
    return os.path.exists(DOVECOT) and os.access(DOVECOT, os.X_OK)


class Dovecot:
    def __init__(self) -> None:
        if not available():
            raise RuntimeError("dovecot not found: run scripts/install-deps.sh (dovecot-imapd)")
        self.dir = tempfile.mkdtemp(prefix="redress-imap-")
        os.chmod(self.dir, 0o755)
        self.port = _free_port()
        root = os.getuid() == 0
        me = pwd.getpwuid(os.getuid()).pw_name
        my_group = grp.getgrgid(os.getgid()).gr_name
        internal_user, login_user = ("dovecot", "dovenull") if root else (me, me)
        mail_uid, mail_gid = (pwd.getpwnam("nobody").pw_uid, grp.getgrnam("nogroup").gr_gid) \
            if root else (os.getuid(), os.getgid())
        mail = os.path.join(self.dir, "mail")
        os.makedirs(mail)
        if root:
            os.chown(mail, mail_uid, mail_gid)
        passwd = os.path.join(self.dir, "passwd")
        with open(passwd, "w") as f:
            f.write(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        os.chmod(passwd, 0o644)
        self.conf = os.path.join(self.dir, "dovecot.conf")
        with open(self.conf, "w") as f:
            f.write(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {self.dir}/run
state_dir = {self.dir}/state
log_path = {self.dir}/dovecot.log
info_log_path = {self.dir}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal_user}
default_internal_group = {"dovecot" if root else my_group}
default_login_user = {login_user}
first_valid_uid = 1
mail_location = maildir:{mail}/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {passwd}
}}
userdb {{
  driver = static
  args = uid={mail_uid} gid={mail_gid} home={mail}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service pop3-login {{
  inet_listener pop3 {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
        self.proc = subprocess.Popen([DOVECOT, "-F", "-c", self.conf],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            try:
                self.client().logout()
                break
            except (OSError, imaplib.IMAP4.error):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    out = self.proc.stdout.read().decode() if self.proc.poll() is not None else ""
                    self.close()
                    raise RuntimeError(f"dovecot did not start: {out}\n{self.log()}")
                time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"imap://{USER}:{PASSWORD}@127.0.0.1:{self.port}/INBOX"

    def log(self) -> str:
        try:
            with open(os.path.join(self.dir, "dovecot.log"), encoding="utf-8",
                      errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def client(self) -> imaplib.IMAP4:
        c = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        c.login(USER, PASSWORD)
        return c

    def append(self, raw: bytes, mailbox: str = "INBOX") -> None:
        """Delivers `raw` (CRLF or LF lines) into `mailbox`, unseen."""
        c = self.client()
        try:
            typ, data = c.append(mailbox, "", None, raw)
            if typ != "OK":
                raise RuntimeError(f"APPEND failed: {data}")
        finally:
            c.logout()

    def flags(self, mailbox: str = "INBOX") -> dict:
        """{uid: set of flags} of every message in `mailbox`."""
        c = self.client()
        try:
            c.select(mailbox, readonly=True)
            typ, data = c.uid("FETCH", "1:*", "(FLAGS)")
            out = {}
            for item in data or []:
                if not item:
                    continue
                text = item.decode() if isinstance(item, bytes) else item[0].decode()
                uid = int(text.split("UID ", 1)[1].split()[0].rstrip(")"))
                flags = text.split("FLAGS (", 1)[1].split(")", 1)[0].split()
                out[uid] = set(flags)
            return out
        finally:
            c.logout()

    def close(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "Dovecot":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
