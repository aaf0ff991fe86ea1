"""Bulk workloads for scripts/bench: NDJSON import and export, and memory during a large import.

  import   POST /v1/import of N meetings (default 100,000) with their 2,000 actors, on an empty
           database: records/s (wall clock, and per second of server CPU), peak server RSS
  export   GET /v1/export of the same database: records/s, bytes/s
  rss_1m   peak server RSS while POST /v1/import loads 1,000,000 records (actors, then meetings),
           sampled every 50 ms; the growth over the idle server is what must stay bounded

The dataset is generated here (deterministic, in the import format: actors, then meetings with
2-4 participants, a location, a title and a summary), the shape of the side-by-side harness's
gen_dataset.py import.ndjson, so the project needs nothing outside itself.
"""
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
import time

COUNTRIES = ["US", "CN", "JP", "KH", "VN", "TH", "IN", "FR", "GB", "DE", "AU", "KR", "ID", "SG", "MY", "PH"]
KINDS = ["meeting", "call", "visit", "summit", "dialogue", "negotiation"]
ROLES = ["host", "guest", "delegate", "observer"]
WORDS = ["maritime", "security", "trade", "investment", "climate", "finance", "health", "demining",
         "education", "energy", "digital", "connectivity", "supply", "chains", "tourism", "water"]


def write_dataset(path, meetings, actors=2000, seed=20261129):
    """Writes `actors` actor lines then `meetings` meeting lines; returns the number of records."""
    rng = random.Random(seed)
    actor_countries = [rng.choice(COUNTRIES) for _ in range(actors)]
    with open(path, "w") as out:
        for i in range(actors):
            out.write(json.dumps({"type": "actor", "id": f"a{i:05d}", "kind": "person",
                                  "name": f"Official {i}", "country": actor_countries[i]},
                                 separators=(",", ":")) + "\n")
        for i in range(meetings):
            people = rng.sample(range(actors), rng.randint(2, 4))
            year, month, day = rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28)
            words = " ".join(rng.choice(WORDS) for _ in range(24))
            out.write(json.dumps({
                "type": "meeting", "id": f"m{i:07d}", "title": f"Talks on {rng.choice(WORDS)} {i}",
                "date": f"{year:04d}-{month:02d}-{day:02d}", "kind": rng.choice(KINDS),
                "location": {"city": "Capital", "country": actor_countries[people[0]]},
                "participants": [{"actor_id": f"a{p:05d}", "role": ROLES[k % len(ROLES)]}
                                 for k, p in enumerate(people)],
                "summary": f"Officials discussed {words}."}, separators=(",", ":")) + "\n")
    return actors + meetings


def status_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class RSSSampler(threading.Thread):
    """Samples VmRSS of `pid` every 50 ms until stopped; `peak` is the largest seen, in KiB."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.stopped = pid, 0, threading.Event()

    def run(self):
        while not self.stopped.is_set():
            self.peak = max(self.peak, status_kib(self.pid, "VmRSS"))
            time.sleep(0.05)

    def stop(self):
        self.stopped.set()
        self.join()
        self.peak = max(self.peak, status_kib(self.pid, "VmRSS"))


def start(binary, workdir, name):
    db = os.path.join(workdir, f"{name}.sqlite")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    token = subprocess.run([binary, "keys", "create", "--name", "bench", "--db", db], check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
    proc = subprocess.Popen([binary, "serve", "--port", "0", "--db", db, "--synchronous", "normal",
                             "--log-level", "warning"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, cwd=workdir)
    match = re.search(r"http://[^:]+:(\d+)", proc.stdout.readline())
    if not match:
        proc.kill()
        sys.exit("server did not start")
    return proc, int(match.group(1)), token


def post_import(port, token, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600, blocksize=1 << 20)
    with open(path, "rb") as body:
        connection.request("POST", "/v1/import", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": "application/x-ndjson",
            "Content-Length": str(os.path.getsize(path))})
        response = connection.getresponse()
        answer = response.read()
    if response.status != 200:
        sys.exit(f"import failed: {response.status} {answer[:500]!r}")
    return json.loads(answer)


def get_export(port):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    connection.request("GET", "/v1/export")
    response = connection.getresponse()
    lines = size = 0
    while True:
        piece = response.read(1 << 20)
        if not piece:
            break
        size += len(piece)
        lines += piece.count(b"\n")
    return lines, size


def import_and_export(binary, workdir, dataset, records):
    """One round: a fresh server imports `dataset`, then exports it."""
    proc, port, token = start(binary, workdir, "bulk")
    try:
        cpu0, sampler = cpu_seconds(proc.pid), RSSSampler(proc.pid)
        sampler.start()
        t0 = time.monotonic()
        report = post_import(port, token, dataset)
        seconds = time.monotonic() - t0
        cpu = cpu_seconds(proc.pid) - cpu0
        sampler.stop()
        if report["created"] != records:
            sys.exit(f"import created {report['created']} of {records}: {report}")
        get_export(port)  # warm the page cache once, as a reader would find it
        cpu0, t0 = cpu_seconds(proc.pid), time.monotonic()
        lines, size = get_export(port)
        export_seconds = time.monotonic() - t0
        export_cpu = cpu_seconds(proc.pid) - cpu0
        if lines != records:
            sys.exit(f"export wrote {lines} lines, expected {records}")
        return {"import_rps": records / seconds, "import_s": seconds, "import_cpu_rps": records / cpu,
                "import_peak_rss_mib": sampler.peak / 1024, "export_rps": records / export_seconds,
                "export_s": export_seconds, "export_cpu_rps": records / export_cpu,
                "export_mib_s": size / export_seconds / (1 << 20)}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def rss_during_import(binary, workdir, dataset, records):
    proc, port, token = start(binary, workdir, "rss")
    try:
        time.sleep(0.5)
        idle = status_kib(proc.pid, "VmRSS")
        sampler = RSSSampler(proc.pid)
        sampler.start()
        t0 = time.monotonic()
        report = post_import(port, token, dataset)
        seconds = time.monotonic() - t0
        sampler.stop()
        if report["created"] != records:
            sys.exit(f"import created {report['created']} of {records}")
        return {"idle_rss_mib": idle / 1024, "peak_rss_mib": sampler.peak / 1024,
                "growth_mib": (sampler.peak - idle) / 1024, "hwm_mib": status_kib(proc.pid, "VmHWM") / 1024,
                "seconds": seconds, "rps": records / seconds}
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def run(binary, workdir, rounds, meetings, rss_records):
    """Runs the bulk workloads and prints their table; returns the raw results."""
    import statistics
    dataset = os.path.join(workdir, "import.ndjson")
    records = write_dataset(dataset, meetings)
    print(f"\nbulk dataset: {records:,} records, {os.path.getsize(dataset) / (1 << 20):.1f} MiB", flush=True)
    results = []
    for round_number in range(1, rounds + 1):
        r = import_and_export(binary, workdir, dataset, records)
        results.append(r)
        print(f"round {round_number} import {r['import_rps']:>9,.0f} records/s ({r['import_s']:.1f} s; "
              f"{r['import_cpu_rps']:,.0f} per CPU-second; peak RSS {r['import_peak_rss_mib']:.1f} MiB)  "
              f"export {r['export_rps']:>9,.0f} records/s ({r['export_s']:.2f} s, {r['export_mib_s']:.0f} MiB/s; "
              f"{r['export_cpu_rps']:,.0f} per CPU-second)", flush=True)
    rss = None
    if rss_records > 0:
        os.remove(dataset)
        big = os.path.join(workdir, "import-1m.ndjson")
        total = write_dataset(big, rss_records - 2000)
        rss = rss_during_import(binary, workdir, big, total)
        os.remove(big)
        print(f"rss_1m: {total:,} records in {rss['seconds']:.0f} s ({rss['rps']:,.0f}/s); RSS idle "
              f"{rss['idle_rss_mib']:.1f} MiB, peak {rss['peak_rss_mib']:.1f} MiB "
              f"(growth {rss['growth_mib']:.1f} MiB; VmHWM {rss['hwm_mib']:.1f} MiB)", flush=True)

    def median(key):
        return statistics.median(r[key] for r in results)

    print(f"\nBulk, medians of {rounds} rounds ({records:,} records: {meetings:,} meetings + 2,000 actors), "
          f"on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}:\n")
    print("| workload | records/s | seconds | records per CPU-second | target |")
    print("|---|---:|---:|---:|---:|")
    print(f"| import (POST /v1/import) | {median('import_rps'):,.0f} | {median('import_s'):.1f} | "
          f"{median('import_cpu_rps'):,.0f} | ≥ 50,000 |")
    print(f"| export (GET /v1/export) | {median('export_rps'):,.0f} | {median('export_s'):.2f} | "
          f"{median('export_cpu_rps'):,.0f} | ≥ 200,000 |")
    if rss:
        print(f"| peak RSS, {rss_records:,}-record import | {rss['peak_rss_mib']:.1f} MiB "
              f"(+{rss['growth_mib']:.1f} over idle) | {rss['seconds']:.0f} | | < 150 MiB (+100) |")
    return {"rounds": results, "rss": rss}
