package dev.strata.storage.image.vhd;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageFiles;
import dev.strata.storage.image.ImageFinding;
import dev.strata.storage.image.ImageFinding.Severity;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageProbe;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.NewImageFiles;
import dev.strata.storage.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Microsoft's VHD ({@link VhdImage}): fixed (Fixed), dynamic (Standard) and differencing images, checked by
 * {@link VhdInspector}. An image keeps the exact size it is made with in its footer (what Hyper-V and VirtualBox read);
 * sizes users ask for are rounded up to a whole CHS geometry ({@link #userSize}), which is what Virtual PC and QEMU
 * read, so that for those every tool sees the same size.
 */
public final class VhdDriver implements ImageDriver {

    @Override
    public ImageFormat format() {
        return ImageFormat.VHD;
    }

    /** The footer cookie at the end (every VHD) or at offset 0 (the copy of dynamic and differencing images). */
    @Override
    public int probe(ImageProbe file) {
        // an old Virtual PC footer of 511 bytes is claimed too, so that it is refused as a VHD, not taken for raw
        boolean tail = file.tail() != null && (VhdFooter.hasCookie(file.tail(), 0) || VhdFooter.hasCookie(file.tail(), 1));
        return file.startsWith(VhdFooter.COOKIE) || tail ? CERTAIN : NOT_MINE;
    }

    @Override
    public String signature() {
        return "VHD footer cookie \"conectix\" in the last 512 bytes (or at byte offset 0)";
    }

    @Override
    public DiskImage open(Path path, boolean readOnly, UUID recordedUuid, boolean guessed) throws IOException {
        return VhdImage.open(path, readOnly);
    }

    @Override
    public List<String> extensions() {
        return List.of("vhd");
    }

    @Override
    public Set<ImageVariant> variants() {
        return EnumSet.of(ImageVariant.STANDARD, ImageVariant.FIXED);
    }

    /** Rounded up to a whole CHS geometry, as qemu-img and Virtual PC, which size a VHD by it, round. */
    @Override
    public long userSize(long requested) {
        return VhdGeometry.roundUp(requested);
    }

    @Override
    public long maxSize() {
        return VhdInspector.MAX_SIZE;
    }

    @Override
    public void writeBase(NewImageFiles files, ImageVariant variant, long size) throws IOException {
        if (variant == ImageVariant.FIXED) {
            VhdCreator.writeFixed(files.main(), size);
        } else {
            VhdCreator.writeDynamic(files.main(), size);
        }
    }

    @Override
    public boolean differencing() {
        return true;
    }

    @Override
    public void writeChild(NewImageFiles files, DiskImage parent) throws IOException {
        VhdCreator.writeChild(files, parent);
    }

    /** Fixed and dynamic VHDs grow; the new size is rounded to a whole geometry first ({@link #userSize}). */
    @Override
    public void grow(Path path, long oldSize, long newSize) throws IOException {
        VhdResizer.grow(path, newSize);
    }

    /** Dynamic VHDs; fixed and differencing ones are refused by name. */
    @Override
    public long compact(Path path, Progress progress) throws IOException {
        return VhdCompactor.compact(path, progress);
    }

    @Override
    public List<ImageFinding> check(Path path, FileChannel ch) throws IOException {
        VhdInspector.Inspection in = VhdInspector.inspect(ch);
        List<ImageFinding> out = new ArrayList<>(in.findings);
        if (in.footer != null && in.firstError() == null) {
            VhdFooter f = in.footer;
            out.add(new ImageFinding(Severity.INFO, "summary", -1, "VHD " + f.typeName() + ", " + f.currentSize()
                    + " bytes" + (in.bat == null ? "" : ", " + in.allocatedBlocks + " of " + in.bat.length
                    + " blocks allocated" + (in.partialBlocks == 0 ? "" : ", " + in.partialBlocks
                    + " of them holding only some sectors (the others are the parent's)"))));
        }
        return out;
    }

    /** Writes back a footer that an interrupted allocation left missing at the end, from the copy at offset 0. */
    @Override
    public List<ImageFinding> repair(Path path) throws IOException {
        List<ImageFinding> done = new ArrayList<>();
        try (FileChannel ch = ImageFiles.open(path, false)) {
            VhdInspector.Inspection in = VhdInspector.inspect(ch);
            ImageFinding err = in.firstError();
            if (err != null) {
                throw new StorageException(path, "cannot be repaired: " + err.describe()
                        + "; restore the image from a backup");
            }
            if (!in.footerAtEnd) {
                ch.truncate(in.nextBlockOffset);
                ImageFiles.writeAll(ch, ByteBuffer.wrap(in.footer.encode()), in.nextBlockOffset);
                done.add(new ImageFinding(Severity.INFO, "footer", in.nextBlockOffset, "written back from the copy "
                        + "at byte offset 0x0 after the last block"));
            }
            ch.force(true);
        }
        return done;
    }
}
