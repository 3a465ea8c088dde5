//! `org-trail/coverage`: the organization trail is multi-region and records
//! management events, read and write, through classic or advanced selectors.

use super::{CheckMeta, Outcome, Params, TRAILS};
use crate::facts::{Facts, Trail};

pub const META: CheckMeta = CheckMeta {
    kind: "trail-coverage",
    title: "The organization trail is multi-region and logs read and write management events",
    reads: &[TRAILS, &["cloudtrail:GetEventSelectors"]],
    params: &[],
};

/// (reads, writes) of management events the selectors record.
pub(crate) fn management_events(t: &Trail) -> (bool, bool) {
    let (mut read, mut write) = (false, false);
    for s in &t.event_selectors {
        if s.include_management_events {
            match s.read_write_type.as_str() {
                "All" => (read, write) = (true, true),
                "ReadOnly" => read = true,
                "WriteOnly" => write = true,
                _ => {}
            }
        }
    }
    for a in &t.advanced_event_selectors {
        let management = a
            .field_selectors
            .iter()
            .any(|f| f.field == "eventCategory" && f.equals.iter().any(|v| v == "Management"));
        if !management {
            continue;
        }
        match a.field_selectors.iter().find(|f| f.field == "readOnly") {
            None => (read, write) = (true, true),
            Some(f) => {
                let has = |list: &[String], v: &str| list.iter().any(|e| e == v);
                read |= has(&f.equals, "true") || has(&f.not_equals, "false");
                write |= has(&f.equals, "false") || has(&f.not_equals, "true");
            }
        }
    }
    (read, write)
}

/// Whether `t` is multi-region and logs read and write management events.
pub(crate) fn judge(_facts: &Facts, t: &Trail, _params: &Params) -> Outcome {
    let (read, write) = management_events(t);
    let mut missing = Vec::new();
    if !t.is_multi_region_trail {
        missing.push("make it multi-region");
    }
    if !read {
        missing.push("log read management events");
    }
    if !write {
        missing.push("log write management events");
    }
    Outcome::pass_if(
        missing.is_empty(),
        format!(
            "Organization trail `{}` is multi-region and logs read and write management events.",
            t.name
        ),
        format!(
            "Organization trail `{}` does not cover everything: {}.",
            t.name,
            super::and_list(&missing)
        ),
    )
}

pub fn evaluate(facts: &Facts, params: &Params) -> Outcome {
    super::trail_org::evaluate_step(facts, params, judge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checks::Status;
    use crate::checks::testing::*;
    use crate::facts::{AdvancedEventSelector, EventSelector, FieldSelector};

    fn field(name: &str, value: &str) -> FieldSelector {
        FieldSelector {
            field: name.into(),
            equals: vec![value.into()],
            not_equals: vec![],
        }
    }

    #[test]
    fn advanced_selectors_for_management_events_pass() {
        let f = with_trail(|t| {
            t.event_selectors.clear();
            t.advanced_event_selectors = vec![AdvancedEventSelector {
                name: "Management events".into(),
                field_selectors: vec![field("eventCategory", "Management")],
            }];
        });
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn advanced_read_and_write_in_two_selectors_pass() {
        let f = with_trail(|t| {
            t.event_selectors.clear();
            t.advanced_event_selectors = ["true", "false"]
                .iter()
                .map(|ro| AdvancedEventSelector {
                    name: String::new(),
                    field_selectors: vec![
                        field("eventCategory", "Management"),
                        field("readOnly", ro),
                    ],
                })
                .collect();
        });
        assert_status(&eval(&META, &f), Status::Pass);
    }

    #[test]
    fn write_only_fails() {
        let f = with_trail(|t| {
            t.event_selectors = vec![EventSelector {
                read_write_type: "WriteOnly".into(),
                include_management_events: true,
            }]
        });
        let o = eval(&META, &f);
        assert_names(&o, Status::Fail, "read management events");
    }

    #[test]
    fn single_region_fails() {
        let o = eval(&META, &with_trail(|t| t.is_multi_region_trail = false));
        assert_names(&o, Status::Fail, "multi-region");
    }

    #[test]
    fn data_events_only_fail() {
        let f = with_trail(|t| {
            t.event_selectors = vec![EventSelector {
                read_write_type: "All".into(),
                include_management_events: false,
            }]
        });
        assert_status(&eval(&META, &f), Status::Fail);
    }
}
