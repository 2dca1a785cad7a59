package org.sealpost.transport.smtp.server;

/** Checks SASL PLAIN and LOGIN credentials. May take milliseconds (password hashing). */
public interface Authenticator {

    boolean authenticate(String user, String password);
}
