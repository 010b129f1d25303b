#!/bin/sh
# Builds the Strata demo guest: assembles demo.asm with NASM and pads it to a 1.44 MB floppy image (demo.img),
# then copies the image to the guests module's resources, where dev.strata.guests.demo.DemoGuest finds it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
resources="$here/../src/main/resources/dev/strata/guests/demo"
command -v nasm >/dev/null 2>&1 || { echo "build.sh: nasm not found; install it (apt-get install nasm)" >&2; exit 1; }
nasm -f bin -o "$here/demo.bin" "$here/demo.asm"
cp "$here/demo.bin" "$here/demo.img"
truncate -s 1474560 "$here/demo.img"   # 80 cylinders x 2 heads x 18 sectors x 512 bytes
rm -f "$here/demo.bin"
mkdir -p "$resources"
cp "$here/demo.img" "$resources/demo.img"
echo "built $here/demo.img ($(wc -c < "$here/demo.img") bytes) and copied it to $resources"
