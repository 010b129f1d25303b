package dev.strata.tools.run;

import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.device.keyboard.KeyInputQueue;
import dev.strata.emulator.device.keyboard.TextTyper;
import dev.strata.emulator.device.vga.TextScreen;
import dev.strata.emulator.machine.MachineRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The interactive side of {@code strata run} on a terminal: the guest's text screen drawn with ANSI escapes about
 * 20 times a second, and the host's keys sent to the guest's keyboard. The terminal is put in raw mode with
 * {@code stty} and restored on close. Ctrl-] starts a command: q quits, r resets, d sends Ctrl-Alt-Del. What is
 * logged to standard error meanwhile is held and printed after the screen is restored.
 */
final class TerminalSession implements AutoCloseable {

    static final int COMMAND_KEY = 0x1D; // Ctrl-]
    private static final long FRAME_MILLIS = 50;

    private final MachineRunner runner;
    private final PrintStream out;
    private final InputStream in;
    private final AtomicReference<TextScreen> latest = new AtomicReference<>();
    private volatile boolean open = true;
    private String savedMode;
    private String lastFrame = "";
    /** Log lines (SLF4J's simple logger writes to System.err) held while the guest's screen is drawn. */
    private final java.io.ByteArrayOutputStream heldLog = new java.io.ByteArrayOutputStream();
    private PrintStream hostErr;

    TerminalSession(MachineRunner runner, PrintStream out, InputStream in) {
        this.runner = runner;
        this.out = out;
        this.in = in;
    }

    void start() {
        savedMode = stty("-g").trim();
        stty("raw -echo");
        hostErr = System.err;
        System.setErr(new PrintStream(heldLog, true)); // logs never draw over the guest's screen
        out.print("\u001b[?1049h\u001b[2J");
        out.flush();
        Thread draw = new Thread(this::drawLoop, "strata-display");
        draw.setDaemon(true);
        draw.start();
        Thread keys = new Thread(this::keyLoop, "strata-keyboard");
        keys.setDaemon(true);
        keys.start();
    }

    private void drawLoop() {
        while (open) {
            runner.execute(m -> latest.set(m.vga().textScreen()));
            TextScreen screen = latest.get();
            if (screen != null) {
                String frame = AnsiScreen.render(screen);
                if (!frame.equals(lastFrame)) {
                    synchronized (out) {
                        out.print(frame);
                        out.flush();
                    }
                    lastFrame = frame;
                }
            }
            try {
                Thread.sleep(FRAME_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void keyLoop() {
        try {
            boolean command = false;
            int b;
            while (open && (b = in.read()) >= 0) {
                if (command) {
                    command = false;
                    switch (Character.toLowerCase((char) b)) {
                        case 'q' -> runner.stop();
                        case 'r' -> runner.execute(m -> m.requestReset());
                        case 'd' -> send(q -> {
                            q.press(Key.LEFT_CTRL);
                            q.press(Key.LEFT_ALT);
                            q.tap(Key.DELETE);
                            q.release(Key.LEFT_ALT);
                            q.release(Key.LEFT_CTRL);
                        });
                        default -> send(q -> ctrl(q, Key.RIGHT_BRACKET)); // Ctrl-] twice sends it once
                    }
                } else if (b == COMMAND_KEY) {
                    command = true;
                } else if (b == 0x1B && in.available() > 1) {
                    escapeSequence();
                } else {
                    byteTyped(b);
                }
            }
        } catch (IOException e) {
            // the terminal went away: nothing more to type
        }
    }

    private void escapeSequence() throws IOException {
        int next = in.read();
        if (next != '[') {
            send(q -> q.tap(Key.ESCAPE));
            byteTyped(next);
            return;
        }
        int code = in.read();
        Key key = switch (code) {
            case 'A' -> Key.UP;
            case 'B' -> Key.DOWN;
            case 'C' -> Key.RIGHT;
            case 'D' -> Key.LEFT;
            case 'H' -> Key.HOME;
            case 'F' -> Key.END;
            default -> null;
        };
        if (key == null && code >= '1' && code <= '6') {
            int tilde = in.read();
            key = tilde != '~' ? null : switch (code) {
                case '2' -> Key.INSERT;
                case '3' -> Key.DELETE;
                case '5' -> Key.PAGE_UP;
                case '6' -> Key.PAGE_DOWN;
                case '1' -> Key.HOME;
                default -> Key.END;
            };
        }
        if (key != null) {
            Key k = key;
            send(q -> q.tap(k));
        }
    }

    private void byteTyped(int b) {
        if (b == 0x7F || b == 0x08) {
            send(q -> q.tap(Key.BACKSPACE));
        } else if (b == '\r' || b == '\n') {
            send(q -> q.tap(Key.ENTER));
        } else if (b == '\t') {
            send(q -> q.tap(Key.TAB));
        } else if (b == 0x1B) {
            send(q -> q.tap(Key.ESCAPE));
        } else if (b >= 1 && b <= 26) {
            Key letter = Key.valueOf(String.valueOf((char) ('A' + b - 1)));
            send(q -> ctrl(q, letter));
        } else if (b >= ' ' && b < 0x7F) {
            TextTyper.KeyStroke stroke;
            try {
                stroke = TextTyper.stroke((char) b, 0);
            } catch (IllegalArgumentException e) {
                return;
            }
            send(q -> {
                if (stroke.shift()) {
                    q.press(Key.LEFT_SHIFT);
                }
                q.tap(stroke.key());
                if (stroke.shift()) {
                    q.release(Key.LEFT_SHIFT);
                }
            });
        }
    }

    private static void ctrl(KeyInputQueue q, Key key) {
        q.press(Key.LEFT_CTRL);
        q.tap(key);
        q.release(Key.LEFT_CTRL);
    }

    private void send(java.util.function.Consumer<KeyInputQueue> keys) {
        runner.execute(m -> keys.accept(m.keyInput()));
    }

    /** Runs stty on the controlling terminal; returns its output ("" when it fails). */
    private static String stty(String args) {
        try {
            Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty")
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            return output;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    @Override
    public void close() {
        open = false;
        synchronized (out) {
            out.print("\u001b[0m\u001b[?25h\u001b[?1049l");
            out.flush();
        }
        stty(savedMode == null || savedMode.isEmpty() ? "sane" : savedMode);
        if (hostErr != null) {
            System.setErr(hostErr);
            hostErr.print(heldLog.toString(java.nio.charset.StandardCharsets.UTF_8));
            hostErr.flush();
        }
    }
}
