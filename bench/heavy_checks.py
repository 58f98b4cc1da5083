"""Reads while heavy compatibility checks run (issue 17).

Builds a FULL_TRANSITIVE subject of N versions whose shapes all differ (version v adds the
optional field g<v>), so every check judges N distinct schemas both ways; then runs THREADS
clients posting POST /compatibility/subjects/heavy-value/versions in a loop for SECONDS, and
prints how many checks ran and their mean latency. bench/heavy_reads.sh runs wrk on
GET /schemas/ids/{id} alone and beside this load.
Usage: heavy_checks.py URL setup N | heavy_checks.py URL load N THREADS SECONDS"""

import json
import sys
import threading
import time
import urllib.request

url, cmd, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
subject = "heavy-value"
headers = {"Content-Type": "application/vnd.schemaregistry.v1+json"}


def call(method, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=120) as resp:
        return json.loads(resp.read())


def schema(v):
    fields = [{"name": f"f{i}", "type": ["null", "long"], "default": None} for i in range(20)]
    fields += [{"name": f"g{k}", "type": ["null", "string"], "default": None} for k in range(1, v + 1)]
    return json.dumps({"type": "record", "name": "Heavy", "fields": fields})


if cmd == "setup":
    call("PUT", f"/config/{subject}", {"compatibility": "NONE"})
    for v in range(1, n + 1):
        assert "id" in call("POST", f"/subjects/{subject}/versions", {"schema": schema(v % 60)}), v
    call("PUT", f"/config/{subject}", {"compatibility": "FULL_TRANSITIVE"})
else:
    threads, seconds = int(sys.argv[4]), float(sys.argv[5])
    stop = time.monotonic() + seconds
    done, spent, lock = [0], [0.0], threading.Lock()

    def worker():
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            out = call("POST", f"/compatibility/subjects/{subject}/versions", {"schema": schema(61)})
            assert "is_compatible" in out, out
            with lock:
                done[0] += 1
                spent[0] += time.perf_counter() - t0

    ts = [threading.Thread(target=worker) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    mean = 1000 * spent[0] / max(1, done[0])
    print(f"heavy load: {done[0]} FULL_TRANSITIVE checks over {n} versions by {threads} clients in {seconds:.0f} s, mean {mean:.0f} ms each")
