#!/bin/sh
# Fuzzes the signing module's Jazzer targets for real (plain `mvn test` only replays their seeds).
# Usage: signing/fuzz/run-fuzz.sh [SECONDS per target, default 120] [TARGET ...]
#   TARGET is [package.]Class#method, a *FuzzTest of any package of signing (the package is found
#   when left out); default: all below, one after the other.
# The growing corpus is kept in signing/target/fuzz-corpus/<target>/ (reused by the next run);
# a finding stops that target and is written to signing/target/fuzz-findings/ with a Java
# reproducer. To keep it as a regression test, copy the crash file into the target's seed folder
# src/test/resources/<package path>/<Class>Inputs/<method>/ and fix the parser.
# libFuzzer flags may follow after "--", e.g. -- -max_len=8192 -jobs=2.
set -eu
cd "$(dirname "$0")/../.."
SECONDS_PER_TARGET=${1:-120}
[ $# -gt 0 ] && shift
TARGETS=""
while [ $# -gt 0 ] && [ "$1" != "--" ]; do TARGETS="$TARGETS $1"; shift; done
[ $# -gt 0 ] && shift
[ -n "$TARGETS" ] || TARGETS="TagListFuzzTest#tagList DkimSignatureFuzzTest#signatureField KeyRecordFuzzTest#keyRecord
    MessageVerificationFuzzTest#message RoundTripFuzzTest#signAndVerify ArcHeaderFuzzTest#arcHeaders
    ArcVerificationFuzzTest#message SpfRecordFuzzTest#record MacroStringFuzzTest#expand DmarcRecordFuzzTest#record
    AuthenticationResultsPayloadFuzzTest#payload Dkim2SignatureFuzzTest#signatureField Dkim2InstanceFuzzTest#instanceField
    Dkim2VerificationFuzzTest#message RecipeFuzzTest#decodeValue RecipeFuzzTest#decodeJson RecipeFuzzTest#apply
    MimeOutlineFuzzTest#outline Dkim2ReturnedFuzzTest#report"

# One reactor run: the classpath of signing names its sibling modules (dnssec, cache), which are
# not installed in a local repository, as the reactor just compiled them.
mvn -q -B -ntp -pl signing -am test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile=target/fuzz.classpath
CP="$PWD/signing/target/test-classes:$PWD/signing/target/classes:$(cat signing/target/fuzz.classpath)"
FINDINGS=signing/target/fuzz-findings
mkdir -p "$FINDINGS"
status=0
for target in $TARGETS; do
    class=${target%%#*}
    class=${class##*.} # a package given in front ("arc.") is found below anyway
    method=${target#*#}
    # The package of the class: where its compiled test class lies (dkim, spf, dmarc, ...).
    classfile=$(cd signing/target/test-classes && find org -name "$class.class" | head -n 1)
    [ -n "$classfile" ] || { echo "no test class $class in signing" >&2; exit 2; }
    package=$(dirname "$classfile")
    resources=signing/src/test/resources/$package
    corpus=signing/target/fuzz-corpus/$class-$method
    mkdir -p "$corpus"
    before=$(ls "$FINDINGS" | grep -c "^$class-$method-" || true)
    echo "== $target for ${SECONDS_PER_TARGET}s (corpus $corpus)"
    # The driver's own banner goes to the log; libFuzzer's progress and any finding stay on the terminal.
    if ! java -cp "$CP" com.code_intelligence.jazzer.Jazzer \
            --target_class=$(echo "$package" | tr / .).$class --target_method="$method" \
            --instrumentation_includes='org.sealpost.**' --reproducer_path="$FINDINGS" \
            -artifact_prefix="$FINDINGS/$class-$method-" -max_total_time="$SECONDS_PER_TARGET" -print_final_stats=1 \
            "$@" "$corpus" "$resources/${class}Inputs/$method" 2>&1 | grep -v '^INFO: \(Loaded\|Instrumented\)'; then
        status=1
    fi
    # grep hides java's exit status; a finding leaves a crash file behind.
    if [ "$(ls "$FINDINGS" | grep -c "^$class-$method-" || true)" -gt "$before" ]; then
        echo "!! $target: finding(s) in $FINDINGS" >&2
        status=1
    fi
done
exit $status
