package dev.strata.vm.scenario;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.LiveMachine;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.emulator.vm.VmState;
import dev.strata.vm.BootOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A registered VM as a scenario's machine. A throwaway run reads the VM's drives as its next power-on would open
 * them (locked shared, so no VM starts on them meanwhile) under a write layer of the run's own, and leaves the VM as
 * it was, and can restore the VM's snapshots onto that layer; a persisting run holds the VM's run lock, records it
 * Running, writes its disks and can take and restore its snapshots. A VM that is running or Saved is refused: a
 * scenario boots it afresh.
 */
final class ScenarioVm implements AutoCloseable {

    private final VirtualMachines vms;
    private final VirtualMachine vm;
    private final boolean persist;
    private VmRunLock lock;
    private PreparedDisks prepared;
    /** The images of VM snapshots restored onto a throwaway run, locked until the run ends. */
    private final List<PreparedDisks> restored = new ArrayList<>();
    /** Memory and boot order of a VM snapshot restored onto a throwaway run, else null (the VM's). */
    private Integer memoryMb;
    private String bootOrder;

    private ScenarioVm(VirtualMachines vms, VirtualMachine vm, boolean persist) {
        this.vms = vms;
        this.vm = vm;
        this.persist = persist;
    }

    /** Opens VM {@code spec.name()} in {@code vms} for a run, refusing it when it runs or is Saved. */
    static ScenarioVm open(VirtualMachines vms, VmSpec spec) throws IOException {
        if (!vms.list().containsKey(spec.name())) {
            throw new IOException("there is no VM '" + spec.name() + "' in " + vms.home() + " (strata vm list shows"
                    + " the VMs; STRATA_HOME picks another home)");
        }
        ScenarioVm s = new ScenarioVm(vms, vms.open(spec.name()), spec.persist());
        s.requireStopped();
        if (spec.persist()) {
            s.lock = s.vm.lock();
            try {
                s.requireStopped(); // another process may have started it while this one waited for the lock
            } catch (IOException e) {
                s.lock.close();
                throw e;
            }
        }
        return s;
    }

    private void requireStopped() throws IOException {
        VmState state = vm.settings().state;
        if (state.live()) {
            throw new IOException("VM '" + vm.name() + "' is " + state.label() + "; a scenario boots a VM that is not"
                    + " running: power it off first (strata vm control " + vm.name() + " poweroff)");
        }
        if (state == VmState.SAVED) {
            throw new IOException("VM '" + vm.name() + "' is Saved; a scenario boots it afresh, which its saved state"
                    + " would not survive: resume and power it off, or boot it with strata vm start " + vm.name()
                    + " --discard-state");
        }
    }

    /** The drives for the run's first power-on: the VM's own (persisting), or a layer over them in {@code work}. */
    RunDisks disks(Path work) throws IOException {
        if (persist) {
            prepared = VmDisks.prepare(vm, vms.media(), false);
            record(VmState.RUNNING);
            return RunDisks.inPlace(drives(prepared), prepared.resolver());
        }
        prepared = VmDisks.preview(vm, vms.media());
        return RunDisks.throwaway(drives(prepared), prepared.resolver(), work);
    }

    /**
     * The drives for a throwaway run that starts on {@code start} (copies of what a persisting run found) instead
     * of the VM's drives as they are now: a layer over them in {@code work}, with parents found among the VM's media.
     */
    RunDisks disks(List<RunDisks.Drive> start, Path work) throws IOException {
        prepared = VmDisks.preview(vm, vms.media());
        return RunDisks.throwaway(start, prepared.resolver(), work);
    }

    private static List<RunDisks.Drive> drives(PreparedDisks p) {
        List<RunDisks.Drive> list = new ArrayList<>();
        for (PreparedDisks.Drive d : p.drives()) {
            Attachment a = d.attachment();
            RunDisks.Kind kind = switch (a.driveType()) {
                case FDD -> RunDisks.Kind.FLOPPY;
                case HDD -> RunDisks.Kind.HARD_DISK;
                case DVD -> RunDisks.Kind.CDROM;
            };
            list.add(new RunDisks.Drive(kind, a.machineSlot(), d.file(), d.readOnly()));
        }
        return list;
    }

    /** The VM's memory, boot order and kernel in {@code settings}, whose drives are in already. */
    void applyTo(MachineSettings settings) {
        VmSettings s = vm.settings();
        settings.memoryMb(memoryMb != null ? memoryMb : s.memoryMb)
                .bootOrder(BootOrder.present(bootOrder != null ? bootOrder : s.bootOrder, settings))
                .kernelBoot(s.kernelBoot()); // null without a kernel
    }

    /**
     * Takes online snapshot {@code name} of {@code machine} as {@code strata snapshot take --live} does, and points
     * {@code disks} at the new diffs the machine switched to.
     */
    void snapshot(String name, PcMachine machine, RunDisks disks) throws IOException {
        requirePersist("snapshot");
        new Snapshots(vms).takeOnline(vm, name, "taken by a guest test scenario", LiveMachine.of(machine));
        for (Attachment a : vm.settings().attachments) {
            if (a.current != null && a.driveType().takesSnapshotDiffs()) {
                prepared.holdExclusive(Path.of(a.current));
                disks.switchHardDisk(a.machineSlot(), Path.of(a.current));
            }
        }
    }

    /**
     * Restores snapshot {@code name} with the machine already closed: the VM's disks go back to it, and the run's
     * drives open them. Returns the state file to resume (for an online snapshot; delete it once resumed), or null
     * when the machine boots afresh.
     */
    Path restoreSnapshot(String name, RunDisks[] disks) throws IOException {
        requirePersist("restore-snapshot");
        SnapshotNode node = vm.snapshot(name);
        prepared.close();
        record(VmState.POWERED_OFF);
        lock.close();
        lock = null;
        new Snapshots(vms).restore(vm, node);
        lock = vm.lock();
        Path state = node.online && vm.settings().savedState != null ? Path.of(vm.settings().savedState) : null;
        prepared = VmDisks.prepare(vm, vms.media(), state != null);
        vm.settings().savedState = null;
        record(VmState.RUNNING);
        disks[0] = RunDisks.inPlace(drives(prepared), prepared.resolver());
        return state;
    }

    /**
     * Restores the VM's snapshot {@code name} onto a throwaway run's {@code disks} with the machine closed, leaving
     * the VM as it was: each hard disk a restore brings back gets a fresh layer over the snapshot's frozen image, and
     * the snapshot's memory and boot order apply from the next power-on. Returns the snapshot's state file to resume
     * (an online snapshot; the VM's own, not to be deleted), or null when the machine boots afresh.
     */
    Path restoreSnapshotOnto(String name, RunDisks disks) throws IOException {
        SnapshotNode node = vm.snapshot(name);
        PreparedDisks images = VmDisks.snapshotImages(vm, vms.media(), node);
        restored.add(images);
        for (PreparedDisks.Drive d : images.drives()) {
            disks.relayerHardDisk(d.attachment().machineSlot(), d.file());
        }
        memoryMb = node.memoryMb;
        bootOrder = node.bootOrder;
        return node.online ? Path.of(node.savedState) : null;
    }

    /** Refuses a snapshot name the VM does not have (before the machine is closed for a restore). */
    void requireSnapshot(String name) throws IOException {
        vm.snapshot(name);
    }

    /** True when the run writes the VM's own disks and snapshots. */
    boolean persists() {
        return persist;
    }

    private void requirePersist(String step) throws IOException {
        if (!persist) {
            throw new IOException(step + " changes VM '" + vm.name() + "'; only a persisting run (persist: true)"
                    + " takes or restores its snapshots");
        }
    }

    private void record(VmState state) throws IOException {
        vm.settings().state = state;
        vm.save();
    }

    /** Releases the drives and, for a persisting run, records the VM powered off and lets it go. */
    @Override
    public void close() throws IOException {
        try {
            for (PreparedDisks images : restored) {
                images.close();
            }
            if (prepared != null) {
                prepared.close();
            }
            if (persist && lock != null && vm.settings().state == VmState.RUNNING) {
                record(VmState.POWERED_OFF);
            }
        } finally {
            if (lock != null) {
                lock.close();
            }
        }
    }

    /** Deletes a resumed state file the restored snapshot gave the VM. */
    static void discard(Path state) throws IOException {
        Files.deleteIfExists(state);
    }
}
