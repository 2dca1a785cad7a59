package org.sealpost.transport.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.sealpost.signing.dkim.SigningKey;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.tlsrpt.ReportSettings;
import org.sealpost.transport.tlsrpt.TlsReporting;

/**
 * Who sends the TLS reports and how, from the configuration (docs/tlsrpt.md): the same for the
 * relay's daily round and for `sealpost tlsrpt flush` on a stopped relay.
 */
public final class TlsRptSettings {

    private TlsRptSettings() {
    }

    /**
     * tlsrpt_from, tlsrpt_organization and tlsrpt_contact, with the DKIM keys of tlsrpt_from's domain
     * (dkim_key.DOMAIN, RFC 8460 5.3: the mailed reports are signed) and the authorities the https
     * POSTs trust (tls_ca_file, or the JDK's cacerts). An exception says which key's file failed.
     */
    public static ReportSettings of(Config config) throws IOException {
        Config.TlsRpt tlsrpt = config.tlsrpt().orElseThrow();
        List<SigningKey> keys = new ArrayList<>();
        for (Config.DkimKey key : config.dkim().domainKeys().getOrDefault(tlsrpt.domain(), List.of())) {
            try {
                keys.add(SigningKey.fromPem(tlsrpt.domain(), key.selector(),
                        Files.readString(key.file(), StandardCharsets.US_ASCII)));
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new IOException("dkim_key." + tlsrpt.domain() + ": cannot read " + key.file() + " ("
                        + e.getMessage() + "); the TLS reports are signed with it", e);
            }
        }
        SSLContext tls;
        try {
            tls = TlsReporting.trusting(config.tlsCaFile().orElse(null));
        } catch (IOException | GeneralSecurityException e) {
            throw new IOException("tls_ca_file " + config.tlsCaFile().orElse(null) + ": cannot load the certificate "
                    + "authorities (" + e.getMessage() + "); expected PEM certificates", e);
        }
        return new ReportSettings(tlsrpt.from(), tlsrpt.organization(), tlsrpt.contact(), config.hostname(), keys, tls);
    }
}
