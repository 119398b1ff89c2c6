# Convenience recipes; each is one plain cargo command you can also type yourself.

# Run the sample pipeline into output/
run:
    cargo run --release -- run pipelines/samples.toml

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
