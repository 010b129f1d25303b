; ---------------------------------------------------------------------------------------------------------------
; VGA drawing test guest: a boot sector that draws in mode 12h (640x480, 16 colours) and mode 13h (320x200, 256
; colours), each time a 64x48 corner through INT 10h AH=0Ch and a 64x48 block at line 100 straight through the
; hardware (mode 12h: write mode 2 with the bit mask and the latches; mode 13h: bytes at A000h), then reads every
; dot of both back with INT 10h AH=0Dh. After each mode it writes "12h ok" / "13h ok" (or "bad") and a newline to
; the debug port E9h, with the picture still on the screen; then "done" and it halts.
;
; The colour of dot x,y: mode 12h ((x >> 2) + (y >> 2)) & 15, mode 13h (2x + 3y) & 255.
; Build: nasm -f bin -o vgadraw.bin vgadraw.asm (VgaDrawGuestTest assembles it and boots it from a floppy).
; With -DDOS it is a DOS program instead (FreeDosVgaTest runs VGADRAW.COM under FreeDOS): it starts at 100h in the
; segment DOS gives it and, after "done", goes back to text mode 3 and exits to DOS.
; ---------------------------------------------------------------------------------------------------------------
bits 16
%ifdef DOS
org 0x100

start:
%else
org 0x7C00

start:
    cli
    xor ax, ax
    mov ds, ax
    mov ss, ax
    mov sp, 0x7C00
    sti
%endif

    ; ---- mode 12h
    mov ax, 0x0012
    int 0x10
    mov bp, pat12
    call bios_draw
    mov dx, 0x3CE
    mov ax, 0x0205              ; write mode 2: the CPU byte is a colour, the bit mask picks the dot
    out dx, ax
    mov ax, 0xA000
    mov es, ax
    mov bx, 100                 ; y
.row12:
    xor si, si                  ; x
.col12:
    mov cx, si
    and cl, 7
    mov ah, 0x80
    shr ah, cl
    mov al, 8
    mov dx, 0x3CE
    out dx, ax                  ; bit mask: the one dot
    mov cx, si
    mov dx, bx
    call bp
    imul di, bx, 80
    mov cx, si
    shr cx, 3
    add di, cx
    mov ah, [es:di]             ; load the latches: the byte's other dots stay
    mov [es:di], al
    inc si
    cmp si, 64
    jb .col12
    inc bx
    cmp bx, 148
    jb .row12
    mov dx, 0x3CE
    mov ax, 0x0005
    out dx, ax
    mov ax, 0xFF08
    out dx, ax
    call check
    mov si, msg12
    call report

    ; ---- mode 13h
    mov ax, 0x0013
    int 0x10
    mov bp, pat13
    call bios_draw
    mov ax, 0xA000
    mov es, ax
    mov dx, 100
.row13:
    xor cx, cx
    imul di, dx, 320
.col13:
    call bp
    stosb
    inc cx
    cmp cx, 64
    jb .col13
    inc dx
    cmp dx, 148
    jb .row13
    call check
    mov si, msg13
    call report

    mov si, msgdone
    call print
%ifdef DOS
    mov ax, 0x0003
    int 0x10
    mov ax, 0x4C00
    int 0x21
%else
    cli
    hlt
%endif

; AL = colour of dot CX,DX (keeps CX, DX)
pat12:
    push dx
    mov ax, dx
    shr ax, 2
    mov dx, cx
    shr dx, 2
    add ax, dx
    and al, 15
    pop dx
    ret

pat13:
    mov ax, dx
    add ax, dx
    add ax, dx
    add ax, cx
    add ax, cx
    ret

; the 64x48 corner through INT 10h AH=0Ch
bios_draw:
    xor dx, dx
.y:
    xor cx, cx
.x:
    call bp
    mov ah, 0x0C
    xor bx, bx
    int 0x10
    inc cx
    cmp cx, 64
    jb .x
    inc dx
    cmp dx, 48
    jb .y
    ret

; reads both blocks back with INT 10h AH=0Dh; [bad] = 1 on any difference
check:
    mov byte [bad], 0
    xor dx, dx
.y:
    xor cx, cx
.x:
    call bp
    push ax
    mov ax, 0x0D00
    xor bx, bx
    int 0x10
    pop bx
    cmp al, bl
    je .same
    mov byte [bad], 1
.same:
    inc cx
    cmp cx, 64
    jb .x
    inc dx
    cmp dx, 48
    jne .next
    mov dx, 100
.next:
    cmp dx, 148
    jb .y
    ret

; prints the mode name at SI, then " ok" or " bad" and a newline
report:
    call print
    mov si, msgok
    cmp byte [bad], 0
    je .print
    mov si, msgbad
.print:
    jmp print

print:
    lodsb
    or al, al
    jz .end
    out 0xE9, al
    jmp print
.end:
    ret

bad     db 0
msg12   db "12h", 0
msg13   db "13h", 0
msgok   db " ok", 10, 0
msgbad  db " bad", 10, 0
msgdone db "done", 10, 0

%ifndef DOS
times 510 - ($ - $$) db 0
dw 0xAA55
%endif
