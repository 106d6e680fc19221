#!/usr/bin/env python3
"""Writes the peers' generated incidents (id, easting, northing, lon, lat,
category, occurred_at) as a police.uk street-level CSV: month precision,
lon/lat, an "On or near" location, the police.uk crime types. Synthetic, as
its input; used by bench_store for the 1M-row upload figure.

    police_uk_csv.py IN.csv OUT.csv
"""
import csv
import sys

with open(sys.argv[1], newline="") as src, open(sys.argv[2], "w", newline="") as out:
    rows = csv.DictReader(src)
    w = csv.writer(out)
    w.writerow(["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude",
                "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category",
                "Context"])
    for r in rows:
        w.writerow([f"{int(r['id']):064x}", r["occurred_at"][:7], "Durham Constabulary",
                    "Durham Constabulary", r["lon"], r["lat"], "On or near Synthetic Street",
                    "", "", r["category"], "", "synthetic"])
