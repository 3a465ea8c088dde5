//! `root-user/no-access-keys`: `AccountAccessKeysPresent` is 0.

use super::{CheckMeta, Outcome, Params, need, run};
use crate::facts::Facts;

pub const META: CheckMeta = CheckMeta {
    kind: "root-no-access-keys",
    title: "The root user has no access keys",
    reads: &[&["iam:GetAccountSummary"]],
    params: &[],
};

pub fn evaluate(facts: &Facts, _params: &Params) -> Outcome {
    run(|| {
        let iam = need(&facts.iam, "the root user's access keys")?;
        let summary = need(&iam.account_summary, "the root user's access keys")?;
        let n = summary.account_access_keys_present;
        let o = Outcome::pass_if(
            n == 0,
            format!(
                "The root user of account {} has no access keys.",
                facts.account_id
            ),
            format!(
                "The root user of account {} has access keys; sign in as root and delete them under Security credentials.",
                facts.account_id
            ),
        );
        Ok(o.with("AccountAccessKeysPresent", n.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;

    #[test]
    fn fails_with_keys() {
        let mut f = finished();
        ok_mut(&mut ok_mut(&mut f.iam).account_summary).account_access_keys_present = 1;
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
