//! `glossary`: the Internet Storm Center's glossary.

use serde::{Deserialize, Serialize};

use crate::decode::field;
use crate::{Endpoint, Error, List, Row};

/// Glossary terms and their definitions. Path: `glossary[/{term}]`.
///
/// python-dshield: `glossary(term)`. The term is free text (a whole or
/// partial word); it is percent-encoded as one path segment, so `/`, `?`,
/// `..` and the like cannot change the request.
///
/// ```
/// use dshield::{Endpoint, endpoints::Glossary};
///
/// assert_eq!(Glossary::all().path(), "glossary");
/// assert_eq!(Glossary::term("test")?.path(), "glossary/test");
/// assert_eq!(Glossary::term("a/b?c")?.path(), "glossary/a%2Fb%3Fc");
/// # Ok::<(), dshield::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Glossary {
    term: Option<String>,
}

/// Longest search term accepted; the service's terms are single words.
const MAX_TERM_LEN: usize = 200;

impl Glossary {
    /// Every term.
    pub fn all() -> Self {
        Glossary::default()
    }

    /// Terms matching `term`: not empty, at most 200 bytes.
    pub fn term(term: impl Into<String>) -> Result<Self, Error> {
        let term = term.into();
        if term.trim().is_empty() {
            return Err(Error::invalid(
                "glossary",
                "term",
                term,
                "expected a word; use Glossary::all() for every term",
            ));
        }
        // Even percent-encoded, `%2E%2E` is `..` to URL normalisers (RFC 3986
        // treats `%2E` as `.`), and a proxy that normalises would send such a
        // request to the API root. No glossary term is only dots.
        if term.trim().bytes().all(|b| b == b'.') {
            return Err(Error::invalid(
                "glossary",
                "term",
                term,
                "expected a word, not only dots",
            ));
        }
        if term.len() > MAX_TERM_LEN {
            return Err(Error::invalid(
                "glossary",
                "term",
                format!("{}…", term.chars().take(20).collect::<String>()),
                format!("expected at most {MAX_TERM_LEN} bytes"),
            ));
        }
        Ok(Glossary { term: Some(term) })
    }
}

impl Endpoint for Glossary {
    type Response = List<GlossaryTerm>;

    fn name(&self) -> &'static str {
        "glossary"
    }

    fn segments(&self) -> Vec<String> {
        let mut segments = vec!["glossary".to_owned()];
        segments.extend(self.term.clone());
        segments
    }
}

/// One entry of a [`Glossary`] answer.
//
// TODO: no real answer of this endpoint has been seen; only the row element
// name (`item`) is known. Confirm the field names with a live capture.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[non_exhaustive]
pub struct GlossaryTerm {
    /// The term.
    #[serde(default, deserialize_with = "field::opt")]
    pub term: Option<String>,
    /// Its definition (may contain HTML markup).
    #[serde(default, deserialize_with = "field::opt")]
    pub definition: Option<String>,
}

impl Row for GlossaryTerm {
    const XML_NAMES: &'static [&'static str] = &["item"];
}
