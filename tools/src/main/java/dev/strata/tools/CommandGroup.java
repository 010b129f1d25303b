package dev.strata.tools;

/** A noun such as {@code strata vm}: without one of its verbs there is nothing to do, which is a command-line mistake. */
public abstract class CommandGroup extends StrataCommand {
    @Override
    protected final int execute() {
        spec.commandLine().usage(err());
        return USAGE;
    }
}
