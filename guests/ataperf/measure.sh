#!/usr/bin/env bash
# Measures the ATA read throughput a guest sees on Strata: PIO and bus-master DMA (see ataperf.asm). Each mode runs
# twice, reading 1 GiB and 1 MiB; the difference in host seconds is the transfer time (JVM start and boot cancel).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for mode in pio dma; do
  for sectors in 2048 2097152; do
    flags=(-D TOTAL=$sectors); [ "$mode" = dma ] && flags+=(-D MODE_DMA)
    nasm -f bin "${flags[@]}" -o "$work/$mode.bin" "$here/ataperf.asm"
    rm -f "$work/$mode.img"
    truncate -s 1G "$work/$mode.img"
    dd if="$work/$mode.bin" of="$work/$mode.img" conv=notrunc status=none
    echo "== $mode, $((sectors / 2048)) MiB"
    "$here/../../strata" run --headless --hda "$work/$mode.img" --boot c --expect "ataperf: done" --timeout 600 \
      --stats --serial none 2>&1 | grep -E "^strata:" || true
  done
done
