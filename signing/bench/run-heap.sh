#!/bin/sh
# Verifies a generated 50 MiB message in 64 KiB chunks under -Xmx64m and prints the used heap after
# a GC every 5 MiB. "signing/bench/run-heap.sh hold" is the control: it keeps every chunk, as a
# buffering verifier would, and runs out of memory under the same limit.
set -eu
cd "$(dirname "$0")/../.."
# -am with test-compile: the other modules' classes come from their target folders, not ~/.m2
mvn -q -B -ntp -pl signing -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/bench.classpath
exec java -Xmx64m -cp "signing/target/test-classes:signing/target/classes:$(cat signing/target/bench.classpath)" \
    org.sealpost.signing.dkim.bench.StreamingHeap "$@"
