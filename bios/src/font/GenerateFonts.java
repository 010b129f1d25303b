import dev.strata.emulator.device.vga.Cp437;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Strata's 8x16, 8x14 and 8x8 CP437 ROM fonts (font8x16.hex, font8x14.hex, font8x8.hex: 256 lines of
 * "XX:rows in hex") from GNU Unifont's 8x16 glyphs, which cover every CP437 character.
 *
 * <p>Run once, from the repository root, after building the emulator module:
 * <pre>
 * apt-get install unifont
 * java -cp emulator/target/classes bios/src/font/GenerateFonts.java /usr/share/unifont/unifont.hex \
 *     bios/src/main/resources/dev/strata/bios/font
 * </pre>
 * The 8x14 font drops Unifont's top two rows, which only box-drawing and block characters use, so lines still
 * join and accents and descenders stay. The 8x8 font folds 16 rows into 8: text glyphs keep their cap and x-height rows and merge the rest,
 * box-drawing and block characters (B0h-DFh) OR pairs of rows so their lines stay centred and joined, and the three
 * shades (B0h-B2h) take every other row, alternately even and odd, so their dot pattern survives.
 */
public final class GenerateFonts {

    /** Which Unifont rows make each of the 8 rows of an 8x8 text glyph. */
    private static final int[][] TEXT_ROWS_8 = {{2, 3, 4}, {5}, {6, 7}, {8}, {9, 10}, {11}, {12, 13}, {14, 15}};

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: GenerateFonts UNIFONT.hex OUTPUT-DIRECTORY");
            System.exit(2);
        }
        Map<Integer, int[]> unifont = new HashMap<>();
        for (String line : Files.readAllLines(Path.of(args[0]))) {
            int colon = line.indexOf(':');
            String hex = line.substring(colon + 1);
            if (hex.length() == 32) {
                int[] rows = new int[16];
                for (int i = 0; i < 16; i++) {
                    rows[i] = Integer.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
                }
                unifont.put(Integer.parseInt(line.substring(0, colon), 16), rows);
            }
        }
        List<String> f16 = new ArrayList<>();
        List<String> f14 = new ArrayList<>();
        List<String> f8 = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            int[] g = b == 0 || b == 0xFF ? new int[16] : unifont.get((int) Cp437.toUnicode(b));
            if (g == null) {
                throw new IllegalStateException("Unifont has no 8x16 glyph for CP437 " + Integer.toHexString(b));
            }
            f16.add(line(b, g, 0, 16));
            f14.add(line(b, g, 2, 14));
            int[] eight = new int[8];
            boolean graphic = b >= 0xB0 && b <= 0xDF;
            for (int r = 0; r < 8; r++) {
                int[] from = b <= 0xB2 && b >= 0xB0 ? new int[] {r * 2 + (r & 1)}
                        : graphic ? new int[] {r * 2, r * 2 + 1} : TEXT_ROWS_8[r];
                for (int s : from) {
                    eight[r] |= g[s];
                }
            }
            f8.add(line(b, eight, 0, 8));
        }
        Path out = Path.of(args[1]);
        Files.write(out.resolve("font8x16.hex"), f16);
        Files.write(out.resolve("font8x14.hex"), f14);
        Files.write(out.resolve("font8x8.hex"), f8);
    }

    private static String line(int b, int[] rows, int first, int count) {
        StringBuilder sb = new StringBuilder(String.format("%02X:", b));
        for (int i = first; i < first + count; i++) {
            sb.append(String.format("%02X", rows[i]));
        }
        return sb.toString();
    }
}
