//! Chooses the one resource a lab's steps judge: the lab's user pool, trail
//! or key. Not a check kind (the registry skips this file).
//!
//! A learner may have several pools, trails or keys; each step of a lab
//! must judge the same one, and the choice must not depend on the order an
//! API lists them in. The lab's resource is the candidate that meets the most
//! of the lab's steps, ties broken by a name (then an id), so the learner's
//! most finished attempt is the one every message names.
//!
//! A step is "met" when the step's own per-resource verdict (`judge`, the
//! same function its `evaluate` ends in) is `pass`: one definition of each
//! rule, used both to choose and to judge.
//!
//! Parameters: one step's `evaluate` sees only its own parameters, not the
//! other steps' of the lab. The scoring therefore judges every step with that
//! kind's defaults, overridden by the current step's values for the names the
//! kind declares too ([`lab_params`]). Labs that rename a shared value
//! (`client_name`) on every step that takes it, or keep the defaults, choose
//! the same resource in every step.

use super::{CheckMeta, Outcome, Params, Status};
use crate::facts::Facts;

/// One of a lab's steps as the chooser sees it: its kind and its verdict on
/// one candidate (given the current step's parameters, see [`lab_params`]).
pub struct Step<T: ?Sized> {
    pub meta: &'static CheckMeta,
    pub judge: fn(&Facts, &T, &Params) -> Outcome,
}

impl<T: ?Sized> Step<T> {
    /// Whether `item` meets this step, judged with `step`'s parameters.
    pub fn met(&self, facts: &Facts, item: &T, step: &Params) -> bool {
        (self.judge)(facts, item, &lab_params(self.meta, step)).status == Status::Pass
    }
}

/// The parameters of kind `meta` for scoring: its defaults, with the values
/// of `step` (the step being evaluated) for the names `meta` also declares.
/// For the step's own kind this is `step` itself.
pub fn lab_params(meta: &CheckMeta, step: &Params) -> Params {
    step.iter()
        .filter(|(name, _)| meta.params.iter().any(|p| p.name == name.as_str()))
        .fold(Params::defaults(meta), |p, (name, value)| {
            p.with(name, value.clone())
        })
}

/// How many of `steps` `item` meets.
pub fn score<T: ?Sized>(facts: &Facts, item: &T, steps: &[Step<T>], step: &Params) -> usize {
    steps.iter().filter(|s| s.met(facts, item, step)).count()
}

/// The candidate with the highest `score`; among equals, the one with the
/// smallest `tie` key (a name, then an id). `None` when there is none.
/// Independent of the candidates' order as long as `tie` keys are distinct.
pub fn choose<'a, T: ?Sized, K: Ord>(
    candidates: impl IntoIterator<Item = &'a T>,
    score: impl Fn(&T) -> usize,
    tie: impl Fn(&'a T) -> K,
) -> Option<&'a T> {
    candidates
        .into_iter()
        .map(|c| (std::cmp::Reverse(score(c)), tie(c), c))
        .min_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)))
        .map(|(_, _, c)| c)
}

/// The lab's resource among `candidates`: [`choose`] scored by `steps`.
pub fn lab_resource<'a, T: ?Sized, K: Ord>(
    facts: &Facts,
    candidates: impl IntoIterator<Item = &'a T>,
    steps: &[Step<T>],
    step: &Params,
    tie: impl Fn(&'a T) -> K,
) -> Option<&'a T> {
    choose(candidates, |c| score(facts, c, steps, step), tie)
}

#[cfg(test)]
pub mod testing {
    //! Order-independence checks shared by the lab tests.
    use crate::checks::{Outcome, testing::check};
    use crate::facts::Facts;

    /// Every permutation of `0..n` (n is small in tests).
    pub fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![vec![]];
        }
        let mut out = Vec::new();
        for p in permutations(n - 1) {
            for i in 0..=p.len() {
                let mut q = p.clone();
                q.insert(i, n - 1);
                out.push(q);
            }
        }
        out
    }

    /// `list` reordered by `order`.
    pub fn reorder<T: Clone>(list: &mut Vec<T>, order: &[usize]) {
        *list = order.iter().map(|&i| list[i].clone()).collect();
    }

    /// The outcome of each kind on `facts`, with its defaults.
    pub fn outcomes(facts: &Facts, kinds: &[&str]) -> Vec<(String, Outcome)> {
        kinds
            .iter()
            .map(|k| {
                (
                    k.to_string(),
                    crate::checks::testing::eval(check(k).meta, facts),
                )
            })
            .collect()
    }

    /// Asserts that every ordering `shuffle` produces (for each permutation
    /// of `n` items) gives the same outcomes (status, message, evidence) as
    /// `facts` itself, for every kind; returns those outcomes.
    #[track_caller]
    pub fn assert_order_independent(
        facts: &Facts,
        kinds: &[&str],
        n: usize,
        shuffle: impl Fn(&mut Facts, &[usize]),
    ) -> Vec<(String, Outcome)> {
        let want = outcomes(facts, kinds);
        for order in permutations(n) {
            let mut f = facts.clone();
            shuffle(&mut f, &order);
            assert_eq!(outcomes(&f, kinds), want, "order {order:?}");
        }
        want
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_highest_score_wins_then_the_smallest_name() {
        let items = [("b", 2), ("a", 1), ("c", 2)];
        let pick = choose(items.iter(), |i| i.1, |i| i.0);
        assert_eq!(pick, Some(&("b", 2)));
        let tie = [("z", 0), ("y", 0)];
        assert_eq!(choose(tie.iter(), |i| i.1, |i| i.0), Some(&("y", 0)));
        let none: [(&str, usize); 0] = [];
        assert_eq!(choose(none.iter(), |i| i.1, |i| i.0), None);
    }

    #[test]
    fn the_choice_is_the_same_in_every_order() {
        let items = vec![("d", 1), ("b", 3), ("a", 3), ("c", 0)];
        for order in testing::permutations(items.len()) {
            let mut list = items.clone();
            testing::reorder(&mut list, &order);
            assert_eq!(
                choose(list.iter(), |i| i.1, |i| i.0),
                Some(&("a", 3)),
                "{order:?}"
            );
        }
    }

    #[test]
    fn lab_params_take_the_step_values_the_kind_declares() {
        use crate::checks::{ParamValue, cognito_client, cognito_oauth};
        let step = Params::defaults(&cognito_oauth::META)
            .with("client_name", ParamValue::Str("app".into()))
            .with("callback_url", ParamValue::Str("https://x/cb".into()));
        let client = lab_params(&cognito_client::META, &step);
        assert_eq!(client.str("client_name"), "app");
        assert_eq!(
            client.str("callback_url"),
            "",
            "not a client-kind parameter"
        );
        assert_eq!(lab_params(&cognito_oauth::META, &step), step);
    }
}
