#!/usr/bin/env python3
"""A cached layer against nginx serving the same bytes, in one run.

Starts hotspotd on the bundled data and asks it once for the wards layer
(identity and gzip), so the answer is cached; writes both bodies to files
and starts nginx as a throwaway unprivileged instance on a loopback port
(its own configuration, logs and temp paths in a scratch directory), serving
them with gzip_static. Then wrk at the given connections, in turn: hotspotd
identity, nginx identity, hotspotd gzip, nginx gzip, each run --rounds times
(interleaved, so both see the same machine load); the best round of each
counts. Both servers get the same threads (hotspotd --threads, nginx
worker_processes) and log every request (nginx to /dev/null, hotspotd to
stderr, which goes to /dev/null).

  versus_nginx.py --binary build/hotspotd --duration 10 --markdown docs/benchmarks.md
  versus_nginx.py --binary build/hotspotd --duration 3     # prints the table only
"""
import argparse
import gzip
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import publish, run_wrk, start_server  # noqa: E402  (the load test's helpers)

PATH = "/api/layers/wards"
BEGIN, END = "<!-- versus-nginx -->", "<!-- /versus-nginx -->"
NGINX_CONF = """
worker_processes {workers};
daemon off;
pid {scratch}/nginx.pid;
error_log {scratch}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log /dev/null;
  client_body_temp_path {scratch}/body;
  proxy_temp_path {scratch}/proxy;
  fastcgi_temp_path {scratch}/fastcgi;
  uwsgi_temp_path {scratch}/uwsgi;
  scgi_temp_path {scratch}/scgi;
  types {{ application/geo+json geojson; }}
  keepalive_requests 1000000;
  sendfile on;
  tcp_nopush on;
  server {{
    listen 127.0.0.1:{port};
    root {scratch}/www;
    gzip_static on;
    add_header Cache-Control no-cache;
  }}
}}
"""


def fetch(url, gzip_wanted):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_wanted else {})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return answer.read(), answer.headers


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_nginx(scratch, identity, compressed, workers):
    www = os.path.join(scratch, "www")
    os.makedirs(www)
    with open(os.path.join(www, "wards.geojson"), "wb") as f:
        f.write(identity)
    with open(os.path.join(www, "wards.geojson.gz"), "wb") as f:
        f.write(compressed)
    port = free_port()
    conf = os.path.join(scratch, "nginx.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(workers=workers, scratch=scratch, port=port))
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    # A session of its own: its workers are stopped with it whatever happens.
    child = subprocess.Popen([nginx, "-c", conf, "-p", scratch], stderr=subprocess.DEVNULL,
                             start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            fetch(base + "/wards.geojson", False)
            return child, base
        except OSError:
            time.sleep(0.05)
    os.killpg(child.pid, signal.SIGKILL)
    sys.exit("nginx did not start; its log: " + os.path.join(scratch, "error.log"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="hotspotd --threads, nginx workers")
    parser.add_argument("--markdown", help="file whose versus-nginx section is replaced")
    args = parser.parse_args()

    server, base = start_server(args.binary, 1024, ["--threads", str(args.threads)])
    scratch = tempfile.mkdtemp(prefix="hotspot-nginx.")
    os.chmod(scratch, 0o755)  # nginx started by root reads as its workers' user
    nginx = None
    try:
        identity, headers = fetch(base + PATH, False)
        compressed, gz_headers = fetch(base + PATH, True)
        if gz_headers.get("Content-Encoding") != "gzip" or gzip.decompress(compressed) != identity:
            sys.exit("hotspotd's gzip answer does not decompress to its identity answer")
        nginx, nginx_base = start_nginx(scratch, identity, compressed, args.threads)
        if fetch(nginx_base + "/wards.geojson", True)[0] != compressed:
            sys.exit("nginx does not serve the same gzip bytes")
        runs = [("hotspotd", "identity", base + PATH), ("nginx", "identity", nginx_base + "/wards.geojson"),
                ("hotspotd", "gzip", base + PATH), ("nginx", "gzip", nginx_base + "/wards.geojson")]
        best = {}
        for _ in range(args.rounds):
            for server_name, encoding, url in runs:
                extra = ["-H", "Accept-Encoding: gzip"] if encoding == "gzip" else []
                result = run_wrk(url, "", None, args.connections, args.duration, extra)
                if result["socket_errors"] or result["server_error"] or not result["ok"]:
                    sys.exit(f"{server_name} {encoding}: failed run\n{result['raw']}")
                key = (server_name, encoding)
                if key not in best or result["rps"] > best[key]["rps"]:
                    best[key] = result
    finally:
        if nginx:
            os.killpg(nginx.pid, signal.SIGTERM)
            nginx.wait(timeout=30)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(scratch, ignore_errors=True)

    lines = [BEGIN, "## A cached layer against nginx (loopback)", "",
             f"`bench/load/versus_nginx.py`: `{PATH}` from hotspotd's cache against nginx "
             f"{nginx_version()} serving the same bytes from a file (`gzip_static` for the gzip "
             f"form), both with {args.threads} threads/workers, wrk -c{args.connections} "
             f"-t4 for {args.duration} s, {args.rounds} interleaved rounds, the best round of "
             f"each; on {os.cpu_count()} shared cores, load average "
             f"{os.getloadavg()[0]:.1f} at the end. Body: {len(identity):,} bytes, "
             f"{len(compressed):,} gzip ({100 * len(compressed) / len(identity):.0f} %).", "",
             "| encoding | server | req/s | p50 ms | p99 ms | hotspotd / nginx req/s |",
             "|---|---|---:|---:|---:|---:|"]
    for encoding in ("identity", "gzip"):
        ours, theirs = best[("hotspotd", encoding)], best[("nginx", encoding)]
        ratio = f"{100 * ours['rps'] / theirs['rps']:.0f} %" if theirs["rps"] else "-"
        for name, r in (("hotspotd", ours), ("nginx", theirs)):
            lines.append(f"| {encoding} | {name} | {r['rps']:.0f} | {r['p50']:.2f} | "
                         f"{r['p99']:.2f} | {ratio if name == 'hotspotd' else ''} |")
    publish(lines + [END], args.markdown, BEGIN, END)


def nginx_version():
    output = subprocess.run([shutil.which("nginx") or "/usr/sbin/nginx", "-v"],
                            capture_output=True, text=True).stderr
    return output.strip().split("/")[-1] if "/" in output else "(version unknown)"


if __name__ == "__main__":
    main()
