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
use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

/// Elements nested deeper than this are refused, so hostile input cannot
/// exhaust the stack of the deserializer.
const MAX_DEPTH: usize = 128;

/// One XML element: its name, its text and its child elements.
#[derive(Debug)]
pub(crate) struct Element<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) text: Cow<'a, str>,
    pub(crate) children: Vec<Element<'a>>,
    /// Byte offset of the start tag in the body, for error positions.
    pub(crate) offset: usize,
}

impl Element<'_> {
    /// No child elements and no text other than whitespace.
    fn is_empty(&self) -> bool {
        self.children.is_empty() && self.text.is_empty()
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

/// Parses `body` into its root element.
pub(crate) fn parse(body: &str) -> Result<Element<'_>, XmlError> {
    let mut reader = Reader::from_str(body);
    let mut stack: Vec<Element<'_>> = Vec::new();
    let mut root: Option<Element<'_>> = None;
    loop {
        let offset = usize_offset(reader.buffer_position());
        let event = reader
            .read_event()
            .map_err(|e| XmlError::at(e.to_string(), usize_offset(reader.error_position())))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
                return Err(XmlError::at(
                    format!("a second root element <{name}> after the first one"),
                    offset,
                ));
            }
            Event::Start(start) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(XmlError::at(
                        format!("elements nested more than {MAX_DEPTH} deep"),
                        offset,
                    ));
                }
                stack.push(Element {
                    name: name_of(body, &start, offset)?,
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                    offset,
                });
            }
            Event::Empty(start) => {
                let element = Element {
                    name: name_of(body, &start, offset)?,
                    text: Cow::Borrowed(""),
                    children: Vec::new(),
                    offset,
                };
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::End(_) => {
                let Some(mut element) = stack.pop() else {
                    return Err(XmlError::at("an end tag without a start tag", offset));
                };
                element.text = trim_cow(element.text);
                match stack.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => root = Some(element),
                }
            }
            Event::Text(text) => {
                let text = text
                    .decode()
                    .map_err(|e| XmlError::at(e.to_string(), offset))?;
                let blank = text.trim().is_empty();
                match stack.last_mut() {
                    // Indentation between elements, not content.
                    Some(parent)
                        if blank && (parent.text.is_empty() || !parent.children.is_empty()) => {}
                    Some(parent) => append(&mut parent.text, text),
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
                match stack.last_mut() {
                    Some(parent) => append(&mut parent.text, text),
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
                match stack.last_mut() {
                    Some(parent) => parent.text.to_mut().push(resolved),
                    None => return Err(XmlError::at("text outside of any XML element", offset)),
                }
            }
            Event::Eof => {
                if let Some(open) = stack.last() {
                    return Err(XmlError::at(
                        format!("the answer ends inside <{}>: it was cut short", open.name),
                        offset,
                    ));
                }
                return root.ok_or_else(|| XmlError::at("no XML element in the answer", offset));
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
        Some(borrowed) if borrowed.as_bytes() == name.as_ref() => Ok(Cow::Borrowed(borrowed)),
        _ => String::from_utf8(name.as_ref().to_vec())
            .map(Cow::Owned)
            .map_err(|_| XmlError::at("an element name that is not UTF-8", offset)),
    }
}

impl<'de, 'a: 'de> de::Deserializer<'de> for &'de Element<'a> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        if self.children.is_empty() {
            visitor.visit_borrowed_str(&self.text)
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
        if self.children.is_empty() && !self.text.is_empty() {
            return Err(XmlError::at(
                format!(
                    "expected child elements in <{}>, found text {:?}",
                    self.name, self.text
                ),
                self.offset,
            ));
        }
        visitor.visit_map(Children {
            iter: self.children.iter(),
            value: None,
        })
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
        visitor.visit_seq(Children {
            iter: self.children.iter(),
            value: None,
        })
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
        if !self.children.is_empty() {
            return Err(XmlError::at(
                format!("expected text in <{}>, found child elements", self.name),
                self.offset,
            ));
        }
        visitor.visit_borrowed_str(&self.text)
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
        let text: BorrowedStrDeserializer<'de, XmlError> = BorrowedStrDeserializer::new(&self.text);
        visitor.visit_enum(text)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        match self.text.as_ref() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(XmlError::at(
                format!("expected true or false in <{}>, found {other:?}", self.name),
                self.offset,
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

impl Element<'_> {
    fn number<N: std::str::FromStr>(&self) -> Result<N, XmlError> {
        self.text.parse().map_err(|_| {
            XmlError::at(
                format!(
                    "expected a number in <{}>, found {:?}",
                    self.name, self.text
                ),
                self.offset,
            )
        })
    }
}

/// The children of an element, as map entries (name, element) or as
/// sequence items.
struct Children<'de, 'a> {
    iter: std::slice::Iter<'de, Element<'a>>,
    value: Option<&'de Element<'a>>,
}

impl<'de, 'a: 'de> de::MapAccess<'de> for Children<'de, 'a> {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlError> {
        let Some(child) = self.iter.next() else {
            return Ok(None);
        };
        self.value = Some(child);
        let name: BorrowedStrDeserializer<'de, XmlError> =
            BorrowedStrDeserializer::new(&child.name);
        seed.deserialize(name).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, XmlError> {
        let child = self
            .value
            .take()
            .ok_or_else(|| <XmlError as de::Error>::custom("a value asked for before its key"))?;
        seed.deserialize(child).map_err(|e| e.or_at(child.offset))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

impl<'de, 'a: 'de> de::SeqAccess<'de> for Children<'de, 'a> {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, XmlError> {
        match self.iter.next() {
            Some(child) => seed
                .deserialize(child)
                .map(Some)
                .map_err(|e| e.or_at(child.offset)),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

// Lets `BorrowedStrDeserializer` and friends report errors of our type.
impl<'de> IntoDeserializer<'de, XmlError> for &'de Element<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cdata_entities_and_text_join_into_one_value() {
        let root = parse("<a><b>AT&amp;T <![CDATA[<x>]]> &#65;</b></a>").unwrap();
        assert_eq!(root.children[0].text, "AT&T <x> A");
    }

    #[test]
    fn indentation_is_not_text() {
        let root = parse("<a>\n  <b>1</b>\n  <c/>\n</a>").unwrap();
        assert_eq!(root.text, "");
        assert_eq!(root.children.len(), 2);
        assert!(root.children[1].is_empty());
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
