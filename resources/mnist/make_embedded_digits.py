#!/usr/bin/env python3
"""Build BayesLab's embedded MNIST subset from OpenCV's digits.png.

Source: Debian package opencv-doc, /usr/share/doc/opencv-doc/examples/data/digits.png
(find it with `dpkg -L opencv-doc | grep digits.png`): 5000 handwritten digits from
MNIST, 500 per class, as 20x20 tiles in a 100-column x 50-row grid, five rows per
class 0..9.

Each tile gets a 4-pixel black border (28x28, the MNIST frame: MNIST digits were
fitted into 20x20 boxes inside 28x28 images). The split is fixed: within each
class, every fifth digit (tile index 4, 9, 14, ...) is a test digit, the rest are
training digits: 4000 training and 1000 test digits. Both sets are interleaved by
class (0, 1, .., 9, 0, 1, ..) so any prefix is balanced.

Output: four gzip-compressed IDX files (the standard MNIST format), written
reproducibly (no timestamps), which CMake compiles into the engine:
  digits-train-images-idx3-ubyte.gz  digits-train-labels-idx1-ubyte.gz
  digits-test-images-idx3-ubyte.gz   digits-test-labels-idx1-ubyte.gz

Usage: python3 make_embedded_digits.py [path/to/digits.png] [output folder]
Only the Python standard library is needed.
"""
import gzip
import os
import struct
import sys
import zlib

DEFAULT_SOURCE = "/usr/share/doc/opencv-doc/examples/data/digits.png"
TILE, BORDER, COLUMNS, ROWS_PER_CLASS = 20, 4, 100, 5


def read_grayscale_png(path):
    """Decode a non-interlaced 8-bit greyscale PNG into a list of rows (bytes)."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG file")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour != 0 or interlace != 0:
        sys.exit(f"{path}: expected an 8-bit greyscale, non-interlaced PNG")
    raw = zlib.decompress(idat)
    rows, previous, stride = [], bytearray(width), width + 1
    for y in range(height):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        for x in range(width):
            left = line[x - 1] if x else 0
            up = previous[x]
            upper_left = previous[x - 1] if x else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                pred = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[x] = (line[x] + pred) & 0xFF
            elif kind != 0:
                sys.exit(f"{path}: unknown PNG filter {kind}")
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def tile(rows, row, column):
    """The digit at (row, column) of the grid, framed to 28x28, row-major."""
    size = TILE + 2 * BORDER
    image = bytearray(size * size)
    for y in range(TILE):
        source = rows[row * TILE + y][column * TILE:(column + 1) * TILE]
        start = (y + BORDER) * size + BORDER
        image[start:start + TILE] = source
    return bytes(image)


def write_idx(path, images, labels, kind):
    buffer = bytearray()
    if kind == "images":
        buffer += struct.pack(">IIII", 0x00000803, len(images), 28, 28)
        for image in images:
            buffer += image
    else:
        buffer += struct.pack(">II", 0x00000801, len(labels))
        buffer += bytes(labels)
    with open(path, "wb") as f:
        with gzip.GzipFile(fileobj=f, mode="wb", compresslevel=9, mtime=0, filename="") as gz:
            gz.write(bytes(buffer))


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.dirname(os.path.abspath(__file__))
    width, height, rows = read_grayscale_png(source)
    if (width, height) != (COLUMNS * TILE, 10 * ROWS_PER_CLASS * TILE):
        sys.exit(f"{source}: expected a 2000x1000 grid of 20x20 digits, got {width}x{height}")
    per_class = {"train": [[] for _ in range(10)], "test": [[] for _ in range(10)]}
    for digit in range(10):
        for index in range(ROWS_PER_CLASS * COLUMNS):
            row = digit * ROWS_PER_CLASS + index // COLUMNS
            part = "test" if index % 5 == 4 else "train"
            per_class[part][digit].append(tile(rows, row, index % COLUMNS))
    for part, classes in per_class.items():
        images, labels = [], []
        for k in range(len(classes[0])):
            for digit in range(10):
                images.append(classes[digit][k])
                labels.append(digit)
        write_idx(os.path.join(out, f"digits-{part}-images-idx3-ubyte.gz"), images, labels, "images")
        write_idx(os.path.join(out, f"digits-{part}-labels-idx1-ubyte.gz"), images, labels, "labels")
        print(f"{part}: {len(images)} digits")


if __name__ == "__main__":
    main()
