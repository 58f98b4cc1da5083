#!/usr/bin/env python3
"""Writes N OrderPlaced events as JSON lines (deterministic, seed 42).

Usage: gen.py N OUT.jsonl
Events vary in item count (1-5), currency (null or a code), status and strings, like a real
order stream; the schema is tests/fixtures/validate/order_placed.avsc.
"""
import json
import random
import sys
import uuid

STATUSES = ["PLACED", "PAID", "SHIPPED", "CANCELLED"]
CURRENCIES = [None, "EUR", "USD", "GBP"]
CITIES = ["Springfield", "Berlin", "Lyon", "Osaka", "Porto", "Austin"]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    with open(out, "w") as f:
        for i in range(n):
            items = [
                {"sku": f"SKU-{rnd.randrange(100000):05d}", "quantity": rnd.randrange(1, 10),
                 "unit_price": round(rnd.uniform(0.5, 500), 2)}
                for _ in range(rnd.randrange(1, 6))
            ]
            ev = {
                "order_id": str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
                "customer_id": rnd.randrange(1, 10_000_000),
                "placed_at": 1_700_000_000_000 + i * 37,
                "status": rnd.choice(STATUSES),
                "items": items,
                "shipping_address": {"street": f"{rnd.randrange(1, 999)} Main St", "city": rnd.choice(CITIES),
                                     "postal_code": f"{rnd.randrange(10000, 99999)}", "country": "US"},
                "currency": rnd.choice(CURRENCIES),
                "total": round(sum(it["quantity"] * it["unit_price"] for it in items), 2),
            }
            f.write(json.dumps(ev, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
