package dev.strata.tools.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.emulator.vm.VirtualMachine;
import dev.strata.tools.StrataCommand;
import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata vm control NAME COMMAND [ARG...]}: a thin client of a running VM's JSON control protocol. */
@Command(name = "control", mixinStandardHelpOptions = true, description = {"Control a running VM over its control"
        + " socket: query-status, query-commands, pause, resume, reset, poweroff, savestate, snapshot-live NAME"
        + " [DESCRIPTION] (as `strata snapshot VM take NAME --live`), type TEXT (escapes \\n \\r \\t \\e \\b),"
        + " screenshot [FILE] (the text screen, printed or written to FILE; a PNG picture when FILE ends in .png),"
        + " info cpu|pic|pit|rtc|ide|ahci|pci|tlb|blocks|bios-calls"
        + " and info mem ADDRESS LENGTH (the monitor: that part of the machine, readably; mem by linear address).",
        "Other commands take KEY=VALUE arguments."})
final class ControlCommand extends StrataCommand {
    @Option(names = "--json", description = "print the reply as the VM sent it: one JSON line")
    boolean json;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "COMMAND")
    String command;

    @Parameters(index = "2..*", paramLabel = "ARG")
    List<String> args = List.of();

    @Override
    protected int execute() throws Exception {
        ObjectNode arguments;
        try {
            arguments = ControlArguments.of(command, args);
        } catch (IllegalArgumentException e) {
            throw usageError(e.getMessage());
        }
        VirtualMachine vm = vms().open(name);
        ControlReply reply;
        try (VmControlClient client = VmControlClient.connect(vm)) {
            reply = client.execute(command, arguments);
        }
        if (json) {
            out().println(reply.line());
        }
        if (!reply.ok()) {
            err().println("strata: VM '" + name + "': " + reply.errorDesc());
            return FAILED;
        }
        if (command.equals("screenshot") && !args.isEmpty() && ControlArguments.isPng(args.get(0))) {
            Files.write(Path.of(args.get(0)), java.util.Base64.getDecoder().decode(reply.value().path("png").asText()));
        } else if (command.equals("screenshot") && !args.isEmpty()) {
            StringBuilder text = new StringBuilder();
            reply.value().path("lines").forEach(l -> text.append(l.asText()).append('\n'));
            Files.writeString(Path.of(args.get(0)), text, StandardCharsets.UTF_8);
        } else if (!json) {
            print(reply.value(), out());
        }
        return OK;
    }

    /** The reply's fields, readably: a list one item a line, a value alone when it is the only field. */
    private void print(ObjectNode value, PrintWriter out) {
        if (command.equals("snapshot-live")) {
            out.println("online snapshot '" + value.path("name").asText() + "' taken (UUID "
                    + value.path("uuid").asText() + ")");
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isArray()) {
                v.forEach(item -> out.println(item.isValueNode() ? item.asText() : item.toString()));
            } else if (value.size() == 1) {
                out.println(v.isValueNode() ? v.asText() : v.toString());
            } else {
                out.println(f.getKey() + ": " + (v.isValueNode() ? v.asText() : v.toString()));
            }
        }
    }
}
