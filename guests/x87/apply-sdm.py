# Used by regenerate-expected.sh: replaces QEMU's lines for the stack-fault tests (the operations listed in
# expected-by-sdm.txt) with the text from
# expected-by-sdm.txt and recomputes the guest's final checksum over the result (rotate left by 5, add each byte,
# over every byte before the checksum value, "checksum " included), as the guest computes it.
import sys
sdm = {}
for line in open(sys.argv[1], encoding='ascii'):
    if line.strip() and not line.startswith('#'):
        op, rest = line.rstrip('\n').split(' ', 1)
        sdm[op] = rest
out, used, csum = [], set(), 0
for line in open(sys.argv[2], encoding='ascii').read().split('\n'):
    parts = line.split(' ')
    if line.startswith('checksum '):
        for b in b'checksum ':
            csum = (((csum << 5) | (csum >> 27)) + b) & 0xFFFFFFFF
        line = 'checksum %08X %s' % (csum, ' '.join(parts[2:]))
    elif len(parts) > 2 and parts[1] in sdm:
        used.add(parts[1])
        line = ' '.join(parts[:3]) + ' ' + sdm[parts[1]]
    if line:
        for b in (line + '\n').encode('ascii'):
            csum = (((csum << 5) | (csum >> 27)) + b) & 0xFFFFFFFF
        out.append(line)
missing = set(sdm) - used
if missing:
    sys.exit('apply-sdm.py: the guest printed no %s' % ', '.join(sorted(missing)))
sys.stdout.write('\n'.join(out) + '\n')
