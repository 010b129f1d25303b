package dev.strata.bios;

/**
 * The colours the BIOS loads into the DAC at a mode set, as 6-bit red, green, blue triples: the EGA's 64 colours
 * (text, 350- and 480-line modes), the CGA's 16 colours spread over 64 entries (200-line modes), and the 256-colour
 * default of mode 13h (the 16 CGA colours, a grey ramp, a hue wheel in three saturations and three intensities).
 */
enum DacPalette {
    EGA, CGA, VGA256;

    /** The entries this palette loads, from entry 0: 64 or 256 triples. */
    int[] entries() {
        return switch (this) {
            case EGA -> ega();
            case CGA -> cga();
            case VGA256 -> vga256();
        };
    }

    /** Two bits a primary: bits 2-0 the strong red, green, blue, bits 5-3 the weak ones. */
    private static int[] ega() {
        int[] rgb = new int[64 * 3];
        for (int i = 0; i < 64; i++) {
            rgb[i * 3] = (i >> 2 & 1) * 42 + (i >> 5 & 1) * 21;
            rgb[i * 3 + 1] = (i >> 1 & 1) * 42 + (i >> 4 & 1) * 21;
            rgb[i * 3 + 2] = (i & 1) * 42 + (i >> 3 & 1) * 21;
        }
        return rgb;
    }

    /** Bits 2-0 red, green, blue, bit 4 intensity, and colour 6 brown, as a CGA monitor shows them. */
    private static int[] cga() {
        int[] rgb = new int[64 * 3];
        for (int i = 0; i < 64; i++) {
            int c = i & 7 | (i >> 1 & 8);
            System.arraycopy(cgaColour(c), 0, rgb, i * 3, 3);
        }
        return rgb;
    }

    private static int[] cgaColour(int c) {
        int bright = (c & 8) != 0 ? 21 : 0;
        int r = (c >> 2 & 1) * 42 + bright;
        int g = (c >> 1 & 1) * 42 + bright;
        int b = (c & 1) * 42 + bright;
        if (c == 6) {
            g = 21;
        }
        return new int[] {r, g, b};
    }

    private static int[] vga256() {
        int[] rgb = new int[256 * 3];
        for (int c = 0; c < 16; c++) {
            System.arraycopy(cgaColour(c), 0, rgb, c * 3, 3);
        }
        for (int i = 0; i < 16; i++) {
            int grey = i * 63 / 15;
            rgb[(16 + i) * 3] = grey;
            rgb[(16 + i) * 3 + 1] = grey;
            rgb[(16 + i) * 3 + 2] = grey;
        }
        int entry = 32;
        int[] highs = {63, 28, 16};
        for (int high : highs) {
            int[] lows = {0, high / 2, high * 3 / 4};
            for (int low : lows) {
                for (int hue = 0; hue < 24; hue++) {
                    int[] c = hue(hue, low, high);
                    System.arraycopy(c, 0, rgb, entry * 3, 3);
                    entry++;
                }
            }
        }
        return rgb;
    }

    /**
     * Step {@code step} of 24 around the colour wheel (blue, magenta, red, yellow, green, cyan), each component
     * between {@code low} and {@code high}.
     */
    private static int[] hue(int step, int low, int high) {
        int edge = step / 4;
        int t = low + (high - low) * (step % 4) / 4;
        int down = high - (t - low);
        return switch (edge) {
            case 0 -> new int[] {t, low, high};
            case 1 -> new int[] {high, low, down};
            case 2 -> new int[] {high, t, low};
            case 3 -> new int[] {down, high, low};
            case 4 -> new int[] {low, high, t};
            default -> new int[] {low, down, high};
        };
    }
}
