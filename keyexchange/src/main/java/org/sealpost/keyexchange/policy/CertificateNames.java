package org.sealpost.keyexchange.policy;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** The DNS names a certificate is for, and how a name matches a reference identifier (RFC 6125). */
public final class CertificateNames {

    private CertificateNames() {
    }

    /** DNS names of the subjectAltName; the subject CN only when there are none (as RFC 6125 allows). */
    public static List<String> of(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(2).equals(alternative.get(0))) {
                        names.add(String.valueOf(alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return names;
        }
        if (names.isEmpty()) {
            try {
                for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                    if (rdn.getType().equalsIgnoreCase("CN")) {
                        names.add(String.valueOf(rdn.getValue()));
                    }
                }
            } catch (InvalidNameException e) {
                return names;
            }
        }
        return names;
    }

    /** Exact match, or a wildcard for exactly the left-most label (RFC 6125 6.4.3). */
    public static boolean matches(String presented, String reference) {
        String name = presented.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        String wanted = reference.toLowerCase(Locale.ROOT).replaceAll("\\.$", "");
        if (name.startsWith("*.")) {
            int dot = wanted.indexOf('.');
            return dot > 0 && wanted.substring(dot + 1).equals(name.substring(2));
        }
        return name.equals(wanted);
    }

}
