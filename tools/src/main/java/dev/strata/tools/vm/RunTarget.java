package dev.strata.tools.vm;

import dev.strata.emulator.machine.RunOutcome;
import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.LiveMachine;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SavedStates;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmState;
import dev.strata.vm.RunningMachine;
import dev.strata.vm.control.ControlTarget;
import dev.strata.vm.control.VmEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The VM that {@code strata vm start} runs, as its control socket drives it. */
final class RunTarget implements ControlTarget {
    private final RunningMachine machine;
    private final VirtualMachines vms;
    private final VirtualMachine vm;
    private final PreparedDisks disks;
    private final Path savedFile;
    private final boolean[] saved;
    private final List<Consumer<VmEvent>> listeners = new CopyOnWriteArrayList<>();

    RunTarget(RunningMachine machine, VirtualMachines vms, VirtualMachine vm, PreparedDisks disks, Path savedFile,
              boolean[] saved) {
        this.machine = machine;
        this.vms = vms;
        this.vm = vm;
        this.disks = disks;
        this.savedFile = savedFile;
        this.saved = saved;
        machine.runner().onReset(m -> emit(VmEvent.now(VmEvent.RESET).with("by", "guest")));
    }

    private void emit(VmEvent e) {
        for (Consumer<VmEvent> l : listeners) {
            l.accept(e);
        }
    }

    private synchronized void record(VmState next) throws IOException {
        VmState previous = vm.settings().state;
        vm.settings().state = next;
        vm.save();
        emit(VmEvent.now(VmEvent.STATE_CHANGED).with("state", next.label()).with("previous", previous.label()));
    }

    /** Tells the clients how the run ended. */
    void ended(RunOutcome outcome) {
        emit(VmEvent.now(VmEvent.POWER_OFF).with("reason", saved[0] ? "saved"
                : outcome == null ? "stopped" : outcome.name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Override
    public String state() {
        return vm.settings().state.label();
    }

    @Override
    public void pause() throws IOException {
        if (vm.settings().state != VmState.RUNNING) {
            throw new IllegalStateException("VM '" + vm.name() + "' is " + state() + "; only a Running VM pauses");
        }
        machine.pause();
        record(VmState.PAUSED);
    }

    @Override
    public void resume() throws IOException {
        if (vm.settings().state != VmState.PAUSED) {
            throw new IllegalStateException("VM '" + vm.name() + "' is " + state() + "; only a Paused VM resumes");
        }
        machine.resume();
        record(VmState.RUNNING);
    }

    @Override
    public void reset() {
        machine.reset();
    }

    @Override
    public void powerOff() {
        machine.powerOff();
    }

    @Override
    public Path saveState() throws Exception {
        machine.onCpuThenStop(m -> {
            SavedStates.save(m, savedFile);
            saved[0] = true;
            return null;
        }, 60);
        return savedFile;
    }

    @Override
    public String snapshotLive(String name, String description) throws Exception {
        if (machine.runner().isPaused()) {
            throw new IllegalStateException("the VM is paused; resume it to take an online snapshot");
        }
        return machine.onCpu(m -> {
            SnapshotNode n = new Snapshots(vms).takeOnline(vm, name, description, LiveMachine.of(m));
            for (Attachment a : vm.settings().attachments) {
                if (a.current != null && a.type.equals("hdd")) {
                    disks.holdExclusive(Path.of(a.current));
                }
            }
            emit(VmEvent.now(VmEvent.SNAPSHOT_COMPLETED).with("name", name).with("uuid", n.uuid.toString()));
            return n.uuid.toString();
        }, 120);
    }

    @Override
    public void type(String text) {
        machine.type(text);
    }

    @Override
    public List<String> screen() throws Exception {
        return machine.screen();
    }

    @Override
    public void addEventListener(Consumer<VmEvent> listener) {
        listeners.add(listener);
    }

    @Override
    public void removeEventListener(Consumer<VmEvent> listener) {
        listeners.remove(listener);
    }
}
