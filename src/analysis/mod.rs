//! Failure analysis on the structure function (`graph::Logic`): what happens when some
//! servers or zones fail (`simulate`), the minimal sets of servers whose joint failure
//! stops every request or every write (`cuts`), and how available the design is, with
//! each server's Birnbaum importance (`availability`); the same fault tree as Open-PSA
//! MEF for reliability tools (`mef`).
//!
//! The basic events are the servers, the zones that state an availability (a zone fails
//! as a whole, independently of its servers) and the external services that state one.
//! A node is down when one of its events occurs: its server or its server's zone fails,
//! or, for an external service, the service does. Failures are independent.

pub mod availability;
pub mod cuts;
pub mod mef;
pub mod simulate;

use crate::graph::{Graph, Logic, Node};
use crate::model::{Design, ExternalId, ServerId};

/// The availability of a server that states none, in percent.
pub const DEFAULT_SERVER_AVAILABILITY: f64 = 99.9;

/// Something that fails on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Event {
    Server(ServerId),
    /// An index into `Design::zones`.
    Zone(usize),
    External(ExternalId),
}

/// The design's fault model: its structure function and its basic events.
pub struct Model<'d> {
    pub design: &'d Design,
    pub logic: Logic,
    /// Servers first (in file order, so event `i` is server `i`), then the zones that
    /// state an availability, then the external services that do.
    pub events: Vec<Event>,
    /// Per event: the probability that it occurs (1 - availability).
    pub unavailability: Vec<f64>,
    /// Servers that stated no availability (the default was used).
    pub defaulted: Vec<ServerId>,
    /// Per logic node: the events that take it down.
    pub node_events: Vec<Vec<usize>>,
    /// Per server: the zone it sits in, an index into `zone_names`.
    pub server_zone: Vec<Option<usize>>,
    /// Every zone: those `zones:` declares (in its order, so zone `i` is
    /// `Design::zones[i]`), then those only servers name (a failure domain all the same).
    pub zone_names: Vec<String>,
}

impl<'d> Model<'d> {
    pub fn new(graph: &Graph<'d>) -> Model<'d> {
        let design = graph.design();
        let logic = graph.logic();
        let mut events: Vec<Event> = design.servers.iter().map(|s| Event::Server(s.id)).collect();
        let mut unavailability: Vec<f64> = design
            .servers
            .iter()
            .map(|s| {
                1.0 - s
                    .availability
                    .as_ref()
                    .map_or(DEFAULT_SERVER_AVAILABILITY, |a| a.value)
                    / 100.0
            })
            .collect();
        let defaulted = design
            .servers
            .iter()
            .filter(|s| s.availability.is_none())
            .map(|s| s.id)
            .collect();
        let mut zone_names: Vec<String> =
            design.zones.iter().map(|z| z.name.value.clone()).collect();
        let mut zone_index: std::collections::HashMap<String, usize> = zone_names
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), i))
            .collect();
        let server_zone: Vec<Option<usize>> = design
            .servers
            .iter()
            .map(|s| {
                let zone = s.zone.as_ref()?;
                let next = zone_names.len();
                let index = *zone_index.entry(zone.value.to_string()).or_insert(next);
                if index == next {
                    zone_names.push(zone.value.to_string());
                }
                Some(index)
            })
            .collect();
        let mut zone_event = vec![None; design.zones.len()];
        for (i, zone) in design.zones.iter().enumerate() {
            if let Some(a) = &zone.availability {
                zone_event[i] = Some(events.len());
                events.push(Event::Zone(i));
                unavailability.push(1.0 - a.value / 100.0);
            }
        }
        let mut external_event = vec![None; design.externals.len()];
        for external in &design.externals {
            if let Some(a) = external.availability {
                external_event[external.id.index()] = Some(events.len());
                events.push(Event::External(external.id));
                unavailability.push(1.0 - a / 100.0);
            }
        }
        let node_events = logic
            .nodes
            .iter()
            .map(|node| match node.node {
                Node::Component(_) | Node::Up(_) => {
                    let server = node.server.expect("a component or a voter has a server");
                    let mut list = vec![server.index()];
                    if let Some(e) = server_zone[server.index()]
                        .and_then(|z| zone_event.get(z).copied().flatten())
                    {
                        list.push(e);
                    }
                    list
                }
                Node::External(id) => external_event[id.index()].into_iter().collect(),
                // The user and the failover gates fail only through what they need.
                _ => Vec::new(),
            })
            .collect();
        Model {
            design,
            logic,
            events,
            unavailability,
            defaulted,
            node_events,
            server_zone,
            zone_names,
        }
    }

    /// An event's name as users write it: the server's, the zone's or the service's.
    pub fn event_name(&self, event: usize) -> &str {
        match self.events[event] {
            Event::Server(s) => &self.design.server(s).name.value,
            Event::Zone(z) => &self.design.zones[z].name.value,
            Event::External(e) => &self.design.externals[e.index()].name.value,
        }
    }

    /// Whether each outcome ([`crate::graph::Logic::outcomes`]) holds while `occurs`
    /// says which events occur.
    pub fn outcomes(&self, occurs: &[bool]) -> Vec<bool> {
        let (serves, writes) = self
            .logic
            .evaluate(|n| self.node_events[n].iter().any(|&e| occurs[e]));
        self.logic.outcomes(&serves, &writes)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::testing::design;

    /// A design with its model, for the tests of the analyses.
    pub(crate) fn with_model<T>(text: &str, f: impl FnOnce(&Model<'_>) -> T) -> T {
        let d = design(text);
        let graph = Graph::build(&d);
        let model = Model::new(&graph);
        f(&model)
    }

    #[test]
    fn events_are_servers_then_zones_then_externals() {
        with_model(
            "
name: t
zones: { rack1: { availability: 99.99 }, rack2: {} }
external: { api: { availability: 99.5 }, cdn: {} }
servers:
  a: { zone: rack1, availability: 99.95, components: [{ kind: web_server }] }
  b: { zone: rack2, components: [{ kind: web_server }] }
flows:
  - { from: user, to: [a, b], protocol: http }
  - { from: [a, b], to: api, protocol: https }
",
            |m| {
                let names: Vec<&str> = (0..m.events.len()).map(|e| m.event_name(e)).collect();
                assert_eq!(names, ["a", "b", "rack1", "api"]);
                assert!((m.unavailability[0] - 0.0005).abs() < 1e-12);
                assert!((m.unavailability[1] - 0.001).abs() < 1e-12, "the default");
                assert_eq!(m.defaulted, [ServerId(1)]);
                assert!((m.unavailability[2] - 0.0001).abs() < 1e-12);
            },
        );
    }
}
