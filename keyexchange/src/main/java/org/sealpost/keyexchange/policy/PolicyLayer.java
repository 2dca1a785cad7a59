package org.sealpost.keyexchange.policy;

/**
 * A policy that works per MX host around whatever the sources decided for the domain: it may
 * raise the level and check the session further, never weaken what it wraps. The XKEYS pin is
 * one (it sits below DANE and MTA-STS: it decides only where they did not).
 */
public interface PolicyLayer {

    HopPolicy around(String domain, HopPolicy decided);
}
