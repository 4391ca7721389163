//! Lists as CSV: a header of labels, then one record per row, UTF-8 with a BOM (so a
//! spreadsheet opens accents right). A cell that a spreadsheet would run as a formula
//! (`=`, `+`, `-`, `@`, tab, CR first) is prefixed with `'` — exported data must not
//! become code on the reader's machine.

/// The CSV text of `header` and `rows`.
pub fn write(header: &[String], rows: &[Vec<String>]) -> Result<Vec<u8>, String> {
    let mut w = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    w.write_record(header).map_err(|e| e.to_string())?;
    for row in rows {
        w.write_record(row.iter().map(|c| defused(c).into_owned()))
            .map_err(|e| e.to_string())?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

fn defused(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if cell.parse::<f64>().is_err() => {
            format!("'{cell}").into()
        }
        _ => cell.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_numbers_are_not() {
        let out = write(
            &["A".into(), "B".into()],
            &[
                vec!["=HYPERLINK(\"x\")".into(), "-12.5".into()],
                vec!["a,b".into(), "@cmd".into()],
            ],
        )
        .unwrap();
        let text = String::from_utf8(out[3..].to_vec()).unwrap();
        assert_eq!(
            text,
            "A,B\n\"'=HYPERLINK(\"\"x\"\")\",-12.5\n\"a,b\",'@cmd\n"
        );
    }
}
