package org.sealpost.transport.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** recipient_verification and its keys (docs/configuration.md). */
class RecipientVerificationConfigTest {

    private static final Path FILE = Path.of("/etc/sealpost/sealpost.conf");

    private static Config parse(String... extra) throws ConfigException {
        List<String> lines = new ArrayList<>(List.of("listeners = mx", "listener.mx.role = mx",
                "listener.mx.address = 127.0.0.1:25"));
        lines.addAll(List.of(extra));
        return Config.parse(FILE, lines);
    }

    @Test
    void defaults_probeWithDocumentedLifetimes() throws Exception {
        Config.RecipientVerification verification = parse().recipientVerification();
        assertEquals(Config.RecipientVerification.Mode.PROBE, verification.mode());
        assertEquals(Duration.ofDays(1), verification.probe().positiveLifetime());
        assertEquals(Duration.ofMinutes(10), verification.probe().negativeLifetime());
        assertEquals(Duration.ofSeconds(10), verification.probe().timeout());
        assertEquals(100_000, verification.probe().cacheSize());
    }

    @Test
    void file_withRecipientFile() throws Exception {
        Config.RecipientVerification verification = parse("recipient_verification = file",
                "recipient_file = /etc/sealpost/recipients").recipientVerification();
        assertEquals(Config.RecipientVerification.Mode.FILE, verification.mode());
        assertEquals(Optional.of(Path.of("/etc/sealpost/recipients")), verification.file());
    }

    @Test
    void file_withoutRecipientFile_isRefused() {
        assertEquals("/etc/sealpost/sealpost.conf:4: recipient_verification: file needs recipient_file: one address or "
                + "@domain a line", assertThrows(ConfigException.class,
                        () -> parse("recipient_verification = file")).getMessage());
    }

    @Test
    void recipientFile_withoutModeFile_isRefused() {
        assertEquals("/etc/sealpost/sealpost.conf:4: recipient_file: is read only with recipient_verification = file",
                assertThrows(ConfigException.class, () -> parse("recipient_file = /x")).getMessage());
    }

    @Test
    void unknownMode_namesTheForms() {
        String message = assertThrows(ConfigException.class, () -> parse("recipient_verification = maybe")).getMessage();
        assertEquals(true, message.contains("probe") && message.contains("file") && message.contains("off"), message);
    }
}
