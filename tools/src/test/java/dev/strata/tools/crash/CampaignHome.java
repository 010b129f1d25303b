package dev.strata.tools.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.vm.Attachment;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmSettingsFile;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.InProcessStrata;
import dev.strata.vm.SessionState;
import dev.strata.vm.VmSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The Strata home of one scenario, with the checks every kill is followed by: run {@code strata} in this JVM, check
 * every image, open VMs, read what a guest sees on a disk.
 */
final class CampaignHome {
    private final Path home;
    private final InProcessStrata cli = new InProcessStrata();

    CampaignHome(Path home) throws IOException {
        this.home = Files.createDirectories(home);
    }

    Path path() {
        return home;
    }

    Path file(String name) {
        return home.resolve(name);
    }

    /** Makes this the home of commands run in this JVM (the property is the process's). */
    void use() {
        System.setProperty(StrataHome.PROPERTY, home.toString());
    }

    /** Runs a command here; returns its exit code, its messages kept for {@link #lastErrors()}. */
    int strata(String... args) {
        use();
        cli.err.getBuffer().setLength(0);
        cli.out.getBuffer().setLength(0);
        return cli.run(args);
    }

    /** Runs a command that must succeed. */
    void ok(String where, String... args) {
        assertEquals(0, strata(args), () -> where + ": `strata " + String.join(" ", args) + "` failed: "
                + cli.err + cli.out);
    }

    String lastErrors() {
        return cli.err.toString();
    }

    String lastOutput() {
        return cli.out.toString();
    }

    /** Every image file here passes `strata medium check`, and the media registry lists without problems. */
    void checkImages(String where) throws IOException {
        List<Path> images;
        try (Stream<Path> all = Files.walk(home)) {
            images = all.filter(p -> p.getFileName().toString().endsWith(".vdi")
                    && !p.getFileName().toString().startsWith(".") && Files.isRegularFile(p)).toList();
        }
        for (Path image : images) {
            ok(where + ": check of " + image, "medium", "check", image.toString());
        }
        ok(where + ": the media registry", "medium", "list");
    }

    /** VM {@code name} opens, in one of {@code allowed}; returns it. */
    VirtualMachine openVm(String where, String name, Set<VmState> allowed) throws IOException {
        use();
        VirtualMachine vm = new VirtualMachines(home).open(name);
        assertTrue(allowed.contains(vm.settings().state), where + ": VM '" + name + "' is "
                + vm.settings().state.label() + ", not one of " + allowed);
        for (String f : List.of("vm.pid", "vm.run.lck", VirtualMachine.CONTROL_SOCKET)) {
            assertFalse(Files.exists(vm.folder().resolve(f)), where + ": " + f + " was left in " + vm.folder());
        }
        return vm;
    }

    /** Runs a command on another thread (a `vm start`, say), with output of its own. */
    CompletableFuture<Integer> inBackground(String... args) {
        use();
        InProcessStrata own = new InProcessStrata();
        return CompletableFuture.supplyAsync(() -> {
            int exit = own.run(args);
            if (exit != 0) {
                throw new IllegalStateException("`strata " + String.join(" ", args) + "` failed: " + own.err);
            }
            return exit;
        });
    }

    /**
     * Waits until VM {@code name} runs and serves its control socket, as recorded by another process or thread; fails
     * when {@code stillGoing} turns false first.
     */
    void awaitRunning(String where, String name, BooleanSupplier stillGoing) throws Exception {
        Path folder = home.resolve("vms").resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(folder.resolve(VirtualMachine.CONTROL_SOCKET)) && recorded(folder) == VmState.RUNNING)) {
            assertTrue(stillGoing.getAsBoolean(), where + ": VM '" + name + "' ended before it ran");
            assertTrue(System.nanoTime() < deadline, where + ": VM '" + name + "' did not come up");
            Thread.sleep(10);
        }
    }

    /** The state a VM's settings file records now, or null while another process replaces the file. */
    private static VmState recorded(Path folder) {
        try {
            return VmSettingsFile.read(folder.resolve(VmSettingsFile.FILE_NAME)).state;
        } catch (StorageException e) {
            return null;
        }
    }

    /** The file a VM's first hard disk writes to now (the top of its chain). */
    static Path hardDiskTop(VirtualMachine vm) {
        Attachment a = vm.settings().attachments.stream().filter(x -> x.type.equals("hdd")).findFirst()
                .orElseThrow();
        return Path.of(a.current != null ? a.current : a.mediumPath);
    }

    /** The whole disk as a guest sees it through the chain whose top is {@code top}. */
    byte[] view(Path top) throws IOException {
        try (DiskChain chain = FileChains.opener(MediaRegistry.load(home)).open(top, true)) {
            byte[] all = new byte[Math.toIntExact(chain.size())];
            chain.read(0, all, 0, all.length);
            return all;
        }
    }

    /**
     * Creates VM {@code name} with a 4 MB normal hard disk full of {@code pattern}, and the demo guest's floppy when
     * {@code bootable}.
     */
    void createVm(String name, byte[] pattern, boolean bootable) throws IOException {
        Path disk = file(name + "-c.vdi");
        ok("setup", "medium", "create", "--filename", disk.toString(), "--size", "4M");
        write("setup", disk, 0, pattern);
        ok("setup", "vm", "create", name, "--memory", "4");
        ok("setup", "vm", "attach", name, "--controller", "ide", "--port", "0", "--device", "0", "--type", "hdd",
                "--medium", disk.toString());
        if (bootable) {
            Path floppy = DemoGuest.copyTo(file(name + "-demo.img"));
            ok("setup", "vm", "attach", name, "--controller", "floppy", "--port", "0", "--type", "fdd", "--medium",
                    floppy.toString());
        }
    }

    /** Boots VM {@code name} in this JVM and saves its state, leaving it Saved. */
    void bootAndSave(String where, String name) throws Exception {
        CompletableFuture<Integer> run = inBackground("vm", "start", name, "--headless", "--serial", "none",
                "--timeout", "120");
        awaitRunning(where, name, () -> !run.isDone());
        ok(where, "vm", "control", name, "savestate");
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
        openVm(where, name, Set.of(VmState.SAVED));
    }

    /** Throws a Saved VM's state away (it is then PoweredOff) without booting it; does nothing to another VM. */
    void discardState(String name) throws IOException {
        use();
        VmSession session = VmSession.open(new VirtualMachines(home), name);
        if (session.state() == SessionState.SAVED) {
            session.discardState();
        }
    }

    /** Writes {@code data} at {@code offset} through the chain of {@code top} with `strata medium write`. */
    void write(String where, Path top, long offset, byte[] data) throws IOException {
        Path input = Files.write(home.resolve("input.bin"), data);
        ok(where, "medium", "write", top.toString(), "--offset", Long.toString(offset), "--input", input.toString());
    }
}
