package org.sealpost.cache;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import java.util.zip.CRC32C;

/**
 * Small records that must survive a crash: key pins, fetched policies. One file per record,
 * written to a temporary name, synced, renamed into place and the folder synced, so a crash
 * mid-write leaves the old record or the new one, never a mix. Each file carries its key, its
 * length and a CRC32C; a file that fails the check is moved to {@code corrupt/}, never deleted.
 *
 * <p>Why files and not an embedded database: the records are few (one per peer host or domain),
 * change rarely and are read through a cache in memory; a file per record needs no recovery of
 * its own beyond the atomic rename, and an operator can read, copy or remove one by hand.
 */
public final class DurableStore {

    private static final Logger LOG = Logger.getLogger(DurableStore.class.getName());
    private static final String MAGIC = "SEALPOST-RECORD 1";

    private final Path directory;
    private final Path corrupt;

    /** Opens (creating) the store in {@code directory}; removes temporary files left by a crash. */
    public DurableStore(Path directory) throws IOException {
        this.directory = directory;
        this.corrupt = directory.resolve("corrupt");
        // Pins and state are for Sealpost's user alone: folders 0700, files 0600 from creation.
        Files.createDirectories(corrupt, ownerOnly(corrupt, "rwx------"));
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*.tmp")) {
            for (Path leftover : leftovers) {
                Files.delete(leftover); // a write that never completed: the old record stands
            }
        }
    }

    /** Writes a record durably; when this returns, a crash keeps it. */
    public void put(String key, byte[] value) throws IOException {
        Path target = file(key);
        Path temporary = directory.resolve(target.getFileName() + ".tmp");
        byte[] header = (MAGIC + "\n" + escape(key) + "\n" + value.length + "\n").getBytes(StandardCharsets.UTF_8);
        CRC32C crc = new CRC32C();
        crc.update(value);
        byte[] trailer = String.format("\n%08x\n", crc.getValue()).getBytes(StandardCharsets.US_ASCII);
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING), ownerOnly(temporary, "rw-------"))) {
            for (ByteBuffer part : new ByteBuffer[] {ByteBuffer.wrap(header), ByteBuffer.wrap(value), ByteBuffer.wrap(trailer)}) {
                while (part.hasRemaining()) {
                    channel.write(part);
                }
            }
            channel.force(true);
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** The record, or empty when there is none or it failed its check (then it is set aside). */
    public Optional<byte[]> get(String key) throws IOException {
        Path file = file(key);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] bytes = Files.readAllBytes(file);
        Optional<byte[]> value = parse(bytes, key);
        if (value.isEmpty()) {
            Path aside = corrupt.resolve(file.getFileName());
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warning("record file " + file + " failed its check; moved to " + aside + ", nothing deleted");
        }
        return value;
    }

    /** Removes a record (for example when an operator forgets a pin). */
    public boolean remove(String key) throws IOException {
        boolean removed = Files.deleteIfExists(file(key));
        if (removed) {
            syncDirectory();
        }
        return removed;
    }

    /** Every key in the store. */
    public List<String> keys() throws IOException {
        List<String> keys = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*.rec")) {
            for (Path file : files) {
                String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", 3);
                if (lines.length == 3 && lines[0].equals(MAGIC)) {
                    keys.add(unescape(lines[1]));
                }
            }
        }
        keys.sort(null);
        return keys;
    }

    private static Optional<byte[]> parse(byte[] bytes, String key) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String[] head = text.split("\n", 4);
        try {
            if (head.length < 4 || !head[0].equals(MAGIC) || !unescape(head[1]).equals(key)) {
                return Optional.empty();
            }
            int length = Integer.parseInt(head[2]);
            int start = head[0].length() + head[1].length() + head[2].length() + 3;
            if (start + length + 10 != bytes.length) {
                return Optional.empty();
            }
            byte[] value = java.util.Arrays.copyOfRange(bytes, start, start + length);
            CRC32C crc = new CRC32C();
            crc.update(value);
            String stored = new String(bytes, start + length + 1, 8, StandardCharsets.US_ASCII);
            return stored.equals(String.format("%08x", crc.getValue())) ? Optional.of(value) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** File names from the key's hex, so that any key (a host name, an address) is a safe name. */
    private Path file(String key) {
        return directory.resolve(escape(key) + ".rec");
    }

    private static String escape(String key) {
        return HexFormat.of().formatHex(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String unescape(String hex) {
        return new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    }

    /** The mode to create {@code path} with; none on a file system without POSIX modes. */
    private static FileAttribute<?>[] ownerOnly(Path path, String mode) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                : new FileAttribute<?>[0];
    }

    private void syncDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
