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
 * Boots the shared FreeDOS floppy, unmodified (HIMEM and DOS=HIGH included: HIMEM's XMS moves run in protected
 * mode), on the fixture PC in deterministic time and looks for the prompt. It boots a copy, as the typed commands
 * write to the diskette; the shared image is never touched.
 */
class FreeDosBootTest {

    @Test
    void freeDosFloppyBootsToThePrompt(@TempDir Path dir) throws Exception {
        Optional<Path> image = SharedFiles.find("guests/freedos/freedos722.img");
        assumeTrue(image.isPresent(), "FreeDOS floppy not available");
        Path copy = dir.resolve("freedos.img");
        Files.copy(image.get(), copy);
        FixturePc pc = new FixturePc();
        try (RawImage floppy = RawImage.open(copy, false)) {
            pc.floppies[0] = floppy;
            pc.post();
            String screen = "";
            long t0 = System.nanoTime();
            for (int i = 0; i < 3000 && !screen.contains("A:\\>"); i++) {
                pc.run(100_000);
                screen = pc.screenText();
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            System.out.println("FreeDOS prompt after " + pc.cpu.instructions + " instructions, " + ms + " ms, "
                    + pc.bios.serviceCalls() + " BIOS calls");
            if (!screen.contains("A:\\>")) {
                System.out.println("Last BIOS calls:");
                pc.bios.recentCalls().forEach(System.out::println);
            }
            assertTrue(screen.contains("FreeDOS HIMEM"), "HIMEM did not load:\n" + screen);
            assertTrue(screen.contains("in HMA"), "DOS=HIGH did not move the kernel into the HMA:\n" + screen);
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
}
