//! The latency relay the benchmarks count round trips with: what it
//! forwards arrives unchanged, and not before its delay.

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::support::{moto, relay::Relay};

fn get(endpoint: &str, path: &str) -> String {
    let host = endpoint.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(host).expect("connect");
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("write");
    let mut answer = String::new();
    s.read_to_string(&mut answer).expect("read");
    answer
}

/// The body of an answer (headers carry a date that may differ).
fn body(answer: &str) -> &str {
    answer.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[test]
fn a_request_through_the_relay_is_answered_as_directly_but_after_the_delay() {
    let delay = Duration::from_millis(150);
    let relay = Relay::start(&moto().endpoint, delay);
    let direct = get(&moto().endpoint, "/moto-api/");
    let t = Instant::now();
    let relayed = get(&relay.endpoint, "/moto-api/");
    assert!(t.elapsed() >= delay, "answered after {:?}", t.elapsed());
    assert!(relayed.starts_with("HTTP/1.1 200"), "{relayed}");
    assert_eq!(
        body(&relayed).len(),
        body(&direct).len(),
        "the same answer through the relay"
    );
}
