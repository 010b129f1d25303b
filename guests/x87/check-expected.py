#!/usr/bin/env python3
"""Checks the x87 fixture (the QEMU output the differential test trusts) against exact rational arithmetic.

For every test line of FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR/FSQRT (register forms), FST.m32, FSTP.m64, FIST.m16,
FISTP.m32, FISTP.m64, FBSTP, FRNDINT, FPREM and FPREM1 whose inputs are finite canonical numbers and whose result
is neither tiny nor overflowing, it computes the correctly rounded result for the line's rounding mode and
precision control and compares it and the precision flag (PE) with the fixture; for FPREM also the quotient bits,
for integer stores the integer indefinite on overflow. Prints the number of lines checked and every mismatch.

    guests/x87/check-expected.py [guests/src/test/resources/dev/strata/guests/x87/x87diff-expected.txt.gz]
"""
import gzip
import os
import sys
from fractions import Fraction
from math import isqrt

BIAS = 16383


def value80(hexdigits):
    """The value of a finite canonical (normal, denormal, pseudo-denormal or zero) m80, else None."""
    v = int(hexdigits, 16)
    sign, exponent, significand = v >> 79, (v >> 64) & 0x7FFF, v & ((1 << 64) - 1)
    if exponent == 0x7FFF or (exponent != 0 and not significand >> 63):
        return None
    x = Fraction(significand) * Fraction(2) ** (max(exponent, 1) - BIAS - 63)
    return -x if sign else x


def binary_exponent(a):
    e = a.numerator.bit_length() - a.denominator.bit_length()
    return e - 1 if Fraction(2) ** e > a else e


def round_fraction(x, bits, rc, emin=1 - BIAS):
    """x rounded to `bits` significant bits (RC 0 nearest-even, 1 down, 2 up, 3 toward zero), and inexact."""
    negative, a = x < 0, abs(x)
    quantum = Fraction(2) ** (max(binary_exponent(a), emin) - (bits - 1))
    scaled = a / quantum
    n = scaled.numerator // scaled.denominator
    rest = scaled - n
    if rest and ((rc == 0 and (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2)))
                 or (rc == 1 and negative) or (rc == 2 and not negative)):
        n += 1
    r = n * quantum
    return (-r if negative else r), rest != 0


def round_integer(x, rc):
    n = x.numerator // x.denominator
    rest = x - n
    if rest and ((rc == 0 and (rest > Fraction(1, 2) or (rest == Fraction(1, 2) and n % 2)))
                 or rc == 2 or (rc == 3 and x < 0)):
        n += 1
    return n, rest != 0


def encode(x, exponent_bits, fraction_bits, explicit_integer_bit):
    """IEEE encoding of a finite normal x (as an integer)."""
    negative, a = x < 0, abs(x)
    e = binary_exponent(a)
    bias = (1 << (exponent_bits - 1)) - 1
    significand = a / Fraction(2) ** (e - fraction_bits)
    assert significand.denominator == 1
    m = int(significand)
    if not explicit_integer_bit:
        m &= (1 << fraction_bits) - 1
    width = exponent_bits + fraction_bits + (1 if explicit_integer_bit else 0)
    return (int(negative) << width) | ((e + bias) << (width - exponent_bits)) | m


def sqrt_fraction(a):
    """sqrt(a) to 300 bits below its leading bit, plus a sticky bit when inexact."""
    shift = 2 * (300 - binary_exponent(a) // 2)
    scaled = a * Fraction(2) ** shift
    n = scaled.numerator // scaled.denominator
    r = isqrt(n)
    x = Fraction(r) / Fraction(2) ** (shift // 2)
    exact = r * r == n and scaled.denominator == 1
    return x if exact else x + Fraction(1) / Fraction(2) ** (shift // 2 + 1)


ARITH = {
    'FADD': lambda a, b: a + b, 'FSUB': lambda a, b: a - b, 'FSUBR': lambda a, b: b - a,
    'FMUL': lambda a, b: a * b, 'FDIV': lambda a, b: a / b, 'FDIVR': lambda a, b: b / a,
}


def check(line):
    """None when the line is not checkable, True/False when it is."""
    parts = line.split()
    if len(parts) < 3 or not parts[0].isdigit():
        return None
    op = parts[1]
    f = dict(p.split('=', 1) for p in parts[2:] if '=' in p)
    cw, sw = int(f['c'], 16), int(f['s'], 16)
    rc, pc = (cw >> 10) & 3, {0: 24, 2: 53, 3: 64}.get((cw >> 8) & 3)
    a = value80(f['a']) if 'a' in f and len(f['a']) == 20 else None
    if a is None:
        return None
    inexact_flag = bool(sw & 0x20)
    if op in ARITH or op == 'FSQRT':
        b = value80(f['b']) if op != 'FSQRT' else None
        if op != 'FSQRT' and b is None:
            return None
        if (op == 'FDIV' and b == 0) or (op == 'FDIVR' and a == 0) or (op == 'FSQRT' and a <= 0):
            return None
        x = sqrt_fraction(a) if op == 'FSQRT' else ARITH[op](a, b)
        if x == 0:
            return None
        r, inexact = round_fraction(x, pc, rc)
        if r == 0 or not 1 - BIAS <= binary_exponent(abs(r)) <= BIAS:
            return None
        return f['r'].split(',')[0] == '%020X' % encode(r, 15, 63, True) and inexact_flag == inexact
    if op in ('FST.m32', 'FSTP.m64'):
        bits, eb, fb, emin, emax = (24, 8, 23, -126, 127) if op == 'FST.m32' else (53, 11, 52, -1022, 1023)
        if a == 0 or binary_exponent(abs(a)) < emin:
            return None
        r, inexact = round_fraction(a, bits, rc, emin)
        if not emin <= binary_exponent(abs(r)) <= emax:
            return None
        width = (1 + eb + fb) // 4
        return f['m'] == '%0*X' % (width, encode(r, eb, fb, False)) and inexact_flag == inexact
    if op in ('FIST.m16', 'FISTP.m32', 'FISTP.m64', 'FBSTP'):
        n, inexact = round_integer(a, rc)
        stored = int(f['m'], 16)
        if op == 'FBSTP':
            if abs(n) >= 10 ** 18:
                return stored == 0xFFFFC000000000000000 and sw & 1 == 1
            digits = int(str(abs(n)), 16)
            sign = int(a < 0 or (a == 0 and f['a'][0] >= '8'))
            return stored == (sign << 79) | digits and inexact_flag == inexact and sw & 1 == 0
        bits = {'FIST.m16': 16, 'FISTP.m32': 32, 'FISTP.m64': 64}[op]
        if not -(1 << (bits - 1)) <= n < 1 << (bits - 1):
            return stored == 1 << (bits - 1) and sw & 1 == 1 and not inexact_flag
        return stored == n & ((1 << bits) - 1) and inexact_flag == inexact and sw & 1 == 0
    if op == 'FRNDINT':
        n, inexact = round_integer(a, rc)
        if n == 0:
            return None
        return f['r'].split(',')[0] == '%020X' % encode(Fraction(n), 15, 63, True) and inexact_flag == inexact
    if op in ('FPREM', 'FPREM1'):
        b = value80(f['b'])
        if b is None or a == 0 or b == 0 or binary_exponent(abs(a)) - binary_exponent(abs(b)) >= 64:
            return None
        q = a / b
        if op == 'FPREM':
            n = int(q)                      # truncation toward zero
        else:
            n, _ = round_integer(q, 0)
        r = a - n * b
        if r == 0 or binary_exponent(abs(r)) < 1 - BIAS:
            return None
        ok = f['r'].split(',')[0] == '%020X' % encode(r, 15, 63, True) and sw & 0x0400 == 0
        if op == 'FPREM':                   # C0, C3, C1 = quotient bits 2, 1, 0 (FPREM1's are not in the fixture)
            n = abs(n)
            ok = ok and sw & 0x4300 == ((n >> 2) & 1) << 8 | ((n >> 1) & 1) << 14 | (n & 1) << 9
        return ok
    return None


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        here, '../src/test/resources/dev/strata/guests/x87/x87diff-expected.txt.gz')
    opener = gzip.open if path.endswith('.gz') else open
    checked = bad = 0
    with opener(path, 'rt', encoding='ascii') as lines:
        for line in lines:
            result = check(line)
            if result is None:
                continue
            checked += 1
            if not result:
                bad += 1
                print('MISMATCH', line.rstrip())
    print('%d lines checked against exact arithmetic, %d mismatches' % (checked, bad))
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
