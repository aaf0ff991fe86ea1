#!/usr/bin/env python3
"""The change stream's figures: commit-to-event latency, and the memory of idle stream clients.

    python3 scripts/bench_changes.py BINARY [--writes N] [--idle N] [--postgres URI]

Starts `bilateral serve` on a fresh SQLite database in a temp directory (and, with --postgres,
two nodes on a fresh database of that server), then:

  latency  opens GET /v1/changes/stream, POSTs N actors one after the other, and for each
           measures the time from the POST's answer (its commit is acknowledged: the write is
           durable and visible) to its event's arrival on the stream, and from sending the POST
           (an upper bound that includes the write itself). On PostgreSQL the stream is opened on
           the second node: each event crossed nodes (NOTIFY).
  idle     the server's RSS before and after opening N streams that then stay idle.

Prints one JSON object per backend. Targets (issue "What changed"): p50 < 50 ms, p99 < 250 ms,
1,000 idle streams < 32 MiB.
"""
import argparse
import http.client
import json
import os
import re
import resource
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time


def start(binary, db, extra=()):
    process = subprocess.Popen(
        [binary, "serve", "--port", "0", "--db", db, "--rate-limit", "off", "--log-level", "warning",
         "--max-event-streams", "5000", "--max-event-streams-per-client", "5000", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"http://[^:]+:(\d+)", process.stdout.readline())
    if not match:
        process.kill()
        sys.exit("the server did not start")
    return process, int(match.group(1))


def key(binary, db):
    out = subprocess.run([binary, "keys", "create", "--name", "bench", "--db", db], check=True,
                         capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Stream:
    """A raw-socket reader of GET /v1/changes/stream."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.sock.sendall(b"GET /v1/changes/stream HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n")
        self.buffer = b""

    def wait_open(self, timeout=10):
        deadline = time.monotonic() + timeout
        while b"stream open" not in self.buffer:
            self._read(deadline)

    def _read(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no event in time")
        ready, _, _ = select.select([self.sock], [], [], remaining)
        if ready:
            data = self.sock.recv(65536)
            if not data:
                raise ConnectionError("stream closed")
            self.buffer += data

    def wait_for(self, marker, timeout=10):
        deadline = time.monotonic() + timeout
        while marker not in self.buffer:
            self._read(deadline)
        arrived = time.monotonic()
        self.buffer = self.buffer[self.buffer.index(marker) + len(marker):]
        return arrived


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def latency(write_port, stream_port, token, writes):
    stream = Stream(stream_port)
    stream.wait_open()
    connection = http.client.HTTPConnection("127.0.0.1", write_port)
    from_answer, from_send = [], []
    for n in range(writes):
        ident = f"bench-{os.getpid()}-{n}"
        body = json.dumps({"id": ident, "kind": "person", "name": f"Bench {n}", "country": "KH"})
        sent = time.monotonic()
        connection.request("POST", "/v1/actors", body,
                           {"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
        response = connection.getresponse()
        response.read()
        answered = time.monotonic()
        if response.status != 201:
            sys.exit(f"POST answered {response.status}")
        arrived = stream.wait_for(f'"id":"{ident}","op":"create"'.encode())
        from_answer.append(max(0.0, arrived - answered) * 1000)
        from_send.append((arrived - sent) * 1000)
    return {
        "writes": writes,
        "after_commit_ms": {"p50": round(percentile(from_answer, 50), 2), "p99": round(percentile(from_answer, 99), 2),
                            "max": round(max(from_answer), 2)},
        "after_send_ms": {"p50": round(percentile(from_send, 50), 2), "p99": round(percentile(from_send, 99), 2)},
    }


def idle(port, pid, count):
    before = rss_kib(pid)
    streams = []
    for _ in range(count):
        streams.append(Stream(port))
    for stream in streams:
        stream.wait_open()
    time.sleep(2)
    after = rss_kib(pid)
    for stream in streams:
        stream.sock.close()
    return {"streams": count, "rss_before_mib": round(before / 1024, 1), "rss_after_mib": round(after / 1024, 1),
            "delta_mib": round((after - before) / 1024, 1)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--writes", type=int, default=500)
    parser.add_argument("--idle", type=int, default=1000)
    parser.add_argument("--postgres")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, args.idle + 256)), hard))
    work = tempfile.mkdtemp(prefix="bench-changes-")
    children = []
    try:
        db = os.path.join(work, "bench.sqlite")
        subprocess.run([args.binary, "migrate", "--db", db], check=True, capture_output=True)
        token = key(args.binary, db)
        server, port = start(args.binary, db)
        children.append(server)
        result = {"backend": "sqlite", **latency(port, port, token, args.writes)}
        result["idle"] = idle(port, server.pid, args.idle)
        print(json.dumps(result))
        if args.postgres:
            name = f"bench_changes_{os.getpid()}"
            subprocess.run(["psql", args.postgres, "-qc", f"CREATE DATABASE {name}"], check=True)
            uri = args.postgres.rsplit("/", 1)[0] + "/" + name
            subprocess.run([args.binary, "migrate", "--db", uri], check=True, capture_output=True)
            token = key(args.binary, uri)
            a, port_a = start(args.binary, uri)
            b, port_b = start(args.binary, uri)
            children += [a, b]
            result = {"backend": "postgresql", "nodes": "write through one, stream from the other",
                      **latency(port_a, port_b, token, args.writes)}
            result["idle"] = idle(port_b, b.pid, args.idle)
            print(json.dumps(result))
    finally:
        for child in children:
            child.terminate()
        for child in children:
            child.wait(timeout=15)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
