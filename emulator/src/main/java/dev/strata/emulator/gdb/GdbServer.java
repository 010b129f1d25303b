package dev.strata.emulator.gdb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens for gdb on a TCP port ({@code --gdb tcp::1234}) and serves one connection at a time with a
 * {@link GdbStub} on a thread of its own; when gdb detaches, the next connection is served. Closing it ends the
 * session in progress and lets the machine run on.
 */
public final class GdbServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(GdbServer.class);

    private final ServerSocket socket;
    private final Supplier<DebugTarget> targets;
    /** How long {@link #close} lets a session finish its last reply. */
    private static final long SESSION_END_MILLIS = 1000;
    private volatile Socket client;
    private volatile boolean closed;
    private volatile Thread thread;

    private GdbServer(ServerSocket socket, Supplier<DebugTarget> targets) {
        this.socket = socket;
        this.targets = targets;
    }

    /**
     * Parses {@code tcp::PORT} (the loopback interface) or {@code tcp:HOST:PORT}; throws
     * {@link IllegalArgumentException} naming the option and the form it takes.
     */
    public static InetSocketAddress parseAddress(String spec) {
        String form = "--gdb takes tcp::PORT or tcp:HOST:PORT (e.g. tcp::1234), got '" + spec + "'";
        if (spec == null || !spec.startsWith("tcp:")) {
            throw new IllegalArgumentException(form);
        }
        String rest = spec.substring(4);
        int colon = rest.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(form);
        }
        int port;
        try {
            port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(form);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--gdb: port " + port + " is not between 0 and 65535");
        }
        String host = rest.substring(0, colon);
        return host.isEmpty() ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port)
                : new InetSocketAddress(host, port);
    }

    /** Binds {@code address} (port 0 picks a free one); each connection gets the target {@code targets} gives. */
    public static GdbServer listen(InetSocketAddress address, Supplier<DebugTarget> targets) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        try {
            s.bind(address, 1);
        } catch (IOException e) {
            s.close();
            throw new IOException("--gdb: cannot listen on " + address.getHostString() + ":" + address.getPort()
                    + ": " + e.getMessage() + " (choose another port)", e);
        }
        return new GdbServer(s, targets);
    }

    /** The port it listens on. */
    public int port() {
        return socket.getLocalPort();
    }

    /** Starts accepting connections on a daemon thread named "strata-gdb". */
    public GdbServer start() {
        thread = new Thread(this::acceptLoop, "strata-gdb");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            try (Socket c = socket.accept()) {
                client = c;
                c.setTcpNoDelay(true);
                LOG.info("gdb connected from {}", c.getRemoteSocketAddress());
                new GdbStub(targets.get(), new BufferedInputStream(c.getInputStream()),
                        new BufferedOutputStream(c.getOutputStream())).serve();
                LOG.info("gdb session ended");
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("gdb connection failed: {}", e.getMessage());
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                client = null;
            }
        }
    }

    /**
     * Stops listening and ends the session. A session waiting for the run (gdb's continue) is given a moment to tell
     * gdb that the run ended ({@code W00}) before its connection closes: closing at once raced that last reply.
     */
    @Override
    public void close() throws IOException {
        closed = true;
        socket.close();
        Thread t = thread;
        if (client != null && t != null && t != Thread.currentThread()) {
            try {
                t.join(SESSION_END_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Socket c = client;
        if (c != null) {
            c.close();
        }
    }
}
