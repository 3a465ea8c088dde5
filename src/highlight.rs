//! Syntax highlighting (in progress).
