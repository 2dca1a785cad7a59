package org.sealpost.transport.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sealpost.signing.dkim.DkimKeys;
import org.sealpost.signing.dkim.KeyType;
import org.sealpost.transport.config.Config;
import org.sealpost.transport.config.ConfigException;

/** The keys of dkim_key and arc_seal_key, read at start: what a bad file says. */
class DkimTest {

    @TempDir
    Path dir;

    private Config sealing(Path key) throws ConfigException {
        return Config.parse(dir.resolve("sealpost.conf"), List.of("hostname = mx.fwd.example", "listeners = s",
                "listener.s.role = submission", "listener.s.address = 127.0.0.1:10025", "arc_seal = yes",
                "arc_seal_domain = fwd.example", "arc_seal_key = arc:" + key));
    }

    @Test
    void arcSealKey_isReadAtStart() throws Exception {
        Path key = dir.resolve("arc.pem");
        Files.writeString(key, DkimKeys.generate(KeyType.RSA, 2048).privateKeyPem());
        Dkim.arcSealing(sealing(key), Runnable::run);
    }

    @Test
    void missingKeyFile_saysSoAndWhatToDo() {
        Path key = dir.resolve("missing.pem");
        ConfigException e = assertThrows(ConfigException.class, () -> Dkim.arcSealing(sealing(key), Runnable::run));
        assertEquals("arc_seal_key " + key + ": no such file; check arc_seal_key",
                e.getMessage());
    }

    @Test
    void fileWithoutAKey_saysWhatWasExpected() throws Exception {
        Path key = dir.resolve("arc.pem");
        Files.writeString(key, "not a key\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Dkim.arcSealing(sealing(key), Runnable::run));
        assertTrue(e.getMessage().startsWith("arc_seal_key: " + key + ": cannot read the private key (")
                && e.getMessage().endsWith("); expected a PEM key as 'sealpost dkim keygen' or opendkim-genkey writes"),
                e.getMessage());
    }
}
