package dev.strata.guests.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linux boots to its shell and answers a command the same interpreted and with the translating tier on: the same
 * COM1 transcript, the same screen, the same instruction count when the answer is in (deterministic clock). The
 * kernel unpacks itself here, as on a PC: its xz decompressor (2.3 billion instructions of branchy 32-bit code) is
 * the most instructions of real guest code the two tiers are compared on.
 */
@Timeout(1200)
class LinuxTranslatedBootTest {

    private record Run(LinuxConsole.Result result, double translatedPercent) {
    }

    private static Run boot(LinuxGuest guest, JitMode jit) throws Exception {
        MachineSettings settings = new MachineSettings().memoryMb(LinuxBootTest.MEMORY_MB).jit(jit)
                .kernelBoot(new KernelBoot(guest.kernel, guest.initrd, "console=ttyS0,115200 " + LinuxBootTest.QUICK,
                        false));
        try (LinuxConsole console = new LinuxConsole(settings)) {
            console.onSerial(LinuxGuest.PROMPT, "uname -r; echo $((6*7)); echo DONE$((40+2))\r");
            LinuxConsole.Result r = console.run(List.of(LinuxGuest.PROMPT, "DONE42"), LinuxBootTest.HOST_SECONDS);
            assertTrue(r.allMet(), jit + ": " + r.describe());
            assertEquals(0, console.machine.cpu().stats().untranslatable(), jit + ": blocks the translator failed on");
            return new Run(r, console.machine.cpu().stats().translatedPercent());
        }
    }

    @Test
    void linuxBootsAndAnswersTheSameInterpretedAndTranslated() throws Exception {
        LinuxGuest guest = LinuxGuest.get();
        Run interpreted = boot(guest, JitMode.OFF);
        Run translated = boot(guest, JitMode.ON);
        assertEquals(interpreted.result().serial(), translated.result().serial(), "COM1 transcripts");
        assertEquals(interpreted.result().screen(), translated.result().screen(), "screens");
        assertEquals(interpreted.result().instructions(), translated.result().instructions(), "instruction counts");
        // how much runs translated depends on how soon the background thread delivers (87 % on a quiet machine,
        // 45 % seen under a load of 5 on two cores); the comparison above is only worth something if a good part did
        assertTrue(translated.translatedPercent() > 10, "a good part of the boot ran translated: "
                + translated.translatedPercent() + " %");
        System.out.printf("Linux boot and one command: %d instructions either way, %.1f%% of them translated%n",
                translated.result().instructions(), translated.translatedPercent());
    }
}
