#!/bin/sh
# Runs the cache module's JMH benchmarks (a cache hit beside a bare map lookup).
# Usage: cache/bench/run-jmh.sh [JMH options], e.g. -f 1 -wi 3 -i 5
set -eu
cd "$(dirname "$0")/../.."
mvn -q -B -pl cache -am test-compile
mvn -q -B -pl cache dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
[ $# -gt 0 ] || set -- -f 1 -wi 3 -w 2s -i 5 -r 2s
exec java -cp "cache/target/test-classes:cache/target/classes:$(cat cache/target/bench.classpath)" \
    org.openjdk.jmh.Main 'org.sealpost.cache.bench.*' "$@"
