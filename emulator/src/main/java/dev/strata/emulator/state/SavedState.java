package dev.strata.emulator.state;

import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;

/**
 * Saves the whole machine (CPU, RAM, every device, virtual time with its pending timers, the firmware's Java
 * state) to a file and restores it onto a freshly built machine with the same settings.
 *
 * <p>File layout, all integers big-endian:
 * <pre>
 * magic "STRATAST" (8 bytes) | format version u32 | description: line count u32, lines (u32 length + UTF-8)
 * section count u32 | sections: tag (u32 length + UTF-8), version u32, payload length u64, stored length u64,
 *                     stored bytes (the payload, Deflate-compressed when the stored length differs)
 * CRC32 of every byte before it, u32
 * </pre>
 * Each section has its own version; a restore reads every version from the section's oldest to its current one
 * ({@link StateSection}), and inside a section devices are saved by their declared keys ({@link FieldCodec}).
 * The file is written to a temporary file beside the target, forced to disk and renamed over it, so a crash
 * leaves either the old file or the new one. Restore reads and checks the whole file (magic, version, checksum,
 * section framing, machine description) before it changes anything in the machine, and should a section still
 * not fit, puts the machine back from a state taken just before.
 *
 * <p>Call {@link #save(PcMachine, Path)} and {@link #restore} on the machine's CPU thread between batches (e.g. in
 * {@code MachineRunner.execute}) or while no runner runs it; {@link #save(MachineRunner, Path)} does that for you.
 */
public final class SavedState {

    /** First eight bytes of every saved-state file. */
    public static final byte[] MAGIC = "STRATAST".getBytes(StandardCharsets.US_ASCII);
    /** The format this class writes and reads. */
    public static final int FORMAT_VERSION = 1;
    private static final int HEADER = MAGIC.length + 4;

    private SavedState() {
    }

    /** What a restore found worth telling: the file's description and events no device re-armed. */
    public record Restored(List<String> description, List<String> unclaimedEvents) {
    }

    /** Writes {@code machine}'s state to {@code file} (replacing it atomically); returns the file size. */
    public static long save(PcMachine machine, Path file) throws IOException {
        byte[] bytes = encode(machine);
        Path dir = file.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return bytes.length;
    }

    /**
     * Saves the machine {@code runner} runs, on its CPU thread between two batches (running or paused), and waits
     * for the file; a runner that has ended is saved at once from the calling thread.
     *
     * @return the file size
     */
    public static long save(MachineRunner runner, Path file) throws IOException, InterruptedException {
        if (runner.outcome() != null) {
            return save(runner.machine(), file);
        }
        CompletableFuture<Long> done = new CompletableFuture<>();
        runner.execute(m -> {
            try {
                done.complete(save(m, file));
            } catch (IOException | RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        while (true) {
            try {
                return done.get(100, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (runner.outcome() != null && !done.isDone()) {
                    return save(runner.machine(), file); // the run ended before it took the task
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e.getCause();
            }
        }
    }

    /** The state file's bytes for {@code machine}. */
    public static byte[] encode(PcMachine machine) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(FORMAT_VERSION);
            List<String> description = MachineDescription.of(machine);
            out.writeInt(description.size());
            for (String line : description) {
                writeString(out, line);
            }
            List<StateSection> sections = MachineSections.all(new ClockSection(), machine);
            out.writeInt(sections.size());
            for (StateSection section : sections) {
                StateWriter w = new StateWriter();
                section.save(machine, w);
                byte[] payload = w.toByteArray();
                writeString(out, section.tag());
                out.writeInt(section.version());
                byte[] stored = compress(payload);
                out.writeLong(payload.length);
                out.writeLong(stored.length);
                out.write(stored);
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeInt((int) crc.getValue());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // in-memory streams do not fail
        }
        return bytes.toByteArray();
    }

    /**
     * Restores {@code file} onto {@code machine}, which must be freshly built from the same settings (same memory,
     * firmware and drives) and not running. Nothing in the machine changes when the file is refused.
     *
     * @throws StateFileException for a missing, foreign, corrupt or truncated file, or one saved from a
     *                            different machine; the message names the file, the section and the offset
     */
    public static Restored restore(PcMachine machine, Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StateFileException(file + ": no such saved-state file");
        }
        return restore(machine, bytes, file.toString());
    }

    /** As {@link #restore(PcMachine, Path)} from bytes; {@code name} is used in messages. */
    public static Restored restore(PcMachine machine, byte[] bytes, String name) throws StateFileException {
        Parsed parsed = parse(bytes, name);
        List<String> differences = MachineDescription.differences(parsed.description, MachineDescription.of(machine));
        if (!differences.isEmpty()) {
            throw new StateFileException(name + ": saved from a different machine; build the machine with the same "
                    + "settings to restore it: " + String.join("; ", differences));
        }
        ClockSection clock = new ClockSection();
        List<StateSection> sections = MachineSections.all(clock, machine);
        for (StateSection section : sections) {
            Payload p = parsed.sections.get(section.tag());
            if (p == null) {
                throw new StateFileException(name + ": section '" + section.tag() + "' is missing");
            }
            if (p.version < section.oldestVersion() || p.version > section.version()) {
                throw new StateFileException(name + ": section '" + section.tag() + "' at offset " + p.offset
                        + " has version " + p.version + ", this Strata reads " + versions(section)
                        + (p.version > section.version() ? " (saved by a newer Strata?)" : ""));
            }
        }
        for (String tag : parsed.sections.keySet()) {
            if (sections.stream().noneMatch(s -> s.tag().equals(tag))) {
                throw new StateFileException(name + ": unknown section '" + tag + "' at offset "
                        + parsed.sections.get(tag).offset + " (saved by a newer Strata?)");
            }
        }
        byte[] before = encode(machine);
        try {
            apply(machine, parsed, sections, name);
        } catch (StateFileException | RuntimeException e) {
            // a file that passed every check but still does not fit: put the machine back as it was
            String own = "the machine's own state";
            apply(machine, parse(before, own), MachineSections.all(new ClockSection(), machine), own);
            throw e;
        }
        return new Restored(parsed.description, clock.unclaimedEvents(machine));
    }

    private static void apply(PcMachine machine, Parsed parsed, List<StateSection> sections, String name)
            throws StateFileException {
        for (StateSection section : sections) {
            Payload p = parsed.sections.get(section.tag());
            section.load(machine, new StateReader(p.bytes, name, section.tag(), p.offset,
                    machine.clock().scheduler(), p.version));
        }
    }

    private static String versions(StateSection section) {
        return section.oldestVersion() == section.version() ? "version " + section.version()
                : "versions " + section.oldestVersion() + " to " + section.version();
    }

    /** Reads the machine description at the head of a saved-state file, checking the whole file first. */
    public static List<String> describe(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString()).description;
    }

    /** Deflate cannot expand its input more than 1032 times (RFC 1951's longest match per shortest code). */
    private static final long MAX_DEFLATE_RATIO = 1032;

    private record Payload(int version, long offset, byte[] bytes) {
    }

    private record Parsed(List<String> description, Map<String, Payload> sections) {
    }

    private static Parsed parse(byte[] bytes, String name) throws StateFileException {
        if (bytes.length < HEADER + 4 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new StateFileException(name + ": not a Strata saved state (it does not start with \"STRATAST\")");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, bytes.length - 4);
        buf.position(MAGIC.length);
        int version = buf.getInt();
        if (version != FORMAT_VERSION) {
            throw new StateFileException(name + ": saved-state format version " + version + " at offset 8, this "
                    + "Strata reads version " + FORMAT_VERSION);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 4);
        int storedCrc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt();
        if (storedCrc != (int) crc.getValue()) {
            throw new StateFileException(name + ": checksum mismatch over the " + (bytes.length - 4) + " bytes before "
                    + "offset " + (bytes.length - 4) + ": the file is corrupt or truncated; it cannot be restored");
        }
        try {
            int lines = count(buf, 1000, name, "description line count");
            List<String> description = new ArrayList<>();
            for (int i = 0; i < lines; i++) {
                description.add(readString(buf, name));
            }
            int n = count(buf, 1000, name, "section count");
            Map<String, Payload> sections = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                long at = buf.position();
                String tag = readString(buf, name);
                int sectionVersion = buf.getInt();
                long length = buf.getLong();
                long storedLength = buf.getLong();
                if (storedLength < 0 || storedLength > buf.remaining() || length < 0 || length > Integer.MAX_VALUE) {
                    throw new StateFileException(name + ": section '" + tag + "' at offset " + at + " claims "
                            + storedLength + " bytes but only " + buf.remaining() + " remain");
                }
                if (length != storedLength && length > storedLength * MAX_DEFLATE_RATIO + 64) {
                    // refused before allocating: a damaged length must not make Strata ask for gigabytes
                    throw new StateFileException(name + ": section '" + tag + "' at offset " + at + " claims to "
                            + "inflate to " + length + " bytes, more than its " + storedLength + " stored bytes can");
                }
                byte[] stored = new byte[(int) storedLength];
                long payloadAt = buf.position();
                buf.get(stored);
                byte[] payload = length == storedLength ? stored
                        : decompress(stored, (int) length, name, tag, payloadAt);
                if (sections.put(tag, new Payload(sectionVersion, payloadAt, payload)) != null) {
                    throw new StateFileException(name + ": section '" + tag + "' appears twice (offset " + at + ")");
                }
            }
            if (buf.hasRemaining()) {
                throw new StateFileException(name + ": " + buf.remaining() + " stray bytes at offset " + buf.position()
                        + " after the last section");
            }
            return new Parsed(List.copyOf(description), sections);
        } catch (java.nio.BufferUnderflowException e) {
            throw new StateFileException(name + ": the file ends inside its structure at offset " + buf.position());
        }
    }

    /** Deflates {@code payload} when that saves space (RAM is compressed by its section already). */
    private static byte[] compress(byte[] payload) {
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try {
            deflater.setInput(payload);
            deflater.finish();
            byte[] out = new byte[payload.length + 64];
            int n = 0;
            while (!deflater.finished() && n < payload.length) {
                n += deflater.deflate(out, n, out.length - n);
            }
            return deflater.finished() && n < payload.length ? Arrays.copyOf(out, n) : payload;
        } finally {
            deflater.end();
        }
    }

    private static byte[] decompress(byte[] stored, int length, String name, String tag, long at)
            throws StateFileException {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(stored);
            byte[] out = new byte[length];
            int n = 0;
            while (n < length) {
                int got = inflater.inflate(out, n, length - n);
                if (got == 0 && (inflater.finished() || inflater.needsInput())) {
                    break;
                }
                n += got;
            }
            if (n != length || !inflater.finished()) {
                throw new StateFileException(name + ": section '" + tag + "' at offset " + at + " inflates to " + n
                        + " bytes, not the " + length + " it claims");
            }
            return out;
        } catch (DataFormatException e) {
            throw new StateFileException(name + ": section '" + tag + "' at offset " + at + " is damaged: "
                    + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static int count(ByteBuffer buf, int max, String name, String what) throws StateFileException {
        int at = buf.position();
        int n = buf.getInt();
        if (n < 0 || n > max) {
            throw new StateFileException(name + ": " + what + " " + n + " at offset " + at + " is not plausible");
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer buf, String name) throws StateFileException {
        int at = buf.position();
        int n = buf.getInt();
        if (n < 0 || n > buf.remaining()) {
            throw new StateFileException(name + ": a string of " + n + " bytes at offset " + at + " runs past the end");
        }
        byte[] b = new byte[n];
        buf.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
