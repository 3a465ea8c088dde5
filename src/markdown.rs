//! Markdown rendering (in progress).
