package org.sealpost.signing.dmarc;

/** psd= (RFC 9989 4.7): whether the record's domain is a Public Suffix Domain. */
public enum Psd {
    /** psd=y: a PSD; the Organizational Domain is the name one label below it. */
    YES,
    /** psd=n: not a PSD, and the Organizational Domain of itself and its subdomains. */
    NO,
    /** psd=u, the default: the tree walk decides. */
    UNKNOWN
}
