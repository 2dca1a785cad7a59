#!/bin/sh
# Installs the real programs Sealpost's tests talk to (Debian 12). Run as root.
# Nothing is started or enabled: the tests run private instances on loopback.
set -eu
packages="postfix swaks knot knot-dnsutils ldnsutils unbound python3-dkim python3-authres python3-spf
python3-aiosmtpd opendkim opendkim-tools opendmarc libnet-ssleay-perl iproute2 openssl
systemd python3-prometheus-client"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-peers: all test peers are installed"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "install-peers: missing:$missing; run this script as root (sudo $0)" >&2
    exit 1
fi
echo "install-peers: installing$missing"
apt-get update -q
# Postfix asks how to configure the system instance: it stays unconfigured and stopped.
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
