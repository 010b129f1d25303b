package dev.strata.tools.vm;

import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.emulator.vm.VmControlClient;
import dev.strata.tools.StrataCommand;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code strata vm control NAME ACTION [ARG]}: drives a running VM through its control socket. */
@Command(name = "control", mixinStandardHelpOptions = true, description = "Control a running VM: pause, resume,"
        + " reset, poweroff, savestate, snapshot-live NAME (as `strata snapshot VM take NAME --live`), type TEXT"
        + " (escapes \\n \\r \\t \\e \\b), screenshot FILE (the text screen).")
final class ControlCommand extends StrataCommand {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ACTION")
    String action;

    @Parameters(index = "2..*", paramLabel = "ARG")
    List<String> args = List.of();

    @Override
    protected int execute() throws Exception {
        VirtualMachine vm = vms().open(name);
        String arg = String.join(" ", args);
        if (action.equals("screenshot") && !arg.isEmpty()) {
            arg = Path.of(arg).toAbsolutePath().toString();
        }
        String answer = VmControlClient.send(vm, arg.isEmpty() ? action : action + " " + arg);
        if (answer.startsWith("ok")) {
            return OK;
        }
        err().println("strata: VM '" + name + "': " + answer.replaceFirst("^error: ", ""));
        return FAILED;
    }
}
