package org.sealpost.keyexchange.mtasts;

/** Why no policy could be fetched, by its RFC 8460 4.3.2 result type, for TLS-RPT. */
public enum StsFailure {
    /** The policy host could not be resolved or reached, answered with a status other than 200, or redirected. */
    POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** The body was not a valid policy: wrong content type, too large, or failing the RFC 8461 3.2 grammar. */
    POLICY_INVALID("sts-policy-invalid"),
    /** The policy host's certificate did not validate to a trusted authority for the name mta-sts.DOMAIN. */
    WEBPKI_INVALID("sts-webpki-invalid");

    private final String resultType;

    StsFailure(String resultType) {
        this.resultType = resultType;
    }

    /** The result type as a TLS-RPT report names it. */
    public String resultType() {
        return resultType;
    }
}
