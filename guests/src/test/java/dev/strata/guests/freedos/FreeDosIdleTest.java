package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FreeDOS waiting at its prompt costs almost nothing: the BIOS turns its INT 16h polling loop into waits for the
 * next interrupt, so a deterministic run covers idle virtual seconds in a few thousand instructions each (a busy
 * loop would run 100 million), the same number in every run.
 */
class FreeDosIdleTest {

    static final long SECOND = 1_000_000_000L;
    /** The prompt shows well before this virtual time (it takes about 0.06 s). */
    static final long IDLE_FROM = 2 * SECOND;
    static final long IDLE_SECONDS = 10;
    /** At most 100,000 instructions per idle virtual second: a thousandth of a busy-polling CPU at 100 MIPS. */
    static final long MAX_INSTRUCTIONS_PER_IDLE_SECOND = 100_000;

    record Idle(String screenAtStart, long instructionsAtStart, long instructionsAtEnd, String screenAtEnd) {
        long idleInstructions() {
            return instructionsAtEnd - instructionsAtStart;
        }
    }

    @TempDir
    Path dir;
    private Path shared;

    @BeforeEach
    void floppy() {
        Optional<Path> p = FreeDosFloppy.shared();
        assumeTrue(p.isPresent(), "FreeDOS floppy not available");
        shared = p.get();
    }

    /** Boots to the prompt and leaves FreeDOS alone for {@link #IDLE_SECONDS} virtual seconds. */
    private Idle idleAtPrompt() throws Exception {
        Path floppy = FreeDosFloppy.copy(shared, dir.resolve("fd-" + System.nanoTime() + ".img"));
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a")
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios());
        try (PcMachine machine = new PcMachine(settings)) {
            MachineRunner runner = new MachineRunner(machine);
            String[] screens = new String[2];
            long[] counts = new long[2];
            machine.clock().scheduler().schedule(new TimedEvent("test.idle-start", d -> {
                screens[0] = machine.vga().textScreen().toText();
                counts[0] = machine.cpu().instructions;
            }), IDLE_FROM);
            machine.clock().scheduler().schedule(new TimedEvent("test.idle-end", d -> {
                screens[1] = machine.vga().textScreen().toText();
                counts[1] = machine.cpu().instructions;
                runner.stop();
            }), IDLE_FROM + IDLE_SECONDS * SECOND);
            runner.start();
            RunOutcome outcome = runner.await(180, TimeUnit.SECONDS);
            if (outcome == null) {
                runner.stop();
                runner.await();
            }
            assertEquals(RunOutcome.STOPPED, outcome, "the idle run did not reach its end in 180 host seconds");
            return new Idle(screens[0], counts[0], counts[1], screens[1]);
        }
    }

    @Test
    void idleAtThePromptRunsAFewThousandInstructionsPerVirtualSecond() throws Exception {
        Idle idle = idleAtPrompt();
        assertTrue(idle.screenAtStart().stripTrailing().endsWith(FreeDosBootTest.PROMPT), idle.screenAtStart());
        assertEquals(idle.screenAtStart(), idle.screenAtEnd());
        System.out.printf("FreeDOS idle at its prompt: %d instructions per virtual second%n",
                idle.idleInstructions() / IDLE_SECONDS);
        assertTrue(idle.idleInstructions() < MAX_INSTRUCTIONS_PER_IDLE_SECOND * IDLE_SECONDS,
                idle.idleInstructions() + " instructions in " + IDLE_SECONDS + " idle virtual seconds");
    }

    @Test
    void twoIdleRunsAreIdentical() throws Exception {
        Idle a = idleAtPrompt();
        Idle b = idleAtPrompt();
        assertEquals(a, b);
    }
}
