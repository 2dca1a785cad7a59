package org.sealpost.signing.arc;

/** The chain validation status of RFC 8617 4.4, as written in cv= and in "arc=" of Authentication-Results. */
public enum ArcStatus {
    NONE,
    PASS,
    FAIL;

    /** The cv= and arc= value. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static ArcStatus byTag(String tag) {
        for (ArcStatus s : values()) {
            if (s.tag().equalsIgnoreCase(tag)) {
                return s;
            }
        }
        return null;
    }
}
