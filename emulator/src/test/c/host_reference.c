/*
 * Dev-time generator for Strata's host reference vectors: runs 16- and 32-bit integer instructions on the
 * x86-64 build host and prints operands, results and flags. The output is committed as
 * emulator/src/test/resources/dev/strata/emulator/cpu/host-reference.txt and replayed by HostReferenceTest,
 * which compares only the flags the architecture defines (hosts differ in undefined ones).
 *
 *   gcc -O1 -mno-red-zone -o /tmp/host_reference host_reference.c && /tmp/host_reference > host-reference.txt
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FLAGS_IN(f) ((uint64_t)((f) & 0x8D5) | 2)

/* r = op(a, b) with flags in and out; 'c' goes to ECX (shift count), 'd' to EDX */
#define DEF32(name, insn)                                                                          \
    static void name(uint32_t *a, uint32_t *d, uint32_t b, uint32_t c, uint64_t *f) {              \
        uint64_t fl = *f;                                                                          \
        uint32_t ra = *a, rd = *d;                                                                 \
        __asm__ volatile("push %[fl]\n\tpopfq\n\t" insn "\n\tpushfq\n\tpop %[fl]"                  \
                         : [fl] "+r"(fl), "+a"(ra), "+d"(rd)                                       \
                         : [b] "b"(b), [c] "c"(c)                                                  \
                         : "cc", "memory");                                                        \
        *a = ra; *d = rd; *f = fl;                                                                 \
    }

DEF32(op_add32, "addl %%ebx, %%eax")
DEF32(op_adc32, "adcl %%ebx, %%eax")
DEF32(op_sub32, "subl %%ebx, %%eax")
DEF32(op_sbb32, "sbbl %%ebx, %%eax")
DEF32(op_and32, "andl %%ebx, %%eax")
DEF32(op_or32, "orl %%ebx, %%eax")
DEF32(op_xor32, "xorl %%ebx, %%eax")
DEF32(op_cmp32, "cmpl %%ebx, %%eax")
DEF32(op_inc32, "incl %%eax")
DEF32(op_dec32, "decl %%eax")
DEF32(op_neg32, "negl %%eax")
DEF32(op_shl32, "shll %%cl, %%eax")
DEF32(op_shr32, "shrl %%cl, %%eax")
DEF32(op_sar32, "sarl %%cl, %%eax")
DEF32(op_rol32, "roll %%cl, %%eax")
DEF32(op_ror32, "rorl %%cl, %%eax")
DEF32(op_rcl32, "rcll %%cl, %%eax")
DEF32(op_rcr32, "rcrl %%cl, %%eax")
DEF32(op_shld32, "shldl %%cl, %%ebx, %%eax")
DEF32(op_shrd32, "shrdl %%cl, %%ebx, %%eax")
DEF32(op_shld16, "shldw %%cl, %%bx, %%ax")
DEF32(op_shrd16, "shrdw %%cl, %%bx, %%ax")
DEF32(op_bt32, "btl %%ebx, %%eax")
DEF32(op_bts32, "btsl %%ebx, %%eax")
DEF32(op_btr32, "btrl %%ebx, %%eax")
DEF32(op_btc32, "btcl %%ebx, %%eax")
DEF32(op_bsf32, "bsfl %%ebx, %%eax")
DEF32(op_bsr32, "bsrl %%ebx, %%eax")
DEF32(op_bsf16, "bsfw %%bx, %%ax")
DEF32(op_bsr16, "bsrw %%bx, %%ax")
DEF32(op_imul32, "imull %%ebx, %%eax")
DEF32(op_imul16, "imulw %%bx, %%ax")
DEF32(op_mul32, "mull %%ebx")
DEF32(op_imul1_32, "imull %%ebx")
DEF32(op_div32, "divl %%ebx")
DEF32(op_idiv32, "idivl %%ebx")
DEF32(op_xadd32, "xaddl %%ebx, %%eax")
DEF32(op_bswap32, "bswapl %%eax")
DEF32(op_movsx32, "movsbl %%bl, %%eax")

typedef void (*opfn)(uint32_t *, uint32_t *, uint32_t, uint32_t, uint64_t *);
static const struct { const char *name; opfn fn; int kind; } OPS[] = {
    {"ADD32", op_add32, 0}, {"ADC32", op_adc32, 0}, {"SUB32", op_sub32, 0}, {"SBB32", op_sbb32, 0},
    {"AND32", op_and32, 0}, {"OR32", op_or32, 0}, {"XOR32", op_xor32, 0}, {"CMP32", op_cmp32, 0},
    {"INC32", op_inc32, 0}, {"DEC32", op_dec32, 0}, {"NEG32", op_neg32, 0},
    {"SHL32", op_shl32, 1}, {"SHR32", op_shr32, 1}, {"SAR32", op_sar32, 1}, {"ROL32", op_rol32, 1},
    {"ROR32", op_ror32, 1}, {"RCL32", op_rcl32, 1}, {"RCR32", op_rcr32, 1},
    {"SHLD32", op_shld32, 1}, {"SHRD32", op_shrd32, 1}, {"SHLD16", op_shld16, 2}, {"SHRD16", op_shrd16, 2},
    {"BT32", op_bt32, 0}, {"BTS32", op_bts32, 0}, {"BTR32", op_btr32, 0}, {"BTC32", op_btc32, 0},
    {"BSF32", op_bsf32, 0}, {"BSR32", op_bsr32, 0}, {"BSF16", op_bsf16, 0}, {"BSR16", op_bsr16, 0},
    {"IMUL32", op_imul32, 0}, {"IMUL16", op_imul16, 0}, {"MUL32", op_mul32, 0}, {"IMUL1_32", op_imul1_32, 0},
    {"DIV32", op_div32, 3}, {"IDIV32", op_idiv32, 4}, {"XADD32", op_xadd32, 0}, {"BSWAP32", op_bswap32, 0},
    {"MOVSX32", op_movsx32, 0},
};

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (uint32_t) state;
}

static uint32_t operand(void) {
    static const uint32_t EDGE[] = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x10000, 0x7FFFFFFF,
                                    0x80000000, 0x80000001, 0xFFFFFFFE, 0xFFFFFFFF};
    uint32_t r = rnd();
    switch (r % 4) {
        case 0: return EDGE[rnd() % (sizeof EDGE / sizeof EDGE[0])];
        case 1: return rnd() & 0xFFFF;
        default: return rnd();
    }
}

int main(void) {
    for (unsigned k = 0; k < sizeof OPS / sizeof OPS[0]; k++) {
        for (int n = 0; n < 120; n++) {
            uint32_t a = operand(), b = operand(), c = 0, d = 0;
            uint64_t fin = FLAGS_IN(rnd());
            switch (OPS[k].kind) {
                case 1: c = n < 40 ? (uint32_t) n : rnd() & 0xFF; break;
                case 2: c = n % 17; break; /* 16-bit double shifts: counts above 16 are undefined */
                case 3: if (b == 0) b = 3; d = rnd() % b; break;
                case 4:
                    if (b == 0) b = 5;
                    d = (a & 0x80000000u) ? 0xFFFFFFFFu : 0;
                    if (a == 0x80000000u && b == 0xFFFFFFFFu) b = 7;
                    break;
                default: break;
            }
            uint32_t ra = a, rd = d;
            uint64_t f = fin;
            OPS[k].fn(&ra, &rd, b, c, &f);
            printf("%s %08x %08x %08x %08x %03x %08x %08x %03x\n", OPS[k].name, a, b, c, d, (unsigned) fin, ra, rd,
                   (unsigned) (f & 0x8D5));
        }
    }
    return 0;
}
