//! The red team's designs that once blew the failure analysis' budgets (issue 23, cases
//! 10 and 11), generated the same way each time: for the `budgets` benchmarks
//! (benches/check.rs) and the tests that the budget is hit and the fallback answers
//! (tests/it/analysis.rs).

use std::fmt::Write;

/// 140 servers in three tiers (40 web, 60 app, 40 database), each web server sending to
/// 3 app servers and each app server to 3 databases picked at random, the servers spread
/// at random over 12 zones: no variable order keeps the availability's decision diagram
/// small (2,000,000 nodes an operation once took 28 s and 765 MB before giving up).
pub(crate) fn zones_at_random() -> String {
    // A fixed linear congruential generator: the same design on every machine.
    let mut state: u64 = 0x5eed;
    let mut next = |n: usize| -> usize {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n as u64) as usize
    };
    let mut out = String::from("name: zones at random\nservers:\n");
    for (tier, kind, count) in [
        ("web", "web_server", 40),
        ("app", "app_server", 60),
        ("db", "database", 40),
    ] {
        for i in 0..count {
            let _ = writeln!(
                out,
                "  {tier}-{i}: {{ zone: z{}, availability: 99.5, components: [{{ kind: {kind} }}] }}",
                next(12)
            );
        }
    }
    out.push_str("flows:\n  - { from: user, to: [");
    out.push_str(
        &(0..40)
            .map(|i| format!("web-{i}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    out.push_str("], protocol: http }\n");
    for (from, to, count, targets, protocol) in [
        ("web", "app", 40, 60, "http"),
        ("app", "db", 60, 40, "mysql"),
    ] {
        for i in 0..count {
            let picked: Vec<String> = (0..3).map(|_| format!("{to}-{}", next(targets))).collect();
            let _ = writeln!(
                out,
                "  - {{ from: {from}-{i}, to: [{}], protocol: {protocol} }}",
                picked.join(", ")
            );
        }
    }
    out.push_str("zones:\n");
    for z in 0..12 {
        let _ = writeln!(out, "  z{z}: {{ availability: 99.9 }}");
    }
    out
}

/// `chains` parallel chains of `length` web servers behind the user: every minimal cut
/// takes one server of each chain (`length^chains` sets; 100^3, a million sets of 3,
/// once ran past a minute).
pub(crate) fn parallel_chains(chains: usize, length: usize) -> String {
    let mut out = String::from("name: parallel chains\nservers:\n");
    for c in 0..chains {
        for j in 0..length {
            let _ = writeln!(
                out,
                "  c{c}-{j}: {{ components: [{{ kind: web_server }}] }}"
            );
        }
    }
    let firsts: Vec<String> = (0..chains).map(|c| format!("c{c}-0")).collect();
    let _ = writeln!(
        out,
        "flows:\n  - {{ from: user, to: [{}], protocol: http }}",
        firsts.join(", ")
    );
    for c in 0..chains {
        for j in 1..length {
            let _ = writeln!(
                out,
                "  - {{ from: c{c}-{}, to: c{c}-{j}, protocol: http }}",
                j - 1
            );
        }
    }
    out
}
