#!/bin/sh
# Runs the signing module's JMH benchmarks: DKIM sign and verify (RSA-2048, Ed25519; 4 KiB and
# 1 MiB messages), and beside them the JDK's bare SHA-256 and bare signatures. Single-threaded.
# Usage: signing/bench/run-jmh.sh [CLASS] [JMH options], e.g. -f 1 -wi 3 -i 5, or DkimBenchmark -f 1
set -eu
cd "$(dirname "$0")/../.."
# -am with test-compile: the other modules' classes come from their target folders, not ~/.m2
mvn -q -B -ntp -pl signing -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
PATTERN='org.sealpost.signing.dkim.bench.*'
case "${1:-}" in
    ""|-*) ;;
    *) PATTERN="org.sealpost.signing.dkim.bench.$1"; shift ;;
esac
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
exec java -cp "signing/target/test-classes:signing/target/classes:$(cat signing/target/bench.classpath)" \
    org.openjdk.jmh.Main "$PATTERN" "$@"
