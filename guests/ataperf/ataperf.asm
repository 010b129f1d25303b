; ---------------------------------------------------------------------------------------------------------------
; Strata ATA throughput probe: a boot-sector program that reads the first TOTAL sectors of the disk it booted from
; through the primary master's ATA ports, either by PIO (READ SECTORS, 256 sectors a command, REP INSW) or by
; bus-master DMA (READ DMA, 64 KiB a command through one PRD entry; BAR4 is set to C000h over PCI 00:01.1), then
; writes "ataperf: done" to port E9h. Run it with `strata run --headless --hda disk --expect done --stats` and
; divide the bytes read by the host time. Build: nasm -f bin -D MODE_DMA ataperf.asm (omit for PIO).
; ---------------------------------------------------------------------------------------------------------------
        bits 16
        cpu 386
        org 0x7C00

%ifndef TOTAL
%define TOTAL 262144                   ; sectors to read (default 128 MiB); -D TOTAL=n to change
%endif
BM      equ 0xC000                      ; where we put the bus-master window (BAR4)
PRD     equ 0x0500                      ; physical address of the one-entry PRD table
BUFSEG  equ 0x1000                      ; 64 KiB buffer at 10000h

start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        mov ax, BUFSEG
        mov es, ax
        cld
        mov dx, 0x3F6
        mov al, 0x02                    ; nIEN: no interrupts, we poll
        out dx, al
        xor ebp, ebp                    ; next LBA
%ifdef MODE_DMA
        mov dx, 0xCF8
        mov eax, 0x80000920             ; bus 0, device 1, function 1, BAR4
        out dx, eax
        mov dx, 0xCFC
        mov eax, BM
        out dx, eax
        mov dx, 0xCF8
        mov eax, 0x80000904             ; command register
        out dx, eax
        mov dx, 0xCFC
        in ax, dx
        or ax, 0x0005                   ; I/O space and bus master
        out dx, ax
        mov dword [PRD], BUFSEG * 16
        mov dword [PRD + 4], 0x80000000 ; byte count 0 = 64 KiB, end of table
.next:
        mov dx, BM
        xor al, al
        out dx, al                      ; stop
        mov dx, BM + 2
        mov al, 0x06
        out dx, al                      ; clear error and interrupt
        mov dx, BM + 4
        mov eax, PRD
        out dx, eax
        mov bl, 128                     ; 64 KiB
        mov bh, 0xC8                    ; READ DMA
        call issue
        mov dx, BM
        mov al, 0x09                    ; start, bus master writes memory
        out dx, al
        mov dx, BM + 2
.poll:
        in al, dx
        test al, 0x01
        jnz .poll
        mov dx, BM
        xor al, al
        out dx, al
        add ebp, 128
%else
.next:
        xor bl, bl                      ; 0 = 256 sectors
        mov bh, 0x20                    ; READ SECTORS
        call issue
        mov si, 256
.sector:
        mov dx, 0x1F7
.drq:
        in al, dx
        test al, 0x08
        jz .drq
        mov dx, 0x1F0
        xor di, di
        mov cx, 256
        rep insw
        dec si
        jnz .sector
        add ebp, 256
%endif
        mov dx, 0x1F7
        in al, dx                       ; status read: acknowledges the command
        cmp ebp, TOTAL
        jb .next
        mov si, done
        mov dx, 0xE9
.print:
        lodsb
        test al, al
        jz .halt
        out dx, al
        jmp .print
.halt:
        hlt
        jmp .halt

; issue: command BH for BL sectors at LBA EBP on the primary master (LBA28)
issue:
        mov dx, 0x1F7
.busy:
        in al, dx
        test al, 0x80
        jnz .busy
        mov eax, ebp
        shr eax, 24
        or al, 0xE0
        mov dx, 0x1F6
        out dx, al
        mov dx, 0x1F2
        mov al, bl
        out dx, al
        mov eax, ebp
        mov dx, 0x1F3
        out dx, al
        shr eax, 8
        inc dx
        out dx, al
        shr eax, 8
        inc dx
        out dx, al
        mov dx, 0x1F7
        mov al, bh
        out dx, al
        ret

done    db "ataperf: done", 10, 0

        times 510 - ($ - $$) db 0
        dw 0xAA55
