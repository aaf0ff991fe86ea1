#!/usr/bin/env python3
"""Several `bilateral serve` nodes on one database behind nginx, as one server for the benchmark.

    python3 scripts/bench_nodes.py BINARY DB PORT [NODES]

Starts NODES (default 2) nodes on free loopback ports, all on DB (a PostgreSQL URI), and nginx
on PORT balancing over them (least connections, keep-alive to the nodes); stops them all on
SIGTERM. `scripts/bench --postgres` runs it as the `bilateral-pg-2` peer: the 1-node against
2-node figures on loopback. On one machine's cores the nodes share the CPU with PostgreSQL,
nginx and wrk, so the figures show what balancing costs, not how nodes scale.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    binary, db, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    count = int(sys.argv[4]) if len(sys.argv) > 4 else 2
    workdir = tempfile.mkdtemp(prefix="bench-nodes-")
    children = []

    def stop(*_):
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(workdir, ignore_errors=True)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ports = []
    for _ in range(count):
        node = subprocess.Popen(
            [binary, "serve", "--port", "0", "--db", db], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True)
        children.append(node)
        match = re.search(r"http://[^:]+:(\d+)", node.stdout.readline())
        if not match:
            stop()
        ports.append(int(match.group(1)))
    servers = "\n".join(f"        server 127.0.0.1:{p};" for p in ports)
    config = os.path.join(workdir, "nginx.conf")
    with open(config, "w") as f:
        f.write(f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    upstream nodes {{
        least_conn;
{servers}
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://nodes;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
        }}
    }}
}}
""")
    children.append(subprocess.Popen(["nginx", "-p", workdir, "-c", config], stderr=subprocess.DEVNULL))
    signal.pause()


if __name__ == "__main__":
    main()
