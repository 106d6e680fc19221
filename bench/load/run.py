#!/usr/bin/env python3
"""Load test: the real hotspotd under wrk on loopback.

Starts hotspotd on the bundled data with a memory budget, then runs wrk for
each scenario at each connection count: map layers, one cached analysis,
and analyses with varying parameters (bench/load/varying.lua; most are
computed, and beyond the pool's queue refused with 503). For every run it
records requests per second, p50 and p99 latency, socket errors, answers by
status class, and the server's resident memory before, at its peak and after
(VmRSS, VmHWM from /proc).

  run.py --binary build/hotspotd --duration 60 --connections 64 512 \\
         --markdown docs/benchmarks.md      # replaces the marked section
  run.py --binary build/hotspotd --duration 5 --check   # scripts/test

--check exits non-zero when any run had a socket error, a 5xx other than
503, no successful answer, or a peak over the memory budget.
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
STATUSES = os.path.join(HERE, "statuses.lua")
# name, path (asked once before the run, to warm the cache), wrk script
SCENARIOS = [
    ("layers", "/api/layers/wards", STATUSES),
    ("cached analysis", "/api/hotspots/kde?cell=100&bandwidth=500", STATUSES),
    ("varying analyses", None, os.path.join(HERE, "varying.lua")),
]
BEGIN, END = "<!-- load-test -->", "<!-- /load-test -->"


def memory_mib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                values[name] = int(rest.split()[0]) / 1024
    return values


def start_server(binary, budget_mib, extra=()):
    args = [binary, "--port", "0", "--memory-budget", str(budget_mib), *extra]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = child.stdout.readline()
    match = re.search(r"http://([^:]+):(\d+)/", line)
    if not match:
        child.kill()
        sys.exit(f"hotspotd did not start: {line!r}")
    return child, f"http://127.0.0.1:{match.group(2)}"


def to_ms(text):
    number, unit = float(re.match(r"[\d.]+", text).group()), re.sub(r"[\d.]", "", text)
    return number * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(base, path, script, connections, duration, extra=()):
    threads = min(4, connections)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s",
               "--latency", *extra]
    if script:
        command += ["-s", script]
    output = subprocess.run(command + [base + path], capture_output=True, text=True,
                            timeout=duration + 60).stdout
    result = {"rps": 0.0, "p50": None, "p99": None, "socket_errors": 0,
              "ok": 0, "refused": 0, "client_error": 0, "server_error": 0, "raw": output}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", output):
        result["rps"] = float(m.group(1))
    for percent, key in (("50", "p50"), ("99", "p99")):
        if m := re.search(rf"^\s+{percent}%\s+(\S+)", output, re.M):
            result[key] = to_ms(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                      output):
        result["socket_errors"] = sum(int(g) for g in m.groups())
    if m := re.search(r"statuses: 2xx (\d+), 503 (\d+), 4xx (\d+), other 5xx (\d+)", output):
        result.update(ok=int(m.group(1)), refused=int(m.group(2)),
                      client_error=int(m.group(3)), server_error=int(m.group(4)))
    else:
        total = re.search(r"(\d+) requests in", output)
        non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        result["ok"] = (int(total.group(1)) if total else 0) - (int(non2xx.group(1)) if non2xx else 0)
        result["server_error"] = int(non2xx.group(1)) if non2xx else 0
    return result


def replace_section(path, begin, end, section):
    """Puts `section` (begin marker to end marker) in place of the file's, or at its end."""
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def publish(lines, markdown, begin, end):
    """Prints the section's lines and, given a file, puts them in place of its section."""
    section = "\n".join(lines) + "\n"
    print(section)
    if markdown:
        replace_section(markdown, begin, end, section)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--connections", type=int, nargs="+", default=[64, 512])
    parser.add_argument("--budget", type=int, default=1024, help="--memory-budget, MiB")
    parser.add_argument("--markdown", help="file whose load-test section is replaced")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()

    rows, failures = [], []
    for connections in args.connections:
        # A fresh server per connection count, so that memory before/after
        # and the peak belong to that count alone.
        child, base = start_server(args.binary, args.budget)
        try:
            for name, path, script in SCENARIOS:
                if path:
                    urllib.request.urlopen(base + path, timeout=30).read()
                before = memory_mib(child.pid)["VmRSS"]
                result = run_wrk(base, path or "/", script, connections, args.duration)
                time.sleep(1)
                memory = memory_mib(child.pid)
                rows.append((name, connections, result, before, memory["VmHWM"], memory["VmRSS"]))
                label = f"{name} at {connections} connections"
                if result["socket_errors"]:
                    failures.append(f"{label}: {result['socket_errors']} socket errors")
                if result["server_error"]:
                    failures.append(f"{label}: {result['server_error']} 5xx answers other than 503")
                if result["ok"] == 0:
                    failures.append(f"{label}: no successful answer\n{result['raw']}")
                if memory["VmHWM"] > args.budget:
                    failures.append(f"{label}: peak {memory['VmHWM']:.0f} MiB over the budget")
        finally:
            child.send_signal(signal.SIGTERM)
            code = child.wait(timeout=30)
            if code != 0:
                failures.append(f"hotspotd exited {code} after SIGTERM")

    lines = [BEGIN, "## Load: hotspotd under wrk (loopback)", "",
             f"`bench/load/run.py`, {args.duration} s per run, wrk with a 10 s timeout, "
             f"`--memory-budget {args.budget}` (cache {args.budget // 8} MiB), default pool "
             f"(the cores at once, four per worker queued), on {os.cpu_count()} cores. "
             "Memory is the server's resident size before the run, its peak (since start) "
             "and one second after. 503s are the pool's bounded queue refusing work "
             "(with Retry-After), not failures.", "",
             "| scenario | connections | req/s | p50 ms | p99 ms | socket errors | 2xx | 503 | "
             "4xx | other 5xx | MiB before | MiB peak | MiB after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, connections, r, before, peak, after in rows:
        p50 = f"{r['p50']:.1f}" if r["p50"] is not None else "-"
        p99 = f"{r['p99']:.1f}" if r["p99"] is not None else "-"
        lines.append(f"| {name} | {connections} | {r['rps']:.0f} | {p50} | {p99} | "
                     f"{r['socket_errors']} | {r['ok']} | {r['refused']} | {r['client_error']} | "
                     f"{r['server_error']} | {before:.0f} | {peak:.0f} | {after:.0f} |")
    publish(lines + [END], args.markdown, BEGIN, END)
    for failure in failures:
        print("FAIL", failure)
    print(f"load: {len(rows)} runs, {len(failures)} failures")
    return 1 if args.check and failures else 0


if __name__ == "__main__":
    sys.exit(main())
