#!/usr/bin/python3
"""GET /api/customers/{id} N times on one keep-alive connection, ids from a fixed seed: a repeatable
load for counting a server's instructions per request under callgrind (docs/benchmarks.md).

    bench/seq_get.py PORT TOKEN random|IDS_FILE N    (random: ids 1..100000)
"""
import http.client
import random
import sys

port, token, ids_from, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
random.seed(42)
ids = None if ids_from == "random" else [line.strip() for line in open(ids_from) if line.strip()]
connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
headers = {"Authorization": "Bearer " + token, "Accept": "application/json"}
failed = 0
for _ in range(n):
    customer = random.choice(ids) if ids else str(random.randint(1, 100000))
    connection.request("GET", "/api/customers/" + customer, headers=headers)
    response = connection.getresponse()
    response.read()
    failed += response.status != 200
print(f"{n} requests, {failed} not 200")
sys.exit(1 if failed else 0)
