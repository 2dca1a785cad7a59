package org.sealpost.transport.smtp.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The recipients an mx listener takes, from recipient_file (as Postfix's relay_recipient_maps):
 * one address a line, or "@domain" for every address of a domain; "#" starts a comment. Read at
 * start and again on SIGHUP; a file that cannot be read keeps the list in use.
 */
public final class RecipientFile implements RecipientCheck {

    private final Path file;
    private volatile Set<String> entries;

    private RecipientFile(Path file, Set<String> entries) {
        this.file = file;
        this.entries = entries;
    }

    /** Reads the file; an IOException names it. */
    public static RecipientFile load(Path file) throws IOException {
        return new RecipientFile(file, read(file));
    }

    /** Reads the file again; on failure the list in use stays. Returns the number of entries. */
    public int reload() throws IOException {
        reread().run();
        return size();
    }

    /**
     * Reads the file again and returns what puts the new list in use, so that a reload of several
     * files can read them all before it changes anything.
     */
    public Runnable reread() throws IOException {
        Set<String> next = read(file);
        return () -> entries = next;
    }

    /** The number of addresses and domains in use. */
    public int size() {
        return entries.size();
    }

    public Path file() {
        return file;
    }

    private static Set<String> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "cannot read it: " + e.getMessage();
            throw new IOException("recipient_file " + file + ": " + why
                    + "; check recipient_file (one address or @domain a line)", e);
        }
        Set<String> entries = new HashSet<>();
        for (String line : lines) {
            int hash = line.indexOf('#');
            String entry = (hash < 0 ? line : line.substring(0, hash)).strip();
            if (!entry.isEmpty()) {
                entries.add(entry.toLowerCase(Locale.ROOT));
            }
        }
        return Set.copyOf(entries);
    }

    @Override
    public CompletableFuture<Optional<String>> check(String address, String domain) {
        Set<String> known = entries;
        if (known.contains(address.toLowerCase(Locale.ROOT)) || known.contains("@" + domain)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        // Postfix's words for a recipient outside relay_recipient_maps.
        return CompletableFuture.completedFuture(Optional.of("550 5.1.1 <" + address
                + ">: Recipient address rejected: User unknown in relay recipient table"));
    }
}
