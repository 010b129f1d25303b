package dev.strata.tools;

import picocli.CommandLine;

/**
 * A command-line mistake as one line on standard error, naming what is wrong and where to read the options, with
 * exit code 2 (the usage text of a command such as {@code strata run} is longer than a screen, and would hide it).
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {
    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cl = ex.getCommandLine();
        String suggestion = "";
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            suggestion = "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        cl.getErr().println("strata: " + ex.getMessage() + suggestion + " (see `" + cl.getCommandSpec().qualifiedName()
                + " --help`)");
        cl.getErr().flush();
        return StrataCommand.USAGE;
    }
}
