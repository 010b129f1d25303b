package dev.strata.tools.vm;

import dev.strata.vm.control.ControlReply;
import dev.strata.vm.control.VmControlClient;
import java.io.IOException;

/** Reads the next reply a control client receives, skipping events, for tests that send raw lines. */
final class ControlReplies {
    private ControlReplies() {
    }

    static ControlReply read(VmControlClient c) throws IOException {
        while (true) {
            String line = c.readLine();
            if (line == null) {
                throw new IOException("the VM closed the control connection");
            }
            ControlReply r = ControlReply.of(line);
            if (r != null) {
                return r;
            }
        }
    }
}
