package dev.strata.storage.media;

import java.io.IOException;
import java.util.List;

/**
 * Answers which VMs use a medium. The VMs' settings are the one record of attachments; the VM layer implements
 * this over them, so the media rules in storage see attachments without knowing what a VM is.
 */
@FunctionalInterface
public interface MediumUsers {
    /** Nobody uses anything (a Strata home without VMs, or tests of the media layer alone). */
    MediumUsers NONE = m -> List.of();

    /** Every use of {@code medium} (the image file itself, not its parents or children). */
    List<MediumUse> of(Medium medium) throws IOException;
}
