package dev.strata.tools.medium;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumAudit;
import dev.strata.storage.media.MediumType;
import dev.strata.storage.media.RegistryFinding;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata medium info}: what a medium is, how big, what type, and the chain it sits in. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a medium's format, variant, UUIDs, type, sizes and chain.")
final class InfoCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    /** Why the chain does not open as cat/write/clone/merge would open it, or null when it opens. */
    private static String chainError(MediaSession s, Medium m) {
        if (!Files.isRegularFile(m.path())) {
            return null;
        }
        // no lock: opening read-only for a look changes nothing
        try (DiskImage disk = s.backend().openChain(m.path(), true, s.parents())) {
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    @Override
    int run(MediaSession s) throws Exception {
        Medium m = s.medium(medium);
        PrintWriter out = out();
        out.printf("File:           %s%n", m.path());
        out.printf("UUID:           %s%n", m.uuid());
        out.printf("Parent UUID:    %s%n", m.parentUuid() == null ? "base" : m.parentUuid());
        out.printf("Format:         %s%n", m.format());
        out.printf("Variant:        %s%n", VariantOption.show(m.variant()));
        MediumType type = s.effectiveType(m);
        out.printf("Type:           %s%s%n", type.cliName(), m.isDiff() ? " (from its base image)" : "");
        if (type.autoresetApplies()) {
            out.printf("Autoreset:      %s%n", m.autoreset() ? "on" : "off");
        }
        out.printf("Logical size:   %s%n", Sizes.describe(m.logicalSize()));
        if (Files.isRegularFile(m.path())) {
            // no lock: info is for looking at media, including those a running VM is writing
            try (DiskImage img = s.backend().open(m.path(), true)) {
                out.printf("Allocated:      %s%n", Sizes.describe(img.allocatedBytes()));
                out.printf("Block size:     %d bytes%n", img.blockSize());
                // each format's own fields, aligned with the rest
                img.details().forEach((k, v) -> out.printf("%-16s%s%n", k + ":", v));
            } catch (IOException e) {
                out.printf("Allocated:      unknown (%s)%n", e.getMessage());
            }
            out.printf("File size:      %s%n", Sizes.describe(Files.size(m.path())));
        } else {
            out.printf("Allocated:      file missing%n");
        }
        List<Medium> chain = s.registry().chain(m.uuid());
        List<RegistryFinding> problems = new ArrayList<>();
        for (Medium c : chain) {
            problems.addAll(MediumAudit.of(s.registry(), c));
        }
        List<RegistryFinding> unfinished = problems.stream().filter(RegistryFinding::harmless).toList();
        problems.removeAll(unfinished);
        String broken = problems.isEmpty() ? chainError(s, m) : problems.get(0).message();
        out.printf("Chain:          %d image%s, this one first%s%n", chain.size(), chain.size() == 1 ? "" : "s",
                broken == null ? "" : " (BROKEN: the disk cannot be used)");
        for (Medium c : chain) {
            out.printf("  %s  %s%n", c.uuid(), c.path());
        }
        if (broken != null) {
            out.printf("Problems:%n");
            if (problems.isEmpty()) {
                out.printf("  %s%n", broken);
            }
            for (RegistryFinding f : problems) {
                out.printf("  %s%n", f);
            }
        }
        for (RegistryFinding f : unfinished) {
            out.printf("Unfinished:     %s%n", f.message());
        }
        List<Medium> kids = s.registry().children(m.uuid());
        if (!kids.isEmpty()) {
            out.printf("Children:       %d%n", kids.size());
            for (Medium c : kids) {
                out.printf("  %s  %s%n", c.uuid(), c.path());
            }
        }
        return 0;
    }
}
