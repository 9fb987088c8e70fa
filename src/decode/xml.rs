//! XML answers: a small element tree, and a serde deserializer over it.
//!
//! The service's XML is plain data: nested elements with text, no
//! attributes that matter and no mixed content. Parsing into a tree first
//! (with names and most text borrowed from the body) lets the deserializer
//! look at an element before deciding how to present it, which is what
//! makes the same serde models work for XML and JSON:
//!
//! - an element with children is a map from child name to child, repeated
//!   names included, so list visitors see every row;
//! - an element without children is its text (CDATA and entities joined);
//! - an empty element (`<comment/>`, `<attacks></attacks>`) is "no value"
//!   when an `Option` is asked for, and empty text otherwise.

use std::borrow::Cow;
use std::fmt;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Visitor};

/// Elements nested deeper than this are refused, so hostile input cannot
/// exhaust the stack of the deserializer.
const MAX_DEPTH: usize = 128;

/// One XML element in a [`Document`]: its name, its text and where its
/// descendants end.
#[derive(Debug)]
struct Node<'a> {
    name: Cow<'a, str>,
    text: Cow<'a, str>,
    /// Byte offset of the start tag in the body, for error positions.
    offset: usize,
    /// Index one past the last descendant: the children are the nodes from
    /// this node's index + 1 up to here, each followed by its own
    /// descendants.
    end: usize,
}

/// A parsed body: every element in document order, in one allocation.
///
/// A flat list rather than a tree of boxed children keeps parsing a large
/// list answer to one growing vector instead of a vector per row.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    nodes: Vec<Node<'a>>,
}

impl<'a> Document<'a> {
    /// The root element.
    pub(crate) fn root(&self) -> Option<Element<'_, 'a>> {
        Element::at(&self.nodes, 0)
    }
}

/// A view of one element of a [`Document`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Element<'t, 'a> {
    nodes: &'t [Node<'a>],
    index: usize,
    node: &'t Node<'a>,
}

impl<'t, 'a> Element<'t, 'a> {
    fn at(nodes: &'t [Node<'a>], index: usize) -> Option<Self> {
        nodes.get(index).map(|node| Element { nodes, index, node })
    }

    pub(crate) fn name(&self) -> &'t str {
        &self.node.name
    }

    pub(crate) fn text(&self) -> &'t str {
        &self.node.text
    }

    pub(crate) fn offset(&self) -> usize {
        self.node.offset
    }

    fn has_children(&self) -> bool {
        self.node.end > self.index + 1
    }

    /// No child elements and no text other than whitespace.
    fn is_empty(&self) -> bool {
        !self.has_children() && self.node.text.is_empty()
    }

    fn children(&self) -> Children<'t, 'a> {
        Children {
            nodes: self.nodes,
            next: self.index + 1,
            end: self.node.end,
            value: None,
        }
    }
}

/// Why an XML body could not be read, and where.
#[derive(Debug)]
pub(crate) struct XmlError {
    pub(crate) message: String,
    pub(crate) offset: Option<usize>,
}

impl XmlError {
    fn at(message: impl Into<String>, offset: usize) -> Self {
        XmlError {
            message: message.into(),
            offset: Some(offset),
        }
    }

    /// Attaches `offset` unless a deeper element already did.
    fn or_at(mut self, offset: usize) -> Self {
        self.offset.get_or_insert(offset);
        self
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for XmlError {}

impl de::Error for XmlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        XmlError {
            message: msg.to_string(),
            offset: None,
        }
    }
}

fn usize_offset(pos: u64) -> usize {
    usize::try_from(pos).unwrap_or(usize::MAX)
}

/// Appends `more` to `text` without copying when `text` is still empty.
fn append<'a>(text: &mut Cow<'a, str>, more: Cow<'a, str>) {
    if text.is_empty() {
        *text = more;
    } else {
        text.to_mut().push_str(&more);
    }
}

fn trim_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim()),
        Cow::Owned(s) if s.trim().len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(s.trim().to_owned()),
    }
}

fn predefined_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => return None,
    })
}

/// Parses `body` into a [`Document`] with exactly one root element.
pub(crate) fn parse(body: &str) -> Result<Document<'_>, XmlError> {
    let mut reader = Reader::from_str(body);
    // Every element has a start tag, and most an end tag too: half the
    // `<` count is a close estimate that saves growing a large vector.
    let tags = body.bytes().filter(|&b| b == b'<').count();
    let mut nodes: Vec<Node<'_>> = Vec::with_capacity(tags / 2 + 1);
    // Indices of the elements that are open, innermost last.
    let mut open: Vec<usize> = Vec::new();
    loop {
        let offset = usize_offset(reader.buffer_position());
        let event = reader.read_event().map_err(|e| {
            let at = usize_offset(reader.error_position());
            match e {
                // Everything but a bad `<!` is "the input ended first".
                quick_xml::Error::Syntax(s)
                    if s != quick_xml::errors::SyntaxError::InvalidBangMarkup =>
                {
                    XmlError::at(format!("the answer was cut short: {s}"), at)
                }
                e => XmlError::at(e.to_string(), at),
            }
        })?;
        match event {
            Event::Start(start) | Event::Empty(start) if open.is_empty() && !nodes.is_empty() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(XmlError::at(
                    format!("a second root element <{name}> after the first one"),
                    offset,
                ));
            }
            Event::Start(start) => {
                if open.len() >= MAX_DEPTH {
                    return Err(XmlError::at(
                        format!("elements nested more than {MAX_DEPTH} deep"),
                        offset,
                    ));
                }
                open.push(nodes.len());
                nodes.push(Node {
                    name: name_of(body, &start, offset)?,
                    text: Cow::Borrowed(""),
                    offset,
                    end: 0,
                });
            }
            Event::Empty(start) => {
                let end = nodes.len() + 1;
                nodes.push(Node {
                    name: name_of(body, &start, offset)?,
                    text: Cow::Borrowed(""),
                    offset,
                    end,
                });
            }
            Event::End(_) => {
                let end = nodes.len();
                let node = open.pop().and_then(|index| nodes.get_mut(index));
                let Some(node) = node else {
                    return Err(XmlError::at("an end tag without a start tag", offset));
                };
                node.end = end;
                node.text = trim_cow(std::mem::take(&mut node.text));
            }
            Event::Text(text) => {
                let raw: &[u8] = &text;
                let blank = raw.iter().all(u8::is_ascii_whitespace);
                let parent = open.last().copied();
                let has_children = parent.is_some_and(|p| nodes.len() > p + 1);
                match parent.and_then(|p| nodes.get_mut(p)) {
                    // Indentation between elements, not content.
                    Some(node) if blank && (node.text.is_empty() || has_children) => {}
                    Some(node) => {
                        // The body is already known to be UTF-8: borrow the
                        // text from it rather than checking it again.
                        let text = match body.get(offset..offset + raw.len()) {
                            Some(same) => {
                                debug_assert_eq!(same.as_bytes(), raw);
                                Cow::Borrowed(same)
                            }
                            _ => text
                                .decode()
                                .map_err(|e| XmlError::at(e.to_string(), offset))?,
                        };
                        append(&mut node.text, text);
                    }
                    None if blank => {}
                    None => {
                        return Err(XmlError::at("text outside of any XML element", offset));
                    }
                }
            }
            Event::CData(data) => {
                let text = data
                    .decode()
                    .map_err(|e| XmlError::at(e.to_string(), offset))?;
                match open.last().and_then(|&p| nodes.get_mut(p)) {
                    Some(node) => append(&mut node.text, text),
                    None => return Err(XmlError::at("CDATA outside of any XML element", offset)),
                }
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => {
                        let name = reference
                            .decode()
                            .map_err(|e| XmlError::at(e.to_string(), offset))?;
                        predefined_entity(&name).ok_or_else(|| {
                            XmlError::at(format!("unknown entity &{name};"), offset)
                        })?
                    }
                    Err(e) => return Err(XmlError::at(e.to_string(), offset)),
                };
                match open.last().and_then(|&p| nodes.get_mut(p)) {
                    Some(node) => node.text.to_mut().push(resolved),
                    None => return Err(XmlError::at("text outside of any XML element", offset)),
                }
            }
            Event::Eof => {
                if let Some(node) = open.last().and_then(|&p| nodes.get(p)) {
                    return Err(XmlError::at(
                        format!("the answer ends inside <{}>: it was cut short", node.name),
                        offset,
                    ));
                }
                if nodes.is_empty() {
                    return Err(XmlError::at("no XML element in the answer", offset));
                }
                return Ok(Document { nodes });
            }
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
}

/// The name of the tag that starts at `offset`, borrowed from `body`.
fn name_of<'a>(
    body: &'a str,
    start: &BytesStart<'_>,
    offset: usize,
) -> Result<Cow<'a, str>, XmlError> {
    let name = start.name();
    let begin = offset.saturating_add(1);
    match body.get(begin..begin.saturating_add(name.as_ref().len())) {
        Some(borrowed) => {
            debug_assert_eq!(borrowed.as_bytes(), name.as_ref());
            Ok(Cow::Borrowed(borrowed))
        }
        _ => String::from_utf8(name.as_ref().to_vec())
            .map(Cow::Owned)
            .map_err(|_| XmlError::at("an element name that is not UTF-8", offset)),
    }
}

impl<'de, 'a: 'de> de::Deserializer<'de> for Element<'de, 'a> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if !self.has_children() {
            visitor.visit_borrowed_str(self.text())
        } else {
            self.deserialize_map(visitor)
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if self.is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if !self.has_children() && !self.text().is_empty() {
            return Err(XmlError::at(
                format!(
                    "expected child elements in <{}>, found text {:?}",
                    self.name(),
                    self.text()
                ),
                self.offset(),
            ));
        }
        visitor.visit_map(self.children())
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_seq(self.children())
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if self.has_children() {
            return Err(XmlError::at(
                format!("expected text in <{}>, found child elements", self.name()),
                self.offset(),
            ));
        }
        visitor.visit_borrowed_str(self.text())
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        let text: BorrowedStrDeserializer<'de, XmlError> =
            BorrowedStrDeserializer::new(self.text());
        visitor.visit_enum(text)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.text() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(XmlError::at(
                format!(
                    "expected true or false in <{}>, found {other:?}",
                    self.name()
                ),
                self.offset(),
            )),
        }
    }

    fn deserialize_u8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_u64(self.number()?)
    }
    fn deserialize_u16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_u64(self.number()?)
    }
    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_u64(self.number()?)
    }
    fn deserialize_u64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_u64(self.number()?)
    }
    fn deserialize_i8<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_i64(self.number()?)
    }
    fn deserialize_i16<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_i64(self.number()?)
    }
    fn deserialize_i32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_i64(self.number()?)
    }
    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_i64(self.number()?)
    }
    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_f64(self.number()?)
    }
    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        visitor.visit_f64(self.number()?)
    }
}

impl Element<'_, '_> {
    fn number<N: std::str::FromStr>(&self) -> Result<N, XmlError> {
        self.text().parse().map_err(|_| {
            XmlError::at(
                format!(
                    "expected a number in <{}>, found {:?}",
                    self.name(),
                    self.text()
                ),
                self.offset(),
            )
        })
    }
}

/// The children of an element, as map entries (name, element) or as
/// sequence items.
pub(crate) struct Children<'t, 'a> {
    nodes: &'t [Node<'a>],
    /// Index of the next child; its own descendants follow it.
    next: usize,
    /// Index one past the parent's last descendant.
    end: usize,
    value: Option<Element<'t, 'a>>,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = Element<'t, 'a>;

    fn next(&mut self) -> Option<Element<'t, 'a>> {
        if self.next >= self.end {
            return None;
        }
        let child = Element::at(self.nodes, self.next)?;
        self.next = child.node.end.max(self.next + 1);
        Some(child)
    }
}

impl<'de, 'a: 'de> de::MapAccess<'de> for Children<'de, 'a> {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlError> {
        let Some(child) = self.next() else {
            return Ok(None);
        };
        self.value = Some(child);
        let name: BorrowedStrDeserializer<'de, XmlError> =
            BorrowedStrDeserializer::new(child.name());
        seed.deserialize(name).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, XmlError> {
        let child = self
            .value
            .take()
            .ok_or_else(|| <XmlError as de::Error>::custom("a value asked for before its key"))?;
        seed.deserialize(child).map_err(|e| e.or_at(child.offset()))
    }
}

impl<'de, 'a: 'de> de::SeqAccess<'de> for Children<'de, 'a> {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, XmlError> {
        match self.next() {
            Some(child) => seed
                .deserialize(child)
                .map(Some)
                .map_err(|e| e.or_at(child.offset())),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_entities_and_text_join_into_one_value() {
        let doc = parse("<a><b>AT&amp;T <![CDATA[<x>]]> &#65;</b></a>").unwrap();
        let b = doc.root().unwrap().children().next().unwrap();
        assert_eq!(b.text(), "AT&T <x> A");
    }

    #[test]
    fn indentation_is_not_text() {
        let doc = parse("<a>\n  <b>1</b>\n  <c/>\n</a>").unwrap();
        let root = doc.root().unwrap();
        assert_eq!(root.text(), "");
        let children: Vec<_> = root.children().collect();
        assert_eq!(
            children.iter().map(|c| c.name()).collect::<Vec<_>>(),
            ["b", "c"]
        );
        assert!(children[1].is_empty());
    }

    #[test]
    fn children_skip_their_siblings_descendants() {
        let doc = parse("<a><b><c>1</c><c/></b><d>2</d><e/></a>").unwrap();
        let names: Vec<_> = doc.root().unwrap().children().map(|c| c.name()).collect();
        assert_eq!(names, ["b", "d", "e"]);
        let b = doc.root().unwrap().children().next().unwrap();
        assert_eq!(
            b.children().map(|c| c.name()).collect::<Vec<_>>(),
            ["c", "c"]
        );
    }

    #[test]
    fn truncated_answer_names_the_open_element() {
        let err = parse("<a><b>1</b><c>").unwrap_err();
        assert!(err.message.contains("<c>"), "{}", err.message);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let body = "<a>".repeat(100_000);
        let err = parse(&body).unwrap_err();
        assert!(err.message.contains("nested"), "{}", err.message);
    }

    #[test]
    fn text_outside_elements_is_refused() {
        assert!(parse("Try again after 300 seconds").is_err());
        assert!(parse("").is_err());
        assert!(parse("<a/><b/>").is_err());
    }
}
