#!/usr/bin/env bash
# Builds Strata's Linux guest from Debian 12 packages: the i386 686 (non-PAE) kernel, an initramfs with
# busybox-static:i386, the ATA modules (ata_piix for IDE, ahci for SATA) and an init that starts a shell on the
# console (with the bochs DRM driver for the VGA's frame buffer and psmouse for the PS/2 mouse, each loaded on
# demand from /etc/modules-fb and /etc/modules-mouse), and a bootable SYSLINUX FAT16 hard-disk image holding both.
# Downloads and results are cached outside the repository:
#   $STRATA_CACHE/linux, else ${XDG_CACHE_HOME:-~/.cache}/strata/linux
# A second run with the same packages and the same script does nothing. Prints KEY=VALUE lines on stdout:
#   KERNEL_VERSION, KERNEL, INITRD, DISK (the raw hard-disk image), DIR.
# Needs (as root the first time, to add the i386 architecture): apt-get, dpkg-deb, cpio, gzip, depmod (kmod),
# sfdisk (fdisk), mkfs.vfat (dosfstools), mtools, syslinux, syslinux-common.
set -euo pipefail

script="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cache="${STRATA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/strata}/linux"
debs="$cache/debs"
mkdir -p "$debs"

log() { echo "build.sh: $*" >&2; }
die() { echo "build.sh: $*" >&2; exit 1; }

for tool in apt-get apt-cache dpkg dpkg-deb cpio gzip depmod sfdisk mkfs.vfat mcopy syslinux; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool not found; install it (apt-get install cpio kmod fdisk dosfstools mtools syslinux syslinux-common)"
done
mbr=/usr/lib/syslinux/mbr/mbr.bin
[ -f "$mbr" ] || die "$mbr not found; install syslinux-common"

if ! dpkg --print-foreign-architectures | grep -qx i386; then
  log "adding the i386 architecture (dpkg --add-architecture i386; apt-get update)"
  dpkg --add-architecture i386
  apt-get update -qq
fi

# Debian's archive keeps only the current kernel ABI: follow the 686 metapackage to it.
kpkg=$(apt-cache depends linux-image-686:i386 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-686\)\(:i386\)\?$/\1/p' | head -n1)
if [ -z "$kpkg" ]; then
  apt-get update -qq
  kpkg=$(apt-cache depends linux-image-686:i386 | sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9]*-686\)\(:i386\)\?$/\1/p' | head -n1)
fi
[ -n "$kpkg" ] || die "apt-cache offers no linux-image-6.1.0-*-686 for i386; run apt-get update"
version=${kpkg#linux-image-}
log "kernel package $kpkg (kernel $version)"

fetch() { # fetch PACKAGE:ARCH -> path of the .deb in the cache
  local pkg=$1 name=${1%%:*} found
  found=$(ls "$debs/${name}"_*_i386.deb 2>/dev/null | head -n1 || true)
  if [ -z "$found" ]; then
    log "downloading $pkg"
    (cd "$debs" && apt-get download -qq "$pkg" >&2)
    found=$(ls "$debs/${name}"_*_i386.deb | head -n1)
  fi
  echo "$found"
}
kdeb=$(fetch "$kpkg:i386")
bdeb=$(fetch "busybox-static:i386")

out="$cache/$version"
stamp="$out/.built"
want="$(sha256sum "$script" | cut -c1-64) $(basename "$kdeb") $(basename "$bdeb")"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -f "$out/disk.img" ]; then
  log "up to date in $out"
else
  log "building in $out"
  rm -rf "$out"
  mkdir -p "$out"
  work="$out/work"
  mkdir -p "$work/kernel" "$work/busybox"
  dpkg-deb -x "$kdeb" "$work/kernel"
  dpkg-deb -x "$bdeb" "$work/busybox"
  cp "$work/kernel/boot/vmlinuz-$version" "$out/vmlinuz"

  # Load order of the ATA disk stack from depmod's own modules.dep (dependencies load first, last listed first).
  mods="$work/kernel/lib/modules/$version"
  depmod -b "$work/kernel" "$version"
  order=()
  lists=() # per module, the /etc list that loads it: modules (at boot), modules-fb or modules-mouse (on demand)
  list=modules
  add_module() { # add_module NAME: its dependencies, then itself, each once, in the current list
    local rel deps d
    rel=$(grep -E "(^|/)$1\.ko(\.[a-z]+)?:" "$mods/modules.dep" | head -n1 | cut -d: -f1)
    [ -n "$rel" ] || die "module $1 not found in $kpkg"
    deps=$(grep -E "^$rel:" "$mods/modules.dep" | cut -d: -f2)
    for d in $(echo $deps | tr ' ' '\n' | tac); do
      add_path "$d"
    done
    add_path "$rel"
  }
  add_path() {
    local p
    for p in "${order[@]+"${order[@]}"}"; do [ "$p" = "$1" ] && return 0; done
    order+=("$1")
    lists+=("$list")
  }
  # crc-t10dif (needed by sd_mod) finds its implementation through the crypto API: load the generic one first.
  # ahci (with libahci) drives SATA disks and CD drives on Strata's AHCI controller (strata run --sata); sr_mod
  # and isofs let the guest mount a CD
  for m in scsi_mod libata crct10dif_generic crc-t10dif sd_mod ata_piix libahci ahci sr_mod isofs; do
    add_module "$m"
  done
  # The bochs DRM driver (and its DRM, TTM and fbdev helpers) drives the VGA's DISPI modes and gives /dev/fb0.
  # It is not loaded at boot, so the VGA text console stays as it is: init's list of it is /etc/modules-fb.
  list=modules-fb
  add_module bochs
  # psmouse drives the PS/2 mouse on the 8042's auxiliary port (i8042 and mousedev, with /dev/input/mice and
  # /dev/psaux, are built in). Not loaded at boot either, so the boot's output stays as it is: /etc/modules-mouse.
  list=modules-mouse
  add_module psmouse

  root="$work/initramfs"
  mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,etc,root,tmp,lib/modules}
  cp "$work/busybox/bin/busybox" "$root/bin/busybox"
  for i in "${!order[@]}"; do
    m=${order[$i]}
    case "$m" in
      *.ko) cp "$mods/$m" "$root/lib/modules/" ;;
      *.ko.xz) xz -dc "$mods/$m" > "$root/lib/modules/$(basename "${m%.xz}")" ;;
      *) die "unexpected module file $m" ;;
    esac
    basename "${m%.xz}" >> "$root/etc/${lists[$i]}"
  done
  cat > "$root/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /etc/modules); do
  insmod /lib/modules/$m || echo "init: insmod $m failed"
done
export HOME=/root PS1='strata-linux# ' PATH=/bin:/sbin
cd /root
echo "init: Strata Linux guest ready ($(uname -r))"
exec setsid cttyhack sh
EOF
  chmod 755 "$root/init"
  # The kernel opens /dev/console for init before init can mount devtmpfs: the node must be in the archive.
  mknod -m 600 "$root/dev/console" c 5 1
  (cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 --reproducible) | gzip -9n > "$out/initrd.gz"

  # 32 MiB disk: MBR with SYSLINUX's boot code, one bootable FAT16 (LBA, type 0Eh) partition from 1 MiB.
  img="$out/disk.img.tmp"
  rm -f "$img"
  truncate -s 32M "$img"
  echo 'start=2048, type=e, bootable' | sfdisk -q "$img" >/dev/null
  dd if="$mbr" of="$img" bs=440 count=1 conv=notrunc status=none
  mkfs.vfat -F 16 -n STRATA --offset 2048 -h 2048 "$img" $(( (32 * 1024 - 1024) )) >/dev/null
  # cryptomgr.notests skips the crypto self-tests: their big-number arithmetic (DH/RSA) is 40 % of the boot's
  # instructions and tests nothing of the machine.
  cat > "$work/syslinux.cfg" <<'EOF'
DEFAULT serial
PROMPT 0
TIMEOUT 0
LABEL serial
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0,115200 cryptomgr.notests
LABEL vga
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND cryptomgr.notests
EOF
  export MTOOLS_SKIP_CHECK=1
  mcopy -i "$img@@1M" "$out/vmlinuz" "$out/initrd.gz" "$work/syslinux.cfg" ::/
  syslinux --offset $((2048 * 512)) --install "$img"
  mv "$img" "$out/disk.img"
  echo "$version" > "$out/kernel-version"
  log "built $out (modules in load order: $(tr '\n' ' ' < "$root/etc/modules"); on demand, frame buffer: $(tr '\n' ' ' < "$root/etc/modules-fb"); on demand, mouse: $(tr '\n' ' ' < "$root/etc/modules-mouse"))"
  rm -rf "$work"
  echo "$want" > "$stamp"
fi

echo "KERNEL_VERSION=$version"
echo "KERNEL=$out/vmlinuz"
echo "INITRD=$out/initrd.gz"
echo "DISK=$out/disk.img"
echo "DIR=$out"
