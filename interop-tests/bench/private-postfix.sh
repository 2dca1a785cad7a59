# Sourced by the benchmarks: a private Postfix instance on loopback that relays to a relayhost.
#
#   private_postfix DIR NAME PORT RELAYPORT   writes DIR/etc/main.cf and master.cf: smtpd on
#       127.0.0.1:PORT, relayhost [127.0.0.1]:RELAYPORT, Postfix defaults otherwise, the log in
#       DIR/log/maillog; the caller appends its own main.cf lines, then runs start_private_postfix.
#   start_private_postfix DIR                 postfix check, then postfix start (dies on failure).
# The caller defines die() and stops the instance with `postfix -c DIR/etc stop`.

private_postfix() {
    local P=$1
    mkdir -p "$P/etc" "$P/log" "$P/queue"
    cat > "$P/etc/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $P/queue
data_directory = $P/data
mail_owner = postfix
setgid_group = postdrop
myhostname = $2.bench.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject_unauth_destination
relayhost = [127.0.0.1]:$4
maillog_file = $P/log/maillog
maillog_file_prefixes = $(dirname "$P")
CONF
    cat > "$P/etc/master.cf" <<CONF
127.0.0.1:$3 inet n - n - - smtpd
cleanup unix n - n - 0 cleanup
qmgr unix n - n 300 1 qmgr
tlsmgr unix - - n 1000? 1 tlsmgr
rewrite unix - - n - - trivial-rewrite
bounce unix - - n - 0 bounce
defer unix - - n - 0 bounce
trace unix - - n - 0 bounce
flush unix n - n 1000? 0 flush
error unix - - n - - error
retry unix - - n - - error
anvil unix - - n - 1 anvil
scache unix - - n - 1 scache
smtp unix - - n - - smtp
relay unix - - n - - smtp
postlog unix-dgram n - n - 1 postlogd
CONF
}

start_private_postfix() {
    postfix -c "$1/etc" check > "$1/check.log" 2>&1 || die "postfix check of $1 failed: $1/check.log"
    postfix -c "$1/etc" start > "$1/start.log" 2>&1 || die "postfix start of $1 failed: $1/start.log"
}
