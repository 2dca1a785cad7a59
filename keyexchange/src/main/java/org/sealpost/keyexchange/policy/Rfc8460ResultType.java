package org.sealpost.keyexchange.policy;

/**
 * The result types of RFC 8460 section 4.3, as a TLS-RPT report names a failed session: every
 * policy failure says which one it is, so that reports need no guessing from the reason text.
 */
public enum Rfc8460ResultType {
    /** 4.3.1: the receiving host does not offer STARTTLS (or offered it and failed to start it). */
    STARTTLS_NOT_SUPPORTED("starttls-not-supported"),
    /** 4.3.1: the certificate does not name the host or domain the policy asks for. */
    CERTIFICATE_HOST_MISMATCH("certificate-host-mismatch"),
    /** 4.3.1: the certificate has expired. */
    CERTIFICATE_EXPIRED("certificate-expired"),
    /** 4.3.1: the chain does not lead to a trusted authority. */
    CERTIFICATE_NOT_TRUSTED("certificate-not-trusted"),
    /** 4.3.1: any other failure to validate the session (a key pin violated, for one). */
    VALIDATION_FAILURE("validation-failure"),
    /** 4.3.2: none of the TLSA records matches what the host presented. */
    TLSA_INVALID("tlsa-invalid"),
    /** 4.3.2: the resolver gave no validated answer (BOGUS, or a failed lookup). */
    DNSSEC_INVALID("dnssec-invalid"),
    /** 4.3.2: DANE is required (dane-only) but the host has no DNSSEC-validated TLSA records. */
    DANE_REQUIRED("dane-required"),
    /** 4.3.3: the MTA-STS policy could not be fetched. */
    STS_POLICY_FETCH_ERROR("sts-policy-fetch-error"),
    /** 4.3.3: the MTA-STS policy was fetched but does not parse or is not valid. */
    STS_POLICY_INVALID("sts-policy-invalid"),
    /** 4.3.3: the certificate of the MTA-STS policy host does not validate. */
    STS_WEBPKI_INVALID("sts-webpki-invalid");

    private final String wireName;

    Rfc8460ResultType(String wireName) {
        this.wireName = wireName;
    }

    /** The "result-type" string of the report's JSON. */
    public String wireName() {
        return wireName;
    }
}
