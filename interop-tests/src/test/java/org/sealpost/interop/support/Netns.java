package org.sealpost.interop.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own, with only a loopback interface and a resolv.conf that
 * names 127.0.0.1 (ip-netns(8) mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf inside).
 * Programs that take their DNS from the system resolver (Postfix, posttls-finger) then ask the
 * lab's unbound, and nothing outside the namespace is touched.
 */
public final class Netns implements AutoCloseable {

    private final String name;

    public Netns() throws Exception {
        Peers.requireRoot();
        Peers.require("iproute2", "/usr/sbin/ip");
        this.name = "sealpost-" + ProcessHandle.current().pid();
        run("/usr/sbin/ip", "netns", "add", name);
        run("/usr/sbin/ip", "netns", "exec", name, "/usr/sbin/ip", "link", "set", "lo", "up");
        Path etc = Path.of("/etc/netns", name);
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("resolv.conf"), "nameserver 127.0.0.1\n");
    }

    /** The command prefix that runs a program inside the namespace. */
    public List<String> prefix() {
        return List.of("/usr/sbin/ip", "netns", "exec", name);
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }

    @Override
    public void close() throws Exception {
        run("/usr/sbin/ip", "netns", "delete", name);
        Path etc = Path.of("/etc/netns", name);
        Files.deleteIfExists(etc.resolve("resolv.conf"));
        Files.deleteIfExists(etc);
    }
}
