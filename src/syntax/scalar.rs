//! Typing of plain scalars by the YAML 1.2 core schema.
//!
//! Only plain (unquoted) scalars are typed; `'3'` is text. Dates and addresses such as
//! `2027-06-30` and `8.8.8.8` are text in the core schema, and the model reads them so.

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScalarValue {
    Null,
    Bool(bool),
    Int(i64),
    Float,
    Str,
}

impl ScalarValue {
    /// True when a plain scalar's text is null: [`ScalarValue::resolve`]'s first case,
    /// without typing the rest (text is read far more often than it is typed).
    pub fn is_null(text: &str) -> bool {
        matches!(text, "" | "~" | "null" | "Null" | "NULL")
    }

    pub fn resolve(text: &str) -> ScalarValue {
        match text {
            "" | "~" | "null" | "Null" | "NULL" => return ScalarValue::Null,
            "true" | "True" | "TRUE" => return ScalarValue::Bool(true),
            "false" | "False" | "FALSE" => return ScalarValue::Bool(false),
            ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf"
            | "-.INF" | ".nan" | ".NaN" | ".NAN" => return ScalarValue::Float,
            _ => {}
        }
        if let Some(int) = parse_int(text) {
            return ScalarValue::Int(int);
        }
        if is_float(text) {
            return ScalarValue::Float;
        }
        ScalarValue::Str
    }
}

fn parse_int(text: &str) -> Option<i64> {
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = text.strip_prefix(['-', '+']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`
fn is_float(text: &str) -> bool {
    let s = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => {
            (int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
                && (!int.is_empty() || !frac.is_empty())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::ScalarValue::{self, *};

    #[test]
    fn core_schema() {
        for (text, value) in [
            ("", Null),
            ("~", Null),
            ("true", Bool(true)),
            ("False", Bool(false)),
            ("443", Int(443)),
            ("-3", Int(-3)),
            ("0x1F", Int(31)),
            ("1.5", Float),
            ("1e3", Float),
            (".inf", Float),
            ("8.8.8.8", Str),
            ("2027-06-30", Str),
            ("yes", Str),
            ("web-01", Str),
            ("1.", Float),
            (".", Str),
        ] {
            assert_eq!(ScalarValue::resolve(text), value, "{text:?}");
        }
    }
}
