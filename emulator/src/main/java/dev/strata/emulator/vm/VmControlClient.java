package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Sends one command to a running VM's control socket and returns its answer line. */
public final class VmControlClient {

    private VmControlClient() {
    }

    /** Sends {@code line}; fails clearly when the VM is not running. */
    public static String send(VirtualMachine vm, String line) throws IOException {
        Path socket = vm.folder().resolve(VmControlServer.SOCKET);
        if (!Files.exists(socket) || !VmRunLock.held(vm.folder())) {
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is not running (state "
                    + vm.settings().state.label() + "); start it with `strata vm start " + vm.name() + "`");
        }
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ByteBuffer out = ByteBuffer.wrap((line.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.shutdownOutput();
            String answer = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                    StandardCharsets.UTF_8)).readLine();
            return answer == null ? "error: the VM closed the connection" : answer;
        }
    }
}
