/**
 * Which TLS engine the listeners and the SMTP client use: {@link org.sealpost.transport.tls.TlsEngines#install}
 * with a {@link org.sealpost.transport.tls.TlsEngineChoice} (the tls_engine key) picks BoringSSL
 * (netty-tcnative) or the JDK's SSLEngine, and says which, with the groups it offers, in a
 * {@link org.sealpost.transport.tls.TlsEngine}.
 */
package org.sealpost.transport.tls;
