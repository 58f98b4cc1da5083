#!/usr/bin/env python3
"""Times Apache Avro's Python compatibility checker on the schemas of benches/avro_compat.rs.

The schemas are generated exactly as the Rust bench generates them (compare the printed
FNV-1a digests with `cargo bench --bench avro_compat`). Parsing is outside the timed loops on
both sides; a fresh checker is used per check, as a registry would (the Python checker memoizes
across calls on one instance).

Run: python3 bench/avro_compat_peer.py [--pair-only]
     (creates bench/.venv with the pinned avro if needed; the FULL_TRANSITIVE part takes minutes)
"""

import json
import os
import statistics
import subprocess
import sys
import time

AVRO_VERSION = "1.12.2"
HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, ".venv")

try:
    import avro  # noqa: F401
    import avro.schema
    from avro.compatibility import ReaderWriterCompatibilityChecker, SchemaCompatibilityType
except ImportError:
    if os.environ.get("AVRO_PEER_REEXEC"):
        raise
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", f"avro=={AVRO_VERSION}"])
    os.execve(py, [py] + sys.argv, dict(os.environ, AVRO_PEER_REEXEC="1"))

FIELDS = 300
VERSIONS = 1000


def field(i, evolved):
    k = i % 6
    if k == 0:
        return {"name": f"f{i}", "type": "long"}
    if k == 1:
        return {"name": f"f{i}", "type": "string"}
    if k == 2:
        return {"name": f"f{i}", "type": ["null", "string"], "default": None}
    if k == 3:
        symbols = [f"S{s}" for s in range(5)] + (["S5"] if evolved else [])
        return {"name": f"f{i}", "type": {"type": "enum", "name": f"E{i}", "symbols": symbols}}
    if k == 4:
        return {"name": f"f{i}", "type": {"type": "record", "name": f"N{i}", "fields": [
            {"name": "a", "type": "long" if evolved else "int"},
            {"name": "b", "type": "string"},
            {"name": "c", "type": ["null", "long"], "default": None},
            {"name": "d", "type": {"type": "array", "items": "double"}},
            {"name": "e", "type": {"type": "map", "values": "string"}},
        ]}}
    return {"name": f"f{i}", "type": ["null", {"type": "record", "name": f"U{i}", "fields": [
        {"name": "x", "type": "int"},
        {"name": "y", "type": "string"},
    ]}], "default": None}


def schema(evolved, rev=None):
    fields = [field(i, evolved) for i in range(FIELDS)]
    if evolved:
        fields += [{"name": f"added{j}", "type": ["null", "string"], "default": None} for j in range(10)]
    if rev is not None:
        fields.append({"name": f"rev{rev}", "type": ["null", "long"], "default": None})
    return json.dumps({"type": "record", "name": "Event", "namespace": "bench", "fields": fields}, separators=(",", ":"))


def digest(texts):
    h = 0xCBF29CE484222325
    for t in texts:
        for b in t.encode() + b"\n":
            h ^= b
            h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def compatible(reader, writer):
    r = ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return r.compatibility is SchemaCompatibilityType.compatible


def timed(fn, runs):
    """Median and best wall time, and median CPU time (the machine may be shared)."""
    times, cpu = [], []
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return statistics.median(times), min(times), statistics.median(cpu)


def main():
    old_t, new_t = schema(False), schema(True)
    print(f"pair fnv1a64: {digest([old_t, new_t])}")
    old, new = avro.schema.parse(old_t), avro.schema.parse(new_t)
    assert compatible(new, old)
    med, best, cpu = timed(lambda: compatible(new, old), 50)
    print(f"python avro {AVRO_VERSION} check 300 fields: median {med * 1e3:.3f} ms, best {best * 1e3:.3f} ms, median CPU {cpu * 1e3:.3f} ms (50 runs)")

    if "--pair-only" in sys.argv:
        return
    texts = [schema(False, k) for k in range(1, VERSIONS + 1)]
    new_t = schema(False, VERSIONS + 1)
    print(f"versions fnv1a64: {digest(texts + [new_t])}")
    versions = [avro.schema.parse(t) for t in texts]
    new = avro.schema.parse(new_t)

    def full_transitive():
        ok = True
        for v in reversed(versions):
            ok &= compatible(new, v) and compatible(v, new)
        return ok

    assert full_transitive()
    med, best, cpu = timed(full_transitive, 3)
    print(f"python avro {AVRO_VERSION} FULL_TRANSITIVE 1000 versions: median {med:.3f} s, best {best:.3f} s, median CPU {cpu:.3f} s (3 runs)")


if __name__ == "__main__":
    main()
