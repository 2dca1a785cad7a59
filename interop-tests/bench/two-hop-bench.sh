#!/bin/bash
# Two-hop benchmark: signed and encrypted, all on loopback, in one run (root; about 5 minutes with
# the defaults). Each round runs every path once, in this order, for RUNS rounds after a warm-up:
#
#   sink     : smtp-source -> smtp-sink                                                (the ceiling)
#   postfix  : smtp-source -> Postfix -> STARTTLS -> Postfix -> smtp-sink               (defaults)
#   opendkim : the same with OpenDKIM milters: signing on the first, verifying on the second
#   sealpost : smtp-source -> Sealpost A (submission, DKIM signing) -> STARTTLS
#                          -> Sealpost B (mx: DKIM verification, SPF, DMARC, ...) -> smtp-sink
#
# Every relay uses the same RSA-2048 DKIM key (d=src.test, s=sel) and the same RSA-2048 server
# certificate. Sealpost B gets the key record from a DNSSEC-signed zone on knotd through a
# validating unbound (its answers cached, as always); OpenDKIM reads it from a file (see below).
#
# A round is timed from the first connection until smtp-sink has counted every message. Each
# round is CHECKED or the run fails: smtp-sink dumps every message (-d), and every message of
# every relay round must be there, have crossed the middle hop with STARTTLS (its Received
# field says ESMTPS; the relays' logs count TLS sessions), and, where DKIM is on, carry a
# DKIM-Signature of d=src.test and the second relay's Authentication-Results with dkim=pass.
#
# Prints msg/s per round, medians, the ratios Sealpost/Postfix and Sealpost/Postfix+OpenDKIM,
# and the resident memory high-water mark (VmHWM) of Sealpost A and B at the end.
# Needs `mvn -q -B -ntp package -DskipTests` (the reactor's package, not install).
# Tunables: RUNS (3) MSGS (3000) SESS (20) SIZE (4096) WARMUP (2000) PORT_BASE (2530; 11 ports)
#   BENCH_TMP (/tmp): where the run's folder goes, with every queue in it (/dev/shm: the queues on tmpfs,
#     to measure what the disk costs; never how a relay should run)
#   PHASES ("sink postfix opendkim sealpost"): the paths and their order; postfix, the reference, always runs
#   BIG_MIB (0): after the rounds, one message of this many MiB (a base64 attachment, as mail comes)
#     through Sealpost A and B, checked (arrived whole, dkim=pass), and both relays' VmHWM after it
#   VARIANTS: a file of JVM variants (interop-tests/bench/jvm-variants.tsv): after the rounds, for each,
#     both Sealposts restarted with it, WARMUP messages through Postfix (the reference, same turn),
#     the first WARMUP through Sealpost after the start, then MSGS more (RUNS=0: variants only);
#     SEALPOST_TREE=DIR in a line runs the build of another checkout (DIR/sealpost), so that two
#     builds are measured in one run: list them alternately, several times
#   JAVA (java) and SEALPOST_JAVA_OPTS: the JVM that runs both Sealposts and options added to its
#     defaults (packaging/jvm.options); with -XX:NativeMemoryTracking=summary in them, the report
#     adds each relay's `jcmd PID VM.native_memory summary` and GC.heap_info (files in the folder)
#   PROFILE (unset): a folder; async-profiler is attached to Sealpost A and B after the warm-up
#     and writes sealpost-a/-b.collapsed and .html (flame graphs) there after the last round
set -u
export LC_ALL=C
RUNS=${RUNS:-3}; MSGS=${MSGS:-3000}; SESS=${SESS:-20}; SIZE=${SIZE:-4096}; WARMUP=${WARMUP:-2000}
PORT_BASE=${PORT_BASE:-2530}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/interop-tests/bench/private-postfix.sh"
SINK=$PORT_BASE; SPA=$((PORT_BASE + 1)); SPB=$((PORT_BASE + 2))
PFA=$((PORT_BASE + 3)); PFB=$((PORT_BASE + 4)); ODA=$((PORT_BASE + 5)); ODB=$((PORT_BASE + 6))
MILTER_SIGN=$((PORT_BASE + 7)); MILTER_VERIFY=$((PORT_BASE + 8))
KNOT=$((PORT_BASE + 9)); UNBOUND=$((PORT_BASE + 10))
FROM=bench@src.test; TO=bob@dest.test
PHASES=${PHASES:-sink postfix opendkim sealpost}; BIG_MIB=${BIG_MIB:-0}
case " $PHASES " in *" postfix "*) ;; *) PHASES="postfix $PHASES" ;; esac
pids=(); postfixes=()
log() { echo "[$(date +%T)] $*" >&2; }
die() { log "FATAL: $*"; [ -n "${W:-}" ] && log "logs and configuration: $W"; exit 1; }
cleanup() {
    for p in "${postfixes[@]}"; do postfix -c "$p/etc" stop >/dev/null 2>&1; done
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- peers
[ "$(id -u)" = 0 ] || die "run as root (smtp-sink, Postfix and OpenDKIM drop privileges)"
[ -f "$top/transport/target/sealpost.jar" ] || die "$top/transport/target/sealpost.jar is missing; build first: mvn -q -B -ntp package -DskipTests"
need() { [ -x "$2" ] || command -v "$2" >/dev/null 2>&1 || die "$2 is missing: install the Debian package $1"; }
need postfix /usr/sbin/postfix; need postfix /usr/sbin/smtp-source; need postfix /usr/sbin/smtp-sink
need opendkim /usr/sbin/opendkim; need knot /usr/sbin/knotd; need unbound /usr/sbin/unbound
need ldnsutils /usr/bin/ldns-keygen; need ldnsutils /usr/bin/ldns-signzone; need openssl /usr/bin/openssl
need java java
id opendkim >/dev/null 2>&1 || die "the user opendkim is missing (the Debian package opendkim creates it)"
for port in $(seq "$PORT_BASE" "$UNBOUND"); do
    (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && die "127.0.0.1:$port is in use; choose other ports with PORT_BASE=N (11 ports from N)"
done
case "$RUNS$MSGS$SESS$SIZE$WARMUP$BIG_MIB" in *[!0-9]*) die "RUNS, MSGS, SESS, SIZE, WARMUP and BIG_MIB are whole numbers";; esac
for phase in $PHASES; do
    case $phase in sink|postfix|opendkim|sealpost) ;; *) die "PHASES: unknown path $phase (sink, postfix, opendkim, sealpost)";; esac
done
[ "$RUNS" -ge 1 ] || [ -n "${VARIANTS:-}" ] || die "RUNS must be at least 1 (0 only with VARIANTS)"
[ "$MSGS" -ge 1 ] || die "MSGS must be at least 1"
W=$(mktemp -d "${BENCH_TMP:-/tmp}/sealpost-two-hop.XXXXXX"); chmod 755 "$W"
log "logs and configuration in $W"

wait_port() { for _ in $(seq 150); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.1; done; die "nothing listens on 127.0.0.1:$1 ($2); see $W"; }
sink_count() { tail -c 300 "$W/sink.out" | tr '\r' '\n' | awk -F'mesg=' '/mesg=/{n=$2} END{print n+0}'; }
names=()   # what each entry of pids is, for the error when one dies
started() { pids+=("$1"); names+=("$2"); }
alive() {  # dies naming the first process started here that has exited
    local i
    for i in "${!pids[@]}"; do
        kill -0 "${pids[$i]}" 2>/dev/null || die "${names[$i]} (pid ${pids[$i]}) has exited; its log is in $W"
    done
}
wait_count() {  # $1 target, $2 what for; fails after 60 s without a new message
    local last=-1 seen=$SECONDS c
    while c=$(sink_count); [ "$c" -lt "$1" ]; do
        if [ "$c" != "$last" ]; then last=$c; seen=$SECONDS; fi
        if [ $((SECONDS - seen)) -ge 60 ]; then
            alive
            die "$2: smtp-sink stuck at $c of $1 messages for 60 s"
        fi
        sleep 0.02
    done
}
hwm() { awk '/^VmHWM/{printf "%.0f MiB", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "(gone)"; }
rss() { awk '/^VmRSS/{printf "%.0f MiB", $2/1024}' "/proc/$1/status" 2>/dev/null || echo "(gone)"; }
median() { sort -g | awk '{a[NR]=$1} END{print (NR%2)? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN{printf "%.0f", n/t}'; }

# ---------------------------------------------------------------- keys, certificate, DNS
mkdir -p "$W/keys" "$W/dns/run"
openssl genrsa -out "$W/keys/sel.pem" 2048 2>/dev/null || die "openssl genrsa failed"
p=$(openssl rsa -in "$W/keys/sel.pem" -pubout -outform DER 2>/dev/null | base64 -w0)
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mx.dest.test" \
    -keyout "$W/keys/tls-key.pem" -out "$W/keys/tls-cert.pem" >/dev/null 2>&1 || die "openssl req failed"
chmod 600 "$W/keys/tls-key.pem"
record="v=DKIM1; k=rsa; p=$p"
strings=$(for ((i = 0; i < ${#record}; i += 255)); do printf '"%s" ' "${record:i:255}"; done)
# One signed zone, test., so that every name the verifiers ask for (the key, SPF, the DMARC tree
# walk up to _dmarc.test) gets a DNSSEC-proven answer from the lab, never from /etc/resolv.conf.
cat > "$W/dns/test.zone" <<ZONE
\$ORIGIN test.
\$TTL 3600
@ IN SOA ns1 hostmaster 2026120201 3600 900 1209600 300
@ IN NS ns1
ns1 IN A 127.0.0.1
src IN TXT "v=spf1 ip4:127.0.0.0/8 -all"
_dmarc.src IN TXT "v=DMARC1; p=reject"
sel._domainkey.src IN TXT ( $strings)
dest IN MX 10 mx.dest
mx.dest IN A 127.0.0.1
ZONE
( cd "$W/dns" && ksk=$(ldns-keygen -a ECDSAP256SHA256 -k test) && zsk=$(ldns-keygen -a ECDSAP256SHA256 test) \
    && ldns-signzone -n -t 0 -i 20260101000000 -e 20361231000000 test.zone "$zsk" "$ksk" && cp "$ksk.ds" anchors.ds ) \
    > "$W/dns/sign.log" 2>&1 || die "signing the zone failed: $W/dns/sign.log"
cat > "$W/dns/knot.conf" <<CONF
server:
    rundir: "$W/dns/run"
    listen: 127.0.0.1@$KNOT
log:
  - target: stderr
    any: info
database:
    storage: "$W/dns/run"
control:
    listen: "$W/dns/run/knot.sock"
template:
  - id: default
    storage: "$W/dns"
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: test
    file: "test.zone.signed"
CONF
knotd -c "$W/dns/knot.conf" > "$W/dns/knotd.log" 2>&1 & started $! knotd
cat > "$W/dns/unbound.conf" <<CONF
server:
    interface: 127.0.0.1
    port: $UNBOUND
    do-ip6: no
    do-daemonize: no
    username: ""
    chroot: ""
    directory: "$W/dns"
    pidfile: "$W/dns/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 1
    access-control: 127.0.0.0/8 allow
    do-not-query-localhost: no
    module-config: "validator iterator"
    local-zone: "test." nodefault
    trust-anchor-file: "$W/dns/anchors.ds"
    trust-anchor-signaling: no
remote-control:
    control-enable: no
stub-zone:
    name: "test"
    stub-addr: 127.0.0.1@$KNOT
stub-zone:
    name: "."
    stub-addr: 127.0.0.1@$KNOT
CONF
unbound -d -c "$W/dns/unbound.conf" > "$W/dns/unbound.log" 2>&1 & started $! unbound
wait_port "$UNBOUND" unbound

# ---------------------------------------------------------------- smtp-sink
# Every message is dumped (-d) into sink/cur; after each round the folder is moved aside and checked.
# -C: no XCLIENT. smtp-sink answers XCLIENT with 250 where Postfix's smtpd sends its 220 greeting,
# which Sealpost B logs as a refusal for every message; it hands the client's address on with
# XFORWARD instead, as it does to a Postfix that offers only that.
mkdir -p "$W/sink" "$W/dumps"; chown nobody "$W/sink"
smtp-sink -c -C -u nobody -d "$W/sink/cur/" "127.0.0.1:$SINK" 256 > "$W/sink.out" 2>&1 & started $! smtp-sink
wait_port "$SINK" smtp-sink

# ---------------------------------------------------------------- OpenDKIM milters
O=$W/opendkim; mkdir -p "$O"
cp "$W/keys/sel.pem" "$O/sel.private"; chown opendkim "$O/sel.private"; chmod 600 "$O/sel.private"
echo "sel._domainkey.src.test src.test:sel:$O/sel.private" > "$O/keytable"
echo "*@src.test sel._domainkey.src.test" > "$O/signingtable"
# Sealpost signs relaxed/relaxed; OpenDKIM is told to do the same (its default is simple/simple).
# RequireSafeKeys no: the key lies below /tmp, which anyone may write, and OpenDKIM refuses such a
# path with a tempfail for every message; the check says nothing about speed.
cat > "$O/sign.conf" <<CONF
Mode s
Syslog no
Background no
UserID opendkim
Socket inet:$MILTER_SIGN@127.0.0.1
PidFile $O/sign.pid
Canonicalization relaxed/relaxed
KeyTable file:$O/keytable
SigningTable refile:$O/signingtable
RequireSafeKeys no
CONF
# The verifier reads the key record from a file (TestPublicKeys), not from the lab's DNS: with
# ResolverConfiguration (libunbound forwarding to the lab's unbound, as DkimOpenDkimTest does in
# OpenDKIM's one-message test mode) the OpenDKIM 2.11 milter died under load within a hundred
# messages ("fatal flex scanner internal error--end of buffer missed", libunbound parsing that file
# again from several threads at once), and Nameservers cannot name a loopback resolver (libunbound
# does not query localhost by default, and the option takes no port). So OpenDKIM does no DNS work
# per message; Sealpost B answers from its DNS cache after the first message, which is close.
echo "sel._domainkey.src.test $record" > "$O/keys"
# InternalHosts defaults to 127.0.0.1, whose mail OpenDKIM would sign rather than verify.
cat > "$O/verify.conf" <<CONF
Mode v
Syslog no
Background no
UserID opendkim
Socket inet:$MILTER_VERIFY@127.0.0.1
PidFile $O/verify.pid
InternalHosts csl:192.0.2.1
AuthservID odb.bench.test
TestPublicKeys $O/keys
CONF
chmod 644 "$O"/*.conf "$O/keytable" "$O/signingtable" "$O/keys"
opendkim -x "$O/sign.conf" > "$O/sign.log" 2>&1 & started $! "the signing OpenDKIM"
opendkim -x "$O/verify.conf" > "$O/verify.log" 2>&1 & started $! "the verifying OpenDKIM"
wait_port "$MILTER_SIGN" "the signing OpenDKIM"
wait_port "$MILTER_VERIFY" "the verifying OpenDKIM"

# ---------------------------------------------------------------- Postfix: four private instances
postfix_instance() {  # $1 name, $2 port, $3 relayhost port, $4 role (client|server), $5 milter port or ""
    local P=$W/$1
    private_postfix "$P" "$1" "$2" "$3"
    if [ "$4" = client ]; then
        printf 'smtp_tls_security_level = encrypt\nsmtp_tls_loglevel = 1\n' >> "$P/etc/main.cf"
    else
        printf 'smtpd_tls_security_level = may\nsmtpd_tls_cert_file = %s\nsmtpd_tls_key_file = %s\nsmtpd_tls_loglevel = 1\n' \
            "$W/keys/tls-cert.pem" "$W/keys/tls-key.pem" >> "$P/etc/main.cf"
    fi
    [ -n "$5" ] && echo "smtpd_milters = inet:127.0.0.1:$5" >> "$P/etc/main.cf"
    postfixes+=("$P")
    start_private_postfix "$P"
    wait_port "$2" "Postfix $1"
}
postfix_instance pfb "$PFB" "$SINK" server ""
postfix_instance pfa "$PFA" "$PFB" client ""
postfix_instance odb "$ODB" "$SINK" server "$MILTER_VERIFY"
postfix_instance oda "$ODA" "$ODB" client "$MILTER_SIGN"

# ---------------------------------------------------------------- Sealpost A and B
dns_keys="dns_resolvers = 127.0.0.1:$UNBOUND
dnssec_trust_anchor_file = $W/dns/anchors.ds
dnssec_trust_anchor_replace_root = yes"
mkdir -p "$W/spa" "$W/spb"
cat > "$W/spb/sealpost.conf" <<CONF
hostname = spb.bench.test
queue_directory = $W/spb/queue
log_file = $W/spb/sealpost.log
tls_cert_file = $W/keys/tls-cert.pem
tls_key_file = $W/keys/tls-key.pem
listeners = mx
listener.mx.role = mx
listener.mx.address = 127.0.0.1:$SPB
local_domains = dest.test
route.dest.test = [127.0.0.1]:$SINK
$dns_keys
CONF
# encrypt: as Postfix's smtp_tls_security_level = encrypt on the first Postfix.
cat > "$W/spa/sealpost.conf" <<CONF
hostname = spa.bench.test
queue_directory = $W/spa/queue
log_file = $W/spa/sealpost.log
listeners = submission
listener.submission.role = submission
listener.submission.address = 127.0.0.1:$SPA
relayhost = [127.0.0.1]:$SPB
tls_default_level = encrypt
dkim_key.src.test = sel:$W/keys/sel.pem
$dns_keys
CONF
# Both Sealposts through the repository's launcher (its JVM defaults, packaging/jvm.options, and
# the JVM cache when there is one); $1: shell assignments for their environment (a variant, below).
# SEALPOST_TREE in them runs another checkout's build instead (its ./sealpost), to compare two builds.
start_sealposts() {
    (set -a; eval "${1:-}"; set +a; exec "${SEALPOST_TREE:-$top}/sealpost" run --config "$W/spb/sealpost.conf") >> "$W/spb/stdout.log" 2>&1 &
    SPB_PID=$!; started $SPB_PID "Sealpost B"; SPB_INDEX=$((${#pids[@]} - 1))
    (set -a; eval "${1:-}"; set +a; exec "${SEALPOST_TREE:-$top}/sealpost" run --config "$W/spa/sealpost.conf") >> "$W/spa/stdout.log" 2>&1 &
    SPA_PID=$!; started $SPA_PID "Sealpost A"; SPA_INDEX=$((${#pids[@]} - 1))
    wait_port "$SPB" "Sealpost B (see $W/spb/stdout.log)"
    wait_port "$SPA" "Sealpost A (see $W/spa/stdout.log)"
}
stop_sealposts() {  # SIGTERM, as systemd stops them; the queues are empty after settle
    kill "$SPA_PID" "$SPB_PID" 2>/dev/null; wait "$SPA_PID" "$SPB_PID" 2>/dev/null
    unset "pids[$SPA_INDEX]" "names[$SPA_INDEX]" "pids[$SPB_INDEX]" "names[$SPB_INDEX]"
    for port in "$SPA" "$SPB"; do
        for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null || break; sleep 0.1; done
    done
}
start_sealposts ""

# ---------------------------------------------------------------- checks
# The dumps of one round: prints "files tls signed verified" (messages with each property).
#   tls      : the middle hop's Received field says ESMTPS (RFC 3848: SMTP over TLS)
#   signed   : a DKIM-Signature field with d=src.test
#   verified : an Authentication-Results field of the second relay with dkim=pass header.d=src.test
dump_counts() {  # $1 folder, $2 the second relay's host name (Received "by", authserv-id)
    find "$1" -type f -print0 | xargs -0 -r awk -v hop="$2" '
        function field() {
            if (cur ~ /^Received:/ && index(cur, "by " hop " ") && cur ~ / with ESMTPS /) t = 1
            if (tolower(cur) ~ /^dkim-signature:/ && cur ~ /[; \t]d=src\.test[; \t]/) s = 1
            if (tolower(cur) ~ /^authentication-results:/ && index(cur, hop ";") \
                && cur ~ /dkim=pass/ && cur ~ /header\.d=src\.test/) v = 1
        }
        function done() { if (n) { field(); tls += t; sig += s; ver += v } }
        FNR == 1 { done(); n++; head = 1; cur = ""; t = s = v = 0 }
        { sub(/\r$/, "") }
        !head { next }
        /^$/ { field(); cur = ""; head = 0; next }
        /^[ \t]/ { cur = cur " " $0; next }
        { field(); cur = $0 }
        END { done(); printf "%d %d %d %d\n", n, tls, sig, ver }' |
        # xargs runs awk once per batch of files (2,554 names each here): add their lines up.
        awk '{ n += $1; t += $2; s += $3; v += $4 } END { printf "%d %d %d %d\n", n, t, s, v }'
}
logsize() { if [ -f "$1" ]; then wc -l < "$1"; else echo 0; fi; }
# What one round of a phase must show; any failure ends the run: a figure of an unchecked path is no figure.
check_round() {  # $1 phase, $2 round, $3 folder of dumps, $4.. log sizes before the round
    local phase=$1 r=$2 dir=$3 files tls sig ver want_sig=0 hop="" extra=""
    case $phase in
        postfix) hop=pfb.bench.test ;;
        opendkim) hop=odb.bench.test; want_sig=1 ;;
        sealpost) hop=spb.bench.test; want_sig=1 ;;
    esac
    read -r files tls sig ver <<<"$(dump_counts "$dir" "${hop:-none}")"
    [ "$files" = "$MSGS" ] || die "$phase round $r: smtp-sink dumped $files messages, not $MSGS ($dir)"
    if [ -n "$hop" ]; then
        [ "$tls" = "$MSGS" ] || die "$phase round $r: $tls of $MSGS messages crossed to $hop over TLS (Received ... with ESMTPS; $dir)"
    fi
    if [ $want_sig = 1 ]; then
        [ "$sig" = "$MSGS" ] || die "$phase round $r: $sig of $MSGS messages carry a DKIM-Signature of d=src.test ($dir)"
        [ "$ver" = "$MSGS" ] || die "$phase round $r: $ver of $MSGS messages carry $hop's Authentication-Results with dkim=pass ($dir)"
    fi
    case $phase in
        postfix|opendkim)
            local a=$W/pfa; [ "$phase" = opendkim ] && a=$W/oda
            local slice sent handshakes deferred
            slice=$(tail -n +"$(($4 + 1))" "$a/log/maillog")
            sent=$(grep -c 'postfix/smtp\[.*status=sent' <<<"$slice")
            handshakes=$(grep -c 'postfix/smtp\[.*TLS connection established to' <<<"$slice")
            deferred=$(grep -c 'status=deferred\|status=bounced' <<<"$slice")
            [ "$sent" = "$MSGS" ] || die "$phase round $r: $(basename "$a") logged $sent status=sent, not $MSGS ($a/log/maillog)"
            [ "$deferred" = 0 ] || die "$phase round $r: $(basename "$a") deferred or bounced $deferred messages ($a/log/maillog)"
            [ "$handshakes" -ge 1 ] || die "$phase round $r: $(basename "$a") logged no TLS connection ($a/log/maillog)"
            extra=", $(basename "$a"): $sent sent in $handshakes TLS sessions"
            ;;
        sealpost)
            local sa sb sent tlssent deferred passed
            sa=$(tail -n +"$(($4 + 1))" "$W/spa/sealpost.log"); sb=$(tail -n +"$(($5 + 1))" "$W/spb/sealpost.log")
            sent=$(grep -c 'status=sent' <<<"$sa")
            tlssent=$(grep 'status=sent' <<<"$sa" | grep -c 'tls=TLSv1\.[23] ')
            deferred=$(grep -c 'status=deferred\|status=bounced' <<<"$sa$sb")
            passed=$(grep -c 'dkim=pass header\.d=src\.test' <<<"$sb")
            [ "$sent" = "$MSGS" ] || die "$phase round $r: Sealpost A logged $sent status=sent, not $MSGS ($W/spa/sealpost.log)"
            [ "$tlssent" = "$MSGS" ] || die "$phase round $r: $tlssent of Sealpost A's $MSGS status=sent lines say tls=TLSv1.2 or 1.3 ($W/spa/sealpost.log)"
            [ "$deferred" = 0 ] || die "$phase round $r: Sealpost deferred or bounced $deferred messages ($W/spa/sealpost.log, $W/spb/sealpost.log)"
            [ "$passed" -ge "$MSGS" ] || die "$phase round $r: Sealpost B logged dkim=pass for $passed of $MSGS messages ($W/spb/sealpost.log)"
            extra=", A: $tlssent sent over $(grep 'status=sent' <<<"$sa" | grep -o 'tls=TLSv1\.[23] [A-Z0-9_]*' | sort | uniq -c | sort -rn | head -1 | awk '{print $2, $3}'), B: $passed dkim=pass"
            ;;
    esac
    log "    checked: $files arrived${hop:+, $tls over TLS to $hop}$([ $want_sig = 1 ] && echo ", $sig signed, $ver verified")$extra"
}

# CPU time in clock ticks: the whole machine's busy time (user, nice, system, irq, softirq, steal),
# and one process's user and system time (/proc/PID/stat fields 14 and 15).
TICKS=$(getconf CLK_TCK)
busy_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
proc_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
per_message() { awk -v t="$1" -v n="$2" -v hz="$TICKS" 'BEGIN{printf "%.2f", 1000 * t / hz / n}'; }

# smtp-sink may count a message before its dump file is complete: wait for all the files, then
# for their sizes to stop changing.
wait_dumps() {  # $1 files expected in sink/cur
    local t0=$SECONDS a b
    while [ "$(find "$W/sink/cur" -type f 2>/dev/null | wc -l)" -lt "$1" ]; do
        [ $((SECONDS - t0)) -gt 60 ] && return 0   # check_round says how many are missing
        sleep 0.2
    done
    a=$(du -sb "$W/sink/cur" | cut -f1)
    while sleep 0.5; b=$(du -sb "$W/sink/cur" | cut -f1); [ "$a" != "$b" ]; do a=$b; done
}

port_of() { case $1 in sink) echo "$SINK";; postfix) echo "$PFA";; opendkim) echo "$ODA";; sealpost) echo "$SPA";; esac; }
log_sizes() { echo "$(logsize "$W/pfa/log/maillog") $(logsize "$W/oda/log/maillog") $(logsize "$W/spa/sealpost.log") $(logsize "$W/spb/sealpost.log")"; }
settle() {  # every relay's queue empty, then a pause, so that a round starts on a quiet machine
    local t0=$SECONDS
    while [ -n "$(find "$W"/pf?/queue/{incoming,active,deferred} "$W"/od?/queue/{incoming,active,deferred} -type f -print -quit 2>/dev/null)" ]; do
        [ $((SECONDS - t0)) -gt 120 ] && die "a Postfix queue did not empty within 2 minutes"
        sleep 0.1
    done
    sleep 2
}

# One round of one phase: $1 phase, $2 round name, $3 messages; the time goes to $W/$1.times unless warm-up.
run_round() {
    local phase=$1 r=$2 n=$3 before sizes t0 t
    read -r -a sizes <<<"$(log_sizes)"
    before=$(sink_count)
    local c0 a0 b0 c1 a1 b1
    c0=$(busy_ticks); a0=$(proc_ticks "$SPA_PID"); b0=$(proc_ticks "$SPB_PID")
    t0=$EPOCHREALTIME
    smtp-source -s "$SESS" -m "$n" -l "$SIZE" -f "$FROM" -t "$TO" "127.0.0.1:$(port_of "$phase")" 2>>"$W/source.err"
    wait_count $((before + n)) "$phase round $r"
    t=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b-a}')
    c1=$(busy_ticks); a1=$(proc_ticks "$SPA_PID"); b1=$(proc_ticks "$SPB_PID")
    local cpu; cpu=$(per_message $((c1 - c0)) "$n")
    log "  $phase round $r: $n messages in $t s, $(rate "$n" "$t") msg/s, CPU $cpu ms per message (whole machine)"
    if [ "$r" != warmup ] && [ "${r#v-}" = "$r" ]; then
        echo "$cpu" >> "$W/$phase.cpu"
        if [ "$phase" = sealpost ]; then
            echo "$(per_message $((a1 - a0)) "$n")" >> "$W/spa.cpu"; echo "$(per_message $((b1 - b0)) "$n")" >> "$W/spb.cpu"
            log "    Sealpost CPU per message: A $(tail -1 "$W/spa.cpu") ms, B $(tail -1 "$W/spb.cpu") ms"
        fi
    fi
    wait_dumps "$n"
    mv "$W/sink/cur" "$W/dumps/$phase.$r" 2>/dev/null || die "$phase round $r: no dumps in $W/sink/cur"
    if [ "$r" = warmup ]; then
        echo "$t" > "$W/$phase.warmup"
        local files; files=$(find "$W/dumps/$phase.$r" -type f | wc -l)
        [ "$files" = "$n" ] || die "$phase warm-up: smtp-sink dumped $files messages, not $n"
    else
        if [ "${r#v-}" = "$r" ]; then echo "$t" >> "$W/$phase.times"; else echo "$t" >> "$W/$phase.vtimes"; fi
        local saved=$MSGS; MSGS=$n
        case $phase in
            postfix) check_round "$phase" "$r" "$W/dumps/$phase.$r" "${sizes[0]}" ;;
            opendkim) check_round "$phase" "$r" "$W/dumps/$phase.$r" "${sizes[1]}" ;;
            sealpost) check_round "$phase" "$r" "$W/dumps/$phase.$r" "${sizes[2]}" "${sizes[3]}" ;;
            *) check_round "$phase" "$r" "$W/dumps/$phase.$r" ;;
        esac
        MSGS=$saved
        # Keep the last round's dumps to look at; the others are checked and go.
        [ "${r#v-}" != "$r" ] || [ "$r" -lt "$RUNS" ] && rm -rf "$W/dumps/$phase.$r"
    fi
    settle
}

# A first message through each relay path, checked, before anything is timed: a path that does not
# work stops the run here with its reason instead of after minutes of load.
for phase in postfix opendkim sealpost; do
    before=$(sink_count)
    smtp-source -s 1 -m 1 -l "$SIZE" -f "$FROM" -t "$TO" "127.0.0.1:$(port_of "$phase")" 2>>"$W/source.err"
    t0=$SECONDS
    while [ "$(sink_count)" -lt $((before + 1)) ]; do
        [ $((SECONDS - t0)) -gt 60 ] && die "$phase: the first message did not reach smtp-sink within 60 s (logs: $W/pfa/log, $W/oda/log, $W/spa/sealpost.log, $W/spb/sealpost.log)"
        sleep 0.1
    done
    wait_dumps 1; mv "$W/sink/cur" "$W/dumps/$phase.probe"
    saved=$MSGS; MSGS=1
    case $phase in
        postfix) check_round "$phase" probe "$W/dumps/$phase.probe" 0 ;;
        opendkim) check_round "$phase" probe "$W/dumps/$phase.probe" 0 ;;
        sealpost) check_round "$phase" probe "$W/dumps/$phase.probe" 0 0 ;;
    esac
    MSGS=$saved
done
settle

# ---------------------------------------------------------------- profiler (PROFILE=folder)
# async-profiler from Maven Central, attached through the JDK's attach API (a source-file
# program: jcmd's JVMTI.agent_load cuts the agent's comma-separated options).
profiler() {  # $1 start|finish
    local lib="$W/profiler/linux-x64/libasyncProfiler.so" pid name
    for name in a b; do
        [ "$name" = a ] && pid=$SPA_PID || pid=$SPB_PID
        if [ "$1" = start ]; then
            java "$W/profiler/Attach.java" "$pid" "$lib" "start,event=cpu,interval=1ms" >/dev/null \
                || die "async-profiler did not attach to Sealpost ${name^^} (pid $pid)"
        else
            java "$W/profiler/Attach.java" "$pid" "$lib" "dump,file=$PROFILE/sealpost-$name.html,flamegraph" >/dev/null
            java "$W/profiler/Attach.java" "$pid" "$lib" "stop,file=$PROFILE/sealpost-$name.collapsed,collapsed" >/dev/null
        fi
    done
}
if [ -n "${PROFILE:-}" ]; then
    case " $PHASES " in *" sealpost "*) ;; *) die "PROFILE profiles the Sealpost path: add sealpost to PHASES";; esac
    command -v mvn >/dev/null 2>&1 || die "PROFILE needs mvn to fetch async-profiler from Maven Central"
    mkdir -p "$PROFILE" "$W/profiler" || die "cannot create $PROFILE"
    mvn -q -B -ntp dependency:copy -Dartifact=tools.profiler:async-profiler:4.2:jar:linux-x64 \
        -DoutputDirectory="$W/profiler" > "$W/profiler/mvn.log" 2>&1 \
        || die "could not fetch tools.profiler:async-profiler:4.2 (see $W/profiler/mvn.log)"
    (cd "$W/profiler" && jar xf async-profiler-4.2-linux-x64.jar) || die "could not unpack async-profiler"
    cat > "$W/profiler/Attach.java" <<'JAVA'
public class Attach {
    public static void main(String[] args) throws Exception {
        com.sun.tools.attach.VirtualMachine vm = com.sun.tools.attach.VirtualMachine.attach(args[0]);
        try {
            vm.loadAgentPath(args[1], args[2]);
        } finally {
            vm.detach();
        }
    }
}
JAVA
fi

log "warm-up: $WARMUP messages through each path"
if [ "$WARMUP" -gt 0 ]; then
    for phase in $PHASES; do run_round "$phase" warmup "$WARMUP"; done
fi
[ -n "${PROFILE:-}" ] && { profiler start; log "async-profiler attached to Sealpost A and B"; }
for r in $(seq "$RUNS"); do
    log "round $r of $RUNS: $MSGS messages of $SIZE octets over $SESS sessions through each path"
    for phase in $PHASES; do run_round "$phase" "$r" "$MSGS"; done
done

[ -n "${PROFILE:-}" ] && { profiler finish; log "profiles: $PROFILE/sealpost-a.html, $PROFILE/sealpost-b.html (and .collapsed)"; }

# ---------------------------------------------------------------- JVM variants: the first messages after a start
# VARIANTS names a file of lines "label<TAB>shell assignments" (e.g. "c1	SEALPOST_JAVA_OPTS=-XX:TieredStopAtLevel=1",
# "jdk25	JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"; an empty second field is the defaults). For
# each: both Sealposts restarted so, then WARMUP messages through Postfix (the reference, in the same
# turn), WARMUP through Sealpost (the first after the start), MSGS more through Sealpost; all checked.
variant_rate() { rate "$2" "$(tail -1 "$W/$1.vtimes")"; }
if [ -n "${VARIANTS:-}" ]; then
    [ -r "$VARIANTS" ] || die "VARIANTS: cannot read $VARIANTS"
    [ "$WARMUP" -ge 1 ] || die "VARIANTS needs WARMUP of at least 1"
    : > "$W/variants.tsv"
    while IFS=$'\t' read -r label assign <&4; do
        case $label in ''|'#'*) continue ;; esac
        log "variant $label: ${assign:-the defaults of the launcher}"
        stop_sealposts
        said=$(logsize "$W/spa/stdout.log")
        start_sealposts "$assign"
        run_round postfix "v-$label" "$WARMUP"
        pw=$(variant_rate postfix "$WARMUP")
        a0=$(proc_ticks "$SPA_PID"); b0=$(proc_ticks "$SPB_PID")
        run_round sealpost "v-$label-first" "$WARMUP"
        sw=$(variant_rate sealpost "$WARMUP")
        run_round sealpost "v-$label-next" "$MSGS"
        sn=$(variant_rate sealpost "$MSGS")
        a1=$(proc_ticks "$SPA_PID"); b1=$(proc_ticks "$SPB_PID")
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$pw" "$sw" "$sn" \
            "$(per_message $((a1 - a0)) $((WARMUP + MSGS)))" "$(per_message $((b1 - b0)) $((WARMUP + MSGS)))" \
            "$(hwm "$SPA_PID")" "$(hwm "$SPB_PID")" "${assign:--}" >> "$W/variants.tsv"
        tail -n +"$((said + 1))" "$W/spa/stdout.log" | grep -h 'sealpost: \|\[warning\]\|\[error' | sed 's/^/    A says: /' >&2
    done 4< "$VARIANTS"
fi

# ---------------------------------------------------------------- one large message
# BIG_MIB: a message with a base64 attachment of that size through A and B, checked, and both relays'
# VmHWM after it (the memory goal: under 600 MiB while a 45 MiB message passes through both hops).
if [ "$BIG_MIB" -gt 0 ]; then
    hwm_before="A $(hwm "$SPA_PID"), B $(hwm "$SPB_PID")"
    sizes=($(log_sizes)); before=$(sink_count)
    python3 - "$BIG_MIB" "$SPA" "$FROM" "$TO" > "$W/big.out" 2>&1 <<'PY' || die "the large message: $(tail -3 "$W/big.out")"
import base64, os, smtplib, sys
mib, port, sender, rcpt = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
raw = os.urandom(mib * 1024 * 1024 * 3 // 4)  # base64 makes it mib MiB
b64 = base64.encodebytes(raw).replace(b"\n", b"\r\n")
head = (f"From: <{sender}>\r\nTo: <{rcpt}>\r\nSubject: large\r\nMessage-ID: <big@src.test>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        "Content-Type: text/plain\r\n\r\nAttached.\r\n--b\r\nContent-Type: application/octet-stream\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n").encode()
message = head + b64 + b"--b--\r\n"
with smtplib.SMTP("127.0.0.1", port, timeout=300) as smtp:
    smtp.sendmail(sender, [rcpt], message)
print(len(message) - message.count(b"\r\n"))  # as smtp-sink dumps it: LF line ends
PY
    wait_count $((before + 1)) "the large message"
    wait_dumps 1; mv "$W/sink/cur" "$W/dumps/big"
    big_sent=$(tail -1 "$W/big.out")
    read -r files tls sig ver <<<"$(dump_counts "$W/dumps/big" spb.bench.test)"
    big_got=$(find "$W/dumps/big" -type f -printf '%s\n' | head -1)
    [ "$files" = 1 ] && [ "$tls" = 1 ] && [ "$sig" = 1 ] && [ "$ver" = 1 ] \
        || die "the large message: $files arrived, $tls over TLS, $sig signed, $ver verified ($W/dumps/big)"
    # smtp-sink's dump adds its own trace lines; the hops add Received, DKIM-Signature and Authentication-Results.
    [ "$big_got" -gt "$big_sent" ] && [ "$big_got" -lt $((big_sent + 64 * 1024)) ] \
        || die "the large message: sent $big_sent octets (with LF line ends), the dump has $big_got"
    log "large message: $big_sent octets sent, $big_got dumped, over TLS, signed, dkim=pass; VmHWM before $hwm_before, after A $(hwm "$SPA_PID"), B $(hwm "$SPB_PID")"
fi

# ---------------------------------------------------------------- report
declare -A med
echo
echo "Two-hop benchmark $(date -u +%FT%TZ): $(nproc) CPUs, $MSGS messages of $SIZE octets, $SESS sessions, $RUNS alternating rounds after a warm-up of $WARMUP"
echo "postfix $(postconf -d -h mail_version 2>/dev/null), $(opendkim -V 2>/dev/null | head -1), $("${JAVA:-java}" -version 2>&1 | head -1), load before the report: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
[ "$RUNS" -ge 1 ] && {
header="| path |"; rule="|---|"
for r in $(seq "$RUNS"); do header="$header round $r |"; rule="$rule---|"; done
echo "$header median msg/s | warm-up msg/s | CPU ms/msg |"; echo "$rule---|---|---|"
for phase in $PHASES; do
    [ -f "$W/$phase.times" ] || continue
    case $phase in
        sink) name="smtp-source → smtp-sink (the ceiling)" ;;
        postfix) name="Postfix → STARTTLS → Postfix" ;;
        opendkim) name="Postfix + OpenDKIM (sign) → STARTTLS → Postfix + OpenDKIM (verify)" ;;
        sealpost) name="Sealpost A (sign) → STARTTLS → Sealpost B (verify, checks)" ;;
    esac
    line="| $name |"
    while read -r t; do line="$line $(rate "$MSGS" "$t") |"; done < "$W/$phase.times"
    med[$phase]=$(median < "$W/$phase.times")
    w="-"; [ -f "$W/$phase.warmup" ] && w=$(rate "$WARMUP" "$(cat "$W/$phase.warmup")")
    echo "$line $(rate "$MSGS" "${med[$phase]}") | $w | $(median < "$W/$phase.cpu") |"
done
}
[ -n "${med[sealpost]:-}" ] && awk -v p="${med[postfix]:-0}" -v o="${med[opendkim]:-0}" -v s="${med[sealpost]}" \
    'BEGIN{printf "\nSealpost / Postfix = %.2f (goal 4)", p/s; if (o) printf ", Sealpost / Postfix+OpenDKIM = %.2f (goal 6)", o/s; print ""}'
[ -f "$W/spa.cpu" ] && echo "CPU ms/msg: the busy time of both cores per message (every process on the machine: relays, smtp-source, smtp-sink, DNS, and anything else running), median of the rounds; Sealpost's own: A $(median < "$W/spa.cpu") ms, B $(median < "$W/spb.cpu") ms per message"
echo "Resident memory at the end: Sealpost A VmHWM $(hwm "$SPA_PID") (VmRSS $(rss "$SPA_PID")), Sealpost B VmHWM $(hwm "$SPB_PID") (VmRSS $(rss "$SPB_PID"))"
if [ -s "${W}/variants.tsv" ]; then
    echo
    echo "JVM variants, each after a restart of both Sealposts: Postfix's $WARMUP in the same turn, Sealpost's first $WARMUP after the start, then $MSGS more"
    echo "| variant | Postfix msg/s | Sealpost first $WARMUP msg/s | Sealpost next $MSGS msg/s | CPU ms/msg A, B | VmHWM A, B | settings |"
    echo "|---|---|---|---|---|---|---|"
    while IFS=$'\t' read -r label pw sw sn ca cb ha hb assign; do
        echo "| $label | $pw | $sw | $sn | $ca, $cb | $ha, $hb | \`$assign\` |"
    done < "$W/variants.tsv"
fi
# With native memory tracking on: what each relay's memory is made of, now.
case " ${SEALPOST_JAVA_OPTS:-} " in *NativeMemoryTracking=*)
    for who in spa spb; do
        pid=$SPA_PID; [ $who = spb ] && pid=$SPB_PID
        jcmd "$pid" VM.native_memory summary > "$W/$who.nmt" 2>&1
        jcmd "$pid" GC.heap_info > "$W/$who.heap" 2>&1
        echo "$who native memory (committed, KiB): $(grep -E '^-|^ *- ' "$W/$who.nmt" | sed -n 's/^[ -]*\([A-Za-z ]*[A-Za-z]\) *(reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1=\2/p' | paste -sd' ')"
    done
esac
echo "Checked: every message of every round arrived; every relayed one crossed the middle hop over TLS; every one of the DKIM paths signed by d=src.test and verified dkim=pass by the second relay."
echo "smtp-source errors: $(wc -l < "$W/source.err"); logs and the last round's dumps: $W"
