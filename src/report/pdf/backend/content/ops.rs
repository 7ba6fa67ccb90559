//! A content stream written straight into bytes: the few operators a page
//! uses, numbers to a thousandth of a point, text as literal strings of raw
//! 2-byte codes. pdf-writer's `Content` writes a code byte below 32 as a
//! 4-byte octal escape (most of a page's bytes, deflated again) and formats
//! every number through ryu; here a page's content is about half the size
//! and written without either. Rare operands with escaping rules of their own
//! (an artifact's properties, /ActualText) still come from pdf-writer.

#[derive(Default)]
pub(super) struct Ops {
    buf: Vec<u8>,
}

impl Ops {
    pub fn with_capacity(bytes: usize) -> Self {
        Ops { buf: Vec::with_capacity(bytes) }
    }

    pub fn into_vec(self) -> Vec<u8> {
        self.buf
    }

    /// `op` after the operands written before it, ending the line.
    pub fn op(&mut self, op: &str) -> &mut Self {
        self.buf.extend_from_slice(op.as_bytes());
        self.buf.push(b'\n');
        self
    }

    /// Bytes already in content-stream syntax (a whole operation or operand).
    pub fn raw(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.extend_from_slice(bytes);
        self
    }

    /// A number operand: an integer where it is one, else up to three decimals.
    pub fn num(&mut self, v: f32) -> &mut Self {
        // Most are whole points or sizes: no rounding, no fraction.
        if v.fract() == 0.0 && v.abs() < 1e9 {
            self.buf.extend_from_slice(itoa::Buffer::new().format(v as i32).as_bytes());
            self.buf.push(b' ');
            return self;
        }
        // In thousandths, rounded half away from zero (`as` saturates; NaN is
        // 0): 1/1000 pt is far below what any device shows, and a colour
        // component off by 1/2000 is the same 8-bit colour.
        let scaled = f64::from(v) * 1000.0;
        let n = (scaled + 0.5f64.copysign(scaled)) as i64;
        if n < 0 {
            self.buf.push(b'-');
        }
        let n = n.unsigned_abs();
        let (whole, frac) = (n / 1000, n % 1000);
        self.buf.extend_from_slice(itoa::Buffer::new().format(whole).as_bytes());
        if frac != 0 {
            let digit = |d: u64| b'0' + d as u8;
            self.buf.extend_from_slice(&[b'.', digit(frac / 100), digit(frac / 10 % 10), digit(frac % 10)]);
            while self.buf.last() == Some(&b'0') {
                self.buf.pop();
            }
        }
        self.buf.push(b' ');
        self
    }

    pub fn nums(&mut self, vs: &[f32]) -> &mut Self {
        for &v in vs {
            self.num(v);
        }
        self
    }

    /// A literal string of raw bytes: only the delimiters and the backslash
    /// are escaped, and a carriage return, which a reader would take for a
    /// line end.
    pub fn string(&mut self, bytes: &[u8]) -> &mut Self {
        self.buf.reserve(bytes.len() + 3);
        self.buf.push(b'(');
        let mut start = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let escaped: &[u8] = match b {
                b'(' => b"\\(",
                b')' => b"\\)",
                b'\\' => b"\\\\",
                b'\r' => b"\\r",
                _ => continue,
            };
            self.buf.extend_from_slice(&bytes[start..i]);
            self.buf.extend_from_slice(escaped);
            start = i + 1;
        }
        self.buf.extend_from_slice(&bytes[start..]);
        self.buf.extend_from_slice(b") ");
        self
    }
}

#[cfg(test)]
mod tests {
    use super::Ops;

    fn written(f: impl FnOnce(&mut Ops)) -> String {
        let mut o = Ops::default();
        f(&mut o);
        String::from_utf8_lossy(&o.into_vec()).into_owned()
    }

    #[test]
    fn numbers_are_integers_or_up_to_three_decimals() {
        let s = written(|o| {
            o.nums(&[0.0, -0.0, 1.0, -1.0, 841.89, 90.256004, 0.105882354, -0.5, -0.0004, 0.01, 0.0999, 1e9]);
        });
        assert_eq!(s, "0 0 1 -1 841.89 90.256 0.106 -0.5 0 0.01 0.1 1000000000 ");
    }

    #[test]
    fn numbers_read_back_within_half_a_thousandth() {
        for i in -20_000..20_000 {
            let v = i as f32 * 0.0137;
            let s = written(|o| {
                o.num(v);
            });
            let back: f64 = s.trim().parse().unwrap();
            assert!((back - f64::from(v)).abs() <= 0.0005 + 1e-9, "{v} written {s}");
        }
    }

    #[test]
    fn strings_escape_delimiters_backslash_and_carriage_return_only() {
        let s = written(|o| {
            o.string(b"\x00(a)\\\r\n\x01");
        });
        assert_eq!(s.as_bytes(), b"(\x00\\(a\\)\\\\\\r\n\x01) ");
    }
}
