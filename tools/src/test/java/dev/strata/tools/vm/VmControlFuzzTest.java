package dev.strata.tools.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Garbage on a running VM's control socket: random bytes, malformed and mistyped JSON, random JSON requests,
 * unknown commands, oversized and half-sent lines. None of it may reach the guest: it keeps running, and its serial
 * output, its last screen and the number of instructions it executed are exactly those of a deterministic run nobody
 * disturbed.
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

    /**
     * Where both runs end: the demo guest's RTC clock at this virtual time, long after the fuzzing is over. The idle
     * guest's virtual time goes from timer event to timer event, so four hours of it passed in about a second of host
     * time, and a clean-clone CI run once saw the VM power off (its control socket gone) in the middle of the
     * meddling; twenty hours leave it several seconds.
     */
    private static final String END_TIME = "20:00:00";

    /** What a run left: COM1's bytes, the last screen and the number of instructions the guest executed. */
    private record Outcome(String serial, String screen, long instructions) {
    }

    /**
     * Boots the demo guest as VM {@code name} in deterministic mode, with keys typed when it first reads the keyboard,
     * lets {@code meddle} at it once it is ready, and lets it run to {@link #END_TIME} on its clock.
     */
    private Outcome run(String name, Meddling meddle) throws Exception {
        Path floppy = DemoGuest.copyTo(home.resolve(name + ".img"));
        assertEquals(0, strata("vm", "create", name, "--memory", "16"), err::toString);
        assertEquals(0, strata("vm", "attach", name, "--controller", "floppy", "--port", "0", "--type", "fdd",
                "--medium", floppy.toString()), err::toString);
        Path serial = home.resolve(name + "-serial.txt");
        Path screen = home.resolve(name + "-screen.txt");
        InProcessStrata vmCli = new InProcessStrata();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> vmCli.run("vm", "start", name,
                "--headless", "--deterministic", "--serial", "file:" + serial, "--type", "fuzz", "--expect",
                END_TIME, "--stats", "--screen-dump", screen.toString(), "--timeout", "240"));
        VirtualMachine vm = new VirtualMachines(home).open(name);
        awaitSerial(serial, DemoGuest.READY_LINE + "\r\nfuzz", run);
        while (!Files.exists(vm.controlSocket())) {
            Thread.sleep(20);
        }
        meddle.at(vm);
        try (VmControlClient c = VmControlClient.connect(vm)) {
            assertEquals("Running", c.execute("query-status").value().path("state").asText(),
                    "the guest reached " + END_TIME + " before the meddling was over; make END_TIME later");
        }
        assertEquals(0, run.get(240, TimeUnit.SECONDS), vmCli.err::toString);
        assertEquals(VmState.POWERED_OFF, new VirtualMachines(home).open(name).settings().state);
        Matcher m = Pattern.compile("instructions (\\d+)").matcher(vmCli.err.toString());
        assertTrue(m.find(), vmCli.err::toString);
        return new Outcome(Files.readString(serial, StandardCharsets.ISO_8859_1), Files.readString(screen),
                Long.parseLong(m.group(1)));
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

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A command name no VM knows: random text, or a real one misspelt, cased differently or padded. */
    private static String unknownCommand(Random random) {
        String real = RandomJson.COMMANDS.get(random.nextInt(RandomJson.COMMANDS.size()));
        return switch (random.nextInt(5)) {
            case 0 -> real.toUpperCase(java.util.Locale.ROOT);
            case 1 -> real.substring(0, real.length() - 1);
            case 2 -> real + "-" + random.nextInt(100);
            case 3 -> " " + real;
            default -> RandomJson.text(random);
        };
    }

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
            for (int i = 0; i < 100; i++) {
                String command = unknownCommand(random);
                c.sendLine("{\"execute\": " + JSON.writeValueAsString(command) + ", \"id\": " + i + "}");
                ControlReply reply = ControlReplies.read(c);
                assertEquals("CommandNotFound", reply.errorClass(), command + " -> " + reply.line());
            }
            for (int i = 0; i < 200; i++) {
                String line = JSON.writeValueAsString(RandomJson.request(random));
                c.sendLine(line);
                ControlReply reply = ControlReplies.read(c); // read-only commands may answer; nothing else does
                assertTrue(reply.ok() || reply.errorClass() != null, line + " -> " + reply.line());
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
        Outcome undisturbed = run("calm", vm -> { });
        Outcome fuzzed = run("fuzzed", VmControlFuzzTest::garbage);
        assertTrue(undisturbed.serial().contains(DemoGuest.READY_LINE + "\r\nfuzz"), undisturbed.serial());
        assertTrue(undisturbed.screen().contains(END_TIME), undisturbed.screen());
        assertEquals(undisturbed.serial(), fuzzed.serial());
        assertEquals(undisturbed.screen(), fuzzed.screen());
        assertEquals(undisturbed.instructions(), fuzzed.instructions(), "instructions the guest executed");
    }
}
