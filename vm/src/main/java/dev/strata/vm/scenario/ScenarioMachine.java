package dev.strata.vm.scenario;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.display.Frame;
import dev.strata.emulator.machine.DriveSlot;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.OutputExpectations;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.state.SavedState;
import dev.strata.emulator.vm.SavedStates;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.storage.fs.FatVolume;
import dev.strata.storage.image.DiskImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A guest under test: a deterministic machine (virtual time from the instruction count) on throwaway media, driven
 * one action at a time by a scenario or by a Java test. Floppies are copied and hard disks run over throwaway
 * differencing images ({@link RunDisks}), so the images a {@link MachineSpec} names, or a registered VM's disks
 * ({@link VmSpec}), are only read and many machines can share them; the write layer lasts the whole run, so a
 * power cycle boots on what the guest wrote.
 * The machine runs only inside an action, on the caller's thread, so a guest test reads the same screen, COM1 bytes
 * and instruction count on every run.
 *
 * <p>Actions that can fail return why (a sentence a report can quote), or null when they succeeded.
 */
public final class ScenarioMachine implements AutoCloseable {

    /** How long power-off waits for COM1 to send what it holds (far more than its FIFO takes at 300 baud). */
    private static final long DRAIN_NANOS = 10_000_000_000L;
    /** How often a screen compare looks at the screen while the guest runs: every few frames of guest time. */
    private static final long SCREEN_POLL_NANOS = 50_000_000L;

    private final Path work;
    private final ByteArrayOutputStream com1 = new ByteArrayOutputStream();
    private final MachineSource source;
    private final ScenarioVm vm;
    private final List<Consumer<PcMachine>> machineListeners = new CopyOnWriteArrayList<>();
    private RunDisks disks;
    private PcMachine machine;
    private long executed;
    private long ranNanos;
    /** The whole machine's state at each snapshot this run took itself (its disks are kept by {@link RunDisks}). */
    private final Map<String, byte[]> snapshots = new HashMap<>();
    /** Copies of the drives as this run found them, when asked for (a persisting run's replay starts on them). */
    private List<RunDisks.Drive> startDrives;

    /**
     * @param start the drives to start on instead of the machine's own (a persisting run's replay), or null
     * @param copyStart where to copy the drives the guest may write before it starts (a persisting run keeps them
     *                  for its replay), or null
     */
    private ScenarioMachine(MachineSource source, Path work, VirtualMachines vms, List<RunDisks.Drive> start,
            Path copyStart) throws IOException {
        this.work = work;
        this.source = source;
        this.vm = source instanceof VmSpec v ? ScenarioVm.open(vms, start != null ? new VmSpec(v.name(), false) : v)
                : null;
        try {
            if (vm != null) {
                this.disks = start != null ? vm.disks(start, work) : vm.disks(work);
            } else {
                this.disks = RunDisks.throwaway(drives((MachineSpec) source), null, work);
            }
            if (copyStart != null) {
                this.startDrives = disks.copyWritable(copyStart);
            }
            this.machine = new PcMachine(settings());
        } catch (IOException | RuntimeException e) {
            if (vm != null) {
                vm.close();
            }
            throw e;
        }
    }

    /**
     * Powers on a machine as {@code spec} describes, with its throwaway copies in a new folder under {@code scratch}
     * (deleted again by {@link #close}). The machine has not run an instruction yet.
     */
    public static ScenarioMachine powerOn(MachineSource spec, Path scratch) throws IOException {
        return powerOn(spec, scratch, spec instanceof VmSpec ? VirtualMachines.ofDefaultHome() : null);
    }

    /** As {@link #powerOn(MachineSource, Path)}, with a VM machine looked up in {@code vms}. */
    public static ScenarioMachine powerOn(MachineSource spec, Path scratch, VirtualMachines vms) throws IOException {
        return powerOn(spec, scratch, vms, null, null);
    }

    /**
     * As {@link #powerOn(MachineSource, Path, VirtualMachines)}, copying the drives the guest may write into
     * {@code copies} before it starts ({@link #startDrives}): a persisting run changes its VM's disks, so only these
     * copies let it run again from where it began.
     */
    static ScenarioMachine powerOnKeepingStart(MachineSource spec, Path scratch, VirtualMachines vms, Path copies)
            throws IOException {
        return powerOn(spec, scratch, vms, null, copies);
    }

    /**
     * Powers on VM {@code spec.name()} on {@code start} (what {@link #startDrives} kept of a persisting run) under a
     * throwaway layer, so the run can be replayed without changing the VM again: its snapshot steps are the run's
     * own, and a restore of one of the VM's snapshots goes onto the layer.
     */
    static ScenarioMachine replay(VmSpec spec, List<RunDisks.Drive> start, Path scratch, VirtualMachines vms)
            throws IOException {
        return powerOn(spec, scratch, vms, start, null);
    }

    private static ScenarioMachine powerOn(MachineSource spec, Path scratch, VirtualMachines vms,
            List<RunDisks.Drive> start, Path copies) throws IOException {
        Files.createDirectories(scratch);
        Path work = Files.createTempDirectory(scratch, ".run-");
        try {
            return new ScenarioMachine(spec, work, vms, start, copies);
        } catch (IOException | RuntimeException e) {
            deleteTree(work);
            throw e;
        }
    }

    /** The copies {@link #powerOnKeepingStart} made of the drives as the run found them. */
    List<RunDisks.Drive> startDrives() {
        return startDrives;
    }

    /** The drives a machine of images names, each in its slot. */
    private static List<RunDisks.Drive> drives(MachineSpec m) {
        List<RunDisks.Drive> list = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            if (m.floppies()[i] != null) {
                list.add(new RunDisks.Drive(RunDisks.Kind.FLOPPY, DriveSlot.floppy(i), m.floppies()[i], false));
            }
        }
        for (int i = 0; i < 4; i++) {
            if (m.hardDisks()[i] != null) {
                list.add(new RunDisks.Drive(RunDisks.Kind.HARD_DISK, DriveSlot.ide(i), m.hardDisks()[i], false));
            }
        }
        if (m.cdrom() != null) {
            list.add(new RunDisks.Drive(RunDisks.Kind.CDROM, DriveSlot.ide(2), m.cdrom(), true));
        }
        return list;
    }

    /** Fresh settings for a power-on: the run's drives, deterministic time, COM1 into the run's log. */
    private MachineSettings settings() {
        MachineSettings s = new MachineSettings().clockMode(ClockMode.DETERMINISTIC).firmware(new StrataBios())
                .serialSink(0, b -> {
                    synchronized (com1) {
                        com1.write(b);
                    }
                });
        disks.applyTo(s);
        if (vm != null) {
            vm.applyTo(s);
        } else {
            MachineSpec m = (MachineSpec) source;
            s.memoryMb(m.memoryMb()).bootOrder(m.bootOrder());
        }
        return s;
    }

    /** Tells {@code listener} about each machine a power cycle or restore builds (a trace re-attaches to it). */
    public void onNewMachine(Consumer<PcMachine> listener) {
        machineListeners.add(listener);
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

    /** Presses {@code chords} one after another; the keys go in as the guest reads them, while the machine runs. */
    public void keys(List<List<Key>> chords) {
        for (List<Key> chord : chords) {
            machine.keyInput().chord(chord);
        }
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

    /** The screen as it shows now, rendered in any mode. */
    public Frame frame() {
        return machine.vga().renderFrame();
    }

    /**
     * Runs the machine until its rendered screen matches {@code expected} as {@code compare} allows, looking every
     * {@value #SCREEN_POLL_NANOS} ns of guest time, for at most {@code timeoutNanos}; the result says how the last
     * look went. Looking does not change what the guest does, so a run stays deterministic.
     */
    public ScreenMatch screenMatches(Frame expected, ScreenMatch.Rules compare, long timeoutNanos) {
        ScreenMatch[] last = {ScreenMatch.of(expected, frame(), compare)};
        if (last[0].matches()) {
            return last[0];
        }
        MachineRunner runner = new MachineRunner(machine);
        TimedEvent[] look = new TimedEvent[1];
        look[0] = new TimedEvent("scenario.screen", when -> {
            last[0] = ScreenMatch.of(expected, frame(), compare);
            if (last[0].matches()) {
                runner.stop();
            } else {
                machine.clock().scheduler().schedule(look[0], when + SCREEN_POLL_NANOS);
            }
        });
        machine.clock().scheduler().scheduleIn(look[0], SCREEN_POLL_NANOS);
        try {
            RunOutcome outcome = runFor(runner, timeoutNanos);
            if (!last[0].matches() && outcome != RunOutcome.STOPPED) {
                return last[0].endedBy(ended(outcome, runner, null));
            }
        } finally {
            machine.clock().scheduler().cancel(look[0]);
        }
        last[0] = ScreenMatch.of(expected, frame(), compare);
        return last[0];
    }

    /** Runs the machine for {@code nanos} of guest time; null, or why it stopped before. */
    public String sleep(long nanos) {
        return runUntil(() -> false, nanos, null, null);
    }

    /**
     * Saves the whole machine's state to {@code file} ({@code strata run --restore-state} resumes it), and keeps
     * what the run's disks hold now aside, for {@link #restoreState} of the same file.
     */
    public void saveState(Path file) throws IOException {
        SavedState.save(machine, file);
        if (disks.throwaway()) {
            machine.flushImages();
            disks.keep(stateKey(file));
        }
    }

    /**
     * Brings the machine back as {@link #saveState} left it in {@code file} earlier in this run: the disks as they
     * were then, a machine built afresh, and the state restored onto it.
     */
    public void restoreState(Path file) throws IOException {
        replaceMachine(() -> disks.bringBack(stateKey(file)));
        SavedState.restore(machine, file);
    }

    private static String stateKey(Path file) {
        return "state " + file.toAbsolutePath().normalize();
    }

    /**
     * Powers the machine off as {@link #powerOff} does (COM1 sends what it holds first) and on again: the disks keep
     * what the guest wrote (the run's write layer, or a persisting VM's own disks), the rest of the machine starts
     * from scratch and the BIOS boots again. Null, or why the machine did not power off.
     */
    public String powerCycle() throws IOException {
        String why = machine.powerOffRequested() ? null : powerOff();
        if (why != null) {
            return why;
        }
        replaceMachine(() -> { });
        return null;
    }

    /** Resets the machine as its reset button does: the CPU and the firmware start again, RAM and disks stay. */
    public void reset() {
        machine.reset();
    }

    /**
     * Takes snapshot {@code name}: in a persisting VM run an online snapshot of the VM, else one of the run's own
     * (the whole machine's state and what its disks hold, kept until the run ends; the VM or images stay as they
     * were). Taking a name again replaces the run's own snapshot of it.
     */
    public void snapshot(String name) throws IOException {
        if (persisting()) {
            vm.snapshot(name, machine, disks);
            return;
        }
        byte[] state = SavedState.encode(machine);
        machine.flushImages();
        disks.keep(snapshotKey(name));
        snapshots.put(name, state);
    }

    /**
     * Restores snapshot {@code name} and runs on from it. A persisting VM run restores the VM's snapshot (an online
     * one resumes where it was taken, an offline one boots afresh on its disks). Any other run restores the
     * snapshot it took itself under that name, else (on a VM) the VM's snapshot onto the run's write layer.
     */
    public void restoreSnapshot(String name) throws IOException {
        if (persisting()) {
            vm.requireSnapshot(name);
            Path[] state = new Path[1];
            replaceMachine(() -> {
                RunDisks[] next = new RunDisks[1];
                state[0] = vm.restoreSnapshot(name, next);
                disks = next[0];
            });
            if (state[0] != null) {
                SavedStates.restore(machine, state[0]);
                ScenarioVm.discard(state[0]);
            }
            return;
        }
        byte[] own = snapshots.get(name);
        if (own != null) {
            replaceMachine(() -> disks.bringBack(snapshotKey(name)));
            SavedState.restore(machine, own, "snapshot " + name);
            return;
        }
        if (vm == null) {
            throw new IOException("no snapshot '" + name + "' was taken earlier in this run");
        }
        vm.requireSnapshot(name);
        Path[] state = new Path[1];
        replaceMachine(() -> state[0] = vm.restoreSnapshotOnto(name, disks));
        if (state[0] != null) {
            SavedStates.restore(machine, state[0]);
        }
    }

    private boolean persisting() {
        return vm != null && vm.persists();
    }

    private static String snapshotKey(String name) {
        return "snapshot '" + name + "'";
    }

    /** What a replacement does with the machine closed, before the new one is built. */
    private interface WhileOff {
        void run() throws IOException;
    }

    /** Closes the machine, does {@code whileOff}, and builds a new machine on the run's disks. */
    private void replaceMachine(WhileOff whileOff) throws IOException {
        machine.close();
        whileOff.run();
        machine = new PcMachine(settings());
        for (Consumer<PcMachine> l : machineListeners) {
            l.accept(machine);
        }
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

    /** Guest instructions run in this run, over every power cycle and restore. */
    public long instructions() {
        return executed;
    }

    /** Guest time this run has run, in nanoseconds, over every power cycle and restore. */
    public long guestNanos() {
        return ranNanos;
    }

    /** The machine itself, for what the actions above do not cover (use it on the caller's thread only). */
    public PcMachine machine() {
        return machine;
    }

    /** Closes the machine's media, lets a VM go and deletes the run's throwaway files. */
    @Override
    public void close() throws IOException {
        try {
            machine.close();
        } finally {
            try {
                if (vm != null) {
                    vm.close();
                }
            } finally {
                deleteTree(work);
            }
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
        long startNanos = machine.clock().nanos();
        long startInstructions = machine.cpu().instructions;
        machine.clock().scheduler().schedule(deadline, startNanos + nanos);
        try {
            return runner.run();
        } finally {
            machine.clock().scheduler().cancel(deadline);
            executed += machine.cpu().instructions - startInstructions;
            ranNanos += machine.clock().nanos() - startNanos;
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
