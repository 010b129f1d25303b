package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageDrivers;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageStaging;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.image.RawImage;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.Medium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium clone}: a standalone copy (new UUID, no parent) of what a medium shows. */
@Command(name = "clone", mixinStandardHelpOptions = true, description = "Copy what SRC shows (its whole chain) into a new standalone image DST.")
final class CloneCommand extends MediumSubcommand {
    @Parameters(index = "0", paramLabel = "SRC", description = "The medium to copy (path or UUID).")
    String source;

    @Parameters(index = "1", paramLabel = "DST", description = "The new image file.")
    Path target;

    @Option(names = "--format", description = "VDI, VMDK, VHD, HDD (Parallels), QCOW2 or RAW (default: the source's base format when Strata "
            + "creates it, else VDI).")
    ImageFormat format;

    @Option(names = "--variant", converter = VariantOption.Converter.class, description = "Standard, Fixed, and for "
            + "VMDK Split2G, Fixed,Split2G or Stream (stream-optimized, written once; default: Standard, Fixed for "
            + "RAW).")
    VariantOption variant;

    @Override
    int run(MediaSession s) throws Exception {
        Medium src = s.medium(source);
        Path dst = target.toAbsolutePath().normalize();
        if (Files.exists(dst)) {
            throw new StorageException(dst, "already exists; choose another target or remove the file first");
        }
        ImageFormat fmt = format != null ? format : baseFormat(s, src);
        ImageVariant var = variant != null ? variant.variant() : fmt == ImageFormat.RAW ? ImageVariant.FIXED
                : ImageVariant.STANDARD;
        Medium copy;
        // built under a hidden partial name and renamed when complete: a killed clone leaves no DST that looks whole;
        // the partial file is locked while it is built, so a second clone to DST neither removes it nor races it
        Path partial = ImageStaging.partialPath(dst);
        try (ImageLock building = lockPartial(dst, partial);
             DiskImage disk = s.openDisk(src, false)) {
            ImageStaging.begin(dst);
            boolean done = false;
            try {
                try (DiskImage out = var.writeOnce()
                        ? s.backend().createCopy(partial, fmt, var, disk, TerminalProgress.forTask("Cloning"))
                        : s.backend().create(partial, fmt, var, disk.size())) {
                    if (!var.writeOnce()) {
                        s.backend().copy(disk, out, TerminalProgress.forTask("Cloning"));
                        out.flush();
                    }
                    // a file without a UUID of its own (raw, Parallels) gets one from its path, which is about to
                    // change; its format is recorded as made, never probed from the copied content
                    UUID id = DiskImages.storesUuid(out.format()) ? out.uuid() : RawImage.pathUuid(dst);
                    copy = Medium.of(id, dst, out.format(), out.variant(), null, out.size());
                }
                ImageStaging.publish(partial, dst);
                done = true;
            } finally {
                if (!done) {
                    ImageStaging.abandon(partial);
                }
            }
        }
        copy = s.register(copy);
        out().printf("Cloned %s to %s%n  %s %s, UUID %s%n", src.path(), copy.path(), copy.format(),
                VariantOption.show(copy.variant()), copy.uuid());
        return 0;
    }

    private static final Pattern HOLDER_PID = Pattern.compile("\\(pid \\d+\\)");

    /** The lock on the partial file of a clone to {@code dst}: refused while another clone is building it. */
    private static ImageLock lockPartial(Path dst, Path partial) throws StorageException {
        try {
            return ImageLock.acquire(partial, LockMode.EXCLUSIVE);
        } catch (StorageException busy) {
            Matcher pid = HOLDER_PID.matcher(busy.getMessage());
            throw new StorageException(dst, "is being made by another clone right now" + (pid.find() ? " " + pid.group()
                    : "") + "; wait for it to finish or choose another target");
        }
    }

    private static ImageFormat baseFormat(MediaSession s, Medium src) throws StorageException {
        var chain = s.registry().chain(src.uuid());
        ImageFormat f = chain.get(chain.size() - 1).format();
        return ImageDrivers.find(f).isPresent() ? f : ImageFormat.VDI;
    }
}
