package dev.strata.tools.medium;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata medium modify}: change a medium's type or its autoreset flag. */
@Command(name = "modify", mixinStandardHelpOptions = true, description = "Change a medium's type (normal, writethrough, shareable, immutable, "
        + "multiattach, readonly) or autoreset (immutable only).")
final class ModifyCommand extends MediumSubcommand {
    @Parameters(paramLabel = "F", description = "The medium (path or UUID).")
    String medium;

    @Option(names = "--type", paramLabel = "T", description = "The new type.")
    String type;

    @Option(names = "--autoreset", paramLabel = "on|off", description = "Reset the immutable diff at every power-on.")
    String autoreset;

    @Override
    int run(MediaSession s) throws Exception {
        if (type == null && autoreset == null) {
            throw new IllegalArgumentException("nothing to change: give --type and/or --autoreset");
        }
        Medium m = s.medium(medium);
        s.rules().checkModify(m);
        if (Files.exists(m.path())) {
            // a process writing the image relies on the type it opened it with
            s.lockAgainstOthers(m);
        }
        Medium changed = m;
        if (type != null) {
            MediumType t = MediumType.parse(type);
            if (t != m.type()) {
                t.checkAllowedFor(m.path(), m.variant());
                int kids = s.registry().children(m.uuid()).size();
                if (kids > 0) {
                    throw new StorageException(m.path(), "has " + kids + " differencing image(s) over it; its type "
                            + "cannot change now (merge or close them first)");
                }
            }
            changed = changed.withType(t);
        }
        if (autoreset != null) {
            boolean on = switch (autoreset.toLowerCase(java.util.Locale.ROOT)) {
                case "on", "true", "yes" -> true;
                case "off", "false", "no" -> false;
                default -> throw new IllegalArgumentException("--autoreset takes on or off, not '" + autoreset + "'");
            };
            if (!changed.type().autoresetApplies()) {
                throw new StorageException(m.path(), "is " + changed.type().cliName() + "; autoreset applies only to "
                        + "immutable media (add --type immutable)");
            }
            changed = changed.withAutoreset(on);
        }
        Medium result = changed;
        s.change(r -> r.update(result));
        out().printf("%s: type %s, autoreset %s%n", changed.path(), changed.type().cliName(),
                changed.autoreset() ? "on" : "off");
        return 0;
    }
}
