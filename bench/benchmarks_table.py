#!/usr/bin/python3
"""Writes docs/benchmarks.md (on stdout) from scripts/bench's measurements.

--ours       our CSV (tool,task,N,seconds,peak_MB,runs,note)
--peers-run  the peers' CSVs measured in the same scripts/bench run
--published  the peers' published results directory (results/summary-N.csv),
             used for any size not run here and labelled as such
"""
import argparse
import csv
import datetime
import os
import platform
import subprocess

# Our task -> the peer tasks it is compared with.
PAIRS = {
    "dbscan": [("postgis", "dbscan", "PostGIS ST_ClusterDBSCAN"),
               ("sklearn", "dbscan_kd_tree", "scikit-learn DBSCAN kd_tree, n_jobs=2")],
    "kde_quartic": [("numpy", "kde_quartic_scatter", "numpy scatter"),
                    ("scipy", "kde_quartic_kdtree", "scipy cKDTree per cell")],
    "gistar_bin+stat": [("numpy", "gistar_bin+stat", "numpy")],
    "gistar_stat_only": [("numpy", "gistar_stat_only", "numpy")],
    "pip_wards": [("postgis", "pip_wards", "PostGIS ST_Contains"),
                  ("geopandas", "pip_wards", "geopandas sjoin")],
    "pip_lsoa": [("postgis", "pip_lsoa", "PostGIS ST_Contains"),
                 ("geopandas", "pip_lsoa", "geopandas sjoin")],
}
TITLES = {
    "dbscan": "DBSCAN, eps 100 m, min_points 10",
    "kde_quartic": "Quartic KDE, h 500 m, 100 m grid over the wards' extent (719 x 521)",
    "gistar_bin+stat": "Gi*, 250 m grid (288 x 210), band 750 m: binning + statistic",
    "gistar_stat_only": "Gi*, statistic only",
    "pip_wards": "Point in polygon, 63 wards",
    "pip_lsoa": "Point in polygon, 324 LSOAs",
}


def read(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f)]


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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True)
    ap.add_argument("--peers-run", nargs="*", default=[])
    ap.add_argument("--published", required=True)
    ap.add_argument("--sizes", nargs="+", type=int, required=True)
    ap.add_argument("--extra-note", default="", help="a sentence about how this table was made")
    a = ap.parse_args()

    ours = {(r["task"], int(r["N"])): r for r in read(a.ours)}
    same_run, published = {}, {}
    for p in a.peers_run:
        for r in read(p):
            same_run.setdefault((r["tool"], r["task"], int(r["N"])), r)
    for n in a.sizes:
        path = os.path.join(a.published, f"summary-{n}.csv")
        if os.path.exists(path):
            for r in read(path):
                published.setdefault((r["tool"], r["task"], n), r)

    cpu, cores, load = machine()
    out = []
    w = out.append
    w("# Benchmarks\n")
    w(f"Written by `scripts/bench` on {datetime.date.today().isoformat()}: {cpu}, "
      f"{cores} cores, {platform.system()} {platform.release()}. Load average when the "
      f"table was written: {load}.\n")
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
    w("Where a peer cell says **published**, that peer was *not* run in this session: the "
      "number is copied from `../shared/peers/results/summary-N.csv` (the measurements "
      "behind RESULTS.md, taken on another day on the machine RESULTS.md describes, whose "
      "CPU may differ from the one named above), so the ratio mixes two runs and two "
      "machines. Cells marked *same run* were measured by `scripts/bench` "
      "together with ours.\n")
    if a.extra_note:
        w(a.extra_note + "\n")
    w("The notes under each table are our own results: for DBSCAN, clusters, noise and the "
      "five largest clusters, to compare with the signatures in RESULTS.md; for KDE, the "
      "peers' mass check (sum of D x cell area / N). Re-run with `scripts/bench`.\n")
    for task in PAIRS:
        if not any((task, n) in ours for n in a.sizes):
            continue
        w(f"## {TITLES[task]}\n")
        w("| N | hotspot | peer | peer time | source | ratio |")
        w("|---|---|---|---|---|---|")
        for n in a.sizes:
            mine = ours.get((task, n))
            if mine is None:
                continue
            ours_cell = f"{fmt_s(mine['seconds'])} / {float(mine['peak_MB']):.0f} MB"
            for tool, peer_task, label in PAIRS[task]:
                key = (tool, peer_task, n)
                if key in same_run:
                    r, source = same_run[key], "same run"
                    if key in published:
                        source += f" (published: {fmt_s(published[key]['seconds'])})"
                elif key in published:
                    r, source = published[key], "**published**"
                else:
                    w(f"| {n:,} | {ours_cell} | {label} | not measured | – | – |")
                    continue
                ratio = float(r["seconds"]) / float(mine["seconds"])
                w(f"| {n:,} | {ours_cell} | {label} | {fmt_s(r['seconds'])} / "
                  f"{float(r['peak_MB']):.0f} MB | {source} | {ratio:,.1f}x |")
        w("")
        for n in a.sizes:
            if (task, n) in ours and ours[(task, n)]["note"]:
                w(f"- N = {n:,}: {ours[(task, n)]['note']}")
        w("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
