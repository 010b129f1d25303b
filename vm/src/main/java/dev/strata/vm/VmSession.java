package dev.strata.vm;

import static dev.strata.vm.SessionState.ABORTED;
import static dev.strata.vm.SessionState.PAUSED;
import static dev.strata.vm.SessionState.POWERED_OFF;
import static dev.strata.vm.SessionState.RESTORING;
import static dev.strata.vm.SessionState.RUNNING;
import static dev.strata.vm.SessionState.SAVED;
import static dev.strata.vm.SessionState.SAVING;
import static dev.strata.vm.SessionState.STARTING;

import dev.strata.bios.StrataBios;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.LiveMachine;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SavedStates;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.emulator.vm.VmState;
import dev.strata.storage.StorageException;
import dev.strata.vm.control.VmControlServer;
import dev.strata.vm.control.VmEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One VM taken through its lifecycle in this process: power on (or resume from its saved state), pause, resume,
 * reset, save state, online snapshots and power off, each checked against {@link VmLifecycle} and recorded in its
 * settings file. It holds the VM's run lock and drive locks while the machine runs, serves its control socket, and
 * tells listeners about every event. {@code strata vm start} and the control socket use it; so can any Java program.
 */
public final class VmSession {

    private static final Logger LOG = LoggerFactory.getLogger(VmSession.class);
    /** The file a savestate writes, in the VM folder. */
    public static final String SAVED_STATE = "saved.state";

    private static final Set<SessionState> LIVE = EnumSet.of(RUNNING, PAUSED);

    /** Something opened once the VM is locked and closed when its run ends (the VM's log file, say). */
    public interface Resources {
        AutoCloseable open() throws IOException;
    }

    private final VirtualMachines vms;
    private final VirtualMachine vm;
    private final VmLifecycle life;
    private final List<Consumer<VmEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Path savedFile;
    private volatile RunningMachine machine;
    private volatile PreparedDisks disks;
    private volatile boolean saved;
    private volatile boolean poweredOffByClient;

    private VmSession(VirtualMachines vms, VirtualMachine vm) {
        this.vms = vms;
        this.vm = vm;
        this.life = new VmLifecycle(vm.name(), SessionState.of(vm.settings().state));
        this.savedFile = vm.folder().resolve(SAVED_STATE);
    }

    /** A session for VM {@code name}, in the state its settings file records. */
    public static VmSession open(VirtualMachines vms, String name) throws IOException {
        return new VmSession(vms, vms.open(name));
    }

    public VirtualMachine vm() {
        return vm;
    }

    public SessionState state() {
        return life.state();
    }

    /** Tells {@code listener} about events, on the thread where they happen (the CPU's among them): never block. */
    public void addListener(Consumer<VmEvent> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<VmEvent> listener) {
        listeners.remove(listener);
    }

    private void emit(VmEvent e) {
        for (Consumer<VmEvent> l : listeners) {
            l.accept(e);
        }
    }

    /** Moves to {@code next}, records it when the settings file keeps it, and tells the listeners. */
    private void move(SessionState next) throws IOException {
        SessionState previous = life.moveTo(next);
        LOG.info("VM '{}': {} -> {}", vm.name(), previous.label(), next.label());
        VmSettings s = vm.settings();
        if (next.recorded() != null && next.recorded() != s.state) {
            s.state = next.recorded();
            vm.save();
        }
        emit(VmEvent.now(VmEvent.STATE_CHANGED).with("state", next.label()).with("previous", previous.label()));
    }

    /** Saved to PoweredOff: deletes the saved state, so the next start boots afresh. */
    public void discardState() throws IOException {
        life.require("discarding the saved state", EnumSet.of(SAVED));
        VmSettings s = vm.settings();
        if (s.savedState != null) {
            Files.deleteIfExists(Path.of(s.savedState));
        }
        s.savedState = null;
        move(POWERED_OFF);
    }

    /**
     * Runs the VM on a new thread with {@code host}; returns once it runs and its control socket serves (or its run
     * ended), with the run's end.
     */
    public CompletableFuture<Integer> start(MachineHost host) throws InterruptedException {
        CompletableFuture<Integer> end = new CompletableFuture<>();
        java.util.concurrent.CountDownLatch up = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                end.complete(run(host, () -> () -> { }, up::countDown));
            } catch (Throwable e) {
                end.completeExceptionally(e);
            } finally {
                up.countDown();
            }
        }, "strata-vm-" + vm.name());
        t.start();
        up.await();
        return end;
    }

    /**
     * Powers the VM on with {@code host} (or resumes it when Saved) and runs it to its end: locks the VM, opens
     * {@code whileLocked}, locks its drives, serves its control socket, and records Running, then PoweredOff, Saved
     * or Aborted. A resume that fails leaves the VM Saved with its state file as it was.
     */
    public int run(MachineHost host, Resources whileLocked) throws Exception {
        return run(host, whileLocked, () -> { });
    }

    private int run(MachineHost host, Resources whileLocked, Runnable serving) throws Exception {
        requireNotLive();
        try (VmRunLock lock = vm.lock()) {
            requireNotLive(); // started by another process while this one waited for the lock
            return runLocked(host, whileLocked, serving);
        }
    }

    private void requireNotLive() throws StorageException {
        VmState recorded = vm.settings().state;
        if (recorded.live()) {
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is already " + recorded.label());
        }
    }

    /** The run, under the VM's lock, with the settings read under it. */
    private int runLocked(MachineHost host, Resources whileLocked, Runnable serving) throws Exception {
        VmSettings s = vm.settings();
        if (SessionState.of(s.state) != life.state()) {
            // another process changed the VM while this one waited (saved it, say): what to do was decided on
            // what it was, so start over
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' became " + s.state.label()
                    + " in another Strata process while this one waited to start it; start it again");
        }
        boolean fromSaved = life.state() == SAVED;
        if (fromSaved && !SavedStates.available()) {
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is Saved, but "
                    + SavedStates.UNAVAILABLE + "; start it with --discard-state to boot afresh");
        }
        Path resumeFrom = fromSaved ? Path.of(s.savedState != null ? s.savedState : savedFile.toString()) : null;
        try (AutoCloseable resources = whileLocked.open();
             PreparedDisks d = VmDisks.prepare(vm, vms.media(), fromSaved)) {
            disks = d;
            MachineSettings ms = machineSettings(d);
            move(fromSaved ? RESTORING : STARTING);
            VmControlServer[] server = new VmControlServer[1];
            try {
                return host.run(ms, resumeFrom, new MachineHost.Hooks() {
                    @Override
                    public void beforePowerOn() throws IOException {
                        move(RUNNING); // only now: a resume that fails leaves the VM Saved
                    }

                    @Override
                    public void started(MachineRunner runner) throws IOException {
                        runner.onReset(m -> {
                            LOG.info("VM '{}': the guest reset the machine", vm.name());
                            emit(VmEvent.now(VmEvent.RESET));
                        });
                        machine = new RunningMachine(runner);
                        server[0] = VmControlServer.start(vm.controlSocket(), new SessionControl(VmSession.this));
                        serving.run();
                    }
                });
            } finally {
                end(resumeFrom);
                if (server[0] != null) {
                    server[0].close();
                }
                machine = null;
                disks = null;
            }
        }
    }

    /** The machine the VM's settings describe, on Strata's BIOS, with {@code drives}. */
    private MachineSettings machineSettings(PreparedDisks drives) {
        VmSettings s = vm.settings();
        MachineSettings ms = new MachineSettings().memoryMb(s.memoryMb).firmware(new StrataBios());
        drives.applyTo(ms);
        ms.bootOrder(BootOrder.present(s.bootOrder, ms));
        return ms.kernelBoot(s.kernelBoot()); // null without a kernel
    }

    /** Records how the run ended; a resumed state that was not saved again is history and goes. */
    private void end(Path resumeFrom) throws IOException {
        SessionState now = life.state();
        if (now == RESTORING) {
            move(SAVED);
            return;
        }
        if (now == STARTING) {
            move(POWERED_OFF);
            return;
        }
        RunningMachine m = machine;
        RunOutcome outcome = m == null ? null : m.runner().outcome();
        if (saved) {
            vm.settings().savedState = savedFile.toString();
            move(SAVED);
        } else {
            vm.settings().savedState = null;
            move(outcome == RunOutcome.FAILED && now != SAVING ? ABORTED : POWERED_OFF);
            if (resumeFrom != null) {
                Files.deleteIfExists(resumeFrom);
            }
        }
        String reason = saved ? "saved" : poweredOffByClient ? "poweroff" : outcome == null ? "stopped"
                : outcome == RunOutcome.POWERED_OFF ? "guest" : outcome.name().toLowerCase(Locale.ROOT);
        if (m != null) {
            LOG.info("VM '{}' stopped ({}) after {} instructions", vm.name(), reason, m.runner().machine().cpu()
                    .instructions);
        }
        emit(VmEvent.now(VmEvent.POWER_OFF).with("reason", reason));
    }

    private RunningMachine machine(String operation) {
        RunningMachine m = machine;
        if (m == null) {
            throw new VmStateException(life.state(), "VM '" + vm.name() + "' is " + life.state().label() + "; "
                    + operation + " needs it Running");
        }
        return m;
    }

    /** Running to Paused: the CPU stops after its current batch. */
    public synchronized void pause() throws IOException {
        life.require("pause", EnumSet.of(RUNNING));
        machine("pause").pause();
        move(PAUSED);
    }

    /** Paused to Running. */
    public synchronized void resume() throws IOException {
        life.require("resume", EnumSet.of(PAUSED));
        machine("resume").resume();
        move(RUNNING);
    }

    /** Resets the machine, as its reset button would. */
    public synchronized void reset() {
        life.require("reset", LIVE);
        machine("reset").reset();
    }

    /** Pulls the plug: the run ends and the VM is recorded PoweredOff. */
    public synchronized void powerOff() {
        life.require("poweroff", LIVE);
        poweredOffByClient = true;
        machine("poweroff").powerOff();
    }

    /**
     * Saves the whole machine and ends the run before another instruction executes; returns the state file once it
     * is written. The VM is Saving until the run has ended and its disks are closed, then Saved. A save that fails
     * leaves the VM as it was.
     */
    public Path saveState() throws IOException, InterruptedException {
        SessionState before;
        synchronized (this) {
            life.require("savestate", LIVE);
            before = life.state();
            move(SAVING);
        }
        try {
            machine("savestate").onCpuThenStop(m -> {
                SavedStates.save(m, savedFile);
                saved = true;
                return null;
            }, 60);
            return savedFile;
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                if (!saved && life.state() == SAVING) {
                    move(before);
                }
            }
            throw e;
        }
    }

    /**
     * Saves the state and ends the run from another thread without waiting (a signal's handler); {@code report}
     * hears, on the CPU thread, null when the state was saved or why it was not (the VM then powers off).
     */
    public void saveOnSignal(Consumer<String> report) {
        RunningMachine m = machine;
        if (m == null) {
            return;
        }
        synchronized (this) {
            if (LIVE.contains(life.state())) {
                try {
                    move(SAVING);
                } catch (IOException e) {
                    report.accept(e.getMessage());
                }
            }
        }
        m.runner().execute(pc -> {
            try {
                SavedStates.save(pc, savedFile);
                saved = true;
                report.accept(null);
            } catch (IOException | RuntimeException e) {
                report.accept(e.getMessage());
            } finally {
                m.runner().stop();
            }
        });
        m.resume(); // a paused machine still runs the task; resumed, the stop ends the run at once
    }

    /**
     * Takes online snapshot {@code name} (with {@code description}, or null) on the CPU thread while the guest runs
     * on; the VM's new differencing images are locked for this run as its old ones were.
     */
    public SnapshotNode snapshotLive(String name, String description) throws IOException, InterruptedException {
        life.require("an online snapshot", EnumSet.of(RUNNING));
        emit(VmEvent.now(VmEvent.SNAPSHOT_PROGRESS).with("name", name).with("step", "saving the machine"));
        SnapshotNode n = machine("an online snapshot").onCpu(m -> {
            SnapshotNode node = new Snapshots(vms).takeOnline(vm, name, description, LiveMachine.of(m));
            for (Attachment a : vm.settings().attachments) {
                if (a.current != null && a.driveType().takesSnapshotDiffs()) {
                    disks.holdExclusive(Path.of(a.current));
                }
            }
            return node;
        }, 120);
        emit(VmEvent.now(VmEvent.SNAPSHOT_COMPLETED).with("name", n.name).with("uuid", n.uuid.toString()));
        return n;
    }

    /** Types {@code text} on the keyboard as it is; refuses characters a US keyboard has no key for. */
    public void type(String text) {
        life.require("type", LIVE);
        machine("type").type(text);
    }

    /** The text screen, one string per row. */
    public List<String> screen() throws IOException, InterruptedException {
        life.require("screenshot", LIVE);
        return machine("screenshot").screen();
    }

    /** A PNG picture of the screen in any mode (text with the font, graphics with the palette). */
    public byte[] screenshotPng() throws IOException, InterruptedException {
        life.require("screenshot", LIVE);
        return dev.strata.emulator.display.FramePng.encode(machine("screenshot").frame());
    }

    /** The monitor's {@code info TOPIC [ARG...]} (see {@link dev.strata.emulator.monitor.MachineInfo}). */
    public List<String> info(String topic, List<String> args) throws IOException, InterruptedException {
        life.require("info", LIVE);
        return machine("info").info(topic, args);
    }

    /** Tells the listeners that every expected text appeared (a console's --expect list). */
    public void expectationsMet(int count) {
        emit(VmEvent.now(VmEvent.EXPECTATIONS_MET).with("count", count));
    }
}
