#!/usr/bin/env bash
# Render the tab-separated seeds (samples/text/00[0-3]*.txt) as HTML tables and print them to PDF
# with headless Chromium and WenQuanYi Zen Hei (issue #14's rendered form). The PDFs are committed
# in crates/govdocs-bench/tests/rendered/ and read by crates/govdocs-bench/tests/noise.rs; re-run
# this script only to re-make them (it needs `apt-get install chromium fonts-wqy-zenhei`).
set -euo pipefail
cd "$(dirname "$0")/.."
out=crates/govdocs-bench/tests/rendered
mkdir -p "$out"
chrome=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
[ -n "$chrome" ] || { echo "render-seeds: chromium is not installed (apt-get install chromium fonts-wqy-zenhei)" >&2; exit 1; }
fc-list | grep "WenQuanYi Zen Hei" >/dev/null || { echo "render-seeds: fonts-wqy-zenhei is not installed" >&2; exit 1; }
cargo build --release -q -p govdocs-bench --bin govdocs-noise
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for seed in samples/text/00[0-3]_*.txt; do
    grep -q $'\t' "$seed" || continue
    name=$(basename "$seed" .txt)
    ./target/release/govdocs-noise html "$seed" "$tmp/$name.html"
    "$chrome" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
        --user-data-dir="$tmp/profile" --print-to-pdf="$out/${name%%_*}.pdf" "file://$tmp/$name.html" 2>/dev/null
    [ -s "$out/${name%%_*}.pdf" ] || { echo "render-seeds: no PDF for $seed" >&2; exit 1; }
    echo "rendered $seed -> $out/${name%%_*}.pdf"
done
"$chrome" --version > "$out/RENDERED_WITH.txt"
