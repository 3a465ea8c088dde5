//! The TUI (in progress).
