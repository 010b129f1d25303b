package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.guests.demo.DemoGuest;
import dev.strata.tools.StrataCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --debugcon} and {@code --trace} on {@code strata run}: what the guest prints to E9h and what the CPU did. */
@Timeout(120)
class SeeingInsideTest {

    /**
     * A 64 KiB BIOS image whose reset jump leads to F000:E000: mov al,'H'; out E9h,al; mov al,'I'; out E9h,al;
     * cli; hlt (seven instructions with the jump; the halt with interrupts off ends the run).
     */
    private static final int[] CODE = {0xB0, 0x48, 0xE6, 0xE9, 0xB0, 0x49, 0xE6, 0xE9, 0xFA, 0xF4};

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

    /** Runs with System.out captured, as a headless run writes COM1 and stdio routes there. */
    private String runCapturingStdout(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.ISO_8859_1));
        try {
            assertEquals(0, run(args), err.toString());
        } finally {
            System.setOut(saved);
        }
        return captured.toString(StandardCharsets.ISO_8859_1);
    }

    private String rom() throws IOException {
        byte[] rom = new byte[64 * 1024];
        Arrays.fill(rom, (byte) 0xFF);
        for (int k = 0; k < CODE.length; k++) {
            rom[0xE000 + k] = (byte) CODE[k];
        }
        byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0};
        System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
        Path file = dir.resolve("hi.rom");
        Files.write(file, rom);
        return file.toString();
    }

    @Test
    void debugconFileGetsWhatTheDemoGuestWritesToE9() throws IOException {
        Path e9 = dir.resolve("e9.txt");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--debugcon", "file:" + e9,
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        String text = Files.readString(e9, StandardCharsets.ISO_8859_1);
        assertTrue(text.startsWith("Strata demo guest"), text);
        assertTrue(text.contains(DemoGuest.READY_LINE), text);
    }

    @Test
    void debugconStdioWritesToStandardOutputAndNoneOrTheDefaultDiscards() throws IOException {
        String rom = rom();
        assertEquals("HI", runCapturingStdout("--headless", "--bios", rom, "--serial", "none", "--debugcon", "stdio"));
        assertEquals("", runCapturingStdout("--headless", "--bios", rom, "--serial", "none", "--debugcon", "none"));
        assertEquals("", runCapturingStdout("--headless", "--bios", rom, "--serial", "none"));
    }

    @Test
    void debugconFilesAreWrittenThroughAsTheBytesCome() throws IOException {
        Path file = dir.resolve("live.txt");
        try (OutputRouting routing = OutputRouting.parse("--debugcon", "file:" + file, System.out)) {
            routing.sink().accept('o');
            routing.sink().accept('k');
            assertEquals("ok", Files.readString(file), "readable before the run ends");
        }
    }

    @Test
    void traceWritesALinePerInstructionWithItsAddressDisassemblyAndChanges() throws IOException {
        Path trace = dir.resolve("trace.txt");
        assertEquals(0, run("--headless", "--bios", rom(), "--serial", "none", "--trace", trace.toString()),
                err.toString());
        List<String> lines = Files.readAllLines(trace);
        assertEquals(7, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).matches(" +0 R16 F000:FFF0 +EA 00 E0 00 F0 +jmp 0xf000:0xe000"), lines.get(0));
        assertTrue(lines.get(1).matches(" +1 R16 F000:E000 +B0 48 +mov al,0x48 +eax=00000000->00000048"),
                lines.get(1));
        assertTrue(lines.get(2).matches(" +2 R16 F000:E002 +E6 E9 +out 0xe9,al"), lines.get(2));
        assertTrue(lines.get(3).matches(" +3 R16 F000:E004 +B0 49 +mov al,0x49 +eax=00000048->00000049"),
                lines.get(3));
        assertTrue(lines.get(5).matches(" +5 R16 F000:E008 +FA +cli"), lines.get(5));
        assertTrue(lines.get(6).matches(" +6 R16 F000:E009 +F4 +hlt"), lines.get(6));
    }

    @Test
    void traceFiltersPickTheInstructionsShown() throws IOException {
        Path trace = dir.resolve("window.txt");
        assertEquals(0, run("--headless", "--bios", rom(), "--serial", "none", "--trace", trace.toString(),
                "--trace-from", "2", "--trace-count", "2"), err.toString());
        List<String> lines = Files.readAllLines(trace);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(" 2 R16 F000:E002 ") && lines.get(1).contains(" 3 R16 F000:E004 "),
                String.join("\n", lines));

        Path range = dir.resolve("range.txt");
        assertEquals(0, run("--headless", "--bios", rom(), "--serial", "none", "--trace", range.toString(),
                "--trace-range", "0xFE004-fe008"), err.toString());
        lines = Files.readAllLines(range);
        assertEquals(2, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains("mov al,0x49") && lines.get(1).contains("out 0xe9,al"),
                String.join("\n", lines));
    }

    @Test
    void traceLastKeepsOnlyTheLastRecordsAndWritesThemAtTheEnd() throws IOException {
        Path trace = dir.resolve("last.txt");
        assertEquals(0, run("--headless", "--bios", rom(), "--serial", "none", "--trace", trace.toString(),
                "--trace-last", "2"), err.toString());
        List<String> lines = Files.readAllLines(trace);
        assertEquals(List.of("# end of the run at instruction 7: the last 2 records (5 earlier ones not kept)"),
                lines.subList(0, 1));
        assertTrue(lines.get(1).contains("cli") && lines.get(2).contains("hlt"), String.join("\n", lines));
        assertEquals(3, lines.size());
    }

    @Test
    void traceEventsShowsTheDemoGuestsBiosCallsAndNoInstructions() throws IOException {
        Path trace = dir.resolve("events.txt");
        // at the line rate the demo guest's COM1 output takes 0.19 s of virtual time: several timer ticks
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--serial-line-rate", "--trace",
                trace.toString(), "--trace-events", "--expect", DemoGuest.READY_LINE, "--timeout", "60"),
                err.toString());
        List<String> lines = Files.readAllLines(trace);
        assertTrue(lines.stream().anyMatch(l -> l.contains("** INT 10h (software)")), "video BIOS calls");
        assertTrue(lines.stream().anyMatch(l -> l.contains("** interrupt 08h (hardware)")), "timer ticks");
        assertTrue(lines.stream().allMatch(l -> l.contains(" ** ")), "interrupt lines only");
    }

    @Test
    void traceOptionMistakesAreExplained() throws IOException {
        String rom = rom();
        assertEquals(1, run("--headless", "--bios", rom, "--trace-count", "5"));
        assertTrue(err.toString().contains("--trace-count needs --trace FILE"), err.toString());
        Path trace = dir.resolve("t.txt");
        assertEquals(1, run("--headless", "--bios", rom, "--trace", trace.toString(), "--trace-range", "7c00"));
        assertTrue(err.toString().contains("--trace-range 7c00: expected START-END in hex"), err.toString());
        assertEquals(1, run("--headless", "--bios", rom, "--trace", trace.toString(), "--trace-range", "7e00-7c00"));
        assertTrue(err.toString().contains("START below END"), err.toString());
        assertEquals(1, run("--headless", "--bios", rom, "--trace", trace.toString(), "--trace-last", "0"));
        assertTrue(err.toString().contains("--trace-last must be between 1 and"), err.toString());
        assertEquals(1, run("--headless", "--bios", rom, "--trace", dir.resolve("no/such/dir/t.txt").toString()));
        assertTrue(err.toString().contains("does not exist"), err.toString());
        assertEquals(1, run("--headless", "--bios", rom, "--debugcon", "tcp:1234"));
        assertTrue(err.toString().contains("--debugcon tcp:1234: expected stdio, file:PATH or none"), err.toString());
        assertFalse(err.toString().contains("Exception"), "no stack trace: " + err);
    }

    @Test
    void vmStartTakesTheSameOptions() {
        StringWriter out = new StringWriter();
        CommandLine cl = StrataCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.execute("vm", "start", "--help");
        for (String option : List.of("--debugcon", "--trace", "--trace-from", "--trace-count", "--trace-range",
                "--trace-events", "--trace-last")) {
            assertTrue(out.toString().contains(option), option + " in:\n" + out);
        }
    }
}
