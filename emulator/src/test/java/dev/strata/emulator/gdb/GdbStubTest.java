package dev.strata.emulator.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stub's answers, against a target that records what it was asked. */
class GdbStubTest {

    /** A stopped target with 16 bytes of memory at 1000h and nothing elsewhere. */
    private static final class FakeTarget implements DebugTarget {
        final List<String> calls = new ArrayList<>();
        final byte[] memory = new byte[16];

        @Override
        public String targetDescription() {
            return "<target>0123456789</target>";
        }

        @Override
        public void halt() {
            calls.add("halt");
        }

        @Override
        public byte[] readRegisters() {
            return new byte[] {1, 2, 3, 4};
        }

        @Override
        public boolean writeRegisters(byte[] data) {
            calls.add("G" + RspPacket.hex(data));
            return true;
        }

        @Override
        public byte[] readRegister(int number) {
            return number == 8 ? new byte[] {0, 0x7c, 0, 0} : null;
        }

        @Override
        public boolean writeRegister(int number, byte[] value) {
            calls.add("P" + number + "=" + RspPacket.hex(value));
            return true;
        }

        @Override
        public byte[] readMemory(long address, int length) {
            if (address < 0x1000 || address >= 0x1010) {
                return new byte[0];
            }
            int n = (int) Math.min(length, 0x1010 - address);
            byte[] out = new byte[n];
            System.arraycopy(memory, (int) (address - 0x1000), out, 0, n);
            return out;
        }

        @Override
        public boolean writeMemory(long address, byte[] data) {
            if (address < 0x1000 || address + data.length > 0x1010) {
                return false;
            }
            System.arraycopy(data, 0, memory, (int) (address - 0x1000), data.length);
            return true;
        }

        @Override
        public boolean insertPoint(int type, long address, int length, List<AgentExpression> conditions) {
            calls.add("Z" + type + "@" + Long.toHexString(address) + (conditions.isEmpty() ? ""
                    : " if " + conditions.size()));
            return type <= 2;
        }

        @Override
        public boolean removePoint(int type, long address, int length) {
            calls.add("z" + type + "@" + Long.toHexString(address));
            return type <= 2;
        }

        @Override
        public void resume(boolean step) {
            calls.add(step ? "step" : "continue");
        }

        @Override
        public StopReason awaitStop(long millis) {
            return calls.get(calls.size() - 1).equals("step") ? StopReason.STEPPED
                    : new StopReason(StopReason.Kind.SOFTWARE_BREAKPOINT, 0x7c00);
        }

        @Override
        public String monitor(String command) {
            return "said: " + command + "\n";
        }

        @Override
        public void detach() {
            calls.add("detach");
        }

        @Override
        public void kill() {
            calls.add("kill");
        }
    }

    private final FakeTarget target = new FakeTarget();

    /** Runs a session over the given packets and returns the replies' payloads, acks dropped. */
    private List<String> session(String... packets) throws Exception {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (String p : packets) {
            wire.write(RspPacket.frame(p));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new GdbStub(target, new ByteArrayInputStream(wire.toByteArray()), out).serve();
        List<String> replies = new ArrayList<>();
        RspReader r = new RspReader(new ByteArrayInputStream(out.toByteArray()));
        for (RspReader.Item i = r.next(); i.kind() != RspReader.Item.Kind.END; i = r.next()) {
            if (i.kind() == RspReader.Item.Kind.PACKET) {
                replies.add(i.payload());
            }
        }
        return replies;
    }

    @Test
    void answersTheQueriesGdbSendsOnConnecting() throws Exception {
        List<String> r = session("qSupported:multiprocess+;swbreak+", "QStartNoAckMode", "?", "qAttached", "qC",
                "qfThreadInfo", "qsThreadInfo", "Hg0", "vMustReplyEmpty", "D");
        assertTrue(r.get(0).contains("qXfer:features:read+"), r.get(0));
        assertTrue(r.get(0).contains("QStartNoAckMode+"), r.get(0));
        assertEquals(List.of("OK", "T05thread:1;", "1", "QC1", "m1", "l", "OK", "", "OK"), r.subList(1, r.size()));
        assertEquals(List.of("halt", "detach"), target.calls);
    }

    @Test
    void servesTheTargetDescriptionInSlices() throws Exception {
        List<String> r = session("qXfer:features:read:target.xml:0,10", "qXfer:features:read:target.xml:10,10",
                "qXfer:features:read:target.xml:1c,10", "qXfer:features:read:other.xml:0,10", "D");
        assertEquals(List.of("m<target>01234567", "l89</target>", "l", "E00", "OK"), r);
    }

    @Test
    void readsAndWritesRegistersAndMemory() throws Exception {
        List<String> r = session("g", "p8", "p99", "P0=78563412", "M1002,2:abcd", "m1000,4", "m1000,40", "m2000,4",
                "M2000,1:00", "X1004,1:}", "m1004,1", "G01020304", "D");
        assertEquals(List.of("01020304", "007c0000", "E00", "OK", "OK", "0000abcd",
                "0000abcd" + "0".repeat(24), "E14", "E14", "OK", "7d", "OK", "OK"), r);
        assertTrue(target.calls.contains("P0=78563412"));
        assertTrue(target.calls.contains("G01020304"));
    }

    @Test
    void aTargetWithOnlyLinearMemoryRefusesQemusPhysicalMemoryMode() throws Exception {
        List<String> r = session("qqemu.PhyMemMode", "Qqemu.PhyMemMode:1", "Qqemu.PhyMemMode:2", "D");
        assertEquals(List.of("0", "E01", "E01", "OK"), r);
    }

    @Test
    void breakpointsAndWatchpointsTheTargetDoesNotOfferGetAnEmptyReply() throws Exception {
        List<String> r = session("Z0,7c00,1", "Z1,7c02,1", "Z2,7e00,2", "Z3,7e00,2", "z0,7c00,1", "D");
        assertEquals(List.of("OK", "OK", "OK", "", "OK", "OK"), r);
    }

    @Test
    void aBreakpointsConditionsReachTheTargetAndOneItCannotEvaluateMakesItStopEveryTime() throws Exception {
        // const8 5, end; const8 0, end; then a float bytecode (01h) the stub does not evaluate
        List<String> r = session("qSupported", "Z0,7c00,1;X3,220527;X3,220027", "Z1,7c02,1;X3,220527;X2,0127",
                "Z0,7c04,1;X4,220527", "D");
        assertTrue(r.get(0).contains("ConditionalBreakpoints+"), r.get(0));
        assertEquals(List.of("OK", "OK", "E01", "OK"), r.subList(1, r.size()));
        assertEquals(List.of("halt", "Z0@7c00 if 2", "Z1@7c02", "detach"), target.calls);
    }

    @Test
    void continueAndStepReportWhyTheTargetStopped() throws Exception {
        List<String> r = session("c", "s", "?", "k");
        assertEquals(List.of("T05swbreak:;thread:1;", "T05thread:1;", "T05thread:1;"), r);
        assertEquals(List.of("halt", "continue", "step", "kill"), target.calls);
    }

    @Test
    void monitorCommandsAnswerInConsoleOutputPackets() throws Exception {
        String command = RspPacket.hex("info cpu".getBytes(StandardCharsets.ISO_8859_1));
        List<String> r = session("qRcmd," + command, "D");
        assertEquals(List.of("O" + RspPacket.hex("said: info cpu\n".getBytes(StandardCharsets.ISO_8859_1)), "OK",
                "OK"), r);
    }

    @Test
    void aMalformedPacketGetsAnErrorAndTheSessionGoesOn() throws Exception {
        List<String> r = session("mzz,4", "Z0", "p", "D");
        assertEquals(List.of("E01", "E01", "E01", "OK"), r);
    }

    @Test
    void aPacketWithABadChecksumIsAskedForAgain() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] wire = "$qC#00$D#44".getBytes(StandardCharsets.ISO_8859_1);
        new GdbStub(target, new ByteArrayInputStream(wire), out).serve();
        assertEquals("-+$OK#9a", out.toString(StandardCharsets.ISO_8859_1));
    }
}
