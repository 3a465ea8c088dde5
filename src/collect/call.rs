//! How one AWS call is made and how its failure reads: the client builder
//! (with the operation guard), the call and pagination macros (a concurrency
//! slot per request), and the mapping of SDK errors to [`Unavailable`]
//! facts. The bottom of the collector: every other part uses it, it uses
//! none of them.

use aws_sdk_sts::error::{ProvideErrorMetadata, SdkError};

use crate::facts::Unavailable;

/// Builds a client of `$sdk` for `$conf` (an `SdkConfig`) with the guard.
macro_rules! client {
    ($sdk:ident, $ctx:expr, $conf:expr) => {{
        let mut builder = $sdk::config::Builder::from($conf).interceptor($ctx.guard.clone());
        for extra in &$ctx.extra {
            builder.push_interceptor(extra.clone());
        }
        $sdk::Client::from_conf(builder.build())
    }};
}

/// Awaits a request with a concurrency slot, turning errors into [`Unavailable`].
macro_rules! call {
    ($ctx:expr, $action:literal, $req:expr) => {{
        let _slot = $ctx.permit().await;
        $req.send()
            .await
            .map_err(|e| $crate::collect::call::unavailable($action, &e))
    }};
}

/// Reads every page of a paginated request with a concurrency slot.
macro_rules! pages {
    ($ctx:expr, $action:literal, $req:expr) => {{
        let _slot = $ctx.permit().await;
        $req.into_paginator()
            .items()
            .send()
            .try_collect()
            .await
            .map_err(|e| $crate::collect::call::unavailable($action, &e))
    }};
}

/// Reads every page of a paginated request whose pages have no item
/// accessor in the SDK; `$items` takes a page to its items.
macro_rules! paged {
    ($ctx:expr, $action:literal, $req:expr, $items:expr) => {{
        let _slot = $ctx.permit().await;
        $req.into_paginator()
            .send()
            .try_collect()
            .await
            .map(|pages| pages.iter().flat_map($items).cloned().collect::<Vec<_>>())
            .map_err(|e| $crate::collect::call::unavailable($action, &e))
    }};
}

pub(crate) use {call, client, paged, pages};

/// An error and its sources, one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string().replace('\n', " ");
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string().replace('\n', " ");
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// An SDK error in a few words: the code and message, or the transport cause.
pub fn error_text<E, R>(e: &SdkError<E, R>) -> String
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match e {
        SdkError::ServiceError(s) => {
            let err = s.err();
            match (err.code(), err.message()) {
                (Some(c), Some(m)) => format!("{c}: {m}"),
                (Some(c), None) => c.to_string(),
                _ => format!("unexpected answer {:?}", s.raw()),
            }
        }
        SdkError::TimeoutError(_) => "timed out".to_string(),
        other => error_chain(other),
    }
}

/// Error codes AWS uses for "you may not".
const DENIED: &[&str] = &[
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "UnauthorizedException",
    "AuthorizationError",
    "AuthorizationErrorException",
    "Forbidden",
];

/// Error codes for throttling that survived the retries.
const THROTTLED: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
];

/// The reason of an operation AWS kept throttling through the retries.
pub const THROTTLED_REASON: &str = "throttled by AWS after retries; try again in a minute";

/// Whether the error is an access denial.
pub fn is_denied<E, R>(e: &SdkError<E, R>) -> bool
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    e.code().is_some_and(|c| DENIED.contains(&c))
}

/// The error's code, if the service answered with one.
pub fn code<E, R>(e: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    e.code()
}

/// The error's message, if the service answered with one.
pub fn message<E, R>(e: &SdkError<E, R>) -> &str
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    e.message().unwrap_or_default()
}

/// An SDK error as an unavailable fact, naming the action.
pub fn unavailable<E>(
    action: &str,
    e: &SdkError<E, aws_smithy_runtime_api::http::Response>,
) -> Unavailable
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    if is_denied(e) {
        return Unavailable::denied(action);
    }
    if e.code().is_some_and(|c| THROTTLED.contains(&c)) {
        return Unavailable {
            reason: THROTTLED_REASON.to_string(),
            permission: None,
            operation: Some(action.to_string()),
        };
    }
    let reason = match e {
        SdkError::ServiceError(s) if s.err().code().is_none() => {
            let status = s.raw().status().as_u16();
            format!("{action} answered HTTP {status} (not supported by this endpoint?)")
        }
        SdkError::TimeoutError(_) => format!("{action} timed out"),
        SdkError::DispatchFailure(_) => {
            format!("could not reach AWS for {action}: {}", error_text(e))
        }
        _ => format!("{action} failed: {}", error_text(e)),
    };
    Unavailable {
        operation: Some(action.to_string()),
        ..Unavailable::new(reason)
    }
}
