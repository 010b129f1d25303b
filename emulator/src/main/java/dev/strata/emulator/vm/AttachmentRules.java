package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Path;

/** Which medium may go where: controller, slot and drive type against the medium's type and variant. */
public final class AttachmentRules {

    private AttachmentRules() {
    }

    /** What is wrong with a slot: the field at fault ({@code controller}, {@code port}, {@code device} or {@code type}). */
    public record SlotProblem(String field, String message) {
    }

    /** Refuses a bad controller, slot or drive type, naming the option to change. */
    public static void checkSlot(String controller, int port, int device, String type) {
        SlotProblem p = slotProblem(controller, port, device, type);
        if (p != null) {
            throw new IllegalArgumentException("--" + p.field() + " " + p.message());
        }
    }

    /** The first rule a slot breaks, or null; the controllers' slots are described in {@link ControllerKind}. */
    public static SlotProblem slotProblem(String controller, int port, int device, String type) {
        ControllerKind kind = ControllerKind.of(controller).orElse(null);
        if (kind == null) {
            return new SlotProblem("controller", "is \"" + controller + "\", an unknown controller; use "
                    + ControllerKind.keys());
        }
        return kind.slotProblem(port, device, type);
    }

    /** Refuses a medium its type does not allow in this drive. */
    public static void checkMedium(Medium medium, String driveType) throws StorageException {
        checkMedium(medium, DriveType.of(driveType).orElseThrow(() -> new IllegalArgumentException(
                "--type is " + driveType + ", not a drive type; use " + DriveType.keys())));
    }

    /** Refuses a medium its type does not allow in this drive. */
    public static void checkMedium(Medium medium, DriveType drive) throws StorageException {
        Path file = medium.path();
        medium.type().checkAllowedFor(file, medium.variant());
        switch (drive) {
            case DVD -> {
                if (medium.type() != MediumType.READONLY) {
                    throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a DVD drive takes"
                            + " readonly media (attach it with --mtype readonly)");
                }
            }
            case FDD -> {
                if (!(medium.type() == MediumType.NORMAL || medium.type() == MediumType.WRITETHROUGH)) {
                    throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a floppy drive"
                            + " takes normal or writethrough media (the floppy drive writes the image itself)");
                }
            }
            case HDD -> {
            }
        }
        if (drive != DriveType.DVD && medium.isDiff()) {
            throw new StorageException(file, "is a differencing image; attach its base image (snapshots make the diffs)");
        }
    }
}
