#!/usr/bin/env bash
# The source store's speed on a 1M-row police.uk file (the peers' generated
# incidents written in police.uk's layout by police_uk_csv.py): upload
# (read + validate + one transaction + the new snapshot) and start-up (a
# snapshot from the store alone), into a GeoPackage and into PostgreSQL 15 +
# PostGIS 3 (a throwaway cluster from scripts/pg-cluster). Replaces the
# section between <!-- store --> and <!-- /store --> in $OUT.
#   BUILD=build-bench SCRATCH=/tmp/x RUNS=3 OUT=docs/benchmarks.md bench/store_section.sh FILE-1M.csv
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
: "${BUILD:?}" "${SCRATCH:?}" "${RUNS:=3}" "${OUT:=$ROOT/docs/benchmarks.md}"
peers_file="$1"
police="$SCRATCH/police-uk-1000000.csv"
[ -f "$police" ] || /usr/bin/python3 "$ROOT/bench/police_uk_csv.py" "$peers_file" "$police"
cmake --build "$BUILD" --target bench_store -j2 >/dev/null

"$BUILD/bench/bench_store" "$police" "$SCRATCH/store.gpkg" "$RUNS" | tee "$SCRATCH/store-gpkg.out"
pg_dir="$SCRATCH/pg"
pg="$("$ROOT/scripts/pg-cluster" start "$pg_dir")"
trap '"$ROOT/scripts/pg-cluster" stop "$pg_dir" >/dev/null 2>&1 || true' EXIT
"$BUILD/bench/bench_store" "$police" "$pg" "$RUNS" | tee "$SCRATCH/store-pg.out"

median() { sed -n 's/^median: //p' "$1"; }
field() { median "$1" | sed -E "s/.*$2 ([0-9.]+).*/\1/"; }
rows="$(sed -n 's/^\([0-9]*\) rows, .*/\1/p' "$SCRATCH/store-gpkg.out")"
{
  echo "<!-- store -->"
  echo "## The source store (bench_store)"
  echo
  echo "A police.uk CSV of 1,000,000 rows (the peers' generated incidents, synthetic) on"
  echo "$(nproc) cores, $(date -u +%Y-%m-%d), median of $RUNS runs each; $rows rows are inside the"
  echo "wards and stored, the rest rejected as outside the study area. *Upload* is what"
  echo "POST /api/sources does: read and validate the file, store it in one transaction,"
  echo "build the new snapshot from the store. *Start-up* builds a snapshot from the store alone."
  echo
  echo "| back end | read + validate s | store s | new snapshot s | upload s (target) | start-up s (target) |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: |"
  for b in gpkg pg; do
    f="$SCRATCH/store-$b.out"
    if [ "$b" = gpkg ]; then name="GeoPackage"; up="≤ 10"; st="≤ 3"; else name="PostgreSQL 15 + PostGIS 3"; up="≤ 15"; st="≤ 5"; fi
    echo "| $name | $(field "$f" prepare) | $(field "$f" store) | $(field "$f" snapshot) | $(field "$f" upload) ($up) | $(field "$f" start-up) ($st) |"
  done
  echo
  echo "Neither back end keeps a spatial index on the incident rows: kept up row by row it"
  echo "made the GeoPackage upload's store step 26 s instead of 8 s and PostgreSQL's 15 s"
  echo "instead of 7.6 s (measured while choosing; docs/deploy.md)."
  echo "<!-- /store -->"
} > "$SCRATCH/store-section.md"
if grep -q '^<!-- store -->$' "$OUT"; then
  /usr/bin/python3 - "$OUT" "$SCRATCH/store-section.md" <<'PY'
import re, sys
out, section = sys.argv[1], open(sys.argv[2]).read()
text = open(out).read()
text = re.sub(r"<!-- store -->.*?<!-- /store -->\n", lambda m: section, text, flags=re.S)
open(out, "w").write(text)
PY
else
  cat "$SCRATCH/store-section.md" >> "$OUT"
fi
echo "store section written to $OUT"
