package org.sealpost.signing.spf;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.sealpost.dnssec.Outcome;

/**
 * An in-memory zone for SPF tests: records added by type, CNAMEs followed, names that time out.
 * A name with records but none of the type asked for is NODATA; an unknown name is NXDOMAIN.
 */
public final class ZoneDns implements SpfDns {

    private final Map<String, Map<String, List<Object>>> names = new HashMap<>();
    private final Set<String> timeouts = new HashSet<>();
    /** Every lookup made, as "TYPE name", in order. */
    public final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Adds a record: type TXT, A, AAAA, MX, PTR or CNAME; the value is text (an address, a name, a TXT string). */
    public ZoneDns add(String name, String type, String value) {
        Object record = value;
        if (type.equals("A") || type.equals("AAAA")) {
            try {
                record = InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(value + " is not an address", e);
            }
        }
        records(name).computeIfAbsent(type, t -> new ArrayList<>()).add(record);
        return this;
    }

    /** Makes a name exist with no records (NODATA for every type). */
    public ZoneDns exists(String name) {
        records(name);
        return this;
    }

    /** Every lookup at the name for a type it has no records of times out. */
    public ZoneDns timeout(String name) {
        timeouts.add(key(name));
        return this;
    }

    private Map<String, List<Object>> records(String name) {
        return names.computeIfAbsent(key(name), n -> new HashMap<>());
    }

    @Override
    public CompletableFuture<Answer<String>> txt(String name) {
        return lookup("TXT", name);
    }

    @Override
    public CompletableFuture<Answer<InetAddress>> a(String name) {
        return lookup("A", name);
    }

    @Override
    public CompletableFuture<Answer<InetAddress>> aaaa(String name) {
        return lookup("AAAA", name);
    }

    @Override
    public CompletableFuture<Answer<String>> mx(String name) {
        return lookup("MX", name);
    }

    @Override
    public CompletableFuture<Answer<String>> ptr(String name) {
        return lookup("PTR", name);
    }

    @SuppressWarnings("unchecked")
    private <T> CompletableFuture<Answer<T>> lookup(String type, String name) {
        asked.add(type + " " + name);
        String owner = key(name);
        for (int hops = 0; hops < 8; hops++) {
            Map<String, List<Object>> here = names.get(owner);
            // As the openspf suite's TIMEOUT: a query for a type the name has no records of times out.
            if (timeouts.contains(owner) && (here == null || !here.containsKey(type))) {
                return CompletableFuture.completedFuture(Answer.failed(Outcome.TIMEOUT));
            }
            if (here == null) {
                return CompletableFuture.completedFuture(Answer.failed(Outcome.NXDOMAIN));
            }
            List<Object> found = here.get(type);
            if (found != null) {
                return CompletableFuture.completedFuture(Answer.found((List<T>) (List<?>) found));
            }
            List<Object> alias = here.get("CNAME");
            if (alias == null) {
                return CompletableFuture.completedFuture(Answer.failed(Outcome.NODATA));
            }
            owner = key((String) alias.get(0));
        }
        return CompletableFuture.completedFuture(Answer.failed(Outcome.SERVFAIL));
    }

    private static String key(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
