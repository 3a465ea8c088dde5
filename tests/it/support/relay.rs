//! A latency relay: a TCP forwarder on a free loopback port in front of an
//! upstream address (moto) that holds every byte going upstream for a fixed
//! delay before passing it on, as a network with that round-trip time does.
//! It forwards bytes and knows nothing of HTTP or AWS: it is a test tool
//! for counting sequential round trips (wall time with the delay, less the
//! wall time without, divided by the delay).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A running relay; it stops accepting when dropped (connections already
/// open finish on their own).
pub struct Relay {
    /// `http://127.0.0.1:PORT`, to use as the endpoint.
    pub endpoint: String,
    listener: TcpListener,
}

impl Relay {
    /// A relay in front of `upstream` (`host:port` or `http://host:port`),
    /// adding `delay` to every request.
    pub fn start(upstream: &str, delay: Duration) -> Relay {
        let upstream = upstream.trim_start_matches("http://").to_string();
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind the relay");
        let endpoint = format!(
            "http://{}",
            listener.local_addr().expect("the relay's address")
        );
        let accepting = listener.try_clone().expect("clone the listener");
        std::thread::spawn(move || {
            for client in accepting.incoming() {
                let Ok(client) = client else { break };
                let upstream = upstream.clone();
                std::thread::spawn(move || {
                    if let Ok(server) = TcpStream::connect(&upstream) {
                        relay(client, server, delay);
                    }
                });
            }
        });
        Relay { endpoint, listener }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        // Wakes the accept loop with a connection of our own, after which
        // the listener is gone and the loop ends.
        let _ = self.listener.set_nonblocking(true);
        if let Ok(addr) = self.listener.local_addr() {
            let _ = TcpStream::connect(addr);
        }
    }
}

/// Client to server: each chunk is held until `delay` after it arrived (a
/// queue, so chunks in flight overlap as they would on a wire). Server to
/// client: straight through.
fn relay(client: TcpStream, server: TcpStream, delay: Duration) {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    let mut from_client = client.try_clone().expect("clone");
    let reader = std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match from_client.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                        break;
                    }
                }
            }
        }
    });
    let mut to_server = server.try_clone().expect("clone");
    let writer = std::thread::spawn(move || {
        for (arrived, bytes) in rx {
            let due = arrived + delay;
            let now = Instant::now();
            if due > now {
                std::thread::sleep(due - now);
            }
            if to_server.write_all(&bytes).is_err() {
                break;
            }
        }
        let _ = to_server.shutdown(Shutdown::Write);
    });
    let mut from_server = server;
    let mut to_client = client;
    let _ = std::io::copy(&mut from_server, &mut to_client);
    let _ = to_client.shutdown(Shutdown::Both);
    let _ = reader.join();
    let _ = writer.join();
}
