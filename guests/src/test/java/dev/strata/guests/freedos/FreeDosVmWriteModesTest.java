package dev.strata.guests.freedos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.vm.PreparedDisks;
import dev.strata.emulator.vm.SnapshotNode;
import dev.strata.emulator.vm.Snapshots;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmAttachments;
import dev.strata.emulator.vm.VmDisks;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import dev.strata.guests.SharedData;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FreeDOS writes C:\HELLO.TXT in Strata VMs whose C: has each medium type, and the write lands where DESIGN
 * section 4 says: frozen and discarded with snapshots (normal), untouched by them (writethrough), gone at the next
 * power-on (immutable), kept per VM (multiattach), seen by a second running VM (shareable), refused (readonly).
 * Each mode runs over a VDI base and over a VMDK base (monolithicSparse; monolithicFlat for the shareable disk) with
 * C: on the IDE controller, and over a VDI base with C: on a SATA port of the AHCI controller.
 */
@Timeout(600)
class FreeDosVmWriteModesTest {
    static final String WRITE = "echo strata>C:\\HELLO.TXT\rdir C:\r";

    @TempDir
    Path dir;
    private Path sharedFloppy;
    private VirtualMachines vms;

    @BeforeEach
    void setUp() throws Exception {
        Optional<Path> shared = SharedData.find("guests/freedos/freedos722.img");
        assumeTrue(shared.isPresent(), "FreeDOS floppy not available");
        HostTools.require("mkfs.vfat:dosfstools", "mtype:mtools", "mcopy:mtools");
        sharedFloppy = shared.get();
        vms = new VirtualMachines(dir.resolve("home"));
    }

    /** Each mode runs over a VDI and a VMDK base on the IDE controller, and over a VDI on SATA port 2. */
    static Stream<Arguments> basesAndControllers() {
        return Stream.of(Arguments.of(ImageFormat.VDI, "ide"), Arguments.of(ImageFormat.VMDK, "ide"),
                Arguments.of(ImageFormat.VDI, "sata"));
    }

    /** A VM booting FreeDOS from its floppy, with {@code disk} as C: on {@code controller} (SATA: port 2). */
    private VirtualMachine vm(String name, String controller, Path disk, MediumType type) throws Exception {
        int port = controller.equals("sata") ? 2 : 0;
        VirtualMachine vm = vms.create(name, 16, null);
        Path floppy = FreeDosFloppy.copy(sharedFloppy, dir.resolve(name + "-freedos.img"));
        VmAttachments attach = new VmAttachments(vms);
        attach.attach(vm, "floppy", 0, 0, "fdd", floppy, null);
        attach.attach(vm, controller, port, 0, "hdd", disk, type);
        return vms.open(name);
    }

    /** Powers the VM on as `strata vm start` does, types {@code commands} at the prompt, powers off. */
    private GuestBoot.Result boot(VirtualMachine vm, String commands, String last) throws Exception {
        try (PreparedDisks disks = VmDisks.prepare(vm, vms.media(), false)) {
            return run(disks, commands, last);
        }
    }

    private static GuestBoot.Result run(PreparedDisks disks, String commands, String last) throws Exception {
        MachineSettings s = new MachineSettings().memoryMb(16);
        disks.applyTo(s);
        s.bootOrder("a");
        GuestBoot.Result r = GuestBoot.run(s, List.of(FreeDosHardDiskTest.PROMPT, last),
                FreeDosHardDiskTest.PROMPT, commands, 180);
        assertTrue(r.allMet(), r.describe());
        return r;
    }

    private void writes(VirtualMachine vm) throws Exception {
        GuestBoot.Result r = boot(vm, WRITE, "bytes free");
        assertTrue(FreeDosHardDiskTest.LISTED.matcher(r.screen()).find(), r.describe());
    }

    /** HELLO.TXT as the chain topped by {@code image} holds it, or null when the file is not there. */
    private String hello(Path image) throws Exception {
        Path raw = dir.resolve("read.raw");
        Files.deleteIfExists(raw);
        FileChains.clone(FileChains.opener(vms.media()), image, raw, ImageFormat.RAW, ImageVariant.STANDARD,
                (d, t) -> { });
        try {
            return HostTools.run("mtype", "-i", raw + "@@" + FatHardDisk.OFFSET, "::HELLO.TXT");
        } catch (Exception e) {
            return null;
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /** A FAT16 disk named {@code name} in {@code format}, with the format's extension. */
    private Path fatDisk(String name, ImageFormat format) throws Exception {
        return FatHardDisk.create(dir.resolve(name + "." + extension(format)), 0x0E, format);
    }

    private static String extension(ImageFormat format) {
        return format.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Path current(VirtualMachine vm) {
        return Path.of(vm.settings().attachments.stream().filter(a -> a.type.equals("hdd")).findFirst()
                .orElseThrow().current);
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void normalSnapshotFreezesTheDiskAndRestoreDiscardsTheWrite(ImageFormat format, String controller)
            throws Exception {
        Path disk = fatDisk("normal", format);
        VirtualMachine vm = vm("normal", controller, disk, null);
        Snapshots snaps = new Snapshots(vms);
        SnapshotNode clean = snaps.take(vm, "clean", null, false);
        writes(vm);
        assertEquals("strata\r\n", hello(current(vm)));
        assertEquals(null, hello(disk), "the medium is frozen under the snapshot");
        snaps.restore(vm, clean);
        assertEquals(null, hello(current(vm)), "restore discarded the write");
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void writethroughIsUntouchedBySnapshots(ImageFormat format, String controller) throws Exception {
        Path disk = fatDisk("wt", format);
        VirtualMachine vm = vm("wt", controller, disk, MediumType.WRITETHROUGH);
        Snapshots snaps = new Snapshots(vms);
        SnapshotNode before = snaps.take(vm, "before", null, false);
        writes(vm);
        assertEquals("strata\r\n", hello(disk));
        snaps.restore(vm, before);
        assertEquals("strata\r\n", hello(disk));
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void immutableForgetsTheWriteAtTheNextPowerOnUnlessAutoresetIsOff(ImageFormat format, String controller)
            throws Exception {
        Path disk = fatDisk("imm", format);
        VirtualMachine vm = vm("imm", controller, disk, MediumType.IMMUTABLE);
        writes(vm);
        assertEquals("strata\r\n", hello(current(vm)), "the guest saw its write until power-off");
        GuestBoot.Result r = boot(vm, "type C:\\HELLO.TXT\r", "File not found");
        assertFalse(r.screen().contains("strata\n"), r.describe());
        assertEquals(null, hello(disk));

        vms.media().update(reg -> reg.update(reg.findByPath(disk).orElseThrow().withAutoreset(false)));
        writes(vm);
        boot(vm, "type C:\\HELLO.TXT\r", "strata");
        assertEquals(null, hello(disk));
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void multiattachKeepsOnePersistentDiffPerVm(ImageFormat format, String controller) throws Exception {
        Path disk = fatDisk("multi", format);
        VirtualMachine a = vm("a", controller, disk, MediumType.MULTIATTACH);
        VirtualMachine b = vm("b", controller, disk, null);
        writes(a);
        boot(a, "type C:\\HELLO.TXT\r", "strata");
        boot(b, "type C:\\HELLO.TXT\r", "File not found");
        assertEquals(null, hello(disk));
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void shareableFixedDiskIsUsedByTwoRunningVmsAtOnce(ImageFormat format, String controller) throws Exception {
        Path disk = fatDisk("share-dyn", format);
        Path fixed = dir.resolve("share." + extension(format));
        FileChains.clone(FileChains.opener(), disk, fixed, format, ImageVariant.FIXED, (d, t) -> { });
        VirtualMachine a = vm("a", controller, fixed, MediumType.SHAREABLE);
        VirtualMachine b = vm("b", controller, fixed, null);
        try (PreparedDisks da = VmDisks.prepare(a, vms.media(), false);
             PreparedDisks db = VmDisks.prepare(b, vms.media(), false)) {
            run(da, WRITE, "bytes free");
            run(db, "type C:\\HELLO.TXT\r", "strata");
        }
        assertEquals("strata\r\n", hello(fixed));
    }

    @ParameterizedTest(name = "over a {0} base on {1}")
    @MethodSource("basesAndControllers")
    void readonlyDiskRefusesTheGuestsWrite(ImageFormat format, String controller) throws Exception {
        Path disk = fatDisk("ro", format);
        byte[] before = Files.readAllBytes(disk);
        VirtualMachine vm = vm("ro", controller, disk, MediumType.READONLY);
        boot(vm, WRITE, "write-protection violation");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(disk)), "the image is unchanged");
    }
}
