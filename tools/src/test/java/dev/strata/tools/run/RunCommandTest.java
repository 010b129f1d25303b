package dev.strata.tools.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.guests.BootCd;
import dev.strata.guests.HostProgramMissing;
import dev.strata.guests.SharedData;
import dev.strata.guests.demo.DemoGuest;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageChecker;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.tools.StrataCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/** A machine that never stops must fail the test, not hang the build. */
@Timeout(120)
class RunCommandTest {

    /**
     * The emulator's machine test ROM (emulator/src/test/resources/dev/strata/emulator/machine/test-rom.asm): greets
     * on COM1 and E9h, writes "SCREEN TEXT OK" to the screen, then acts on the mode byte at F000:DFFF.
     */
    private static final String CODE = "fa8cc88ed831c08ed0bc0070bafb03b080eebaf803b001ee4230c0eebafb03b003ee31c08ec026fe060005bed1e0e8700026a000050430e87200bef3e0e86100b800b88ec031ffbe02e1b407ac08c07403abebf8a0ffdf3c0174103c02741a3c0374143c047428faf4ebfcbef6e0e83000b000e6f4ebf0ebfe31c08ec026803e00050273e62e0f011ecbe0cd03ebd831c08ec026803e00050273d0b0fee664ebc6ac08c07405e80300ebf6c3505288c4e6e9bafd03eca82074fbbaf80388e0eebafd03eca84074fb5a58c300000000000048454c4c4f2046524f4d20535452415441205445535420524f4d2c20424f4f5420000d0a00504f574552204f46460d0a0053435245454e2054455854204f4b00";
    private static final int POWER_OFF_PORT_MODE = 1;
    private static final int SPIN = 3;

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        return cl.execute(all);
    }

    private Path rom(int mode) throws IOException {
        byte[] rom = new byte[64 * 1024];
        Arrays.fill(rom, (byte) 0xFF);
        byte[] code = HexFormat.of().parseHex(CODE);
        System.arraycopy(code, 0, rom, 0xE000, code.length);
        rom[0xDFFF] = (byte) mode;
        byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0};
        System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
        Path file = dir.resolve("test.rom");
        Files.write(file, rom);
        return file;
    }

    @Test
    void missingFloppyImageIsNamed() throws IOException {
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--fda", dir.resolve("nothere.img").toString()));
        assertTrue(err.toString().contains("nothere.img") && err.toString().contains("--fda: no such image file"),
                err.toString());
    }

    @Test
    void aKernelThatIsNotABzImageIsRefusedInOneLine() throws IOException {
        Path notKernel = Files.write(dir.resolve("floppy.img"), new byte[1_474_560]);
        assertEquals(1, run("--headless", "--kernel", notKernel.toString(), "--append", "console=ttyS0"));
        assertTrue(err.toString().startsWith("strata: " + notKernel + ": not a Linux bzImage (no \"HdrS\" magic"),
                err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aKernelWhosePayloadDoesNotUnpackIsRefusedInOneLineNamingTheOffsetAndTheWayOut() throws IOException {
        byte[] image = dev.strata.tools.TestKernels.tiny();
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(image).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(0x400, new byte[] {(byte) 0xFD, '7', 'z', 'X', 'Z', 0, 0, 1, 2, 3}); // an xz header with a bad CRC
        b.putInt(0x248, 0).putInt(0x24C, 200); // payload_offset, payload_length
        Path kernel = Files.write(dir.resolve("bzImage"), image);
        assertEquals(1, run("--headless", "--kernel", kernel.toString()));
        assertTrue(err.toString().startsWith("strata: " + kernel + ": the kernel's xz payload at file offset 400h"),
                err.toString());
        assertTrue(err.toString().contains("--kernel-unpack guest"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void kernelUnpackWithoutKernelIsRefused() {
        assertEquals(1, run("--headless", "--kernel-unpack", "guest"));
        assertTrue(err.toString().contains("--kernel-unpack needs --kernel"), err.toString());
        err.getBuffer().setLength(0);
        assertEquals(1, run("--headless", "--kernel-unpack", "strata"));
        assertTrue(err.toString().contains("--kernel-unpack needs --kernel"), err.toString());
    }

    @Test
    void initrdWithoutKernelIsRefused() throws IOException {
        assertEquals(1, run("--headless", "--initrd", rom(SPIN).toString()));
        assertTrue(err.toString().contains("--initrd needs --kernel"), err.toString());
    }

    @Test
    void missingBiosFileIsNamed() {
        assertEquals(1, run("--headless", "--bios", dir.resolve("gone.rom").toString()));
        assertTrue(err.toString().contains("gone.rom") && err.toString().contains("no such BIOS image file"),
                err.toString());
    }

    @Test
    void biosOfTheWrongSizeIsRefusedWithTheSizesThatWork() throws IOException {
        Path odd = dir.resolve("odd.rom");
        Files.write(odd, new byte[96 * 1024]);
        assertEquals(1, run("--headless", "--bios", odd.toString()));
        String msg = err.toString();
        assertTrue(msg.contains("odd.rom") && msg.contains("64, 128 or 256 KiB") && msg.contains("98304 bytes"), msg);
        assertTrue(!msg.contains("Exception"), "no stack trace: " + msg);
    }

    @Test
    void badSerialRoutingIsExplained() throws IOException {
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--serial", "tcp:1234"));
        assertTrue(err.toString().contains("expected stdio, file:PATH or none"), err.toString());
    }

    @Test
    void badBootOrderAndMemoryAreExplained() throws IOException {
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--boot", "z"));
        assertTrue(err.toString().contains("boot order"), err.toString());
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--memory", "0"));
        assertTrue(err.toString().contains("memory must be 1 to"), err.toString());
    }

    @Test
    void untypeableTextIsRefusedNamingTheCharacter() throws IOException {
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--type", "caf\u00e9"));
        assertTrue(err.toString().contains("\u00e9"), err.toString());
    }

    @Test
    void typingStartsWhenTheGuestFirstReadsTheKeyboard() throws IOException {
        // the demo guest polls INT 16h from the moment it is ready, and echoes the keys it gets to COM1
        Path shot = dir.resolve("screen.png");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--type", "typed early",
                "--expect", DemoGuest.READY_LINE, "--expect", "typed early", "--timeout", "60", "--stats",
                "--screenshot", shot.toString()), err.toString());
        dev.strata.emulator.display.Frame frame = dev.strata.emulator.display.FramePng.read(shot);
        assertEquals(720, frame.width(), "mode 3 with 9-dot characters");
        assertEquals(400, frame.height());
        assertTrue(java.util.Arrays.stream(frame.pixels()).distinct().count() > 1, "the demo guest's text shows");
        java.util.regex.Matcher virtual = java.util.regex.Pattern.compile("([0-9.]+) s virtual").matcher(err.toString());
        assertTrue(virtual.find(), err.toString());
        // typing once took 1.0 s of virtual time to start; 11 characters take 0.2 s more at 10 ms a key event
        assertTrue(Double.parseDouble(virtual.group(1)) < 1.0, err.toString());
    }

    /** The virtual seconds --stats reported for the demo guest's way to its ready line on COM1. */
    private double virtualSecondsToReady(String... more) {
        err.getBuffer().setLength(0);
        List<String> args = new java.util.ArrayList<>(List.of("--headless", "--deterministic", "--serial", "none",
                "--expect", DemoGuest.READY_LINE, "--timeout", "60", "--stats"));
        args.addAll(List.of(more));
        assertEquals(0, run(args.toArray(String[]::new)), err.toString());
        java.util.regex.Matcher virtual = java.util.regex.Pattern.compile("([0-9.]+) s virtual")
                .matcher(err.toString());
        assertTrue(virtual.find(), err.toString());
        return Double.parseDouble(virtual.group(1));
    }

    @Test
    void serialLineRateSendsAtTheProgrammedRate() {
        // what the demo guest writes to COM1 up to its ready line takes 0.19 s of virtual time on the line at the
        // rate the BIOS programs, 2 ms in all when each character leaves in a microsecond
        double fast = virtualSecondsToReady();
        double lineRate = virtualSecondsToReady("--serial-line-rate");
        assertTrue(fast < 0.05, fast + " s without --serial-line-rate");
        assertTrue(lineRate - fast > 0.1, fast + " s without, " + lineRate + " s with --serial-line-rate");
    }

    @Test
    void expectationsMetPowerOffAndExitZero() throws IOException {
        Path serial = dir.resolve("com1.txt");
        Path screen = dir.resolve("screen.txt");
        int code = run("--headless", "--deterministic", "--bios", rom(SPIN).toString(), "--serial", "file:" + serial,
                "--expect", "BOOT 1\\r\\n", "--expect", "SCREEN TEXT OK", "--timeout", "60",
                "--screen-dump", screen.toString(), "--stats");
        assertEquals(0, code, err.toString());
        assertTrue(Files.readString(serial).startsWith("HELLO FROM STRATA TEST ROM, BOOT 1\r\n"));
        assertTrue(Files.readString(screen).startsWith("SCREEN TEXT OK\n"));
        assertTrue(err.toString().contains("MIPS") && err.toString().contains("block cache hit rate"), err.toString());
    }

    @Test
    void statsEveryPrintsTheCpuThreadsTimeAndTheLastStretchsSpeedAsTheRunGoes() throws IOException {
        run("--headless", "--deterministic", "--bios", rom(SPIN).toString(), "--serial", "none", "--expect",
                "NEVER SHOWN", "--timeout", "1", "--stats-every", "1000000");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("strata: ([0-9,]+) instructions: CPU thread "
                + "([0-9.]+) s; the last ([0-9,]+) at ([0-9.]+) MIPS per CPU-second, ([0-9.]+) % translated; "
                + "([0-9.]+) s host").matcher(err.toString());
        long before = 0;
        double cpuBefore = 0;
        int lines = 0;
        while (m.find()) {
            long count = Long.parseLong(m.group(1).replace(",", ""));
            double cpu = Double.parseDouble(m.group(2));
            assertTrue(count >= (lines + 1) * 1_000_000L && count - before == Long.parseLong(m.group(3)
                    .replace(",", "")), err.toString());
            assertTrue(cpu >= cpuBefore && Double.parseDouble(m.group(4)) > 0, err.toString());
            before = count;
            cpuBefore = cpu;
            lines++;
        }
        assertTrue(lines >= 2, err.toString());
    }

    @Test
    void statsEveryTakesACountAboveZero() {
        assertEquals(2, run("--headless", "--stats-every", "0"));
        assertTrue(err.toString().contains("--stats-every takes a number of instructions above 0"), err.toString());
    }

    @Test
    void guestPowerOffWithoutExpectationsExitsZero() throws IOException {
        // the test ROM's power-off port F4h is not wired on a foreign BIOS: it halts instead, which ends the run
        int code = run("--headless", "--deterministic", "--bios", rom(POWER_OFF_PORT_MODE).toString(),
                "--serial", "none");
        assertEquals(0, code, err.toString());
        assertTrue(err.toString().contains("halted the CPU"), err.toString());
    }

    @Test
    void timeoutReportsTheMissingTextAndTheScreen() throws IOException {
        int code = run("--headless", "--deterministic", "--bios", rom(SPIN).toString(), "--serial", "none",
                "--expect", "NEVER SHOWN", "--timeout", "0.5");
        assertEquals(1, code);
        String msg = err.toString();
        assertTrue(msg.contains("timed out after 0.5 s waiting for \"NEVER SHOWN\" (0 of 1 expectations met)"), msg);
        assertTrue(msg.contains("last screen:\nSCREEN TEXT OK"), msg);
    }

    @Test
    void aCdAndAThirdHardDiskAreRefusedTogether() throws IOException {
        Path iso = dir.resolve("cd.iso");
        Files.write(iso, new byte[20 * 2048]);
        Path disk = dir.resolve("c.img");
        Files.write(disk, new byte[1 << 20]);
        assertEquals(2, run("--headless", "--bios", rom(SPIN).toString(), "--cdrom", iso.toString(), "--hdc",
                disk.toString()), "a command-line mistake");
        assertTrue(err.toString().contains("--cdrom takes the secondary master"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line: " + err);
    }

    @Test
    void theLogGoesToTheFileGivenWithLogOrElseToStandardErrorInAHeadlessRun() throws IOException {
        Path kernel = Files.write(dir.resolve("bzImage"), dev.strata.tools.TestKernels.undefinedOpcode());
        Path log = dir.resolve("run.log");
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        try {
            System.setErr(new java.io.PrintStream(console, true));
            assertEquals(0, run("--headless", "--deterministic", "--memory", "16", "--kernel", kernel.toString(),
                    "--expect", "LNX", "--timeout", "60", "--log", log.toString()), err.toString());
            assertTrue(Files.readString(log).contains("WARN  dev.strata.emulator.cpu: undefined opcode 0F 04"),
                    Files.readString(log));
            assertFalse(console.toString().contains("undefined opcode"), console.toString());

            assertEquals(0, run("--headless", "--deterministic", "--memory", "16", "--kernel", kernel.toString(),
                    "--expect", "LNX", "--timeout", "60"), err.toString());
            assertTrue(console.toString().contains("WARN  dev.strata.emulator.cpu: undefined opcode 0F 04"),
                    console.toString());
        } finally {
            System.setErr(stderr);
        }
    }

    @Test
    void sataDisksAndCdsBuildAMachineWithTheAhciController() throws IOException {
        Path iso = Files.write(dir.resolve("cd.iso"), new byte[20 * 2048]);
        Path disk = Files.write(dir.resolve("s.img"), new byte[1 << 20]);
        Path second = Files.write(dir.resolve("t.img"), new byte[1 << 20]);
        assertEquals(0, run("--headless", "--bios", rom(POWER_OFF_PORT_MODE).toString(), "--sata", disk.toString(),
                "--sata", second.toString(), "--sata-cdrom", iso.toString(), "--timeout", "60"), err.toString());
    }

    @Test
    void aSataCdAloneBootsWithoutBootOption() throws Exception {
        Path iso;
        try {
            iso = BootCd.build("guests/sata/cdboot.asm", "RUN_SATA_CD", dir);
        } catch (HostProgramMissing e) {
            assertFalse(SharedData.inCi(), "nasm and xorriso are required in CI (CI=true): " + e.getMessage());
            System.err.println("*** SKIPPING: " + e.getMessage());
            assumeTrue(false, e.getMessage());
            return;
        }
        Path serial = dir.resolve("com1.txt");
        assertEquals(0, run("--headless", "--deterministic", "--serial", "file:" + serial, "--sata-cdrom",
                iso.toString(), "--expect", "vol=RUN_SATA_CD", "--timeout", "60"), err.toString());
        assertTrue(Files.readString(serial).contains("cd boot dl=E0 vol=RUN_SATA_CD"), Files.readString(serial));
    }

    @Test
    void moreSataDrivesThanPortsIsACommandLineMistake() throws IOException {
        Path disk = Files.write(dir.resolve("s.img"), new byte[1 << 20]);
        String d = disk.toString();
        assertEquals(2, run("--headless", "--sata", d, "--sata", d, "--sata", d, "--sata", d, "--sata", d,
                "--sata-cdrom", d, "--sata-cdrom", d), err.toString());
        assertTrue(err.toString().contains("the AHCI controller has 6 ports"), err.toString());
    }

    @Test
    void aMissingSataImageIsNamed() throws IOException {
        assertEquals(1, run("--headless", "--bios", rom(SPIN).toString(), "--sata",
                dir.resolve("gone.vdi").toString()));
        assertTrue(err.toString().contains("gone.vdi") && err.toString().contains("--sata: no such image file"),
                err.toString());
    }

    @Test
    void aCdWithAThirdHardDiskIsACommandLineMistakeEvenWhenTheFilesAreMissing() {
        assertEquals(2, run("--headless", "--cdrom", dir.resolve("no.iso").toString(), "--hdc",
                dir.resolve("no.img").toString()), err.toString());
        assertTrue(err.toString().startsWith("strata: --cdrom takes the secondary master"), err.toString());
        assertEquals(1, err.toString().lines().count(), "one line: " + err);
    }

    @Test
    void snapshotBootsTheDemoFromAHardDiskAndLeavesTheImageAsItWas() throws IOException {
        Path disk = dev.strata.guests.demo.DemoGuest.copyTo(dir.resolve("demo.img"));
        byte[] before = Files.readAllBytes(disk);
        assertEquals(0, run("--headless", "--deterministic", "--serial", "none", "--hda", disk.toString(),
                "--snapshot", "--expect", dev.strata.guests.demo.DemoGuest.READY_LINE, "--timeout", "60"),
                err.toString());
        assertTrue(Arrays.equals(before, Files.readAllBytes(disk)));
    }

    @ParameterizedTest
    @EnumSource(value = ImageFormat.class, names = {"VMDK", "VHD", "HDD"})
    void theDemoBootsFromAVmdkVhdOrParallelsHardDiskWithAndWithoutSnapshot(ImageFormat format) throws IOException {
        byte[] raw = Files.readAllBytes(DemoGuest.copyTo(dir.resolve("demo.img")));
        Path disk = dir.resolve("demo." + format.name().toLowerCase(Locale.ROOT));
        try (var img = DiskImages.create(disk, format,
                ImageVariant.STANDARD, raw.length)) {
            img.write(0, raw, 0, raw.length);
        }
        for (boolean snapshot : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("--headless", "--deterministic", "--serial", "none",
                    "--hda", disk.toString(), "--expect", DemoGuest.READY_LINE, "--timeout",
                    "60"));
            if (snapshot) {
                args.add("--snapshot");
            }
            assertEquals(0, run(args.toArray(String[]::new)), err.toString());
        }
        assertTrue(ImageChecker.check(disk).stream()
                .noneMatch(f -> f.severity() != ImageFinding.Severity.INFO));
    }

    @Test
    void serialGoesToItsFileWhileTheGuestRunsAndSigtermEndsTheRunCleanly() throws Exception {
        Path serial = dir.resolve("serial.txt");
        sigtermWhenSerialShows(serial, "file:" + serial);
    }

    @Test
    void serialOnStdoutIsWrittenThroughToo() throws Exception {
        sigtermWhenSerialShows(dir.resolve("log"), "stdio");
    }

    /** Runs the demo guest with {@code --serial spec}, waits for its ready line in {@code serial}, sends SIGTERM. */
    private void sigtermWhenSerialShows(Path serial, String spec) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), StrataCli.class.getName(), "run", "--headless", "--serial",
                spec, "--timeout", "120");
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!(Files.exists(serial) && Files.readString(serial).contains(DemoGuest.READY_LINE))) {
                assertTrue(child.isAlive(), () -> "the run ended early: " + log());
                assertTrue(System.nanoTime() < deadline, () -> "no serial output while the guest ran: " + log());
                Thread.sleep(50);
            }
            child.destroy(); // SIGTERM
            assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the run did not end on SIGTERM");
        } finally {
            child.destroyForcibly();
        }
        assertEquals(143, child.exitValue(), log());
        assertTrue(Files.readString(serial).contains(DemoGuest.READY_LINE + "\r\n"), Files.readString(serial));
        assertTrue(log().contains("stopped by a signal"), log());
        assertTrue(!log().contains("Exception"), log());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
