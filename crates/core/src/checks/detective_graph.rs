//! `security-baseline/detective`: a Detective behavior graph exists in `security`.

use super::{
    CheckMeta, MEMBER, ORG_TREE, Outcome, Params, REGION_PARAM, account_param, need,
    need_named_account, run,
};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "detective-graph",
    title: "The security account has a Detective behavior graph",
    reads: &[ORG_TREE, MEMBER, &["detective:ListGraphs"]],
    params: &[
        account_param("Name of the account that owns the behavior graph"),
        REGION_PARAM,
    ],
};

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    run(|| {
        let det = need(&facts.detective, "Detective")?;
        let (name, id) = need_named_account(facts, params)?;
        let graphs = match det.accounts.get(id) {
            Some(g) => need(g, &format!("Detective in account {name}"))?.as_slice(),
            None => &[],
        };
        Ok(match graphs.first() {
            Some(g) => Outcome::pass(format!("Account {name} has Detective behavior graph {g}.")),
            None => Outcome::fail(format!(
                "Account {name} ({id}) has no Detective behavior graph; enable Detective there."
            )),
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_without_a_graph_in_security() {
        let mut f = finished();
        ok_mut(&mut f.detective).accounts.clear();
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
