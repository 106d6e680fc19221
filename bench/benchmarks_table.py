#!/usr/bin/python3
"""Writes docs/benchmarks.md (on stdout) from scripts/bench's measurements.

--ours       our CSV (tool,task,N,seconds,peak_MB,runs,note)
--peers-run  the peers' CSVs measured in the same scripts/bench run
--published  the peers' published results directory (results/summary-N.csv),
             used for any size not run here and labelled as such
--runlog     what scripts/bench ran in this invocation (kind,what,N,status,start,end)

Result lines of benchmarks that are missing or print none are simply absent:
their tables say so instead of showing numbers.
"""
import argparse
import csv
import datetime
import os
import platform
import re
import subprocess

# Our task -> the peer tasks it is compared with.
PAIRS = {
    "dbscan": [("postgis", "dbscan", "PostGIS ST_ClusterDBSCAN"),
               ("sklearn", "dbscan_kd_tree", "scikit-learn DBSCAN kd_tree, n_jobs=2")],
    "kde_quartic": [("numpy", "kde_quartic_scatter", "numpy scatter"),
                    ("scipy", "kde_quartic_kdtree", "scipy cKDTree per cell")],
    "gistar_bin+stat": [("numpy", "gistar_bin+stat", "numpy")],
    "gistar_stat_only": [("numpy", "gistar_stat_only", "numpy")],
    "pip_lsoa": [("postgis", "pip_lsoa", "PostGIS ST_Contains"),
                 ("geopandas", "pip_lsoa", "geopandas sjoin")],
    "pip_wards": [("postgis", "pip_wards", "PostGIS ST_Contains"),
                  ("geopandas", "pip_wards", "geopandas sjoin")],
    "http_nte_dbscan": [],
}
# Any of our tasks named load* (bench_load) is compared with these.
LOAD_PEERS = [("postgis", "load_total", "PostGIS COPY + GiST index + ANALYZE (load total)"),
              ("geopandas", "load_csv+points", "geopandas read_csv + points_from_xy"),
              ("sklearn", "load_csv", "pandas read_csv (3 columns)")]
# Tasks without a peer: the speed target instead.
TARGET_ONLY = {"http_nte_dbscan": (0.050, "≤ 50 ms")}
TITLES = {
    "dbscan": "DBSCAN, eps 100 m, min_points 10",
    "kde_quartic": "Quartic KDE, h 500 m, 100 m grid over the wards' extent (719 x 521)",
    "gistar_bin+stat": "Gi*, 250 m grid (288 x 210), band 750 m: binning + statistic",
    "gistar_stat_only": "Gi*, statistic only",
    "pip_wards": "Point in polygon, 63 wards",
    "pip_lsoa": "Point in polygon, 324 LSOAs",
    "http_nte_dbscan": "HTTP: uncached night-time-economy DBSCAN request, end to end",
}


def read(path):
    """Rows of a tool,task,N,seconds,peak_MB,runs,note CSV; an unquoted note
    with commas in it is put back together."""
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            extra = r.pop(None, None)
            if extra:
                r["note"] = ",".join([r["note"]] + extra)
            rows.append(r)
    return rows


def fmt_s(s):
    s = float(s)
    return f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def machine():
    cpu = "?"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name:"):
                cpu = line.split(":", 1)[1].strip()
    except OSError:
        pass
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    return cpu, os.cpu_count(), load


def ours_load_tasks(ours):
    return sorted({task for task, _ in ours if task.startswith("load")})


def pick_load(ours, n):
    """Our load result at n for the target: a lon/lat one if it says so."""
    rows = [ours[(t, n)] for t in ours_load_tasks(ours) if (t, n) in ours]
    for r in rows:
        if "lonlat" in (r["task"] + r["note"]).replace("/", "").lower():
            return r
    return rows[0] if rows else None


def bytes_per_incident(row):
    m = re.search(r"([0-9.]+) bytes", row["note"]) if row else None
    return float(m.group(1)) if m else None


def targets(ours):
    """(target, measured, verdict) for each speed target."""
    def get(task, n):
        return ours.get((task, n))

    def verdict(ok):
        return "met" if ok else "**not met**"

    out = []

    def time_target(label, row, limit):
        if row is None:
            out.append((label, "not measured in this run", "–"))
        else:
            s = float(row["seconds"])
            out.append((label, fmt_s(s), verdict(s <= limit)))

    time_target("DBSCAN, 1M points: ≤ 0.2 s", get("dbscan", 1000000), 0.2)
    row = get("dbscan", 1000000)
    if row is None:
        out.append(("DBSCAN, 1M points: ≤ 150 MB beyond the table", "not measured in this run", "–"))
    else:
        mb = float(row["peak_MB"])
        out.append(("DBSCAN, 1M points: ≤ 150 MB beyond the table",
                    f"{mb:.0f} MB peak for the whole benchmark process (points included, so an "
                    "upper bound)", verdict(mb <= 150)))
    time_target("DBSCAN, 100k points: ≤ 0.03 s", get("dbscan", 100000), 0.03)
    time_target("KDE, 1M points: ≤ 0.1 s", get("kde_quartic", 1000000), 0.1)
    time_target("Point in polygon, 1M points to 324 LSOAs: ≤ 0.2 s",
                get("pip_lsoa", 1000000), 0.2)
    load = pick_load(ours, 1000000)
    if load is None:
        out.append(("Load 1M lon/lat CSV rows with projection and joins: ≤ 0.8 s",
                    "not measured in this run (no `hotspot,load...` line from bench_load)", "–"))
        out.append(("Load: ≤ 64 bytes per incident", "not measured in this run", "–"))
    else:
        s = float(load["seconds"])
        out.append(("Load 1M lon/lat CSV rows with projection and joins: ≤ 0.8 s",
                    f"{fmt_s(s)} (`{load['task']}`)", verdict(s <= 0.8)))
        b = bytes_per_incident(load)
        out.append(("Load: ≤ 64 bytes per incident",
                    f"{b:.1f} bytes" if b is not None else "not in bench_load's note",
                    verdict(b <= 64) if b is not None else "–"))
    time_target("HTTP NTE DBSCAN on 100k incidents: ≤ 50 ms",
                get("http_nte_dbscan", 100000), 0.050)
    return out


def runlog_lines(path):
    """Sentences saying what scripts/bench ran in this invocation."""
    if not path or not os.path.exists(path):
        return []
    rows = read(path)
    lines = []
    ours = [r for r in rows if r["kind"] == "ours"]
    if ours:
        first, last = min(r["start"] for r in ours), max(r["end"] for r in ours)
        ok = {}
        for r in ours:
            ok.setdefault(r["what"], []).append(
                f"{int(r['N']):,}" + ("" if r["status"] == "ok" else f" ({r['status']})"))
        lines.append(f"- Ours ({first} to {last} UTC): " + "; ".join(
            f"{what} at {', '.join(sizes)}" for what, sizes in ok.items()) + ".")
    for r in rows:
        if r["kind"] == "skipped":
            lines.append(f"- Not run: {r['what']} ({r['status']}).")
    peers = [r for r in rows if r["kind"] == "peers"]
    for r in peers:
        lines.append(f"- Peers at {int(r['N']):,} ({r['start']} to {r['end']} UTC): {r['status']}.")
    for r in rows:
        if r["kind"] == "earlier":
            lines.append(f"- Not run now, shown as *earlier run*: `{r['what']}` (written at "
                         f"{r['start']} UTC by an earlier `scripts/bench` invocation).")
    if not peers:
        lines.append("- Peers: none run in this invocation; peer numbers are *earlier run* "
                     "where given, else **published**.")
    return lines


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--peers-run", nargs="*", default=[])
    ap.add_argument("--published", required=True)
    ap.add_argument("--sizes", nargs="+", type=int, required=True)
    ap.add_argument("--runlog", default="")
    ap.add_argument("--peers-earlier", nargs="*", default=[],
                    help="peer CSVs from an earlier scripts/bench run, labelled with the "
                         "file's time")
    ap.add_argument("--extra-note", default="", help="a sentence about how this table was made")
    a = ap.parse_args()

    ours = {(r["task"], int(r["N"])): r for r in read(a.ours)}
    same_run, published = {}, {}
    for p in a.peers_run:
        for r in read(p):
            if r["seconds"]:
                same_run.setdefault((r["tool"], r["task"], int(r["N"])), r)
    earlier = {}
    for p in a.peers_earlier:
        when = datetime.datetime.fromtimestamp(os.path.getmtime(p), datetime.timezone.utc)
        for r in read(p):
            if r["seconds"]:
                r["when"] = when.strftime("%Y-%m-%d %H:%M UTC")
                earlier.setdefault((r["tool"], r["task"], int(r["N"])), r)
    sizes = sorted(set(a.sizes) | {n for _, n in ours})
    for n in sizes:
        path = os.path.join(a.published, f"summary-{n}.csv")
        if os.path.exists(path):
            for r in read(path):
                if r["seconds"]:
                    published.setdefault((r["tool"], r["task"], n), r)

    pairs = dict(PAIRS)
    titles = dict(TITLES)
    load_tasks = ours_load_tasks(ours) or ["load"]
    for task in load_tasks:
        pairs[task] = LOAD_PEERS
        titles[task] = (f"Loading (`{task}`)" if task != "load" else
                        "Loading: CSV rows to the incident table (bench_load)")

    cpu, cores, load = machine()
    out = []
    w = out.append
    w("# Benchmarks\n")
    w(f"Written by `scripts/bench` on {datetime.date.today().isoformat()}: {cpu}, "
      f"{cores} cores, {platform.system()} {platform.release()}. Load average when the "
      f"table was written: {load}.\n")
    w("## Targets\n")
    w("The speed targets against our numbers in the tables below (this run).\n")
    w("| target | measured | |")
    w("|---|---|---|")
    for label, measured, v in targets(ours):
        w(f"| {label} | {measured} | {v} |")
    w("")
    log = runlog_lines(a.runlog)
    if log:
        w("## What this invocation ran\n")
        out.extend(log)
        w("")
    w("## How to read the tables\n")
    w("Data: the peers' generator (`../shared/peers/gen_incidents.py N`, seed 20240601), "
      "EPSG:27700 easting/northing. Our times are the median of several runs of the method "
      "alone on points already in memory (Release build, `bench/`); peak MB is the whole "
      "benchmark process (`getrusage`), CSV parsing included. Peer times and memory are "
      "measured as described in `../shared/peers/RESULTS.md` (median of 3, whole worker "
      "process or PostgreSQL backend).\n")
    w("Ratio = peer time / our time (above 1: we are faster).\n")
    w("The machine is shared: other builds and tests may run during a benchmark (see the "
      "load average above), which slows both sides. For peers run here, the published time "
      "is shown beside the same-run time so the effect can be judged.\n")
    w("Where a peer cell says **published**, that peer was *not* run in this invocation: the "
      "number is copied from `../shared/peers/results/summary-N.csv` (the measurements "
      "behind RESULTS.md, taken on another day on the machine RESULTS.md describes, whose "
      "CPU may differ from the one named above), so the ratio mixes two runs and two "
      "machines. Cells marked *same run* were measured by `scripts/bench` "
      "together with ours; *earlier run* cells come from an earlier `scripts/bench` "
      "run on this machine (its time is given), not from this invocation.\n")
    if a.extra_note:
        w(a.extra_note + "\n")
    w("The notes under each table are our own results: for DBSCAN, clusters, noise and the "
      "five largest clusters, to compare with the signatures in RESULTS.md; for KDE, the "
      "peers' mass check (sum of D x cell area / N); for point in polygon, the points "
      "matched and polygons hit, to compare with the peers' `matched=` and "
      "`polygons_hit=`. Re-run with `scripts/bench`.\n")
    for task in pairs:
        w(f"## {titles[task]}\n")
        if not any((task, n) in ours for n in sizes):
            w("Not measured in this run (the benchmark is missing, did not build, or printed "
              "no `hotspot,...` result line).\n")
            continue
        if task in TARGET_ONLY:
            limit, label = TARGET_ONLY[task]
            w("No peer does this; the speed target instead.\n")
            w("| N | hotspot | target | |")
            w("|---|---|---|---|")
            for n in sizes:
                mine = ours.get((task, n))
                if mine is not None:
                    s = float(mine["seconds"])
                    w(f"| {n:,} | {fmt_s(s)} / {float(mine['peak_MB']):.0f} MB | {label} | "
                      f"{'met' if s <= limit else 'not met'} |")
        else:
            w("| N | hotspot | peer | peer time | source | ratio |")
            w("|---|---|---|---|---|---|")
            for n in sizes:
                mine = ours.get((task, n))
                if mine is None:
                    continue
                ours_cell = f"{fmt_s(mine['seconds'])} / {float(mine['peak_MB']):.0f} MB"
                for tool, peer_task, label in pairs[task]:
                    key = (tool, peer_task, n)
                    if key in same_run:
                        r, source = same_run[key], "same run"
                        if key in published:
                            source += f" (published: {fmt_s(published[key]['seconds'])})"
                    elif key in earlier:
                        r = earlier[key]
                        source = f"*earlier run* ({r['when']}, same machine)"
                    elif key in published:
                        r, source = published[key], "**published**"
                    else:
                        w(f"| {n:,} | {ours_cell} | {label} | not measured | – | – |")
                        continue
                    ratio = float(r["seconds"]) / float(mine["seconds"])
                    w(f"| {n:,} | {ours_cell} | {label} | {fmt_s(r['seconds'])} / "
                      f"{float(r['peak_MB']):.0f} MB | {source} | {ratio:,.1f}x |")
        w("")
        for n in sizes:
            if (task, n) in ours and ours[(task, n)]["note"]:
                w(f"- N = {n:,}: {ours[(task, n)]['note']}")
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
