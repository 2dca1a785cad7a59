package org.sealpost.transport.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals a running relay answers, handed to the thread that runs it as events: SIGHUP
 * reloads (certificates and keys, and the log file after logrotate moved it), SIGTERM and SIGINT
 * stop it cleanly. Without handlers the JVM treats all three as a request to exit and ends with
 * 128 + the signal number (129, 143, 130), which systemd reports as a failure and which makes a
 * reload impossible.
 *
 * <p>Java has no public API for signals. {@code sun.misc.Signal} lives in the jdk.unsupported
 * module, which JEP 260 keeps exported and accessible for exactly this use until a supported
 * replacement exists; the alternatives (a JNI library, or watching a control file) add a native
 * build or a second way to control the process. The handlers only queue an event, so that the
 * reload and the stop run on the relay's own thread, one at a time, never on the JVM's signal
 * dispatcher.
 */
final class Signals implements AutoCloseable {

    enum Event { RELOAD, STOP }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();

    /** Installs the handlers; from now on the three signals are events of {@link #next}. */
    Signals() {
        handle("HUP", Event.RELOAD);
        handle("TERM", Event.STOP);
        handle("INT", Event.STOP);
    }

    private void handle(String name, Event event) {
        Signal signal = new Signal(name);
        SignalHandler before = Signal.handle(signal, received -> events.add(event));
        previous.put(signal, before);
        if (before == SignalHandler.SIG_IGN && !name.equals("INT")) {
            // The JVM installs no handler for a signal its parent set to be ignored (nohup does so
            // for HUP): the signal would be lost without a word. INT is left out: a shell ignores it
            // in every job it starts in the background, and TERM still stops such a relay.
            org.slf4j.LoggerFactory.getLogger(Signals.class).warn("warning: SIG{} is ignored by the process that "
                    + "started sealpost (nohup?), so it will not {}; start sealpost without nohup, e.g. under systemd "
                    + "(docs/operations.md)", name, event == Event.RELOAD ? "reload" : "stop it");
        }
    }

    /** Waits for the next signal. */
    Event next() throws InterruptedException {
        return events.take();
    }

    /** Puts the JVM's own handlers back (for a run inside a test's JVM). */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
    }
}
