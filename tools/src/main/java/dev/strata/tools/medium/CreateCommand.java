package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageDriver;
import dev.strata.storage.image.ImageDrivers;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata medium create}: a new base image, or a differencing child of a registered one; registers it. */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a disk image (or a differencing child with --diff) and register it.")
final class CreateCommand extends MediumSubcommand {
    @Option(names = "--filename", required = true, description = "The new image file.")
    Path file;

    @Option(names = "--size", description = "Logical size: MB, or with a unit (512K, 64M, 1G).")
    String size;

    @Option(names = "--format", defaultValue = "VDI", description = "VDI, VMDK, VHD, HDD (Parallels), QCOW2 or RAW "
            + "(default ${DEFAULT-VALUE}); with --diff, VDI, VMDK, VHD or QCOW2, by default the parent's format when "
            + "that format has differencing images, else VDI.")
    ImageFormat format;

    @Option(names = "--variant", defaultValue = "Standard", converter = VariantOption.Converter.class,
            description = "Standard (grows), Fixed, and for VMDK Split2G (2 GiB extent files; Fixed,Split2G for flat "
            + "ones) or Stream (stream-optimized: compressed, read-only once made) (default ${DEFAULT-VALUE}).")
    VariantOption variant;

    @Option(names = "--diff", paramLabel = "PARENT", description = "Create a differencing image over PARENT (path or UUID).")
    String diffParent;

    /** Options that cannot apply to a differencing image are refused (exit 2), not silently ignored. */
    private void refuseWithDiff(String option, Object value, boolean given, String why) {
        if (given && spec.commandLine().getParseResult().hasMatchedOption(option)) {
            throw usageError(option + " " + value + " and --diff do "
                    + "not go together: " + why);
        }
    }

    private static String differencingFormats() {
        return ImageDrivers.all().stream().filter(ImageDriver::differencing).map(d -> d.format().toString())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    @Override
    int run(MediaSession s) throws Exception {
        Path target = file.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new StorageException(target, "already exists; choose another --filename or remove the file first");
        }
        Medium created;
        if (diffParent != null) {
            refuseWithDiff("--variant", variant, variant.variant() != ImageVariant.STANDARD,
                    "a differencing image grows as it is written; make a fixed copy with"
                    + " `strata medium clone --variant Fixed` instead");
            refuseWithDiff("--size", size, size != null, "a differencing image has its parent's size");
            Medium parent = s.medium(diffParent);
            MediumType type = s.effectiveType(parent);
            if (!type.guestWritesAllowed()) {
                throw new StorageException(parent.path(), "is a " + type.cliName() + " medium; differencing images "
                        + "over it are not allowed");
            }
            s.requireFile(parent);
            s.lock(parent, LockMode.SHARED);
            boolean formatGiven = spec.commandLine().getParseResult().hasMatchedOption("--format");
            if (formatGiven && ImageDrivers.find(format).filter(ImageDriver::differencing).isEmpty()) {
                throw usageError("--format " + format + " and --diff do not go together: " + format + " has no "
                        + "differencing images; use one of " + differencingFormats());
            }
            ImageFormat childFormat;
            try (DiskImage p = s.backend().open(parent.path(), true)) {
                childFormat = formatGiven ? format : ImageDrivers.childDriver(p).format();
            }
            refuseWithDiff("--format", format, ImageDrivers.find(childFormat).filter(ImageDriver::differencing)
                    .isEmpty(), format + " has no differencing images; give a format that has them (VDI, VMDK, "
                    + "QCOW2) or none for the parent's own");
            try (DiskImage p = s.backend().open(parent.path(), true);
                 DiskImage child = s.backend().createDiff(target, p, childFormat)) {
                created = Medium.of(child.uuid(), target, child.format(), ImageVariant.DIFF, p.uuid(), child.size());
            }
        } else {
            if (size == null) {
                throw new IllegalArgumentException("give --size (MB, or e.g. 1G) or --diff PARENT");
            }
            long bytes = Sizes.parse(size);
            if (bytes % 512 != 0) {
                throw new IllegalArgumentException("--size " + size + " is not a multiple of 512 bytes");
            }
            try (DiskImage img = s.backend().create(target, format, variant.variant(), DiskImages.userSize(format,
                    bytes))) {
                created = Medium.of(img.uuid(), target, img.format(), img.variant(), null, img.size());
            }
        }
        created = s.register(created);
        out().printf("Created %s %s image %s%n  UUID %s, %s%s%n", created.format(),
                VariantOption.show(created.variant()), created.path(), created.uuid(),
                Sizes.human(created.logicalSize()), created.isDiff() ? ", parent " + created.parentUuid() : "");
        if (created.variant().writeOnce()) {
            out().printf("  An empty stream-optimized disk takes no writes; `strata medium clone SRC %s --variant "
                    + "Stream` makes one that holds a disk%n", created.path().getFileName());
        }
        return 0;
    }
}
