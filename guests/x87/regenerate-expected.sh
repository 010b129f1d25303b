#!/bin/sh
# Regenerates the expected output of the x87 differential test guest on QEMU (whose x87 is an 80-bit softfloat)
# and stores it, gzipped, as the guests module's test resource. The first line of the resource names the QEMU
# version that produced it. The stack-fault tests (.ovf/.unf), which QEMU does not model, take their expected text
# from expected-by-sdm.txt (apply-sdm.py, which also recomputes the final checksum). Run ./build.sh first when
# x87diff.asm changed. Needs qemu-system-i386 (Debian: qemu-system-x86) and python3.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../src/test/resources/dev/strata/guests/x87/x87diff-expected.txt.gz"
command -v qemu-system-i386 >/dev/null 2>&1 || {
    echo "regenerate-expected.sh: qemu-system-i386 not found; install it (apt-get install qemu-system-x86)" >&2; exit 1; }
command -v python3 >/dev/null 2>&1 || {
    echo "regenerate-expected.sh: python3 not found; install it (apt-get install python3)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# isa-debug-exit lets the guest end QEMU when it is done (it then exits with status 1).
qemu-system-i386 -accel tcg -cpu pentium2,-apic -no-acpi -m 32 \
    -drive file="$here/x87diff.img",format=raw,if=floppy,readonly=on -boot a \
    -display none -no-reboot -serial none -parallel none \
    -chardev file,id=dbg,path="$work/e9.txt" -device isa-debugcon,iobase=0xe9,chardev=dbg \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 || true
tail -n 1 "$work/e9.txt" | grep -q ' x87 differential done$' || {
    echo "regenerate-expected.sh: the guest did not finish on QEMU; output kept in $work/e9.txt" >&2; trap - EXIT; exit 1; }
mkdir -p "$(dirname "$out")"
python3 "$here/apply-sdm.py" "$here/expected-by-sdm.txt" "$work/e9.txt" > "$work/expected.txt"
{ echo "# expected output of guests/x87/x87diff.img, produced by $(qemu-system-i386 --version | head -n 1)" \
       "with -accel tcg -cpu pentium2,-apic -no-acpi (guests/x87/regenerate-expected.sh)"
  cat "$work/expected.txt"; } | gzip -9n > "$out"
echo "wrote $out ($(zcat "$out" | wc -l) lines)"
