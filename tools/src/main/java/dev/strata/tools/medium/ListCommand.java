package dev.strata.tools.medium;

import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumAudit;
import dev.strata.storage.media.RegistryFinding;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code strata medium list}: every registered medium, then whatever is wrong with the registry; the exit code
 * is 1 when something is, so scripts notice.
 */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List registered media and report registry problems.")
final class ListCommand extends MediumSubcommand {
    @Override
    int run(MediaSession s) throws Exception {
        PrintWriter out = out();
        List<Medium> all = s.registry().all();
        if (all.isEmpty()) {
            out.println("No media registered (" + s.registry().file() + ").");
        }
        for (Medium m : all) {
            out.printf("%s  %-12s %-4s %-8s %9s  %s%n", m.uuid(), m.type().cliName(), m.format(),
                    VariantOption.show(m.variant()), Sizes.human(m.logicalSize()), m.path());
        }
        return reportFindings(s, out) ? 1 : 0;
    }

    /** Prints what the registry and the files disagree on; true when something is wrong (not merely unfinished). */
    static boolean reportFindings(MediaSession s, PrintWriter out) {
        List<RegistryFinding> findings = new ArrayList<>(s.registry().validate());
        for (Medium m : s.registry().all()) {
            if (MediumAudit.mergedAway(s.registry(), m)) {
                // not a lost file: the audit names it as the interrupted merge it is
                findings.removeIf(f -> f.kind() == RegistryFinding.Kind.MISSING_FILE
                        && f.message().startsWith(m.path() + " (UUID " + m.uuid() + ")"));
            }
        }
        findings.addAll(MediumAudit.all(s.registry()));
        if (!findings.isEmpty()) {
            out.println();
            out.println("Problems in " + s.registry().file() + ":");
            findings.forEach(f -> out.println("  " + f));
        }
        // an interrupted merge leaves every chain readable and says how to finish: reported, but not a failure
        return findings.stream().anyMatch(f -> !f.harmless());
    }
}
