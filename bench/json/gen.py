"""Writes N OrderPlaced events as JSON lines, valid against tests/fixtures/validate/order.json.
Usage: gen.py N OUT (seed 42, so every run measures the same file)."""

import json
import random
import sys
import uuid

n, out = int(sys.argv[1]), sys.argv[2]
rng = random.Random(42)
cities = ["Springfield", "Zürich", "Lyon", "Berlin", "Portland"]
with open(out, "w") as f:
    for i in range(n):
        event = {
            "order_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "customer_id": rng.randint(1, 10_000_000),
            "customer_email": f"customer{i}@example.com",
            "placed_at": f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T"
                         f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}Z",
            "status": rng.choice(["PLACED", "PAID", "SHIPPED", "CANCELLED"]),
            "items": [
                {"sku": f"{rng.choice('ABCDEFG')}-{rng.randint(1, 99999)}",
                 "quantity": rng.randint(1, 20),
                 "unit_price": round(rng.uniform(0.5, 500), 2)}
                for _ in range(rng.randint(1, 5))
            ],
            "shipping_address": {
                "street": f"{rng.randint(1, 999)} Main St",
                "city": rng.choice(cities),
                "postal_code": f"{rng.randint(0, 99999):05d}",
                "country": rng.choice(["US", "DE", "FR", "CH"]),
            },
            "currency": rng.choice(["EUR", "USD", None]),
            "total": round(rng.uniform(1, 5000), 2),
        }
        f.write(json.dumps(event, separators=(",", ":"), ensure_ascii=False))
        f.write("\n")
