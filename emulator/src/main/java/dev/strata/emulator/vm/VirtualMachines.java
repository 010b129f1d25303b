package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.StrataHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The VMs of one Strata home: create, open, list and delete them. Opening a VM finds a crashed run (state
 * Running without a process holding {@link VmRunLock}) and marks it Aborted, tidies the files the crashed process
 * left, and finishes an interrupted snapshot delete.
 */
public final class VirtualMachines {
    /** What a VM name may be (it is also a folder name). */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final Path home;
    private final VmRegistry registry;

    public VirtualMachines(Path home) {
        this.home = home.toAbsolutePath().normalize();
        this.registry = new VmRegistry(this.home);
    }

    /** The VMs of {@link StrataHome#resolve()}. */
    public static VirtualMachines ofDefaultHome() {
        return new VirtualMachines(StrataHome.resolve());
    }

    public Path home() {
        return home;
    }

    public VmRegistry registry() {
        return registry;
    }

    /** The media registry of the same home. */
    public MediaRegistry media() throws StorageException {
        return MediaRegistry.load(home);
    }

    /** Creates VM {@code name} in {@code baseFolder/name} (default {@code <home>/vms}); refuses to reuse a folder. */
    public VirtualMachine create(String name, int memoryMb, Path baseFolder) throws IOException {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("VM name '" + name + "' is not allowed: use 1 to 64 letters, digits, '.',"
                    + " '_' or '-', starting with a letter or digit");
        }
        if (memoryMb < 1 || memoryMb > dev.strata.emulator.machine.MachineSettings.MAX_MEMORY_MB) {
            throw new IllegalArgumentException("--memory must be 1 to "
                    + dev.strata.emulator.machine.MachineSettings.MAX_MEMORY_MB + " MB, got " + memoryMb);
        }
        if (registry.all().containsKey(name)) {
            throw new StorageException(registry.file(), "a VM named '" + name + "' already exists; pick another name");
        }
        Path folder = (baseFolder != null ? baseFolder : home.resolve("vms")).toAbsolutePath().normalize().resolve(name);
        if (Files.exists(folder.resolve(VmSettingsFile.FILE_NAME))) {
            throw new StorageException(folder, "already holds a VM settings file; pick another name or --basefolder");
        }
        Files.createDirectories(folder.resolve(VirtualMachine.SNAPSHOTS));
        VmSettings s = new VmSettings();
        s.name = name;
        s.uuid = UUID.randomUUID();
        s.memoryMb = memoryMb;
        VirtualMachine vm = new VirtualMachine(folder, s, home);
        vm.save();
        registry.add(name, folder);
        return vm;
    }

    /** Opens VM {@code name}, marking a crashed run Aborted and finishing an interrupted snapshot delete. */
    public VirtualMachine open(String name) throws IOException {
        return open(name, true);
    }

    /**
     * Opens VM {@code name}; with {@code finishPending} false an interrupted snapshot delete is left recorded (for
     * {@link Snapshots#rollbackPending}).
     */
    public VirtualMachine open(String name, boolean finishPending) throws IOException {
        Path folder = registry.folder(name);
        VirtualMachine vm = new VirtualMachine(folder, VmSettingsFile.read(folder.resolve(VmSettingsFile.FILE_NAME)),
                home);
        boolean held = VmRunLock.held(folder);
        if (vm.settings().state.live() && !held) {
            vm.settings().state = VmState.ABORTED;
            vm.save();
        } else {
            VmDiffRegistration.sync(vm, home); // VMs from before diffs were registered, or after a crash
        }
        if (!held) {
            VmRunLock.tidyStale(folder); // what a killed process left: lock, pid file, control socket
        }
        if (finishPending && vm.settings().pending != null && !vm.settings().state.live()
                && !VmRunLock.held(folder)) {
            try (VmRunLock lock = vm.lock()) { // another process may have finished it meanwhile
                new Snapshots(this).finishPending(vm, dev.strata.storage.Progress.NONE);
            }
        }
        return vm;
    }

    /** Name to folder of every registered VM. */
    public Map<String, Path> list() throws StorageException {
        return registry.all();
    }

    /** What {@link #delete} did. */
    public enum Deletion {
        /** The VM is unregistered and its folder deleted. */
        DELETED,
        /**
         * Its settings file was missing: the VM is unregistered and its folder left as it was, because without the
         * settings Strata cannot tell its own files there (diffs, states) from anything else kept in it.
         */
        UNREGISTERED_FOLDER_KEPT
    }

    /**
     * Unregisters VM {@code name} and deletes its folder (settings, diffs, snapshots); media stay, the diffs in the
     * folder are forgotten by the media registry. A VM whose settings file is missing is only unregistered.
     */
    public Deletion delete(String name) throws IOException {
        Path folder = registry.folder(name);
        if (!Files.exists(folder.resolve(VmSettingsFile.FILE_NAME), LinkOption.NOFOLLOW_LINKS)) {
            registry.remove(name);
            return Deletion.UNREGISTERED_FOLDER_KEPT;
        }
        VirtualMachine vm = open(name);
        vm.requireStopped("delete it");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(vm.folder())) {
            all.sorted(Comparator.reverseOrder()).forEach(files::add);
        }
        VmDiffRegistration.forgetAll(vm, home);
        registry.remove(name);
        for (Path p : files) {
            Files.deleteIfExists(p);
        }
        return Deletion.DELETED;
    }
}
