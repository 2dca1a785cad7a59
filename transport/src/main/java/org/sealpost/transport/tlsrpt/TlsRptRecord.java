package org.sealpost.transport.tlsrpt;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A domain's reporting policy, the TXT record at {@code _smtp._tls.DOMAIN} (RFC 8460 3):
 * {@code v=TLSRPTv1; rua=mailto:tlsrpt@example.net,https://reports.example.net/tlsrpt}.
 *
 * @param rua where reports go: mailto: and https: URIs, in the order published
 */
public record TlsRptRecord(List<URI> rua) {

    private static final String VERSION = "v=TLSRPTv1";

    public TlsRptRecord {
        rua = List.copyOf(rua);
    }

    /**
     * The policy among the TXT records found, or empty when there is none to follow. RFC 8460 3:
     * records that do not begin with "v=TLSRPTv1;" are discarded, and unless exactly one remains the
     * domain does not take reports; a record without a usable rua takes none either.
     */
    public static Optional<TlsRptRecord> select(List<String> txtRecords) {
        List<String> ours = txtRecords.stream().filter(TlsRptRecord::isVersion1).toList();
        return ours.size() == 1 ? parse(ours.get(0)) : Optional.empty();
    }

    private static boolean isVersion1(String txt) {
        // RFC 8460 3: "v=TLSRPTv1" then the field delimiter, *WSP ";" *WSP
        return txt.startsWith(VERSION) && txt.substring(VERSION.length()).stripLeading().startsWith(";");
    }

    /**
     * One record, or empty when it breaks the grammar of RFC 8460 3: the version first, then
     * fields separated by ";", exactly one rua= with comma-separated URIs; unknown extension fields
     * (name=value) are ignored. URIs other than mailto: and https: are skipped (only those two are
     * defined); a record left with none is not followed.
     */
    static Optional<TlsRptRecord> parse(String txt) {
        if (!isVersion1(txt)) {
            return Optional.empty();
        }
        String[] fields = txt.split(";", -1);
        List<URI> rua = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty()) {
                if (i == fields.length - 1) {
                    continue; // RFC 8460 3: a trailing delimiter is allowed
                }
                return Optional.empty();
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                return Optional.empty();
            }
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,31}")) {
                return Optional.empty(); // RFC 8460 3: ext-name
            }
            if (!name.equals("rua")) {
                continue; // an extension: RFC 8460 3 says to ignore the ones not understood
            }
            if (rua != null) {
                return Optional.empty(); // one rua field, no more
            }
            rua = new ArrayList<>();
            for (String item : value.split(",", -1)) {
                Optional<URI> uri = uri(item.strip());
                if (uri.isEmpty() && item.strip().isEmpty()) {
                    return Optional.empty();
                }
                uri.ifPresent(rua::add);
            }
        }
        return rua == null || rua.isEmpty() ? Optional.empty() : Optional.of(new TlsRptRecord(rua));
    }

    /** A mailto: with one address or an https: URL with a host; others are not used. */
    private static Optional<URI> uri(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (scheme.equals("mailto") && address(uri).matches("[^@,\\s]+@[^@,\\s]+")) {
                return Optional.of(uri);
            }
            if (scheme.equals("https") && uri.getHost() != null) {
                return Optional.of(uri);
            }
        } catch (URISyntaxException e) {
            // not a URI: skipped
        }
        return Optional.empty();
    }

    /** The mail addresses among the rua URIs. */
    public List<String> mailto() {
        return rua.stream().filter(u -> u.getScheme().equalsIgnoreCase("mailto")).map(TlsRptRecord::address).toList();
    }

    /** The address of a mailto: URI, without the header fields it may carry (RFC 6068 2). */
    private static String address(URI mailto) {
        String part = mailto.getSchemeSpecificPart();
        int query = part.indexOf('?');
        return query < 0 ? part : part.substring(0, query);
    }

    /** The https URLs among the rua URIs. */
    public List<URI> https() {
        return rua.stream().filter(u -> u.getScheme().equalsIgnoreCase("https")).toList();
    }
}
