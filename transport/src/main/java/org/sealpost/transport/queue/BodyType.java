package org.sealpost.transport.queue;

/** The BODY parameter of MAIL FROM (RFC 6152 for 8BITMIME). */
public enum BodyType {
    SEVEN_BIT("7BIT"),
    EIGHT_BIT_MIME("8BITMIME");

    private final String keyword;

    BodyType(String keyword) {
        this.keyword = keyword;
    }

    /** The parameter value as written on the wire. */
    public String keyword() {
        return keyword;
    }

    /** The body type for a BODY= value, or null when it is not one Sealpost accepts. */
    public static BodyType fromKeyword(String value) {
        for (BodyType type : values()) {
            if (type.keyword.equalsIgnoreCase(value)) {
                return type;
            }
        }
        return null;
    }
}
