//! Reading what people give the importers as text: where in a file a problem is (lines and
//! columns, bytes that are not UTF-8), and which copy of an id given twice is kept. Shared by
//! the ORUK JSON, HSDS CSV and postcode imports.

use super::Reported;

/// Which of two records given with one id an import keeps, in ORUK JSON and HSDS CSV alike:
/// whether `a` (met later, with its `last_modified` and its size) replaces `b` (met first).
/// The newest `last_modified` wins, then the fuller record; when both say the same, the first
/// given stays.
pub(crate) fn preferred(a: (Option<&str>, usize), b: (Option<&str>, usize)) -> bool {
    match (a.0, b.0) {
        (Some(x), Some(y)) if x != y => x > y,
        (Some(_), None) => true,
        (None, Some(_)) => false,
        _ => a.1 > b.1,
    }
}

/// How the copy kept of a repeated id was chosen, in the words of the import's warning.
pub(crate) const KEPT_BY: &str =
    "the newest last_modified, then the fullest record, then the first given";

/// The warning for an id given more than once with different content, at the copy kept.
pub(crate) fn repeated<'a>(
    what: &str,
    id: &str,
    file: &str,
    path: &str,
    others: impl Iterator<Item = &'a String>,
    times: usize,
) -> Reported {
    Reported {
        file: file.to_string(),
        path: path.to_string(),
        message: {
            let others: Vec<&String> = others.collect();
            let mut listed = others
                .iter()
                .take(3)
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            if others.len() > 3 {
                listed += &format!(" and {} more", others.len() - 3);
            }
            format!(
                "{what} {id} is given {times} times with different content (also at {listed}); kept this one: {KEPT_BY}"
            )
        },
    }
}

/// Bytes that are not UTF-8 text: where the first such byte is (the line and column of what
/// comes before it, `valid` being the text up to it), for a person to find it.
pub(crate) fn not_text(file: &str, valid: &[u8]) -> Reported {
    let text = String::from_utf8_lossy(valid);
    let line = text.matches('\n').count() + 1;
    let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Reported {
        file: file.to_string(),
        path: format!("line {line}, column {column}"),
        message: NOT_TEXT.into(),
    }
}

/// What is said of a file holding bytes that are not UTF-8 text.
pub(crate) const NOT_TEXT: &str =
    "is not UTF-8 text from here on: save the file as UTF-8 (Unicode) and import it again";

/// Where the lines of a file end, to tell the line of a record as people count lines (the
/// first is 1; a line ends at a newline, whatever carriage returns come before it).
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    newlines: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub(crate) fn of(bytes: &'a [u8]) -> Lines<'a> {
        let newlines = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        Lines { bytes, newlines }
    }

    /// The line of the record the CSV reader places at `offset` (which may be just before
    /// the end of the line before it, where the reader stopped).
    pub(crate) fn at(&self, offset: u64) -> u64 {
        let mut at = usize::try_from(offset).unwrap_or(usize::MAX);
        while self
            .bytes
            .get(at)
            .is_some_and(|b| *b == b'\r' || *b == b'\n')
        {
            at += 1;
        }
        self.newlines.partition_point(|&newline| newline < at) as u64 + 1
    }
}

/// A CSV reader's error as a person reads it: the file and line, and bytes that are not UTF-8
/// text said as such.
pub(crate) fn csv_problem(file: &str, e: &csv::Error, lines: &Lines) -> Reported {
    let line = e.position().map(|p| lines.at(p.byte()));
    match e.kind() {
        csv::ErrorKind::Utf8 { pos, err } => Reported {
            file: file.to_string(),
            path: format!(
                "line {}, field {}",
                pos.as_ref()
                    .map(|p| lines.at(p.byte()))
                    .or(line)
                    .unwrap_or(1),
                err.field() + 1
            ),
            message: NOT_TEXT.into(),
        },
        _ => Reported {
            file: file.to_string(),
            path: line.map_or_else(|| "the whole file".into(), |l| format!("line {l}")),
            message: format!("cannot be read: {e}"),
        },
    }
}
