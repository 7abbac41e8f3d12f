//! Pictures of a design: a laid-out `diagram::Diagram` drawn as SVG (and PNG from it),
//! or a design's picture written for another tool (Graphviz DOT, Mermaid, D2). Pictures
//! decide nothing: what is drawn is the diagram's.

pub mod d2;
pub mod dot;
pub mod mermaid;
pub mod png;
pub mod svg;
