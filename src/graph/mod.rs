//! STAGE 3 — the hazard–control–metric graph. It knows ids, kinds and edges,
//! not domain rules: links declared from either side become one edge, and a
//! link that cannot be resolved is reported back, not judged.

pub mod export;

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use serde::Serialize;

use crate::model::Project;
use crate::span::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Hazard,
    Control,
    Metric,
    Action,
    DpiaRisk,
    Incident,
}

impl Kind {
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Hazard => "hazard",
            Kind::Control => "control",
            Kind::Metric => "metric",
            Kind::Action => "action",
            Kind::DpiaRisk => "DPIA risk",
            Kind::Incident => "incident",
        }
    }
}

/// Edges point from the item that acts to the item acted on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EdgeKind {
    /// control → hazard or DPIA risk
    Mitigates,
    /// metric → control or hazard
    Monitors,
    /// hazard → hazard
    Related,
    /// action → hazard, control or DPIA risk
    RelatesTo,
    /// incident → hazard or control
    Involves,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub span: Span,
    pub id_span: Span,
    /// Position of the item in its list in the [`Project`].
    pub index: usize,
}

/// A link whose target is missing or of the wrong kind.
#[derive(Clone, Debug)]
pub struct Unresolved {
    pub from: String,
    pub field: &'static str,
    pub target: String,
    pub span: Span,
    pub expected: &'static [Kind],
    /// The kind found under that id, if any.
    pub found: Option<Kind>,
}

/// An id used by more than one item.
#[derive(Clone, Debug)]
pub struct Duplicate {
    pub id: String,
    pub kind: Kind,
    pub span: Span,
    pub first: Span,
}

pub struct Graph {
    pub graph: DiGraph<Item, EdgeKind>,
    /// Each id's first node. Only ever looked up (never walked in order), and looked
    /// up for every link and by the rules: hashed, not a string-compared tree.
    index: HashMap<String, NodeIndex>,
    pub unresolved: Vec<Unresolved>,
    pub duplicates: Vec<Duplicate>,
}

/// A link as declared in the YAML: the field, the targets, and how to draw the edge.
struct Declared<'a> {
    from: NodeIndex,
    field: &'static str,
    targets: &'a [crate::span::Located<String>],
    expected: &'static [Kind],
    edge: EdgeKind,
    /// true when the edge points from the target to the declaring item.
    reversed: bool,
}

pub fn build(project: &Project) -> Graph {
    let items = project.hazards.len()
        + project.controls.len()
        + project.metrics.len()
        + project.actions.len()
        + project.incidents.len()
        + project.dpia.as_ref().map_or(0, |d| d.risks.len());
    let mut g = Graph {
        // Sized once rather than grown by doubling, which copies every node each time.
        graph: DiGraph::with_capacity(items, 2 * items),
        index: HashMap::with_capacity(items),
        unresolved: Vec::new(),
        duplicates: Vec::new(),
    };
    let add = |g: &mut Graph, index: usize, id: &str, kind, title: &str, span, id_span| {
        let node = g.graph.add_node(Item {
            id: id.to_string(),
            kind,
            title: title.to_string(),
            span,
            id_span,
            index,
        });
        match g.index.get(id) {
            Some(&first) => g.duplicates.push(Duplicate {
                id: id.to_string(),
                kind,
                span: id_span,
                first: g.graph[first].id_span,
            }),
            None => {
                g.index.insert(id.to_string(), node);
            }
        }
        node
    };
    use Kind::*;
    let hazards: Vec<_> = project
        .hazards
        .iter()
        .enumerate()
        .map(|(i, h)| add(&mut g, i, &h.id, Hazard, &h.title, h.span, h.id_span))
        .collect();
    let controls: Vec<_> = project
        .controls
        .iter()
        .enumerate()
        .map(|(i, c)| add(&mut g, i, &c.id, Control, &c.title, c.span, c.id_span))
        .collect();
    let metrics: Vec<_> = project
        .metrics
        .iter()
        .enumerate()
        .map(|(i, m)| add(&mut g, i, &m.id, Metric, &m.title, m.span, m.id_span))
        .collect();
    let actions: Vec<_> = project
        .actions
        .iter()
        .enumerate()
        .map(|(i, a)| add(&mut g, i, &a.id, Action, &a.title, a.span, a.id_span))
        .collect();
    let incidents: Vec<_> = project
        .incidents
        .iter()
        .enumerate()
        .map(|(i, x)| add(&mut g, i, &x.id, Incident, &x.title, x.span, x.id_span))
        .collect();
    let risks: Vec<_> = project
        .dpia
        .iter()
        .flat_map(|d| &d.risks)
        .enumerate()
        .map(|(i, r)| add(&mut g, i, &r.id, DpiaRisk, &r.title, r.span, r.id_span))
        .collect();

    // Cause ids are ids too: unique among causes and items, though causes are not nodes.
    let mut cause_ids: BTreeMap<&str, Span> = BTreeMap::new();
    for cause_id in project.hazards.iter().flat_map(|h| &h.causes).filter_map(|c| c.id.as_ref()) {
        let first = g.index.get(cause_id.value.as_str()).map(|&n| g.graph[n].id_span);
        match first.or_else(|| cause_ids.get(cause_id.value.as_str()).copied()) {
            Some(first) => g.duplicates.push(Duplicate {
                id: cause_id.value.clone(),
                kind: Hazard,
                span: cause_id.span,
                first,
            }),
            None => {
                cause_ids.insert(&cause_id.value, cause_id.span);
            }
        }
    }

    let mut declared = Vec::new();
    for (h, &n) in project.hazards.iter().zip(&hazards) {
        declared.push(Declared {
            from: n,
            field: "controls",
            targets: &h.controls,
            expected: &[Control],
            edge: EdgeKind::Mitigates,
            reversed: true,
        });
        // A control linked only through a cause still covers the hazard.
        for cause in &h.causes {
            declared.push(Declared {
                from: n,
                field: "causes.controls",
                targets: &cause.controls,
                expected: &[Control],
                edge: EdgeKind::Mitigates,
                reversed: true,
            });
        }
        declared.push(Declared {
            from: n,
            field: "incidents",
            targets: &h.incidents,
            expected: &[Incident],
            edge: EdgeKind::Involves,
            reversed: true,
        });
        declared.push(Declared {
            from: n,
            field: "related",
            targets: &h.related,
            expected: &[Hazard],
            edge: EdgeKind::Related,
            reversed: false,
        });
    }
    for (c, &n) in project.controls.iter().zip(&controls) {
        declared.push(Declared {
            from: n,
            field: "mitigates",
            targets: &c.mitigates,
            expected: &[Hazard, DpiaRisk],
            edge: EdgeKind::Mitigates,
            reversed: false,
        });
        declared.push(Declared {
            from: n,
            field: "monitored_by",
            targets: &c.monitored_by,
            expected: &[Metric],
            edge: EdgeKind::Monitors,
            reversed: true,
        });
    }
    for (m, &n) in project.metrics.iter().zip(&metrics) {
        declared.push(Declared {
            from: n,
            field: "monitors",
            targets: &m.monitors,
            expected: &[Control, Hazard],
            edge: EdgeKind::Monitors,
            reversed: false,
        });
    }
    for (x, &n) in project.incidents.iter().zip(&incidents) {
        for (field, targets, expected) in
            [("hazards", &x.hazards, &[Hazard][..]), ("controls", &x.controls, &[Control][..])]
        {
            declared.push(Declared {
                from: n,
                field,
                targets,
                expected,
                edge: EdgeKind::Involves,
                reversed: false,
            });
        }
    }
    for (m, &n) in project.metrics.iter().zip(&metrics) {
        // An incident-count metric tells about the hazards and controls its filter names.
        if let Some(f) = &m.incidents {
            for (field, targets, expected) in [
                ("filter.hazards", &f.hazards, &[Hazard][..]),
                ("filter.controls", &f.controls, &[Control][..]),
            ] {
                declared.push(Declared {
                    from: n,
                    field,
                    targets,
                    expected,
                    edge: EdgeKind::Monitors,
                    reversed: false,
                });
            }
        }
    }
    for (a, &n) in project.actions.iter().zip(&actions) {
        declared.push(Declared {
            from: n,
            field: "relates_to",
            targets: &a.relates_to,
            expected: &[Hazard, Control, DpiaRisk, Metric],
            edge: EdgeKind::RelatesTo,
            reversed: false,
        });
    }
    for (r, &n) in project.dpia.iter().flat_map(|d| &d.risks).zip(&risks) {
        declared.push(Declared {
            from: n,
            field: "controls",
            targets: &r.controls,
            expected: &[Control],
            edge: EdgeKind::Mitigates,
            reversed: true,
        });
    }
    // Edges already drawn: looking them up in the graph instead would walk every edge of a
    // control that many hazards share, once per link (quadratic).
    let mut drawn = HashSet::new();
    for d in declared {
        for target in d.targets {
            let found = g.index.get(target.value.as_str()).copied();
            match found {
                Some(t) if d.expected.contains(&g.graph[t].kind) => {
                    let (a, b) = if d.reversed { (t, d.from) } else { (d.from, t) };
                    // Declared from both sides (or twice): still one edge.
                    if drawn.insert((a, b, d.edge)) {
                        g.graph.add_edge(a, b, d.edge);
                    }
                }
                _ => g.unresolved.push(Unresolved {
                    from: g.graph[d.from].id.clone(),
                    field: d.field,
                    target: target.value.clone(),
                    span: target.span,
                    expected: d.expected,
                    found: found.map(|t| g.graph[t].kind),
                }),
            }
        }
    }
    g
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.index.get(id).copied()
    }

    /// Ids of the items linked to `id` by `edge` in `dir`, of kind `kind`, sorted.
    fn neighbours(&self, id: &str, edge: EdgeKind, dir: Direction, kind: Kind) -> Vec<&str> {
        let Some(n) = self.node(id) else { return Vec::new() };
        let mut out: Vec<&str> = self
            .graph
            .edges_directed(n, dir)
            .filter(|e| *e.weight() == edge)
            .map(|e| if dir == Direction::Outgoing { e.target() } else { e.source() })
            .filter(|&m| self.graph[m].kind == kind)
            .map(|m| self.graph[m].id.as_str())
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn controls_of(&self, hazard_or_risk: &str) -> Vec<&str> {
        self.neighbours(hazard_or_risk, EdgeKind::Mitigates, Direction::Incoming, Kind::Control)
    }

    pub fn hazards_of_control(&self, control: &str) -> Vec<&str> {
        self.neighbours(control, EdgeKind::Mitigates, Direction::Outgoing, Kind::Hazard)
    }

    pub fn dpia_risks_of_control(&self, control: &str) -> Vec<&str> {
        self.neighbours(control, EdgeKind::Mitigates, Direction::Outgoing, Kind::DpiaRisk)
    }

    pub fn metrics_of(&self, control_or_hazard: &str) -> Vec<&str> {
        self.neighbours(control_or_hazard, EdgeKind::Monitors, Direction::Incoming, Kind::Metric)
    }

    /// Metrics that tell about a hazard: those monitoring it directly and
    /// those monitoring any of its controls.
    pub fn metrics_reaching(&self, hazard: &str) -> Vec<&str> {
        let mut out = self.metrics_of(hazard);
        for c in self.controls_of(hazard) {
            out.extend(self.metrics_of(c));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn controls_monitored_by(&self, metric: &str) -> Vec<&str> {
        self.neighbours(metric, EdgeKind::Monitors, Direction::Outgoing, Kind::Control)
    }

    /// Hazards a metric names in `monitors:` (or that name it), without those
    /// behind its controls.
    pub fn hazards_monitored_directly(&self, metric: &str) -> Vec<&str> {
        self.neighbours(metric, EdgeKind::Monitors, Direction::Outgoing, Kind::Hazard)
    }

    /// Hazards a metric tells about: those it monitors directly and those
    /// behind the controls it monitors.
    pub fn hazards_monitored_by(&self, metric: &str) -> Vec<&str> {
        let mut out = self.hazards_monitored_directly(metric);
        for c in self.controls_monitored_by(metric) {
            out.extend(self.hazards_of_control(c));
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Incidents linked to a hazard or control, whichever side declared the link.
    pub fn incidents_of(&self, hazard_or_control: &str) -> Vec<&str> {
        self.neighbours(hazard_or_control, EdgeKind::Involves, Direction::Incoming, Kind::Incident)
    }

    pub fn hazards_of_incident(&self, incident: &str) -> Vec<&str> {
        self.neighbours(incident, EdgeKind::Involves, Direction::Outgoing, Kind::Hazard)
    }

    pub fn controls_of_incident(&self, incident: &str) -> Vec<&str> {
        self.neighbours(incident, EdgeKind::Involves, Direction::Outgoing, Kind::Control)
    }

    /// Related hazards, whichever side declared the link.
    pub fn related(&self, hazard: &str) -> Vec<&str> {
        let mut out = self.neighbours(hazard, EdgeKind::Related, Direction::Outgoing, Kind::Hazard);
        out.extend(self.neighbours(hazard, EdgeKind::Related, Direction::Incoming, Kind::Hazard));
        out.sort_unstable();
        out.dedup();
        out
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
