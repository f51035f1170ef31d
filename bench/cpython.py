"""The workloads of the benchmark in CPython: python3 cpython.py KIND PATH NEEDLE [SIZE].

NEEDLE is the offsets' file for wrand; SIZE the bytes that write writes (1 GiB
if not given) and the size grow grows to.

Prints the result (which must equal the Go implementations') and the seconds
the workload took, without the interpreter's start.
"""
import mmap, os, random, sys, time

kind, path, needle = sys.argv[1], sys.argv[2], sys.argv[3].encode()
start = time.perf_counter()
if kind == "find":
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        result = m.find(needle)
elif kind == "lines":
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        result = 0
        for _ in iter(m.readline, b""):
            result += 1
elif kind == "random":
    # The offsets come from Go's PCG, which Python does not have: the Go side
    # writes them to a file once (see offsets in main.go).
    with open(path + ".offsets", "rb") as f:
        offs = [int.from_bytes(f.read(8), "little") for _ in range(200_000)]
    start = time.perf_counter()
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as m:
        result = 0
        for off in offs:
            result += m[off:off + 4096][0]
elif kind == "write":
    size = int(sys.argv[4]) if len(sys.argv) > 4 else 1 << 30
    chunk = b"0123456789abcdef" * 4096
    with open(path, "w+b") as f:
        f.truncate(size)
        with mmap.mmap(f.fileno(), 0) as m:
            for _ in range(size // len(chunk)):
                m.write(chunk)
            m.flush()
    result = size
elif kind == "wrand":
    # A 4 KiB page at each offset of the file NEEDLE names (written by Go),
    # then a flush: the promise check's wrand samples.
    with open(sys.argv[3], "rb") as f:
        raw = f.read()
    offs = [int.from_bytes(raw[i:i + 8], "little") for i in range(0, len(raw), 8)]
    page = b"written again..\n" * 256
    start = time.perf_counter()
    with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0) as m:
        for off in offs:
            m[off:off + 4096] = page
        m.flush()
    result = len(offs) * 4096
elif kind == "grow":
    # 1 MiB grown to SIZE in 1 MiB steps, every new page written after each:
    # the promise check's grow samples.
    size = int(sys.argv[4])
    page = b"a new page.....\n" * 256
    with open(path, "w+b") as f:
        f.truncate(1 << 20)
        with mmap.mmap(f.fileno(), 0) as m:
            for old in range(1 << 20, size, 1 << 20):
                m.resize(old + (1 << 20))
                for off in range(old, old + (1 << 20), 4096):
                    m[off:off + 4096] = page
            m.flush()
    os.remove(path)
    result = size - (1 << 20)
elif kind == "cycles":
    for _ in range(100_000):
        with open(path, "rb") as f:
            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            m.close()
    result = 100_000
else:
    sys.exit("unknown kind " + kind)
print(result, time.perf_counter() - start)
