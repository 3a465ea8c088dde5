//! Request context lookup: case-insensitive context keys over the borrowed
//! shapes the evaluator is handed, so hot loops (every region, every action)
//! need not build a `Request` per evaluation.

use std::collections::BTreeMap;

/// The values of one context key.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Values<'a> {
    Many(&'a [String]),
    One(&'a str),
}

impl<'a> Values<'a> {
    pub(crate) fn len(&self) -> usize {
        match self {
            Values::Many(v) => v.len(),
            Values::One(_) => 1,
        }
    }

    pub(crate) fn get(&self, i: usize) -> Option<&'a str> {
        match self {
            Values::Many(v) => v.get(i).map(String::as_str),
            Values::One(s) => (i == 0).then_some(*s),
        }
    }

    pub(crate) fn iter(self) -> impl Iterator<Item = &'a str> {
        (0..self.len()).filter_map(move |i| self.get(i))
    }
}

/// Where condition keys and policy variables are looked up.
pub(crate) trait Context {
    /// Values of `key` (case-insensitive), `None` when the key is absent.
    fn values(&self, key: &str) -> Option<Values<'_>>;
}

/// No context at all (every key absent).
#[cfg(test)]
pub(crate) struct NoContext;

#[cfg(test)]
impl Context for NoContext {
    fn values(&self, _key: &str) -> Option<Values<'_>> {
        None
    }
}

impl Context for BTreeMap<String, Vec<String>> {
    fn values(&self, key: &str) -> Option<Values<'_>> {
        // Exact spelling first (the common case, no scan), then the
        // case-insensitive scan AWS key semantics require.
        if let Some(v) = self.get(key) {
            return Some(Values::Many(v));
        }
        self.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| Values::Many(v))
    }
}

/// A single `aws:RequestedRegion`, for region sweeps.
pub(crate) struct RegionContext<'a>(pub &'a str);

impl Context for RegionContext<'_> {
    fn values(&self, key: &str) -> Option<Values<'_>> {
        key.eq_ignore_ascii_case("aws:RequestedRegion")
            .then_some(Values::One(self.0))
    }
}
