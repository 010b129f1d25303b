package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.device.keyboard.TextTyper;
import dev.strata.storage.image.RawImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the shared FreeDOS floppy on the fixture PC in deterministic time and looks for the prompt. The CPU has no
 * protected mode yet and HIMEM's XMS moves need it, so the copy's CONFIG.SYS has HIMEM and DOS=HIGH commented out
 * (same length, patched in place; the shared image is never touched).
 */
class FreeDosBootTest {

    private static final String HIMEM_LINES = "DOS=HIGH\r\nDEVICE=\\FDOS\\HIMEM.EXE";

    @Test
    void freeDosFloppyBootsToThePrompt(@TempDir Path dir) throws Exception {
        Optional<Path> image = SharedFiles.find("guests/freedos/freedos722.img");
        assumeTrue(image.isPresent(), "FreeDOS floppy not available");
        Path copy = dir.resolve("freedos.img");
        byte[] bytes = Files.readAllBytes(image.get());
        commentOutHimem(bytes);
        Files.write(copy, bytes);
        FixturePc pc = new FixturePc();
        try (RawImage floppy = RawImage.open(copy, false)) {
            pc.floppies[0] = floppy;
            pc.post();
            String screen = "";
            long t0 = System.nanoTime();
            for (int i = 0; i < 300 && !screen.contains("A:\\>"); i++) {
                pc.run(1_000_000);
                screen = pc.screenText();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("FreeDOS prompt after " + pc.cpu.instructions + " instructions, " + ms + " ms, "
                    + pc.bios.serviceCalls() + " BIOS calls");
            if (!screen.contains("A:\\>")) {
                System.out.println("Last BIOS calls:");
                pc.bios.recentCalls().forEach(System.out::println);
            }
            assertTrue(screen.contains("Welcome to FreeDOS"), "AUTOEXEC.BAT did not run:\n" + screen);
            assertTrue(screen.contains("A:\\>"), "no FreeDOS prompt on the screen:\n" + screen);

            type(pc, "echo %PATH%>A:\\OUT.TXT\r");
            type(pc, "type out.txt\r");
            screen = pc.screenText();
            assertTrue(screen.contains("A:\\FDOS;A:\\GAMES\n"), "typed commands did not run:\n" + screen);
        }
        byte[] after = Files.readAllBytes(copy);
        assertTrue(new String(after, StandardCharsets.ISO_8859_1).contains("A:\\FDOS;A:\\GAMES\r\n"),
                "ECHO did not write OUT.TXT to the diskette through INT 13h");
    }

    /** Types text on the AT keyboard, key by key, letting the guest run between presses. */
    private static void type(FixturePc pc, String text) {
        for (TextTyper.KeyStroke stroke : TextTyper.strokes(text)) {
            if (stroke.shift()) {
                pc.kbc.keyboard().press(Key.LEFT_SHIFT);
            }
            pc.kbc.keyboard().press(stroke.key());
            pc.run(200_000);
            pc.kbc.keyboard().release(stroke.key());
            if (stroke.shift()) {
                pc.kbc.keyboard().release(Key.LEFT_SHIFT);
            }
            pc.run(200_000);
        }
        pc.run(5_000_000);
    }

    private static void commentOutHimem(byte[] image) {
        byte[] pattern = HIMEM_LINES.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + pattern.length <= image.length; i++) {
            boolean match = true;
            for (int k = 0; k < pattern.length && match; k++) {
                match = image[i + k] == pattern[k];
            }
            if (match) {
                image[i] = ';';
                image[i + "DOS=HIGH\r\n".length()] = ';';
                return;
            }
        }
        throw new AssertionError("CONFIG.SYS of the FreeDOS floppy does not hold the expected HIMEM lines");
    }
}
