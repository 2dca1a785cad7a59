#!/bin/sh
# Which key exchange group each pairing of TLS engines negotiates between two Sealposts: captures the
# ServerHellos of sealpost B (mx on 127.0.0.4) on loopback while TlsHybridGroupTwoSealpostsTest runs
# its four pairings (A openssl/B openssl, openssl/jdk, jdk/openssl, jdk/jdk, in that order), and
# prints the key_share group of each (docs/benchmarks.md, "TLS engine"). Needs tcpdump (Debian's
# package) and root. The Postfix pairings are in TlsEnginesPostfixTest, from Postfix's own log.
set -eu
cd "$(dirname "$0")/../.."
command -v tcpdump >/dev/null || { echo "tls-groups.sh: tcpdump is not installed (apt-get install tcpdump)" >&2; exit 1; }
OUT=interop-tests/target/tls-groups
mkdir -p "$OUT"
tcpdump -i lo -s 0 -U -w "$OUT/b.pcap" 'tcp and src host 127.0.0.4' 2>"$OUT/tcpdump.log" &
DUMP=$!
sleep 1
status=0
mvn -q -B -ntp -pl interop-tests -am verify -Dtest=TlsHybridGroupTwoSealpostsTest -Dsurefire.failIfNoSpecifiedTests=false \
    > "$OUT/mvn.log" 2>&1 || status=$?
kill "$DUMP"
wait "$DUMP" 2>/dev/null || true
[ "$status" -eq 0 ] || { echo "tls-groups.sh: the test failed, see $OUT/mvn.log" >&2; exit "$status"; }
python3 interop-tests/bench/serverhello-groups.py "$OUT/b.pcap"
