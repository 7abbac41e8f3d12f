//! Judging a design against a profile's requirements: one function per requirement.

use std::net::IpAddr;

use super::{Count, Outcome, Requirement};
use crate::model::{ComponentKind, Design, EndpointTarget, RecordType};

impl Requirement {
    /// Checks the requirement against a design.
    pub fn check(&self, design: &Design) -> Outcome {
        match self {
            Requirement::Servers(count) => {
                let found = design.servers.len();
                Outcome {
                    met: count.met(found),
                    required: format!("requires {}", count.of("server", "servers")),
                    found: format!("found {found}"),
                }
            }
            Requirement::Components(kind, count) => {
                let found = design.components.iter().filter(|c| c.kind == *kind).count();
                Outcome {
                    met: count.met(found),
                    required: format!(
                        "requires {}",
                        count.of(&format!("{kind} component"), &format!("{kind} components"))
                    ),
                    found: format!("found {found}"),
                }
            }
            Requirement::Domain(domain) => {
                let found = design.domain.as_ref().map(|d| d.value.as_str());
                Outcome {
                    met: found == Some(domain.as_str()),
                    required: format!("requires `domain: {domain}`"),
                    found: match found {
                        Some(other) => format!("found `{other}`"),
                        None => "found no `domain`".to_string(),
                    },
                }
            }
            Requirement::Record {
                name,
                record_type,
                reaches,
            } => check_record(design, name, *record_type, *reaches),
            Requirement::Certificate { covers, count } => {
                check_certificates(design, covers, *count)
            }
            Requirement::EncryptedUserFlow(host) => check_encrypted(design, host),
            Requirement::Cluster(kind, at_least) => check_cluster(design, kind, *at_least),
            Requirement::Separate(kinds) => check_separate(design, kinds),
        }
    }
}

/// Certificates covering a host, counted.
fn check_certificates(design: &Design, covers: &str, count: Count) -> Outcome {
    let found = design
        .components
        .iter()
        .filter_map(|c| c.certificate.as_ref())
        .filter(|cert| {
            cert.domains
                .iter()
                .any(|d| crate::model::covers(&d.value, covers))
        })
        .count();
    Outcome {
        met: count.met(found),
        required: format!(
            "requires {}",
            count.of(
                &format!("certificate covering {covers}"),
                &format!("certificates covering {covers}"),
            )
        ),
        found: format!("found {found}"),
    }
}

/// The flow from users to a host, encrypted.
fn check_encrypted(design: &Design, host: &str) -> Outcome {
    let flows: Vec<_> = design
        .flows
        .iter()
        .filter(|f| {
            f.from.target == EndpointTarget::User && f.to.written.eq_ignore_ascii_case(host)
        })
        .collect();
    let plaintext: Vec<String> = flows
        .iter()
        .filter(|f| !f.protocol.is_encrypted())
        .map(|f| f.protocol.to_string())
        .collect();
    Outcome {
        met: !flows.is_empty() && plaintext.is_empty(),
        required: format!("requires the flow from user to {host} to be encrypted"),
        found: if flows.is_empty() {
            format!("found no flow from user to {host}")
        } else if plaintext.is_empty() {
            "found it encrypted".to_string()
        } else {
            format!("found {}", plaintext.join(", "))
        },
    }
}

/// Components of a kind on the servers of one cluster.
fn check_cluster(design: &Design, kind: &ComponentKind, at_least: u32) -> Outcome {
    let found = design
        .clusters
        .iter()
        .map(|cluster| {
            cluster
                .members
                .iter()
                .flat_map(|&m| design.components_of(m))
                .filter(|c| c.kind == *kind)
                .count()
        })
        .max()
        .unwrap_or(0);
    Outcome {
        met: found >= at_least as usize,
        required: format!(
            "requires at least {at_least} {kind} components on the servers of one cluster"
        ),
        found: if design.clusters.is_empty() {
            "found no cluster".to_string()
        } else {
            format!("found {found}")
        },
    }
}

/// No server running more than one of the kinds.
fn check_separate(design: &Design, kinds: &[ComponentKind]) -> Outcome {
    let crowded: Vec<String> = design
        .servers
        .iter()
        .filter(|s| {
            kinds
                .iter()
                .filter(|&&k| design.components_of(s.id).any(|c| c.kind == k))
                .count()
                > 1
        })
        .map(|s| format!("`{}`", s.name.value))
        .collect();
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    Outcome {
        met: crowded.is_empty(),
        required: format!(
            "requires that no server run more than one of {}",
            names.join(", ")
        ),
        found: format!(
            "found {}: {}",
            crate::prose::plural(crowded.len(), "server", "servers"),
            crowded.join(", ")
        ),
    }
}

fn check_record(
    design: &Design,
    name: &str,
    record_type: RecordType,
    reaches: ComponentKind,
) -> Outcome {
    let required = format!("requires a `{name}` {record_type} record that reaches the {reaches}");
    let named: Vec<_> = design
        .records
        .iter()
        .filter(|r| r.name.value.eq_ignore_ascii_case(name))
        .collect();
    let Some(record) = named.iter().find(|r| r.record_type == record_type) else {
        let found = match named.first() {
            Some(other) => format!("found a {} record", other.record_type),
            None => format!("found no `{name}` record"),
        };
        return Outcome {
            met: false,
            required,
            found,
        };
    };
    let Ok(address) = record.value.value.parse::<IpAddr>() else {
        return Outcome {
            met: false,
            required,
            found: format!("found one whose value is `{}`", record.value.value),
        };
    };
    let cluster = design
        .clusters
        .iter()
        .find(|c| c.virtual_ip.as_ref().is_some_and(|v| v.value == address));
    let servers: Vec<_> = match cluster {
        Some(cluster) => cluster.members.clone(),
        None => design
            .servers
            .iter()
            .filter(|s| s.ip.as_ref().is_some_and(|ip| ip.value == address))
            .map(|s| s.id)
            .collect(),
    };
    let lacking: Vec<String> = servers
        .iter()
        .filter(|&&s| !design.components_of(s).any(|c| c.kind == reaches))
        .map(|&s| format!("`{}`", design.server(s).name.value))
        .collect();
    let met = !servers.is_empty() && lacking.is_empty();
    let found = if servers.is_empty() {
        format!("found one that points at {address}, which no server or cluster has")
    } else if lacking.is_empty() {
        "found it".to_string()
    } else {
        format!(
            "found one that reaches {}, with no {reaches}",
            lacking.join(", ")
        )
    };
    Outcome {
        met,
        required,
        found,
    }
}
