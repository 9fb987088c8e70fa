//! XML answers: a serde deserializer that reads the body as it goes.
//!
//! The service's XML is plain data: nested elements with text, no
//! attributes that matter and no mixed content. The deserializer presents
//! it the way JSON presents objects and strings, which is what makes the
//! same serde models work for XML and JSON:
//!
//! - the root element's name is dropped: the root is the value;
//! - an element with children is a map from child name to child, repeated
//!   names included, so list visitors see every row (or a sequence of the
//!   children, when a sequence is asked for);
//! - an element without children is its text (CDATA and entities joined,
//!   trimmed);
//! - an empty element (`<comment/>`, `<attacks></attacks>`) is "no value"
//!   when an `Option` is asked for, and empty text otherwise.
//!
//! It reads quick-xml events straight from the body, with one start tag of
//! lookahead: that is all it takes to tell a leaf from an element with
//! children, because the first thing after a start tag other than text is
//! either its end tag or a child. No tree is built, so a 10,000-row list
//! costs its events and its rows and nothing in between; names and most
//! text are borrowed from the body.
//!
//! The whole body is read even when a model stops looking early, and an
//! error in the XML itself is reported before an error in a value, so a
//! truncated or malformed answer is refused the same way whatever the model.

use std::borrow::Cow;
use std::fmt;

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, IntoDeserializer, Visitor};

/// Elements nested deeper than this are refused, so hostile input cannot
/// exhaust the stack of the deserializer, which recurses once per level.
const MAX_DEPTH: usize = 128;

/// Decodes `body`, which must hold exactly one root element, as a `T`.
pub(crate) fn from_str<'a, T: Deserialize<'a>>(body: &'a str) -> Result<T, XmlError> {
    let mut events = Events::new(body);
    let root = events.root()?;
    let decoded = T::deserialize(Value::new(&mut events, root));
    // Reading to the end checks what the model did not look at; its error,
    // if any, comes first, as if the body had been parsed before decoding.
    events.drain()?;
    decoded.map_err(|e| e.or_at(root.offset))
}

/// The name of the root element of `body` and its text; a root with child
/// elements has none. Enough to read a refusal such as
/// `<error>Too many requests</error>`.
pub(crate) fn root_text(body: &str) -> Result<(&str, String), XmlError> {
    let mut events = Events::new(body);
    let root = events.root()?;
    let text = match events.content()? {
        Content::Text(text) => text.into_owned(),
        Content::Children => String::new(),
    };
    events.drain()?;
    Ok((root.name, text))
}

/// Why an XML body could not be read, and where.
///
/// It is the error of every `Result` handed up through the elements of a
/// body, so its details are boxed to keep those `Result`s small: large ones
/// are copied through memory at every level, which showed in profiles.
/// Cloned only when a broken stream repeats its error to later readers.
#[derive(Debug, Clone)]
pub(crate) struct XmlError(Box<Details>);

/// What an [`XmlError`] says.
#[derive(Debug, Clone)]
struct Details {
    message: String,
    /// Byte offset in the body of the markup or element at fault.
    offset: Option<usize>,
}

impl XmlError {
    /// An error about the markup or element at `offset`.
    fn at(message: impl Into<String>, offset: usize) -> Self {
        XmlError(Box::new(Details {
            message: message.into(),
            offset: Some(offset),
        }))
    }

    /// Attaches `offset` unless a deeper element already did.
    fn or_at(mut self, offset: usize) -> Self {
        self.0.offset.get_or_insert(offset);
        self
    }

    /// What went wrong, in words for the user.
    pub(crate) fn message(&self) -> &str {
        &self.0.message
    }

    /// The message, to move into a crate [`Error`](crate::Error).
    pub(crate) fn into_message(self) -> String {
        self.0.message
    }

    /// The byte offset in the body to report the error at, if known.
    pub(crate) fn offset(&self) -> Option<usize> {
        self.0.offset
    }
}

impl fmt::Display for XmlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for XmlError {}

impl de::Error for XmlError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        XmlError(Box::new(Details {
            message: msg.to_string(),
            offset: None,
        }))
    }
}

/// A start tag that has been read.
#[derive(Debug, Clone, Copy)]
struct Start<'a> {
    name: &'a str,
    /// Byte offset of the tag in the body, for error positions.
    offset: usize,
}

/// One step through the body, as the deserializer needs it.
#[derive(Debug)]
enum Token<'a> {
    /// A start tag; `<a/>` is a start tag followed by an end tag.
    Start(Start<'a>),
    /// The end tag of the innermost open element.
    End,
    /// A piece of an element's text: plain text or CDATA, as written.
    Text(&'a str),
    /// A character or entity reference, resolved.
    Char(char),
    /// The end of a complete document.
    Eof,
}

/// The tokens of a body, checked to form one well-formed document.
///
/// Everything that makes a body unreadable is found here, whoever asks for
/// the tokens: text outside the root, a second root, unknown entities,
/// nesting deeper than [`MAX_DEPTH`], a body that ends inside an element.
///
/// Reading a token is the inner loop of decoding, so [`Events::next`] and
/// its helpers are inlined into the few loops that call them: a token then
/// never makes a round trip through memory on its way to the deserializer.
/// That, looking at quick-xml's events in place, letting quick-xml skip
/// indentation and a boxed [`XmlError`] took typed XML from about 3.5 times
/// the time of typed JSON to about twice (`benches/decode.rs`).
struct Events<'a> {
    body: &'a str,
    reader: Reader<&'a [u8]>,
    /// Length of the byte order mark skipped before the reader's input:
    /// quick-xml counts its positions from after it.
    base: usize,
    /// A start tag read ahead to see whether its parent has children.
    peeked: Option<Start<'a>>,
    /// Whether the last start tag read was `<a/>`, whose end comes next.
    empty: bool,
    /// Names of the open elements, innermost last, to name the one a
    /// truncated body ends in.
    open: Vec<&'a str>,
    /// Whether the root element has started.
    rooted: bool,
    /// Whether the last event was a tag, after which whitespace is skipped.
    after_tag: bool,
    /// The error that stopped reading: once broken, a body stays broken,
    /// rather than reading on from wherever the parser gave up.
    failed: Option<XmlError>,
}

impl<'a> Events<'a> {
    /// Starts reading `body` from its first byte.
    fn new(body: &'a str) -> Self {
        // quick-xml would skip a byte order mark too, but then count
        // positions from after it and shift every error position.
        let input = body.strip_prefix('\u{feff}').unwrap_or(body);
        Events {
            body,
            reader: Reader::from_str(input),
            base: body.len() - input.len(),
            peeked: None,
            empty: false,
            open: Vec::new(),
            rooted: false,
            after_tag: false,
            failed: None,
        }
    }

    /// Reads up to the root element's start tag.
    fn root(&mut self) -> Result<Start<'a>, XmlError> {
        match self.next()? {
            Token::Start(root) => Ok(root),
            // `read` refuses anything else before the root.
            _ => Err(XmlError::at("no XML element in the answer", 0)),
        }
    }

    /// Reads the rest of the body, checking it like the part decoded.
    fn drain(&mut self) -> Result<(), XmlError> {
        while !matches!(self.next()?, Token::Eof) {}
        Ok(())
    }

    /// Reads on until the element at `depth` has ended, whatever it holds.
    fn close(&mut self, depth: usize) -> Result<(), XmlError> {
        while self.open.len() >= depth {
            if let Token::Eof = self.next()? {
                break;
            }
        }
        Ok(())
    }

    /// Reads what an element holds once its start tag has been read: its
    /// text up to its end tag, or, at its first child, [`Content::Children`]
    /// with that child's start tag kept for the next read.
    fn content(&mut self) -> Result<Content<'a>, XmlError> {
        let mut text = Cow::Borrowed("");
        loop {
            match self.next()? {
                Token::Text(piece) if text.is_empty() => text = Cow::Borrowed(piece),
                Token::Text(piece) => text.to_mut().push_str(piece),
                Token::Char(c) => text.to_mut().push(c),
                Token::End | Token::Eof => return Ok(Content::Text(trim_cow(text))),
                Token::Start(child) => {
                    self.peeked = Some(child);
                    return Ok(Content::Children);
                }
            }
        }
    }

    /// The next token; after an error, that error again.
    #[inline(always)]
    fn next(&mut self) -> Result<Token<'a>, XmlError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        match self.read() {
            Ok(token) => Ok(token),
            Err(e) => {
                self.failed = Some(e.clone());
                Err(e)
            }
        }
    }

    /// Reads the next token: the start tag read ahead, the end of `<a/>`,
    /// or the next quick-xml event that is one.
    #[inline(always)]
    fn read(&mut self) -> Result<Token<'a>, XmlError> {
        if let Some(start) = self.peeked.take() {
            return Ok(Token::Start(start));
        }
        if self.empty {
            self.empty = false;
            self.open.pop();
            return Ok(Token::End);
        }
        loop {
            let outside = self.open.is_empty();
            // Whitespace right after a tag inside the root is never content,
            // so quick-xml may skip it rather than hand it out as an event:
            // in an indented answer that is almost half of all events. After
            // a reference, CDATA, a comment or a PI it may be inside joined
            // text and is kept. Outside the root nothing is skipped, so error
            // positions there are where the offending text begins.
            self.reader.config_mut().trim_text_start = self.after_tag && !outside;
            // Where the event begins, unless skipped whitespace comes first:
            // tags and references are located by their content instead.
            let offset = self.position(self.reader.buffer_position());
            // Looked at in place: moving the event out of the result costs
            // more than the rest of handling it.
            let result = self.reader.read_event();
            let event = match &result {
                Ok(event) => event,
                Err(e) => return Err(self.syntax_error(e)),
            };
            self.after_tag = matches!(event, Event::Start(_) | Event::Empty(_) | Event::End(_));
            match event {
                Event::Start(tag) | Event::Empty(tag) if outside && self.rooted => {
                    let name = String::from_utf8_lossy(tag.name().as_ref()).into_owned();
                    return Err(XmlError::at(
                        format!("a second root element <{name}> after the first one"),
                        offset,
                    ));
                }
                Event::Start(tag) => {
                    let offset = self.after(tag, offset);
                    if self.open.len() >= MAX_DEPTH {
                        return Err(XmlError::at(
                            format!("elements nested more than {MAX_DEPTH} deep"),
                            offset,
                        ));
                    }
                    return self.start(tag, offset).map(Token::Start);
                }
                Event::Empty(tag) => {
                    let start = self.start(tag, self.after(tag, offset))?;
                    self.empty = true;
                    return Ok(Token::Start(start));
                }
                Event::End(_) => {
                    if self.open.pop().is_none() {
                        return Err(XmlError::at("an end tag without a start tag", offset));
                    }
                    return Ok(Token::End);
                }
                // Indentation around the root, not content.
                Event::Text(text) if outside && text.iter().all(u8::is_ascii_whitespace) => {}
                Event::Text(_) if outside => {
                    return Err(XmlError::at("text outside of any XML element", offset));
                }
                Event::Text(text) => return self.piece(text, offset).map(Token::Text),
                Event::CData(_) if outside => {
                    return Err(XmlError::at("CDATA outside of any XML element", offset));
                }
                Event::CData(data) => return self.piece(data, offset).map(Token::Text),
                Event::GeneralRef(reference) => {
                    let resolved = resolve(reference, self.after(reference, offset))?;
                    if outside {
                        return Err(XmlError::at("text outside of any XML element", offset));
                    }
                    return Ok(Token::Char(resolved));
                }
                Event::Eof => {
                    let end = self.body.len();
                    if let Some(name) = self.open.last() {
                        return Err(XmlError::at(
                            format!("the answer ends inside <{name}>: it was cut short"),
                            end,
                        ));
                    }
                    if !self.rooted {
                        return Err(XmlError::at("no XML element in the answer", end));
                    }
                    return Ok(Token::Eof);
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }

    /// Opens the element whose start tag begins at `offset`.
    #[inline(always)]
    fn start(&mut self, start: &BytesStart<'_>, offset: usize) -> Result<Start<'a>, XmlError> {
        let name = self
            .piece(start.name().as_ref(), offset)
            .map_err(|_| XmlError::at("an element name that is not UTF-8", offset))?;
        self.open.push(name);
        self.rooted = true;
        Ok(Start { name, offset })
    }

    /// `bytes`, a piece of the body that quick-xml handed out, as text
    /// borrowed from the body.
    ///
    /// quick-xml's reader over a slice hands out subslices of it, so the
    /// piece is found by its address: the body is already known to be
    /// UTF-8 and need not be checked again. A piece that is not part of the
    /// body, or does not fall on character boundaries, is refused.
    #[inline(always)]
    fn piece(&self, bytes: &[u8], offset: usize) -> Result<&'a str, XmlError> {
        if bytes.is_empty() {
            return Ok("");
        }
        let text = match self.locate(bytes) {
            Some(start) => self.body.get(start..start + bytes.len()),
            None => None,
        };
        match text {
            Some(text) => Ok(text),
            None => Err(XmlError::at("text that is not UTF-8", offset)),
        }
    }

    /// Where `bytes`, a piece of the body that quick-xml handed out, begins
    /// in the body; `None` if it is not part of the body.
    #[inline(always)]
    fn locate(&self, bytes: &[u8]) -> Option<usize> {
        let start = (bytes.as_ptr() as usize).checked_sub(self.body.as_ptr() as usize)?;
        (start.checked_add(bytes.len())? <= self.body.len()).then_some(start)
    }

    /// The offset of the `<` or `&` just before `content`, the inside of a
    /// tag or a reference; `fallback` if it cannot be found.
    fn after(&self, content: &[u8], fallback: usize) -> usize {
        self.locate(content)
            .map_or(fallback, |start| start.saturating_sub(1))
    }

    /// A quick-xml position as an offset into the body.
    fn position(&self, pos: u64) -> usize {
        usize::try_from(pos)
            .unwrap_or(usize::MAX)
            .saturating_add(self.base)
    }

    /// Words quick-xml's error for the user, at the markup it is about.
    fn syntax_error(&self, e: &quick_xml::Error) -> XmlError {
        let at = self.position(self.reader.error_position());
        match e {
            // Everything but a bad `<!` is "the input ended first".
            quick_xml::Error::Syntax(s)
                if *s != quick_xml::errors::SyntaxError::InvalidBangMarkup =>
            {
                XmlError::at(format!("the answer was cut short: {s}"), at)
            }
            e => XmlError::at(e.to_string(), at),
        }
    }
}

/// The character a reference such as `&amp;` or `&#65;` stands for.
fn resolve(reference: &BytesRef<'_>, offset: usize) -> Result<char, XmlError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(c),
        Ok(None) => {
            let name = reference
                .decode()
                .map_err(|e| XmlError::at(e.to_string(), offset))?;
            predefined_entity(&name)
                .ok_or_else(|| XmlError::at(format!("unknown entity &{name};"), offset))
        }
        Err(e) => Err(XmlError::at(e.to_string(), offset)),
    }
}

/// The five entities XML defines without a DTD; the service uses no others.
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

/// Trims `text`, still borrowed from the body if it was.
fn trim_cow(text: Cow<'_, str>) -> Cow<'_, str> {
    match text {
        Cow::Borrowed(s) => Cow::Borrowed(trim(s)),
        Cow::Owned(s) if trim(&s).len() == s.len() => Cow::Owned(s),
        Cow::Owned(s) => Cow::Owned(trim(&s).to_owned()),
    }
}

/// `text` without leading and trailing whitespace.
///
/// Most values have none, and seeing that from their first and last byte
/// is cheaper than asking `str::trim`, which decodes characters.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// What an element holds, known from the first token after its start tag.
enum Content<'a> {
    /// No child elements: the element's text, trimmed, with its end tag
    /// read. Text beside child elements is not content.
    Text(Cow<'a, str>),
    /// Child elements; the first one's start tag is read ahead.
    Children,
}

/// One element whose start tag has been read, as a serde deserializer.
struct Value<'r, 'a> {
    events: &'r mut Events<'a>,
    start: Start<'a>,
    /// How many elements are open with this one, itself included: the root
    /// is at depth 1.
    depth: usize,
    /// What the element holds, once looked at.
    content: Option<Content<'a>>,
}

impl<'r, 'a> Value<'r, 'a> {
    /// The element whose start tag was the last token read.
    fn new(events: &'r mut Events<'a>, start: Start<'a>) -> Self {
        Value {
            depth: events.open.len(),
            events,
            start,
            content: None,
        }
    }

    /// Takes what the element holds, reading it if nobody has yet.
    fn content(&mut self) -> Result<Content<'a>, XmlError> {
        match self.content.take() {
            Some(content) => Ok(content),
            None => self.events.content(),
        }
    }

    /// The element's text, which an element with children does not have.
    fn text(&mut self) -> Result<Cow<'a, str>, XmlError> {
        match self.content()? {
            Content::Text(text) => Ok(text),
            Content::Children => Err(XmlError::at(
                format!(
                    "expected text in <{}>, found child elements",
                    self.start.name
                ),
                self.start.offset,
            )),
        }
    }

    /// The element's children; none for a leaf.
    fn children(self, content: &Content<'a>) -> Children<'r, 'a> {
        Children {
            events: self.events,
            depth: self.depth,
            key: None,
            started: false,
            done: matches!(content, Content::Text(_)),
        }
    }

    /// The element's text as a number, for serde's number methods.
    fn number<N: std::str::FromStr>(mut self) -> Result<N, XmlError> {
        let text = self.text()?;
        text.parse().map_err(|_| {
            XmlError::at(
                format!("expected a number in <{}>, found {text:?}", self.start.name),
                self.start.offset,
            )
        })
    }
}

/// Hands `text` to `visitor`, borrowed from the body when it is.
fn visit_text<'de, V: Visitor<'de>>(visitor: V, text: Cow<'de, str>) -> Result<V::Value, XmlError> {
    match text {
        Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
        Cow::Owned(text) => visitor.visit_string(text),
    }
}

impl<'de> de::Deserializer<'de> for Value<'_, 'de> {
    type Error = XmlError;

    fn deserialize_any<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        match self.content()? {
            Content::Text(text) => visit_text(visitor, text),
            content => visitor.visit_map(self.children(&content)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        match self.content()? {
            Content::Text(text) if text.is_empty() => visitor.visit_none(),
            content => {
                self.content = Some(content);
                visitor.visit_some(self)
            }
        }
    }

    fn deserialize_map<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        match self.content()? {
            Content::Text(text) if !text.is_empty() => Err(XmlError::at(
                format!(
                    "expected child elements in <{}>, found text {text:?}",
                    self.start.name
                ),
                self.start.offset,
            )),
            content => visitor.visit_map(self.children(&content)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        let content = self.content()?;
        visitor.visit_seq(self.children(&content))
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

    fn deserialize_str<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        visit_text(visitor, self.text()?)
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
        self.deserialize_ignored_any(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        self.deserialize_ignored_any(visitor)
    }

    /// Skips the element and everything in it, keeping nothing.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, XmlError> {
        self.events.close(self.depth)?;
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
        mut self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, XmlError> {
        visitor.visit_enum(self.text()?.into_deserializer())
    }

    fn deserialize_bool<V: Visitor<'de>>(mut self, visitor: V) -> Result<V::Value, XmlError> {
        match self.text()?.as_ref() {
            "true" | "1" => visitor.visit_bool(true),
            "false" | "0" => visitor.visit_bool(false),
            other => Err(XmlError::at(
                format!(
                    "expected true or false in <{}>, found {other:?}",
                    self.start.name
                ),
                self.start.offset,
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

/// The children of an element, as map entries (name, element) or as
/// sequence items, read as they are asked for.
struct Children<'r, 'a> {
    events: &'r mut Events<'a>,
    /// The depth of the parent element.
    depth: usize,
    /// The child handed out as a map key, whose value is read next.
    key: Option<Start<'a>>,
    /// Whether a child has been handed out: whatever of it the model did
    /// not read is skipped before the next child is looked for.
    started: bool,
    /// Whether the parent's end tag has been read.
    done: bool,
}

impl<'a> Children<'_, 'a> {
    /// The next child's start tag, or `None` once the parent has ended.
    fn next_child(&mut self) -> Result<Option<Start<'a>>, XmlError> {
        if self.done {
            return Ok(None);
        }
        // Checked here rather than in `close`, to save a call for every
        // child when, as almost always, the last one was read to its end.
        if self.started && self.events.open.len() > self.depth {
            self.events.close(self.depth + 1)?;
        }
        loop {
            match self.events.next()? {
                Token::Start(child) => {
                    self.started = true;
                    return Ok(Some(child));
                }
                // Text beside child elements is not content.
                Token::Text(_) | Token::Char(_) => {}
                Token::End | Token::Eof => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }
}

impl<'de> de::MapAccess<'de> for Children<'_, 'de> {
    type Error = XmlError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, XmlError> {
        let Some(child) = self.next_child()? else {
            return Ok(None);
        };
        self.key = Some(child);
        let name: BorrowedStrDeserializer<'de, XmlError> = BorrowedStrDeserializer::new(child.name);
        seed.deserialize(name).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, XmlError> {
        let child = self
            .key
            .take()
            .ok_or_else(|| <XmlError as de::Error>::custom("a value asked for before its key"))?;
        seed.deserialize(Value::new(self.events, child))
            .map_err(|e| e.or_at(child.offset))
    }
}

impl<'de> de::SeqAccess<'de> for Children<'_, 'de> {
    type Error = XmlError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, XmlError> {
        match self.next_child()? {
            Some(child) => seed
                .deserialize(Value::new(self.events, child))
                .map(Some)
                .map_err(|e| e.or_at(child.offset)),
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::Deserialize;
    use serde::de::{IgnoredAny, MapAccess};

    use super::*;

    /// The names of an element's children, in order, values skipped.
    #[derive(Debug, PartialEq)]
    struct Names(Vec<String>);

    impl<'de> Deserialize<'de> for Names {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct NamesVisitor;
            impl<'de> Visitor<'de> for NamesVisitor {
                type Value = Names;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("child elements")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Names, A::Error> {
                    let mut names = Vec::new();
                    while let Some(name) = map.next_key::<String>()? {
                        map.next_value::<IgnoredAny>()?;
                        names.push(name);
                    }
                    Ok(Names(names))
                }
            }
            d.deserialize_map(NamesVisitor)
        }
    }

    #[test]
    fn cdata_entities_and_text_join_into_one_value() {
        let map: HashMap<String, String> =
            from_str("<a><b>AT&amp;T <![CDATA[<x>]]> &#65;</b></a>").unwrap();
        assert_eq!(map["b"], "AT&T <x> A");
    }

    #[test]
    fn whitespace_inside_joined_text_is_kept() {
        let map: HashMap<String, String> =
            from_str("<a>\n <b> Tom &amp; Jerry </b>\n <c>x<!-- note --> y<?pi?> z</c>\n</a>")
                .unwrap();
        assert_eq!(
            (map["b"].as_str(), map["c"].as_str()),
            ("Tom & Jerry", "x y z")
        );
    }

    #[test]
    fn text_that_needs_no_joining_is_borrowed_from_the_body() {
        #[derive(Deserialize)]
        struct Row<'a> {
            #[serde(borrow)]
            b: Cow<'a, str>,
        }
        let row: Row<'_> = from_str("<a>\n <b> 1.2.3.4 </b>\n</a>").unwrap();
        assert!(matches!(row.b, Cow::Borrowed("1.2.3.4")), "{:?}", row.b);
    }

    #[test]
    fn indentation_is_not_text_and_empty_elements_are_no_value() {
        #[derive(Deserialize)]
        struct Row {
            b: String,
            c: Option<String>,
            d: Option<String>,
        }
        let row: Row = from_str("<a>\n  <b>1</b>\n  <c/>\n  <d>\n  </d>\n</a>").unwrap();
        assert_eq!((row.b.as_str(), row.c, row.d), ("1", None, None));
    }

    #[test]
    fn children_skip_their_siblings_descendants() {
        let names: Names = from_str("<a><b><c>1</c><c/></b><d>2</d><e/></a>").unwrap();
        assert_eq!(names.0, ["b", "d", "e"]);
        #[derive(Deserialize)]
        struct Outer {
            b: Vec<Option<u64>>,
            d: u64,
        }
        let outer: Outer =
            from_str("<a><b><c>1</c><c/></b><x><y><z/></y></x><d>2</d></a>").unwrap();
        assert_eq!((outer.b, outer.d), (vec![Some(1), None], 2));
    }

    #[test]
    fn truncated_answer_names_the_open_element() {
        let err = from_str::<IgnoredAny>("<a><b>1</b><c>").unwrap_err();
        assert!(err.message().contains("<c>"), "{}", err.message());
        // Also when the model has what it wants before the cut.
        let err = from_str::<HashMap<String, String>>("<a><b>1</b><c>2</c><d>").unwrap_err();
        assert!(err.message().contains("cut short"), "{}", err.message());
    }

    #[test]
    fn errors_in_the_xml_come_before_errors_in_values() {
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Row {
            n: u64,
        }
        let err = from_str::<Row>("<a><n>many</n><b>&bogus;</b></a>").unwrap_err();
        assert!(err.message().contains("&bogus;"), "{}", err.message());
        let err = from_str::<Row>("<a>\n  <n>many</n></a>").unwrap_err();
        assert!(err.message().contains("many"), "{}", err.message());
        assert_eq!(err.offset(), Some(6));
    }

    /// The first child's text, the rest of the element left unread.
    #[derive(Debug)]
    struct First(String);

    impl<'de> Deserialize<'de> for First {
        fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct FirstVisitor;
            impl<'de> Visitor<'de> for FirstVisitor {
                type Value = First;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("child elements")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<First, A::Error> {
                    map.next_key::<IgnoredAny>()?;
                    Ok(First(map.next_value()?))
                }
            }
            d.deserialize_map(FirstVisitor)
        }
    }

    #[test]
    fn what_a_model_leaves_unread_is_still_checked() {
        #[derive(Deserialize)]
        struct Outer {
            b: First,
            d: String,
        }
        let outer: Outer = from_str("<a><b><c>1</c><c><x/>2</c></b><d>3</d></a>").unwrap();
        assert_eq!((outer.b.0.as_str(), outer.d.as_str()), ("1", "3"));
        let first: First = from_str("<a><b>1</b><c><d/></c></a>").unwrap();
        assert_eq!(first.0, "1");
        let err = from_str::<First>("<a><b>1</b><c>").unwrap_err();
        assert!(err.message().contains("cut short"), "{}", err.message());
        let err = from_str::<First>("<a><b>1</b></a><a/>").unwrap_err();
        assert!(err.message().contains("second root"), "{}", err.message());
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let body = "<a>".repeat(100_000);
        let err = from_str::<IgnoredAny>(&body).unwrap_err();
        assert!(err.message().contains("nested"), "{}", err.message());
        let err = from_str::<serde_json::Value>(&body).unwrap_err();
        assert!(err.message().contains("nested"), "{}", err.message());
    }

    #[test]
    fn text_outside_elements_is_refused() {
        assert!(from_str::<IgnoredAny>("Try again after 300 seconds").is_err());
        assert!(from_str::<IgnoredAny>("").is_err());
        assert!(from_str::<IgnoredAny>("<a/><b/>").is_err());
        assert!(from_str::<IgnoredAny>("<a/>x").is_err());
        assert!(from_str::<IgnoredAny>("<?xml version=\"1.0\"?>\n<a/>\n<!-- end -->\n").is_ok());
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_positions_still_match() {
        let map: HashMap<String, u64> = from_str("\u{feff}<a><b>1</b></a>").unwrap();
        assert_eq!(map["b"], 1);
        let err = from_str::<IgnoredAny>("\u{feff}<f>u").unwrap_err();
        assert!(err.message().contains("<f>"), "{}", err.message());
        let err = from_str::<HashMap<String, u64>>("\u{feff}<a><b>x</b></a>").unwrap_err();
        assert_eq!(err.offset(), Some(6));
    }

    #[test]
    fn the_root_name_and_text_are_read_for_refusals() {
        let (name, text) = root_text("<error> Too many requests </error>").unwrap();
        assert_eq!((name, text.as_str()), ("error", "Too many requests"));
        let (name, text) = root_text("<ip><number>1</number></ip>").unwrap();
        assert_eq!((name, text.as_str()), ("ip", ""));
    }
}
