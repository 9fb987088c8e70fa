//! A small table formatter: aligned columns that fit a terminal width, long
//! text cut with `…`.
//!
//! Widths are counted in characters, which is the terminal width for the
//! service's ASCII answers; wide characters (CJK) would count once.

use std::fmt::Display;

/// What a missing value looks like.
pub const MISSING: &str = "-";

/// How a column's cells sit in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Text: flush left; cut first when the table is too wide.
    Text,
    /// Numbers, dates, addresses: flush right if numeric, never cut unless
    /// cutting the text columns is not enough.
    Number,
    /// Dates, addresses, names that should stay whole: flush left, cut
    /// only as a last resort.
    Value,
}

/// One column: its header and alignment.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    name: &'static str,
    align: Align,
}

/// A text column.
pub fn text(name: &'static str) -> Column {
    Column {
        name,
        align: Align::Text,
    }
}

/// A numeric column.
pub fn number(name: &'static str) -> Column {
    Column {
        name,
        align: Align::Number,
    }
}

/// A column of dates, addresses or short names.
pub fn value(name: &'static str) -> Column {
    Column {
        name,
        align: Align::Value,
    }
}

/// A cell from a value that may be missing.
pub fn opt<T: Display>(value: Option<T>) -> String {
    value.map_or_else(|| MISSING.to_owned(), |v| v.to_string())
}

/// A table: an optional title line, a header unless it is a list of
/// fields, and rows.
#[derive(Debug, Clone)]
pub struct Table {
    title: Option<String>,
    columns: Vec<Column>,
    header: bool,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with a header line.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            title: None,
            columns,
            header: true,
            rows: Vec::new(),
        }
    }

    /// Field names and their values, one per line, without a header.
    pub fn fields(fields: Vec<(&str, String)>) -> Table {
        Table {
            title: None,
            columns: vec![value("field"), text("value")],
            header: false,
            rows: fields
                .into_iter()
                .map(|(name, value)| vec![name.to_owned(), value])
                .collect(),
        }
    }

    /// Puts a line above the table.
    pub fn titled(mut self, title: impl Into<String>) -> Table {
        self.title = Some(title.into());
        self
    }

    /// Adds a row; missing cells are shown as missing, extra ones dropped.
    pub fn push(&mut self, mut row: Vec<String>) {
        row.resize(self.columns.len(), MISSING.to_owned());
        self.rows.push(row);
    }

    /// The table as lines of at most `width` characters, each ending in a
    /// newline.
    pub fn render(&self, width: usize) -> String {
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| row.iter().map(|cell| printable(cell)).collect())
            .collect();
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .map(|c| if self.header { chars(c.name) } else { 0 })
            .collect();
        for row in &rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(chars(cell).max(1));
            }
        }
        fit(&mut widths, &self.columns, width);

        let mut out = String::new();
        if let Some(title) = &self.title {
            out.push_str(&clip(&printable(title), width));
            out.push('\n');
        }
        if self.header {
            let names: Vec<String> = self.columns.iter().map(|c| c.name.to_owned()).collect();
            out.push_str(&self.line(&names, &widths, width));
            let rules: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&self.line(&rules, &widths, width));
        }
        if rows.is_empty() {
            out.push_str("(no rows)\n");
        }
        for row in &rows {
            out.push_str(&self.line(row, &widths, width));
        }
        out
    }

    /// One line; cut at `width` in case even one-character columns do not
    /// fit.
    fn line(&self, cells: &[String], widths: &[usize], width: usize) -> String {
        let mut line = String::new();
        for (i, ((cell, column), width)) in cells.iter().zip(&self.columns).zip(widths).enumerate()
        {
            if i > 0 {
                line.push_str(GAP);
            }
            let cell = clip(cell, *width);
            if column.align == Align::Number {
                line.push_str(&format!("{cell:>width$}"));
            } else {
                line.push_str(&format!("{cell:<width$}"));
            }
        }
        let mut line = clip(line.trim_end(), width);
        line.push('\n');
        line
    }
}

/// Renders tables one after the other, a blank line between them.
pub fn render_all(tables: &[Table], width: usize) -> String {
    tables
        .iter()
        .map(|t| t.render(width))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Space between columns.
const GAP: &str = "  ";

/// Narrowest a text column is cut to before other columns are cut.
const MIN_TEXT: usize = 8;

/// Narrows columns until the table fits `width`: the widest text column
/// first, down to [`MIN_TEXT`]; then the widest of any column, down to one
/// character.
fn fit(widths: &mut [usize], columns: &[Column], width: usize) {
    let gaps = GAP.len() * widths.len().saturating_sub(1);
    while widths.iter().sum::<usize>() + gaps > width {
        let widest = |text_only: bool, floor: usize| {
            widths
                .iter()
                .zip(columns)
                .enumerate()
                .filter(|(_, (w, c))| **w > floor && (!text_only || c.align == Align::Text))
                .max_by_key(|(i, (w, _))| (**w, std::cmp::Reverse(*i)))
                .map(|(i, _)| i)
        };
        let Some(i) = widest(true, MIN_TEXT).or_else(|| widest(false, 1)) else {
            return;
        };
        if let Some(w) = widths.get_mut(i) {
            *w -= 1;
        }
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// `text` in at most `width` characters, ending in `…` when cut.
pub fn clip(text: &str, width: usize) -> String {
    if chars(text) <= width {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(width.saturating_sub(1)).collect();
    if width > 0 {
        out.push('…');
    }
    out
}

/// Control characters (newlines, tabs) would break the columns; an empty
/// cell is a missing value.
fn printable(text: &str) -> String {
    let text: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.trim().is_empty() {
        MISSING.to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_to_the_width_with_an_ellipsis() {
        let mut table = Table::new(vec![number("n"), text("definition")]);
        table.push(vec!["1".to_owned(), "x".repeat(200)]);
        table.push(vec!["22".to_owned(), "short".to_owned()]);
        let out = table.render(40);
        for line in out.lines() {
            assert!(line.chars().count() <= 40, "{line:?}");
        }
        assert!(out.contains('…'));
        assert!(out.contains("22  short"), "{out}");
    }

    #[test]
    fn numbers_are_right_aligned_and_missing_values_are_dashes() {
        let mut table = Table::new(vec![number("count"), value("date")]);
        table.push(vec!["5".to_owned(), opt(None::<u32>)]);
        table.push(vec!["12345".to_owned(), String::new()]);
        assert_eq!(
            table.render(80),
            "count  date\n-----  ----\n    5  -\n12345  -\n"
        );
    }

    #[test]
    fn too_many_columns_still_fit() {
        let columns = (0..30).map(|_| value("column")).collect();
        let mut table = Table::new(columns);
        table.push((0..30).map(|i| format!("value {i}")).collect());
        for line in table.render(80).lines() {
            assert!(line.chars().count() <= 80, "{line:?}");
        }
    }
}
