#!/usr/bin/env bash
# Short smoke fuzz of every target (FUZZ_SECONDS each, default 30), run by .ci/run.
# Skips with a message when the nightly toolchain or cargo-fuzz is not available; fails when a
# target finds a crash, a hang (> 10 s for one input) or an out-of-memory, or does not build.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "fuzz smoke: SKIPPED (no nightly toolchain; cargo-fuzz needs one: rustup toolchain install nightly)"
  exit 0
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: installing cargo-fuzz"
  if ! cargo install cargo-fuzz --locked >/tmp/govdocs-cargo-fuzz-install.log 2>&1; then
    echo "fuzz smoke: SKIPPED (cargo install cargo-fuzz failed, see /tmp/govdocs-cargo-fuzz-install.log)"
    exit 0
  fi
fi

# Safe Rust: no sanitizer (-s none) runs several times faster and still catches panics,
# overflows (debug assertions are on), hangs and out-of-memory.
if ! cargo +nightly fuzz build -O -s none; then
  echo "fuzz smoke: FAILED (the fuzz targets do not build)"
  exit 1
fi

status=0
for target in normalize text_parser pdf_loader document_rows; do
  case $target in
    normalize) seeds=(fuzz/seeds/normalize crates/govdocs-core/tests/regressions/text_parser); extra=(-max_len=4096) ;;
    text_parser|document_rows) seeds=(samples/text crates/govdocs-core/tests/regressions/text_parser); extra=() ;;
    pdf_loader)
      # Not fanout-forms.pdf: it is built to run into the 20-million-operator limit, which
      # takes seconds in an instrumented build; robustness.rs covers it.
      pdfseeds=$(mktemp -d)
      cp ../shared/pdfs/*.pdf crates/govdocs-pdf/tests/data/*.pdf crates/govdocs-pdf/tests/regressions/* "$pdfseeds"/
      rm -f "$pdfseeds/fanout-forms.pdf"
      seeds=("$pdfseeds"); extra=(-dict=fuzz/dict/pdf.dict) ;;
  esac
  corpus=$(mktemp -d)
  echo "fuzz smoke: $target for ${seconds}s"
  if cargo +nightly fuzz run -O -s none "$target" "$corpus" "${seeds[@]}" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 "${extra[@]}" \
      >"$corpus.log" 2>&1; then
    grep -E '^(Done|stat::number_of_executed_units)' "$corpus.log" || true
  else
    echo "fuzz smoke: FAILED, $target found a problem; the input is in fuzz/artifacts/$target/:"
    grep -E 'ERROR|panicked|Test unit written' "$corpus.log" | head -20
    status=1
  fi
  rm -rf "$corpus" "$corpus.log" "${pdfseeds:-}"
done
exit $status
