#!/bin/sh
# Builds the x87 differential test guest: assembles x87diff.asm with NASM and pads it to a 1.44 MB floppy image
# (x87diff.img). Commit the image with the source; X87DiffImageTest fails when they differ.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
command -v nasm >/dev/null 2>&1 || { echo "build.sh: nasm not found; install it (apt-get install nasm)" >&2; exit 1; }
nasm -f bin -o "$here/x87diff.bin" "$here/x87diff.asm"
cp "$here/x87diff.bin" "$here/x87diff.img"
truncate -s 1474560 "$here/x87diff.img"   # 80 cylinders x 2 heads x 18 sectors x 512 bytes
rm -f "$here/x87diff.bin"
echo "built $here/x87diff.img"
