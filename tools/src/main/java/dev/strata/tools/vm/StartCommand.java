package dev.strata.tools.vm;

import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SavedStates;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.vm.RunningMachine;
import dev.strata.vm.control.VmControlServer;
import dev.strata.emulator.vm.VmRunLock;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.emulator.vm.VmState;
import dev.strata.storage.StorageException;
import dev.strata.tools.StrataCommand;
import dev.strata.tools.StrataVersion;
import dev.strata.tools.log.LogLevel;
import dev.strata.tools.log.LogOptions;
import dev.strata.tools.log.VmLog;
import dev.strata.tools.run.ConsoleOptions;
import dev.strata.tools.run.ConsoleSession;
import dev.strata.tools.run.DefaultFirmware;
import dev.strata.tools.run.SavedStateRestoreException;
import dev.strata.tools.run.SignalStop;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata vm start NAME}: powers the VM on in this process with its drives built per medium type, holds
 * its locks while it runs, serves its control socket, and records Running, then PoweredOff (or Saved).
 */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Power a VM on in this process. It runs until the guest powers off, `strata vm control NAME"
                + " poweroff`, an --expect list is met, or --timeout. SIGTERM, SIGINT or SIGHUP save its state and"
                + " end it Saved.", "Console options are those of strata run."})
final class StartCommand extends StrataCommand {
    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);

    /** The file a savestate writes, in the VM folder. */
    static final String SAVED_STATE = "saved.state";

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--gui", description = "show the screen and take keys on this terminal (the default on a"
            + " terminal; this build has no window)")
    boolean gui;

    @Option(names = "--discard-state", description = "throw a saved state away and boot afresh")
    boolean discardState;

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Mixin
    LogOptions log = new LogOptions();

    @Override
    protected int execute() throws Exception {
        if (gui && console.headless) {
            throw usageError("--gui and --headless exclude each other; pick one");
        }
        PrintWriter err = err();
        VirtualMachines vms = vms();
        VirtualMachine vm = vms.open(name);
        VmSettings s = vm.settings();
        boolean fromSaved = false;
        if (s.state == VmState.SAVED) {
            if (discardState) {
                if (s.savedState != null) {
                    Files.deleteIfExists(Path.of(s.savedState));
                }
                s.savedState = null;
                s.state = VmState.POWERED_OFF;
                vm.save();
            } else if (!SavedStates.available()) {
                throw new StorageException(vm.settingsFile(), "VM '" + name + "' is Saved, but "
                        + SavedStates.UNAVAILABLE + "; start it with --discard-state to boot afresh");
            } else {
                fromSaved = true;
            }
        } else if (s.state.live()) {
            throw new StorageException(vm.settingsFile(), "VM '" + name + "' is already " + s.state.label());
        }
        ConsoleSession session = new ConsoleSession(console, err);
        Path savedFile = vm.folder().resolve(SAVED_STATE);
        Path resumeFrom = fromSaved ? Path.of(s.savedState != null ? s.savedState : savedFile.toString()) : null;
        // Closed last: a signal's shutdown waits until the state is recorded and the locks and disks are released.
        try (SignalStop signals = SignalStop.install();
             VmRunLock lock = VmRunLock.acquire(vm.folder(), name);
             VmLog vmLog = VmLog.open(vm.folder(), log.settings(LogLevel.INFO));
             PreparedDisks disks = VmDisks.prepare(vm, vms.media(), fromSaved)) {
            LOG.info("VM '{}' ({}) starting{}: {} MB, boot order {}, {}", name, s.uuid, fromSaved ? " from its saved state"
                    : "", s.memoryMb, s.bootOrder, "Strata " + StrataVersion.version());
            MachineSettings ms = new MachineSettings().memoryMb(s.memoryMb).firmware(DefaultFirmware.create());
            disks.applyTo(ms);
            ms.bootOrder(bootOrder(s.bootOrder, ms));
            if (s.kernel != null) {
                ms.kernelBoot(new KernelBoot(Path.of(s.kernel), s.initrd == null ? null : Path.of(s.initrd), s.append));
            }
            if (fromSaved) {
                // Restored before the CPU runs its first instruction, so the guest continues exactly where it stopped.
                session.restoreFrom(resumeFrom);
            }
            boolean[] saved = new boolean[1];
            boolean[] running = new boolean[1];
            VmControlServer[] server = new VmControlServer[1];
            RunTarget[] target = new RunTarget[1];
            // Running is recorded only once the machine stands ready: a resume that fails leaves the VM Saved.
            session.beforePowerOn(() -> {
                s.state = VmState.RUNNING;
                vm.save();
                running[0] = true;
            });
            session.stopOnSignal(signals, runner -> runner.execute(machine -> {
                // As VirtualBox's VBoxHeadless does on SIGTERM/SIGINT/SIGHUP: save the state, so nothing the guest
                // holds in memory is lost; the next start resumes. Saved and stopped before another instruction runs.
                try {
                    SavedStates.save(machine, savedFile);
                    saved[0] = true;
                    err.println("strata: VM '" + name + "' saved its state (`strata vm start " + name + "` resumes it,"
                            + " --discard-state boots afresh)");
                } catch (IOException | RuntimeException e) {
                    err.println("strata: the state of VM '" + name + "' could not be saved (" + e.getMessage()
                            + "), so it was powered off");
                } finally {
                    err.flush();
                    runner.stop();
                }
            }));
            int code;
            try {
                code = session.run(ms, runner -> {
                    try {
                        target[0] = new RunTarget(new RunningMachine(runner), vms, vm, disks, savedFile, saved);
                        server[0] = VmControlServer.start(vm.controlSocket(), target[0]);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (SavedStateRestoreException e) {
                throw new StorageException(resumeFrom, "cannot resume VM '" + name + "' from its saved state: "
                        + e.getMessage() + ". The VM stays Saved and its saved state was left as it is; undo what"
                        + " changed, or boot afresh with `strata vm start " + name + " --discard-state` (which"
                        + " deletes the saved state)", e);
            } finally {
                if (target[0] != null) {
                    target[0].ended(session.outcome());
                }
                if (server[0] != null) {
                    server[0].close();
                }
                if (running[0]) {
                    s.state = saved[0] ? VmState.SAVED : VmState.POWERED_OFF;
                    s.savedState = saved[0] ? savedFile.toString() : null;
                    vm.save();
                    if (!saved[0] && resumeFrom != null) {
                        Files.deleteIfExists(resumeFrom); // resumed and ended: the state is history
                    }
                }
            }
            return code;
        }
    }


    /** The VM's boot order without the letters that have no drive (a floppy-less VM boots from C:, say). */
    static String bootOrder(String wanted, MachineSettings ms) {
        StringBuilder b = new StringBuilder();
        for (char c : wanted.toCharArray()) {
            boolean present = switch (c) {
                case 'a' -> ms.floppy(0) != null;
                case 'c' -> ms.hardDisk(0) != null || ms.hardDisk(1) != null || ms.hardDisk(2) != null
                        || ms.hardDisk(3) != null;
                case 'd' -> ms.cdrom() != null;
                default -> false;
            };
            if (present) {
                b.append(c);
            }
        }
        return b.length() > 0 ? b.toString() : "c";
    }
}
