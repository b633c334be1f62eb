#!/usr/bin/env python3
# png-colours: what html-report.test asks of a screenshot, with the standard
# library only (zlib): decode an 8-bit RGB or RGBA PNG (the five row
# filters) and print one line
#   size WxH colours N non-white N add-green N fail-red N
# the distinct colours, the pixels that are not white, and the pixels of
# the HTML report's added-line background (#dafbe1) and regression red
# (#cf222e).  A malformed or other PNG: a message and exit 1.
import struct
import sys
import zlib


def rows(path):
    data = open(path, 'rb').read()
    if data[:8] != b'\x89PNG\r\n\x1a\n':
        sys.exit('%s: not a PNG' % path)
    pos, idat, w = 8, b'', None
    while pos + 8 <= len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    if w is None or depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit('%s: not an 8-bit RGB(A) non-interlaced PNG' % path)
    bpp = 4 if ctype == 6 else 3
    raw, stride = zlib.decompress(idat), w * bpp
    prev, i = bytearray(stride), 0
    for _ in range(h):
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[x] = (line[x] + pred) & 255
        yield w, h, bpp, bytes(line)
        prev = line


def main():
    counts, w, h = {}, 0, 0
    for w, h, bpp, line in rows(sys.argv[1]):
        for x in range(0, len(line), bpp):
            px = line[x:x + 3]
            counts[px] = counts.get(px, 0) + 1
    white = counts.get(b'\xff\xff\xff', 0)
    print('size %dx%d colours %d non-white %d add-green %d fail-red %d' % (
        w, h, len(counts), w * h - white, counts.get(bytes((0xda, 0xfb, 0xe1)), 0),
        counts.get(bytes((0xcf, 0x22, 0x2e)), 0)))


main()
