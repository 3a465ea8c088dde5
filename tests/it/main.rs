//! The integration tests, one binary with a module per area (each test
//! binary links every dependency, so there is only one).

mod audit_live;
mod class;
mod class_screens;
mod cli;
mod denials;
mod labs;
mod layers;
mod live;
mod live_mocks;
mod policy;
mod quiz;
mod read;
mod relay;
mod results;
mod review;
mod screens;
mod study_screens;
mod support;
mod tmux;
mod watch;
