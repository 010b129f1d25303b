package dev.strata.emulator.cpu.conformance;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Streams the vectors of one SingleStepTests file ({@code .json} or {@code .json.gz}) one test at a time, so a
 * file of hundreds of tests never sits in memory as a tree.
 */
public final class TestVectorReader implements Closeable {
    private static final JsonFactory JSON = new JsonFactory();

    private final Path file;
    private final JsonParser parser;
    private int count;

    /** Opens {@code file} and positions the parser at the start of its top-level array. */
    public TestVectorReader(Path file) throws IOException {
        this.file = file;
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        this.parser = JSON.createParser(in);
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            close();
            throw error("expected a JSON array of tests at the top level");
        }
    }

    /** The next test, or null at the end of the file. */
    public TestVector next() throws IOException {
        JsonToken t = parser.nextToken();
        if (t == JsonToken.END_ARRAY || t == null) {
            return null;
        }
        if (t != JsonToken.START_OBJECT) {
            throw error("expected a test object, found " + t);
        }
        return readTest();
    }

    private TestVector readTest() throws IOException {
        int index = count;
        String name = "";
        String hash = "";
        byte[] bytes = new byte[0];
        State initial = null;
        State fin = null;
        int excNumber = -1;
        int excFlags = -1;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            switch (field) {
                case "idx" -> index = parser.getIntValue();
                case "name" -> name = parser.getText();
                case "hash" -> hash = parser.getText();
                case "bytes" -> bytes = readBytes();
                case "initial" -> initial = readState("initial");
                case "final" -> fin = readState("final");
                case "exception" -> {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String f = parser.currentName();
                        parser.nextToken();
                        if (f.equals("number")) {
                            excNumber = parser.getIntValue();
                        } else if (f.equals("flag_address")) {
                            excFlags = parser.getIntValue();
                        } else {
                            parser.skipChildren();
                        }
                    }
                }
                default -> parser.skipChildren();
            }
        }
        if (initial == null || fin == null) {
            throw error("test " + index + " (" + name + ") has no " + (initial == null ? "initial" : "final")
                    + " state");
        }
        count++;
        return new TestVector(index, name, bytes, initial.regs, initial.addr, initial.val,
                fin.regs, fin.addr, fin.val, excNumber, excFlags, hash);
    }

    private byte[] readBytes() throws IOException {
        byte[] out = new byte[16];
        int n = 0;
        expect(JsonToken.START_ARRAY, "bytes");
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (byte) parser.getIntValue();
        }
        return Arrays.copyOf(out, n);
    }

    private State readState(String which) throws IOException {
        State s = new State();
        expect(JsonToken.START_OBJECT, which);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            parser.nextToken();
            if (field.equals("regs")) {
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String r = parser.currentName();
                    parser.nextToken();
                    Reg reg = regNamed(r);
                    if (reg == null) {
                        throw error("unknown register \"" + r + "\" in " + which + ".regs of test " + count);
                    }
                    s.regs[reg.ordinal()] = parser.getIntValue() & 0xFFFF;
                }
            } else if (field.equals("ram")) {
                readRam(s, which);
            } else {
                parser.skipChildren();
            }
        }
        return s;
    }

    private void readRam(State s, String which) throws IOException {
        int[] addr = new int[32];
        int[] val = new int[32];
        int n = 0;
        expect(JsonToken.START_ARRAY, which + ".ram");
        while (parser.nextToken() == JsonToken.START_ARRAY) {
            parser.nextToken();
            int a = parser.getIntValue();
            parser.nextToken();
            int v = parser.getIntValue();
            if (parser.nextToken() != JsonToken.END_ARRAY) {
                throw error(which + ".ram entry of test " + count + " is not an [address, byte] pair");
            }
            if (n == addr.length) {
                addr = Arrays.copyOf(addr, n * 2);
                val = Arrays.copyOf(val, n * 2);
            }
            addr[n] = a;
            val[n++] = v & 0xFF;
        }
        s.addr = Arrays.copyOf(addr, n);
        s.val = Arrays.copyOf(val, n);
    }

    private void expect(JsonToken token, String what) throws IOException {
        if (parser.currentToken() != token) {
            throw error("expected " + token + " for \"" + what + "\" in test " + count + ", found "
                    + parser.currentToken());
        }
    }

    private IOException error(String message) {
        return new IOException(file + ": " + message
                + (parser == null ? "" : " (near byte " + parser.currentLocation().getByteOffset() + ")"));
    }

    static Reg regNamed(String name) {
        return switch (name) {
            case "ax" -> Reg.AX;
            case "bx" -> Reg.BX;
            case "cx" -> Reg.CX;
            case "dx" -> Reg.DX;
            case "si" -> Reg.SI;
            case "di" -> Reg.DI;
            case "bp" -> Reg.BP;
            case "sp" -> Reg.SP;
            case "ip" -> Reg.IP;
            case "flags" -> Reg.FLAGS;
            case "cs" -> Reg.CS;
            case "ds" -> Reg.DS;
            case "es" -> Reg.ES;
            case "ss" -> Reg.SS;
            default -> null;
        };
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** The registers and RAM of one side of a test while it is being read. */
    private static final class State {
        final int[] regs = new int[Reg.values().length];
        int[] addr = new int[0];
        int[] val = new int[0];

        State() {
            Arrays.fill(regs, TestVector.ABSENT);
        }
    }
}
