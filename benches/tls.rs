//! Benchmark: a local TLS 1.3 handshake with the stack labbook's HTTPS
//! client uses (rustls on *ring*), in memory, with an RSA-2048 chain as AWS
//! endpoints present. Prints the client's CPU time per handshake (what
//! labbook pays for every new connection; the server's RSA signature is
//! AWS's cost and is printed apart) and the bytes sent.
//!
//! Run: `cargo bench --bench tls`. With `--features bench-aws-lc` the same
//! handshake is also measured on aws-lc (the SDK's default provider), to
//! compare the two; the release profile compiles dependencies that are not
//! hot at opt-level 0, so for a fair comparison also pass
//! `--config 'profile.release.package.aws-lc-sys.opt-level=3'
//! --config 'profile.release.package.aws-lc-rs.opt-level=3'`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{
    ClientConfig, ClientConnection, Connection, RootCertStore, ServerConfig, ServerConnection,
};

const CA: &[u8] = include_bytes!("tls/ca.pem");
const CERT: &[u8] = include_bytes!("tls/server.pem");
const KEY: &[u8] = include_bytes!("tls/server.key");

fn main() {
    measure("ring", rustls::crypto::ring::default_provider());
    #[cfg(feature = "bench-aws-lc")]
    measure("aws-lc", rustls::crypto::aws_lc_rs::default_provider());
}

fn measure(name: &str, provider: CryptoProvider) {
    let provider = Arc::new(provider);
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(CA).expect("ca"))
        .expect("root");
    // Full handshakes every time (no resumption): each new connection to
    // an AWS endpoint that labbook opens pays for one.
    let mut client = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    client.resumption = rustls::client::Resumption::disabled();
    let client = Arc::new(client);
    let chain = vec![CertificateDer::from_pem_slice(CERT).expect("cert")];
    let key = PrivateKeyDer::from_pem_slice(KEY).expect("key");
    let mut server = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("server config");
    server.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    server.send_tls13_tickets = 0;
    let server = Arc::new(server);
    // Warm up, then measure.
    for _ in 0..20 {
        handshake(&client, &server);
    }
    let n = 300;
    let mut client_time = Duration::ZERO;
    let mut server_time = Duration::ZERO;
    let mut bytes = 0;
    for _ in 0..n {
        let (c, s, b) = handshake(&client, &server);
        client_time += c;
        server_time += s;
        bytes = b;
    }
    println!(
        "TLS 1.3 handshake on {name:<6}: client {:>6.1} µs, server {:>7.1} µs per handshake ({n} handshakes, {bytes} bytes each)",
        client_time.as_secs_f64() * 1e6 / n as f64,
        server_time.as_secs_f64() * 1e6 / n as f64,
    );
}

/// One full handshake between new connections, pumping bytes in memory:
/// time spent in the client, in the server, and the bytes exchanged.
fn handshake(
    client: &Arc<ClientConfig>,
    server: &Arc<ServerConfig>,
) -> (Duration, Duration, usize) {
    let mut ct = Duration::ZERO;
    let mut st = Duration::ZERO;
    let mut bytes = 0;
    let t = Instant::now();
    let mut c = Connection::Client(
        ClientConnection::new(
            client.clone(),
            ServerName::try_from("localhost").expect("name"),
        )
        .expect("client"),
    );
    ct += t.elapsed();
    let mut s = Connection::Server(ServerConnection::new(server.clone()).expect("server"));
    while c.is_handshaking() || s.is_handshaking() {
        let (wrote, read, sent) = pump(&mut c, &mut s);
        ct += wrote;
        st += read;
        bytes += sent;
        let (wrote, read, sent) = pump(&mut s, &mut c);
        st += wrote;
        ct += read;
        bytes += sent;
    }
    (ct, st, bytes)
}

/// Everything `from` has to write, read and processed by `to`: the time
/// spent writing (in `from`), reading (in `to`), and the bytes moved.
fn pump(from: &mut Connection, to: &mut Connection) -> (Duration, Duration, usize) {
    let mut buf = Vec::new();
    let t = Instant::now();
    while from.wants_write() {
        from.write_tls(&mut buf).expect("writes");
    }
    let wrote = t.elapsed();
    let t = Instant::now();
    let mut rest = buf.as_slice();
    while !rest.is_empty() {
        to.read_tls(&mut rest).expect("reads");
        to.process_new_packets().expect("handshake");
    }
    (wrote, t.elapsed(), buf.len())
}
