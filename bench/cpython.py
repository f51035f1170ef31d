"""The workloads of the benchmark in CPython: python3 cpython.py KIND PATH NEEDLE.

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
    chunk = b"0123456789abcdef" * 4096
    with open(path, "w+b") as f:
        f.truncate(1 << 30)
        with mmap.mmap(f.fileno(), 0) as m:
            for _ in range((1 << 30) // len(chunk)):
                m.write(chunk)
            m.flush()
    result = 1 << 30
elif kind == "cycles":
    for _ in range(100_000):
        with open(path, "rb") as f:
            m = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
            m.close()
    result = 100_000
else:
    sys.exit("unknown kind " + kind)
print(result, time.perf_counter() - start)
