package dev.strata.emulator.state;

import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
        PhysicalMemory memory = machine.memory();
        int size = memory.size();
        int allocated = memory.allocatedRam();
        byte[] page = new byte[PAGE];
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(packed, deflater, 1 << 16))) {
            for (int number = 0; number < allocated / PAGE; number++) { // RAM never written is zero pages
                memory.copyRam(number * PAGE, page, 0, PAGE);
                if (!zero(page)) {
                    out.writeInt(number);
                    out.write(page);
                }
            }
            out.writeInt(END);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        w.writeInt(size);
        w.writeBytes(packed.toByteArray());
    }

    @Override
    public void load(PcMachine machine, StateReader r) throws StateFileException {
        PhysicalMemory memory = machine.memory();
        int size = r.readInt();
        if (size != memory.size()) {
            throw r.error("RAM is " + size + " bytes in the file but " + memory.size() + " in the machine");
        }
        byte[] packed = r.readBytes();
        if (packed == null) {
            throw r.error("the RAM image is missing");
        }
        byte[] staged = memory.zeroedRamArray();
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
                if (page < 0 || page >= size / PAGE) {
                    throw r.error("RAM page " + page + " is outside the machine's " + size / PAGE + " pages");
                }
                inflateFully(inflater, staged, page * PAGE, PAGE, r);
            }
        } catch (DataFormatException e) {
            throw r.error("the compressed RAM image is damaged: " + e.getMessage());
        } finally {
            inflater.end();
        }
        r.expectEnd();
        memory.replaceRam(staged);
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

    private static boolean zero(byte[] page) {
        for (int i = 0; i < PAGE; i++) {
            if (page[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
