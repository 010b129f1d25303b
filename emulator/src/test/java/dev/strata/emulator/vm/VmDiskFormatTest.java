package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM opens each disk file as the format the registry or the VM itself recorded, never as what the content
 * suggests: a damaged snapshot diff fails instead of booting as a small raw disk, and a raw disk whose guest wrote
 * a VDI header stays raw.
 */
class VmDiskFormatTest {
    @TempDir
    Path dir;

    /** Opens the first drive as a power-on does: through the resolver the prepared disks put in the settings. */
    private static DiskChain powerOnChain(PreparedDisks disks, boolean readOnly) throws Exception {
        MachineSettings settings = new MachineSettings();
        disks.applyTo(settings);
        return FileChains.opener(settings.parentResolver()).open(disks.drives().get(0).file(), readOnly);
    }

    @Test
    void damagedSnapshotDiffFailsInsteadOfOpeningAsRaw() throws Exception {
        VmFixture fx = new VmFixture(dir.resolve("home"));
        Files.createDirectories(fx.home);
        VirtualMachine vm = fx.vmWithDisk("vm", fx.disk("d.vdi", ImageVariant.STANDARD), null);
        new Snapshots(fx.vms).take(vm, "s", null, false);
        vm = fx.vms.open("vm");
        Path diff = Path.of(vm.settings().attachments.get(0).current);
        byte[] junk = new byte[4096];
        new Random(5).nextBytes(junk);
        Files.write(diff, junk);

        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false)) {
            StorageException e = assertThrows(StorageException.class, () -> powerOnChain(disks, false).close());
            assertTrue(e.getMessage().startsWith(diff + ": is recorded as a VDI image but has no VDI signature"),
                    e.getMessage());
        }
    }

    @Test
    void rawDiskWhoseGuestWroteAVdiHeaderStaysRaw() throws Exception {
        VmFixture fx = new VmFixture(dir.resolve("home"));
        Path raw = fx.home.resolve("r.img");
        Files.createDirectories(fx.home);
        try (DiskImage img = DiskImages.create(raw, ImageFormat.RAW, ImageVariant.FIXED, VmFixture.SIZE)) {
            img.flush();
        }
        VirtualMachine vm = fx.vmWithDisk("vm", raw, null);
        byte[] header = new byte[1 << 20];
        Path vdi = fx.disk("other.vdi", ImageVariant.STANDARD);
        byte[] vdiBytes = Files.readAllBytes(vdi);
        System.arraycopy(vdiBytes, 0, header, 0, Math.min(vdiBytes.length, header.length));
        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false);
             DiskChain chain = powerOnChain(disks, false)) {
            chain.write(0, header, 0, header.length); // the guest writes a whole VDI header and block map
            chain.flush();
        }
        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false);
             DiskChain chain = powerOnChain(disks, true)) {
            assertEquals(VmFixture.SIZE, chain.size(), "still the raw disk, not the 1 MiB VDI its content suggests");
            assertEquals(ImageFormat.RAW, chain.top().format());
        }
    }
}
