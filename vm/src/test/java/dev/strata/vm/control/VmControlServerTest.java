package dev.strata.vm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The control protocol over a real socket, against a VM that records what it is asked. */
@Timeout(60)
class VmControlServerTest {
    @TempDir
    Path dir;

    private final FakeTarget vm = new FakeTarget();
    private VmControlServer server;
    private Path socket;

    @BeforeEach
    void serve() throws Exception {
        socket = dir.resolve("control.sock");
        server = VmControlServer.start(socket, vm);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static JsonNode json(String line) {
        JsonNode n = ControlProtocol.parseOrNull(line);
        assertTrue(n != null && n.isObject(), line);
        return n;
    }

    /** Sends {@code line} and returns the server's reply, parsed. */
    private static JsonNode ask(VmControlClient c, String line) throws Exception {
        c.sendLine(line);
        return json(c.readLine());
    }

    private static void assertError(JsonNode reply, String errorClass, String descPart) {
        assertEquals(errorClass, reply.path("error").path("class").asText(), reply.toString());
        assertTrue(reply.path("error").path("desc").asText().contains(descPart), reply.toString());
    }

    @Test
    void theGreetingNamesTheProtocolVersionAndCapabilities() throws Exception {
        try (VmControlClient c = VmControlClient.connect(socket)) {
            JsonNode g = json(c.greeting()).path("strata");
            assertEquals(ControlProtocol.VERSION, g.path("version").path("protocol").asInt());
            assertFalse(g.path("version").path("strata").asText().isEmpty());
            assertEquals("events", g.path("capabilities").get(0).asText());
        }
    }

    @Test
    void aScreenshotOfALargeVbeModeThatDoesNotCompressReachesTheClient() throws Exception {
        int[] pixels = new int[1024 * 768];
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = 0xFF000000 | random.nextInt(0x1000000);
        }
        vm.picture = new dev.strata.emulator.display.Frame(1024, 768, pixels);
        try (VmControlClient c = VmControlClient.connect(socket)) {
            ControlReply reply = c.execute("screenshot", JsonNodeFactory.instance.objectNode().put("format", "png"));
            assertTrue(reply.ok(), reply.toString());
            byte[] png = java.util.Base64.getDecoder().decode(reply.value().path("png").asText());
            assertTrue(png.length > 2 * 1024 * 1024, "a PNG of noise: " + png.length + " bytes");
            java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertEquals(pixels[1023 * 1 + 767 * 1024], picture.getRGB(1023, 767));
        }
    }

    @Test
    void eachCommandRepliesWithItsResultAndTheRequestsId() throws Exception {
        try (VmControlClient c = VmControlClient.connect(socket)) {
            JsonNode r = ask(c, "{\"execute\": \"query-status\", \"id\": \"a1\"}");
            assertEquals("Running", r.path("return").path("state").asText());
            assertEquals("a1", r.path("id").asText());
            assertEquals("{}", ask(c, "{\"execute\": \"pause\", \"id\": 2}").path("return").toString());
            assertEquals("Paused", c.execute("query-status").value().path("state").asText());
            assertTrue(c.execute("resume").ok());
            assertTrue(c.execute("reset").ok());
            assertEquals("/vms/fake/saved.state", c.execute("savestate").value().path("file").asText());
            ControlReply snap = c.execute("snapshot-live", JsonNodeFactory.instance.objectNode().put("name", "s1")
                    .put("description", "at the prompt"));
            assertEquals("00000000-0000-0000-0000-000000000001", snap.value().path("uuid").asText());
            assertTrue(c.execute("type", JsonNodeFactory.instance.objectNode().put("text", "dir\r")).ok());
            assertEquals("[\"C:\\\\>dir\",\"\"]", c.execute("screenshot").value().path("lines").toString());
            byte[] png = java.util.Base64.getDecoder().decode(c.execute("screenshot",
                    JsonNodeFactory.instance.objectNode().put("format", "png")).value().path("png").asText());
            java.awt.image.BufferedImage picture = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png));
            assertEquals(2, picture.getWidth());
            assertEquals(0xFFFFFFFF, picture.getRGB(1, 0));
            ControlReply gif = c.execute("screenshot", JsonNodeFactory.instance.objectNode().put("format", "gif"));
            assertFalse(gif.ok());
            assertTrue(gif.errorDesc().contains("use text or png"), gif.errorDesc());
            assertTrue(c.execute("poweroff").ok());
            assertTrue(c.execute("query-commands").value().path("commands").toString().contains("\"savestate\""));
            // A reply without an id to a request without one: the client still reads it.
            assertFalse(ask(c, "{\"execute\": \"query-status\"}").has("id"));
        }
        assertEquals(List.of("pause", "resume", "reset", "savestate", "snapshot-live s1 at the prompt", "type dir\r",
                "poweroff"), vm.calls);
    }

    @Test
    void infoRepliesWithTheLinesOfATopicAndRefusesBadArguments() throws Exception {
        try (VmControlClient c = VmControlClient.connect(socket)) {
            assertEquals("[\"info cpu \"]", c.execute("info", JsonNodeFactory.instance.objectNode().put("what",
                    "cpu")).value().path("lines").toString());
            assertEquals("[\"info mem 0x7c00 16\"]", c.execute("info", JsonNodeFactory.instance.objectNode()
                    .put("what", "mem").put("address", "0x7c00").put("length", "16")).value().path("lines")
                    .toString());
            assertError(ask(c, "{\"execute\": \"info\", \"arguments\": {\"what\": \"mem\", \"address\": \"1\"}}"),
                    ControlError.INVALID_PARAMETER, "address and length together");
            assertError(ask(c, "{\"execute\": \"info\", \"arguments\": {\"what\": \"fpu\"}}"),
                    ControlError.INVALID_PARAMETER, "unknown info topic 'fpu'");
        }
    }

    @Test
    void malformedRequestsGetAnErrorAndTheConnectionGoesOn() throws Exception {
        try (VmControlClient c = VmControlClient.connect(socket)) {
            assertError(ask(c, "pause"), ControlError.INVALID_JSON, "not one JSON value");
            assertError(ask(c, "{\"execute\": \"pause\""), ControlError.INVALID_JSON, "not one JSON value");
            assertError(ask(c, "{} {}"), ControlError.INVALID_JSON, "not one JSON value");
            assertError(ask(c, "[1, 2]"), ControlError.INVALID_REQUEST, "got an array");
            assertError(ask(c, ""), ControlError.INVALID_JSON, "");
            assertError(ask(c, "{\"id\": 7}"), ControlError.INVALID_REQUEST, "'execute' must be a command name");
            JsonNode r = ask(c, "{\"execute\": 3, \"id\": 7}");
            assertError(r, ControlError.INVALID_REQUEST, "got a number");
            assertEquals(7, r.path("id").asInt(), "an error carries the id it could read");
            assertError(ask(c, "{\"execute\": \"pause\", \"arguments\": []}"), ControlError.INVALID_REQUEST,
                    "'arguments' must be an object");
            assertError(ask(c, "{\"execute\": \"pause\", \"args\": {}}"), ControlError.INVALID_REQUEST,
                    "unknown key 'args'");
            assertError(ask(c, "{\"execute\": \"halt-and-catch-fire\"}"), ControlError.COMMAND_NOT_FOUND,
                    "unknown command 'halt-and-catch-fire'; the commands are query-status");
            assertError(ask(c, "{\"execute\": \"type\", \"arguments\": {\"text\": 42}}"),
                    ControlError.INVALID_PARAMETER, "argument 'text' must be a string, got a number");
            assertError(ask(c, "{\"execute\": \"type\"}"), ControlError.INVALID_PARAMETER,
                    "type needs argument 'text'");
            assertError(ask(c, "{\"execute\": \"pause\", \"arguments\": {\"now\": true}}"),
                    ControlError.INVALID_PARAMETER, "pause has no argument 'now'; it takes none");
            assertError(ask(c, "\u0000\u00ff\u0007garbage\u001b"), ControlError.INVALID_JSON, "");
            assertEquals("Running", c.execute("query-status").value().path("state").asText());
        }
        assertTrue(vm.calls.isEmpty(), vm.calls.toString());
    }

    @Test
    void whatTheVmRefusesOrFailsIsAnErrorNamingWhy() throws Exception {
        vm.state = "Paused";
        try (VmControlClient c = VmControlClient.connect(socket)) {
            ControlReply r = c.execute("pause");
            assertEquals(ControlError.INVALID_STATE, r.errorClass());
            assertEquals("VM 'fake' is Paused; only a Running VM pauses", r.errorDesc());
            r = c.execute("snapshot-live", JsonNodeFactory.instance.objectNode().put("name", "broken"));
            assertEquals(ControlError.GENERIC, r.errorClass());
            assertEquals("disk full writing the snapshot", r.errorDesc());
        }
    }

    @Test
    void anOversizedLineIsRefusedWithoutTheServerKeepingIt() throws Exception {
        try (VmControlClient c = VmControlClient.connect(socket)) {
            String huge = "{\"execute\": \"type\", \"arguments\": {\"text\": \"" + "a".repeat(ControlProtocol.MAX_LINE)
                    + "\"}}";
            assertError(ask(c, huge), ControlError.LINE_TOO_LONG, "longer than 65536 bytes");
            assertError(ask(c, "x".repeat(5 * ControlProtocol.MAX_LINE)), ControlError.LINE_TOO_LONG, "");
            assertEquals("Running", c.execute("query-status").value().path("state").asText());
        }
        assertTrue(vm.calls.isEmpty(), vm.calls.toString());
    }

    @Test
    void aRequestCutOffByTheClientGoingAwayIsNotCarriedOut() throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap("{\"execute\": \"poweroff\"}".getBytes(StandardCharsets.UTF_8))); // no newline
        }
        try (VmControlClient c = VmControlClient.connect(socket)) {
            assertEquals("Running", c.execute("query-status").value().path("state").asText());
        }
        assertTrue(vm.calls.isEmpty(), vm.calls.toString());
    }

    @Test
    void eventsReachEveryConnectedClientInOrder() throws Exception {
        try (VmControlClient a = VmControlClient.connect(socket); VmControlClient b = VmControlClient.connect(socket)) {
            a.execute("query-status"); // both are registered once they have been answered
            b.execute("query-status");
            vm.emit(VmEvent.now(VmEvent.STATE_CHANGED).with("state", "Paused").with("previous", "Running"));
            vm.emit(VmEvent.now(VmEvent.RESET).with("by", "guest"));
            for (VmControlClient c : List.of(a, b)) {
                JsonNode e = json(c.readLine());
                assertEquals("STATE_CHANGED", e.path("event").asText());
                assertEquals("Paused", e.path("data").path("state").asText());
                assertEquals("Running", e.path("data").path("previous").asText());
                assertTrue(e.path("timestamp").path("seconds").asLong() > 1_600_000_000L, e.toString());
                assertEquals("RESET", json(c.readLine()).path("event").asText());
            }
        }
    }

    @Test
    void aClientConnectingTheMomentTheSocketAppearsIsGreetedNeverRefused() throws Exception {
        // as `strata vm control` run right after `vm start` may: the socket's name must not appear before it takes
        // connections. Busy threads make the server's thread lose the CPU between steps, as on a loaded machine.
        Path watched = dir.resolve("watched.sock");
        List<Thread> busy = new java.util.ArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors(); i++) {
            Thread t = new Thread(() -> {
                while (!done.get()) {
                    Thread.onSpinWait();
                }
            });
            t.start();
            busy.add(t);
        }
        try {
            for (int round = 0; round < 300; round++) {
                java.util.concurrent.CompletableFuture<String> greeting = java.util.concurrent.CompletableFuture
                        .supplyAsync(() -> {
                            try {
                                while (!Files.exists(watched)) {
                                    Thread.onSpinWait();
                                }
                                try (VmControlClient c = VmControlClient.connect(watched)) {
                                    return c.greeting();
                                }
                            } catch (Exception e) {
                                return e.toString();
                            }
                        });
                try (VmControlServer s = VmControlServer.start(watched, new FakeTarget())) {
                    String g = greeting.get(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertTrue(g.contains("\"strata\""), "round " + round + ": " + g);
                }
            }
        } finally {
            done.set(true);
            for (Thread t : busy) {
                t.join();
            }
        }
        assertEquals(List.of("control.sock"), List.of(dir.toFile().list()), "nothing of the watched socket is left");
    }

    @Test
    void closingTheServerRemovesTheSocketAndEndsItsClients() throws Exception {
        VmControlClient c = VmControlClient.connect(socket);
        c.execute("query-status");
        server.close();
        assertFalse(Files.exists(socket));
        assertNull(c.readLine());
        c.close();
    }
}
