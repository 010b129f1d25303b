; ---------------------------------------------------------------------------------------------------------------
; Strata demo guest: a tiny real-mode program that proves a PC emulator is alive.
;
; The BIOS loads the first sector of the boot disk (512 bytes, ending in 55h AAh) to 0000:7C00h and jumps there
; with DL = the drive it booted from (00h floppy A:, 80h first hard disk). That sector (stage 1) reads the rest of
; this program (stage 2) from the sectors right after it with INT 13h, using the same DL, so the image boots both
; as a floppy and as a hard disk. Stage 2 then uses only BIOS services:
;
;   INT 10h  video: set text mode 3 (clears the screen), move the cursor, write characters
;   INT 12h  conventional memory size in KB
;   INT 15h  AH=88h: extended memory size (above 1 MB) in KB
;   INT 1Ah  AH=00h: timer ticks since midnight (18.2 a second); AH=02h: the RTC time in BCD
;   INT 16h  AH=01h: is a key waiting?  AH=00h: read it
;   INT 14h  AH=00h: initialise COM1; AH=01h: send one character
;
; Everything the program reports is also written to COM1 and to port E9h (the Bochs/QEMU debug port), one line
; each, ending with "Strata demo guest: ready", so a headless test can assert on the serial output. Keys typed
; later are echoed on the screen and sent to COM1 and E9h as well (Backspace as BS, space, BS).
;
; Build: ./build.sh  (nasm -f bin, then padded to a 1.44 MB floppy image)
; ---------------------------------------------------------------------------------------------------------------

        bits 16
        cpu 386                         ; PUSHA/POPA and shifts by an immediate need at least a 186
        org 0x7C00                      ; the BIOS loads us here, so labels are addresses in segment 0

; --- constants -------------------------------------------------------------------------------------------------
SERIAL_PORT     equ 0                   ; INT 14h port number: 0 = COM1
SERIAL_9600_8N1 equ 0xE3                ; INT 14h AH=00h: 111b = 9600 baud, 00b no parity, 0b 1 stop, 11b 8 bits
DEBUG_PORT      equ 0xE9                ; bytes written here appear on the emulator's debug console
TITLE_ATTR      equ 0x1F                ; bright white on blue
TICKS_PER_SEC   equ 18                  ; the timer interrupt runs at about 18.2 Hz

ROW_TITLE       equ 0                   ; screen rows used by the program
ROW_CONV        equ 2
ROW_EXT         equ 3
ROW_TIME        equ 5
ROW_KEYS        equ 7
ROW_SERIAL      equ 9
ROW_HELP        equ 11
VALUE_COL       equ 36                  ; column where every value starts, so they line up
KEY_MAX         equ 40                  ; the key line holds this many characters before it starts over

; ===============================================================================================================
; Stage 1: the boot sector
; ===============================================================================================================
boot:
        jmp 0x0000:start                ; some BIOSes jump to 07C0:0000; a far jump makes CS = 0 to match org

start:
        cli                             ; no interrupts while the stack is being moved
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0x7C00                  ; the stack grows down from just below our code
        sti
        cld                             ; string instructions (LODSB) count upwards
        mov [boot_drive], dl            ; remember the drive the BIOS booted us from

        ; Read stage 2: sectors 2.. of cylinder 0, head 0, to 0000:7E00h, right after this sector.
        ; Reads can fail once while a floppy motor spins up: reset the drive and try again, three times.
        mov si, 3
.read:
        mov ax, 0x0200 | STAGE2_SECTORS ; AH=02h read sectors, AL = how many
        mov bx, stage2                  ; ES:BX = destination
        mov cx, 0x0002                  ; CH = cylinder 0, CL = sector 2 (sectors count from 1)
        xor dh, dh                      ; DH = head 0
        mov dl, [boot_drive]
        int 0x13
        jnc stage2                      ; carry clear: loaded, go on
        xor ax, ax                      ; AH=00h reset the disk system
        mov dl, [boot_drive]
        int 0x13
        dec si
        jnz .read

        mov si, msg_disk_error
        call screen_puts
halt:
        hlt                             ; nothing more to do; HLT waits for an interrupt, then loop back
        jmp halt

; screen_puts: write the zero-terminated string at DS:SI at the cursor (INT 10h AH=0Eh, "teletype").
screen_puts:
        pusha
.next:
        lodsb
        test al, al
        jz .done
        mov ah, 0x0E
        xor bx, bx                      ; BH = page 0
        int 0x10
        jmp .next
.done:
        popa
        ret

boot_drive      db 0
msg_disk_error  db "Strata demo: disk read error", 0

        times 510 - ($ - $$) db 0       ; fill the sector; NASM fails here if stage 1 grows past 510 bytes
        dw 0xAA55                       ; the boot signature: bytes 55h AAh at offsets 510 and 511

; ===============================================================================================================
; Stage 2: loaded by stage 1 to 0000:7E00h
; ===============================================================================================================
stage2:
        mov ax, 0x0003                  ; INT 10h AH=00h set video mode, AL=03h: 80x25 colour text; clears
        int 0x10

        ; The title: paint row 0 blue, then write over it (teletype keeps the attribute already on screen).
        mov dx, ROW_TITLE << 8
        call set_cursor
        mov ax, 0x0920                  ; AH=09h write character and attribute, AL = space
        mov bx, TITLE_ATTR              ; BH = page 0, BL = attribute
        mov cx, 80                      ; CX = how many times
        int 0x10
        mov dx, (ROW_TITLE << 8) | 2
        call set_cursor

        mov ah, 0x00                    ; INT 14h AH=00h: initialise COM1 at 9600 8N1
        mov al, SERIAL_9600_8N1
        mov dx, SERIAL_PORT
        int 0x14

        mov byte [to_serial], 1         ; everything up to the ready line goes to COM1 and E9h too
        mov si, msg_title
        call puts
        call serial_newline

        ; Conventional memory: INT 12h returns the size in KB in AX (usually 639 or 640).
        mov dx, ROW_CONV << 8
        call set_cursor
        mov si, msg_conv
        call puts
        int 0x12
        call print_dec
        mov si, msg_kb
        call puts
        call serial_newline

        ; Extended memory: INT 15h AH=88h returns the KB above 1 MB in AX (at most 65535), carry set if unknown.
        mov dx, ROW_EXT << 8
        call set_cursor
        mov si, msg_ext
        call puts
        mov ah, 0x88
        clc                             ; some BIOSes leave carry alone on success
        int 0x15
        jc .no_ext
        call print_dec
        mov si, msg_kb
        call puts
        jmp .ext_done
.no_ext:
        mov si, msg_unknown
        call puts
.ext_done:
        call serial_newline

        mov dx, ROW_TIME << 8
        call set_cursor
        mov si, msg_time
        call puts
        call show_time
        call serial_newline
        mov byte [to_serial], 0         ; the labels below are for the screen only

        mov dx, ROW_KEYS << 8
        call set_cursor
        mov si, msg_keys
        call puts

        mov dx, ROW_HELP << 8
        call set_cursor
        mov si, msg_help
        call puts

        ; The ready line: on screen after its label, and as the last line of the report on COM1 and E9h.
        mov dx, ROW_SERIAL << 8
        call set_cursor
        mov si, msg_serial
        call puts
        mov byte [to_serial], 1
        mov si, msg_ready
        call puts
        call serial_newline
        mov byte [to_serial], 0

        xor ah, ah                      ; start the one-second clock from now
        int 0x1A
        mov [last_tick], dx
        call park_cursor

; The main loop: refresh the time once a second, echo keys, and sleep (HLT) until the next interrupt.
main_loop:
        xor ah, ah                      ; INT 1Ah AH=00h: CX:DX = ticks since midnight
        int 0x1A
        mov ax, dx
        sub ax, [last_tick]             ; ticks since the last refresh (wraps correctly at midnight too)
        cmp ax, TICKS_PER_SEC
        jb .keys
        mov [last_tick], dx
        call show_time
        call park_cursor
.keys:
        mov ah, 0x01                    ; INT 16h AH=01h: ZF clear if a key is waiting (it stays queued)
        int 0x16
        jz .idle
        xor ah, ah                      ; INT 16h AH=00h: take it: AL = ASCII, AH = scan code
        int 0x16
        call handle_key
        jmp main_loop
.idle:
        hlt                             ; the timer (18.2 Hz) or the keyboard wakes us up
        jmp main_loop

; handle_key: echo the key in AL on the key line and to COM1 and E9h. Enter starts the line over, Backspace
; erases the last character, other control and extended keys (AL = 0 or E0h) are ignored.
handle_key:
        pusha
        cmp al, 0x0D
        je .enter
        cmp al, 0x08
        je .backspace
        cmp al, ' '
        jb .done
        cmp al, '~'
        ja .done
        cmp byte [key_len], KEY_MAX
        jb .echo
        call clear_keys                 ; the line is full: start it over
.echo:
        call park_cursor
        mov ah, 0x0E                    ; teletype writes the character and moves the cursor on
        xor bx, bx
        int 0x10
        inc byte [key_len]
        call serial_out
        jmp .done
.backspace:
        cmp byte [key_len], 0
        je .done
        dec byte [key_len]
        call park_cursor
        mov ax, 0x0A20                  ; AH=0Ah write a space at the cursor without moving it
        xor bx, bx
        mov cx, 1
        int 0x10
        mov al, 0x08                    ; a terminal on COM1 erases with backspace, space, backspace
        call serial_out
        mov al, ' '
        call serial_out
        mov al, 0x08
        call serial_out
        jmp .done
.enter:
        call clear_keys
        call serial_newline
.done:
        popa
        ret

; clear_keys: blank the key line and put the cursor at its start.
clear_keys:
        pusha
        mov byte [key_len], 0
        call park_cursor
        mov ax, 0x0A20
        xor bx, bx
        mov cx, KEY_MAX
        int 0x10
        popa
        ret

; park_cursor: put the cursor where the next typed key goes.
park_cursor:
        pusha
        mov dh, ROW_KEYS
        mov dl, VALUE_COL
        add dl, [key_len]
        call set_cursor
        popa
        ret

; show_time: write the RTC time (INT 1Ah AH=02h: CH hours, CL minutes, DH seconds, all BCD) on the time row.
show_time:
        pusha
        mov dx, (ROW_TIME << 8) | VALUE_COL
        call set_cursor
        mov ah, 0x02
        clc
        int 0x1A
        jc .no_rtc                      ; carry set: the clock is not running
        mov al, ch
        call print_bcd
        mov al, ':'
        call putc
        mov al, cl
        call print_bcd
        mov al, ':'
        call putc
        mov al, dh
        call print_bcd
        popa
        ret
.no_rtc:
        mov si, msg_no_rtc
        call puts
        popa
        ret

; set_cursor: move the cursor to row DH, column DL (INT 10h AH=02h, page 0).
set_cursor:
        pusha
        mov ah, 0x02
        xor bh, bh
        int 0x10
        popa
        ret

; puts: write the zero-terminated string at DS:SI with putc.
puts:
        pusha
.next:
        lodsb
        test al, al
        jz .done
        call putc
        jmp .next
.done:
        popa
        ret

; putc: write AL on the screen at the cursor; also to COM1 and E9h while [to_serial] is 1.
putc:
        pusha
        mov ah, 0x0E
        xor bx, bx
        int 0x10
        popa
        cmp byte [to_serial], 0
        je .done
        call serial_out
.done:
        ret

; serial_out: send AL to COM1 (INT 14h AH=01h) and to the debug port E9h.
serial_out:
        pusha
        out DEBUG_PORT, al
        mov ah, 0x01
        mov dx, SERIAL_PORT
        int 0x14                        ; AH bit 7 set on timeout (no COM1): nothing to do about it
        popa
        ret

; serial_newline: end a line on COM1 and E9h (CR LF); the screen is positioned with set_cursor instead.
serial_newline:
        push ax
        mov al, 0x0D
        call serial_out
        mov al, 0x0A
        call serial_out
        pop ax
        ret

; print_dec: write AX as an unsigned decimal number. Divide by 10 until nothing is left, pushing the
; remainders (the digits, last one first), then pop them back in reading order.
print_dec:
        pusha
        mov bx, 10
        xor cx, cx                      ; CX counts the digits
.divide:
        xor dx, dx                      ; DX:AX / 10 -> AX quotient, DX remainder
        div bx
        push dx
        inc cx
        test ax, ax
        jnz .divide
.print:
        pop ax
        add al, '0'
        call putc
        loop .print
        popa
        ret

; print_bcd: write the packed BCD byte in AL as two digits (the high nibble is the tens).
print_bcd:
        pusha
        mov ah, al
        shr al, 4
        add al, '0'
        call putc
        mov al, ah
        and al, 0x0F
        add al, '0'
        call putc
        popa
        ret

; --- data ------------------------------------------------------------------------------------------------------
to_serial       db 0                    ; 1 while putc copies output to COM1 and E9h
key_len         db 0                    ; characters on the key line
last_tick       dw 0                    ; low word of the tick count at the last time refresh

msg_title       db "Strata demo guest", 0
msg_conv        db "Conventional memory (INT 12h):      ", 0
msg_ext         db "Extended memory (INT 15h AH=88h):   ", 0
msg_time        db "Time (INT 1Ah AH=02h, RTC):         ", 0
msg_keys        db "Keys (INT 16h):                     ", 0
msg_serial      db "Sent to COM1 and port E9h:          ", 0
msg_help        db "Type to echo keys here and on COM1; Enter starts the line over.", 0
msg_ready       db "Strata demo guest: ready", 0
msg_kb          db " KB", 0
msg_unknown     db "unknown", 0
msg_no_rtc      db "--:--:-- (RTC not running)", 0

        times (512 - ($ - stage2) % 512) % 512 db 0   ; stage 2 fills whole sectors
stage2_end:
STAGE2_SECTORS  equ (stage2_end - stage2) / 512
