package org.sealpost.signing.spf;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** The forms of an IP address that SPF uses: literals, CIDR matching, the reverse name, the macro forms. */
final class Addresses {

    /** RFC 7208 4.6.1 ip4-network: dotted quad, each dec-octet without leading zeros. */
    private static final Pattern IP4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    private static final Pattern IP6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private Addresses() {
    }

    /** An IPv4 literal, or null. Never asks DNS. */
    static InetAddress ip4(String text) {
        if (!IP4.matcher(text).matches()) {
            return null;
        }
        String[] octets = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(octets[i]);
        }
        return byAddress(bytes);
    }

    /** An IPv6 literal (RFC 4291 2.2), or null. Never asks DNS: only a text with a colon is parsed. */
    static InetAddress ip6(String text) {
        if (!text.contains(":") || !IP6.matcher(text).matches()) {
            return null;
        }
        try {
            InetAddress address = InetAddress.getByName(text);
            // Java turns ::ffff:a.b.c.d into an IPv4 address; as an ip6 network it stays IPv6.
            if (address instanceof Inet4Address) {
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, -1);
            }
            return address;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** RFC 7208 5: an IPv4-mapped IPv6 client (::ffff:a.b.c.d) is evaluated as the IPv4 client it is. */
    static InetAddress client(InetAddress ip) {
        byte[] bytes = ip.getAddress();
        if (bytes.length == 16) {
            for (int i = 0; i < 10; i++) {
                if (bytes[i] != 0) {
                    return ip;
                }
            }
            if (bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff) {
                return byAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
            }
        }
        return ip;
    }

    /** Whether the first {@code prefix} bits of two addresses of the same family agree. */
    static boolean inNetwork(InetAddress ip, InetAddress network, int prefix) {
        byte[] a = ip.getAddress();
        byte[] b = network.getAddress();
        if (a.length != b.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((a[bit / 8] & mask) != (b[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The name that holds the PTR records of an address (RFC 1035 3.5, RFC 3596 2.5). */
    static String reverseName(InetAddress ip) {
        return reverseDotted(ip) + (ip instanceof Inet4Address ? ".in-addr.arpa" : ".ip6.arpa");
    }

    /**
     * %{i}: dotted quad for IPv4, 32 dot-separated nibbles for IPv6 (RFC 7208 7.3), upper case as
     * the openspf suite and pyspf write them (DNS ignores the case).
     */
    static String dotted(InetAddress ip) {
        return dotted(ip, true);
    }

    private static String dotted(InetAddress ip, boolean upper) {
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        StringBuilder out = new StringBuilder();
        for (byte b : ip.getAddress()) {
            out.append(Character.forDigit((b >> 4) & 0xf, 16)).append('.').append(Character.forDigit(b & 0xf, 16)).append('.');
        }
        String nibbles = out.substring(0, out.length() - 1);
        return upper ? nibbles.toUpperCase(java.util.Locale.ROOT) : nibbles;
    }

    private static String reverseDotted(InetAddress ip) {
        String[] parts = dotted(ip, false).split("\\.");
        StringBuilder out = new StringBuilder();
        for (int i = parts.length - 1; i >= 0; i--) {
            out.append(parts[i]).append(i > 0 ? "." : "");
        }
        return out.toString();
    }

    /** %{c}: the address as people write it; IPv6 in RFC 5952 form (longest run of zero groups as ::). */
    static String readable(InetAddress ip) {
        if (ip instanceof Inet4Address) {
            return ip.getHostAddress();
        }
        byte[] b = ip.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
