; ---------------------------------------------------------------------------------------------------------------
; x87 differential test guest.
;
; Boots from a floppy through any PC BIOS (Strata's, or SeaBIOS on QEMU), then runs tens of thousands of x87
; operations on operands drawn from a seeded xorshift32 generator (so every run prints the same text) and from
; tables of edge cases: signed zeros, infinities, quiet and signalling NaNs, the real indefinite, denormals,
; pseudo-denormals, unnormals, pseudo-NaNs and pseudo-infinities (as m80 loads), the smallest and largest normals,
; values on rounding boundaries of each precision, integers at the int16/int32/int64 limits, and packed BCD.
;
; Every test writes one line to the debug port E9h:
;
;   NNNNNN OPNAME c=CW [e=EFLAGS-IN] a=INPUT [b=INPUT] [m=STORED-BYTES] [r=ST0,ST1,...] s=STATUS [f=EFLAGS]
;
; Numbers are hex, memory operands are printed most significant byte first (an m80 as 20 digits: sign+exponent
; then the 64-bit significand). r= lists the whole register stack after the operation, ST0 first (found with
; FXAM, stored with FSTP m80, which copies bits unchanged). The last line is "checksum XXXXXXXX x87 differential
; done", a rotate-and-add sum of every byte written before it.
;
; The status word is printed ANDed with a mask per operation that clears the condition-code bits the Intel SDM
; (Vol. 2, each instruction's "FPU Flags Affected") calls undefined; see MASK_* below. Where QEMU 7.2, which
; produces the expected output, does not follow the SDM, the difference is kept out of the output and the reason
; is written beside it: DE and the "rounded up" C1 (SW_DE, SW_C1), precision control for some operations
; (cw_pc53, cw_pc64), FPREM1's quotient bits, FCOM's codes with IE unmasked, the transcendentals' operands and
; flags (gen80_trig, gen80_y, MASK_TRIG), unmasked DE/OE/UE (cw_unmasked). Real-mode FNSTENV/FNSAVE images are
; printed without their pointer fields (FPU IP, CS, opcode, data pointer): QEMU writes the protected-mode layout
; in every mode and no opcode, where the SDM (Vol. 1, 8.1.10 and Figures 8-9..8-12) gives real mode its own
; layout; in protected mode FIP and FCS are printed (FNSTENV.pm). Stack faults (.ovf/.unf) are not modelled by
; QEMU at all: their expected lines come from expected-by-sdm.txt.
;
; On QEMU the program ends by writing to port F4h (isa-debug-exit) so QEMU quits; elsewhere it halts.
;
; Build: ./build.sh (nasm -f bin, padded to a 1.44 MB floppy). Regenerate the expected output on QEMU:
; ./regenerate-expected.sh
; ---------------------------------------------------------------------------------------------------------------

        cpu 686
        bits 16

PROG_SEG        equ 0x1000              ; stage 2 runs at 1000:0000 (linear 10000h)
DEBUG_PORT      equ 0xE9
EXIT_PORT       equ 0xF4                ; QEMU's isa-debug-exit; Strata ignores it
SEED            equ 0x2545F491

; ===============================================================================================================
; Stage 1: the boot sector. Reads stage 2 one sector at a time (any BIOS can do that) to 1000:0000.
; ===============================================================================================================
        section boot start=0 vstart=0x7C00
boot:
        jmp 0x0000:.start
.start:
        cli
        xor ax, ax
        mov ds, ax
        mov ss, ax
        mov sp, 0x7C00
        sti
        cld
        mov [boot_drive], dl
        mov ax, PROG_SEG
        mov es, ax
        mov si, 1                       ; LBA of the first stage-2 sector
.next:
        cmp si, PROG_SECTORS + 1
        jae .loaded
        mov di, 4                       ; tries per sector (a floppy motor may need to spin up)
.try:
        mov ax, si
        xor dx, dx
        mov cx, 18                      ; 1.44 MB floppy: 18 sectors a track, 2 heads
        div cx
        mov cl, dl
        inc cl                          ; CL = sector (from 1)
        mov dh, al
        and dh, 1                       ; DH = head
        shr ax, 1
        mov ch, al                      ; CH = cylinder
        mov dl, [boot_drive]
        xor bx, bx
        mov ax, 0x0201
        int 0x13
        jnc .ok
        xor ax, ax
        mov dl, [boot_drive]
        int 0x13
        dec di
        jnz .try
        mov al, '!'                     ; disk error: say so on the debug port and stop
        out DEBUG_PORT, al
.dead:  hlt
        jmp .dead
.ok:
        mov ax, es
        add ax, 0x20                    ; next 512 bytes
        mov es, ax
        inc si
        jmp .next
.loaded:
        jmp PROG_SEG:0

boot_drive: db 0
        times 510 - ($ - $$) db 0
        dw 0xAA55

; ===============================================================================================================
; Stage 2
; ===============================================================================================================
        section prog start=512 vstart=0 align=16
prog_start:
        cli                             ; nothing here needs interrupts; no IRQ can land between two lines
        mov ax, cs
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 0xFFF0
        cld
        mov dword [seed], SEED
        mov dword [csum], 0
        mov dword [testno], 0
        fninit

        mov si, op_table
.op:
        cmp byte [si], 0
        je .finished
        mov [cur_op], si
        mov cx, [si + OP_COUNT]
        mov word [t_in_op], 0
.test:
        push cx
        call run_test
        pop cx
        inc word [t_in_op]
        mov si, [cur_op]
        loop .test
        add si, OP_SIZE
        jmp .op

.finished:
        fninit
        mov si, s_checksum
        call puts
        mov eax, [csum]
        call phex32
        mov si, s_done
        call puts
        mov al, 0                       ; QEMU: isa-debug-exit ends the emulator
        out EXIT_PORT, al
.halt:  hlt
        jmp .halt

; --- the operation table ---------------------------------------------------------------------------------------
; name (inline), routine, count, status-word mask, flags
OP_NAMELEN      equ 12                  ; the name, zero-padded
OP_ROUTINE      equ 12
OP_COUNT        equ 14
OP_SWMASK       equ 16
OP_FLAGS        equ 18
OP_SIZE         equ 20

F_EFLAGS        equ 1                   ; print EFLAGS after the operation (FCOMI family)
F_UNMASKED      equ 2                   ; control words with unmasked exceptions; print only the status word
F_PC53          equ 4                   ; only precision control 53 and 64 (QEMU 7.2 rounds the operand to PC)
F_PC64          equ 8                   ; only precision control 64 (QEMU 7.2 applies PC where the SDM does not)

; Status-word masks. Bits: B 15, C3 14, TOP 13-11, C2 10, C1 9, C0 8, ES 7, SF 6, PE 5, UE 4, OE 3, ZE 2, DE 1, IE 0.
SW_DE           equ 0x0002
SW_PE           equ 0x0020
SW_SF           equ 0x0040
SW_C1           equ 0x0200
; Two bits are left out of every printed status word because the reference, QEMU 7.2, does not model them:
; - DE (denormal operand, SDM Vol. 1 8.5.2): QEMU's softfloat reports input denormals only when it flushes them,
;   which x86 never asks for, so QEMU never sets DE.
; - C1 after an inexact result (SW_PE set, no stack fault): the SDM (Vol. 1 8.1.3.1 and each instruction's "FPU
;   Flags Affected") says C1 = 1 when the result was rounded up; QEMU leaves C1 clear. C1 is kept everywhere else
;   (compares, FXAM sign, FPREM quotient bit, stack-fault direction, exact results).
MASK_ALL        equ 0xFFFF              ; FCOM/FUCOM/FTST/FXAM/FPREM/FPREM1/FCOMI: every bit is defined
MASK_ARITH      equ 0xBAFF              ; C0, C2, C3 undefined (SDM Vol. 2: FADD, FSUB, FMUL, FDIV, FSQRT, FSCALE,
                                        ; FXTRACT, FRNDINT, FLD, FST, FIST, FBSTP, FBLD, FILD, F2XM1, FYL2X, FYL2XP1,
                                        ; FPATAN, FCHS, FABS, FLD1.., FCMOVcc: "C0, C2, C3 Undefined")
                                        ; FCOM with IE unmasked: the SDM (Vol. 2 FCOM, Operation) sets C3/C2/C0 to
                                        ; "unordered" only when IM = 1; QEMU sets them anyway, so FCOM! uses this mask
MASK_TRIG       equ 0xBCDF              ; FSIN, FCOS, FSINCOS, FPTAN: C2 defined (out of range), C0 and C3 undefined;
                                        ; PE and C1 (rounded up) left out: QEMU 7.2 computes these four with the
                                        ; host's double-precision libm and reports no exception flags for them
MASK_ENV        equ 0xB8FF
MASK_PREM1      equ 0xBCFF              ; FPREM1: C0, C3, C1 hold quotient bits 2, 1, 0 (SDM Vol. 2 FPREM1), but
                                        ; QEMU 7.2 leaves them clear; only C2 (incomplete) is compared              ; after FFREE/FINCSTP sequences: C0-C3 undefined (SDM Vol. 2: FFREE)

%macro OP 5
%%name: db %1
%if $ - %%name >= OP_NAMELEN
        %error "operation name too long (at most 11 characters)"
%endif
        times OP_NAMELEN - ($ - %%name) db 0
        dw %2, %3, %4, %5
%endmacro

; Counts are multiples of 12 so every operation meets each of the 12 masked control words equally often.
op_table:
        ; register arithmetic (ST0 = a, ST1 = b)
        OP "FADD",      r_fadd,    2400, MASK_ARITH, 0
        OP "FSUB",      r_fsub,    1800, MASK_ARITH, 0
        OP "FSUBR",     r_fsubr,    600, MASK_ARITH, 0
        OP "FMUL",      r_fmul,    2400, MASK_ARITH, 0
        OP "FDIV",      r_fdiv,    2400, MASK_ARITH, 0
        OP "FDIVR",     r_fdivr,    600, MASK_ARITH, 0
        OP "FADDP",     r_faddp,    240, MASK_ARITH, 0
        OP "FSUBP",     r_fsubp,    240, MASK_ARITH, 0
        OP "FSUBRP",    r_fsubrp,   240, MASK_ARITH, 0
        OP "FMULP",     r_fmulp,    240, MASK_ARITH, 0
        OP "FDIVP",     r_fdivp,    240, MASK_ARITH, 0
        OP "FDIVRP",    r_fdivrp,   240, MASK_ARITH, 0
        ; memory operands
        OP "FADD.m32",  r_fadd32,   480, MASK_ARITH, 0
        OP "FSUB.m32",  r_fsub32,   360, MASK_ARITH, 0
        OP "FMUL.m32",  r_fmul32,   480, MASK_ARITH, 0
        OP "FDIVR.m32", r_fdivr32,  480, MASK_ARITH, 0
        OP "FADD.m64",  r_fadd64,   480, MASK_ARITH, F_PC53
        OP "FSUBR.m64", r_fsubr64,  360, MASK_ARITH, F_PC53
        OP "FMUL.m64",  r_fmul64,   480, MASK_ARITH, F_PC53
        OP "FDIV.m64",  r_fdiv64,   480, MASK_ARITH, F_PC53
        OP "FIADD.m16", r_fiadd16,  240, MASK_ARITH, 0
        OP "FISUB.m32", r_fisub32,  240, MASK_ARITH, F_PC53
        OP "FIMUL.m16", r_fimul16,  240, MASK_ARITH, 0
        OP "FIDIV.m32", r_fidiv32,  240, MASK_ARITH, F_PC53
        OP "FIDIVR.m16", r_fidivr16, 240, MASK_ARITH, 0
        ; compares
        OP "FCOM",      r_fcom,     600, MASK_ALL, 0
        OP "FCOMP",     r_fcomp,    240, MASK_ALL, 0
        OP "FCOMPP",    r_fcompp,   240, MASK_ALL, 0
        OP "FUCOM",     r_fucom,    600, MASK_ALL, 0
        OP "FUCOMPP",   r_fucompp,  240, MASK_ALL, 0
        OP "FCOM.m32",  r_fcom32,   360, MASK_ALL, 0
        OP "FCOMP.m64", r_fcomp64,  360, MASK_ALL, F_PC53
        OP "FICOM.m16", r_ficom16,  240, MASK_ALL, 0
        OP "FICOMP.m32", r_ficomp32, 240, MASK_ALL, F_PC53
        OP "FTST",      r_ftst,     360, MASK_ALL, 0
        OP "FXAM",      r_fxam,     600, MASK_ALL, 0
        OP "FCOMI",     r_fcomi,    720, MASK_ALL, F_EFLAGS
        OP "FCOMIP",    r_fcomip,   240, MASK_ALL, F_EFLAGS
        OP "FUCOMI",    r_fucomi,   720, MASK_ALL, F_EFLAGS
        OP "FUCOMIP",   r_fucomip,  240, MASK_ALL, F_EFLAGS
        OP "FCMOVB",    r_fcmovb,   120, MASK_ARITH, 0
        OP "FCMOVE",    r_fcmove,   120, MASK_ARITH, 0
        OP "FCMOVBE",   r_fcmovbe,  120, MASK_ARITH, 0
        OP "FCMOVU",    r_fcmovu,   120, MASK_ARITH, 0
        OP "FCMOVNB",   r_fcmovnb,  120, MASK_ARITH, 0
        OP "FCMOVNE",   r_fcmovne,  120, MASK_ARITH, 0
        OP "FCMOVNBE",  r_fcmovnbe, 120, MASK_ARITH, 0
        OP "FCMOVNU",   r_fcmovnu,  120, MASK_ARITH, 0
        ; one-operand arithmetic
        OP "FCHS",      r_fchs,     240, MASK_ARITH, 0
        OP "FABS",      r_fabs,     240, MASK_ARITH, 0
        OP "FSQRT",     r_fsqrt,   1800, MASK_ARITH, 0
        OP "FRNDINT",   r_frndint, 1200, MASK_ARITH, F_PC64
        OP "FXTRACT",   r_fxtract,  960, MASK_ARITH, 0
        OP "FSCALE",    r_fscale,  1440, MASK_ARITH, 0
        OP "FPREM",     r_fprem,   1200, MASK_ALL, F_PC64
        OP "FPREM1",    r_fprem1,  1200, MASK_PREM1, F_PC64
        ; transcendental
        OP "F2XM1",     r_f2xm1,    960, MASK_ARITH, 0
        OP "FYL2X",     r_fyl2x,   1080, MASK_ARITH, 0
        OP "FYL2XP1",   r_fyl2xp1,  960, MASK_ARITH, 0
        OP "FPATAN",    r_fpatan,  1080, MASK_ARITH, 0
        OP "FSIN",      r_fsin,     600, MASK_TRIG, F_PC53
        OP "FCOS",      r_fcos,     600, MASK_TRIG, F_PC53
        OP "FSINCOS",   r_fsincos,  600, MASK_TRIG, F_PC53
        OP "FPTAN",     r_fptan,    600, MASK_TRIG, F_PC53
        ; loads
        OP "FLD.m32",   r_fld32,    960, MASK_ARITH, 0
        OP "FLD.m64",   r_fld64,    960, MASK_ARITH, F_PC53
        OP "FLD.m80",   r_fld80,    240, MASK_ARITH, 0
        OP "FILD.m16",  r_fild16,   240, MASK_ARITH, 0
        OP "FILD.m32",  r_fild32,   360, MASK_ARITH, 0
        OP "FILD.m64",  r_fild64,   480, MASK_ARITH, 0
        OP "FBLD",      r_fbld,     480, MASK_ARITH, F_PC64
        OP "FLD1",      r_fld1,      12, MASK_ARITH, 0
        OP "FLDZ",      r_fldz,      12, MASK_ARITH, 0
        OP "FLDPI",     r_fldpi,     12, MASK_ARITH, 0
        OP "FLDL2T",    r_fldl2t,    12, MASK_ARITH, 0
        OP "FLDL2E",    r_fldl2e,    12, MASK_ARITH, 0
        OP "FLDLG2",    r_fldlg2,    12, MASK_ARITH, 0
        OP "FLDLN2",    r_fldln2,    12, MASK_ARITH, 0
        ; stores
        OP "FST.m32",   r_fst32,   1800, MASK_ARITH, 0
        OP "FSTP.m64",  r_fstp64,  1800, MASK_ARITH, 0
        OP "FSTP.m80",  r_fstp80,   240, MASK_ARITH, 0
        OP "FIST.m16",  r_fist16,  1200, MASK_ARITH, 0
        OP "FISTP.m32", r_fistp32, 1200, MASK_ARITH, 0
        OP "FISTP.m64", r_fistp64, 1200, MASK_ARITH, 0
        OP "FBSTP",     r_fbstp,   1440, MASK_ARITH, 0
        ; environment and state images (16- and 32-bit real-mode forms)
        OP "FNSTENV.16", r_fnstenv16, 240, MASK_ENV, 0
        OP "FNSTENV.32", r_fnstenv32, 240, MASK_ENV, 0
        OP "FNSAVE.16", r_fnsave16,  240, MASK_ENV, 0
        OP "FNSAVE.32", r_fnsave32,  240, MASK_ENV, 0
        OP "FNSTENV.pm", r_fnstenv_pm, 240, MASK_ENV, 0
        ; unmasked exceptions: only the status word (ES and B set, no interrupt taken: FNSTSW then FNCLEX)
        OP "FADD!",     r_fadd,     480, MASK_ARITH, F_UNMASKED
        OP "FMUL!",     r_fmul,     480, MASK_ARITH, F_UNMASKED
        OP "FDIV!",     r_fdiv,     480, MASK_ARITH, F_UNMASKED
        OP "FSQRT!",    r_fsqrt,    320, MASK_ARITH, F_UNMASKED
        OP "FCOM!",     r_fcom,     320, MASK_ARITH, F_UNMASKED  ; (see MASK_ARITH's note on FCOM!)
        OP "FST.m32!",  r_fst32u,   320, MASK_ARITH, F_UNMASKED
        OP "FIST.m16!", r_fist16u,  320, MASK_ARITH, F_UNMASKED
        ; stack faults (masked, names ending .ovf/.unf): QEMU 7.2 has no stack-fault detection, so
        ; regenerate-expected.sh takes these lines' expected text from expected-by-sdm.txt, written from the SDM; they come last so the numbers of
        ; the lines before them do not depend on them
        OP "FLD.ovf",     r_sf_fld_ovf,  4, MASK_ARITH, F_PC64
        OP "FADD.unf",    r_sf_fadd,     4, MASK_ARITH, F_PC64
        OP "FADDP.unf",    r_sf_faddp,   4, MASK_ARITH, F_PC64
        OP "FSTP.unf",    r_sf_fstp80,   4, MASK_ARITH, F_PC64
        OP "FISTP.unf",    r_sf_fistp32, 4, MASK_ARITH, F_PC64
        OP "FST.unf",     r_sf_fst32,    4, MASK_ARITH, F_PC64
        OP "FXCH.unf",    r_sf_fxch,     4, MASK_ARITH, F_PC64
        OP "FCOM.unf",    r_sf_fcom,     4, MASK_ALL, F_PC64
        OP "FCOMI.unf",    r_sf_fcomi,   4, MASK_ALL, F_PC64 | F_EFLAGS
        OP "FLDST.unf",    r_sf_fldst,   4, MASK_ARITH, F_PC64
        OP "FSQRT.unf",    r_sf_fsqrt,   4, MASK_ARITH, F_PC64
        db 0

; Masked control words: the four rounding modes x precision control 24, 53 and 64 bits, all exceptions masked.
; Bit 6 is reserved and set as FNINIT sets it.
cw_masked:
%assign rc 0
%rep 4
        dw 0x007F | (0 << 8) | (rc << 10)
        dw 0x007F | (2 << 8) | (rc << 10)
        dw 0x007F | (3 << 8) | (rc << 10)
%assign rc rc + 1
%endrep
; Unmasked: invalid and zero-divide unmasked (precision too in half of them), every rounding mode, precision 64
; and 53. Denormal, overflow and underflow stay masked: their unmasked responses (no operation, a result with a
; biased exponent, UE for exact tiny results) are not modelled by QEMU.
cw_unmasked:
        dw 0x037A, 0x077A, 0x0B7A, 0x0F7A, 0x025A, 0x065A, 0x0A5A, 0x0E5A
; Precision 53 and 64 only, and 64 only: QEMU 7.2 rounds to the precision control where the SDM (Vol. 1 8.1.5.2:
; PC affects only FADD, FSUB(R), FMUL, FDIV(R) and FSQRT) says it must not: when it converts m64 and int32
; memory operands and BCD, in FRNDINT, in FPREM/FPREM1's partial remainder, and in the double-precision results
; of FSIN/FCOS/FSINCOS/FPTAN. Those operations run only with control words where the difference cannot show.
cw_pc53:
%assign rc 0
%rep 4
        dw 0x007F | (2 << 8) | (rc << 10)
        dw 0x007F | (3 << 8) | (rc << 10)
%assign rc rc + 1
%endrep
cw_pc64:
        dw 0x037F, 0x077F, 0x0B7F, 0x0F7F

; ---------------------------------------------------------------------------------------------------------------
; run_test: one line. In: [cur_op], [t_in_op].
; ---------------------------------------------------------------------------------------------------------------
run_test:
        inc dword [testno]
        mov eax, [testno]
        call pdec6
        mov al, ' '
        call putc
        mov si, [cur_op]
        call puts
        ; control word: test number within the operation modulo the size of its control-word set
        mov bx, [cur_op]
        mov di, cw_masked
        mov cx, 12
        test word [bx + OP_FLAGS], F_PC53
        jz .n53
        mov di, cw_pc53
        mov cx, 8
.n53:   test word [bx + OP_FLAGS], F_PC64
        jz .n64
        mov di, cw_pc64
        mov cx, 4
.n64:   test word [bx + OP_FLAGS], F_UNMASKED
        jz .nun
        mov di, cw_unmasked
        mov cx, 8
.nun:   mov ax, [t_in_op]
        xor dx, dx
        div cx
        mov bx, dx
        shl bx, 1
        mov ax, [di + bx]
        mov [cw], ax
        mov si, s_c
        call puts
        mov ax, [cw]
        call phex16
        mov dword [res], 0
        mov dword [res + 4], 0
        mov word [res + 8], 0
        mov byte [memres], 0
        mov bx, [cur_op]
        call [bx + OP_ROUTINE]          ; prints inputs, runs the operation, ends in fpu_end
        mov bx, [cur_op]
        ; stored memory result
        movzx cx, byte [memres]
        jcxz .nomem
        test word [bx + OP_FLAGS], F_UNMASKED
        jnz .nomem
        mov si, s_m
        call puts
        mov si, res
        call pmem
.nomem:
        test word [bx + OP_FLAGS], F_UNMASKED
        jnz .nostack
        call dump_stack
.nostack:
        mov si, s_s
        call puts
        mov bx, [cur_op]
        mov ax, [sw]
        and ax, [bx + OP_SWMASK]
        and ax, ~SW_DE                  ; (QEMU 7.2 never reports DE, see SW_DE)
        test ax, SW_PE | SW_SF
        jz .c1
        test ax, SW_SF
        jnz .c1
        and ax, ~SW_C1                  ; inexact: C1 says "rounded up", which QEMU does not model (see SW_C1)
.c1:    call phex16
        test word [bx + OP_FLAGS], F_EFLAGS
        jz .nofl
        mov si, s_f
        call puts
        mov ax, [eflags]
        and ax, 0x08D5                  ; OF SF ZF AF PF CF
        call phex16
.nofl:
        mov al, 10
        call putc
        ret

; fpu_begin: a fresh FPU with the test's control word. Flags are cleared (OF, SF, AF stay 0 for FCOMI: QEMU
; leaves them unchanged where the SDM clears them, so both see 0).
fpu_begin:
        fninit
        fldcw [cw]
        push word 0x0002
        popf
        ret

; fpu_end: status word and EFLAGS right after the operation; then clear the exception flags, so no waiting
; instruction (the stack dump's FSTP) meets a pending unmasked exception.
fpu_end:
        fnstsw [sw]
        pushf
        pop word [eflags]
        fnclex
        ret

; dump_stack: " r=ST0,ST1,..." for every non-empty register from the top; pops them.
dump_stack:
        mov si, s_r
        call puts
        mov cx, 8
        mov byte [dump_first], 1
.next:
        fxam
        fnstsw ax
        and ax, 0x4500
        cmp ax, 0x4100                  ; C3=1 C2=0 C0=1: empty
        je .done
        cmp byte [dump_first], 0
        jne .first
        mov al, ','
        call putc
.first:
        mov byte [dump_first], 0
        fstp tword [tmp80]
        mov si, tmp80
        push cx
        mov cx, 10
        call pmem
        pop cx
        loop .next
.done:
        fninit
        ret

; ===============================================================================================================
; Operation routines. Each prints its inputs, calls fpu_begin, loads, runs one instruction and jumps to fpu_end.
; ===============================================================================================================

; binary register forms: ST0 = a, ST1 = b
%macro BIN 2
r_%1:
        call gen_ab80
        call fpu_begin
        fld tword [opb]
        fld tword [opa]
        %2
        jmp fpu_end
%endmacro
        BIN fadd,   {fadd st0, st1}
        BIN fsub,   {fsub st0, st1}
        BIN fsubr,  {fsubr st0, st1}
        BIN fmul,   {fmul st0, st1}
        BIN fdiv,   {fdiv st0, st1}
        BIN fdivr,  {fdivr st0, st1}
        BIN faddp,  {faddp st1, st0}
        BIN fsubp,  {fsubp st1, st0}
        BIN fsubrp, {fsubrp st1, st0}
        BIN fmulp,  {fmulp st1, st0}
        BIN fdivp,  {fdivp st1, st0}
        BIN fdivrp, {fdivrp st1, st0}
        BIN fcom,   {fcom st1}
        BIN fcomp,  {fcomp st1}
        BIN fcompp, {fcompp}
        BIN fucom,  {fucom st1}
        BIN fucompp, {fucompp}
        BIN fcomi,  {fcomi st0, st1}
        BIN fcomip, {fcomip st0, st1}
        BIN fucomi, {fucomi st0, st1}
        BIN fucomip, {fucomip st0, st1}

; ST0 = a (m80), memory operand b in another format
%macro MEMOP 4
r_%1:
        mov si, s_a
        call puts
        mov di, opa
        call gen80
        mov si, s_b
        call puts
        mov di, opb
        call %3
        call fpu_begin
        fld tword [opa]
        %4 [opb]
        jmp fpu_end
%endmacro
        MEMOP fadd32,   0, gen32, fadd dword
        MEMOP fsub32,   0, gen32, fsub dword
        MEMOP fmul32,   0, gen32, fmul dword
        MEMOP fdivr32,  0, gen32, fdivr dword
        MEMOP fadd64,   0, gen64, fadd qword
        MEMOP fsubr64,  0, gen64, fsubr qword
        MEMOP fmul64,   0, gen64, fmul qword
        MEMOP fdiv64,   0, gen64, fdiv qword
        MEMOP fiadd16,  0, geni16, fiadd word
        MEMOP fisub32,  0, geni32, fisub dword
        MEMOP fimul16,  0, geni16, fimul word
        MEMOP fidiv32,  0, geni32, fidiv dword
        MEMOP fidivr16, 0, geni16, fidivr word
        MEMOP fcom32,   0, gen32, fcom dword
        MEMOP fcomp64,  0, gen64, fcomp qword
        MEMOP ficom16,  0, geni16, ficom word
        MEMOP ficomp32, 0, geni32, ficomp dword

; FCMOVcc: ST0 = a, ST1 = b, EFLAGS CF/ZF/PF from the generator (printed as e=)
%macro FCMOV 2
r_%1:
        call rnd
        and ax, 0x0045
        or ax, 0x0002
        mov [eflags_in], ax
        mov si, s_e
        call puts
        mov ax, [eflags_in]
        call phex16
        call gen_ab80
        call fpu_begin
        fld tword [opb]
        fld tword [opa]
        push word [eflags_in]
        popf
        %2 st0, st1
        jmp fpu_end
%endmacro
        FCMOV fcmovb, fcmovb
        FCMOV fcmove, fcmove
        FCMOV fcmovbe, fcmovbe
        FCMOV fcmovu, fcmovu
        FCMOV fcmovnb, fcmovnb
        FCMOV fcmovne, fcmovne
        FCMOV fcmovnbe, fcmovnbe
        FCMOV fcmovnu, fcmovnu

; one operand in ST0, from generator %2
%macro UN 3
r_%1:
        mov si, s_a
        call puts
        mov di, opa
        call %2
        call fpu_begin
        fld tword [opa]
        %3
        jmp fpu_end
%endmacro
        UN fchs,    gen80, fchs
        UN fabs,    gen80, fabs
        UN fsqrt,   gen80, fsqrt
        UN frndint, gen80_int, frndint
        UN fxtract, gen80, fxtract
        UN ftst,    gen80, ftst
        UN fxam,    gen80, fxam
        UN f2xm1,   gen80_unit, f2xm1
        UN fsin,    gen80_trig, fsin
        UN fcos,    gen80_trig, fcos
        UN fsincos, gen80_trig, fsincos
        UN fptan,   gen80_trig, fptan

; ST0 = a, ST1 = b with a generator for each
%macro BIN2 4
r_%1:
        mov si, s_a
        call puts
        mov di, opa
        call %2
        mov si, s_b
        call puts
        mov di, opb
        call %3
        call fpu_begin
        fld tword [opb]
        fld tword [opa]
        %4
        jmp fpu_end
%endmacro
        BIN2 fscale,  gen80, gen80_scale, fscale
        BIN2 fprem,   gen80, gen80_near, fprem
        BIN2 fprem1,  gen80, gen80_near, fprem1
        BIN2 fyl2xp1, gen80_l2p1, gen80_y, fyl2xp1
        BIN2 fyl2x,   gen80, gen80_y, fyl2x
        BIN2 fpatan,  gen80, gen80_y, fpatan

; loads: the operand b in memory
%macro LOAD 3
r_%1:
        mov si, s_b
        call puts
        mov di, opb
        call %2
        call fpu_begin
        %3 [opb]
        jmp fpu_end
%endmacro
        LOAD fld32,  gen32,  fld dword
        LOAD fld64,  gen64,  fld qword
        LOAD fld80,  gen80,  fld tword
        LOAD fild16, geni16, fild word
        LOAD fild32, geni32, fild dword
        LOAD fild64, geni64, fild qword
        LOAD fbld,   genbcd, fbld tword

%macro CONST 2
r_%1:
        call fpu_begin
        %2
        jmp fpu_end
%endmacro
        CONST fld1, fld1
        CONST fldz, fldz
        CONST fldpi, fldpi
        CONST fldl2t, fldl2t
        CONST fldl2e, fldl2e
        CONST fldlg2, fldlg2
        CONST fldln2, fldln2

; stores: ST0 = a; the stored bytes are printed as m=
%macro STORE 4
r_%1:
        mov si, s_a
        call puts
        mov di, opa
        call %2
        mov byte [memres], %3
        call fpu_begin
        fld tword [opa]
        %4 [res]
        jmp fpu_end
%endmacro
        STORE fst32,   gen80, 4, fst dword
        STORE fstp80,  gen80, 10, fstp tword
        STORE fstp64,  gen80, 8, fstp qword
        STORE fist16,  gen80_int, 2, fist word
        STORE fistp32, gen80_int, 4, fistp dword
        STORE fistp64, gen80_int, 8, fistp qword
        STORE fbstp,   gen80_int, 10, fbstp tword
        STORE fst32u,  gen80, 4, fst dword
        STORE fist16u, gen80_int, 2, fist word

; --- stack faults: fixed operands (1.0), so the expected lines can be written from the SDM ------------------
%macro SFTEST 3-4
r_%1:
        mov byte [memres], %2
        call fpu_begin
        %3
%if %0 > 3
        %4
%endif
        jmp fpu_end
%endmacro
        SFTEST sf_fld_ovf, 0, call push8, fldz              ; a ninth push
        SFTEST sf_fadd, 0, fld1, {fadd st0, st1}            ; ST1 empty
        SFTEST sf_faddp, 0, fld1, {faddp st1, st0}
        SFTEST sf_fstp80, 10, {fstp tword [res]}            ; ST0 empty
        SFTEST sf_fistp32, 4, {fistp dword [res]}
        SFTEST sf_fst32, 4, {fst dword [res]}
        SFTEST sf_fxch, 0, fld1, {fxch st1}
        SFTEST sf_fcom, 0, fld1, {fcom st1}
        SFTEST sf_fcomi, 0, fld1, {fcomi st0, st1}
        SFTEST sf_fldst, 0, fld1, {fld st3}
        SFTEST sf_fsqrt, 0, fsqrt
push8:
%rep 8
        fld1
%endrep
        ret

; --- environment images -------------------------------------------------------------------------------------
; A random stack: k values (0..8) pushed, some FINCSTP/FDECSTP and FFREE, then the image is stored. Printed:
; " k=N a=v1,v2,... x=OPS" then " i=CW,SW,TW" from the image (low 16 bits of each; the 32-bit forms' upper
; halves are reserved), " w=CW" read with FNSTCW right after the store (FNSTENV masks every exception), for
; FNSAVE " g=" the registers the image holds (ST0..ST7, empty ones skipped); then the image is loaded back
; (FLDENV / FRSTOR) and the status word and stack after that load are what s= and r= show.
%macro ENVTEST 4
r_%1:
        call env_setup
        %2 [envbuf]
        fnstcw [cw_after]
        mov byte [env32], %3
        mov byte [envsave], %4
        call env_print
        %if %4
          %if %3
            o32 frstor [envbuf]
          %else
            o16 frstor [envbuf]
          %endif
        %else
          %if %3
            o32 fldenv [envbuf]
          %else
            o16 fldenv [envbuf]
          %endif
        %endif
        jmp fpu_end
%endmacro

env_setup:
        call fpu_begin
        call rnd
        xor dx, dx
        mov cx, 9
        div cx
        mov [env_k], dl
        mov si, s_k
        call puts
        mov al, [env_k]
        call phex4
        mov si, s_a
        call puts
        movzx cx, byte [env_k]
        jcxz .ops
.push:
        push cx
        mov di, tmp80
        call gen80
        fld tword [tmp80]
        pop cx
        cmp cx, 1
        je .last
        mov al, ','
        call putc
.last:
        loop .push
.ops:
        ; up to three stack operations chosen by random bits: FINCSTP, FDECSTP, FFREE ST(i)
        mov si, s_x
        call puts
        call rnd
        mov [env_bits], eax
        mov cx, 3
.op:
        push cx
        mov eax, [env_bits]
        mov bx, ax
        and bx, 15
        shr dword [env_bits], 4
        mov al, bl
        call phex4
        cmp bx, 8
        jae .special
        shl bx, 1
        call [ffree_table + bx]
        jmp .opdone
.special:
        cmp bx, 10
        jae .opdone                     ; 10..15: nothing
        cmp bx, 8
        jne .dec
        fincstp
        jmp .opdone
.dec:
        fdecstp
.opdone:
        pop cx
        loop .op
        ret

ffree_table: dw ff0, ff1, ff2, ff3, ff4, ff5, ff6, ff7
ff0:    ffree st0
        ret
ff1:    ffree st1
        ret
ff2:    ffree st2
        ret
ff3:    ffree st3
        ret
ff4:    ffree st4
        ret
ff5:    ffree st5
        ret
ff6:    ffree st6
        ret
ff7:    ffree st7
        ret

; env_print: i=CW,SW,TW  w=CW-after  [g=registers]
env_print:
        mov si, s_i
        call puts
        mov bx, 2                       ; word stride (16-bit image)
        cmp byte [env32], 0
        je .s
        mov bx, 4
.s:
        mov si, envbuf
        mov ax, [si]
        call phex16
        mov al, ','
        call putc
        add si, bx
        mov ax, [si]
        and ax, MASK_ENV
        call phex16
        mov al, ','
        call putc
        add si, bx
        mov ax, [si]
        mov [env_tw], ax
        call phex16
        mov si, s_w
        call puts
        mov ax, [cw_after]
        call phex16
        cmp byte [envsave], 0
        je .done
        ; registers: ST(i) at image offset 14 (16-bit) or 28 (32-bit) + 10*i; physical register (TOP+i) & 7
        mov si, s_g
        call puts
        mov di, envbuf + 14
        cmp byte [env32], 0
        je .r
        mov di, envbuf + 28
.r:
        mov bx, envbuf
        add bx, 2
        cmp byte [env32], 0
        je .sw16
        add bx, 2
.sw16:
        mov ax, [bx]
        shr ax, 11
        and ax, 7
        mov [env_top], al
        xor cx, cx                      ; i
.reg:
        mov al, [env_top]
        add al, cl
        and al, 7
        push cx
        mov cl, al
        shl cl, 1
        mov ax, [env_tw]
        shr ax, cl
        pop cx
        and ax, 3
        cmp ax, 3
        je .empty
        push cx
        mov si, di
        mov cx, 10
        call pmem
        pop cx
        jmp .sep
.empty:
        mov al, '-'
        call putc
.sep:
        add di, 10
        inc cx
        cmp cx, 8
        je .done
        mov al, ','
        call putc
        jmp .reg
.done:
        ret

        ENVTEST fnstenv16, o16 fnstenv, 0, 0
        ENVTEST fnstenv32, o32 fnstenv, 1, 0
        ENVTEST fnsave16,  o16 fnsave, 0, 1
        ENVTEST fnsave32,  o32 fnsave, 1, 1

; --- protected-mode environment images ----------------------------------------------------------------------
; A random stack as above; then the guest enters 32-bit protected mode (flat code and data segments), runs
; FINCSTP/FDECSTP there (so the instruction pointer names protected-mode code), stores the 32-bit (o32) and
; 16-bit (o16) protected-mode FNSTENV images, reloads the first with FLDENV and returns to real mode. Printed:
; " p=CW,SW,TW,FIP,FCS" from the 32-bit image (the opcode in FCS's upper half and the data pointer are left out:
; QEMU stores no opcode, and the SDM leaves FDP undefined after an instruction without a memory operand) and
; " q=CW,SW,TW,FIP,FCS" from the 16-bit image.
GDT_CODE32      equ 0x08
GDT_DATA32      equ 0x10
GDT_CODE16      equ 0x18
GDT_DATA16      equ 0x20
LINEAR          equ PROG_SEG * 16           ; linear address of offset 0 of this program

r_fnstenv_pm:
        call env_setup
        lgdt [gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp dword GDT_CODE32:(LINEAR + .pm32)
        bits 32
.pm32:
        mov ax, GDT_DATA32
        mov ds, ax
        mov es, ax
        fincstp
        fdecstp
        fnstenv [LINEAR + envbuf]
        o16 fnstenv [LINEAR + envbuf + 64]
        fldenv [LINEAR + envbuf]
        jmp GDT_CODE16:.pm16
        bits 16
.pm16:
        mov ax, GDT_DATA16
        mov ds, ax
        mov es, ax
        mov eax, cr0
        and al, 0xFE
        mov cr0, eax
        jmp PROG_SEG:.real
.real:
        mov ax, cs
        mov ds, ax
        mov es, ax
        mov si, s_p
        call puts
        mov si, envbuf
        mov bx, 4
        call env_words
        mov eax, [envbuf + 12]
        call phex32
        mov al, ','
        call putc
        mov ax, [envbuf + 16]
        call phex16
        mov si, s_q
        call puts
        mov si, envbuf + 64
        mov bx, 2
        call env_words
        mov ax, [envbuf + 64 + 6]
        call phex16
        mov al, ','
        call putc
        mov ax, [envbuf + 64 + 8]
        call phex16
        jmp fpu_end

; env_words: "CW,SW,TW," from an image at si with stride bx (2 or 4); SW masked with MASK_ENV
env_words:
        mov ax, [si]
        call phex16
        mov al, ','
        call putc
        mov ax, [si + bx]
        and ax, MASK_ENV
        call phex16
        mov al, ','
        call putc
        add si, bx
        mov ax, [si + bx]
        call phex16
        mov al, ','
        jmp putc

        align 8
gdt:    dq 0
        dw 0xFFFF, 0x0000, 0x9A00, 0x00CF   ; 08h: 32-bit code, base 0, 4 GB
        dw 0xFFFF, 0x0000, 0x9200, 0x00CF   ; 10h: data, base 0, 4 GB
        dw 0xFFFF, 0x0000, 0x9A01, 0x0000   ; 18h: 16-bit code, base 10000h, 64 KB (the way back to real mode)
        dw 0xFFFF, 0x0000, 0x9201, 0x0000   ; 20h: 16-bit data, base 10000h, 64 KB
gdt_end:
gdtr:   dw gdt_end - gdt - 1
        dd LINEAR + gdt

; ===============================================================================================================
; Operand generators. Each writes one operand at [di] and prints it (most significant byte first).
; ===============================================================================================================

; gen_ab80: " a=... b=..." two m80 operands; b is near a's exponent half the time (cancellation, close compares)
gen_ab80:
        mov si, s_a
        call puts
        mov di, opa
        call gen80
        mov si, s_b
        call puts
        mov di, opb
        call rnd
        test al, 1
        jz gen80_near
        jmp gen80

; m80 edge cases. The first EDGE_SAFE entries have defined results for every operation (any domain).
edge80:
        dw 0x0000
        dq 0x0000000000000000           ; +0
        dw 0x7FFF
        dq 0xC000000000000000           ; QNaN
        dw 0x7FFF
        dq 0xC000000000001234           ; QNaN with payload
        dw 0x7FFF
        dq 0xA000000000000000           ; SNaN
        dw 0x7FFF
        dq 0x8000000000000001           ; SNaN, smallest payload
        dw 0xFFFF
        dq 0xC000000000000000           ; real indefinite
        dw 0x0000
        dq 0x0000000000000001           ; smallest denormal
        dw 0x0000
        dq 0x7FFFFFFFFFFFFFFF           ; largest denormal
        dw 0x0000
        dq 0x8000000000000000           ; pseudo-denormal
        dw 0x3FFF
        dq 0x4000000000000000           ; unnormal
        dw 0x7FFF
        dq 0x4000000000000000           ; pseudo-NaN
        dw 0x7FFF
        dq 0x0000000000000000           ; pseudo-infinity
EDGE_SAFE equ 12
        dw 0x0000
        dq 0xFFFFFFFFFFFFFFFF           ; pseudo-denormal, largest
        dw 0x4000
        dq 0x0000000000000000           ; pseudo-zero (unnormal with zero significand)
        dw 0x0001
        dq 0x4000000000000000           ; unnormal, smallest exponent
        dw 0x7FFF
        dq 0x8000000000000000           ; infinity
        dw 0x0001
        dq 0x8000000000000000           ; smallest normal
        dw 0x7FFE
        dq 0xFFFFFFFFFFFFFFFF           ; largest normal
        dw 0x3FFF
        dq 0x8000000000000000           ; 1.0
        dw 0x4000
        dq 0x8000000000000000           ; 2.0
        dw 0x3FFE
        dq 0x8000000000000000           ; 0.5
        dw 0x4000
        dq 0xC000000000000000           ; 3.0
        dw 0x3FFE
        dq 0xFFFFFFFFFFFFFFFF           ; 1 - 2^-64
        dw 0x3FFF
        dq 0x8000000000000001           ; 1 + 2^-63
        dw 0x3FFF
        dq 0x8000000000000400           ; 1 + 2^-53: tie at 53 bits
        dw 0x3FFF
        dq 0x8000000000000C00           ; 1 + 3*2^-53: tie at 53 bits, odd
        dw 0x3FFF
        dq 0x8000008000000000           ; 1 + 2^-24: tie at 24 bits
        dw 0x3FFF
        dq 0x8000018000000000           ; tie at 24 bits, odd
        dw 0x3FFF
        dq 0xFFFFFFFFFFFFF800           ; largest 53-bit significand
        dw 0x403E
        dq 0x8000000000000000           ; 2^63
        dw 0x403D
        dq 0xFFFFFFFFFFFFFFFF           ; 2^63 - 1
        dw 0x401E
        dq 0x8000000000000000           ; 2^31
        dw 0x401D
        dq 0xFFFFFFFF00000000           ; 2^31 - 1 + 0.5 (rounding boundary for int32)
        dw 0x400E
        dq 0x8000000000000000           ; 2^15
        dw 0x400D
        dq 0xFFFF000000000000           ; 32767.5
        dw 0x400E
        dq 0x8001000000000000           ; 32768.5
        dw 0x403A
        dq 0xDE0B6B3A76400000           ; 10^18
        dw 0x403A
        dq 0xDE0B6B3A763FFFF0           ; 10^18 - 1
        dw 0x3C01
        dq 0x8000000000000000           ; smallest normal double
        dw 0x3BCD
        dq 0x8000000000000000           ; smallest denormal double
        dw 0x3BCC
        dq 0x8000000000000000           ; half of it
        dw 0x43FE
        dq 0xFFFFFFFFFFFFF800           ; largest double
        dw 0x43FE
        dq 0xFFFFFFFFFFFFFC00           ; largest double + half ulp
        dw 0x3F81
        dq 0x8000000000000000           ; smallest normal single
        dw 0x3F6A
        dq 0x8000000000000000           ; smallest denormal single
        dw 0x407E
        dq 0xFFFFFF0000000000           ; largest single
        dw 0x407E
        dq 0xFFFFFF8000000000           ; largest single + half ulp
        dw 0x3FFD
        dq 0xAAAAAAAAAAAAAAAB           ; 1/3
        dw 0x4000
        dq 0xC90FDAA22168C235           ; pi
        dw 0x3FFE
        dq 0xC90FDAA22168C235           ; pi/4
EDGE80_COUNT equ ($ - edge80) / 10

; gen80: a general m80 operand. Classes (3 random bits): edge case; exponent near the bias (twice); exponent
; near the previous operand's; tiny exponents (denormals, pseudo-denormals); huge exponents; any exponent with
; any significand (NaNs, infinities, unnormals included); near the bias with a short significand (exact
; results and ties).
gen80:
        call rnd
        mov [gclass], eax
        and ax, 7
        jz g80_edge
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80          ; normal significand unless a class says otherwise
        mov eax, [gclass]
        and ax, 7
        cmp al, 3
        jb .nearbias
        je .nearlast
        cmp al, 5
        jb .tiny
        je .huge
        cmp al, 6
        je .anything
        ; short significand near the bias
        call short_mant
        jmp .nearbias
.nearbias:
        call rnd
        and ax, 127
        add ax, 0x3FFF - 64
        jmp .exp
.nearlast:
        call rnd
        and ax, 7
        add ax, [lastexp]
        sub ax, 4
        jmp .exp
.tiny:
        call rnd
        and ax, 63
        jnz .exp
        test byte [gclass + 1], 7       ; exponent 0: a denormal (1 in 8: pseudo-denormal)
        jz .exp
        and byte [di + 7], 0x7F
        jmp .exp
.huge:
        call rnd
        and ax, 63
        neg ax
        add ax, 0x7FFE
        jmp .exp
.anything:
        call rnd
        test al, 0xF0
        jnz .j
        and byte [di + 7], 0x7F         ; J bit clear: unnormal, pseudo-NaN/infinity, denormal
.j:     shr eax, 16
        and ax, 0x7FFF
        jmp .exp
.exp:
        and ax, 0x7FFF
        mov [lastexp], ax
        mov bx, ax
        call rnd
        and ax, 0x8000                  ; sign
        or ax, bx
        mov [di + 8], ax
        jmp print80

g80_edge:                               ; an edge case with a random sign
        mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGE80_COUNT
        div cx
g80_edge_n:                             ; dx = index
        mov si, dx
        shl si, 1
        mov bx, si
        shl si, 2
        add si, bx                      ; * 10
        add si, edge80
        mov ax, [si]
        mov [di + 8], ax
        mov eax, [si + 2]
        mov [di], eax
        mov eax, [si + 6]
        mov [di + 4], eax
        test byte [gclass + 1], 0x80
        jz .s
        xor byte [di + 9], 0x80
.s:     mov ax, [di + 8]
        and ax, 0x7FFF
        mov [lastexp], ax
        jmp print80

g80_safe_edge:                          ; one of the first EDGE_SAFE edge cases, random sign
        mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGE_SAFE
        div cx
        jmp g80_edge_n

; short_mant: keep only the top 1..64 significand bits at [di]
short_mant:
        call rnd
        and ax, 63
        mov cx, 63
        sub cx, ax                      ; clear the low cx bits (0..63)
        cmp cx, 32
        jb .low
        mov dword [di], 0
        sub cx, 32
        mov eax, 0xFFFFFFFF
        shl eax, cl
        and [di + 4], eax
        ret
.low:
        mov eax, 0xFFFFFFFF
        shl eax, cl
        and [di], eax
        ret

; gen80_near: an m80 whose exponent is within 64 below to 8 above the previous operand's (FPREM divisors,
; cancelling sums, close compares); 1 in 8 an edge case.
gen80_near:
        call rnd
        mov [gclass], eax
        test al, 7
        jz g80_edge
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        test byte [gclass], 0x18
        jnz .e
        call short_mant
.e:     call rnd
        and ax, 127
        cmp ax, 72
        jb .d
        sub ax, 64
.d:     sub ax, 64
        neg ax                          ; -8..64 below
        mov bx, [lastexp]
        sub bx, ax
        cmp bx, 1
        jge .lo
        mov bx, 1
.lo:    cmp bx, 0x7FFE
        jle .hi
        mov bx, 0x7FFE
.hi:    mov ax, bx
        mov bx, ax
        call rnd
        and ax, 0x8000
        or ax, bx
        mov [di + 8], ax
        jmp print80

; gen80_int: values around integers: exponents from 2^-2 to 2^65, half of them with short significands (exact
; integers and .5 ties); 1 in 8 an edge case (which includes the int16/int32/int64 and BCD limits).
gen80_int:
        call rnd
        mov [gclass], eax
        test al, 7
        jz g80_edge
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        test byte [gclass], 8
        jz .e
        call short_mant
.e:     call rnd
        xor dx, dx
        mov cx, 68
        div cx
        mov ax, dx
        add ax, 0x3FFF - 2
        jmp gen_store_exp

; gen_store_exp: exponent in ax, random sign; store and print
gen_store_exp:
        mov [lastexp], ax
        mov bx, ax
        call rnd
        and ax, 0x8000
        or ax, bx
        mov [di + 8], ax
        jmp print80

; gen80_unit: F2XM1's domain -1 <= x <= 1 (outside it the result is undefined): |x| < 1 with exponents down to
; 2^-70, exactly +-1 (1 in 16), or a domain-independent edge case (1 in 8)
gen80_unit:
        call rnd
        mov [gclass], eax
        test al, 7
        jz g80_safe_edge
        test al, 0x78
        jnz .frac
        mov dword [di], 0
        mov dword [di + 4], 0x80000000
        mov ax, 0x3FFF
        jmp gen_store_exp
.frac:
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        call rnd
        xor dx, dx
        mov cx, 70
        div cx
        mov ax, 0x3FFE
        sub ax, dx
        jmp gen_store_exp

; gen80_l2p1: FYL2XP1's domain |x| < 1 - sqrt(2)/2 (outside it the result is undefined): |x| < 1/4 with
; exponents down to 2^-70, or a domain-independent edge case (1 in 8)
gen80_l2p1:
        call rnd
        mov [gclass], eax
        test al, 7
        jz g80_safe_edge
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        call rnd
        xor dx, dx
        mov cx, 70
        div cx
        mov ax, 0x3FFC
        sub ax, dx
        jmp gen_store_exp

; gen80_trig: FSIN/FCOS/FSINCOS/FPTAN operands. QEMU computes these four through the host's double-precision
; libm, so only operands that survive the trip to double and back are useful: |x| <= 0.78 (below pi/4, where
; the functions are well conditioned), exponents down to 2^-64, signed zeros (1 in 16), and 1 in 16 |x| >= 2^63,
; which the SDM says leaves ST0 unchanged with C2 set. NaNs, infinities and denormals are left out: QEMU's
; answers for them do not follow the SDM (no invalid-operation exception for an infinity, flushing of denormals).
gen80_trig:
        call rnd
        mov [gclass], eax
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        mov eax, [gclass]
        test al, 15
        jz .zero
        cmp al, 0xF0
        jae .big
        call rnd
        and ax, 63
        jz .top
        mov bx, 0x3FFE
        sub bx, ax
        mov ax, bx
        jmp gen_store_exp
.top:                                   ; [0.5, 0.78]
        and byte [di + 7], 0xC7
        mov ax, 0x3FFE
        jmp gen_store_exp
.zero:
        mov dword [di], 0
        mov dword [di + 4], 0
        xor ax, ax
        jmp gen_store_exp
.big:
        call rnd
        and ax, 31
        add ax, 0x403E
        jmp gen_store_exp

; gen80_scale: FSCALE's ST1: mostly small integers and fractions up to 2^16 (so results over- and underflow
; sometimes), 1 in 8 any edge case
gen80_scale:
        call rnd
        mov [gclass], eax
        test al, 7
        jz g80_edge
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        test byte [gclass], 0x18
        jz .e
        call short_mant
.e:     call rnd
        and ax, 15
        add ax, 0x3FFF - 1
        jmp gen_store_exp

; gen80_y: ST1 of FYL2X, FYL2XP1 and FPATAN: a normal number (near the bias, or any exponent), or a zero, an
; infinity or another finite edge case (1 in 8). No NaNs, unsupported encodings or denormals here (ST0 has them):
; with two NaN operands QEMU 7.2 returns ST0's where the SDM (Vol. 1 Table 4-7) picks the larger significand, and
; its FYL2X result is off by a factor of two when ST1 is a denormal.
edge_y: db 0, 15, 16, 17, 18, 19, 20, 21, 22, 23, 26, 27, 29, 30, 31, 46, 47
EDGE_Y_COUNT equ $ - edge_y
gen80_y:
        call rnd
        mov [gclass], eax
        test al, 7
        jnz .random
        mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGE_Y_COUNT
        div cx
        mov bx, dx
        movzx dx, byte [edge_y + bx]
        jmp g80_edge_n
.random:
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        or byte [di + 7], 0x80
        test byte [gclass], 0x18
        jz .any
        call rnd
        and ax, 127
        add ax, 0x3FFF - 64
        jmp gen_store_exp
.any:
        call rnd
        and ax, 0x7FFF
        jz .any
        cmp ax, 0x7FFF
        je .any
        jmp gen_store_exp

; print80: " " is not printed; 20 hex digits of [di]
print80:
        mov si, di
        mov cx, 10
        jmp pmem

; --- m32 -------------------------------------------------------------------------------------------------------
edge32: dd 0x00000000, 0x7F800000, 0x7FC00000, 0x7FC01234, 0x7FA00000, 0x7F800001, 0xFFC00000, 0x00000001
        dd 0x007FFFFF, 0x00400000, 0x00800000, 0x7F7FFFFF, 0x3F800000, 0x3F800001, 0x3EAAAAAB, 0x4B000000
        dd 0x4F000000, 0x46FFFE00, 0x5E800000
EDGE32_COUNT equ ($ - edge32) / 4

gen32:
        call rnd
        mov [gclass], eax
        and ax, 3
        jz .edge
        call rnd
        cmp byte [gclass], 0x40
        jb .raw                         ; 1 in 4 of the rest: any bits
        ; exponent near the bias, or tiny (denormal) 1 in 8
        and eax, 0x807FFFFF
        mov ebx, eax
        call rnd
        test al, 0xE0
        jz .den
        and eax, 63
        add eax, 127 - 32
        shl eax, 23
        or eax, ebx
        jmp .raw
.den:   and eax, 1
        shl eax, 23
        or eax, ebx
        jmp .raw
.edge:
        mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGE32_COUNT
        div cx
        mov bx, dx
        shl bx, 2
        mov eax, [edge32 + bx]
        test byte [gclass + 1], 0x80
        jz .raw
        xor eax, 0x80000000
.raw:
        mov [di], eax
        mov si, di
        mov cx, 4
        jmp pmem

; --- m64 -------------------------------------------------------------------------------------------------------
edge64: dq 0x0000000000000000, 0x7FF0000000000000, 0x7FF8000000000000, 0x7FF8000000001234
        dq 0x7FF4000000000000, 0x7FF0000000000001, 0xFFF8000000000000, 0x0000000000000001
        dq 0x000FFFFFFFFFFFFF, 0x0008000000000000, 0x0010000000000000, 0x7FEFFFFFFFFFFFFF
        dq 0x3FF0000000000000, 0x3FF0000000000001, 0x3FD5555555555555, 0x4330000000000000
        dq 0x43E0000000000000, 0x40DFFFC000000000, 0x47EFFFFFE0000000, 0x36A0000000000000
EDGE64_COUNT equ ($ - edge64) / 8

gen64:
        call rnd
        mov [gclass], eax
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        mov eax, [gclass]
        test al, 3
        jz .edge
        cmp al, 0x40
        jb .print                       ; any bits
        and dword [di + 4], 0x800FFFFF
        call rnd
        test al, 0xE0
        jz .den
        and eax, 255
        add eax, 1023 - 128
        shl eax, 20
        or [di + 4], eax
        jmp .print
.den:   and eax, 1
        shl eax, 20
        or [di + 4], eax
        jmp .print
.edge:
        mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGE64_COUNT
        div cx
        mov bx, dx
        shl bx, 3
        mov eax, [edge64 + bx]
        mov [di], eax
        mov eax, [edge64 + bx + 4]
        test byte [gclass + 1], 0x80
        jz .s
        xor eax, 0x80000000
.s:     mov [di + 4], eax
.print:
        mov si, di
        mov cx, 8
        jmp pmem

; --- integers --------------------------------------------------------------------------------------------------
edgei16: dw 0, 1, 0xFFFF, 0x7FFF, 0x8000, 0x8001, 0x7FFE, 0x0100
EDGEI16_COUNT equ ($ - edgei16) / 2
edgei32: dd 0, 1, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x80000001, 0x01000001, 0x00FFFFFF
EDGEI32_COUNT equ ($ - edgei32) / 4
edgei64: dq 0, 1, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF, 0x8000000000000000, 0x8000000000000001
         dq 0x0020000000000001, 0x7FFFFFFFFFFFFC00, 0x0DE0B6B3A763FFFF
EDGEI64_COUNT equ ($ - edgei64) / 8

; geni16/32/64: 1 in 4 an edge case; the rest half small (-128..127), half any bits
geni16:
        call rnd
        mov [gclass], eax
        test al, 3
        jz .edge
        call rnd
        test byte [gclass], 4
        jz .st
        movsx ax, al
        jmp .st
.edge:  mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGEI16_COUNT
        div cx
        mov bx, dx
        shl bx, 1
        mov ax, [edgei16 + bx]
        test byte [gclass + 1], 0x80
        jz .st
        neg ax
.st:    mov [di], ax
        mov si, di
        mov cx, 2
        jmp pmem

geni32:
        call rnd
        mov [gclass], eax
        test al, 3
        jz .edge
        call rnd
        test byte [gclass], 4
        jz .st
        movsx eax, al
        jmp .st
.edge:  mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGEI32_COUNT
        div cx
        mov bx, dx
        shl bx, 2
        mov eax, [edgei32 + bx]
        test byte [gclass + 1], 0x80
        jz .st
        neg eax
.st:    mov [di], eax
        mov si, di
        mov cx, 4
        jmp pmem

geni64:
        call rnd
        mov [gclass], eax
        call rnd
        mov [di], eax
        call rnd
        mov [di + 4], eax
        mov eax, [gclass]
        test al, 3
        jz .edge
        test al, 4
        jz .print
        movsx eax, byte [di]
        mov [di], eax
        sar eax, 31
        mov [di + 4], eax
        jmp .print
.edge:  mov ax, [gclass + 2]
        xor dx, dx
        mov cx, EDGEI64_COUNT
        div cx
        mov bx, dx
        shl bx, 3
        mov eax, [edgei64 + bx]
        mov [di], eax
        mov eax, [edgei64 + bx + 4]
        mov [di + 4], eax
        test byte [gclass + 1], 0x80
        jz .print
        not dword [di]                  ; two's complement negation of the 64-bit value
        not dword [di + 4]
        add dword [di], 1
        adc dword [di + 4], 0
.print:
        mov si, di
        mov cx, 8
        jmp pmem

; genbcd: packed BCD (18 digits, sign in bit 79, bits 72..78 zero): 0..18 random digits; 1 in 8 all nines or
; zero. Only valid digits: the SDM leaves FBLD of invalid digits undefined.
genbcd:
        call rnd
        mov [gclass], eax
        mov cx, 10
        xor bx, bx
.clr:   mov byte [di + bx], 0
        inc bx
        loop .clr
        test al, 7
        jz .nines
        and ax, 0x1F00
        shr ax, 8
        xor dx, dx
        mov cx, 19
        div cx
        mov cx, dx                      ; digits
        xor bx, bx                      ; digit index
        jcxz .sign
.dig:
        call rnd
        xor dx, dx
        push cx
        mov cx, 10
        div cx
        pop cx
        mov al, dl
        push bx
        shr bx, 1
        jnc .lo
        shl al, 4
.lo:    or [di + bx], al
        pop bx
        inc bx
        loop .dig
        jmp .sign
.nines:
        test byte [gclass], 8
        jz .sign
        mov cx, 9
        xor bx, bx
.n:     mov byte [di + bx], 0x99
        inc bx
        loop .n
.sign:
        test byte [gclass + 3], 0x80
        jz .p
        mov byte [di + 9], 0x80
.p:     mov si, di
        mov cx, 10
        jmp pmem

; ===============================================================================================================
; Output: port E9h, with a running checksum of every byte
; ===============================================================================================================
putc:
        push dx
        push eax
        out DEBUG_PORT, al
        movzx eax, al
        rol dword [csum], 5
        add [csum], eax
        pop eax
        pop dx
        ret

puts:                                   ; si = zero-terminated string
        push ax
.l:     lodsb
        test al, al
        jz .e
        call putc
        jmp .l
.e:     pop ax
        ret

phex4:
        push ax
        and al, 15
        add al, '0'
        cmp al, '9'
        jbe .d
        add al, 'A' - '0' - 10
.d:     call putc
        pop ax
        ret

phex8:
        push ax
        shr al, 4
        call phex4
        pop ax
        jmp phex4

phex16:
        xchg al, ah
        call phex8
        xchg al, ah
        jmp phex8

phex32:
        ror eax, 16
        call phex16
        ror eax, 16
        jmp phex16

pmem:                                   ; si = bytes, cx = count; printed last byte first
        push si
        add si, cx
.l:     dec si
        mov al, [si]
        call phex8
        loop .l
        pop si
        ret

pdec6:                                  ; eax < 10^6 as six decimal digits
        mov ecx, 6
        mov ebx, 10
.d:     xor edx, edx
        div ebx
        push dx
        loop .d
        mov cx, 6
.p:     pop ax
        add al, '0'
        call putc
        loop .p
        ret

; xorshift32 (Marsaglia): eax = next value
rnd:
        mov eax, [seed]
        mov edx, eax
        shl edx, 13
        xor eax, edx
        mov edx, eax
        shr edx, 17
        xor eax, edx
        mov edx, eax
        shl edx, 5
        xor eax, edx
        mov [seed], eax
        ret

; ===============================================================================================================
        s_c:    db " c=", 0
s_a:    db " a=", 0
s_b:    db " b=", 0
s_e:    db " e=", 0
s_m:    db " m=", 0
s_r:    db " r=", 0
s_s:    db " s=", 0
s_f:    db " f=", 0
s_k:    db " k=", 0
s_x:    db " x=", 0
s_i:    db " i=", 0
s_w:    db " w=", 0
s_g:    db " g=", 0
s_p:    db " p=", 0
s_q:    db " q=", 0
s_checksum: db "checksum ", 0
s_done: db " x87 differential done", 10, 0
        align 16
prog_end:

        absolute prog_end               ; variables live after the program (not in the image)
        alignb 16
seed:       resd 1
csum:       resd 1
testno:     resd 1
gclass:     resd 1
env_bits:   resd 1
cur_op:     resw 1
t_in_op:    resw 1
cw:         resw 1
cw_after:   resw 1
sw:         resw 1
eflags:     resw 1
eflags_in:  resw 1
lastexp:    resw 1
env_tw:     resw 1
memres:     resb 1
dump_first: resb 1
env_k:      resb 1
env32:      resb 1
envsave:    resb 1
env_top:    resb 1
        alignb 16
opa:        resb 16
opb:        resb 16
res:        resb 16
tmp80:      resb 16
envbuf:     resb 128

PROG_SECTORS equ (prog_end - prog_start + 511) / 512
