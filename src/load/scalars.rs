//! How serde-saphyr 2.2 resolves an untagged plain scalar that is not null
//! (its `deserialize_any` with clinsafe's options: YAML 1.1 booleans, no legacy
//! octal, non-finite floats passed through). Its functions are private to it,
//! so [`super::event_tree`] follows them here, step for step; the tests compare
//! the two on every spelling that matters.

/// `true`/`yes`/`y`/`on` and `false`/`no`/`n`/`off`, in any case.
pub(super) fn yaml11_bool(s: &str) -> Option<bool> {
    let t = trim(s);
    if t.len() > 5 {
        return None;
    }
    let is = |w: &str| t.eq_ignore_ascii_case(w);
    if is("true") || is("yes") || is("y") || is("on") {
        Some(true)
    } else if is("false") || is("no") || is("n") || is("off") {
        Some(false)
    } else {
        None
    }
}

pub(super) enum Number {
    Int(i64),
    Float(f64),
}

/// A whole number (decimal, `0x`, `0o`, `0b`, `_` between digits; above
/// `i64` it is a float), else a YAML 1.2 float (`.inf`, `.nan`, overflow to
/// infinity), else `None`: text.
pub(super) fn number(s: &str) -> Option<Number> {
    let t = trim(s);
    // Only digits, a sign or a point start a number (Rust's float parser also
    // takes `inf` and `nan`, which serde-saphyr then refuses as not finite).
    if !t.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) {
        return None;
    }
    let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
    if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]) || is_signed_nan(t) {
        return None;
    }
    if let Some(rest) = t.strip_prefix('-') {
        if !leading_zero_decimal(t) {
            if let Some(v) =
                integer(rest).and_then(|m| i128::try_from(m).ok()).and_then(|m| i64::try_from(-m).ok())
            {
                return Some(Number::Int(v));
            }
        }
    } else if let Some(v) = integer(t.strip_prefix('+').unwrap_or(t)) {
        return Some(match u64::try_from(v) {
            Ok(v) => i64::try_from(v).map_or(Number::Float(v as f64), Number::Int),
            Err(_) => return float(t).map(Number::Float),
        });
    }
    float(t).map(Number::Float)
}

fn trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn is_signed_nan(t: &str) -> bool {
    t.strip_prefix(['+', '-']).is_some_and(|u| matches!(u, ".nan" | ".NaN" | ".NAN"))
}

fn leading_zero_decimal(t: &str) -> bool {
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    digits.len() > 1 && digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit())
}

/// An unsigned magnitude: `0x`/`0o`/`0b` digits, or decimal without a leading
/// zero; `_` only between digits. `None` past `u128` (as serde-saphyr).
fn integer(rest: &str) -> Option<u128> {
    let (radix, digits) = if let Some(d) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        (16, d)
    } else if let Some(d) = rest.strip_prefix("0o").or_else(|| rest.strip_prefix("0O")) {
        (8, d)
    } else if let Some(d) = rest.strip_prefix("0b").or_else(|| rest.strip_prefix("0B")) {
        (2, d)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    let bytes = digits.as_bytes();
    let (mut value, mut saw) = (0u128, false);
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if i == 0 || bytes[i - 1] == b'_' || i + 1 == bytes.len() || bytes[i + 1] == b'_' {
                return None;
            }
            continue;
        }
        let d = (b as char).to_digit(radix)?;
        value = value.checked_mul(u128::from(radix))?.checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(value)
}

/// A YAML 1.2 float: `.inf`/`.nan` (any of three cases, signed infinity), a
/// finite Rust float, or a literal too large for `f64` (infinite).
fn float(t: &str) -> Option<f64> {
    let (negative, unsigned) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => return Some(if negative { f64::NEG_INFINITY } else { f64::INFINITY }),
        _ => {}
    }
    let v = t.parse::<f64>().ok()?;
    if v.is_finite() || unsigned.starts_with(|c: char| c.is_ascii_digit()) {
        Some(v)
    } else {
        None
    }
}
