package dev.strata.guests.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.guests.GuestBoot;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoGuestBootTest {
    @TempDir
    Path dir;

    private GuestBoot.Result boot(String typed, List<String> expect) throws Exception {
        Path img = DemoGuest.copyTo(dir.resolve("demo-" + System.nanoTime() + ".img"));
        return GuestBoot.run(new MachineSettings().floppy(0, img).bootOrder("a"), expect, typed, 60);
    }

    @Test
    void bootsFromFloppyAndReportsMemoryOnCom1() throws Exception {
        GuestBoot.Result r = boot(null, List.of(DemoGuest.READY_LINE));
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.serial().contains("Conventional memory (INT 12h):      639 KB"), r.describe());
        assertTrue(r.serial().contains("Extended memory (INT 15h AH=88h):   31744 KB"), r.describe());
        assertTrue(r.screen().contains("Strata demo guest"), r.describe());
    }

    @Test
    void echoesKeysTypedOnTheEmulatedKeyboard() throws Exception {
        GuestBoot.Result r = boot("hello", List.of(DemoGuest.READY_LINE, "hello"));
        assertTrue(r.allMet(), r.describe());
        assertTrue(r.screen().contains("hello"), r.describe());
    }

    @Test
    void twoDeterministicBootsGiveTheSameOutputByteForByte() throws Exception {
        GuestBoot.Result a = boot("strata", List.of(DemoGuest.READY_LINE, "strata"));
        GuestBoot.Result b = boot("strata", List.of(DemoGuest.READY_LINE, "strata"));
        assertTrue(a.allMet(), a.describe());
        assertEquals(a.serial(), b.serial());
        assertEquals(a.screen(), b.screen());
        assertEquals(a.instructions(), b.instructions());
    }
}
