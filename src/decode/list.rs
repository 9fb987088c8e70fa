//! Lists, in every shape the service sends them.
//!
//! A list of rows arrives as
//! - a JSON array: `[{...}, {...}]`;
//! - a JSON object keyed `"0".."N"`, sometimes with metadata beside the
//!   rows: `{"0": {...}, "1": {...}, "date": "...", "limit": 25}`;
//! - an XML element with one child per row, named after the row type
//!   (`<topports><port>...</port>...</topports>`), and maybe metadata
//!   elements.
//!
//! [`visit_rows`] reads all three. Metadata goes to a [`Metadata`] sink that
//! keeps the keys it knows; everything else is skipped, so a new key on the
//! server never breaks a user.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Serialize;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// A row type of a list answer.
pub trait Row: for<'de> Deserialize<'de> {
    /// XML element names a row of this type arrives under.
    const XML_NAMES: &'static [&'static str];
}

/// Keeps the metadata keys of a list answer it knows about.
pub(crate) trait Metadata<'de> {
    /// Reads the value of `key` from `map` and returns true if the key is
    /// known; returns false, without reading, otherwise.
    fn take<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

/// For lists without metadata.
impl<'de> Metadata<'de> for () {
    fn take<A: MapAccess<'de>>(&mut self, _: &str, _: &mut A) -> Result<bool, A::Error> {
        Ok(false)
    }
}

/// A map key, borrowed from the body when it can be.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_owned())))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

fn is_index(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit())
}

struct RowsVisitor<'m, T, M> {
    meta: &'m mut M,
    _row: PhantomData<T>,
}

impl<'de, T: Row, M: Metadata<'de>> Visitor<'de> for RowsVisitor<'_, T, M> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(row) = seq.next_element()? {
            rows.push(row);
        }
        Ok(rows)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        let mut rows = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(Key(key)) = map.next_key()? {
            if is_index(&key) || T::XML_NAMES.contains(&key.as_ref()) {
                rows.push(map.next_value()?);
            } else if !self.meta.take(&key, &mut map)? {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(rows)
    }

    // An empty XML element, or an empty string where a list should be.
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(de::Unexpected::Str(v), &self))
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }

    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
}

/// Reads the rows of a list answer, handing metadata keys to `meta`.
pub(crate) fn visit_rows<'de, D, T, M>(d: D, meta: &mut M) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Row,
    M: Metadata<'de>,
{
    d.deserialize_any(RowsVisitor {
        meta,
        _row: PhantomData,
    })
}

/// The rows of a list answer that carries no metadata.
///
/// It dereferences to a slice and iterates like a `Vec`, so
/// `for row in &answer` and `answer.len()` work directly.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct List<T> {
    /// The rows, in the order the service sent them.
    pub rows: Vec<T>,
}

impl<'de, T: Row> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        visit_rows(d, &mut ()).map(|rows| List { rows })
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        &self.rows
    }
}

impl<T> IntoIterator for List<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.into_iter()
    }
}

impl<'a, T> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.rows.iter()
    }
}

impl<T: Row> crate::Decodable for List<T> {}
