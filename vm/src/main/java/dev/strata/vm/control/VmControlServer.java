package dev.strata.vm.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control socket of a running VM ({@code control.sock} in its folder, a Unix domain socket) speaking the
 * {@link ControlProtocol}: each client gets the greeting, replies to its requests, and every event.
 */
public final class VmControlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VmControlServer.class);
    /** Clients served at once; more are told so and closed, so a runaway script cannot exhaust threads. */
    static final int MAX_CLIENTS = 16;
    /** How long closing waits for a client's last reply to be written. */
    private static final long FINISH_MILLIS = 2000;

    private final Path socket;
    private final ServerSocketChannel server;
    private final ControlTarget target;
    private final Set<ControlConnection> clients = ConcurrentHashMap.newKeySet();

    private VmControlServer(Path socket, ServerSocketChannel server, ControlTarget target) {
        this.socket = socket;
        this.server = server;
        this.target = target;
    }

    /** Opens {@code socket} (replacing a stale one left by a crashed run) and starts serving {@code target}. */
    public static VmControlServer start(Path socket, ControlTarget target) throws IOException {
        Files.deleteIfExists(socket);
        // bind() makes the file before the socket listens, and a client connecting in between is refused: bound
        // under a hidden name first, the socket appears under its own only once it takes connections
        Path binding = socket.resolveSibling("." + socket.getFileName() + ".binding");
        Files.deleteIfExists(binding); // left by a process killed right here
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(binding));
            Files.move(binding, socket, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            server.close();
            Files.deleteIfExists(binding);
            throw e;
        }
        VmControlServer s = new VmControlServer(socket, server, target);
        Thread t = new Thread(s::serve, "strata-vm-control");
        t.setDaemon(true);
        t.start();
        return s;
    }

    private void serve() {
        while (server.isOpen()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("control socket {}: {}", socket, e.toString());
                }
                continue;
            }
            if (clients.size() >= MAX_CLIENTS) {
                refuse(ch);
                continue;
            }
            ControlConnection[] c = new ControlConnection[1];
            c[0] = new ControlConnection(ch, target, () -> clients.remove(c[0]));
            clients.add(c[0]);
            c[0].start();
        }
    }

    private static void refuse(SocketChannel ch) {
        try (ch) {
            String line = ControlProtocol.error(new ControlError(ControlError.GENERIC, "this VM already serves "
                    + MAX_CLIENTS + " control clients; close one and try again"), null) + "\n";
            ch.write(java.nio.ByteBuffer.wrap(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (IOException e) {
            LOG.debug("refusing a control client: {}", e.toString());
        }
    }

    /**
     * Stops serving: closes the socket, and lets each client have the reply to the request it is waiting for and the
     * events already sent (up to a moment), so a client that asked for savestate or poweroff hears how it went.
     */
    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
        try {
            for (ControlConnection c : clients) {
                c.finish(FINISH_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
