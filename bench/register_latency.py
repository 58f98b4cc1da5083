"""Registration latency deep into a subject's history, under FULL_TRANSITIVE.

Registers versions 1..N (default 1100) of one subject over one kept-alive connection, as
Confluent's clients do, and reports p50/p99 of the client-side latency of versions 901..1100
(200 samples, around the 1,000th version), each checked both ways against every earlier
version. Each version is a 20-field record whose doc names its revision: distinct schemas, all
compatible. Usage: register_latency.py http://127.0.0.1:PORT [N]"""

import http.client
import json
import math
import statistics
import sys
import time
import urllib.parse

url, n = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1100
subject = "latency-value"
headers = {"Content-Type": "application/vnd.schemaregistry.v1+json"}
target = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(target.hostname, target.port)


def call(method, path, body):
    conn.request(method, path, body=json.dumps(body).encode(), headers=headers)
    resp = conn.getresponse()
    return json.loads(resp.read())


call("PUT", f"/config/{subject}", {"compatibility": "FULL_TRANSITIVE"})
fields = [{"name": f"f{i}", "type": ["null", "long"], "default": None} for i in range(20)]
samples = []
for v in range(1, n + 1):
    schema = {"type": "record", "name": "Latency", "doc": f"revision {v}", "fields": fields}
    t0 = time.perf_counter()
    out = call("POST", f"/subjects/{subject}/versions", {"schema": json.dumps(schema)})
    dt = (time.perf_counter() - t0) * 1000
    assert "id" in out, out
    if 901 <= v <= 1100:
        samples.append(dt)
samples.sort()
p50 = statistics.median(samples)
# Nearest rank: the smallest sample with at least 99% of the samples at or below it.
p99 = samples[math.ceil(len(samples) * 0.99) - 1]
print(
    f"registration around version 1000 (FULL_TRANSITIVE, {len(samples)} samples): "
    f"p50 {p50:.2f} ms, p99 {p99:.2f} ms, max {samples[-1]:.2f} ms"
)
