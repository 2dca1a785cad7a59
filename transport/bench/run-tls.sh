#!/bin/sh
# The TLS engines of tls_engine in memory (TlsEngineBenchmark: full TLS 1.3 handshakes with an RSA-2048
# certificate, and a 4 KiB and a 1 MiB message through wrap/unwrap after the handshake; BoringSSL and
# the JDK's SSLEngine, each with crypto_provider auto (ACCP) and jdk; one thread), and beside them
# `openssl speed -evp aes-128-gcm` as the reference; all on one core (taskset -c 1). Prints a table
# of handshakes per second and MiB/s (docs/benchmarks.md, "TLS engine").
# Usage: transport/bench/run-tls.sh [JMH options], default -f 1 -wi 3 -w 2s -i 5 -r 2s
set -eu
cd "$(dirname "$0")/../.."
# -am with test-compile: the other modules' classes come from their target folders, not ~/.m2
mvn -q -B -ntp -pl transport -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
CORE="taskset -c 1"
command -v taskset >/dev/null || CORE=""
OUT=transport/target/bench-tls
mkdir -p "$OUT"
{ date -u '+%Y-%m-%d %H:%M UTC'; uptime; } > "$OUT/date.txt"
cat "$OUT/date.txt"
echo "== openssl speed -seconds 3 -evp aes-128-gcm ($(openssl version))"
$CORE openssl speed -seconds 3 -evp aes-128-gcm 2>/dev/null | tee "$OUT/openssl.txt" | grep -iE 'type|aes-128-gcm'
echo "== TlsEngineBenchmark (JMH $*)"
$CORE java -cp "transport/target/test-classes:transport/target/classes:$(cat transport/target/bench.classpath)" \
    org.openjdk.jmh.Main 'org\.sealpost\.transport\.tls\.bench\.TlsEngineBenchmark' "$@" -rf json -rff "$OUT/jmh.json" \
    | tee "$OUT/jmh.txt" | grep -E '^# (tls|session)|^Benchmark|^TlsEngineBenchmark'
python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
speed = {}
for line in open(out + "/openssl.txt"):
    m = re.match(r"\s*(?:AES-128-GCM|aes-128-gcm)\s+(.*)", line)
    if m:
        # 16 64 256 1024 8192 16384 bytes, in 1000s of bytes per second
        values = [float(v.rstrip("k")) for v in m.group(1).split()]
        speed = {"8192": values[4] * 1000 / 2**20, "16384": values[5] * 1000 / 2**20}
rows = json.load(open(out + "/jmh.json"))
name = {"openssl": "BoringSSL (netty-tcnative 2.0.84)", "jdk": "the JDK 17 SSLEngine"}
crypto = {"auto": "ACCP 2.5.0", "jdk": "JDK providers"}
print()
print("| engine | crypto_provider | full TLS 1.3 handshakes/s | 4 KiB message MiB/s | 1 MiB message MiB/s |")
print("|---|---|---|---|---|")
def num(v):
    return v if isinstance(v, (int, float)) and v == v else 0.0
table = {}
for r in rows:
    p = r["params"]; m = r["primaryMetric"]
    key = (p["engine"], p["crypto"])
    bench = r["benchmark"].rsplit(".", 1)[1]
    if bench == "handshake":
        table.setdefault(key, {})["handshake"] = f"{m['score']:,.0f} ± {num(m['scoreError']):,.0f}"
    else:
        size = int(p["size"])
        mib = m["score"] * size / 2**20
        err = num(m["scoreError"]) * size / 2**20
        table.setdefault(key, {})[size] = f"{mib:,.0f} ± {err:,.0f}"
for engine in ("openssl", "jdk"):
    for c in ("auto", "jdk"):
        t = table.get((engine, c))
        if t:
            print(f"| {name[engine]} | {crypto[c]} | {t.get('handshake', '-')} | {t.get(4096, '-')} | {t.get(1048576, '-')} |")
if speed:
    print(f"\nopenssl speed -evp aes-128-gcm, one core: {speed['16384']:,.0f} MiB/s in 16 KiB blocks, {speed['8192']:,.0f} MiB/s in 8 KiB")
PY
