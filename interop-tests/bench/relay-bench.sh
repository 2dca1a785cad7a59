#!/bin/bash
# End-to-end relay benchmark, all on loopback, in one run (root; about 3 minutes with the defaults):
#
#   sink     : smtp-source -> smtp-sink                                    (the ceiling)
#   sealpost : smtp-source -> Sealpost submission (queue, fsync) -> smtp-sink
#   postfix  : smtp-source -> private Postfix (relayhost)           -> smtp-sink
#
# Each phase is timed from the first connection until smtp-sink has counted every message.
# Prints medians and the ratios Sealpost/sink and Sealpost/Postfix. Needs `mvn -q package -DskipTests`.
# Tunables: RUNS (3) MSGS (5000) SESS (20) SIZE (4096) WARMUP (500)
set -u
export LC_ALL=C
RUNS=${RUNS:-3}; MSGS=${MSGS:-5000}; SESS=${SESS:-20}; SIZE=${SIZE:-4096}; WARMUP=${WARMUP:-500}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/interop-tests/bench/private-postfix.sh"
W=$(mktemp -d /tmp/sealpost-bench.XXXXXX); chmod 755 "$W"
SINK=2526; SEALPOST=2525; POSTFIX=2527
pids=()
log() { echo "[$(date +%T)] $*" >&2; }
die() { log "FATAL: $*"; exit 1; }
cleanup() {
    [ -f "$W/postfix/etc/main.cf" ] && postfix -c "$W/postfix/etc" stop >/dev/null 2>&1
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT
[ "$(id -u)" = 0 ] || die "run as root (smtp-sink and Postfix drop privileges)"
[ -f "$top/transport/target/sealpost.jar" ] || die "build first: mvn -q -B package -DskipTests"
wait_port() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; die "nothing on port $1"; }
sink_count() { tail -c 300 "$W/sink.out" | tr '\r' '\n' | awk -F'mesg=' '/mesg=/{n=$2} END{print n+0}'; }
wait_count() { local t0=$SECONDS; while [ "$(sink_count)" -lt "$1" ]; do [ $((SECONDS-t0)) -gt 600 ] && die "sink stuck at $(sink_count)"; sleep 0.02; done; }
median() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

measure() {  # $1 phase, $2 port -> prints seconds per run to $W/$1.times
    log "phase $1: warm-up $WARMUP, then $RUNS runs of $MSGS messages"
    local before=$(sink_count)
    smtp-source -s "$SESS" -m "$WARMUP" -l "$SIZE" "127.0.0.1:$2" 2>>"$W/source.err"
    wait_count $((before + WARMUP)); sleep 1
    for r in $(seq "$RUNS"); do
        before=$(sink_count)
        local t0=$EPOCHREALTIME
        smtp-source -s "$SESS" -m "$MSGS" -l "$SIZE" "127.0.0.1:$2" 2>>"$W/source.err"
        wait_count $((before + MSGS))
        local t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
        echo "$t" >> "$W/$1.times"
        log "  run $r: $t s, $(awk -v n="$MSGS" -v t="$t" 'BEGIN{printf "%.0f", n/t}') msg/s"
        sleep 2
    done
}

smtp-sink -c -u nobody "127.0.0.1:$SINK" 256 > "$W/sink.out" 2>&1 & pids+=($!)
wait_port $SINK
measure sink $SINK

cat > "$W/sealpost.conf" <<CONF
hostname = relay.bench.test
queue_directory = $W/sealpost-queue
log_file = $W/sealpost.log
listeners = submission
listener.submission.role = submission
listener.submission.address = 127.0.0.1:$SEALPOST
relayhost = [127.0.0.1]:$SINK
CONF
"$top/sealpost" run --config "$W/sealpost.conf" & pids+=($!)
wait_port $SEALPOST
measure sealpost $SEALPOST
kill "${pids[-1]}"

P=$W/postfix
private_postfix "$P" postfix "$POSTFIX" "$SINK"
start_private_postfix "$P"
wait_port $POSTFIX
measure postfix $POSTFIX

s=$(median < "$W/sink.times"); e=$(median < "$W/sealpost.times"); p=$(median < "$W/postfix.times")
rate() { awk -v n="$MSGS" -v t="$1" 'BEGIN{printf "%.0f", n/t}'; }
echo
echo "Relay benchmark $(date -u +%FT%TZ): $(nproc) CPUs, $MSGS messages of $SIZE bytes, $SESS sessions, median of $RUNS runs"
printf '| path | seconds | msg/s |\n|---|---|---|\n'
printf '| smtp-source -> smtp-sink | %s | %s |\n' "$s" "$(rate "$s")"
printf '| smtp-source -> Sealpost -> smtp-sink | %s | %s |\n' "$e" "$(rate "$e")"
printf '| smtp-source -> Postfix -> smtp-sink | %s | %s |\n' "$p" "$(rate "$p")"
awk -v s="$s" -v e="$e" -v p="$p" 'BEGIN{printf "\nSealpost / sink = %.2f, Sealpost / Postfix = %.2f\n", s/e, p/e}'
echo "Sealpost log: $(grep -c 'status=sent' "$W/sealpost.log") sent, $(grep -c 'status=deferred' "$W/sealpost.log") deferred; smtp-source errors: $(wc -l < "$W/source.err")"
