//! `diagram --layout graphviz`: Graphviz's `dot` places the boxes and routes the links,
//! and our renderer draws them in our style. We give `dot` our boxes' sizes (fixed), our
//! tiers (one rank each, `rank=same`), and every link with its label (links within a tier
//! or back up do not constrain the ranks); `dot -Tjson` gives back positions in points,
//! which are our pixels (a box of W px is W/72 inches), with y growing upwards.

use std::fmt::Write;
use std::process::{Command, Stdio};

use super::geometry::{Path, Rect};
use super::{Placed, Scene, metrics};

/// The DOT that asks for our sizes, tiers and containers.
fn graph(scene: &Scene, sizes: &[(f64, f64)], containers: &[super::Container]) -> String {
    let mut out = String::from(
        "digraph g {\n  rankdir=TB;\n  nodesep=0.5;\n  ranksep=0.9;\n  node [shape=box, fixedsize=true, label=\"\"];\n  edge [fontname=\"DejaVu Sans\", fontsize=11];\n",
    );
    for (i, &(w, h)) in sizes.iter().enumerate() {
        let _ = writeln!(
            out,
            "  n{i} [width={:.4}, height={:.4}];",
            w / 72.0,
            h / 72.0
        );
    }
    let mut tiers: std::collections::BTreeMap<u8, Vec<usize>> = Default::default();
    for (i, shape) in scene.shapes.iter().enumerate() {
        tiers.entry(shape.tier).or_default().push(i);
    }
    // dot drops a cluster whose nodes are also in a `rank=same` subgraph: members of a
    // container keep their tier through their links and the tier chain below.
    let contained: std::collections::BTreeSet<usize> = containers
        .iter()
        .flat_map(|c| c.members.iter().copied())
        .collect();
    for shapes in tiers.values() {
        let names: Vec<String> = shapes
            .iter()
            .filter(|i| !contained.contains(i))
            .map(|i| format!("n{i}"))
            .collect();
        if names.len() > 1 {
            let _ = writeln!(out, "  {{ rank=same; {}; }}", names.join("; "));
        }
    }
    // Each container a Graphviz cluster (room at the top for its title).
    for (i, container) in containers.iter().enumerate() {
        let names: Vec<String> = container.members.iter().map(|m| format!("n{m}")).collect();
        let _ = writeln!(
            out,
            "  subgraph cluster_{i} {{ label=\" \"; margin=16; {}; }}",
            names.join("; ")
        );
    }
    // Consecutive tiers in order, invisibly, so that an empty tier between keeps its place.
    let order: Vec<usize> = tiers.values().map(|s| s[0]).collect();
    for pair in order.windows(2) {
        let _ = writeln!(out, "  n{} -> n{} [style=invis];", pair[0], pair[1]);
    }
    for (i, link) in scene.links.iter().enumerate() {
        let down = scene.shapes[link.from].tier < scene.shapes[link.to].tier;
        let _ = writeln!(
            out,
            "  n{} -> n{} [id=\"e{i}\", label={}{}];",
            link.from,
            link.to,
            crate::markup::dot_quote(&link.label),
            if down { "" } else { ", constraint=false" }
        );
    }
    out.push_str("}\n");
    out
}

/// The number in a `dot -Tjson` object's name after `prefix` (`n3`, `cluster_1`), when it is
/// below `count`.
fn numbered(object: &serde_json::Value, prefix: &str, count: usize) -> Option<usize> {
    object["name"]
        .as_str()
        .and_then(|n| n.strip_prefix(prefix))
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|&i| i < count)
}

fn point(text: &str) -> (f64, f64) {
    let mut parts = text
        .split(',')
        .map(|v| v.trim().parse::<f64>().unwrap_or(0.0));
    (parts.next().unwrap_or(0.0), parts.next().unwrap_or(0.0))
}

/// `dot -Tjson` run on our graph: its answer, or why there is none.
fn run_dot(input: &str) -> Result<serde_json::Value, String> {
    let mut child = Command::new("dot")
        .arg("-Tjson")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("`--layout graphviz` needs Graphviz's `dot` on the PATH ({e})"))?;
    if let Some(mut stdin) = child.stdin.take() {
        std::io::Write::write_all(&mut stdin, input.as_bytes())
            .map_err(|e| format!("cannot talk to `dot`: {e}"))?;
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("`dot` did not finish: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`dot` failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| format!("`dot` wrote no JSON: {e}"))
}

/// Each link's path from dot's splines (`e{index}`), with its label's anchor.
fn edge_paths(
    json: &serde_json::Value,
    links: usize,
    flip: &dyn Fn((f64, f64)) -> (f64, f64),
) -> (Vec<Path>, Vec<(f64, f64)>) {
    let mut paths = vec![Vec::new(); links];
    let mut anchors = vec![(0.0, 0.0); links];
    for edge in json["edges"].as_array().into_iter().flatten() {
        let Some(index) = edge["id"]
            .as_str()
            .and_then(|n| n.strip_prefix('e'))
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|&i| i < links)
        else {
            continue;
        };
        let spec = edge["pos"].as_str().unwrap_or_default();
        let end = spec
            .split(' ')
            .find_map(|p| p.strip_prefix("e,"))
            .map(|p| flip(point(p)));
        let points: Vec<(f64, f64)> = spec
            .split(' ')
            .filter(|p| !p.starts_with("e,") && !p.starts_with("s,") && !p.is_empty())
            .map(|p| flip(point(p)))
            .collect();
        if points.len() < 4 {
            continue;
        }
        // Our path: the first cubic segment as (start, control) and (control, end), then a
        // (control, end) pair for each further segment, whose first control mirrors the
        // last one (dot's splines are smooth at their joints, or nearly).
        let mut path: Path = vec![(points[0], points[1]), (points[2], points[3])];
        for segment in points[3..].windows(4).step_by(3) {
            path.push((segment[2], segment[3]));
        }
        // The arrowhead's tip: the last point reaches it.
        if let (Some(tip), Some(last)) = (end, path.last_mut()) {
            last.1 = tip;
        }
        anchors[index] = match edge["lp"].as_str() {
            Some(lp) => {
                let (x, y) = flip(point(lp));
                // Our labels sit on their baseline; dot gives the label's centre.
                (x, y + metrics::SMALL / 2.0 - 1.0)
            }
            None => path[path.len() / 2].1,
        };
        paths[index] = path;
    }
    (paths, anchors)
}

/// Places a scene with `dot`; `Err` says why it could not (no Graphviz, a failed run).
pub(super) fn place(
    scene: &Scene,
    sizes: &[(f64, f64)],
    mut containers: Vec<super::Container>,
) -> Result<Placed, String> {
    let json = run_dot(&graph(scene, sizes, &containers))?;
    let (_, top) = json["bb"]
        .as_str()
        .map(|bb| {
            let v: Vec<f64> = bb.split(',').map(|n| n.parse().unwrap_or(0.0)).collect();
            (
                v.first().copied().unwrap_or(0.0),
                v.get(3).copied().unwrap_or(0.0),
            )
        })
        .unwrap_or((0.0, 0.0));
    // dot's y grows upwards: flip, and leave the margin our renderer expects at the top.
    let flip = |(x, y): (f64, f64)| (x, top - y);
    let mut boxes = vec![
        Rect {
            x: 0.0,
            y: 0.0,
            width: 0.0,
            height: 0.0,
        };
        sizes.len()
    ];
    for object in json["objects"].as_array().into_iter().flatten() {
        let Some(index) = numbered(object, "cluster_", containers.len()) else {
            continue;
        };
        let v: Vec<f64> = object["bb"]
            .as_str()
            .unwrap_or_default()
            .split(',')
            .map(|n| n.parse().unwrap_or(0.0))
            .collect();
        if let [x0, y0, x1, y1] = v[..] {
            let (left, top_y) = flip((x0, y1));
            let (_, bottom_y) = flip((x1, y0));
            containers[index].rect = Rect {
                x: left,
                y: top_y,
                width: x1 - x0,
                height: bottom_y - top_y,
            };
        }
    }
    for node in json["objects"].as_array().into_iter().flatten() {
        let Some(index) = numbered(node, "n", sizes.len()) else {
            continue;
        };
        let (x, y) = flip(point(node["pos"].as_str().unwrap_or("0,0")));
        let (w, h) = sizes[index];
        boxes[index] = Rect {
            x: x - w / 2.0,
            y: y - h / 2.0,
            width: w,
            height: h,
        };
    }
    let (paths, anchors) = edge_paths(&json, scene.links.len(), &flip);
    containers.retain(|c| c.rect.width > 0.0);
    Ok(Placed {
        spoken_by: vec![None; scene.links.len()],
        boxes,
        paths,
        anchors,
        containers,
    })
}
