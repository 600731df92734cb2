//! The page's operations natively: the same function the page calls through WebAssembly.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

fn testdata(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../testdata/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn file(name: &str) -> Value {
    json!({ "name": name, "base64": B64.encode(testdata(name)) })
}

fn run(command: &str, request: Value) -> Value {
    serde_json::from_str(&certkit_web::api::run(command, &request.to_string())).unwrap()
}

#[test]
fn kid_dump() {
    let a = run(
        "kid",
        json!({"files": [file("google-sample.p12"), file("openssl-modern.crt.pem")], "inputs": ["google-sample.p12", "openssl-modern.crt.pem"]}),
    );
    let f = &a["files"][0];
    std::fs::write(
        "/tmp/page.jwks",
        B64.decode(f["base64"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
}
