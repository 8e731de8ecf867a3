"""A real SMTP server for the mail scenario tests: Debian's python3-aiosmtpd on
loopback, storing every message it accepts as DIR/<n>.eml (the envelope
recipients in an `X-Sink-Rcpt` header first). Run with Debian's interpreter:

    /usr/bin/python3 smtp_sink.py PORT DIR

It prints "ready" once it listens and runs until killed.
"""

import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self.lock = threading.Lock()
        self.n = 0

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.n += 1
            name = f"{time.time_ns()}-{self.n}"
        head = "".join(f"X-Sink-Rcpt: {r}\r\n" for r in envelope.rcpt_tos)
        data = envelope.original_content or envelope.content
        if isinstance(data, str):
            data = data.encode("utf-8")
        tmp = os.path.join(self.directory, name + ".tmp")
        with open(tmp, "wb") as f:
            f.write(head.encode() + data)
        os.rename(tmp, os.path.join(self.directory, name + ".eml"))
        return "250 OK"


def main() -> None:
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
