package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmSettings;
import dev.strata.storage.StorageException;
import dev.strata.tools.StrataCommand;
import dev.strata.tools.StrataVersion;
import dev.strata.tools.log.LogLevel;
import dev.strata.tools.log.LogOptions;
import dev.strata.tools.log.VmLog;
import dev.strata.tools.run.ConsoleOptions;
import dev.strata.tools.run.ConsoleSession;
import dev.strata.tools.run.SavedStateRestoreException;
import dev.strata.tools.run.SignalStop;
import dev.strata.vm.MachineHost;
import dev.strata.vm.SessionState;
import dev.strata.vm.VmSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code strata vm start NAME}: runs the VM's {@link VmSession} on this console (screen, serial routing,
 * --expect, --timeout), saving its state on SIGTERM, SIGINT or SIGHUP.
 */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Power a VM on in this process. It runs until the guest powers off, `strata vm control NAME"
                + " poweroff`, an --expect list is met, or --timeout. SIGTERM, SIGINT or SIGHUP save its state and"
                + " end it Saved.", "Console options are those of strata run."})
final class StartCommand extends StrataCommand {
    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);

    @Parameters(paramLabel = "NAME")
    String name;

    @Option(names = "--discard-state", description = "throw a saved state away and boot afresh")
    boolean discardState;

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Mixin
    LogOptions log = new LogOptions();

    @Override
    protected int execute() throws Exception {
        if (console.mistake() != null) {
            throw usageError(console.mistake());
        }
        PrintWriter err = err();
        VmSession session = VmSession.open(vms(), name);
        VirtualMachine vm = session.vm();
        if (session.state() == SessionState.SAVED && discardState) {
            session.discardState();
        }
        boolean fromSaved = session.state() == SessionState.SAVED;
        VmSettings s = vm.settings();
        Path resumeFrom = fromSaved ? Path.of(s.savedState != null ? s.savedState
                : vm.folder().resolve(VmSession.SAVED_STATE).toString()) : null;
        ConsoleSession consoleSession = new ConsoleSession(console, err).named(name);
        consoleSession.onExpectationsMet(() -> session.expectationsMet(console.expect.size()));
        // Closed last: a signal's shutdown waits until the state is recorded and the locks and disks are released.
        try (SignalStop signals = SignalStop.install()) {
            // As VirtualBox's VBoxHeadless does on SIGTERM/SIGINT/SIGHUP: save the state, so nothing the guest holds
            // in memory is lost; the next start resumes.
            consoleSession.stopOnSignal(signals, runner -> session.saveOnSignal(why -> {
                err.println(why == null ? "strata: VM '" + name + "' saved its state (`strata vm start " + name
                        + "` resumes it, --discard-state boots afresh)" : "strata: the state of VM '" + name
                        + "' could not be saved (" + why + "), so it was powered off");
                err.flush();
            }));
            return session.run(onConsole(consoleSession), () -> {
                VmLog vmLog = VmLog.open(vm.folder(), log.settings(LogLevel.INFO));
                LOG.info("VM '{}' ({}) starting{}: {} MB, boot order {}, {}", name, s.uuid,
                        fromSaved ? " from its saved state" : "", s.memoryMb, s.bootOrder,
                        "Strata " + StrataVersion.version());
                return vmLog;
            });
        } catch (SavedStateRestoreException e) {
            throw new StorageException(resumeFrom, "cannot resume VM '" + name + "' from its saved state: "
                    + e.getMessage() + ". The VM stays Saved and its saved state was left as it is; undo what"
                    + " changed, or boot afresh with `strata vm start " + name + " --discard-state` (which"
                    + " deletes the saved state)", e);
        }
    }

    /** The session's machine run by {@code consoleSession}: its screen, serial, --expect and --timeout. */
    private static MachineHost onConsole(ConsoleSession consoleSession) {
        return (settings, restoreFrom, hooks) -> {
            if (restoreFrom != null) {
                consoleSession.restoreFrom(restoreFrom); // restored before the CPU runs its first instruction
            }
            consoleSession.beforePowerOn(hooks::beforePowerOn);
            return consoleSession.run(settings, runner -> {
                try {
                    hooks.started(runner);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        };
    }
}
