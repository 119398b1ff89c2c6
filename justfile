# Convenience recipes; each is one plain cargo command you can also type yourself.

# Run the sample pipeline into output/
run:
    cargo run --release -- run pipelines/samples.toml

# The quality report of output/ (run `just run` first): output/_report/index.html
report:
    cargo run --release -- report output

# Run every test
test:
    cargo test --workspace

# Throughput benchmarks (figures are ratios against a baseline measured in the same run)
bench:
    cargo bench --workspace

# Format check and lints, as CI runs them
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings

# Everything CI runs, including the pyarrow/DuckDB interop check
ci:
    bash .ci/run

# Benchmark corpora: 200 MB and 50 MB of generated text documents, 50 copies of each sample PDF
corpus:
    cargo build --profile dist -p govdocs-bench
    rm -rf /tmp/govdocs-corpus-200 /tmp/govdocs-corpus-50
    cargo run --profile dist -p govdocs-bench --bin govdocs-corpus -- --from samples --out /tmp/govdocs-corpus-200 --size 200MB --seed 42 --pdf-copies 50 --pdfs ../shared/pdfs
    cargo run --profile dist -p govdocs-bench --bin govdocs-corpus -- --from samples --out /tmp/govdocs-corpus-50 --size 50MB --seed 7

# End-to-end throughput and peak RSS of the dist binary (fat LTO) against read+UTF-8 and pdftotext (needs `just corpus`)
bench-e2e:
    cargo build --profile dist -p govdocs-cli -p govdocs-bench
    cargo run --profile dist -p govdocs-bench --bin govdocs-bench-e2e -- --corpus /tmp/govdocs-corpus-200/text --corpus /tmp/govdocs-corpus-50/text --pdf ../shared/pdfs --pdf /tmp/govdocs-corpus-200/pdf --repeat 2

# Parse-only time per stage of the text parser, in memory (needs `just corpus`)
bench-stages:
    cargo run --profile dist -p govdocs-bench --bin govdocs-bench-stages -- /tmp/govdocs-corpus-50/text 5
