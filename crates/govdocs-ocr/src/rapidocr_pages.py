"""Read page images with RapidOCR (PP-OCR det/cls/rec ONNX models shipped inside the
`rapidocr_onnxruntime` wheel, run by onnxruntime) for govdocs-ocr.

Usage: python rapidocr_pages.py IMAGE...  (grey PGM/PNG pages, upright or turned)

For each image one JSON line on stdout:
  {"width": W, "height": H, "turned": DEG, "skew": DEG,
   "words": [{"line": N, "left": X, "top": Y, "width": W, "height": H, "conf": C, "text": T}]}
in pixels of the page turned upright (clockwise by `turned` degrees) and deskewed (`skew`, the
small angle of the text lines, taken out by rotating the coordinates). A word is a run of
characters of one script (CJK or not) without a space, placed from the recogniser's CTC
columns; `conf` (0-100) is its least sure character's probability. Nothing is downloaded:
the models are the ones inside the installed wheel.
"""

import json
import math
import re
import os
import sys

import cv2
import numpy as np
from rapidocr_onnxruntime import RapidOCR

# Text detection runs on the page scaled down to this longest side (the detector finds lines
# well at about 120 dpi, and its time grows with the pixels); recognition reads each line from
# the full-resolution page.
DET_SIDE = int(os.environ.get("GOVDOCS_OCR_DET_SIDE", "2400"))
THREADS = int(os.environ.get("GOVDOCS_OCR_THREADS", "1"))
# Lines the recogniser reads with a mean probability below this are dropped (RapidOCR's own).
TEXT_SCORE = 0.5


def cjk(c):
    return "\u3000" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"


def widen(quad, w, h):
    """`quad` lengthened by half its height at both ends (within the page)."""
    q = quad.astype(np.float32)
    along = q[1] - q[0]
    n = np.linalg.norm(along)
    if n < 1:
        return q
    e = along / n * 0.5 * np.linalg.norm(q[0] - q[3])
    q = np.array([q[0] - e, q[1] + e, q[2] + e, q[3] - e], dtype=np.float32)
    q[:, 0] = np.clip(q[:, 0], 0, w - 1)
    q[:, 1] = np.clip(q[:, 1], 0, h - 1)
    return q


HAN = re.compile(r"[\u4e00-\u9fff]")
AMOUNT = re.compile(r"^[0-9][0-9,]*\.[0-9]{2}$")
ORDINAL = re.compile(r"^[一二三四五六七八九十]+、")


def crop(img, quad):
    """The line image under `quad` (4 points, clockwise from top left), straightened."""
    w = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    h = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    w, h = max(w, 1), max(h, 1)
    dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    m = cv2.getPerspectiveTransform(quad.astype(np.float32), dst)
    return cv2.warpPerspective(
        img, m, (w, h), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )


class Reader:
    def __init__(self):
        eng = RapidOCR(
            intra_op_num_threads=THREADS,
            inter_op_num_threads=1,
            print_verbose=False,
        )
        self.det = eng.text_det
        self.cls = eng.text_cls
        self.rec = eng.text_rec

    def detect(self, img):
        """Text line quads in `img`'s pixels, detected on a scaled-down copy."""
        h, w = img.shape[:2]
        scale = min(1.0, DET_SIDE / max(h, w))
        small = cv2.resize(img, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1.0 else img
        boxes, _ = self.det(small)
        if boxes is None or len(boxes) == 0:
            return []
        return [np.array(b, dtype=np.float32) / scale for b in boxes]

    def upright(self, img):
        """The page turned upright (quarter turns) and its line quads; the degrees turned."""
        quads = self.detect(img)
        tall = sum(1 for q in quads if np.linalg.norm(q[0] - q[3]) > 1.5 * np.linalg.norm(q[0] - q[1]))
        wide = sum(1 for q in quads if np.linalg.norm(q[0] - q[1]) > 1.5 * np.linalg.norm(q[0] - q[3]))
        turned = 0
        if tall > 2 * wide and tall >= 3:
            img = cv2.rotate(img, cv2.ROTATE_90_CLOCKWISE)
            turned = 90
            quads = self.detect(img)
        # Upside down? The direction classifier votes on the longer lines.
        long = [q for q in quads if np.linalg.norm(q[0] - q[1]) > 3 * np.linalg.norm(q[0] - q[3])][:40]
        if long:
            _, res, _ = self.cls([crop(img, q) for q in long])
            flipped = sum(1 for lab, sc in res if lab == "180" and sc >= 0.9)
            if flipped * 2 > len(long):
                img = cv2.rotate(img, cv2.ROTATE_180)
                turned = (turned + 180) % 360
                quads = self.detect(img)
        return img, quads, turned

    def read(self, path):
        img = cv2.imread(path, cv2.IMREAD_COLOR)
        if img is None:
            raise SystemExit(f"cannot read image {path}")
        img, quads, turned = self.upright(img)
        h, w = img.shape[:2]
        # Skew: the median angle of the long lines' top edges.
        angles = [
            math.degrees(math.atan2(q[1][1] - q[0][1], q[1][0] - q[0][0]))
            for q in quads
            if np.linalg.norm(q[0] - q[1]) > 4 * np.linalg.norm(q[0] - q[3])
        ]
        skew = float(np.median(angles)) if len(angles) >= 3 else 0.0
        if abs(skew) < 0.05 or abs(skew) > 10:
            skew = 0.0
        # Take the skew out of the coordinates: rotate by -skew about the page centre.
        cx, cy = w / 2, h / 2
        ca, sa = math.cos(math.radians(-skew)), math.sin(math.radians(-skew))

        def straight(p):
            x, y = p[0] - cx, p[1] - cy
            return (cx + x * ca - y * sa, cy + x * sa + y * ca)

        crops = [crop(img, q) for q in quads]
        recs, _ = self.rec(crops, True) if crops else ([], 0)
        # The detector's box can stop short of a thin first or last character (`一`, `二`),
        # which the recogniser then misses. Each line is read again from a box lengthened at
        # both ends; that reading is taken only when it is the first one with Chinese
        # characters added before or after (a table rule caught at the box's end reads as
        # `[`, `|` or `1`, never as a Chinese character).
        wide = [widen(q, w, h) for q in quads]
        wide_crops = [crop(img, q) for q in wide]
        wide_recs, _ = self.rec(wide_crops, True) if crops else ([], 0)
        for i, (r, wr) in enumerate(zip(recs, wide_recs)):
            t, wt = r[0], wr[0]
            k = wt.find(t) if t else -1
            if wt != t and k >= 0 and all(HAN.match(c) for c in wt[:k] + wt[k + len(t):]):
                quads[i], crops[i], recs[i] = wide[i], wide_crops[i], wr
        words = []
        for n, (q, c, r) in enumerate(zip(quads, crops, recs)):
            text, score = r[0], r[1]
            if not text or score < TEXT_SCORE:
                continue
            col_num, word_list, word_col_list, _, conf_list = r[2]
            chars = [ch for wl in word_list for ch in wl]
            cols = [col for wc in word_col_list for col in wc]
            if len(chars) != len(text) or len(cols) != len(chars):
                continue
            ch_h, cw = c.shape[:2]
            unit = cw / max(col_num, 1)

            def at(t, s):
                """Point at fraction t along the line and s down it."""
                top = q[0] + (q[1] - q[0]) * t
                bot = q[3] + (q[2] - q[3]) * t
                return top + (bot - top) * s

            # Runs of one script without a space.
            run = []
            runs = []
            for i, ch in enumerate(chars):
                if ch.isspace():
                    if run:
                        runs.append(run)
                    run = []
                    continue
                if run and cjk(chars[run[-1]]) != cjk(ch):
                    runs.append(run)
                    run = []
                # A wide gap between characters of one script also ends a word.
                if run and (cols[i] - cols[run[-1]]) * unit > 1.6 * ch_h:
                    runs.append(run)
                    run = []
                run.append(i)
            if run:
                runs.append(run)
            prev = None
            for run in runs:
                text = "".join(chars[i] for i in run)
                # An amount printed right against the next cell's numbered label
                # (`18,330.37一、基本支出`) ends there: no amount runs on into `一、`.
                apart = prev is not None and AMOUNT.match(prev) is not None and ORDINAL.match("".join(chars[run[0]:])) is not None
                prev = text
                half = [0.45 * ch_h if cjk(chars[i]) else 0.27 * ch_h for i in run]
                x0 = max(0.0, (cols[run[0]] + 0.5) * unit - half[0])
                x1 = min(float(cw), (cols[run[-1]] + 0.5) * unit + half[-1])
                pts = [straight(at(x0 / cw, 0)), straight(at(x1 / cw, 0)), straight(at(x1 / cw, 1)), straight(at(x0 / cw, 1))]
                xs = [p[0] for p in pts]
                ys = [p[1] for p in pts]
                words.append(
                    {
                        "line": n + 1,
                        "left": round(float(min(xs)), 1),
                        "top": round(float(min(ys)), 1),
                        "width": round(float(max(xs) - min(xs)), 1),
                        "height": round(float(max(ys) - min(ys)), 1),
                        "conf": round(100.0 * float(min(conf_list[i] for i in run)), 2),
                        "text": text,
                        "apart": apart,
                    }
                )
        return {"width": w, "height": h, "turned": turned, "skew": round(skew, 3), "words": words}


def main():
    reader = Reader()
    for path in sys.argv[1:]:
        print(json.dumps(reader.read(path), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
