#!/usr/bin/env bash
# Coverage-guided fuzzing of every reader (libFuzzer through cargo-fuzz).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Runs each target (all of them by default) for SECONDS (default 60) or 10 million
# executions, whichever comes first, from a corpus seeded with testdata/ and kept in
# fuzz/corpus/<target> between runs. A crash, hang (a unit over 10 s) or out-of-memory
# (over 2 GiB) stops that target and leaves the input in fuzz/artifacts/<target>/; replay it
# with `cargo fuzz run TARGET fuzz/artifacts/TARGET/crash-...`. The figures of each run
# (executions, coverage) go to fuzz/logs/<target>.log and a summary line per target to
# stdout.
#
# Stable toolchain: cargo-fuzz needs `-Zsanitizer`, a nightly flag. RUSTC_BOOTSTRAP=1 lets
# the stable compiler accept it, so no second toolchain is needed. cargo-fuzz itself is
# installed on first use (`cargo install cargo-fuzz --locked`).
#
# SANITIZER (default none): certkit forbids unsafe code and OpenSSL's C is not instrumented,
# so AddressSanitizer finds little here and costs two to four times the executions; what
# the fuzzers look for is a panic, a hang or unbounded memory. SANITIZER=address turns it on.
# JOBS (default 1): how many targets run at once.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
sanitizer=${SANITIZER:-none}
jobs=${JOBS:-1}

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

all_targets=$(sed -n 's/^name = "\([a-z0-9_]*\)"$/\1/p' fuzz/Cargo.toml | grep -v '^certkit-fuzz$')
targets=${*:-$all_targets}

# Seeds: each target gets the testdata files it reads (the corpus directory keeps what the
# fuzzer finds; seeds are copied again only when missing).
seed() {
    local target=$1
    shift
    mkdir -p "fuzz/corpus/$target"
    for f in "$@"; do
        [ -e "fuzz/corpus/$target/$(basename "$f")" ] || cp "$f" "fuzz/corpus/$target/"
    done
}
seed jks testdata/*.jks
seed pkcs12 testdata/*.p12
seed pem testdata/*.pem
seed der testdata/*.der
seed google_json testdata/google-sample.json testdata/google-sample.x509-metadata.json
seed google_metadata testdata/google-sample.x509-metadata.json fuzz/seeds/google_metadata/*
seed jwt fuzz/seeds/jwt/*
seed token_answer fuzz/seeds/token_answer/*
seed salesforce_error_text fuzz/seeds/salesforce_error_text/*
seed salesforce_xml fuzz/seeds/salesforce_xml/*
seed any_input testdata/*.jks testdata/*.pem testdata/*.der testdata/*.json

cargo fuzz build -O -s "$sanitizer"
mkdir -p fuzz/logs
run_one() {
    local t=$1
    mkdir -p "fuzz/artifacts/$t"
    local status=ok
    cargo fuzz run -O -s "$sanitizer" "$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -runs=10000000 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"fuzz/logs/$t.log" 2>&1 || status=FAILED
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "fuzz/logs/$t.log" | tail -1)
    secs=$(sed -n 's/^stat::.*//; s/.*Done \([0-9]*\) runs in \([0-9]*\) second.*/\2/p' "fuzz/logs/$t.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "fuzz/logs/$t.log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "fuzz/logs/$t.log" | tail -1 | cut -d' ' -f2)
    printf '%-22s %-6s executions %-10s seconds %-6s coverage %-6s features %s\n' \
        "$t" "$status" "${execs:-?}" "${secs:-?}" "${cov:-?}" "${ft:-?}"
}
export -f run_one
export seconds sanitizer
printf '%s\n' $targets | xargs -P "$jobs" -I{} bash -c 'run_one {}'
