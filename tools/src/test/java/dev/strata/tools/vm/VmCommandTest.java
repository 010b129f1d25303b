package dev.strata.tools.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmState;
import dev.strata.guests.BootCd;
import dev.strata.guests.HostProgramMissing;
import dev.strata.guests.SharedData;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.StrataHome;
import dev.strata.tools.InProcessStrata;
import dev.strata.tools.StrataCli;
import dev.strata.tools.TemporaryStrataHome;
import dev.strata.tools.TestKernels;
import java.io.File;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** strata vm and strata snapshot end to end, on the demo guest's floppy. */
@Timeout(180)
class VmCommandTest {
    @RegisterExtension
    final TemporaryStrataHome strataHome = new TemporaryStrataHome();
    private Path home;
    private final InProcessStrata cli = new InProcessStrata();
    private final StringWriter err = cli.err;
    private final StringWriter out = cli.out;

    @BeforeEach
    void useTemporaryHome() {
        home = strataHome.path();
    }

    private int strata(String... args) {
        return cli.run(args);
    }

    /** What the command printed on standard output, the output of earlier commands forgotten. */
    private String output(String... args) {
        out.getBuffer().setLength(0);
        assertEquals(0, strata(args), err::toString);
        return out.toString();
    }

    private void demoVm(String name) throws Exception {
        Path floppy = DemoGuest.copyTo(home.resolve(name + "-demo.img"));
        assertEquals(0, strata("vm", "create", name, "--memory", "16"));
        assertEquals(0, strata("vm", "attach", name, "--controller", "floppy", "--port", "0", "--type", "fdd",
                "--medium", floppy.toString()), err.toString());
    }

    private VmState state(String name) throws Exception {
        return new VirtualMachines(home).open(name).settings().state;
    }

    private Path folder(String name) {
        return home.resolve("vms").resolve(name);
    }

    private void awaitRunning(String name, CompletableFuture<Integer> or) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(folder(name).resolve(VirtualMachine.CONTROL_SOCKET)) && state(name) == VmState.RUNNING)) {
            assertFalse(or != null && or.isDone(), () -> "the VM ended early: " + err);
            assertTrue(System.nanoTime() < deadline, "the VM did not come up");
            Thread.sleep(50);
        }
    }

    @Test
    void aWarningFromTheMachineGoesToTheVmLogFileNotToTheConsole() throws Exception {
        Path kernel = Files.write(home.resolve("bzImage"), TestKernels.undefinedOpcode());
        assertEquals(0, strata("vm", "create", "lnx", "--memory", "16", "--kernel", kernel.toString()), err.toString());
        java.io.PrintStream stdout = System.out;
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        try {
            System.setOut(new java.io.PrintStream(console, true));
            System.setErr(new java.io.PrintStream(console, true));
            for (int run = 0; run < 2; run++) {
                assertEquals(0, strata("vm", "start", "lnx", "--headless", "--deterministic", "--expect", "LNX",
                        "--timeout", "60"), err.toString());
            }
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        Path log = folder("lnx").resolve(dev.strata.tools.log.VmLog.FILE);
        String text = Files.readString(log);
        assertTrue(text.contains("WARN  dev.strata.emulator.cpu: undefined opcode 0F 04"), text);
        assertTrue(text.contains("INFO  dev.strata.tools.vm.StartCommand: VM 'lnx'"), text);
        assertTrue(Files.readString(log.resolveSibling("strata.log.1")).contains("undefined opcode"),
                "the log of the run before is kept");
        assertFalse(console.toString().contains("undefined opcode"), console.toString());
        assertFalse(err.toString().contains("undefined opcode"), err.toString());

        assertEquals(0, strata("vm", "start", "lnx", "--headless", "--deterministic", "--expect", "LNX",
                "--timeout", "60", "--log-level", "error"), err.toString());
        text = Files.readString(log);
        assertFalse(text.contains("undefined opcode") || text.contains("INFO"), text);
    }

    @Test
    void aVmCreatedWithAKernelBootsItDirectly() throws Exception {
        Path kernel = Files.write(home.resolve("bzImage"), TestKernels.tiny());
        assertEquals(0, strata("vm", "create", "lnx", "--memory", "16", "--kernel", kernel.toString(), "--append",
                "console=ttyS0"), err.toString());
        var s = new VirtualMachines(home).open("lnx").settings();
        assertEquals(kernel.toAbsolutePath().toString(), s.kernel);
        assertEquals("console=ttyS0", s.append);
        assertEquals(null, s.kernelUnpack, "Strata unpacks, the default, is not written");
        assertEquals(0, strata("vm", "start", "lnx", "--headless", "--serial", "none", "--deterministic",
                "--expect", "LNX", "--timeout", "60"), err.toString());
    }

    @Test
    void aVmCanHaveItsKernelUnpackItself() throws Exception {
        Path kernel = Files.write(home.resolve("bzImage"), TestKernels.tiny());
        assertEquals(0, strata("vm", "create", "lnx", "--memory", "16", "--kernel", kernel.toString(),
                "--kernel-unpack", "guest"), err.toString());
        var s = new VirtualMachines(home).open("lnx").settings();
        assertEquals("guest", s.kernelUnpack);
        assertFalse(s.kernelBoot().unpack());
        assertEquals(0, strata("vm", "info", "lnx"), err.toString());
        assertTrue(out.toString().contains("(unpacked by its own decompressor)"), out.toString());
        assertEquals(1, strata("vm", "create", "other", "--kernel-unpack", "guest"));
        assertTrue(err.toString().contains("--kernel-unpack needs --kernel"), err.toString());
    }

    @Test
    void vmCreateRefusesAMissingKernelAndCreatesNothing() throws Exception {
        assertEquals(1, strata("vm", "create", "lnx", "--kernel", home.resolve("nope").toString()));
        assertTrue(err.toString().contains("nope") && err.toString().contains("--kernel"), err.toString());
        assertFalse(Files.exists(folder("lnx")));
    }

    @Test
    void startBootsTheGuestAndRecordsPoweredOffAtTheEnd() throws Exception {
        demoVm("demo");
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--deterministic",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
        assertNoRunFiles("demo");
    }

    @Test
    void theVmLogNamesEachStateTheDrivesTheirImageChainsAndHowTheRunEnded() throws Exception {
        demoVm("demo");
        Path disk = home.resolve("c.vdi");
        assertEquals(0, strata("medium", "create", "--filename", disk.toString(), "--size", "4M"));
        assertEquals(0, strata("vm", "attach", "demo", "--controller", "ide", "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", disk.toString()), err.toString());
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--deterministic",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        String log = Files.readString(folder("demo").resolve(dev.strata.tools.log.VmLog.FILE));
        for (String line : List.of("VmSession: VM 'demo': PoweredOff -> Starting",
                "VmSession: VM 'demo': Starting -> Running", "VmSession: VM 'demo': Running -> PoweredOff",
                "PreparedDisks: ide port 0 device 0: hdd ", "ChainOpener: opened ",
                "VmSession: VM 'demo' stopped (guest) after ")) {
            assertTrue(log.contains(line), "'" + line + "' is missing from the VM log:\n" + log);
        }
        assertTrue(log.contains(": c.vdi ("), "the chain names the image and its UUID:\n" + log);
    }

    @Test
    void aVmBootsFromItsDvdDriveOnSata() throws Exception {
        Path iso;
        try {
            iso = BootCd.build("guests/sata/cdboot.asm", "VM_SATA_CD", home);
        } catch (HostProgramMissing e) {
            assertFalse(SharedData.inCi(), "nasm and xorriso are required in CI (CI=true): " + e.getMessage());
            assumeTrue(false, e.getMessage());
            return;
        }
        assertEquals(0, strata("vm", "create", "cd", "--memory", "16"));
        assertEquals(0, strata("vm", "attach", "cd", "--controller", "sata", "--port", "1", "--device", "0",
                "--type", "dvd", "--medium", iso.toString()), err.toString());
        Path serial = home.resolve("com1.txt");
        assertEquals(0, strata("vm", "start", "cd", "--headless", "--serial", "file:" + serial, "--deterministic",
                "--expect", "vol=VM_SATA_CD", "--timeout", "60"), err.toString());
        assertTrue(Files.readString(serial).contains("cd boot dl=E0 vol=VM_SATA_CD"), Files.readString(serial));
    }

    @Test
    void aVmBootsFromAnImmutableSataDiskThatVmInfoShowsAndDetachEmpties() throws Exception {
        byte[] demo = Files.readAllBytes(DemoGuest.copyTo(home.resolve("demo.img")));
        Path disk = home.resolve("sata.vdi");
        try (DiskImage img = DiskImages.create(disk, ImageFormat.VDI, ImageVariant.STANDARD, demo.length)) {
            img.write(0, demo, 0, demo.length);
        }
        byte[] before = Files.readAllBytes(disk);
        assertEquals(0, strata("vm", "create", "sata", "--memory", "16"));
        assertEquals(1, strata("vm", "attach", "sata", "--controller", "sata", "--port", "6", "--device", "0",
                "--type", "hdd", "--medium", disk.toString()));
        assertTrue(err.toString().contains("strata: --port is 6, but a SATA port is 0 to 5"), err.toString());
        assertEquals(1, strata("vm", "attach", "sata", "--controller", "sata", "--port", "0", "--device", "1",
                "--type", "hdd", "--medium", disk.toString()));
        assertTrue(err.toString().contains("strata: --device is 1, but a SATA drive's device is always 0"),
                err.toString());
        assertEquals(disk + " attached to sata 2:0\n", output("vm", "attach", "sata", "--controller", "SATA",
                "--port", "2", "--device", "0", "--type", "hdd", "--medium", disk.toString(), "--mtype", "immutable"));

        List<String> drives = output("vm", "info", "sata").lines().filter(l -> l.startsWith("Drive:")).toList();
        assertEquals(List.of("Drive:       sata 2:0   hdd  immutable    " + disk), drives);
        assertEquals(0, strata("vm", "start", "sata", "--headless", "--serial", "none", "--deterministic",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        String log = Files.readString(folder("sata").resolve(dev.strata.tools.log.VmLog.FILE));
        assertTrue(log.contains("PreparedDisks: sata port 2 device 0: hdd "), log);
        String diff = new VirtualMachines(home).open("sata").settings().attachments.get(0).current;
        assertTrue(output("vm", "info", "sata").contains("Drive:       sata 2:0   hdd  immutable    " + disk
                + " (writes to " + diff + ")"), out.toString());
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(disk)), "the immutable base is unchanged");

        assertEquals("slot sata 2:0 emptied\n", output("vm", "attach", "sata", "--controller", "sata", "--port",
                "2", "--type", "hdd", "--medium", "none"));
        assertTrue(output("vm", "info", "sata").lines().noneMatch(l -> l.startsWith("Drive:")), out.toString());
        assertFalse(Files.exists(Path.of(diff)), "detaching dropped the per-VM diff");
    }

    @Test
    void aVmdkDiskAttachesTakesSnapshotsAndMergesBack() throws Exception {
        demoVm("demo");
        Path disk = home.resolve("c.vmdk");
        assertEquals(0, strata("medium", "create", "--filename", disk.toString(), "--size", "4M", "--format", "VMDK"));
        assertEquals(0, strata("medium", "write", disk.toString(), "--offset", "0", "--input",
                Files.write(home.resolve("in.bin"), "vmdk data".getBytes(StandardCharsets.US_ASCII)).toString()),
                err.toString());
        assertEquals(0, strata("vm", "attach", "demo", "--controller", "ide", "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", disk.toString()), err.toString());
        assertEquals(0, strata("snapshot", "demo", "take", "one"), err.toString());
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--deterministic",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        String log = Files.readString(folder("demo").resolve(dev.strata.tools.log.VmLog.FILE));
        assertTrue(log.contains("c.vmdk ("), "the chain starts at the VMDK:\n" + log);
        assertEquals(0, strata("snapshot", "demo", "delete", "one"), err.toString());
        assertEquals(0, strata("medium", "check", disk.toString()), err.toString());
        Path out = home.resolve("out.bin");
        assertEquals(0, strata("medium", "cat", disk.toString(), "--offset", "0", "--length", "9", "--output",
                out.toString()), err.toString());
        assertEquals("vmdk data", Files.readString(out));
    }

    /** Nothing of a run stays in the VM folder once it ended: no pid file, lock file or control socket. */
    private void assertNoRunFiles(String name) {
        for (String f : List.of("vm.pid", "vm.run.lck", VirtualMachine.CONTROL_SOCKET)) {
            assertFalse(Files.exists(folder(name).resolve(f)), f + " left behind in " + folder(name));
        }
    }

    /** `strata vm start NAME ...` in a child JVM, its output in child.log. */
    private Process startChild(String name, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + StrataHome.PROPERTY + "=" + home, "-cp", System.getProperty("java.class.path"),
                StrataCli.class.getName(), "vm", "start", name));
        cmd.addAll(List.of(options));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(home.resolve("child.log").toFile())
                .start();
    }

    /** Waits until {@code file} holds {@code text} while {@code child} still runs. */
    private void awaitInFile(Path file, String text, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(file) && Files.readString(file).contains(text))) {
            assertTrue(child.isAlive(), () -> "the VM ended early: " + log());
            assertTrue(System.nanoTime() < deadline, () -> "\"" + text + "\" did not reach " + file + " while the VM"
                    + " ran: " + log());
            Thread.sleep(50);
        }
    }

    private String log() {
        try {
            return Files.readString(home.resolve("child.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void serialOutputReachesItsFileAsTheGuestWritesAndSigtermSavesTheVmCleanly() throws Exception {
        demoVm("demo");
        assertEquals(0, strata("medium", "create", "--filename", home.resolve("c.vdi").toString(), "--size", "4M"));
        assertEquals(0, strata("vm", "attach", "demo", "--controller", "ide", "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", home.resolve("c.vdi").toString()), err.toString());
        Path serial = home.resolve("serial.txt");
        Process child = startChild("demo", "--headless", "--serial", "file:" + serial, "--timeout", "120");
        try {
            awaitInFile(serial, DemoGuest.READY_LINE, child); // a whole line, while the guest runs
            awaitRunning("demo", null);
            // The demo guest echoes keys to COM1 and then waits in HLT: output without a line end shows too.
            assertEquals(0, strata("vm", "control", "demo", "type", "xyz"), err.toString());
            awaitInFile(serial, DemoGuest.READY_LINE + "\r\nxyz", child);
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the VM did not end on SIGTERM");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(143, child.exitValue(), log()); // 128 + SIGTERM, as for any process a signal ended
        // As VBoxHeadless does on SIGTERM: the state is saved, so nothing the guest held in memory is lost.
        assertEquals(VmState.SAVED, state("demo"), log());
        assertTrue(log().contains("saved its state"), log());
        assertNoRunFiles("demo");
        assertTrue(Files.readString(serial).contains(DemoGuest.READY_LINE + "\r\nxyz"), Files.readString(serial));
        assertFalse(log().contains("Exception"), log());
        assertEquals(0, strata("medium", "check", home.resolve("c.vdi").toString()), err.toString());
        // It resumes at once where it stopped (the keys typed before the signal are on its screen): nothing holds
        // its disks or its folder.
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--expect", "xyz",
                "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
        assertNoRunFiles("demo");
        assertFalse(Files.exists(folder("demo").resolve("saved.state")), "a state resumed and ended is deleted");
    }

    @Test
    void contradictoryStartOptionsAreACommandLineMistake() throws Exception {
        demoVm("demo");
        assertEquals(2, strata("vm", "start", "demo", "--gui", "--headless"));
        assertTrue(err.toString().contains("--gui and --headless exclude each other"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
    }

    @Test
    void controlDrivesARunningVm() throws Exception {
        demoVm("demo");
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> strata("vm", "start", "demo",
                "--headless", "--serial", "none", "--timeout", "120"));
        awaitRunning("demo", run);
        assertEquals(0, strata("vm", "control", "demo", "type", "abc"), err.toString());
        assertEquals(0, strata("vm", "control", "demo", "pause"), err.toString());
        assertEquals(VmState.PAUSED, state("demo"));
        assertEquals(0, strata("vm", "control", "demo", "info", "cpu"), err.toString());
        assertTrue(out.toString().contains("CR0=") && out.toString().contains("CS  ="), out.toString());
        assertEquals(0, strata("vm", "control", "demo", "info", "mem", "0x7c00", "16"), err.toString());
        assertTrue(out.toString().contains("00007c00: "), out.toString());
        assertEquals(0, strata("vm", "control", "demo", "info", "bios-calls"), err.toString());
        assertTrue(out.toString().contains("INT 10h AX="), "the demo guest's video calls: " + out);
        assertEquals(1, strata("vm", "control", "demo", "info", "fpu"));
        assertTrue(err.toString().contains("unknown info topic 'fpu'; the topics are cpu, mem"), err.toString());
        assertEquals(2, strata("vm", "control", "demo", "info", "mem", "0x7c00"));
        assertTrue(err.toString().contains("info takes a TOPIC"), err.toString());
        assertEquals(0, strata("vm", "control", "demo", "resume"), err.toString());
        Path shot = home.resolve("screen.txt");
        assertEquals(0, strata("vm", "control", "demo", "screenshot", shot.toString()), err.toString());
        String screen = Files.readString(shot);
        assertTrue(screen.contains("Strata demo") && screen.lines().count() >= 25, screen);
        Path picture = home.resolve("screen.png");
        assertEquals(0, strata("vm", "control", "demo", "screenshot", picture.toString()), err.toString());
        dev.strata.emulator.display.Frame frame = dev.strata.emulator.display.FramePng.read(picture);
        assertEquals(720, frame.width());
        assertEquals(400, frame.height());
        assertEquals(1, strata("vm", "start", "demo", "--headless"));
        assertTrue(err.toString().contains("already"), err.toString());
        assertEquals(0, strata("vm", "control", "demo", "savestate"), err.toString());
        run.get(60, TimeUnit.SECONDS);
        assertEquals(VmState.SAVED, state("demo"));
        // Resuming shows the screen as it was saved, keys typed before the save included, without booting again.
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--expect", "abc",
                "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
        assertEquals(1, strata("vm", "control", "demo", "reset"));
        assertTrue(err.toString().contains("is not running"), err.toString());
    }

    @Test
    void aNormalDiskRunsInOneVmAtATime() throws Exception {
        demoVm("a");
        demoVm("b");
        assertEquals(0, strata("medium", "create", "--filename", home.resolve("shared.vdi").toString(), "--size",
                "4M"), err.toString());
        for (String vm : List.of("a", "b")) {
            assertEquals(0, strata("vm", "attach", vm, "--controller", "ide", "--port", "0", "--device", "0",
                    "--type", "hdd", "--medium", home.resolve("shared.vdi").toString()), err.toString());
        }
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> strata("vm", "start", "a",
                "--headless", "--serial", "none", "--timeout", "120"));
        awaitRunning("a", run);
        assertEquals(1, strata("vm", "start", "b", "--headless", "--serial", "none", "--timeout", "5"));
        assertTrue(err.toString().contains("shared.vdi") && err.toString().contains("used by another running VM"),
                err.toString());
        assertEquals(VmState.POWERED_OFF, state("b"));
        assertEquals(0, strata("vm", "control", "a", "poweroff"), err.toString());
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
    }

    @Test
    void aVmKilledWithSigkillIsFoundAbortedAndStartsAgain() throws Exception {
        demoVm("demo");
        assertEquals(0, strata("medium", "create", "--filename", home.resolve("c.vdi").toString(), "--size", "4M"));
        assertEquals(0, strata("vm", "attach", "demo", "--controller", "ide", "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", home.resolve("c.vdi").toString()), err.toString());
        assertEquals(0, strata("snapshot", "demo", "take", "before"), err.toString());
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + StrataHome.PROPERTY + "=" + home, "-cp", System.getProperty("java.class.path"),
                StrataCli.class.getName(), "vm", "start", "demo", "--headless", "--serial", "file:"
                        + home.resolve("serial.txt"), "--timeout", "120"));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(home.resolve("child.log").toFile()).start();
        try {
            awaitRunning("demo", null);
            assertEquals(String.valueOf(child.pid()), Files.readString(folder("demo").resolve("vm.pid")).trim());
            awaitInFile(home.resolve("serial.txt"), DemoGuest.READY_LINE, child);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no cleanup
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(Files.readString(home.resolve("serial.txt")).contains(DemoGuest.READY_LINE));
        assertEquals(VmState.ABORTED, state("demo"));
        assertNoRunFiles("demo"); // the command that found it Aborted tidied what the killed process left
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--deterministic",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString() + Files.readString(
                home.resolve("child.log")));
        assertEquals(VmState.POWERED_OFF, state("demo"));
        assertEquals(0, strata("snapshot", "demo", "restore", "before"), err.toString());
        assertTrue(new File(new VirtualMachines(home).open("demo").settings().attachments.stream()
                .filter(a -> a.type.equals("hdd")).findFirst().orElseThrow().current).isFile());
    }

    @ParameterizedTest(name = "disk on {0}")
    @ValueSource(strings = {"ide", "sata"})
    void anOnlineSnapshotOfARunningVmRestoresSavedAndResumes(String controller) throws Exception {
        demoVm("demo");
        assertEquals(0, strata("medium", "create", "--filename", home.resolve("c.vdi").toString(), "--size", "4M"));
        assertEquals(0, strata("vm", "attach", "demo", "--controller", controller, "--port", "0", "--device", "0",
                "--type", "hdd", "--medium", home.resolve("c.vdi").toString()), err.toString());
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> strata("vm", "start", "demo",
                "--headless", "--serial", "none", "--timeout", "120"));
        awaitRunning("demo", run);
        assertEquals(0, strata("vm", "control", "demo", "type", "abc"), err.toString());
        if (controller.equals("sata")) {
            assertEquals(0, strata("vm", "control", "demo", "info", "ahci"), err.toString());
            assertTrue(out.toString().contains("PI: 0x0000003f (ports 0-5)")
                    && out.toString().contains("port 0: hard disk, 4 MiB, VDI")
                    && out.toString().contains("  SIG: 0x00000101 (ATA device)"), out.toString());
        } else {
            assertEquals(1, strata("vm", "control", "demo", "info", "ahci"));
            assertTrue(err.toString().contains("this machine has no AHCI controller"), err.toString());
        }
        assertEquals(0, strata("snapshot", "demo", "take", "live", "--live", "--description", "at the prompt"),
                err.toString());
        assertEquals(VmState.RUNNING, state("demo"), "the guest runs on");
        assertEquals(0, strata("vm", "control", "demo", "poweroff"), err.toString());
        run.get(60, TimeUnit.SECONDS);
        VirtualMachine vm = new VirtualMachines(home).open("demo");
        SnapshotNode node = vm.snapshot("live");
        assertTrue(node.online);
        assertEquals("at the prompt", node.description);
        assertTrue(Files.isRegularFile(Path.of(node.savedState)), node.savedState);
        String diff = vm.settings().attachments.stream().filter(a -> a.type.equals("hdd")).findFirst()
                .orElseThrow().current;
        assertTrue(diff != null && Files.isRegularFile(Path.of(diff)), "the disk runs on the snapshot's new diff");
        assertEquals(0, strata("snapshot", "demo", "restore", "live"), err.toString());
        assertEquals(VmState.SAVED, state("demo"));
        // The resumed screen is the snapshot's: the keys typed before it show without booting again.
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--expect", "abc",
                "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
    }

    @Test
    void aVmKilledDuringSavestateIsAbortedOrSavedWithAFileThatResumes() throws Exception {
        demoVm("demo");
        for (long delay : new long[] {0, 3, 30}) {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-D" + StrataHome.PROPERTY + "=" + home, "-cp", System.getProperty("java.class.path"),
                    StrataCli.class.getName(), "vm", "start", "demo", "--headless", "--serial", "none", "--timeout",
                    "120");
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(home.resolve("child.log").toFile()).start();
            try {
                awaitRunning("demo", null);
                CompletableFuture<Integer> save = CompletableFuture.supplyAsync(() -> strata("vm", "control", "demo",
                        "savestate"));
                Thread.sleep(delay);
                save.complete(-1); // the answer may never come: the VM is about to die
            } finally {
                child.destroyForcibly(); // SIGKILL, possibly while the state is being written
                child.waitFor(30, TimeUnit.SECONDS);
            }
            VmState after = state("demo");
            assertTrue(after == VmState.ABORTED || after == VmState.SAVED, "delay " + delay + ": " + after);
            if (after == VmState.SAVED) {
                assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--expect",
                        DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
            }
        }
        assertEquals(0, strata("vm", "start", "demo", "--headless", "--serial", "none", "--discard-state",
                "--deterministic", "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
    }

    /** Runs VM {@code name} in the background and saves its state with `vm control savestate`. */
    private void saveRunningVm(String name) throws Exception {
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> strata("vm", "start", name,
                "--headless", "--serial", "none", "--timeout", "120"));
        awaitRunning(name, run);
        assertEquals(0, strata("vm", "control", name, "savestate"), err.toString());
        assertEquals(0, run.get(60, TimeUnit.SECONDS), err.toString());
        assertEquals(VmState.SAVED, state(name));
    }

    /** A resume that fails leaves the VM Saved with its state file as it was, and says how to boot afresh. */
    private void assertResumeRefused(String name, Path stateFile, String why) throws Exception {
        byte[] before = Files.exists(stateFile) ? Files.readAllBytes(stateFile) : null;
        for (int attempt = 0; attempt < 2; attempt++) { // the next start must not cold-boot either
            err.getBuffer().setLength(0);
            assertEquals(1, strata("vm", "start", name, "--headless", "--serial", "none", "--expect",
                    DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
            String msg = err.toString();
            assertTrue(msg.contains(why), () -> "expected \"" + why + "\" in: " + msg);
            assertTrue(msg.contains("stays Saved") && msg.contains("strata vm start " + name + " --discard-state"),
                    msg);
            assertEquals(VmState.SAVED, state(name));
            assertEquals(stateFile.toString(), new VirtualMachines(home).open(name).settings().savedState);
            if (before != null) {
                assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(stateFile)), "state file untouched");
            }
        }
    }

    @Test
    void aResumeThatFailsKeepsTheVmSavedAndPointsToDiscardState() throws Exception {
        demoVm("demo");
        saveRunningVm("demo");
        Path stateFile = Path.of(new VirtualMachines(home).open("demo").settings().savedState);
        byte[] good = Files.readAllBytes(stateFile);
        // Its drives are what the saved machine has: they cannot change while it is Saved.
        Path other = DemoGuest.copyTo(home.resolve("b.img"));
        assertEquals(1, strata("vm", "attach", "demo", "--controller", "floppy", "--port", "1", "--type", "fdd",
                "--medium", other.toString()));
        assertTrue(err.toString().contains("is Saved") && err.toString().contains("--discard-state"), err.toString());
        assertEquals(1, new VirtualMachines(home).open("demo").settings().attachments.size());

        byte[] newer = good.clone();
        newer[11] = 2; // the format version at offset 8, as a newer Strata would write it
        Files.write(stateFile, newer);
        assertResumeRefused("demo", stateFile, "format version 2");

        byte[] damaged = good.clone();
        damaged[damaged.length / 2] ^= 0x55;
        Files.write(stateFile, damaged);
        assertResumeRefused("demo", stateFile, "checksum mismatch");

        Files.delete(stateFile);
        assertResumeRefused("demo", stateFile, "no such saved-state file");

        Files.write(stateFile, good);
        VirtualMachine vm = new VirtualMachines(home).open("demo");
        vm.settings().memoryMb = 32; // the state was saved with 16 MB
        vm.save();
        assertResumeRefused("demo", stateFile, "different machine");

        assertEquals(0, strata("vm", "start", "demo", "--discard-state", "--headless", "--serial", "none",
                "--deterministic", "--expect", DemoGuest.READY_LINE, "--timeout", "60"), err.toString());
        assertEquals(VmState.POWERED_OFF, state("demo"));
        assertFalse(Files.exists(stateFile));
    }

    @Test
    void aBadVmJsonIsRefusedByEveryCommandNamingFileAndFieldAndLeftAsItIs() throws Exception {
        demoVm("demo");
        Path settings = folder("demo").resolve("vm.json");
        String good = Files.readString(settings);
        String[][] commands = {
            {"vm", "start", "demo", "--headless", "--serial", "none", "--timeout", "5"},
            {"vm", "info", "demo"},
            {"vm", "attach", "demo", "--controller", "floppy", "--port", "1", "--type", "fdd", "--medium", "none"},
            {"snapshot", "demo", "take", "s"},
        };
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode>> edits = List.of(
                t -> t.putNull("attachments"),
                t -> ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("attachments").get(0)).put("port", 7),
                t -> t.put("bootOrder", "zz"));
        List<String> expected = List.of("attachments is null, but it must be an array",
                "attachments[0].port is 7, but a floppy port is 0 or 1", "bootOrder is \"zz\"");
        for (int i = 0; i < edits.size(); i++) {
            com.fasterxml.jackson.databind.node.ObjectNode tree =
                    (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(good);
            edits.get(i).accept(tree);
            String bad = json.writeValueAsString(tree);
            Files.writeString(settings, bad);
            for (String[] command : commands) {
                err.getBuffer().setLength(0);
                assertEquals(1, strata(command), String.join(" ", command));
                String msg = err.toString();
                String want = settings + ": bad field " + expected.get(i);
                assertTrue(msg.contains(want), () -> String.join(" ", command) + ": " + msg);
                assertFalse(msg.contains("Exception"), msg);
                assertEquals(bad, Files.readString(settings), "left as it is");
            }
        }
    }

    @Test
    void snapshotCommandsShowATreeWithTheCurrentOneMarked() throws Exception {
        demoVm("demo");
        assertEquals(0, strata("snapshot", "demo", "take", "one"));
        assertEquals(0, strata("snapshot", "demo", "take", "two", "--description", "second"));
        assertEquals(1, strata("snapshot", "demo", "take", "live", "--live"));
        assertTrue(err.toString().contains("is not running"), err.toString());
        assertEquals(0, strata("snapshot", "demo", "delete", "one"), err.toString());
        assertEquals(1, strata("snapshot", "demo", "restore", "one"));
        assertTrue(err.toString().contains("has no snapshot 'one'"), err.toString());
        assertEquals(1, new VirtualMachines(home).open("demo").allSnapshots().size());
    }

    @Test
    void snapshotListPrintsTheTreeIndentedWithTheCurrentSnapshotMarked() throws Exception {
        demoVm("demo");
        assertEquals("VM 'demo' has no snapshots\n", output("snapshot", "demo", "list"));
        assertEquals(0, strata("snapshot", "demo", "take", "one"));
        assertEquals(0, strata("snapshot", "demo", "take", "two", "--description", "second"));
        VirtualMachine vm = new VirtualMachines(home).open("demo");
        SnapshotNode one = vm.snapshot("one");
        SnapshotNode two = vm.snapshot("two");
        assertEquals("  one (" + one.uuid + ")\n"
                + "    * two (" + two.uuid + ") - second\n", output("snapshot", "demo", "list"));
        assertEquals(0, strata("snapshot", "demo", "restore", "one"), err.toString());
        assertEquals("* one (" + one.uuid + ")\n"
                + "      two (" + two.uuid + ") - second\n", output("snapshot", "demo", "list"));
    }

    @Test
    void vmListPrintsEachVmWithItsStateAndFolder() throws Exception {
        assertEquals("", output("vm", "list"));
        demoVm("alpha");
        assertEquals(0, strata("vm", "create", "beta"));
        assertEquals(String.format("%-20s %-12s %s%n%-20s %-12s %s%n", "alpha", "PoweredOff", folder("alpha"),
                "beta", "PoweredOff", folder("beta")), output("vm", "list"));
    }

    @Test
    void vmInfoPrintsSettingsDrivesAndTheCurrentSnapshot() throws Exception {
        demoVm("demo");
        assertEquals(0, strata("snapshot", "demo", "take", "first"));
        VirtualMachine vm = new VirtualMachines(home).open("demo");
        String info = output("vm", "info", "demo");
        List<String> lines = info.lines().toList();
        assertEquals("Name:        demo", lines.get(0));
        assertEquals("UUID:        " + vm.settings().uuid, lines.get(1));
        assertEquals("Folder:      " + folder("demo"), lines.get(2));
        assertEquals("State:       PoweredOff", lines.get(3));
        assertEquals("Memory:      16 MB", lines.get(4));
        assertEquals("Boot order:  adc", lines.get(5));
        assertEquals("Snapshot:    first (" + vm.snapshot("first").uuid + "), 1 in all", lines.get(6));
        assertEquals("Drive:       floppy 0:0 fdd  normal       " + home.resolve("demo-demo.img"), lines.get(7));
        assertEquals(8, lines.size(), info);
    }

    @Test
    void vmAndSnapshotWithoutAVerbAreACommandLineMistake() {
        assertEquals(2, strata("vm"));
        assertTrue(err.toString().contains("Usage: strata vm"), err.toString());
        assertEquals(2, strata("snapshot", "demo"));
        assertTrue(err.toString().contains("Usage: strata snapshot"), err.toString());
    }
}
