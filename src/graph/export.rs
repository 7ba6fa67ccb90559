//! The graph as DOT (Graphviz), Mermaid or JSON, for `clinsafe graph`.

use std::fmt::Write;

use petgraph::visit::EdgeRef;
use serde::Serialize;

use super::{EdgeKind, Graph, Kind};

fn label(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Mitigates => "mitigates",
        EdgeKind::Monitors => "monitors",
        EdgeKind::Related => "related",
        EdgeKind::RelatesTo => "relates to",
        EdgeKind::Involves => "involves",
    }
}

/// Node ids in graph order with their edges, sorted so output is stable.
fn edges(g: &Graph) -> Vec<(&str, &str, EdgeKind)> {
    let mut out: Vec<_> = g
        .graph
        .edge_references()
        .map(|e| (g.graph[e.source()].id.as_str(), g.graph[e.target()].id.as_str(), *e.weight()))
        .collect();
    out.sort();
    out
}

fn escape_dot(s: &str) -> String {
    crate::excerpt::visible(&s.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', " ")).into_owned()
}

pub fn dot(g: &Graph) -> String {
    let mut out = String::from("digraph clinsafe {\n  rankdir=LR;\n  node [fontname=\"DejaVu Sans\"];\n");
    for item in g.graph.node_weights() {
        let shape = match item.kind {
            Kind::Hazard => "box, style=filled, fillcolor=\"#fde2e1\"",
            Kind::Control => "box, style=rounded",
            Kind::Metric => "ellipse",
            Kind::Action => "note",
            Kind::DpiaRisk => "box, style=dashed",
            Kind::Incident => "octagon",
        };
        let _ = writeln!(
            out,
            "  \"{}\" [label=\"{}\\n{}\", shape={shape}];",
            escape_dot(&item.id),
            escape_dot(&item.id),
            escape_dot(&item.title)
        );
    }
    for (a, b, kind) in edges(g) {
        let _ =
            writeln!(out, "  \"{}\" -> \"{}\" [label=\"{}\"];", escape_dot(a), escape_dot(b), label(kind));
    }
    out.push_str("}\n");
    out
}

/// Mermaid node ids must be plain words, so items are numbered and labelled.
pub fn mermaid(g: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    let name = |i: usize| format!("n{i}");
    for (i, item) in g.graph.node_weights().enumerate() {
        // Mermaid's entity codes keep user text from closing the label or being read as HTML;
        // `&` would start an entity, and `%%{init: …}%%` anywhere in the text is a directive
        // that reconfigures the diagram (`securityLevel: loose`), so `%` is encoded too.
        let text = format!("{}: {}", item.id, item.title)
            .replace('#', "#35;")
            .replace('"', "#quot;")
            .replace('<', "#lt;")
            .replace('>', "#gt;")
            .replace('&', "#amp;")
            .replace('%', "#37;")
            .replace(['\n', '\r'], " ");
        let text = crate::excerpt::visible(&text);
        let (open, close) = match item.kind {
            Kind::Hazard => ("[\"", "\"]"),
            Kind::Control => ("(\"", "\")"),
            Kind::Metric => ("([\"", "\"])"),
            Kind::Action => ("[/\"", "\"/]"),
            Kind::DpiaRisk => ("{{\"", "\"}}"),
            Kind::Incident => (">\"", "\"]"),
        };
        let _ = writeln!(out, "  {}{open}{text}{close}", name(i));
    }
    let mut edges: Vec<_> =
        g.graph.edge_references().map(|e| (e.source().index(), e.target().index(), *e.weight())).collect();
    edges.sort();
    for (a, b, kind) in edges {
        let _ = writeln!(out, "  {} -->|{}| {}", name(a), label(kind), name(b));
    }
    out
}

#[derive(Serialize)]
struct JsonGraph<'a> {
    nodes: Vec<JsonNode<'a>>,
    edges: Vec<JsonEdge<'a>>,
}

#[derive(Serialize)]
struct JsonNode<'a> {
    id: &'a str,
    kind: Kind,
    title: &'a str,
}

#[derive(Serialize)]
struct JsonEdge<'a> {
    from: &'a str,
    to: &'a str,
    kind: EdgeKind,
}

pub fn json(g: &Graph) -> String {
    let doc = JsonGraph {
        nodes: g
            .graph
            .node_weights()
            .map(|n| JsonNode { id: &n.id, kind: n.kind, title: &n.title })
            .collect(),
        edges: edges(g).into_iter().map(|(from, to, kind)| JsonEdge { from, to, kind }).collect(),
    };
    serde_json::to_string_pretty(&doc).expect("graph serializes") + "\n"
}
