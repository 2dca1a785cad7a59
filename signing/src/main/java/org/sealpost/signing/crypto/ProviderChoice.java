package org.sealpost.signing.crypto;

import java.util.Locale;

/** The crypto_provider setting: which JCA providers sign, verify and encrypt. */
public enum ProviderChoice {
    /** The Amazon Corretto Crypto Provider when its native library loads, the JDK's providers otherwise. */
    AUTO,
    /** The Amazon Corretto Crypto Provider, or a start-up failure that says why it did not load. */
    ACCP,
    /** The JDK's providers; the Amazon Corretto Crypto Provider is never installed. */
    JDK;

    /** The setting's value as written in the configuration: auto, accp or jdk. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code value} (any case), or null. */
    public static ProviderChoice of(String value) {
        for (ProviderChoice choice : values()) {
            if (choice.value().equalsIgnoreCase(value.strip())) {
                return choice;
            }
        }
        return null;
    }
}
