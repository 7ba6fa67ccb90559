//! A seeded fuzz run over the whole pipeline in memory: load → graph → facts
//! → check → render. Projects are made of plausible items (so most of them
//! load and reach the rules and the documents) with random fragments spliced
//! in (so the loader's error paths run too). Whatever comes out: no panic,
//! every finding located inside its file and bounded in length, documents
//! byte-identical when rendered twice, and no user text turned into markup.
//!
//! CI runs a short, fixed-seed run. Longer locally:
//! `CLINSAFE_FUZZ_CASES=5000 CLINSAFE_FUZZ_SEED=$RANDOM cargo test --release --lib fuzz`.
//! Metric values range from ordinary to extreme (±1.7e308, 1e-308): charts and numbers must
//! stay finite and readable for any finite value.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use crate::model::date::{Date, Month};

fn config() -> Config {
    let env =
        |name: &str, default: u64| std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Config {
        cases: env("CLINSAFE_FUZZ_CASES", 24) as u32,
        rng_seed: RngSeed::Fixed(env("CLINSAFE_FUZZ_SEED", 11)),
        failure_persistence: None,
        ..Config::default()
    }
}

fn id(prefix: &'static str) -> impl Strategy<Value = String> {
    (0..4u8).prop_map(move |n| format!("{prefix}-{n}"))
}

fn text() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "Wrong patient",
        "<script>alert(1)</script>",
        "A&E \u{202e}reversed",
        "**bold** [x](javascript:alert(1))",
        "line one\nline two",
        "ünïcødé 漢字",
        "",
        "TODO",
    ])
    .prop_map(|s| format!("{s:?}")) // a YAML double-quoted scalar
}

fn risk() -> impl Strategy<Value = String> {
    let level = prop::sample::select(vec![
        "minor",
        "significant",
        "considerable",
        "major",
        "catastrophic",
        "TBC",
        "huge",
    ]);
    let chance = prop::sample::select(vec!["very-low", "low", "medium", "high", "very-high", "TBC"]);
    (level, chance, prop::option::of(0..7i64)).prop_map(|(s, l, r)| {
        let rating = r.map(|r| format!(", rating: {r}")).unwrap_or_default();
        format!("{{ severity: {s}, likelihood: {l}{rating} }}")
    })
}

fn date() -> impl Strategy<Value = String> {
    (2025..2028i32, 1..13u32, 1..29u32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}"))
}

fn hazard() -> impl Strategy<Value = String> {
    let status = prop::sample::select(vec!["open", "closed", "transferred"]);
    (
        id("HAZ"),
        text(),
        prop::collection::vec(id("CTL"), 0..3),
        prop::option::of(risk()),
        prop::option::of(risk()),
        status,
        prop::option::of(date()),
    )
        .prop_map(|(id, title, controls, initial, residual, status, review)| {
            let mut s = format!(
                "  - id: {id}\n    title: {title}\n    status: {status}\n    controls: [{}]\n",
                controls.join(", ")
            );
            if let Some(r) = initial {
                s += &format!("    initial_risk: {r}\n");
            }
            if let Some(r) = residual {
                s += &format!("    residual_risk: {r}\n    justification: because\n");
            }
            if let Some(d) = review {
                s += &format!("    review_by: {d}\n");
            }
            s
        })
}

fn control() -> impl Strategy<Value = String> {
    let status = prop::sample::select(vec!["planned", "implemented", "verified"]);
    let kind = prop::sample::select(vec!["design", "test", "training", "business-process"]);
    (id("CTL"), text(), status, kind, prop::option::of(date()), prop::bool::ANY).prop_map(
        |(id, title, status, kind, due, evidence)| {
            let mut s = format!("  - {{ id: {id}, title: {title}, type: {kind}, status: {status}");
            if let Some(d) = due {
                s += &format!(", due: {d}");
            }
            if evidence {
                s += ", evidence: [report.pdf]";
            }
            s + " }\n"
        },
    )
}

fn metric() -> impl Strategy<Value = String> {
    let better = prop::sample::select(vec!["lower", "higher"]);
    let value = prop_oneof![
        4 => -1e6..1e6f64,
        1 => prop::sample::select(vec![1.7e308, -1.7e308, 1e-308, -4e-3, 0.0, 1e15, 123_456_789.125]),
    ];
    let obs = prop::collection::vec((date(), value.clone()), 0..6);
    (id("MET"), text(), better, prop::option::of(value), obs, prop::collection::vec(id("CTL"), 0..2), 1..4u32).prop_map(
        |(id, title, better, threshold, obs, monitors, after)| {
            let threshold = threshold.map(|t| format!(", threshold: {t}")).unwrap_or_default();
            let obs: Vec<String> = obs.iter().map(|(d, v)| format!("{{ date: {d}, value: {v} }}")).collect();
            format!(
                "  - {{ id: {id}, title: {title}, better: {better}{threshold}, worsening_after: {after}, monitors: [{}], observations: [{}] }}\n",
                monitors.join(", "),
                obs.join(", ")
            )
        },
    )
}

fn action() -> impl Strategy<Value = String> {
    (id("ACT"), text(), prop::option::of(date())).prop_map(|(id, title, due)| {
        let due = due.map(|d| format!(", due: {d}")).unwrap_or_default();
        format!("  - {{ id: {id}, title: {title}, status: open{due} }}\n")
    })
}

/// A project file: items of each kind, then maybe a random fragment spliced in.
fn project_file() -> impl Strategy<Value = String> {
    let items = (
        prop::collection::vec(hazard(), 0..4),
        prop::collection::vec(control(), 0..4),
        prop::collection::vec(metric(), 0..3),
        prop::collection::vec(action(), 0..2),
        prop::bool::ANY,
    );
    let splice = prop::option::weighted(
        0.3,
        (
            any::<prop::sample::Index>(),
            prop::sample::select(vec![
                "[",
                "]",
                ": ",
                "\t",
                "*a",
                "&a ",
                "- ",
                "\"",
                "{",
                "~",
                "\n  - id: X\n",
            ]),
        ),
    );
    (items, splice).prop_map(|((h, c, m, a, dpia), splice)| {
        let mut s = format!(
            "hazards:\n{}controls:\n{}metrics:\n{}actions:\n{}",
            h.concat(),
            c.concat(),
            m.concat(),
            a.concat()
        );
        if dpia {
            s += "dpia:\n  title: DPIA\n  risks:\n    - { id: R-1, title: r }\n";
        }
        if let Some((at, piece)) = splice {
            let mut i = at.index(s.len() + 1).min(s.len());
            while !s.is_char_boundary(i) {
                i -= 1;
            }
            s.insert_str(i, piece);
        }
        s
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn fuzz_the_whole_pipeline(file in project_file(), pdf in prop::bool::weighted(0.15)) {
        let as_of = Date::parse("2026-11-25").unwrap();
        let project = match crate::testutil::try_project(&[("x.yaml", &file)]) {
            Ok(project) => project,
            Err(failure) => {
                prop_assert!(!failure.errors.is_empty());
                for e in &failure.errors {
                    let text = &failure.sources.get(e.span.file).text;
                    prop_assert!((e.span.offset as usize) <= text.len(), "{e:?} outside its file");
                }
                return Ok(());
            }
        };
        let graph = crate::graph::build(&project);
        let facts = crate::facts::evaluate(&project, as_of);
        let findings = crate::check::run(&project, &graph, &facts);
        for f in &findings {
            prop_assert!(f.message.chars().count() <= crate::excerpt::MAX_MESSAGE + 40, "{f:?}");
            if let Some(span) = f.span {
                prop_assert!((span.offset as usize) <= project.sources.get(span.file).text.len(), "{f:?}");
            }
        }
        let analysis = crate::Analysis { project, graph, facts, findings };
        let render = || crate::report::render(&analysis, Month::of(as_of), &[], true, pdf);
        let first = render().map_err(TestCaseError::fail)?;
        let second = render().map_err(TestCaseError::fail)?;
        prop_assert!(first.files == second.files, "rendering twice differs");
        for (name, bytes) in &first.files {
            if name.ends_with(".html") {
                let page = String::from_utf8_lossy(bytes);
                prop_assert!(!page.contains("<script"), "{name}: user text became markup");
                prop_assert!(!page.contains("href=\"javascript:"), "{name}: a javascript: link survived");
            }
            if name == "safety-case.html" {
                // The body says findings in words; rule ids stay in the maintainers' appendix.
                let page = String::from_utf8_lossy(bytes);
                let body = &page[..page.find("id=\"findings-detail\"").unwrap_or(page.len())];
                for r in crate::rules::RULES {
                    prop_assert!(!body.contains(r.id), "the safety case's body names the rule {}", r.id);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// The built-in hazard log and safety case write some components inline in
    /// their long loops (`report::templates`); with the components given as a
    /// user's own (the calls put back), every page is the same.
    #[test]
    fn fuzz_inlined_components_write_what_the_calls_write(file in project_file()) {
        let as_of = Date::parse("2026-11-25").unwrap();
        let Ok(project) = crate::testutil::try_project(&[("x.yaml", &file)]) else { return Ok(()) };
        let graph = crate::graph::build(&project);
        let facts = crate::facts::evaluate(&project, as_of);
        let findings = crate::check::run(&project, &graph, &facts);
        let analysis = crate::Analysis { project, graph, facts, findings };
        let own = crate::report::templates::BUILTIN
            .iter()
            .filter(|(name, _)| *name == "components.html")
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect::<Vec<_>>();
        let inline = crate::report::render(&analysis, Month::of(as_of), &[], true, false).map_err(TestCaseError::fail)?;
        let calls = crate::report::render(&analysis, Month::of(as_of), &own, true, false).map_err(TestCaseError::fail)?;
        for ((name, a), (_, b)) in inline.files.iter().zip(&calls.files) {
            prop_assert!(a == b, "{name} differs:\n{}", first_difference(a, b));
        }
    }
}

/// Where two pages first differ, with some context, for a failing test's message.
fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()));
    let from = at.saturating_sub(200);
    format!(
        "{}\n---\n{}",
        String::from_utf8_lossy(&a[from..(at + 100).min(a.len())]),
        String::from_utf8_lossy(&b[from..(at + 100).min(b.len())])
    )
}
