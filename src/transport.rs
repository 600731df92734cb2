//! The binary's [`Transport`]: the one HTTP request, sent through `ureq` (the field's
//! blocking client) over native TLS, which is OpenSSL here, or over rustls in the `rust-crypto`
//! build without OpenSSL (rustls-platform-verifier, ring as rustls's crypto provider). Either
//! way the operating system's trust store is used, so a corporate TLS-inspecting proxy's CA
//! works. `HTTPS_PROXY`/`HTTP_PROXY`/
//! `ALL_PROXY` and `NO_PROXY` are honoured. The core builds the request and reads the answer
//! (`certkit_core::http`); this module moves the bytes, and names the step of each failure.

use std::io::Read;
use std::time::Duration;

use certkit_core::error::NetStep;
use certkit_core::http::{self, Answer, Transport, MAX_ANSWER};
use certkit_core::secret::SecretBytes;
use certkit_core::{Error, Result};

/// `ureq` over native TLS, with the proxy from the environment.
pub struct Ureq;

impl Transport for Ureq {
    fn post_form(&self, url: &str, form: &SecretBytes, timeout: Duration) -> Result<Answer> {
        post_form(url, form, timeout)
    }
}

fn net(step: NetStep, url: &str, detail: impl Into<String>) -> Error {
    Error::Network {
        step,
        url: url.to_string(),
        detail: detail.into(),
    }
}

/// Whether a TLS library's words mean that the server answered the handshake in plain HTTP:
/// OpenSSL reads the first bytes of "HTTP/1.1 400" as a TLS record of a version that does
/// not exist ("wrong version number"; "packet length too long", "http request" in other
/// OpenSSL versions); rustls as a record of no known content type ("received corrupt message
/// of type InvalidContentType").
fn plain_http_words(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    [
        "wrong version number",
        "packet length too long",
        "http request",
        "invalidcontenttype",
    ]
    .iter()
    .any(|w| d.contains(w))
}

/// An https:// URL whose server speaks plain HTTP: no certificate is involved.
fn plain_http_at(url: &str, words: &str) -> Error {
    let at = http::authority(url);
    net(
        NetStep::Tls,
        url,
        format!(
            "the server at {at} speaks plain HTTP, not TLS (no certificate was exchanged): use the port that serves HTTPS, \
             or http://{at}/... if it is a loopback test server (the TLS library said: {words})"
        ),
    )
}

/// An http:// URL whose server accepted the connection and closed it without an answer, as
/// a TLS server does with a request in plain HTTP (`openssl s_server`).
fn closed_at(url: &str, words: &str) -> Error {
    let at = http::authority(url);
    net(
        NetStep::Http,
        url,
        format!(
            "the server at {at} closed the connection without an HTTP answer ({words}): \
             if that port speaks TLS, use https://{at}/..."
        ),
    )
}

/// The failures named by their words or their inner error rather than by ureq's variant:
/// plain HTTP on an https:// URL, a handshake rustls refused, a TLS server closing an
/// http:// connection.
fn classify_first(e: &ureq::Error, url: &str) -> Option<Error> {
    use std::io::ErrorKind;
    let words = e.to_string();
    // The scheme without regard to case (`HTTPS://` is https), as the URL check reads it.
    let scheme = url.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
    if scheme.as_deref() == Some("https") && plain_http_words(&words) {
        return Some(plain_http_at(url, &words));
    }
    let ureq::Error::Io(io) = e else { return None };
    // rustls's handshake failures reach ureq as I/O errors that carry rustls's error.
    #[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
    if let Some(t) = io.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
        return Some(tls_refused(url, t));
    }
    if scheme.as_deref() == Some("http")
        && matches!(
            io.kind(),
            ErrorKind::UnexpectedEof | ErrorKind::ConnectionReset
        )
    {
        return Some(closed_at(url, &io.to_string()));
    }
    None
}

/// The step and words of a `ureq` failure.
fn classify(e: ureq::Error, url: &str) -> Error {
    use std::io::ErrorKind;
    if let Some(named) = classify_first(&e, url) {
        return named;
    }
    match e {
        ureq::Error::HostNotFound => net(
            NetStep::NameResolution,
            url,
            "the host name does not resolve",
        ),
        ureq::Error::Timeout(_) => net(NetStep::Timeout, url, "no answer in time"),
        ureq::Error::Io(io) => match io.kind() {
            ErrorKind::ConnectionRefused => net(
                NetStep::Connection,
                url,
                "connection refused (nothing listens there)",
            ),
            ErrorKind::TimedOut | ErrorKind::WouldBlock => {
                net(NetStep::Timeout, url, io.to_string())
            }
            _ if io.to_string().contains("dns") || io.to_string().contains("lookup") => {
                net(NetStep::NameResolution, url, io.to_string())
            }
            _ => net(NetStep::Connection, url, io.to_string()),
        },
        ureq::Error::ConnectionFailed => net(NetStep::Connection, url, "the connection failed"),
        #[cfg(feature = "openssl")]
        ureq::Error::NativeTls(t) => net(
            NetStep::Tls,
            url,
            format!("the server's certificate was refused: {t}"),
        ),
        #[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
        ureq::Error::Rustls(t) => tls_refused(url, &t),
        ureq::Error::Tls(t) => net(NetStep::Tls, url, t),
        ureq::Error::ConnectProxyFailed(why) => {
            net(NetStep::Proxy, url, format!("the proxy refused: {why}"))
        }
        ureq::Error::InvalidProxyUrl => net(
            NetStep::Proxy,
            url,
            "the proxy URL in the environment is not valid",
        ),
        other => net(NetStep::Http, url, other.to_string()),
    }
}

/// A handshake rustls refused: a certificate it does not trust, or another TLS failure.
#[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
fn tls_refused(url: &str, t: &rustls::Error) -> Error {
    match t {
        rustls::Error::InvalidCertificate(_) => net(
            NetStep::Tls,
            url,
            format!("the server's certificate was refused: rustls: {t}"),
        ),
        _ => net(NetStep::Tls, url, format!("rustls: {t}")),
    }
}

const PROXY_VARS: [&str; 6] = [
    "ALL_PROXY",
    "all_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
];

/// The proxy from the environment for `uri`, as ureq reads it (ALL_PROXY, HTTPS_PROXY,
/// HTTP_PROXY; NO_PROXY honoured). Never for `http://` (loopback only): the assertion would
/// cross the proxy in clear. A proxy variable ureq cannot read is an error, not ignored.
fn proxy_for(uri: &ureq::http::Uri, url: &str) -> Result<Option<ureq::Proxy>> {
    if uri.scheme_str() == Some("http") {
        return Ok(None);
    }
    let set = PROXY_VARS
        .iter()
        .find(|v| std::env::var(v).is_ok_and(|s| !s.trim().is_empty()));
    let Some(var) = set else { return Ok(None) };
    match ureq::Proxy::try_from_env() {
        Some(p) if p.is_no_proxy(uri) => Ok(None),
        Some(p) => Ok(Some(p)),
        None => Err(net(
            NetStep::Proxy,
            url,
            format!("the proxy in {var} is not a proxy URL ureq can use"),
        )),
    }
}

/// POST `form` (already encoded as `name=value&...`) to `url`; the answer whatever its
/// status. The encoded form holds the assertion: it is wiped after sending.
fn post_form(url: &str, form: &SecretBytes, timeout: Duration) -> Result<Answer> {
    http::check_url(url)?;
    let uri: ureq::http::Uri = url
        .parse()
        .map_err(|_| Error::Invalid(format!("the token URL \"{url}\" is not a URL")))?;
    let proxy = proxy_for(&uri, url)?;
    let request = http::headers().into_iter().fold(
        agent(timeout, proxy.clone()).post(url),
        |r, (name, value)| r.header(name, value),
    );
    let response = request
        .send(form.expose())
        .map_err(|e| through(proxy.as_ref(), classify(e, url), url))?;
    read_answer(response, url)
}

/// The agent of one request: native TLS (or rustls) over the system's trust store, the whole
/// exchange within `timeout`, every status an answer, no redirect followed, `proxy` if any.
fn agent(timeout: Duration, proxy: Option<ureq::Proxy>) -> ureq::Agent {
    let tls = tls_config();
    ureq::Agent::config_builder()
        .tls_config(tls)
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        // Also the User-Agent of a proxy's CONNECT.
        .user_agent(http::user_agent())
        .max_redirects(0)
        .proxy(proxy)
        .build()
        .into()
}

/// OpenSSL through native-tls, the system's trust store (and `SSL_CERT_FILE`/`SSL_CERT_DIR`).
#[cfg(feature = "openssl")]
fn tls_config() -> ureq::tls::TlsConfig {
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::NativeTls)
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .build()
}

/// rustls with rustls-platform-verifier: on Linux the system's certificate files found as
/// OpenSSL would (rustls-native-certs, `SSL_CERT_FILE`/`SSL_CERT_DIR` honoured), the platform's
/// verifier on Windows and macOS. The crypto provider is ring, named here rather than left to
/// a process default. rustls's own providers are ring (C and assembly from BoringSSL for its
/// primitives) and aws-lc-rs (C, a CMake build): neither is free of C, and ring builds with
/// the C compiler alone. rustls deprecates ring's provider for its lack of post-quantum key exchange
/// (X25519MLKEM768, aws-lc-rs only): the classical groups stay.
#[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
#[allow(deprecated)]
fn tls_config() -> ureq::tls::TlsConfig {
    ureq::tls::TlsConfig::builder()
        .provider(ureq::tls::TlsProvider::Rustls)
        .root_certs(ureq::tls::RootCerts::PlatformVerifier)
        .unversioned_rustls_crypto_provider(std::sync::Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .build()
}

/// Through a proxy, what could not be reached is the proxy.
fn through(proxy: Option<&ureq::Proxy>, e: Error, url: &str) -> Error {
    match (e, proxy) {
        (
            Error::Network {
                step: NetStep::Connection | NetStep::NameResolution,
                detail,
                ..
            },
            Some(p),
        ) => net(
            NetStep::Proxy,
            url,
            format!(
                "the proxy {}:{} from the environment: {detail}",
                p.host(),
                p.port()
            ),
        ),
        (e, _) => e,
    }
}

/// The status, the `Location` and at most [`MAX_ANSWER`] bytes of the body.
fn read_answer(response: ureq::http::Response<ureq::Body>, url: &str) -> Result<Answer> {
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    // Room for any token answer at once: a growing buffer would leave copies of the token.
    let mut body = Vec::with_capacity(64 * 1024);
    response
        .into_body()
        .into_reader()
        .take(MAX_ANSWER)
        .read_to_end(&mut body)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::TimedOut => {
                net(NetStep::Timeout, url, "the answer did not arrive in time")
            }
            _ => net(NetStep::Http, url, format!("reading the answer: {e}")),
        })?;
    Ok(Answer {
        status,
        body: SecretBytes::new(body),
        location,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_names_its_step() {
        let step = |e: ureq::Error| match classify(e, "https://x.example/token") {
            Error::Network { step, .. } => step,
            other => panic!("not a network error: {other}"),
        };
        assert_eq!(step(ureq::Error::HostNotFound), NetStep::NameResolution);
        assert_eq!(
            step(ureq::Error::Io(
                std::io::ErrorKind::ConnectionRefused.into()
            )),
            NetStep::Connection
        );
        assert_eq!(
            step(ureq::Error::Timeout(ureq::Timeout::Global)),
            NetStep::Timeout
        );
        assert_eq!(
            step(ureq::Error::ConnectProxyFailed("403".into())),
            NetStep::Proxy
        );
        assert_eq!(step(ureq::Error::InvalidProxyUrl), NetStep::Proxy);
        assert_eq!(step(ureq::Error::Tls("handshake")), NetStep::Tls);
        assert_eq!(step(ureq::Error::TooManyRedirects), NetStep::Http);
    }

    #[test]
    fn openssls_words_for_plain_http_on_a_tls_url_name_plain_http() {
        let e = plain_http_at(
            "https://127.0.0.1:8765/token",
            "native-tls: error:0A00010B:SSL routines:ssl3_get_record:wrong version number",
        );
        assert!(plain_http_words(
            "error:0A00010B:SSL routines:ssl3_get_record:wrong version number"
        ));
        assert!(!plain_http_words("certificate verify failed"));
        let text = e.to_string();
        assert!(
            text.contains("the server at 127.0.0.1:8765 speaks plain HTTP, not TLS"),
            "{text}"
        );
        assert!(!text.contains("certificate was refused"), "{text}");
    }

    #[test]
    fn rustls_words_for_plain_http_on_a_tls_url_name_plain_http() {
        assert!(plain_http_words(
            "io: received corrupt message of type InvalidContentType"
        ));
    }

    /// rustls's handshake errors arrive as I/O errors: they are TLS, not the connection.
    #[cfg(all(feature = "rust-crypto", not(feature = "openssl")))]
    #[test]
    fn a_certificate_rustls_refuses_is_tls() {
        let refused = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let e = classify(
            ureq::Error::Io(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                refused,
            )),
            "https://127.0.0.1:8765/token",
        );
        match e {
            Error::Network { step, detail, .. } => {
                assert_eq!(step, NetStep::Tls);
                assert!(detail.contains("certificate was refused"), "{detail}");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn an_http_server_that_closes_the_connection_is_named() {
        let e = classify(
            ureq::Error::Io(std::io::ErrorKind::UnexpectedEof.into()),
            "http://127.0.0.1:8765/token",
        );
        let text = e.to_string();
        assert!(
            text.contains(
                "the server at 127.0.0.1:8765 closed the connection without an HTTP answer"
            ),
            "{text}"
        );
    }

    /// The URL check as it was with ureq's parser (`http::Uri`): the oracle of the core's own.
    fn ureq_check(url: &str) -> std::result::Result<(), &'static str> {
        let uri: ureq::http::Uri = url.parse().map_err(|_| "not a URL")?;
        let host = uri.host().unwrap_or("").trim_matches(['[', ']']);
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        match uri.scheme_str() {
            Some("https") if !host.is_empty() => Ok(()),
            Some("http") if loopback => Ok(()),
            Some("http") => Err("http"),
            _ => Err("not https"),
        }
    }

    fn core_check(url: &str) -> std::result::Result<(), &'static str> {
        match http::check_url(url) {
            Ok(()) => Ok(()),
            Err(e) if e.to_string().ends_with("is not a URL") => Err("not a URL"),
            Err(e) if e.to_string().contains("is http://") => Err("http"),
            Err(e) if e.to_string().contains("holds a user name") => Err("userinfo"),
            Err(_) => Err("not https"),
        }
    }

    #[test]
    fn the_core_s_url_check_agrees_with_the_parser_ureq_sends_with() {
        let schemes = ["https://", "http://", "HTTP://", "ftp://", ""];
        let userinfos = [
            "",
            "u@",
            "u:p@",
            "127.0.0.1@",
            "localhost:1@",
            "[::1]@",
            "a@b@",
        ];
        let hosts = [
            "127.0.0.1",
            "127.1.2.3",
            "localhost",
            "[::1]",
            "[2001:db8::1]",
            "evil.example",
            "localhost.evil.example",
            "10.0.0.1",
            "",
            "[::1",
            "::1",
        ];
        let ports = ["", ":8080", ":", ":x", ":1:2"];
        let tails = ["", "/token", "?q", "#@127.0.0.1/", "/a@127.0.0.1", "/p q"];
        let mut n = 0;
        for s in schemes {
            for u in userinfos {
                for h in hosts {
                    for p in ports {
                        for t in tails {
                            let url = format!("{s}{u}{h}{p}{t}");
                            let (ours, theirs) = (core_check(&url), ureq_check(&url));
                            // Where ureq's parser took the URL, the verdict is the same; a
                            // URL the core takes, ureq's parser takes too.
                            // ureq's parser takes a port that is not digits (it fails
                            // later) and a bracket in a userinfo; RFC 3986 does not, nor
                            // does the core. Everywhere else the verdicts are the same.
                            let stricter = p == ":x" || u.contains('[');
                            if stricter && ours != theirs {
                                assert_eq!(ours, Err("not a URL"), "{url}");
                            } else if theirs == Ok(()) && !u.is_empty() {
                                // A URL ureq would send with a user name or password: the
                                // core refuses it (nothing but the assertion is sent).
                                assert_eq!(ours, Err("userinfo"), "{url}");
                            } else {
                                assert_eq!(ours, theirs, "{url}");
                            }
                            n += 1;
                        }
                    }
                }
            }
        }
        assert_eq!(n, 5 * 7 * 11 * 5 * 6);
        // The two that ureq's parser took and the core refuses, as it was before.
        assert_eq!(ureq_check("https://host:x/token"), Ok(()));
        assert_eq!(ureq_check("https://[::1]@127.0.0.1/token"), Ok(()));
        assert_eq!(core_check("https://host:x/token"), Err("not a URL"));
        assert_eq!(
            core_check("https://[::1]@127.0.0.1/token"),
            Err("not a URL")
        );
    }
}
