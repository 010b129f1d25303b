package dev.strata.emulator.vm;

import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.MediumType;
import java.io.IOException;
import java.nio.file.Path;

/** A Strata home in a temporary folder with VMs and small VDI disks, and guest-like writes through chains. */
final class VmFixture {
    static final long SIZE = 4L << 20;

    final Path home;
    final VirtualMachines vms;

    VmFixture(Path home) {
        this.home = home;
        this.vms = new VirtualMachines(home);
    }

    Path disk(String name, ImageVariant variant) throws IOException {
        Path p = home.resolve(name);
        try (DiskImage img = DiskImages.create(p, ImageFormat.VDI, variant, SIZE)) {
            img.flush();
        }
        return p;
    }

    VirtualMachine vmWithDisk(String name, Path disk, MediumType type) throws IOException {
        VirtualMachine vm = vms.create(name, 16, null);
        new VmAttachments(vms).attach(vm, "ide", 0, 0, "hdd", disk, type);
        return vms.open(name);
    }

    /** Powers the VM's drives on as a start would, writes one byte at {@code offset} of the first drive, powers off. */
    void guestWrites(VirtualMachine vm, long offset, int value) throws IOException {
        MediaRegistry reg = vms.media();
        try (PreparedDisks disks = VmDisks.prepare(vm, reg, false);
             DiskChain chain = FileChains.opener(reg).open(disks.drives().get(0).file(), false)) {
            chain.write(offset, new byte[] {(byte) value}, 0, 1);
            chain.flush();
        }
    }

    /** What the VM's first drive shows at {@code offset}, as the next power-on would see it. */
    int guestReads(VirtualMachine vm, long offset) throws IOException {
        MediaRegistry reg = vms.media();
        try (PreparedDisks disks = VmDisks.prepare(vm, reg, false);
             DiskChain chain = FileChains.opener(reg).open(disks.drives().get(0).file(), true)) {
            byte[] b = new byte[1];
            chain.read(offset, b, 0, 1);
            return b[0] & 0xFF;
        }
    }

    /** What the image file alone holds at {@code offset} (its chain included). */
    int imageReads(Path image, long offset) throws IOException {
        try (DiskChain chain = FileChains.opener(vms.media()).open(image, true)) {
            byte[] b = new byte[1];
            chain.read(offset, b, 0, 1);
            return b[0] & 0xFF;
        }
    }
}
