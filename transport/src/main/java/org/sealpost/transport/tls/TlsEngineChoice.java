package org.sealpost.transport.tls;

import java.util.Locale;

/** The tls_engine setting: which TLS engine the listeners and the SMTP client use. */
public enum TlsEngineChoice {
    /** BoringSSL (netty-tcnative) where its native library loads, the JDK's SSLEngine otherwise. */
    AUTO,
    /** BoringSSL, or a start-up failure that says why it did not load. */
    OPENSSL,
    /** The JDK's SSLEngine; BoringSSL is never used. */
    JDK;

    /** The setting's value as written in the configuration: auto, openssl or jdk. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The choice named {@code value} (any case), or null. */
    public static TlsEngineChoice of(String value) {
        for (TlsEngineChoice choice : values()) {
            if (choice.value().equalsIgnoreCase(value.strip())) {
                return choice;
            }
        }
        return null;
    }
}
