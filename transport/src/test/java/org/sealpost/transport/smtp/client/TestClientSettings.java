package org.sealpost.transport.smtp.client;

import java.time.Duration;
import java.util.Map;

/** The client settings of the delivery tests: our name relay.example.test, short timeouts, the given routes. */
final class TestClientSettings {

    private TestClientSettings() {
    }

    static ClientSettings toward(Map<String, Route> routes) {
        return new ClientSettings("relay.example.test", routes, Duration.ofSeconds(5), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10), 20, 100, Duration.ofSeconds(5));
    }
}
