package org.sealpost.dnssec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The DNSSEC trust anchors: the IANA root keys built in (KSK-2017 and KSK-2024, as DS records
 * from https://data.iana.org/root-anchors/root-anchors.xml), plus or instead of anchors from a
 * file of DS or DNSKEY lines in zone-file form.
 */
public final class TrustAnchors {

    /** The root zone's key-signing keys: KSK-2017 (tag 20326) and KSK-2024 (tag 38696). */
    static final String ROOT = """
            . IN DS 20326 8 2 E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D
            . IN DS 38696 8 2 683D2D0ACB8C9B712A1948B27F741219298D0A450D612C483AF444A4C0FB2B16
            """;

    private final String text;

    private TrustAnchors(String text) {
        this.text = text;
    }

    /** The root anchors alone: right for validation through the public DNS. */
    public static TrustAnchors root() {
        return new TrustAnchors(ROOT);
    }

    /**
     * Anchors from a file of DS or DNSKEY lines; with {@code replaceRoot} they are the only ones,
     * otherwise they are added to the root's (for islands of trust, or private test zones).
     */
    public static TrustAnchors fromFile(Path file, boolean replaceRoot) throws IOException {
        String lines = Files.readString(file, StandardCharsets.UTF_8);
        return new TrustAnchors(replaceRoot ? lines : ROOT + lines);
    }

    /** Anchors given as DS or DNSKEY lines, and no others. */
    public static TrustAnchors of(String lines) {
        return new TrustAnchors(lines);
    }

    String text() {
        return text;
    }
}
