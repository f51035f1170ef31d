#!/usr/bin/env python3
"""Records what CPython's mmap does for random sequences of operations.

The Go test TestCPythonOps replays every sequence on a Map and checks each
result, error class, position and the bytes against this record, so that the
expected values come from CPython, not from the Go implementation.

Regenerate with: python3 testdata/cpython_ops.py > testdata/cpython_ops.json
"""
import errno, json, mmap, os, random, sys, tempfile

ACCESS = {"default": mmap.ACCESS_DEFAULT, "read": mmap.ACCESS_READ,
          "write": mmap.ACCESS_WRITE, "copy": mmap.ACCESS_COPY}
NEEDLES = [b"", b"a", b"ab", b"ba", b"\n", b"aab", b"zz", b"b\na", b"abababab"]

def rand_int(rng, n):
    return rng.choice([0, 1, -1, n, n - 1, n + 1, -n, -n - 1, rng.randint(-2 * n - 2, 2 * n + 2),
                       2**62, -2**62])

def rand_op(rng, n):
    k = rng.choice(["find", "find", "findin", "rfind", "rfindin", "read", "read_byte", "readline",
                    "write", "write_byte", "seek", "seek", "tell", "getitem", "setitem", "getslice",
                    "setslice", "move", "flush", "resize", "size", "len"])
    r = lambda: rand_int(rng, n)
    small = lambda: rng.randint(-2, n + 2)
    if k in ("find", "rfind"):
        return [k, rng.choice(NEEDLES).decode()]
    if k in ("findin", "rfindin"):
        return [k, rng.choice(NEEDLES).decode(), r(), r()]
    if k == "read":
        return [k, rng.randint(0, n + 3)]
    if k == "write":
        return [k, "".join(rng.choice("ab\n") for _ in range(rng.randint(0, 6)))]
    if k == "write_byte":
        return [k, rng.choice(b"ab\n")]
    if k == "seek":
        return [k, small() if rng.random() < 0.8 else r(), rng.choice([0, 0, 1, 1, 2, 2, 3])]
    if k in ("getitem",):
        return [k, r()]
    if k == "setitem":
        return [k, r(), rng.choice(b"ab\n")]
    if k == "getslice":
        return [k, r(), r()]
    if k == "setslice":
        i, j = small(), small()
        span = len(range(n)[i:j])
        m = span if rng.random() < 0.7 else max(0, span + rng.choice([-1, 1]))
        return [k, i, j, "".join(rng.choice("ab\n") for _ in range(m))]
    if k == "move":
        return [k, small(), small(), rng.randint(-1, n + 1)]
    if k == "flush":
        return [k, rng.choice([0, 0, mmap.PAGESIZE, 1, -1]), rng.choice([0, 1, n, n + 1, -1])]
    if k == "resize":
        # (not 0: CPython truncates the file, fails to remap and dies of SIGBUS later)
        return [k, rng.choice([1, max(1, n // 2), n, n + 3, 2 * n + 1, -1])]
    return [k]

def run(m, op):
    k, a = op[0], op[1:]
    if k == "find": return m.find(a[0].encode())
    if k == "findin": return m.find(a[0].encode(), a[1], a[2])
    if k == "rfind": return m.rfind(a[0].encode())
    if k == "rfindin": return m.rfind(a[0].encode(), a[1], a[2])
    if k == "read": return m.read(a[0]).decode("latin1")
    if k == "read_byte": return m.read_byte()
    if k == "readline": return m.readline().decode("latin1")
    if k == "write": return m.write(a[0].encode())
    if k == "write_byte": m.write_byte(a[0]); return None
    if k == "seek": return m.seek(a[0], a[1])
    if k == "tell": return m.tell()
    if k == "getitem": return m[a[0]]
    if k == "setitem": m[a[0]] = a[1]; return None
    if k == "getslice": return m[a[0]:a[1]].decode("latin1")
    if k == "setslice": m[a[0]:a[1]] = a[2].encode(); return None
    if k == "move": m.move(a[0], a[1], a[2]); return None
    if k == "flush": m.flush(a[0], a[1]); return None
    if k == "resize": m.resize(a[0]); return None
    if k == "madvise": m.madvise(a[0], a[1], a[2]); return None
    if k == "size": return m.size()
    if k == "len": return len(m)
    raise ValueError(k)

MAP_NORESERVE = 0x4000  # Linux; Python 3.11 lacks the name

# Single calls after a given setup, where an earlier version of the library
# answered otherwise than CPython (issue 12): "open" is how the file is
# opened ("r+b" or "rb"), "size" the length of the data or of the anonymous
# map, "flags" and "prot" those of mmap.mmap (0: its defaults).
FIXED = [
    {"anon": False, "access": "write", "size": 7, "open": "r+b", "steps": [["resize", 2**63 - 1]]},
    {"anon": False, "access": "default", "size": 8192, "open": "r+b",
     "steps": [["madvise", mmap.MADV_DONTNEED, 4096, 2**63 - 1]]},
    {"anon": True, "access": "write", "size": 8193, "steps": [["madvise", 12345, 0, 0]]},
    {"anon": True, "access": "write", "size": 8193, "steps": [["madvise", mmap.MADV_NORMAL, 4096, 0]]},
    {"anon": False, "access": "default", "size": 12288, "open": "rb", "flags": mmap.MAP_PRIVATE,
     "steps": [["resize", 12288]]},
    {"anon": True, "access": "default", "size": 8192, "flags": mmap.MAP_PRIVATE | MAP_NORESERVE,
     "prot": mmap.PROT_READ | mmap.PROT_WRITE, "steps": [["resize", 1 << 62]]},
]

def replay(m, ops):
    """Runs ops on m and returns the record of each step."""
    steps = []
    for op in ops:
        try:
            res = {"ok": run(m, op)}
        except (ValueError, TypeError, IndexError, OverflowError, OSError) as e:
            res = {"err": type(e).__name__, "msg": str(e)}
            if isinstance(e, OSError) and e.errno:
                res["errno"] = errno.errorcode[e.errno]
        res["pos"] = m.tell()
        res["bytes"] = m[:].decode("latin1")
        steps.append({"op": op, **res})
    return steps

def fixed(d):
    cases = []
    for i, c in enumerate(FIXED):
        data = "".join("ab\n"[j % 3] for j in range(c["size"]))
        kw = {}
        if c.get("flags"): kw["flags"] = c["flags"]
        if c.get("prot"): kw["prot"] = c["prot"]
        if c["access"] != "default": kw["access"] = ACCESS[c["access"]]
        if c["anon"]:
            m = mmap.mmap(-1, c["size"], **kw)
            m[:] = data.encode()
            path = None
        else:
            path = os.path.join(d, "fixed%d" % i)
            with open(path, "wb") as f:
                f.write(data.encode())
            f = open(path, c["open"])
            m = mmap.mmap(f.fileno(), 0, **kw)
            f.close()
        steps = replay(m, c["steps"])
        m.close()
        after = ""
        if path:
            with open(path, "rb") as f:
                after = f.read().decode("latin1")
        cases.append({"fixed": True, "anon": c["anon"], "access": c["access"], "data": data, "open": c.get("open", ""),
                      "flags": c.get("flags", 0), "prot": c.get("prot", 0), "steps": steps, "file": after})
    return cases

def main():
    rng = random.Random(20261122)
    cases = []
    d = tempfile.mkdtemp()
    for c in range(400):
        n = rng.randint(1, 24)
        data = "".join(rng.choice("ab\n") for _ in range(n))
        anon = rng.random() < 0.3
        access = rng.choice(list(ACCESS)) if not anon else rng.choice(["default", "copy"])
        path = os.path.join(d, "f%d" % c)
        with open(path, "wb") as f:
            f.write(data.encode())
        if anon:
            m = mmap.mmap(-1, n, access=ACCESS[access])
            m[:] = data.encode()
        else:
            f = open(path, "rb" if access == "read" else "r+b")
            m = mmap.mmap(f.fileno(), 0, access=ACCESS[access])
            f.close()
        steps = []
        for _ in range(rng.randint(5, 30)):
            steps += replay(m, [rand_op(rng, len(m))])
        m.close()
        with open(path, "rb") as f:
            after = f.read().decode("latin1")
        cases.append({"anon": anon, "access": access, "data": data, "steps": steps, "file": after})
    cases += fixed(d)
    json.dump({"python": sys.version.split()[0], "pagesize": mmap.PAGESIZE, "cases": cases}, sys.stdout, indent=None)

main()
