package dev.strata.guests.test386;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RomImageFirmware;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.guests.SharedData;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the independent 386+ tester test386 ({@code ../shared/cpu-tests/test386}) as the machine's BIOS ROM, as
 * {@code strata run --bios test386.bin} does: every test block must pass (the POST codes on port 80h reach FFh in
 * the ROM's order) and the arithmetic results it prints on port E9h must equal the reference line for line.
 */
class Test386Test {

    /** The POST codes test386 writes, in order, when every test passes (its configuration: no undefined tests). */
    private static final String PASSING_POST_CODES = "00 01 02 03 04 05 06 08 09 20 21 22 0B 0C 0D 0E 0F 10 11 12 13"
            + " 14 15 16 17 18 19 1A 1B 1C E0 EE FF";

    /** Interpreted, with hot blocks translated (as a machine runs), and with every block translated first. */
    @ParameterizedTest
    @EnumSource(JitMode.class)
    void test386PassesEveryTestBlockAndPrintsTheReferenceResults(JitMode jit) throws Exception {
        Optional<Path> dir = SharedData.find("cpu-tests/test386");
        Assumptions.assumeTrue(dir.isPresent(), "test386 is not in the shared data");
        List<String> posts = new ArrayList<>();
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        MachineSettings settings = new MachineSettings().memoryMb(4).clockMode(ClockMode.DETERMINISTIC).jit(jit)
                .firmware(RomImageFirmware.load(dir.get().resolve("test386.bin")))
                .debugConsole(e9::write)
                .postCodeListener(code -> posts.add(String.format("%02X", code)));
        PcMachine machine = new PcMachine(settings);
        MachineRunner runner = new MachineRunner(machine);
        runner.start();
        RunOutcome outcome = runner.await(300, TimeUnit.SECONDS);
        runner.stop();
        assertEquals(0, machine.cpu().stats().untranslatable(), "blocks the translator failed on");

        assertEquals(PASSING_POST_CODES, String.join(" ", posts), "POST codes (the last one is the failing test)");
        assertEquals(RunOutcome.HALTED, outcome, "test386 halts after POST FFh");
        List<String> expected = Files.readAllLines(dir.get().resolve("test386-EE-reference.txt"),
                StandardCharsets.ISO_8859_1);
        List<String> actual = e9.toString(StandardCharsets.ISO_8859_1).lines().toList();
        for (int n = 0; n < Math.min(expected.size(), actual.size()); n++) {
            assertEquals(expected.get(n), actual.get(n), "E9h output line " + (n + 1));
        }
        assertEquals(expected.size(), actual.size(), "E9h output lines");
    }
}
