package dev.strata.tools.run;

import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.KernelBoot;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.RomImageFirmware;
import dev.strata.emulator.machine.SataDrive;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.storage.image.DiskImages;
import dev.strata.tools.StrataCommand;
import dev.strata.tools.log.LogLevel;
import dev.strata.tools.log.LogOptions;
import dev.strata.tools.log.LogTarget;
import dev.strata.tools.log.Logging;
import dev.strata.tools.medium.StandardError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code strata run}: builds a PC from the options, runs it, and reports how the run ended. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boot a PC: Strata's BIOS (or --bios), the given floppy and hard disk images, a VGA text"
                + " screen, COM1, the keyboard. With no --fda or --hda it boots the bundled demo guest.",
                "Headless runs are for scripts and tests: --expect texts are waited for on COM1, the debug port"
                + " E9h or the screen, in order; once all appear the machine powers off cleanly (exit 0).",
                "On a terminal without --headless the screen is drawn in place and keys go to the guest;"
                + " Ctrl-] then q quits, r resets, d sends Ctrl-Alt-Del."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the machine powered off, or every --expect was met", "1:an expectation was not met in"
                + " time, the guest stopped first, or an error", "2:bad options"})
public final class RunCommand extends StrataCommand {

    @Option(names = "--fda", paramLabel = "IMG", description = "floppy image for drive A:")
    Path fda;

    @Option(names = "--hda", paramLabel = "IMG", description = "hard disk on the primary master (BIOS drive 80h);"
            + " any image format Strata reads, with its differencing chain")
    Path hda;

    @Option(names = "--hdb", paramLabel = "IMG", description = "hard disk on the primary slave")
    Path hdb;

    @Option(names = "--hdc", paramLabel = "IMG", description = "hard disk on the secondary master (not with"
            + " --cdrom)")
    Path hdc;

    @Option(names = "--hdd", paramLabel = "IMG", description = "hard disk on the secondary slave")
    Path hdd;

    @Option(names = "--cdrom", paramLabel = "ISO", description = "CD image in the ATAPI drive on the secondary"
            + " master (read-only; El Torito bootable with --boot d)")
    Path cdrom;

    @Option(names = "--sata", paramLabel = "IMG", description = "hard disk on the next SATA port of an AHCI"
            + " controller (repeatable: ports 0, 1, ...); opened like --hda")
    List<Path> sata = new ArrayList<>();

    @Option(names = "--sata-cdrom", paramLabel = "ISO", description = "CD image in an ATAPI drive on the SATA port"
            + " after the --sata disks (repeatable; read-only)")
    List<Path> sataCdrom = new ArrayList<>();

    @Option(names = "--boot", paramLabel = "a|c|d", description = "boot drive(s), tried in order, e.g. dc"
            + " (default: a with a floppy, else d with a CD, else c)")
    String boot;

    @Option(names = "--snapshot", description = "run the hard disks over throwaway differencing images in a"
            + " temporary folder, deleted at exit: nothing is written to the original images")
    boolean snapshot;

    @Option(names = "--memory", paramLabel = "MB", defaultValue = "32", description = "RAM in MB (default 32)")
    int memoryMb;

    @Option(names = "--bios", paramLabel = "FILE", description = "a BIOS ROM image of 64, 128 or 256 KiB"
            + " instead of Strata's BIOS")
    Path bios;

    @Option(names = "--kernel", paramLabel = "BZIMAGE", description = "boot this Linux kernel directly (x86 boot"
            + " protocol) instead of a drive's boot sector; the drives stay attached")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "initial RAM disk for --kernel")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "kernel command line for --kernel,"
            + " e.g. \"console=ttyS0\"")
    String append;

    @Option(names = "--kernel-unpack", paramLabel = "WHO", description = KernelUnpacker.HELP)
    KernelUnpacker kernelUnpack; // null: not given (Strata unpacks)

    @Option(names = "--post-log", description = "print POST codes (port 80h) to stderr")
    boolean postLog;

    @Mixin
    ConsoleOptions console = new ConsoleOptions();

    @Option(names = "--log", paramLabel = "FILE", description = "write the log to FILE (default: stderr, unless"
            + " the screen is drawn on the terminal stderr goes to: then <strata home>/logs/run.log)")
    Path logFile;

    @Mixin
    LogOptions log = new LogOptions();

    @Option(names = "--save-state", paramLabel = "FILE", description = "once every --expect is met, save the"
            + " machine's state to FILE and exit instead of powering off")
    Path saveState;

    @Option(names = "--restore-state", paramLabel = "FILE", description = "start from a state saved with"
            + " --save-state (give the same memory and drives)")
    Path restoreState;

    /** The log never goes to the terminal the guest's screen is drawn on. */
    @Override
    protected void configureLogging() throws IOException {
        if (logFile != null) {
            Logging.configure(log.settings(LogLevel.INFO), LogTarget.file(logFile));
        } else if (console.headless || console.gui || System.console() == null || !StandardError.isTerminal()) {
            // only set up when something logs: the JDK's logging costs start-up time, and most runs log nothing
            Logging.configureLazily(log.settings(LogLevel.WARN));
        } else {
            try {
                Logging.configure(log.settings(LogLevel.INFO), LogTarget.rotated(home().resolve("logs")
                        .resolve("run.log"), 3));
            } catch (IOException e) {
                Logging.configure(log.settings(LogLevel.INFO), LogTarget.NONE); // no log is no reason not to run
            }
        }
    }

    @Override
    protected int execute() throws Exception {
        if (console.mistake() != null) {
            throw usageError(console.mistake());
        }
        PrintWriter err = err();
        MachineSettings settings = settings(err);
        ConsoleSession session = new ConsoleSession(console, err).named(machineName())
                .savedState(new SavedStateOptions(saveState, restoreState, !console.expect.isEmpty()));
        Path demo = null;
        try (SignalStop signals = SignalStop.install()) {
            session.stopOnSignal(signals, MachineRunner::stop); // powers off: disks flushed and closed
            if (fda == null && !anyHardDiskOrCd() && kernel == null) {
                demo = DemoGuest.copyTo(Files.createTempFile("strata-demo-", ".img"));
                settings.floppy(0, demo).bootOrder(boot != null ? boot : "a");
            }
            try {
                return session.run(settings, null);
            } finally {
                if (demo != null) {
                    Files.deleteIfExists(demo);
                }
            }
        }
    }

    private MachineSettings settings(PrintWriter err) throws IOException {
        if (cdrom != null && hdc != null) {
            // before any file is looked at: which file is missing or locked matters less than the mistake
            throw usageError("--cdrom takes the secondary master, where --hdc would go: give that disk as --hdd"
                    + " instead");
        }
        MachineSettings s = new MachineSettings().memoryMb(memoryMb);
        if (fda != null) {
            s.floppy(0, existing(fda, "--fda"));
        }
        Path[] disks = {hda, hdb, hdc, hdd};
        for (int i = 0; i < disks.length; i++) {
            if (disks[i] != null) {
                String option = "--hd" + (char) ('a' + i);
                s.hardDisk(i, existing(disks[i], option));
                s.hardDiskReadOnly(i, ReadOnlyMedia.isReadOnly(disks[i], err));
                if (!snapshot) {
                    RunDiskRules.checkWritable(disks[i]);
                }
            }
        }
        if (cdrom != null) {
            s.cdrom(existing(cdrom, "--cdrom"));
        }
        sataDrives(s, err);
        s.snapshot(snapshot);
        s.parentResolver(RunRegistry.load(err));
        s.bootOrder(boot != null ? boot : defaultBootOrder(s));
        if (postLog) {
            s.postCodeListener(code -> {
                err.printf("POST %02Xh%n", code);
                err.flush();
            });
        }
        s.firmware(firmware());
        s.kernelBoot(kernelBoot());
        return s;
    }

    /** Without --boot: the floppy, else a CD given without a disk the BIOS would boot first, else drive C:. */
    private String defaultBootOrder(MachineSettings s) {
        if (fda != null) {
            return "a";
        }
        boolean ideCd = cdrom != null && hda == null;
        boolean sataCdAlone = !sataCdrom.isEmpty() && !s.anyHardDisk();
        return ideCd || sataCdAlone ? "d" : "c";
    }

    /** --sata disks on ports 0, 1, ... in the order given, then the --sata-cdrom drives. */
    private void sataDrives(MachineSettings s, PrintWriter err) throws IOException {
        if (sata.size() + sataCdrom.size() > MachineSettings.SATA_PORTS) {
            throw usageError("the AHCI controller has " + MachineSettings.SATA_PORTS + " ports, but --sata and"
                    + " --sata-cdrom give " + (sata.size() + sataCdrom.size()) + " drives");
        }
        int port = 0;
        for (Path disk : sata) {
            existing(disk, "--sata");
            if (!snapshot) {
                RunDiskRules.checkWritable(disk);
            }
            s.sata(port++, SataDrive.hardDisk(disk, ReadOnlyMedia.isReadOnly(disk, err)));
        }
        for (Path iso : sataCdrom) {
            s.sata(port++, SataDrive.dvd(existing(iso, "--sata-cdrom")));
        }
    }

    private KernelBoot kernelBoot() throws NoSuchFileException {
        if (kernel == null) {
            if (initrd != null || append != null) {
                throw new IllegalArgumentException((initrd != null ? "--initrd" : "--append") + " needs --kernel");
            }
            if (kernelUnpack != null) {
                throw new IllegalArgumentException("--kernel-unpack needs --kernel");
            }
            return null;
        }
        if (bios != null) {
            throw new IllegalArgumentException("--kernel is booted by Strata's BIOS: drop --bios");
        }
        return new KernelBoot(existingFile(kernel, "--kernel"),
                initrd == null ? null : existingFile(initrd, "--initrd"), append,
                kernelUnpack != KernelUnpacker.guest);
    }

    private static Path existingFile(Path path, String option) throws NoSuchFileException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, option + ": no such file");
        }
        return path;
    }

    /** What the --gui window's title calls this machine: the boot medium's file name. */
    private String machineName() {
        Path first = kernel != null ? kernel : fda != null ? fda : hda != null ? hda : cdrom != null ? cdrom
                : hdb != null ? hdb : hdc != null ? hdc : hdd != null ? hdd : !sata.isEmpty() ? sata.get(0)
                : !sataCdrom.isEmpty() ? sataCdrom.get(0) : null;
        return first == null ? "demo guest" : String.valueOf(first.getFileName());
    }

    private boolean anyHardDiskOrCd() {
        return hda != null || hdb != null || hdc != null || hdd != null || cdrom != null || !sata.isEmpty()
                || !sataCdrom.isEmpty();
    }

    private static Path existing(Path path, String option) throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, option + ": no such image file");
        }
        DiskImages.requireImageFile(path); // a directory, device or empty file says what it is
        return path;
    }

    private Firmware firmware() throws IOException {
        if (bios == null) {
            return DefaultFirmware.create();
        }
        if (!Files.isRegularFile(bios)) {
            throw new NoSuchFileException(bios.toString(), null, "--bios: no such BIOS image file");
        }
        return RomImageFirmware.load(bios);
    }

}
