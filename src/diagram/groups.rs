//! Containers, for the diagram languages that draw them (Mermaid subgraphs, D2
//! containers): a cluster holds its members; a zone holds the other servers in it. A
//! server in a cluster is drawn inside the cluster, whose title names the zones its
//! members are in: no container ever encloses a non-member, and no shape sits in two.

use std::collections::BTreeMap;

use super::{LinkStyle, Scene, ShapeKind};

pub struct Groups {
    /// Each cluster shape with its member shapes, in scene order.
    pub clusters: Vec<(usize, Vec<usize>)>,
    /// Each zone with the shapes in it (shapes in a cluster left out), by name.
    pub zones: Vec<(String, Vec<usize>)>,
    /// Shapes in no container; cluster shapes are containers, never here.
    pub top: Vec<usize>,
}

impl Groups {
    pub fn of(scene: &Scene) -> Groups {
        let mut member_of: BTreeMap<usize, usize> = BTreeMap::new();
        let mut clusters: Vec<(usize, Vec<usize>)> = Vec::new();
        for (index, shape) in scene.shapes.iter().enumerate() {
            if shape.kind != ShapeKind::Cluster {
                continue;
            }
            let members: Vec<usize> = scene
                .links
                .iter()
                .filter(|l| l.style == LinkStyle::Member && l.from == index)
                .map(|l| l.to)
                .filter(|m| !member_of.contains_key(m))
                .collect();
            for &m in &members {
                member_of.insert(m, index);
            }
            clusters.push((index, members));
        }
        let mut zones: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        let mut top = Vec::new();
        for (index, shape) in scene.shapes.iter().enumerate() {
            if shape.kind == ShapeKind::Cluster || member_of.contains_key(&index) {
                continue;
            }
            match scene.zone_of(index) {
                Some(zone) => zones.entry(zone.to_string()).or_default().push(index),
                None => top.push(index),
            }
        }
        Groups {
            clusters,
            zones: zones.into_iter().collect(),
            top,
        }
    }
}

/// The containers an engine is asked to draw, in order: clusters (their own shape and
/// members), then zones; the engine keeps every other box out of each and sets `rect`.
pub fn containers(scene: &Scene) -> Vec<super::Container> {
    let groups = Groups::of(scene);
    let empty = super::Rect {
        x: 0.0,
        y: 0.0,
        width: 0.0,
        height: 0.0,
    };
    let mut out: Vec<super::Container> = groups
        .clusters
        .iter()
        .map(|(cluster, members)| super::Container {
            zone: false,
            guard: scene.shapes[*cluster].guard,
            name: scene.shapes[*cluster].title.clone(),
            title: scene.cluster_title(*cluster, members).join(" · "),
            rect: empty,
            members: std::iter::once(*cluster)
                .chain(members.iter().copied())
                .collect(),
        })
        .collect();
    out.extend(groups.zones.iter().map(|(name, shapes)| super::Container {
        zone: true,
        guard: super::Guard::default(),
        name: name.clone(),
        title: format!("zone {name}"),
        rect: empty,
        members: shapes.clone(),
    }));
    out
}

impl Scene {
    /// The zone of a shape: that of its servers when they all share one.
    pub fn zone_of(&self, shape: usize) -> Option<&str> {
        let mut zones = self.shape_servers[shape]
            .iter()
            .map(|&s| self.server_zones[s].as_deref());
        let first = zones.next()??;
        zones.all(|z| z == Some(first)).then_some(first)
    }

    /// A cluster container's title, a line each: its name, its virtual IP and mode, and
    /// the zones its members are in.
    pub fn cluster_title(&self, cluster: usize, members: &[usize]) -> Vec<String> {
        let shape = &self.shapes[cluster];
        let mut title = vec![shape.title.clone()];
        title.extend(shape.subtitle.clone());
        let zones = self.zones_of_members(members);
        if !zones.is_empty() {
            title.push(format!("zones {}", zones.join(", ")));
        }
        title
    }

    /// The zones of a cluster's members, in name order.
    pub fn zones_of_members(&self, members: &[usize]) -> Vec<&str> {
        let mut zones: Vec<&str> = members.iter().filter_map(|&m| self.zone_of(m)).collect();
        zones.sort_unstable();
        zones.dedup();
        zones
    }
}
