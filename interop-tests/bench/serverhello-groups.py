#!/usr/bin/env python3
"""tls-groups.sh: the key_share group of each TLS 1.3 ServerHello (and HelloRetryRequest) in a pcap of loopback traffic."""
import struct, sys
GROUPS = {0x001d: "x25519", 0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1", 0x001e: "x448",
          0x0100: "ffdhe2048", 0x11ec: "X25519MLKEM768", 0x6399: "X25519Kyber768Draft00"}
HRR = bytes.fromhex("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C")
data = open(sys.argv[1], "rb").read()
magic = struct.unpack("<I", data[:4])[0]
endian = "<" if magic in (0xa1b2c3d4, 0xa1b23c4d) else ">"
linktype = struct.unpack(endian + "I", data[20:24])[0]
off = 24
streams = {}
while off + 16 <= len(data):
    ts, tus, incl, orig = struct.unpack(endian + "IIII", data[off:off + 16]); off += 16
    pkt = data[off:off + incl]; off += incl
    ip = pkt[14:] if linktype == 1 else pkt[16:] if linktype == 113 else pkt[4:]
    if not ip or ip[0] >> 4 != 4 or ip[9] != 6:
        continue
    ihl = (ip[0] & 15) * 4
    tcp = ip[ihl:]
    sport, dport = struct.unpack(">HH", tcp[:4])
    thl = (tcp[12] >> 4) * 4
    payload = tcp[thl:]
    key = (ip[12:16], sport, ip[16:20], dport)
    streams.setdefault(key, [ts + tus / 1e6, b""])
    streams[key][1] += payload
for (src, sport, dst, dport), (ts, stream) in sorted(streams.items(), key=lambda kv: kv[1][0]):
    i = stream.find(b"\x16\x03\x03")
    while i >= 0:
        length = struct.unpack(">H", stream[i + 3:i + 5])[0]
        body = stream[i + 5:i + 5 + length]
        if body[:1] == b"\x02":
            random = body[6:38]
            sid = body[38]
            p = 39 + sid + 3  # cipher suite (2), compression (1)
            ext_len = struct.unpack(">H", body[p:p + 2])[0]
            p += 2
            end = p + ext_len
            group = None
            while p + 4 <= end:
                etype, elen = struct.unpack(">HH", body[p:p + 4])
                if etype == 0x0033:
                    group = struct.unpack(">H", body[p + 4:p + 6])[0]
                p += 4 + elen
            kind = "HelloRetryRequest" if random == HRR else "ServerHello"
            name = GROUPS.get(group, hex(group) if group is not None else "none (TLS 1.2?)")
            print(f"{'.'.join(map(str, src))}:{sport} -> {'.'.join(map(str, dst))}:{dport} {kind} key_share {name}")
        i = stream.find(b"\x16\x03\x03", i + 5 + length)
