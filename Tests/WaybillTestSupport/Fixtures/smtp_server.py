#!/usr/bin/python3
"""A real SMTP server for the shift report's tests (aiosmtpd, Debian's python3-aiosmtpd).

Usage: smtp_server.py PORT MAILDIR [--tls CERT KEY] [--auth USER:PASSWORD] [--refuse N CODE] [--hold]

- Every message accepted is written to MAILDIR/NNNN.eml (written aside, then renamed).
- --tls: STARTTLS offered and required before MAIL (and before AUTH).
- --auth: AUTH PLAIN/LOGIN required, with these credentials only.
- --refuse N CODE: the first N messages are answered CODE (421 or 451: try later; 550: refused).
- --hold: while MAILDIR/hold exists, a message's DATA is not answered (MAILDIR/holding is written
  when one waits); when hold goes, that message is answered 451 and not kept.
Writes MAILDIR/ready when it listens; runs until killed.
"""
import asyncio
import os
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def main():
    port, maildir = int(sys.argv[1]), sys.argv[2]
    args = sys.argv[3:]
    tls = auth = refuse = None
    hold = False
    while args:
        flag = args.pop(0)
        if flag == "--tls":
            tls = (args.pop(0), args.pop(0))
        elif flag == "--auth":
            auth = args.pop(0).split(":", 1)
        elif flag == "--refuse":
            refuse = [int(args.pop(0)), args.pop(0)]
        elif flag == "--hold":
            hold = True

    class Handler:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            if refuse and refuse[0] > 0:
                refuse[0] -= 1
                return refuse[1] + " try again later" if refuse[1].startswith("4") else refuse[1] + " refused"
            if hold and os.path.exists(os.path.join(maildir, "hold")):
                open(os.path.join(maildir, "holding"), "w").close()
                while os.path.exists(os.path.join(maildir, "hold")):
                    await asyncio.sleep(0.05)
                return "451 held, not kept"
            Handler.count += 1
            path = os.path.join(maildir, "%04d.eml" % Handler.count)
            with open(path + ".part", "wb") as f:
                f.write(b"X-Envelope-From: " + envelope.mail_from.encode() + b"\r\n")
                f.write(b"X-Envelope-To: " + ",".join(envelope.rcpt_tos).encode() + b"\r\n")
                f.write(b"X-TLS: " + (b"yes" if session.ssl else b"no") + b"\r\n")
                f.write(envelope.original_content)
            os.rename(path + ".part", path)
            return "250 kept"

    def authenticator(server, session, envelope, mechanism, data):
        if isinstance(data, LoginPassword) and auth and data.login.decode() == auth[0] and data.password.decode() == auth[1]:
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    kwargs = {}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(tls[0], tls[1])
        kwargs.update(tls_context=context, require_starttls=True)
    if auth:
        kwargs.update(authenticator=authenticator, auth_required=True, auth_require_tls=bool(tls))
    else:
        kwargs.update(auth_require_tls=False)
    controller = Controller(Handler(), hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    open(os.path.join(maildir, "ready"), "w").close()
    try:
        while True:
            asyncio.run(asyncio.sleep(3600))
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
