//! What layout hands the backend: positioned drawing commands, with the
//! document's structure marked between them (for tagged PDF).

use super::Face;

pub type Rgb = [f32; 3];

#[derive(Clone, Debug, PartialEq)]
pub enum Draw {
    /// `y` is the baseline; `up` turns the text 90° anticlockwise, reading
    /// upwards from (x, y).
    Text {
        x: f32,
        y: f32,
        face: Face,
        size: f32,
        color: Rgb,
        text: String,
        up: bool,
        /// A right-to-left run (already in visual order on the line): shaped
        /// right to left.
        rtl: bool,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Rgb,
        width: f32,
        dash: Option<[f32; 2]>,
    },
    Polyline {
        points: Vec<(f32, f32)>,
        color: Rgb,
        width: f32,
    },
    /// A clickable area: `#id` inside the document, or an http(s)/mailto URI.
    Link {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        target: String,
    },
    /// The draws up to the matching `Close` belong to this structure element
    /// (tagged PDF: reading order, headings, tables, lists, figures).
    Open(Node),
    Close,
}

/// A structure element of the document, as the tagged PDF names it.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Heading(u8, String),
    Para,
    List(bool),
    Item,
    Label,
    ItemBody,
    Table,
    Caption,
    Row,
    /// `column`: a header cell of the table head; otherwise a row header.
    HeaderCell {
        column: bool,
    },
    Cell,
    Link,
    /// A figure with its text alternative (caption and data in words).
    Figure(String),
    /// Not part of the reading order: repeated table headers.
    Artifact,
}

#[derive(Clone, Debug, Default)]
pub struct Page {
    pub draws: Vec<Draw>,
}
