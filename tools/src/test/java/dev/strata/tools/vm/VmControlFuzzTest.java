package dev.strata.tools.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.tools.InProcessStrata;
import dev.strata.tools.TemporaryStrataHome;
import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage on a running VM's control socket: random bytes, malformed and mistyped JSON, oversized and half-sent
 * lines. None of it may reach the guest: it keeps running, and its serial output is byte for byte that of a run
 * nobody disturbed.
 */
@Timeout(300)
class VmControlFuzzTest {
    private static final long SEED = 13;

    @RegisterExtension
    final TemporaryStrataHome strataHome = new TemporaryStrataHome();
    private Path home;
    private final InProcessStrata cli = new InProcessStrata();
    private final StringWriter err = cli.err;

    @BeforeEach
    void useTemporaryHome() {
        home = strataHome.path();
    }

    private int strata(String... args) {
        return cli.run(args);
    }

    /** Boots the demo guest as VM {@code name}, lets {@code meddle} at it once it is ready, types and powers off. */
    private String run(String name, Meddling meddle) throws Exception {
        Path floppy = DemoGuest.copyTo(home.resolve(name + ".img"));
        assertEquals(0, strata("vm", "create", name, "--memory", "16"), err::toString);
        assertEquals(0, strata("vm", "attach", name, "--controller", "floppy", "--port", "0", "--type", "fdd",
                "--medium", floppy.toString()), err::toString);
        Path serial = home.resolve(name + "-serial.txt");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> strata("vm", "start", name,
                "--headless", "--deterministic", "--serial", "file:" + serial, "--timeout", "240"));
        VirtualMachine vm = new VirtualMachines(home).open(name);
        awaitSerial(serial, DemoGuest.READY_LINE + "\r\n", run);
        while (!Files.exists(vm.controlSocket())) {
            Thread.sleep(20);
        }
        meddle.at(vm);
        try (VmControlClient c = VmControlClient.connect(vm)) {
            assertEquals("Running", c.execute("query-status").value().path("state").asText());
            assertTrue(c.execute("type", JsonNodeFactory.instance.objectNode().put("text", "fuzz")).ok());
            awaitSerial(serial, DemoGuest.READY_LINE + "\r\nfuzz", run);
            assertTrue(c.execute("poweroff").ok());
        }
        assertEquals(0, run.get(120, TimeUnit.SECONDS), err::toString);
        assertEquals(VmState.POWERED_OFF, new VirtualMachines(home).open(name).settings().state);
        return Files.readString(serial, StandardCharsets.ISO_8859_1);
    }

    private interface Meddling {
        void at(VirtualMachine vm) throws Exception;
    }

    private static void awaitSerial(Path serial, String text, CompletableFuture<Integer> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(serial) && Files.readString(serial, StandardCharsets.ISO_8859_1).contains(text))) {
            assertFalse(run.isDone(), "the VM ended early");
            assertTrue(System.nanoTime() < deadline, "\"" + text + "\" did not appear on COM1");
            Thread.sleep(20);
        }
    }

    /** Requests that are JSON, or nearly, and each wrong in one way. */
    private static final List<String> MALFORMED = List.of(
            "", "{", "}", "null", "42", "\"pause\"", "[]", "{}", "{\"execute\": null}", "{\"execute\": [\"pause\"]}",
            "{\"execute\": \"pause\", \"arguments\": 1}", "{\"execute\": \"Pause\"}", "{\"execute\": \"pause \"}",
            "{\"execute\": \"type\", \"arguments\": {\"text\": 5}}", "{\"execute\": \"type\", \"arguments\": {}}",
            "{\"execute\": \"type\", \"arguments\": {\"text\": \"\"}}",
            "{\"execute\": \"poweroff\", \"arguments\": {\"force\": true}}",
            "{\"execute\": \"savestate\", \"arguments\": {\"file\": \"/tmp/x\"}}",
            "{\"execute\": \"reset\"} {\"execute\": \"reset\"}", "{\"execute\": \"snapshot-live\"}",
            "{\"execute\": \"poweroff\", \"id\": 1, \"extra\": 2}", "{\"execute\": \"pause\"", "\u0000\u0000",
            "{\"execute\": \"\\u0000poweroff\"}", "{'execute': 'pause'}", "{\"execute\": \"pause\" /* c */}");

    private static void garbage(VirtualMachine vm) throws Exception {
        Random random = new Random(SEED);
        try (VmControlClient c = VmControlClient.connect(vm)) {
            for (String line : MALFORMED) {
                c.sendLine(line);
                ControlReply reply = ControlReplies.read(c);
                assertFalse(reply.ok(), line + " -> " + reply.line());
            }
            for (int i = 0; i < 200; i++) {
                byte[] junk = new byte[random.nextInt(300)];
                random.nextBytes(junk);
                for (int j = 0; j < junk.length; j++) {
                    junk[j] = junk[j] == '\n' ? (byte) ' ' : junk[j];
                }
                c.sendLine(new String(junk, StandardCharsets.ISO_8859_1));
                assertFalse(ControlReplies.read(c).ok());
            }
            c.sendLine("[" + "{\"execute\": \"reset\"},".repeat(10_000) + "{}]"); // over the line limit
            assertEquals("LineTooLong", ControlReplies.read(c).errorClass());
        }
        for (int i = 0; i < 20; i++) { // requests cut off by the client going away, whole ones among them
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(vm.controlSocket()));
                String half = "{\"execute\": \"poweroff\"}".substring(0, 1 + random.nextInt(22));
                ch.write(ByteBuffer.wrap(half.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    @Test
    void garbageOnTheControlSocketNeverDisturbsTheGuest() throws Exception {
        String undisturbed = run("calm", vm -> { });
        String fuzzed = run("fuzzed", VmControlFuzzTest::garbage);
        assertTrue(undisturbed.contains(DemoGuest.READY_LINE + "\r\nfuzz"), undisturbed);
        assertEquals(undisturbed, fuzzed);
    }
}
