//! YAML text -> a tree with a span on every node. The only module that names the YAML
//! crate.
//!
//! saphyr-parser turns the text into events, each with a position; this module builds
//! the tree from them itself, because that is where the limits and the checks that a
//! generic loader does not make belong:
//!
//! - nesting depth is checked on the events, before the tree gets deep, so hostile input
//!   cannot overflow the stack of anything that walks the tree later;
//! - every alias expansion is charged to a budget of nodes ("billion laughs");
//! - a duplicate key is reported at its second definition, with the first as a label,
//!   and building goes on, so that every duplicate in a file is reported;
//! - merge keys (`<<`) are applied, keys written in the mapping winning.
//!
//! Parsing never panics: it returns the tree it could build, or none, and the errors.

mod scalar;

use foldhash::{HashMap, HashMapExt};
use std::rc::Rc;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};

use crate::diagnostic::{Diagnostic, ErrorCode};
use crate::source::{SourceFile, Span};

pub use scalar::ScalarValue;

/// Limits that keep hostile input cheap.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// How deep mappings and sequences may nest.
    pub max_depth: usize,
    /// How many nodes all alias expansions of a file may produce together.
    pub max_alias_nodes: usize,
    /// How many bytes of scalar text all alias expansions of a file may produce together,
    /// besides the file's own length: a 1 MB scalar aliased 2,000 times is refused.
    pub max_alias_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_depth: 64,
            max_alias_nodes: 10_000,
            max_alias_bytes: 1 << 20,
        }
    }
}

/// A node of the tree, borrowing its text from the source file (`'s`).
#[derive(Clone, Debug, PartialEq)]
pub struct Node<'s> {
    pub kind: NodeKind<'s>,
    pub span: Span,
}

/// 24 bytes (a node 32, an entry 64): the tree of a big design is the larger part of a
/// check's peak memory, so a scalar is a slice of the source where it can be.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind<'s> {
    /// A scalar whose value is its text as written (plain scalars on one line, quoted
    /// ones without escapes: nearly all of a design): a slice of the source, so the tree
    /// holds no copy of it, and an alias shares it.
    Scalar {
        text: &'s str,
        /// Plain scalars are typed by the YAML 1.2 core schema; quoted and block ones
        /// are text.
        plain: bool,
    },
    /// A scalar whose value differs from its text (an escape, a folded line): owned,
    /// and shared by aliases.
    OwnedScalar {
        text: Rc<str>,
        plain: bool,
    },
    /// Children are shared: an alias is the anchored node itself, not a copy of it, so
    /// expanding an alias costs one reference count, whatever the size of its subtree.
    Seq(Rc<[Node<'s>]>),
    Map(Rc<[Entry<'s>]>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Entry<'s> {
    pub key: Node<'s>,
    pub value: Node<'s>,
}

/// A scalar node's value, however the tree holds it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scalar<'t> {
    pub text: &'t str,
    /// Plain scalars are typed by the YAML 1.2 core schema; quoted and block ones are text.
    pub plain: bool,
}

impl Scalar<'_> {
    pub fn value(&self) -> ScalarValue {
        if self.plain {
            ScalarValue::resolve(self.text)
        } else {
            ScalarValue::Str
        }
    }
}

impl<'s> Node<'s> {
    pub fn as_scalar(&self) -> Option<Scalar<'_>> {
        match &self.kind {
            NodeKind::Scalar { text, plain } => Some(Scalar {
                text,
                plain: *plain,
            }),
            NodeKind::OwnedScalar { text, plain } => Some(Scalar {
                text,
                plain: *plain,
            }),
            _ => None,
        }
    }

    /// The text of a scalar node, whatever its type.
    pub fn scalar_text(&self) -> Option<&str> {
        self.as_scalar().map(|s| s.text)
    }

    /// How this node is described in "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        let Some(s) = self.as_scalar() else {
            let what = if matches!(self.kind, NodeKind::Seq(_)) {
                "a list"
            } else {
                "a mapping"
            };
            return what.to_string();
        };
        match s.value() {
            ScalarValue::Null => "nothing".to_string(),
            ScalarValue::Bool(_) => format!("the boolean `{}`", s.text),
            ScalarValue::Int(_) | ScalarValue::Float => format!("the number `{}`", s.text),
            ScalarValue::Str => format!("the text `{}`", shorten(s.text)),
        }
    }

    /// Moves the value of `key` out of this mapping, leaving an empty scalar with the same
    /// span in its place, so that a reader can drop a big section of the tree (the
    /// servers, the flows) once it is read. The first entry with that key, as lookups
    /// find it. When the mapping is shared (an alias, a clone of the tree), the value is
    /// shared too and nothing is freed: the answer is the same.
    pub fn take(&mut self, key: &str) -> Option<Node<'s>> {
        let NodeKind::Map(entries) = &mut self.kind else {
            return None;
        };
        let index = entries
            .iter()
            .position(|e| e.key.scalar_text() == Some(key))?;
        match Rc::get_mut(entries) {
            Some(entries) => {
                let value = &mut entries[index].value;
                let empty = Node {
                    kind: NodeKind::Scalar {
                        text: "",
                        plain: true,
                    },
                    span: value.span,
                };
                Some(std::mem::replace(value, empty))
            }
            None => Some(entries[index].value.clone()),
        }
    }

    /// How many nodes this subtree holds (itself included).
    /// Nodes, and bytes of scalar text, in this subtree.
    fn size(&self) -> (usize, usize) {
        match &self.kind {
            NodeKind::Scalar { text, .. } => (1, text.len()),
            NodeKind::OwnedScalar { text, .. } => (1, text.len()),
            NodeKind::Seq(items) => items.iter().fold((1, 0), |(n, b), item| {
                let (n2, b2) = item.size();
                (n + n2, b + b2)
            }),
            NodeKind::Map(entries) => entries.iter().fold((1, 0), |(n, b), e| {
                let (kn, kb) = e.key.size();
                let (vn, vb) = e.value.size();
                (n + kn + vn, b + kb + vb)
            }),
        }
    }
}

fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// The result of parsing: the top node when there was a document, and every error found.
pub struct Parsed<'s> {
    pub root: Option<Node<'s>>,
    pub errors: Vec<Diagnostic>,
    /// Text that stands for more than its own place: anchored nodes that an alias
    /// repeats, and mappings merged in by `<<`. No fix edits it (`fix::apply`).
    pub shared: Vec<Span>,
}

/// Parses one design file. See the module documentation for what is checked here.
pub fn parse(file: &SourceFile, limits: Limits) -> Parsed<'_> {
    let mut builder = Builder {
        file,
        limits,
        stack: Vec::new(),
        items: Vec::new(),
        entries: Vec::new(),
        anchors: HashMap::new(),
        alias_nodes: 0,
        alias_bytes: 0,
        shared: Vec::new(),
        errors: Vec::new(),
        root: None,
        documents: 0,
        ascii: file.text().is_ascii(),
        cursor: std::cell::Cell::new((0, 0)),
    };
    match builder.run() {
        Ok(()) => {}
        Err(error) => builder.errors.push(error),
    }
    if builder.documents == 0 && builder.errors.is_empty() {
        builder.errors.push(
            Diagnostic::at(ErrorCode::Empty, Span::at(0), "the file is empty")
                .label("no YAML document here"),
        );
    }
    builder.shared.sort_unstable();
    builder.shared.dedup();
    Parsed {
        root: builder.root,
        errors: builder.errors,
        shared: builder.shared,
    }
}

/// A collection being built. Its children wait on the builder's two shared stacks
/// (`items`, `entries`) from `first` on, so that each collection allocates once, when it
/// ends, exactly its size.
enum Frame<'s> {
    Seq {
        first: usize,
        start: usize,
        anchor: usize,
    },
    Map {
        first: usize,
        key: Option<Node<'s>>,
        /// Key text -> entry index, built only once the mapping is large.
        seen: HashMap<String, usize>,
        start: usize,
        anchor: usize,
    },
}

struct Builder<'a> {
    file: &'a SourceFile,
    limits: Limits,
    stack: Vec<Frame<'a>>,
    /// The items of the sequences being built, innermost last.
    items: Vec<Node<'a>>,
    /// The entries of the mappings being built, innermost last.
    entries: Vec<Entry<'a>>,
    /// Anchored nodes by the parser's anchor id, with their size (nodes, bytes).
    anchors: HashMap<usize, (Node<'a>, (usize, usize))>,
    alias_nodes: usize,
    alias_bytes: usize,
    /// See [`Parsed::shared`].
    shared: Vec<Span>,
    errors: Vec<Diagnostic>,
    root: Option<Node<'a>>,
    documents: usize,
    /// The text is ASCII: a character index is a byte offset.
    ascii: bool,
    /// The last position converted: (characters, bytes) from the start of the text.
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> Builder<'a> {
    /// The byte offset of a parser position. The parser counts characters from the start
    /// of the text; in an ASCII file that is the byte offset, elsewhere a cursor moves
    /// from the last position converted (events come in file order, give or take a
    /// span's end), so each conversion is O(1) amortised, whatever the line's length.
    fn offset(&self, marker: &saphyr_parser::Marker) -> usize {
        let text = self.file.text();
        let target = marker.index();
        if self.ascii {
            return target.min(text.len());
        }
        let (mut chars, mut bytes) = self.cursor.get();
        while chars < target && bytes < text.len() {
            bytes += text[bytes..].chars().next().map_or(1, char::len_utf8);
            chars += 1;
        }
        while chars > target && bytes > 0 {
            bytes -= 1;
            while !text.is_char_boundary(bytes) {
                bytes -= 1;
            }
            chars -= 1;
        }
        self.cursor.set((chars, bytes));
        bytes
    }

    fn span(&self, span: &YamlSpan) -> Span {
        let start = self.offset(&span.start);
        let end = self.offset(&span.end).max(start);
        Span::new(start, end)
    }

    /// Runs the parser to the end of the first document. An `Err` is the error that
    /// stopped it; errors that do not stop it are pushed as they are found.
    fn run(&mut self) -> Result<(), Diagnostic> {
        for event in Parser::new_from_str(self.file.text()) {
            let (event, yaml_span) = event.map_err(|e| {
                let offset = self.offset(e.marker());
                Diagnostic::at(
                    ErrorCode::InvalidYaml,
                    Span::at(offset),
                    format!("invalid YAML: {}", e.info()),
                )
                .label("the YAML parser stopped here")
                .help(yaml_help(e.info()))
            })?;
            let span = self.span(&yaml_span);
            match event {
                Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
                Event::StreamEnd => return Ok(()),
                Event::DocumentStart(_) => {
                    self.documents += 1;
                    if self.documents > 1 {
                        return Err(Diagnostic::at(
                            ErrorCode::SeveralDocuments,
                            span,
                            "this file holds several YAML documents",
                        )
                        .label("a second document starts here")
                        .help(
                            "a design is one YAML document: put each design in a file of its own",
                        ));
                    }
                }
                Event::Alias(id) => self.alias(id, span)?,
                Event::Scalar(text, style, anchor, tag) => {
                    let mut plain = style == ScalarStyle::Plain;
                    if let Some(tag) = tag {
                        match self.scalar_tag(&tag, &text, span) {
                            Some(text_tag) => plain = plain && !text_tag,
                            None => plain = false,
                        }
                    }
                    let kind = match self.borrowed(&text, span) {
                        Some(text) => NodeKind::Scalar { text, plain },
                        None => NodeKind::OwnedScalar {
                            text: Rc::from(text),
                            plain,
                        },
                    };
                    let node = Node { kind, span };
                    self.remember(anchor, &node);
                    self.push(node);
                }
                Event::SequenceStart(anchor, tag) => {
                    if let Some(tag) = tag {
                        self.collection_tag(&tag, "seq", span);
                    }
                    self.enter(span)?;
                    self.stack.push(Frame::Seq {
                        first: self.items.len(),
                        start: span.start as usize,
                        anchor,
                    });
                }
                Event::MappingStart(anchor, tag) => {
                    if let Some(tag) = tag {
                        self.collection_tag(&tag, "map", span);
                    }
                    self.enter(span)?;
                    self.stack.push(Frame::Map {
                        first: self.entries.len(),
                        key: None,
                        seen: HashMap::new(),
                        start: span.start as usize,
                        anchor,
                    });
                }
                Event::SequenceEnd => self.end_sequence(span)?,
                Event::MappingEnd => self.end_mapping(span)?,
            }
        }
        Ok(())
    }

    /// An alias: the anchored node itself, its expansion charged to the budgets.
    fn alias(&mut self, id: usize, span: Span) -> Result<(), Diagnostic> {
        let Some((node, (nodes, bytes))) = self.anchors.get(&id) else {
            return Err(Diagnostic::at(
                ErrorCode::InvalidYaml,
                span,
                "this alias names no anchor",
            ));
        };
        self.shared.push(node.span);
        self.alias_nodes += nodes;
        self.alias_bytes += bytes;
        let byte_budget = self
            .limits
            .max_alias_bytes
            .max(self.file.text().len().saturating_mul(4));
        if self.alias_bytes > byte_budget {
            return Err(Diagnostic::at(
                ErrorCode::LimitExceeded,
                span,
                format!(
                    "aliases in this file expand to more than {} bytes of text",
                    byte_budget
                ),
            )
            .label("the expansion limit is passed here")
            .help("write the repeated parts out, or alias smaller parts"));
        }
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err(Diagnostic::at(
                ErrorCode::LimitExceeded,
                span,
                format!(
                    "aliases in this file expand to more than {} nodes",
                    self.limits.max_alias_nodes
                ),
            )
            .label("the expansion limit is passed here")
            .help("write the repeated parts out, or use fewer nested aliases"));
        }
        let mut node = node.clone();
        node.span = span;
        self.push(node);
        Ok(())
    }

    fn end_sequence(&mut self, span: Span) -> Result<(), Diagnostic> {
        let Some(Frame::Seq {
            first,
            start,
            anchor,
        }) = self.stack.pop()
        else {
            return Err(Diagnostic::at(
                ErrorCode::InvalidYaml,
                span,
                "invalid YAML: unbalanced sequence",
            ));
        };
        let end = end_of(&self.items[first..], span, start);
        let items: Rc<[Node<'a>]> = self.items.drain(first..).collect();
        let node = Node {
            span: Span::new(start, end),
            kind: NodeKind::Seq(items),
        };
        self.remember(anchor, &node);
        self.push(node);
        Ok(())
    }

    /// A mapping's end: its entries, merge keys applied, become its node.
    fn end_mapping(&mut self, span: Span) -> Result<(), Diagnostic> {
        let Some(Frame::Map {
            first,
            start,
            anchor,
            ..
        }) = self.stack.pop()
        else {
            return Err(Diagnostic::at(
                ErrorCode::InvalidYaml,
                span,
                "invalid YAML: unbalanced mapping",
            ));
        };
        let entries: Rc<[Entry<'a>]> = if self.entries[first..].iter().any(is_merge) {
            let written: Vec<Entry<'a>> = self.entries.drain(first..).collect();
            self.merge(written).into()
        } else {
            self.entries.drain(first..).collect()
        };
        let end = entries
            .last()
            .map_or(span.end as usize, |e| e.value.span.end as usize)
            .max(start);
        let node = Node {
            span: Span::new(start, end),
            kind: NodeKind::Map(entries),
        };
        self.remember(anchor, &node);
        self.push(node);
        Ok(())
    }

    /// The slice of the source a scalar's value is, when it is its text as written: the
    /// end of its span (a plain scalar, after its anchor or tag if it has one) or just
    /// inside the span's closing quote (a quoted one without escapes).
    fn borrowed(&self, value: &str, span: Span) -> Option<&'a str> {
        let source: &'a str = self.file.text();
        let whole = source.get(span.start as usize..span.end as usize)?;
        let unquoted = match whole.as_bytes().last() {
            Some(b'"' | b'\'') if whole.len() >= 2 => &whole[..whole.len() - 1],
            _ => whole,
        };
        let prefix = unquoted.strip_suffix(value)?;
        // What may stand before the value: nothing, an opening quote, or an anchor and a
        // tag with their spaces.
        let properties = prefix.trim_end_matches(['"', '\'']).trim_end();
        let fits = prefix.is_empty()
            || (prefix.len() == 1 && unquoted.len() < whole.len())
            || (properties.starts_with(['&', '!']) && prefix.len() > properties.len());
        fits.then(|| &unquoted[prefix.len()..])
    }

    fn enter(&self, span: Span) -> Result<(), Diagnostic> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(Diagnostic::at(
                ErrorCode::LimitExceeded,
                span,
                format!(
                    "the YAML nests deeper than {} levels",
                    self.limits.max_depth
                ),
            )
            .label("too deep")
            .help("a design nests a few levels at most: servers, components, their keys"));
        }
        Ok(())
    }

    /// Checks a scalar's tag against the core schema: `Some(true)` when it makes the
    /// scalar text (`!!str`, `!`), `Some(false)` when it names the type the scalar has
    /// anyway (`!!int 80`); `None` after reporting a tag that does not fit or that
    /// infralint does not read (`!!binary`, `!local`).
    fn scalar_tag(&mut self, tag: &saphyr_parser::Tag, text: &str, span: Span) -> Option<bool> {
        if tag.handle == "!" && tag.suffix.is_empty() {
            return Some(true);
        }
        if tag.is_yaml_core_schema() {
            let fits = match (tag.suffix.as_str(), ScalarValue::resolve(text)) {
                ("str", _) => return Some(true),
                ("int", ScalarValue::Int(_))
                | ("float", ScalarValue::Float | ScalarValue::Int(_))
                | ("bool", ScalarValue::Bool(_))
                | ("null", ScalarValue::Null) => true,
                ("int" | "float" | "bool" | "null", _) => false,
                _ => {
                    self.unsupported_tag(tag, span);
                    return None;
                }
            };
            if !fits {
                self.errors.push(
                    Diagnostic::at(
                        ErrorCode::UnsupportedTag,
                        span,
                        format!("`{}` is not a `!!{}`", shorten(text), tag.suffix),
                    )
                    .label("the tag and the value disagree")
                    .help("remove the tag, or write a value of that type"),
                );
                return None;
            }
            return Some(false);
        }
        self.unsupported_tag(tag, span);
        None
    }

    /// `!!map` on a mapping and `!!seq` on a list are fine; any other tag is reported.
    fn collection_tag(&mut self, tag: &saphyr_parser::Tag, kind: &str, span: Span) {
        if !(tag.is_yaml_core_schema() && tag.suffix == kind) {
            self.unsupported_tag(tag, span);
        }
    }

    fn unsupported_tag(&mut self, tag: &saphyr_parser::Tag, span: Span) {
        let written = if tag.is_yaml_core_schema() {
            format!("!!{}", tag.suffix)
        } else {
            format!("{}{}", tag.handle, tag.suffix)
        };
        self.errors.push(
            Diagnostic::at(ErrorCode::UnsupportedTag, span, format!("unsupported YAML tag `{}`", shorten(&written)))
                .label("infralint reads the core schema's tags only")
                .help("remove the tag; `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!map` and `!!seq` are read"),
        );
    }

    fn remember(&mut self, anchor: usize, node: &Node<'a>) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), node.size()));
        }
    }

    /// Adds a finished node to the frame being built, or makes it the root.
    fn push(&mut self, node: Node<'a>) {
        match self.stack.last_mut() {
            None => {
                if self.root.is_none() {
                    self.root = Some(node);
                }
            }
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map {
                first, key, seen, ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let entries = &mut self.entries;
                    let defined = match k.scalar_text() {
                        Some(text) if text != "<<" => {
                            first_definition(&entries[*first..], seen, text)
                        }
                        _ => None,
                    };
                    match defined {
                        Some(first) => self.errors.push(
                            Diagnostic::at(
                                ErrorCode::DuplicateKey,
                                k.span,
                                format!("duplicate key `{}`", k.scalar_text().unwrap_or_default()),
                            )
                            .label("defined again here")
                            .secondary(first, "first defined here")
                            .help("remove one of the two, or merge them"),
                        ),
                        None => {
                            if let Some(text) = k.scalar_text().filter(|_| !seen.is_empty()) {
                                seen.insert(text.to_owned(), entries.len() - *first);
                            }
                            entries.push(Entry {
                                key: k,
                                value: node,
                            });
                        }
                    }
                }
            },
        }
    }

    /// Applies merge keys: `<<: *a` or `<<: [*a, *b]` adds the keys of those mappings
    /// that the mapping does not define itself.
    fn merge(&mut self, entries: Vec<Entry<'a>>) -> Vec<Entry<'a>> {
        let (merges, mut own): (Vec<Entry<'a>>, Vec<Entry<'a>>) =
            entries.into_iter().partition(is_merge);
        let mut present: std::collections::HashSet<String> = own
            .iter()
            .filter_map(|e| e.key.scalar_text().map(str::to_owned))
            .collect();
        for merge in merges {
            let sources = match merge.value.kind {
                NodeKind::Map(_) => vec![merge.value],
                NodeKind::Seq(items)
                    if items.iter().all(|i| matches!(i.kind, NodeKind::Map(_))) =>
                {
                    items.to_vec()
                }
                _ => {
                    self.errors.push(
                        Diagnostic::at(
                            ErrorCode::WrongType,
                            merge.value.span,
                            "a merge key `<<` needs a mapping or a list of mappings",
                        )
                        .label("not a mapping")
                        .help("write `<<: *anchor` where the anchor names a mapping"),
                    );
                    continue;
                }
            };
            for source in sources {
                self.shared.push(source.span);
                let NodeKind::Map(source_entries) = source.kind else {
                    continue;
                };
                for entry in source_entries.iter().cloned() {
                    let text = entry.key.scalar_text().map(str::to_owned);
                    match text {
                        Some(text) if present.contains(&text) => {}
                        Some(text) => {
                            present.insert(text);
                            own.push(entry);
                        }
                        None => own.push(entry),
                    }
                }
            }
        }
        own
    }
}

/// Mappings with fewer keys are searched for a duplicate one by one.
const INDEXED_MAPPING: usize = 16;

/// Where `text` was first defined as a key of this mapping. Small mappings, nearly all of
/// a design, are searched one by one; a large one (`servers:` of a big design) gets an
/// index, so that checking stays linear in the number of keys.
fn first_definition(
    entries: &[Entry],
    seen: &mut HashMap<String, usize>,
    text: &str,
) -> Option<Span> {
    if seen.is_empty() && entries.len() >= INDEXED_MAPPING {
        for (index, entry) in entries.iter().enumerate() {
            if let Some(key) = entry.key.scalar_text() {
                seen.entry(key.to_owned()).or_insert(index);
            }
        }
    }
    let index = if seen.is_empty() {
        entries
            .iter()
            .position(|e| e.key.scalar_text() == Some(text))
    } else {
        seen.get(text).copied()
    };
    index.map(|i| entries[i].key.span)
}

fn is_merge(entry: &Entry) -> bool {
    entry
        .key
        .as_scalar()
        .is_some_and(|s| s.plain && s.text == "<<")
}

/// A sequence's span ends at its last item (block sequences end at the next token).
fn end_of(items: &[Node], end_event: Span, start: usize) -> usize {
    let end = match items.last() {
        Some(last) if end_event.start > last.span.end => {
            // A flow sequence's `]` belongs to it; a block sequence's end event sits on the
            // next token, which does not.
            if !end_event.is_empty() {
                end_event.end as usize
            } else {
                last.span.end as usize
            }
        }
        Some(last) => last.span.end.max(end_event.end) as usize,
        None => end_event.end as usize,
    };
    end.max(start)
}

/// A hint for the most common YAML mistakes, keyed on the parser's wording.
fn yaml_help(info: &str) -> String {
    if info.contains("tabs") {
        "YAML indents with spaces only: replace the tab with spaces".to_string()
    } else if info.contains("unprintable") || info.contains("control") {
        "the file holds binary or control characters: is it really a YAML design?".to_string()
    } else if info.contains("recursion limit") {
        "a design nests a few levels at most: servers, components, their keys".to_string()
    } else if info.contains("mapping values are not allowed") {
        "a value that contains `: ` must be quoted".to_string()
    } else {
        "check the indentation and the brackets and quotes on this line and the one before"
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Parsed<'static> {
        // The tree borrows its file: a test's file lives as long as the test process.
        let file: &'static SourceFile = Box::leak(Box::new(SourceFile::new("t.yaml", text)));
        parse(file, Limits::default())
    }

    fn pos(file: &SourceFile, span: Span) -> String {
        file.position(span.start as usize).to_string()
    }

    #[test]
    fn every_node_has_its_span() {
        let file = SourceFile::new("t.yaml", "a: 1\nb:\n  - x\n  - {k: 'v'}\n");
        let parsed = parse(&file, Limits::default());
        assert!(parsed.errors.is_empty());
        let NodeKind::Map(entries) = parsed.root.unwrap().kind else {
            panic!("a mapping at the top")
        };
        assert_eq!(pos(&file, entries[1].key.span), "2:1");
        let NodeKind::Seq(items) = &entries[1].value.kind else {
            panic!("a list under b")
        };
        assert_eq!(pos(&file, items[0].span), "3:5");
        assert_eq!(pos(&file, items[1].span), "4:5");
    }

    #[test]
    fn duplicate_keys_are_all_reported_with_both_places() {
        let file = SourceFile::new("t.yaml", "a: 1\nb: 2\na: 3\nb: 4\n");
        let parsed = parse(&file, Limits::default());
        assert_eq!(parsed.errors.len(), 2);
        assert_eq!(pos(&file, parsed.errors[0].span.unwrap()), "3:1");
        assert_eq!(pos(&file, parsed.errors[0].secondary[0].span), "1:1");
    }

    #[test]
    fn duplicates_in_large_mappings_are_found_through_the_index() {
        let mut text: String = (0..40).map(|i| format!("k{i}: {i}\n")).collect();
        text.push_str("k3: again\nk39: again\nk40: new\nk40: again\n");
        let file = SourceFile::new("t.yaml", text);
        let parsed = parse(&file, Limits::default());
        let found: Vec<(String, String)> = parsed
            .errors
            .iter()
            .map(|e| (pos(&file, e.span.unwrap()), pos(&file, e.secondary[0].span)))
            .collect();
        let expected = [("41:1", "4:1"), ("42:1", "40:1"), ("44:1", "43:1")];
        assert_eq!(found, expected.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    #[test]
    fn merge_keys_apply_and_own_keys_win() {
        let parsed = parse_str("x: &X {a: 1, b: 2}\ny:\n  <<: *X\n  b: 3\n");
        assert!(parsed.errors.is_empty());
        let NodeKind::Map(top) = parsed.root.unwrap().kind else {
            panic!()
        };
        let NodeKind::Map(y) = &top[1].value.kind else {
            panic!()
        };
        let keys: Vec<_> = y
            .iter()
            .map(|e| (e.key.scalar_text().unwrap(), e.value.scalar_text().unwrap()))
            .collect();
        assert_eq!(keys, [("b", "3"), ("a", "1")]);
    }

    #[test]
    fn depth_is_limited_before_the_tree_grows() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let parsed = parse_str(&deep);
        assert!(parsed.root.is_none());
        assert_eq!(parsed.errors.len(), 1);
        let mut block = String::new();
        for i in 0..200 {
            block.push_str(&" ".repeat(i));
            block.push_str("a:\n");
        }
        let parsed = parse_str(&block);
        assert!(parsed.errors[0].message.contains("deeper than 64"));
    }

    /// Every plain scalar's span starts at its text, on long lines full of multibyte
    /// characters too (the position cursor moves forward and back across spans).
    #[test]
    fn spans_point_at_their_text_on_long_multibyte_lines() {
        let items: Vec<String> = (0..400)
            .map(|i| format!("clé-{i}: «valeur-{i}» ünïcode-{i}"))
            .collect();
        let text = format!(
            "servers: {{ {} }}\nnext: [é, ü, 漢字, x]\n",
            items.join(", ")
        );
        let file = SourceFile::new("t.yaml", text.as_str());
        let parsed = parse(&file, Limits::default());
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let mut stack = vec![parsed.root.as_ref().unwrap()];
        let mut checked = 0;
        while let Some(node) = stack.pop() {
            match &node.kind {
                NodeKind::Scalar { .. } | NodeKind::OwnedScalar { .. } => {
                    let scalar = node.as_scalar().unwrap();
                    let at = &text[node.span.start as usize..];
                    assert!(
                        at.starts_with(scalar.text),
                        "{:?} at {:?}",
                        scalar.text,
                        &at[..at.len().min(20)]
                    );
                    checked += 1;
                }
                NodeKind::Seq(items) => stack.extend(items.iter()),
                NodeKind::Map(entries) => {
                    for entry in entries.iter() {
                        stack.push(&entry.key);
                        stack.push(&entry.value);
                    }
                }
            }
        }
        assert_eq!(checked, 800 + 2 + 4);
    }

    #[test]
    fn billion_laughs_stops_at_the_budget() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = format!("*a{}", i - 1);
            text.push_str(&format!(
                "a{i}: &a{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let parsed = parse_str(&text);
        assert!(parsed.errors[0].message.contains("more than 10000 nodes"));
    }

    #[test]
    fn an_alias_shares_its_anchor_instead_of_copying_it() {
        let parsed = parse_str("a: &x {k: [1, 2, 3], t: long text}\nb: *x\nc: &s text\nd: *s\n");
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        let root = parsed.root.expect("a root");
        let NodeKind::Map(entries) = &root.kind else {
            panic!("a mapping")
        };
        let (NodeKind::Map(anchored), NodeKind::Map(alias)) =
            (&entries[0].value.kind, &entries[1].value.kind)
        else {
            panic!("two mappings")
        };
        assert!(Rc::ptr_eq(anchored, alias), "the alias copied its mapping");
        let (Some(anchored), Some(alias)) =
            (entries[2].value.as_scalar(), entries[3].value.as_scalar())
        else {
            panic!("two scalars")
        };
        assert!(
            std::ptr::eq(anchored.text.as_ptr(), alias.text.as_ptr())
                && matches!(entries[2].value.kind, NodeKind::Scalar { .. }),
            "the alias copied its text"
        );
        // The alias keeps its own place in the file.
        assert_eq!(entries[1].value.span.start, 38);
    }

    #[test]
    fn several_documents_and_empty_files_are_errors() {
        assert!(
            parse_str("a: 1\n---\nb: 2\n").errors[0]
                .message
                .contains("several YAML documents")
        );
        assert_eq!(parse_str("").errors[0].message, "the file is empty");
        assert_eq!(
            parse_str("# only a comment\n").errors[0].message,
            "the file is empty"
        );
    }
}
