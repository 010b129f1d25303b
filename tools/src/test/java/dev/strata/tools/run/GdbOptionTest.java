package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.gdb.RspPacket;
import dev.strata.tools.StrataCli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata run --gdb/--gdb-wait}: the options, and a session through the command line's own listener. */
@Timeout(120)
class GdbOptionTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    /** A 64 KiB BIOS whose reset jump leads to F000:E000: cli; hlt (the run then ends, halted for good). */
    private String rom() throws IOException {
        byte[] rom = new byte[64 * 1024];
        Arrays.fill(rom, (byte) 0xFF);
        rom[0xE000] = (byte) 0xFA;
        rom[0xE001] = (byte) 0xF4;
        byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0};
        System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
        Path file = dir.resolve("halt.rom");
        Files.write(file, rom);
        return file.toString();
    }

    @Test
    void gdbWaitWithoutGdbIsRefusedNamingWhatItNeeds() {
        assertNotEquals(0, run("--headless", "--gdb-wait"));
        assertTrue(err.toString().contains("--gdb-wait needs --gdb tcp::PORT"), err.toString());
    }

    @Test
    void anAddressOfAnotherFormIsRefusedNamingTheForm() {
        assertNotEquals(0, run("--headless", "--gdb", "1234"));
        assertTrue(err.toString().contains("--gdb takes tcp::PORT or tcp:HOST:PORT"), err.toString());
    }

    @Test
    void theGuestWaitsForGdbWhichStepsAndContinuesItToItsEnd() throws Exception {
        String rom = rom();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run("--headless", "--bios", rom,
                "--serial", "none", "--gdb", "tcp::0", "--gdb-wait"));
        int port = portFrom(exit);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            assertEquals("T05thread:1;", exchange(in, out, "?"));
            assertEquals("f0ff0000", exchange(in, out, "p8"), "EIP FFF0h at reset, little-endian");
            assertEquals("ea00e000f0", exchange(in, out, "mffff0,5"), "the reset jump, by linear address");
            assertEquals("T05thread:1;", exchange(in, out, "s"));
            assertEquals("00e00000", exchange(in, out, "p8"), "EIP after the far jump");
            assertEquals("W00", exchange(in, out, "c"), "cli; hlt ends the run");
        }
        assertEquals(0, exit.get(30, TimeUnit.SECONDS), err.toString());
    }

    private int portFrom(CompletableFuture<Integer> exit) throws InterruptedException {
        Pattern p = Pattern.compile("target remote [^:]+:(\\d+)");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && !exit.isDone()) {
            Matcher m = p.matcher(err.toString());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no gdb address printed: " + err);
    }

    private static String exchange(InputStream in, OutputStream out, String payload) throws IOException {
        out.write(RspPacket.frame(payload));
        out.flush();
        int c;
        while ((c = in.read()) != '$') {
            if (c < 0) {
                throw new IOException("connection closed");
            }
        }
        StringBuilder b = new StringBuilder();
        while ((c = in.read()) != '#') {
            b.append((char) c);
        }
        in.read();
        in.read();
        return b.toString();
    }
}
