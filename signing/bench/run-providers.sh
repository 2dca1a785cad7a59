#!/bin/sh
# DKIM signing of whole messages through Sealpost's DkimSigner (ProviderBenchmark: 4 KiB and 100 KiB,
# RSA-2048 and Ed25519, the JDK's providers and the Amazon Corretto Crypto Provider, one thread),
# the bare signature over 600 octets (CryptoBenchmark.sign) with each, and beside them `openssl speed`
# as the reference; all on one core (taskset -c 1). Prints a table of signatures per second with the
# ratio to openssl speed (docs/benchmarks.md).
# Usage: signing/bench/run-providers.sh [JMH options], default -f 1 -wi 3 -w 2s -i 5 -r 2s
set -eu
cd "$(dirname "$0")/../.."
# -am with test-compile: the other modules' classes come from their target folders, not ~/.m2
mvn -q -B -ntp -pl signing -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
CORE="taskset -c 1"
command -v taskset >/dev/null || CORE=""
OUT=signing/target/bench-providers
mkdir -p "$OUT"
date -u '+%Y-%m-%d %H:%M UTC' > "$OUT/date.txt"
echo "== openssl speed -seconds 5 rsa2048 ed25519 ($(openssl version))"
$CORE openssl speed -seconds 5 rsa2048 ed25519 2>/dev/null | tee "$OUT/openssl.txt" | grep -E 'sign/s|bits'
echo "== ProviderBenchmark (JMH $*)"
$CORE java -cp "signing/target/test-classes:signing/target/classes:$(cat signing/target/bench.classpath)" \
    org.openjdk.jmh.Main 'org\.sealpost\.signing\.dkim\.bench\.(ProviderBenchmark\.sign|CryptoBenchmark\.sign)$' "$@" -rf json -rff "$OUT/jmh.json" \
    | tee "$OUT/jmh.txt" | grep -E '# crypto|^Benchmark|^ProviderBenchmark|^CryptoBenchmark'
python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
openssl = {}
for line in open(out + "/openssl.txt"):
    m = re.match(r"\s*rsa 2048 bits\s+\S+\s+\S+\s+([\d.]+)", line)
    if m: openssl["rsa2048"] = float(m.group(1))
    m = re.match(r"\s*253 bits EdDSA \(Ed25519\)\s+\S+\s+\S+\s+([\d.]+)", line)
    if m: openssl["ed25519"] = float(m.group(1))
rows = json.load(open(out + "/jmh.json"))
print()
print("| key | what is signed | provider | signatures/s (JMH, ± 99.9%) | openssl speed sign/s | ratio |")
print("|---|---|---|---|---|---|")
order = {"rsa2048": 0, "ed25519": 1, "600": 0, "4096": 1, "102400": 2, "jdk": 0, "accp": 1}
for r in rows:
    r["params"].setdefault("size", "600")  # CryptoBenchmark: the signature alone over 600 octets
rows.sort(key=lambda r: tuple(order[r["params"][k]] for k in ("key", "size", "provider")))
for r in rows:
    p = r["params"]; m = r["primaryMetric"]
    ref = openssl.get(p["key"])
    size = {"600": "signature alone (600 octets)", "4096": "4 KiB message", "102400": "100 KiB message"}[p["size"]]
    name = {"jdk": "JDK 17 providers", "accp": "ACCP 2.5.0"}[p["provider"]]
    key = {"rsa2048": "RSA-2048", "ed25519": "Ed25519"}[p["key"]]
    err = m["scoreError"]
    err = f" ± {err:,.0f}" if isinstance(err, (int, float)) and err == err else ""
    print(f"| {key} | {size} | {name} | {m['score']:,.0f}{err} | {ref:,.0f} | {m['score'] / ref:.0%} |")
PY
