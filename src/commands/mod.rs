//! One small file per subcommand, wiring formats, rules and output together.

pub mod inspect;
pub mod p12_to_jks;
pub mod selfsign;
pub mod wrap;

/// Milliseconds since the epoch, now.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Print a JSON value on stdout.
pub(crate) fn print_json(v: &serde_json::Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}
