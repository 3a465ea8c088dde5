//! The audit's IAM reads against moto, through the real SDK: per user,
//! `ListAccessKeys` (metadata only, never a secret) and `GetLoginProfile`
//! (`NoSuchEntity` means no console password), and a denied read that
//! makes only the rule needing it unknown, naming the operation.

use labbook::audit;
use labbook::checks::Status;
use labbook::collect::{self, Recorder, Scope};
use labbook::facts::{Collected, FactGroup, Facts};

use crate::support::{Account, block_on};

fn collect_iam(a: &Account, refuse: &[&str]) -> Facts {
    block_on(collect::collect(
        &a.reach(refuse),
        &Scope::of([FactGroup::Iam, FactGroup::IdentityCenter]),
        Recorder::default(),
    ))
    .expect("collect")
}

/// `human` has a console password, `robot` an access key; returns the key's secret.
fn seed(a: &Account) -> String {
    block_on(async {
        let iam = aws_sdk_iam::Client::new(&a.conf);
        for name in ["human", "robot"] {
            iam.create_user()
                .user_name(name)
                .send()
                .await
                .expect("user");
        }
        iam.create_login_profile()
            .user_name("human")
            .password("Correct-Horse-42!")
            .send()
            .await
            .expect("login profile");
        let key = iam
            .create_access_key()
            .user_name("robot")
            .send()
            .await
            .expect("access key");
        key.access_key()
            .map(|k| k.secret_access_key().to_string())
            .expect("a secret")
    })
}

fn rule(id: &str, facts: &Facts) -> labbook::checks::Outcome {
    audit::find(id).expect("rule").run(facts)
}

#[test]
fn console_passwords_and_access_keys_are_read_per_user_without_secrets() {
    let a = Account::fresh();
    let secret = seed(&a);
    let facts = collect_iam(&a, &[]);
    let iam = facts.iam.ok().expect("iam");
    let user = |n: &str| iam.users.iter().find(|u| u.name == n).expect("user");
    assert_eq!(user("human").console_password, Collected::Ok(true));
    assert_eq!(user("robot").console_password, Collected::Ok(false));
    let keys = user("robot").access_keys.ok().expect("keys read");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].status, "Active");
    assert_eq!(keys[0].id_ending.len(), 4);
    assert!(keys[0].created.is_some());
    assert_eq!(user("human").access_keys, Collected::Ok(vec![]));

    let json = serde_json::to_string(&facts).expect("json");
    assert!(
        !json.contains(&secret),
        "the secret never reaches the snapshot"
    );

    let o = rule("humans-use-identity-center", &facts);
    assert_eq!(o.status, Status::Fail, "{o:?}");
    assert!(o.message.contains("`human`"), "{}", o.message);
    let o = rule("access-key-age", &facts);
    assert_eq!(
        o.status,
        Status::Pass,
        "a key made just now is young: {o:?}"
    );
}

#[test]
fn a_denied_login_profile_read_makes_only_its_rule_unknown_naming_it() {
    let a = Account::fresh();
    seed(&a);
    let facts = collect_iam(&a, &["iam:GetLoginProfile"]);
    assert!(
        facts.unread.contains_key("iam:GetLoginProfile"),
        "{:?}",
        facts.unread
    );
    let o = rule("humans-use-identity-center", &facts);
    assert_eq!(o.status, Status::Unknown, "{o:?}");
    assert!(o.message.contains("iam:GetLoginProfile"), "{}", o.message);
    let o = rule("access-key-age", &facts);
    assert_eq!(o.status, Status::Pass, "{o:?}");
    let o = rule("no-direct-admin", &facts);
    assert_eq!(o.status, Status::Pass, "{o:?}");
}
