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
import dev.strata.storage.fs.FatVolume;
import dev.strata.storage.image.DiskImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A guest under test: a deterministic machine (virtual time from the instruction count) on throwaway media, driven
 * one action at a time by a scenario or by a Java test. Floppies are copied and hard disks run over throwaway
 * differencing images, so the images a {@link MachineSpec} names are only read and many machines can share them.
 * The machine runs only inside an action, on the caller's thread, so a guest test reads the same screen, COM1 bytes
 * and instruction count on every run.
 *
 * <p>Actions that can fail return why (a sentence a report can quote), or null when they succeeded.
 */
public final class ScenarioMachine implements AutoCloseable {

    /** How long power-off waits for COM1 to send what it holds (far more than its FIFO takes at 300 baud). */
    private static final long DRAIN_NANOS = 10_000_000_000L;

    private final Path work;
    private final ByteArrayOutputStream com1 = new ByteArrayOutputStream();
    private final PcMachine machine;

    private ScenarioMachine(MachineSpec spec, Path work) throws IOException {
        this.work = work;
        this.machine = new PcMachine(settings(spec));
    }

    /**
     * Powers on a machine as {@code spec} describes, with its throwaway copies in a new folder under {@code scratch}
     * (deleted again by {@link #close}). The machine has not run an instruction yet.
     */
    public static ScenarioMachine powerOn(MachineSpec spec, Path scratch) throws IOException {
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, ".run-");
        try {
            return new ScenarioMachine(spec, work);
        } catch (IOException | RuntimeException e) {
            deleteTree(work);
            throw e;
        }
    }

    private MachineSettings settings(MachineSpec m) throws IOException {
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

    /**
     * Runs the machine until {@code text} shows on COM1, the debug port E9h or the text screen, for at most
     * {@code timeoutNanos} of guest time; null once it showed, else why not.
     */
    public String waitFor(String text, long timeoutNanos) {
        OutputExpectations seen = new OutputExpectations(List.of(text));
        return runUntil(seen::allMet, timeoutNanos, seen, "did not appear within " + Scenario.seconds(timeoutNanos)
                + " s of guest time");
    }

    /** Types {@code text} on the keyboard; the keys go in as the guest reads them, while the machine runs. */
    public void type(String text) {
        machine.keyInput().type(text);
    }

    /** The text screen as it shows now, a line per row. */
    public String screen() {
        return machine.vga().textScreen().toText();
    }

    /** What COM1 has sent since power-on (ISO 8859-1, a char per byte). */
    public String serial() {
        return new String(serialBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * The file at {@code path} ({@code DIR\\NAME.EXT}) on the FAT volume of {@code disk} (fda, fdb, hda-hdd) as the
     * disk holds it now, read through its image or throwaway differencing chain; empty when there is no such file.
     * What a guest still holds in its own buffers is not there yet: DOS writes a file out when it closes it.
     *
     * @throws IOException when the machine has no such disk, or no readable FAT volume on it (saying which)
     */
    public Optional<byte[]> readFile(String disk, String path) throws IOException {
        int index = Step.FileContains.DISKS.indexOf(disk);
        if (index < 0) {
            throw new IllegalArgumentException("'" + disk + "' is not a disk: " + String.join(", ",
                    Step.FileContains.DISKS));
        }
        DiskImage image = index < 2 ? machine.floppy(index) : machine.hardDisk(index - 2);
        if (image == null) {
            throw new IOException("the machine has no disk " + disk);
        }
        return FatVolume.open(image).readFile(path);
    }

    /** Runs the machine for {@code nanos} of guest time; null, or why it stopped before. */
    public String sleep(long nanos) {
        return runUntil(() -> false, nanos, null, null);
    }

    /** Saves the whole machine's state to {@code file} ({@code strata run --restore-state} resumes it). */
    public void saveState(Path file) throws IOException {
        SavedState.save(machine, file);
    }

    /**
     * Runs the machine until it powers off, resets or halts for good, for at most {@code timeoutNanos} of guest
     * time; null when it ended as {@code end}, else how it ended or that it did not.
     */
    public String expectExit(Step.Exit end, long timeoutNanos) {
        MachineRunner runner = new MachineRunner(machine).exitOnReset(true);
        RunOutcome outcome = runFor(runner, timeoutNanos);
        Step.Exit got = switch (outcome) {
            case POWERED_OFF -> Step.Exit.POWER_OFF;
            case RESET -> Step.Exit.RESET;
            case HALTED -> Step.Exit.HALT;
            default -> null;
        };
        if (got == end) {
            return null;
        }
        return got != null ? "the run ended by " + got.key : ended(outcome, runner, "the machine ran on for "
                + Scenario.seconds(timeoutNanos) + " s of guest time");
    }

    /**
     * Powers the machine off as {@code strata run} does once its expectations are met: what the guest gave COM1 is
     * sent first. Null, or why it did not end.
     */
    public String powerOff() {
        machine.requestPowerOffAfterSerialDrain();
        MachineRunner runner = new MachineRunner(machine);
        RunOutcome outcome = runFor(runner, DRAIN_NANOS);
        return outcome == RunOutcome.POWERED_OFF || outcome == RunOutcome.HALTED ? null
                : ended(outcome, runner, "COM1 did not finish sending within " + Scenario.seconds(DRAIN_NANOS)
                + " s of guest time");
    }

    /** True once the machine has powered off (a state saved then could not resume). */
    public boolean poweredOff() {
        return machine.powerOffRequested();
    }

    /** Guest instructions run since power-on. */
    public long instructions() {
        return machine.cpu().instructions;
    }

    /** Guest time since power-on, in nanoseconds. */
    public long guestNanos() {
        return machine.clock().nanos();
    }

    /** The machine itself, for what the actions above do not cover (use it on the caller's thread only). */
    public PcMachine machine() {
        return machine;
    }

    /** Closes the machine's media and deletes its throwaway copies. */
    @Override
    public void close() throws IOException {
        try {
            machine.close();
        } finally {
            deleteTree(work);
        }
    }

    /**
     * Runs until {@code done} holds (checked when {@code watch} is met) or {@code nanos} of guest time pass; returns
     * null when done (or when the time passing is the point: {@code timeoutMessage} null), else why not.
     */
    private String runUntil(BooleanSupplier done, long nanos, OutputExpectations watch, String timeoutMessage) {
        MachineRunner runner = new MachineRunner(machine);
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
