package org.sealpost.cache;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableStoreTest {

    @TempDir
    Path dir;

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void record_survivesReopening_andCanBeReplacedAndRemoved() throws Exception {
        DurableStore store = new DurableStore(dir);
        store.put("mx.example.net", bytes("pin v1"));
        store.put("mx.example.net", bytes("pin v2"));
        store.put("[192.0.2.7]:25", bytes("\n\0binary\n"));
        DurableStore reopened = new DurableStore(dir);
        assertArrayEquals(bytes("pin v2"), reopened.get("mx.example.net").orElseThrow());
        assertArrayEquals(bytes("\n\0binary\n"), reopened.get("[192.0.2.7]:25").orElseThrow());
        assertEquals(List.of("[192.0.2.7]:25", "mx.example.net"), reopened.keys());
        assertTrue(reopened.remove("mx.example.net"));
        assertEquals(Optional.empty(), reopened.get("mx.example.net"));
    }

    @Test
    void crashMidWrite_leavesTheOldRecord() throws Exception {
        DurableStore store = new DurableStore(dir);
        store.put("mx.example.net", bytes("old"));
        // A crash after the temporary file was begun but before the rename:
        Path record = Files.list(dir).filter(p -> p.toString().endsWith(".rec")).findFirst().orElseThrow();
        Files.writeString(dir.resolve(record.getFileName() + ".tmp"), "SEALPOST-RECORD 1\nhalf");
        DurableStore restarted = new DurableStore(dir);
        assertArrayEquals(bytes("old"), restarted.get("mx.example.net").orElseThrow());
        assertTrue(Files.list(dir).noneMatch(p -> p.toString().endsWith(".tmp")));
    }

    @Test
    void damagedRecord_isSetAside_notUsed() throws Exception {
        DurableStore store = new DurableStore(dir);
        store.put("mx.example.net", bytes("a pinned key set"));
        Path record = Files.list(dir).filter(p -> p.toString().endsWith(".rec")).findFirst().orElseThrow();
        byte[] content = Files.readAllBytes(record);
        content[content.length - 15] ^= 1;
        Files.write(record, content);
        assertEquals(Optional.empty(), store.get("mx.example.net"));
        assertTrue(Files.exists(dir.resolve("corrupt").resolve(record.getFileName())));
    }

    @Test
    void foldersAndRecords_areOwnerOnly() throws Exception {
        Path pins = dir.resolve("queue/pins");
        DurableStore store = new DurableStore(pins);
        store.put("mx.example.net", bytes("a pinned key set"));
        for (Path folder : List.of(dir.resolve("queue"), pins, pins.resolve("corrupt"))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)), folder.toString());
        }
        try (var records = Files.list(pins)) {
            for (Path record : records.filter(Files::isRegularFile).toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(record)),
                        record.toString());
            }
        }
    }
}
