#!/usr/bin/env python3
"""Make the small PDFs the govdocs-pdf tests read. Run from anywhere:

    python3 crates/govdocs-pdf/tests/data/make_test_pdfs.py

Needs qpdf (Debian: apt-get install qpdf). Output is deterministic except for the
random salts qpdf puts into the two encrypted files.

Files made (all next to this script):
  encrypted-user-password.pdf  qpdf --encrypt with user password "secret" (needs a password)
  encrypted-owner-only.pdf     qpdf --encrypt with an empty user password (opens without one)
  truncated.pdf                the first half of ../shared/pdfs/jiangsu-npc-office-2019-budget-tables.pdf
  broken-xref.pdf              the same sample rewritten with a classic xref table whose
                               offsets are all shifted by 7 bytes
  scan.pdf                     2 pages, each only an 8x8 grey image: no text layer
  nested-forms.pdf             12 form XObjects nested inside each other, text in the innermost
  cyclic-forms.pdf             form A draws form B which draws form A again
  fanout-forms.pdf             8 levels of forms, each drawing the next 10 times (10^8 draws)
  predefined-cmaps.pdf         Type0 fonts with the predefined CMaps UniGB-UCS2-H and GBK-EUC-H
                               (no ToUnicode), a table row with separate amounts
  rotated.pdf                  pages with /Rotate 90, 180 and 270 whose text reads upright
"""
import os
import subprocess
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", "..", ".."))
SAMPLE = os.path.join(ROOT, "..", "shared", "pdfs", "jiangsu-npc-office-2019-budget-tables.pdf")


def out(name):
    return os.path.join(HERE, name)


def write_pdf(path, objects, root=1, compress=False):
    """objects: list of (body_bytes or (dict_bytes, stream_bytes)); object n is objects[n-1]."""
    buf = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(buf))
        buf += b"%d 0 obj\n" % i
        if isinstance(obj, tuple):
            d, data = obj
            if compress:
                data = zlib.compress(data)
                d = d + b" /Filter /FlateDecode"
            buf += b"<< " + d + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"
        else:
            buf += obj
        buf += b"\nendobj\n"
    xref = len(buf)
    buf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        buf += b"%010d 00000 n \n" % off
    buf += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        xref,
    )
    with open(path, "wb") as f:
        f.write(buf)


def pages_tree(n_pages, first_page_obj):
    kids = b" ".join(b"%d 0 R" % (first_page_obj + i) for i in range(n_pages))
    return b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n_pages


def ucs2(text):
    return b"<" + text.encode("utf-16-be").hex().upper().encode() + b">"


# A Type0 font with a predefined CMap, not embedded (viewers substitute a system font).
def cid_font(encoding, descendant_obj):
    return b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /%s /DescendantFonts [%d 0 R] >>" % (
        encoding,
        descendant_obj,
    )


CID_DESCENDANT = (
    b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> "
    b"/FontDescriptor << /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
    b"/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >> "
    # both /W forms: c_first c_last w (proportional ASCII 1..95) and c [w ...] (half-width 814..)
    b"/DW 1000 /W [1 95 500 814 [500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 "
    b"500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 "
    b"500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 "
    b"500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500 500]] >>"
)


def make_qpdf_files():
    subprocess.run(
        ["qpdf", "--encrypt", "secret", "owner", "256", "--", SAMPLE, out("encrypted-user-password.pdf")],
        check=True,
    )
    subprocess.run(
        ["qpdf", "--encrypt", "", "owner", "256", "--", SAMPLE, out("encrypted-owner-only.pdf")],
        check=True,
    )
    data = open(SAMPLE, "rb").read()
    with open(out("truncated.pdf"), "wb") as f:
        f.write(data[: len(data) // 2])
    tmp = out("broken-xref.tmp.pdf")
    subprocess.run(["qpdf", "--object-streams=disable", SAMPLE, tmp], check=True)
    data = bytearray(open(tmp, "rb").read())
    os.remove(tmp)
    xref = data.rindex(b"\nxref\n") + 1
    trailer = data.index(b"trailer", xref)
    table = data[xref:trailer].decode("latin1").split("\n")
    fixed = []
    for line in table:
        parts = line.split(" ")
        if len(parts) >= 3 and parts[2] == "n" and len(parts[0]) == 10:
            parts[0] = "%010d" % (int(parts[0]) + 7)
            line = " ".join(parts)
        fixed.append(line)
    data[xref:trailer] = "\n".join(fixed).encode("latin1")
    with open(out("broken-xref.pdf"), "wb") as f:
        f.write(data)


def make_scan():
    img = bytes(range(0, 256, 4))  # 8x8 grey, 64 bytes
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree(2, 3),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 6 0 R >> >> /Contents 5 0 R >>",
        (b"", b"q 500 0 0 700 47 71 cm /Im1 Do Q"),
        (b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8", img),
    ]
    write_pdf(out("scan.pdf"), objs, compress=True)


def make_forms():
    # nested: page draws F1; Fk draws F(k+1); F12 shows text.
    depth = 12
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree(1, 3),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
        (b"", b"/X Do"),
        font,
    ]
    for k in range(depth):
        obj = 6 + k
        if k + 1 < depth:
            body = b"BT /F1 10 Tf 72 %d Td (level %d) Tj ET /X Do" % (800 - 20 * k, k + 1)
            res = b"/Resources << /Font << /F1 5 0 R >> /XObject << /X %d 0 R >> >>" % (obj + 1)
        else:
            body = b"BT /F1 10 Tf 72 500 Td (innermost) Tj ET"
            res = b"/Resources << /Font << /F1 5 0 R >> >>"
        objs.append((b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res, body))
    write_pdf(out("nested-forms.pdf"), objs)

    # cyclic: A (obj 6) draws B (obj 7) draws A.
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree(1, 3),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /A 6 0 R >> >> /Contents 4 0 R >>",
        (b"", b"/A Do"),
        font,
        (
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /B 7 0 R >> >>",
            b"BT /F1 12 Tf 72 700 Td (form A) Tj ET /B Do",
        ),
        (
            b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /A 6 0 R >> >>",
            b"BT /F1 12 Tf 72 600 Td (form B) Tj ET /A Do",
        ),
    ]
    write_pdf(out("cyclic-forms.pdf"), objs)

    # fan-out: 8 levels, each draws the next 10 times; the last shows a glyph.
    levels = 8
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree(1, 3),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X 6 0 R >> >> /Contents 4 0 R >>",
        (b"", b"/X Do"),
        font,
    ]
    for k in range(levels):
        obj = 6 + k
        if k + 1 < levels:
            body = b"/X Do " * 10
            res = b"/Resources << /XObject << /X %d 0 R >> >>" % (obj + 1)
        else:
            body = b"BT /F1 1 Tf 72 72 Td (x) Tj ET"
            res = b"/Resources << /Font << /F1 5 0 R >> >>"
        objs.append((b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] " + res, body))
    write_pdf(out("fanout-forms.pdf"), objs)


def make_predefined_cmaps():
    # One table row as a budget table prints it, in two fonts:
    #   F1 (UniGB-UCS2-H):  一般公共预算拨款收入 | 1,234.56 | 567.00      at y = 700
    #   F2 (GBK-EUC-H):     政府性基金预算拨款收入 | 89.10 | 0.00         at y = 680
    # Cells are 150 pt apart; amounts are right-aligned at x = 300 and 400.
    def gbk(text):
        return b"<" + text.encode("gbk").hex().upper().encode() + b">"

    def right(x, text, size=10):
        return x - size * 0.5 * len(text)  # every ASCII glyph is 500 units wide

    content = b"BT /F1 10 Tf 1 0 0 1 72 700 Tm " + ucs2("一般公共预算拨款收入") + b" Tj ET\n"
    content += b"BT /F1 10 Tf 1 0 0 1 %.2f 700 Tm " % right(300, "1,234.56") + ucs2("1,234.56") + b" Tj ET\n"
    content += b"BT /F1 10 Tf 1 0 0 1 %.2f 700 Tm " % right(400, "567.00") + ucs2("567.00") + b" Tj ET\n"
    content += b"BT /F2 10 Tf 1 0 0 1 72 680 Tm " + gbk("政府性基金预算拨款收入") + b" Tj ET\n"
    # Both amounts in ONE string, placed with a TJ adjustment: widths decide where 0.00 lands.
    content += b"BT /F2 10 Tf 1 0 0 1 %.2f 680 Tm [" % right(300, "89.10") + gbk("89.10") + b" -%d " % (
        (400 - 300 - 10 * 0.5 * len("0.00")) * 100
    ) + gbk("0.00") + b"] TJ ET\n"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        pages_tree(1, 3),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> /Contents 4 0 R >>",
        (b"", content),
        cid_font(b"UniGB-UCS2-H", 7),
        cid_font(b"GBK-EUC-H", 7),
        CID_DESCENDANT,
    ]
    write_pdf(out("predefined-cmaps.pdf"), objs)


def make_rotated():
    # Media box 595 x 842. For each /Rotate, the cm maps upright display coordinates
    # (y up, displayed width x height) back to user space.
    W, H = 595, 842
    cms = {
        90: b"0 1 -1 0 %d 0 cm" % W,
        180: b"-1 0 0 -1 %d %d cm" % (W, H),
        270: b"0 -1 1 0 0 %d cm" % H,
    }
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", pages_tree(3, 3)]
    font_obj = 9
    for i, rot in enumerate([90, 180, 270]):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Rotate %d /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
            % (W, H, rot, font_obj, 6 + i)
        )
    for rot in [90, 180, 270]:
        dh = W if rot in (90, 270) else H  # displayed height
        body = b"q " + cms[rot] + b"\n"
        body += b"BT /F1 12 Tf 1 0 0 1 72 %d Tm " % (dh - 72) + ucs2("第一行") + b" Tj ET\n"
        body += b"BT /F1 12 Tf 1 0 0 1 200 %d Tm " % (dh - 72) + ucs2("1,234.56") + b" Tj ET\n"
        body += b"BT /F1 12 Tf 1 0 0 1 72 %d Tm " % (dh - 100) + ucs2("第二行") + b" Tj ET\n"
        body += b"BT /F1 12 Tf 1 0 0 1 200 %d Tm " % (dh - 100) + ucs2("7.00") + b" Tj ET\nQ"
        objs.append((b"", body))
    objs.append(cid_font(b"UniGB-UCS2-H", font_obj + 1))
    objs.append(CID_DESCENDANT)
    assert len(objs) == font_obj + 1
    write_pdf(out("rotated.pdf"), objs)


if __name__ == "__main__":
    make_qpdf_files()
    make_scan()
    make_forms()
    make_predefined_cmaps()
    make_rotated()
    print("made test PDFs in", HERE)
