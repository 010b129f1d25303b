package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;

/**
 * Guest RAM: the 4 KiB pages that are not all zero, each as its page number and bytes, the whole run compressed
 * with Deflate. Restoring zeroes RAM first, so skipped pages come back as zeros.
 */
final class RamSection implements StateSection {

    static final int PAGE = 4096;
    private static final int END = -1;

    @Override
    public String tag() {
        return "ram";
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public void save(PcMachine machine, StateWriter w) {
        byte[] ram = ram(machine.memory());
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(packed, deflater, 1 << 16))) {
            for (int page = 0; page < ram.length / PAGE; page++) {
                if (!zero(ram, page * PAGE)) {
                    out.writeInt(page);
                    out.write(ram, page * PAGE, PAGE);
                }
            }
            out.writeInt(END);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        w.writeInt(ram.length);
        w.writeBytes(packed.toByteArray());
    }

    @Override
    public void load(PcMachine machine, StateReader r) throws StateFileException {
        byte[] ram = ram(machine.memory());
        int size = r.readInt();
        if (size != ram.length) {
            throw r.error("RAM is " + size + " bytes in the file but " + ram.length + " in the machine");
        }
        byte[] packed = r.readBytes();
        if (packed == null) {
            throw r.error("the RAM image is missing");
        }
        byte[] staged = new byte[ram.length];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(packed);
            byte[] number = new byte[4];
            while (true) {
                inflateFully(inflater, number, 0, 4, r);
                int page = java.nio.ByteBuffer.wrap(number).getInt();
                if (page == END) {
                    break;
                }
                if (page < 0 || page >= ram.length / PAGE) {
                    throw r.error("RAM page " + page + " is outside the machine's " + ram.length / PAGE + " pages");
                }
                inflateFully(inflater, staged, page * PAGE, PAGE, r);
            }
        } catch (DataFormatException e) {
            throw r.error("the compressed RAM image is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
        System.arraycopy(staged, 0, ram, 0, ram.length);
        r.expectEnd();
    }

    private static void inflateFully(Inflater inflater, byte[] into, int at, int n, StateReader r)
            throws DataFormatException, StateFileException {
        int done = 0;
        while (done < n) {
            int got = inflater.inflate(into, at + done, n - done);
            if (got == 0 && (inflater.finished() || inflater.needsInput())) {
                throw r.error("the compressed RAM image ends early");
            }
            done += got;
        }
    }

    private static boolean zero(byte[] ram, int at) {
        for (int i = at; i < at + PAGE; i++) {
            if (ram[i] != 0) {
                return false;
            }
        }
        return true;
    }

    static byte[] ram(PhysicalMemory memory) {
        try {
            Field f = PhysicalMemory.class.getDeclaredField("ram");
            f.setAccessible(true);
            return (byte[]) f.get(memory);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("PhysicalMemory no longer keeps RAM in a field named 'ram'", e);
        }
    }
}
