"""Verifies the DKIM signatures of delivered messages with dkimpy, independently of Sealpost.

Usage: /usr/bin/python3 dkimpy_verify.py ZONE_LINE_FILE MESSAGE...
ZONE_LINE_FILE holds the line `sealpost dkim keygen` printed
(`sel._domainkey.example. IN TXT ( "v=DKIM1; ..." )`); the key is served from it, no DNS is asked.
Prints one line per message: `pass PATH` or `fail PATH REASON`. Maildir files have LF line ends;
they are given CRLF back first, as the message had on the wire.
"""
import re
import sys

import dkim

line = open(sys.argv[1], encoding="ascii").read()
name = line.split()[0].rstrip(".").lower()
record = "".join(re.findall(r'"([^"]*)"', line)).encode("ascii")


def dnsfunc(query, timeout=5):
    queried = query.decode("ascii").rstrip(".").lower()
    return record if queried == name else None


for path in sys.argv[2:]:
    data = open(path, "rb").read()
    data = re.sub(rb"(?<!\r)\n", b"\r\n", data)
    try:
        ok = dkim.verify(data, dnsfunc=dnsfunc, minkey=1024)
        print(("pass " if ok else "fail ") + path + ("" if ok else " signature did not verify"))
    except Exception as e:  # dkimpy raises for malformed signatures; report, go on
        print("fail " + path + " " + type(e).__name__ + ": " + str(e))
