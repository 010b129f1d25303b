package dev.strata.vm.control;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client of the control socket: a thread that reads its requests and runs them one at a time, and a thread
 * that writes the greeting, replies and events in order. Events are queued, never written on the thread where they
 * happen (often the CPU's), so a slow client cannot stall the guest; one that falls too far behind is dropped.
 */
final class ControlConnection {
    private static final Logger LOG = LoggerFactory.getLogger(ControlConnection.class);
    /** Lines a client may leave unread before it is dropped. */
    static final int MAX_QUEUED = 1024;
    private static final String CLOSE = new String("<close>");

    private final SocketChannel channel;
    private final ControlTarget target;
    private final Runnable closed;
    private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final Consumer<VmEvent> events = this::event;
    private final java.util.concurrent.CountDownLatch written = new java.util.concurrent.CountDownLatch(1);
    private volatile boolean open = true;
    private volatile boolean busy;

    ControlConnection(SocketChannel channel, ControlTarget target, Runnable closed) {
        this.channel = channel;
        this.target = target;
        this.closed = closed;
    }

    /** Greets the client and starts serving it. */
    void start() {
        send(ControlProtocol.greeting());
        target.addEventListener(events);
        Thread writer = new Thread(this::write, "strata-vm-control-out");
        writer.setDaemon(true);
        writer.start();
        Thread reader = new Thread(this::read, "strata-vm-control-in");
        reader.setDaemon(true);
        reader.start();
    }

    private void event(VmEvent e) {
        send(ControlProtocol.event(e));
    }

    private void send(String line) {
        if (open && !outbox.offer(line)) {
            LOG.warn("dropping a control client that left {} messages unread", MAX_QUEUED);
            drop();
        }
    }

    private void read() {
        try {
            LineReader in = new LineReader(ChannelStreams.input(channel), ControlProtocol.MAX_LINE);
            String line;
            while (open) {
                line = in.next();
                if (line == null) {
                    break;
                }
                busy = true;
                try {
                    send(answer(target, line));
                } finally {
                    busy = false;
                }
            }
        } catch (IOException e) {
            LOG.debug("control client gone: {}", e.toString());
        } finally {
            finish(); // the replies already queued still go out
        }
    }

    /** The reply line to one request line. */
    static String answer(ControlTarget target, String line) {
        if (line == LineReader.TOO_LONG) {
            return ControlProtocol.error(new ControlError(ControlError.LINE_TOO_LONG, "the line is longer than "
                    + ControlProtocol.MAX_LINE + " bytes and was ignored; send shorter requests"), null);
        }
        ControlRequest request;
        try {
            request = ControlRequest.parse(line);
        } catch (ControlRequest.Refused r) {
            return ControlProtocol.error(r.error, r.id);
        }
        try {
            ObjectNode result = ControlCommands.run(target, request);
            return ControlProtocol.reply(result, request.id());
        } catch (ControlError e) {
            return ControlProtocol.error(e, request.id());
        }
    }

    private void write() {
        try {
            while (true) {
                String line = outbox.take();
                if (line == CLOSE) {
                    return;
                }
                ChannelStreams.write(channel, (line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.debug("control client gone: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            drop();
            written.countDown();
        }
    }

    /** Takes no more requests or events; what is queued is still written, then the connection closes. */
    void finish() {
        open = false;
        target.removeEventListener(events);
        if (!outbox.offer(CLOSE)) {
            drop();
        }
    }

    /**
     * Finishes once the request being carried out has its reply (a savestate ends the run before its reply is
     * sent), then waits up to {@code millis} for the client to be sent what was queued.
     */
    void finish(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (busy && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        finish();
        written.await(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        drop();
    }

    /** Closes the socket at once, dropping what was not written. */
    private void drop() {
        open = false;
        target.removeEventListener(events);
        outbox.clear();
        outbox.offer(CLOSE);
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a control client: {}", e.toString());
        }
        closed.run();
    }
}
