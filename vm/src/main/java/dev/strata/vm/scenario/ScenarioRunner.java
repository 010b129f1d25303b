package dev.strata.vm.scenario;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.state.SavedState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Runs a scenario on a machine of its own, deterministic (virtual time from the instruction count), so a scenario
 * passes or fails the same way on every run and every host. Floppies are copied and hard disks run over throwaway
 * differencing images, so the images a scenario names are only read. What a run leaves in its output folder:
 * {@code serial.log} and {@code screen.txt}; after a failure also {@code failed.sav}, the machine's state at that
 * point ({@code strata run --restore-state} resumes it).
 */
public final class ScenarioRunner {

    /** The files a run leaves in its output folder. */
    public static final String SERIAL = "serial.log";
    public static final String SCREEN = "screen.txt";
    public static final String FAILED_STATE = "failed.sav";

    /** How long power-off waits for COM1 to send what it holds (far more than its FIFO takes at 300 baud). */
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private final Scenario scenario;
    private final Path out;
    private final ByteArrayOutputStream com1 = new ByteArrayOutputStream();
    private PcMachine machine;

    private ScenarioRunner(Scenario scenario, Path out) {
        this.scenario = scenario;
        this.out = out;
    }

    /** Runs {@code scenario}, leaving its files in {@code out} (created, emptied of an earlier run's files). */
    public static ScenarioResult run(Scenario scenario, Path out) throws IOException {
        return new ScenarioRunner(scenario, out).run();
    }

    private ScenarioResult run() throws IOException {
        Files.createDirectories(out);
        for (String f : List.of(SERIAL, SCREEN, FAILED_STATE)) {
            Files.deleteIfExists(out.resolve(f));
        }
        long start = System.nanoTime();
        Path work = Files.createTempDirectory(out, ".run-");
        int failed = -1;
        String why = null;
        try {
            machine = new PcMachine(settings(work));
            try {
                List<Step> steps = scenario.steps();
                for (int i = 0; i < steps.size() && why == null; i++) {
                    why = perform(steps.get(i));
                    if (why != null) {
                        failed = i;
                    } else if (steps.get(i) instanceof Step.PowerOff || steps.get(i) instanceof Step.ExpectExit) {
                        break;
                    }
                }
                String screen = machine.vga().textScreen().toText();
                Files.writeString(out.resolve(SCREEN), screen);
                Files.write(out.resolve(SERIAL), serialBytes());
                if (failed >= 0 && !machine.powerOffRequested()) {
                    SavedState.save(machine, out.resolve(FAILED_STATE));
                }
                return new ScenarioResult(scenario, failed, why, out, new String(serialBytes(),
                        StandardCharsets.ISO_8859_1), screen, machine.cpu().instructions, machine.clock().nanos(),
                        System.nanoTime() - start);
            } finally {
                machine.close();
            }
        } finally {
            deleteTree(work);
        }
    }

    private MachineSettings settings(Path work) throws IOException {
        MachineSpec m = scenario.machine();
        MachineSettings s = new MachineSettings().memoryMb(m.memoryMb()).bootOrder(m.bootOrder())
                .clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios()).snapshot(true)
                .serialSink(0, b -> {
                    synchronized (com1) {
                        com1.write(b);
                    }
                });
        for (int i = 0; i < 2; i++) {
            if (m.floppies()[i] != null) {
                // a floppy has no differencing image: the run writes a copy of its own
                Path copy = work.resolve("fd" + i + "-" + m.floppies()[i].getFileName());
                s.floppy(i, Files.copy(m.floppies()[i], copy, StandardCopyOption.REPLACE_EXISTING));
            }
        }
        for (int i = 0; i < 4; i++) {
            if (m.hardDisks()[i] != null) {
                s.hardDisk(i, m.hardDisks()[i]);
            }
        }
        if (m.cdrom() != null) {
            s.cdrom(m.cdrom());
        }
        return s;
    }

    /** Does {@code step}; returns why it failed, or null. */
    private String perform(Step step) throws IOException {
        if (step instanceof Step.Wait w) {
            OutputExpectations seen = new OutputExpectations(List.of(w.text()));
            return runUntil(seen::allMet, w.timeoutNanos(), seen, false, "did not appear within "
                    + Scenario.seconds(w.timeoutNanos()) + " s of guest time");
        }
        if (step instanceof Step.Type t) {
            machine.keyInput().type(t.text());
            return null;
        }
        if (step instanceof Step.ScreenContains c) {
            return machine.vga().textScreen().toText().contains(c.text()) ? null : "the screen does not show it";
        }
        if (step instanceof Step.SerialContains c) {
            return new String(serialBytes(), StandardCharsets.ISO_8859_1).contains(c.text()) ? null
                    : "COM1 has not sent it";
        }
        if (step instanceof Step.Sleep sl) {
            return runUntil(() -> false, sl.nanos(), null, false, null);
        }
        if (step instanceof Step.SaveState ss) {
            SavedState.save(machine, out.resolve(ss.file()));
            return null;
        }
        if (step instanceof Step.ExpectExit x) {
            MachineRunner runner = new MachineRunner(machine).exitOnReset(true);
            RunOutcome outcome = runFor(runner, x.timeoutNanos());
            Step.Exit got = switch (outcome) {
                case POWERED_OFF -> Step.Exit.POWER_OFF;
                case RESET -> Step.Exit.RESET;
                case HALTED -> Step.Exit.HALT;
                default -> null;
            };
            if (got == x.end()) {
                return null;
            }
            return got != null ? "the run ended by " + got.key : ended(outcome, runner, "the machine ran on for "
                    + Scenario.seconds(x.timeoutNanos()) + " s of guest time");
        }
        if (step instanceof Step.PowerOff) {
            // as strata run does once its expectations are met: what the guest gave COM1 is sent first
            machine.requestPowerOffAfterSerialDrain();
            MachineRunner runner = new MachineRunner(machine);
            RunOutcome outcome = runFor(runner, DRAIN_NANOS);
            return outcome == RunOutcome.POWERED_OFF || outcome == RunOutcome.HALTED ? null
                    : ended(outcome, runner, "COM1 did not finish sending within " + Scenario.seconds(DRAIN_NANOS)
                    + " s of guest time");
        }
        throw new IllegalStateException("a step the runner does not know: " + step);
    }

    /**
     * Runs until {@code done} holds (checked when {@code watch} is met) or {@code nanos} of guest time pass; returns
     * null when done (or when the time passing is the point: {@code timeoutMessage} null), else why not.
     */
    private String runUntil(BooleanSupplier done, long nanos, OutputExpectations watch, boolean exitOnReset,
            String timeoutMessage) {
        MachineRunner runner = new MachineRunner(machine).exitOnReset(exitOnReset);
        if (watch != null) {
            watch.attach(machine, runner::stop);
        }
        RunOutcome outcome = done.getAsBoolean() ? RunOutcome.STOPPED : runFor(runner, nanos);
        if (done.getAsBoolean()) {
            return null;
        }
        if (outcome == RunOutcome.STOPPED) {
            return timeoutMessage;
        }
        return ended(outcome, runner, timeoutMessage);
    }

    /** Runs {@code runner} on this thread for at most {@code nanos} of guest time. */
    private RunOutcome runFor(MachineRunner runner, long nanos) {
        TimedEvent deadline = new TimedEvent("scenario.deadline", d -> runner.stop());
        machine.clock().scheduler().schedule(deadline, machine.clock().nanos() + nanos);
        try {
            return runner.run();
        } finally {
            machine.clock().scheduler().cancel(deadline);
        }
    }

    private static String ended(RunOutcome outcome, MachineRunner runner, String otherwise) {
        return switch (outcome) {
            case POWERED_OFF -> "the machine powered off";
            case RESET -> "the guest reset the machine";
            case HALTED -> "the guest halted the CPU with nothing left to wake it";
            case FAILED -> "the emulator failed: " + runner.failure();
            default -> otherwise == null ? outcome.name().toLowerCase(Locale.ROOT) : otherwise;
        };
    }

    private byte[] serialBytes() {
        synchronized (com1) {
            return com1.toByteArray();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
