package org.sealpost.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

/**
 * The engine this test run speaks TLS with, as InstalledForTests left it: BoringSSL where it loads
 * in the default run, the JDK's in the run with -Dsealpost.tls=jdk. A run that silently stayed on one
 * engine fails here. Nothing here changes the choice.
 */
class TlsEngineOfThisRunTest {

    /** The run's own setting: unset in the default run, jdk in the second surefire run. */
    private static final String RUN = System.getProperty(TlsEngines.PROPERTY);

    private static boolean boringSslExpected() {
        return !"jdk".equals(RUN) && TlsEngines.unavailabilityCause() == null;
    }

    @Test
    void thisRun_makesItsEnginesWithBoringSslWhereItLoads_andWithTheJdksUnderJdk() throws Exception {
        // CI's machines load it: a default run on the JDK's engine would test only one of the two.
        if (System.getenv("CI") != null && !"jdk".equals(RUN)) {
            assertEquals(null, TlsEngines.unavailabilityCause(), "BoringSSL must load on CI");
        }
        SslContext client = TlsEngines.current().configure(SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)).build();
        String engine = client.newEngine(ByteBufAllocator.DEFAULT).getClass().getName();
        assertEquals(boringSslExpected() ? "io.netty.handler.ssl.OpenSslEngine" : "sun.security.ssl.SSLEngineImpl", engine);
        assertEquals(boringSslExpected(), TlsEngines.current().boringSsl());
    }
}
