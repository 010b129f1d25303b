package dev.strata.vm.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.storage.StorageException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A client of a VM's control socket: connects and reads the greeting, then runs commands and returns their replies;
 * events that arrive meanwhile go to a listener. One command at a time.
 */
public final class VmControlClient implements AutoCloseable {
    private final SocketChannel channel;
    private final LineReader in;
    private final String greeting;
    private Consumer<String> events = e -> { };
    private long nextId = 1;

    private VmControlClient(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.in = new LineReader(ChannelStreams.input(channel), ControlProtocol.MAX_REPLY);
        String first = in.next();
        JsonNode g = first == null || first == LineReader.TOO_LONG ? null : ControlProtocol.parseOrNull(first);
        if (g == null || !g.has("strata")) {
            ControlReply refused = first == null ? null : ControlReply.of(first);
            throw new IOException(refused != null && !refused.ok() ? refused.errorDesc()
                    : "the control socket did not greet as a Strata VM does");
        }
        this.greeting = first;
    }

    /** Connects to the control socket at {@code socket}. */
    public static VmControlClient connect(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return new VmControlClient(ch);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Connects to running VM {@code vm}; fails clearly when it is not running. */
    public static VmControlClient connect(VirtualMachine vm) throws IOException {
        Path socket = vm.controlSocket();
        if (!Files.exists(socket) || !VmRunLock.held(vm.folder())) {
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is not running (state "
                    + vm.settings().state.label() + "); start it with `strata vm start " + vm.name() + "`");
        }
        return connect(socket);
    }

    /** The greeting line the server sent. */
    public String greeting() {
        return greeting;
    }

    /** Sends each event line that arrives while waiting for a reply to {@code listener}. */
    public VmControlClient onEvent(Consumer<String> listener) {
        this.events = listener;
        return this;
    }

    /** Runs {@code command} without arguments. */
    public ControlReply execute(String command) throws IOException {
        return execute(command, JsonNodeFactory.instance.objectNode());
    }

    /** Runs {@code command} with {@code arguments} and waits for its reply. */
    public ControlReply execute(String command, ObjectNode arguments) throws IOException {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("execute", command);
        if (arguments != null && !arguments.isEmpty()) {
            request.set("arguments", arguments);
        }
        long id = nextId++;
        request.put("id", id);
        sendLine(ControlProtocol.JSON.writeValueAsString(request));
        while (true) {
            String line = in.next();
            if (line == null) {
                throw new IOException("the VM closed the control connection before it answered " + command);
            }
            if (line == LineReader.TOO_LONG) {
                throw new IOException("the VM sent a reply longer than this client reads");
            }
            ControlReply reply = ControlReply.of(line);
            if (reply == null) {
                events.accept(line);
            } else if (ControlProtocol.parseOrNull(line).path("id").asLong(-1) == id
                    || !ControlProtocol.parseOrNull(line).has("id")) {
                return reply;
            }
        }
    }

    /** Sends one raw line (a test's malformed request, say); the reply is read by {@link #readLine()}. */
    public void sendLine(String line) throws IOException {
        ChannelStreams.write(channel, (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The next line the server sends, or null when it closed the connection. */
    public String readLine() throws IOException {
        String line = in.next();
        return line == LineReader.TOO_LONG ? null : line;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
