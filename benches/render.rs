//! Prints how long a full render of the chapter takes and how much memory
//! `labbook read` needs. Targets: under 5 ms per render at width 100, under
//! 30 MB peak RSS. Run with `cargo bench --bench render`.

use std::hint::black_box;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use labbook::course::Course;
use labbook::markdown;

fn main() {
    let course = Course::embedded();
    let chapter = &course.chapters[0];
    let text = &chapter.source.text;
    println!(
        "chapter: {} ({} bytes, {} lines)",
        chapter.title,
        text.len(),
        text.lines().count()
    );

    for width in [100u16, 80, 200] {
        // Warm up, then time enough renders to be steady.
        for _ in 0..5 {
            black_box(markdown::render(black_box(text), width));
        }
        // Wall time suffers when other work shares the cores; the thread's
        // CPU time does not, so both are printed.
        let mut wall: Vec<Duration> = Vec::new();
        let mut cpu: Vec<Duration> = Vec::new();
        for _ in 0..60 {
            let (c0, w0) = (thread_cpu(), Instant::now());
            let doc = markdown::render(black_box(text), width);
            wall.push(w0.elapsed());
            cpu.push(thread_cpu() - c0);
            black_box(doc);
        }
        wall.sort();
        cpu.sort();
        let lines = markdown::render(text, width).lines.len();
        println!(
            "render width {width:>3}: cpu median {:>6.3} ms (min {:.3}), wall median {:>6.3} ms (min {:.3}), {lines} lines",
            ms(cpu[cpu.len() / 2]),
            ms(cpu[0]),
            ms(wall[wall.len() / 2]),
            ms(wall[0]),
        );
    }

    // Peak memory of the real command, from the kernel's accounting of children.
    let status = Command::new(env!("CARGO_BIN_EXE_labbook"))
        .args(["read", "--width", "100"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run labbook read");
    assert!(status.success());
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage fills the struct we own.
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    println!(
        "labbook read --width 100: peak RSS {:.1} MB",
        usage.ru_maxrss as f64 / 1024.0
    );
}

/// CPU time consumed by this thread so far.
fn thread_cpu() -> Duration {
    let mut ts: libc::timespec = unsafe { std::mem::zeroed() };
    // SAFETY: clock_gettime fills the struct we own.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
