package dev.strata.tools.run;

import dev.strata.emulator.gdb.GdbServer;
import dev.strata.emulator.gdb.MachineDebugTarget;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** {@code --gdb} and {@code --gdb-wait}, shared by {@code strata run} and {@code strata vm start} (a picocli mixin). */
public final class GdbOptions {

    @Option(names = "--gdb", paramLabel = "tcp::PORT", description = "let gdb debug the guest over TCP (gdb:"
            + " target remote :PORT); tcp::PORT listens on localhost, tcp:HOST:PORT on HOST's interface")
    String address;

    @Option(names = "--gdb-wait", description = "with --gdb: stop before the first instruction until gdb"
            + " continues")
    boolean waitForGdb;

    /** Checks the options together; throws naming the option that is wrong. */
    void check() {
        if (waitForGdb && address == null) {
            throw new IllegalArgumentException("--gdb-wait needs --gdb tcp::PORT");
        }
        if (address != null) {
            GdbServer.parseAddress(address);
        }
    }

    /**
     * Listens for gdb when asked (before the CPU starts, so a busy port fails the run before it boots) and, with
     * --gdb-wait, holds the runner before its first instruction; null without --gdb. Call {@link GdbServer#start}
     * once the runner runs.
     */
    GdbServer listen(PcMachine machine, MachineRunner runner, PrintWriter err) throws IOException {
        if (address == null) {
            return null;
        }
        InetSocketAddress at = GdbServer.parseAddress(address);
        GdbServer server = GdbServer.listen(at, () -> new MachineDebugTarget(machine, runner));
        if (waitForGdb) {
            runner.requestPause();
        }
        err.printf("strata: gdb can connect to %s:%d (target remote %s:%d)%s%n", at.getHostString(), server.port(),
                at.getHostString(), server.port(), waitForGdb ? "; the guest waits for it" : "");
        err.flush();
        return server;
    }
}
