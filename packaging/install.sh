#!/bin/sh
# Installs a built Sealpost (`mvn -q -B -ntp package -DskipTests` first) where a Debian package puts it:
#   /usr/share/sealpost/            sealpost.jar, lib/ and jvm.options (the JVM options the command passes)
#   /usr/bin/sealpost               the command
#   /lib/systemd/system/            sealpost.service
#   /usr/lib/sysusers.d/, tmpfiles.d/  the sealpost user, /var/spool/sealpost and /etc/sealpost
#   /usr/share/doc/sealpost/        the documents
# DESTDIR=/some/root installs below that folder instead (for building a package, and for the tests).
# Installed into the running system (no DESTDIR, as root), it also makes the user and the folders;
# it never writes /etc/sealpost/sealpost.conf and never starts the service; it trains the JVM cache
# (/var/cache/sealpost, `sealpost jvm-cache`, about a minute) unless SEALPOST_JVM_CACHE=off.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
root=${DESTDIR:-}
jar="$here/transport/target/sealpost.jar"
if [ ! -f "$jar" ]; then
    echo "install.sh: $jar is missing; build it first with: mvn -q -B -ntp package -DskipTests" >&2
    exit 2
fi
if [ -z "$root" ] && [ "$(id -u)" != 0 ]; then
    echo "install.sh: installing into the system needs root; or set DESTDIR to install below a folder" >&2
    exit 1
fi
install -d -m 0755 "$root/usr/share/sealpost/lib" "$root/usr/bin" "$root/lib/systemd/system" \
    "$root/usr/lib/sysusers.d" "$root/usr/lib/tmpfiles.d" "$root/usr/share/doc/sealpost"
install -m 0644 "$jar" "$root/usr/share/sealpost/sealpost.jar"
rm -f "$root"/usr/share/sealpost/lib/*.jar
install -m 0644 "$here"/transport/target/lib/*.jar "$root/usr/share/sealpost/lib/"
install -m 0644 "$here/packaging/jvm.options" "$root/usr/share/sealpost/jvm.options"
install -m 0755 "$here/packaging/sealpost" "$root/usr/bin/sealpost"
install -m 0644 "$here/packaging/systemd/sealpost.service" "$root/lib/systemd/system/sealpost.service"
install -m 0644 "$here/packaging/systemd/sysusers.conf" "$root/usr/lib/sysusers.d/sealpost.conf"
install -m 0644 "$here/packaging/systemd/tmpfiles.conf" "$root/usr/lib/tmpfiles.d/sealpost.conf"
install -m 0644 "$here"/README.md "$here"/docs/*.md "$root/usr/share/doc/sealpost/"
if [ -z "$root" ]; then
    if command -v systemd-sysusers >/dev/null 2>&1; then
        systemd-sysusers sealpost.conf
        systemd-tmpfiles --create sealpost.conf
    else
        id sealpost >/dev/null 2>&1 || useradd --system --home-dir /var/spool/sealpost --shell /usr/sbin/nologin sealpost
        install -d -o sealpost -g sealpost -m 0700 /var/spool/sealpost
        install -d -o root -g sealpost -m 0750 /etc/sealpost
    fi
    command -v systemctl >/dev/null 2>&1 && systemctl daemon-reload 2>/dev/null || true
    # The first messages after each start go faster with the cache; the relay starts without it too.
    if [ "${SEALPOST_JVM_CACHE:-on}" != off ]; then
        /usr/bin/sealpost jvm-cache || echo "install.sh: no JVM cache; the relay starts without it (retry: sealpost jvm-cache)"
    fi
    echo "install.sh: installed; write /etc/sealpost/sealpost.conf (docs/configuration.md), check it with"
    echo "  sealpost config check --config /etc/sealpost/sealpost.conf"
    echo "then: systemctl enable --now sealpost"
fi
