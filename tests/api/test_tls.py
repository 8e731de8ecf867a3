"""HTTPS served by `redress serve` itself (issue 8, part 5: "TLS when a certificate is
configured"; docs/security.md): a throw-away certificate made with the openssl tool,
the whole API over TLS, Secure cookies and HSTS implied, plain HTTP and old protocol
versions refused without disturbing the server, and clear start-up errors for a
missing or mismatched certificate.
"""

from __future__ import annotations

import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ApiTestCase, Client, PublicClient, Server, main  # noqa: E402


def make_certificate(directory: str, name: str) -> tuple[str, str]:
    """A self-signed P-256 certificate for 127.0.0.1; returns (certificate, key) paths."""
    cert = os.path.join(directory, f"{name}.crt")
    key = os.path.join(directory, f"{name}.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec",
                    "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


class Tls(ApiTestCase):

    @classmethod
    def setUpClass(cls) -> None:
        cls.certs = tempfile.mkdtemp(prefix="redress-tls-")
        cls.cert, cls.key = make_certificate(cls.certs, "server")
        cls.server = Server(args=["--tls-certificate", cls.cert, "--tls-key", cls.key])
        cls.server.tls = ssl.create_default_context(cafile=cls.cert)
        try:
            cls.server.load_demo()
            cls.server.start()
        except BaseException:
            cls.server.cleanup()
            shutil.rmtree(cls.certs, ignore_errors=True)
            raise
        cls._clients, cls._ids = {}, {}
        cls.public = PublicClient(cls.server, "customer")

    @classmethod
    def tearDownClass(cls) -> None:
        try:
            super().tearDownClass()
        finally:
            shutil.rmtree(cls.certs, ignore_errors=True)

    def test_the_api_works_over_tls(self):
        sub = self.submit()
        self.assertEqual(self.get_complaint(sub["id"])["state"], "new")
        self.assertEqual(self.public.view(sub["code"], sub["token"]).status, 200)

    def test_secure_cookies_and_hsts_are_implied(self):
        c = Client(self.server)
        conn = self.server.connection(timeout=10)
        conn.request("POST", "/api/v1/auth/login",
                     body=b'{"username": "agent", "password": "redress-demo"}',
                     headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        conn.close()
        self.assertEqual(resp.status, 200)
        cookies = resp.headers.get_all("Set-Cookie") or []
        self.assertTrue(cookies, "log-in set no cookie")
        for cookie in cookies:
            self.assertIn("secure", [a.strip().lower() for a in cookie.split(";")], cookie)
        self.assertIn("max-age=", (resp.headers.get("Strict-Transport-Security") or "").lower())
        self.assertEqual(c.login("agent").status, 200)  # and the harness client logs in too

    def test_keep_alive_and_connection_close(self):
        conn = self.server.connection(timeout=10)
        for _ in range(3):  # several requests on one TLS connection
            conn.request("GET", "/healthz")
            resp = conn.getresponse()
            self.assertEqual(resp.status, 200)
            resp.read()
        conn.request("GET", "/healthz", headers={"Connection": "close"})
        resp = conn.getresponse()
        self.assertEqual(resp.status, 200)
        self.assertEqual(resp.read().strip() != b"", True)
        conn.close()

    def test_plain_http_gets_no_answer_and_does_not_hurt(self):
        plain = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=10)
        with self.assertRaises((http.client.HTTPException, ConnectionError, OSError)):
            plain.request("GET", "/healthz")
            plain.getresponse().read()
        plain.close()
        self.assertEqual(Client(self.server).get("/healthz").status, 200)

    def test_tls_1_2_and_1_3_are_offered(self):
        for version in (ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3):
            context = ssl.create_default_context(cafile=self.cert)
            context.minimum_version = version
            context.maximum_version = version
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
                with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
                    self.assertEqual(tls.version(), {ssl.TLSVersion.TLSv1_2: "TLSv1.2",
                                                     ssl.TLSVersion.TLSv1_3: "TLSv1.3"}[version])

    def test_an_unknown_certificate_is_refused_by_the_client(self):
        # the server presents the configured certificate: a client trusting another
        # authority refuses it (so the tests above prove the configured one is served)
        other_cert, _ = make_certificate(self.certs, "other")
        context = ssl.create_default_context(cafile=other_cert)
        with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as raw:
            with self.assertRaises(ssl.SSLCertVerificationError):
                context.wrap_socket(raw, server_hostname="127.0.0.1")


class TlsStartupErrors(ApiTestCase):
    """No shared server: each test starts one that must refuse to start."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.certs = tempfile.mkdtemp(prefix="redress-tls-")
        cls.cert, cls.key = make_certificate(cls.certs, "server")
        cls.other_cert, cls.other_key = make_certificate(cls.certs, "other")

    @classmethod
    def tearDownClass(cls) -> None:
        shutil.rmtree(cls.certs, ignore_errors=True)

    def refused_start(self, args: list) -> str:
        server = Server(args=args)
        try:
            server.load_demo()
            with self.assertRaises(RuntimeError) as caught:
                server.start()
            return str(caught.exception)
        finally:
            server.cleanup()

    def test_a_missing_certificate_is_named(self):
        missing = os.path.join(self.certs, "missing.crt")
        message = self.refused_start(["--tls-certificate", missing, "--tls-key", self.key])
        self.assertIn("cannot load the TLS certificate chain " + missing, message)

    def test_a_key_of_another_certificate_is_named(self):
        message = self.refused_start(["--tls-certificate", self.cert,
                                      "--tls-key", self.other_key])
        self.assertIn("does not belong to the certificate", message)

    def test_a_certificate_needs_its_key(self):
        message = self.refused_start(["--tls-certificate", self.cert])
        self.assertIn("--tls-key", message)


if __name__ == "__main__":
    main()
