#!/usr/bin/env python3
"""Writes the Jazzer seed inputs under signing/src/test/resources from shared/vectors/dkim.

Run from the repository root: python3 signing/fuzz/make-seeds.py [path to shared/vectors/dkim].
Only vectors under permissive licences are copied (RFC examples, dkimpy: zlib, Stalwart: MIT,
simple-java-mail: Apache-2.0); the hand-written edge cases below are ours.
"""
import glob
import hashlib
import os
import sys

VECTORS = sys.argv[1] if len(sys.argv) > 1 else "../shared/vectors/dkim"
BASE = "signing/src/test/resources/org/sealpost/signing/dkim"


def crlf(data):
    return data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def read(path):
    with open(os.path.join(VECTORS, path), "rb") as f:
        return f.read()


def write(target, name, data):
    folder = os.path.join(BASE, target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "wb") as f:
        f.write(data)


def stalwart():
    """(dns lines, message) of each Stalwart vector: DNS lines, a blank line, the message."""
    for path in sorted(glob.glob(os.path.join(VECTORS, "stalwart", "0*.txt"))):
        text = open(path, "rb").read().replace(b"\r\n", b"\n")
        split = text.index(b"\n\n")
        yield os.path.basename(path), text[:split].split(b"\n"), crlf(text[split + 2:])


def messages():
    for name in ["rfc/rfc8463-A3-signed.eml", "rfc/rfc6376-A2-signed.eml", "dkimpy/rfc6376.signed.msg",
                 "dkimpy/rfc6376.signed.rsa.msg", "dkimpy/ed25519test2.msg", "dkimpy/test2.message",
                 "dkimpy/test_nofrom.message"]:
        yield name.replace("/", "-"), crlf(read(name))
    for name, _, message in stalwart():
        yield "stalwart-" + name, message


def signature_values(message):
    """The values (after the colon, folding kept) of the DKIM-Signature fields of a message."""
    header = message.split(b"\r\n\r\n", 1)[0]
    fields = []
    for line in header.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    return [f.split(b":", 1)[1] for f in fields if f.lower().startswith(b"dkim-signature:")]


def key_records():
    lines = []
    for name in ["rfc/rfc6376-C-brisbane.dns.txt", "rfc/rfc8463-A2.dns.txt", "simple-java-mail/dns.txt"]:
        lines += read(name).replace(b"\r\n", b"\n").split(b"\n")
    for _, dns, _ in stalwart():
        lines += dns
    records = [l.split(b" ", 1)[1] for l in lines if b" " in l.strip()]
    for name in ["dkimpy/ed25519test.dns", "dkimpy/test.txt", "dkimpy/test2.txt", "dkimpy/test_tlsrpt.txt",
                 "dkimpy/2048_testkey_wo_markers.pub.txt", "dkimpy/1024_testkey_wo_markers.pub.rsa.txt"]:
        records.append(read(name).strip())
    return records


EDGE_TAG_LISTS = [b"", b";", b"a=1;", b"a=1;;b=2", b"a=", b" a = b \r\n c ; d=e=f", b"A=1; a=2", b"a=1; a=2",
                  b"1a=x", b"a=x\x01y", b"v=1; b=\r\n\tAAAA\r\n BBBB; bh=\xff"]
EDGE_KEY_RECORDS = [b"v=DKIM1; p=", b"v=DKIM1; k=rsa", b"k=dsa; p=AAAA", b"k=ed25519; p=AAAA", b"s=tlsrpt; p=AAAA",
                    b"k=rsa; v=DKIM1; p=AAAA", b"p=MA0CBgDzXmOMsQIDAQAB", b"t=y:s; h=sha1:sha256; g=*; p=AAAA"]

if __name__ == "__main__":
    values = []
    for name, message in messages():
        write("MessageVerificationFuzzTestInputs/message", name, message)
        values += signature_values(message)
    for value in values + EDGE_TAG_LISTS:
        digest = hashlib.sha1(value).hexdigest()[:12]
        write("TagListFuzzTestInputs/tagList", "seed-" + digest, value)
        if value in values:
            write("DkimSignatureFuzzTestInputs/signatureField", "seed-" + digest, value)
    with open(os.path.join(BASE, "fuzz-dns.txt"), "wb") as f:
        f.write(b"# The key records the message fuzz test's in-memory DNS serves (FakeDns.fromLines form).\n")
        for name in ["rfc/rfc6376-C-brisbane.dns.txt", "rfc/rfc8463-A2.dns.txt"]:
            f.write(read(name).strip() + b"\n")
        for _, dns, _ in stalwart():
            f.write(b"\n".join(dns).strip() + b"\n")
    for record in key_records() + EDGE_KEY_RECORDS:
        write("KeyRecordFuzzTestInputs/keyRecord", "seed-" + hashlib.sha1(record).hexdigest()[:12], record)
        write("TagListFuzzTestInputs/tagList", "seed-" + hashlib.sha1(record).hexdigest()[:12], record)
