package dev.strata.emulator.vm;

import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.TextEscapes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The control socket of a running VM ({@code control.sock} in its folder, a Unix domain socket): one command
 * line in, one answer line out ({@code ok ...} or {@code error: ...}). Commands: pause, resume, reset, poweroff,
 * savestate, snapshot-live NAME, type TEXT, screenshot FILE.
 */
public final class VmControlServer implements AutoCloseable {
    /** The socket's file name in the VM folder. */
    public static final String SOCKET = "control.sock";

    /** What the server does for the commands that change the VM's recorded state. */
    public interface StateListener {
        /** Called after pause (true) and resume (false). */
        void paused(boolean paused) throws IOException;

        /** Saves the machine's state and powers it off; throws when saved state is unavailable. */
        void saveState(PcMachine machine) throws IOException;

        /**
         * Takes online snapshot {@code name} (with {@code description}, or null) on the CPU thread; the guest then
         * runs on. Returns its UUID.
         */
        default String snapshotLive(PcMachine machine, String name, String description) throws IOException {
            throw new IOException("this VM process cannot take online snapshots");
        }
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final MachineRunner runner;
    private final StateListener listener;
    private final Thread thread;

    private VmControlServer(Path socket, ServerSocketChannel server, MachineRunner runner, StateListener listener) {
        this.socket = socket;
        this.server = server;
        this.runner = runner;
        this.listener = listener;
        this.thread = new Thread(this::serve, "strata-vm-control");
        thread.setDaemon(true);
    }

    /** Opens the socket in {@code folder} (replacing a stale one left by a crashed run) and starts serving. */
    public static VmControlServer start(Path folder, MachineRunner runner, StateListener listener) throws IOException {
        Path socket = folder.resolve(SOCKET);
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        VmControlServer s = new VmControlServer(socket, server, runner, listener);
        s.thread.start();
        return s;
    }

    private void serve() {
        while (server.isOpen()) {
            try (SocketChannel ch = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                        StandardCharsets.UTF_8));
                String line = in.readLine();
                String answer = line == null ? "error: empty command" : answer(line);
                OutputStream out = Channels.newOutputStream(ch);
                out.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                if (!server.isOpen()) {
                    return;
                }
            }
        }
    }

    /** Carries out one command line and says how it went. */
    String answer(String line) {
        String cmd = line.strip();
        int sp = cmd.indexOf(' ');
        String verb = sp < 0 ? cmd : cmd.substring(0, sp);
        String arg = sp < 0 ? "" : cmd.substring(sp + 1);
        try {
            switch (verb) {
                case "pause" -> {
                    runner.pause();
                    listener.paused(true);
                }
                case "resume" -> {
                    runner.resume();
                    listener.paused(false);
                }
                case "reset" -> onMachine(PcMachine::requestReset);
                case "poweroff" -> {
                    runner.resume();
                    runner.execute(PcMachine::requestPowerOff);
                    runner.stop();
                }
                case "savestate" -> {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    runner.execute(m -> {
                        try {
                            listener.saveState(m);
                            runner.stop(); // before another instruction runs: the disks stay as the state knows them
                            done.complete(null);
                        } catch (IOException | RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    });
                    runner.resume();
                    done.get(60, TimeUnit.SECONDS);
                    runner.stop();
                }
                case "snapshot-live" -> {
                    if (arg.isBlank()) {
                        return "error: snapshot-live needs a snapshot NAME";
                    }
                    if (runner.isPaused()) {
                        return "error: the VM is paused; resume it to take an online snapshot";
                    }
                    CompletableFuture<String> done = new CompletableFuture<>();
                    runner.execute(m -> {
                        try {
                            int tab = arg.indexOf('\t');
                            String name = (tab < 0 ? arg : arg.substring(0, tab)).strip();
                            done.complete(listener.snapshotLive(m, name, tab < 0 ? null : arg.substring(tab + 1)));
                        } catch (IOException | RuntimeException e) {
                            done.completeExceptionally(e);
                        }
                    });
                    return "ok " + done.get(120, TimeUnit.SECONDS);
                }
                case "type" -> {
                    String text = TextEscapes.unescape(arg);
                    onMachine(m -> m.keyInput().type(text));
                }
                case "screenshot" -> {
                    if (arg.isEmpty()) {
                        return "error: screenshot needs a FILE";
                    }
                    CompletableFuture<String> screen = new CompletableFuture<>();
                    runner.execute(m -> screen.complete(m.vga().textScreen().toText()));
                    String text = runner.isPaused() ? null : screen.get(10, TimeUnit.SECONDS);
                    if (text == null) {
                        return "error: the VM is paused; resume it to take a screenshot";
                    }
                    Files.writeString(Path.of(arg), text, StandardCharsets.UTF_8);
                }
                default -> {
                    return "error: unknown command '" + verb + "'; use pause, resume, reset, poweroff, savestate,"
                            + " snapshot-live NAME, type TEXT or screenshot FILE";
                }
            }
            return "ok";
        } catch (java.util.concurrent.ExecutionException e) {
            return "error: " + e.getCause().getMessage();
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    private void onMachine(java.util.function.Consumer<PcMachine> task) {
        runner.execute(task);
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
