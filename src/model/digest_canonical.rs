//! Canonical JSON written straight from `Serialize`: the text
//! `serde_json::to_value` followed by writing that tree with every object's
//! keys sorted would give, without the tree. Building the tree cost a few
//! hundred small allocations per item (every key and string copied, every
//! map a node); here only each object's fields are held, as text, until its
//! keys can be put in order. Scalars are written by serde_json itself, so
//! strings and numbers come out exactly as it writes them.

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;

use serde::ser::{self, Serialize};
use serde_json::Error;

/// Appends `value`'s canonical JSON to `out`.
pub fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(Canonical { out, top: None })
}

/// What goes in place of a top-level field's own text: (its key, what writes it).
pub type Splice<'s> = (&'static str, &'s mut dyn FnMut(&mut dyn Write) -> Result<(), Error>);

/// `value`'s canonical JSON into `out`. With `splice`, the top-level object's
/// field `splice.0` is not serialized but written by `splice.1` in its place
/// (a metric's observations, one by one: never held whole). Nothing is
/// written when serializing fails.
pub fn write_to<T: Serialize + ?Sized>(
    out: &mut dyn Write,
    value: &T,
    splice: Option<Splice>,
) -> Result<(), Error> {
    let (skip, mut splice_writer) = match splice {
        Some((key, writer)) => (Some(key), Some(writer)),
        None => (None, None),
    };
    let mut text = Vec::new();
    let mut object = None;
    value.serialize(Canonical { out: &mut text, top: Some(Top { object: &mut object, skip }) })?;
    // A top-level object comes back with its fields unordered, to be written here.
    let Some(Object { text, fields, .. }) = object else {
        return out.write_all(&text).map_err(Error::io);
    };
    write_fields(out, &text, fields, |out, key, value| match (skip == Some(key), splice_writer.as_mut()) {
        (true, Some(writer)) => writer(out),
        _ => out.write_all(value).map_err(Error::io),
    })
}

/// The serializer: appends to `out`.
struct Canonical<'a> {
    out: &'a mut Vec<u8>,
    /// Given for the top level only: see [`Top`].
    top: Option<Top<'a>>,
}

/// Where a top-level object is handed back unwritten (its fields' texts
/// already canonical), and the field of it not to serialize.
struct Top<'a> {
    object: &'a mut Option<Object>,
    skip: Option<&'static str>,
}

/// An object being written: its fields' canonical texts, one after another in
/// `text`, and each field's key and range there.
struct Object {
    text: Vec<u8>,
    fields: Vec<(Cow<'static, str>, Range<usize>)>,
    /// A map key waiting for its value.
    key: Option<String>,
}

impl Object {
    fn field<T: Serialize + ?Sized>(&mut self, key: Cow<'static, str>, value: &T) -> Result<(), Error> {
        let start = self.text.len();
        write(&mut self.text, value)?;
        self.fields.push((key, start..self.text.len()));
        Ok(())
    }
}

/// Writes `{"key":value,...}` with keys in byte order; where a key comes twice
/// (a flattened field meeting another), the later value, as a JSON map keeps it.
fn write_fields(
    out: &mut dyn Write,
    text: &[u8],
    mut fields: Vec<(Cow<'static, str>, Range<usize>)>,
    mut value: impl FnMut(&mut dyn Write, &str, &[u8]) -> Result<(), Error>,
) -> Result<(), Error> {
    fields.sort_by(|a, b| a.0.cmp(&b.0));
    out.write_all(b"{").map_err(Error::io)?;
    let mut first = true;
    for (i, (key, range)) in fields.iter().enumerate() {
        if fields.get(i + 1).is_some_and(|next| next.0 == *key) {
            continue;
        }
        if !std::mem::take(&mut first) {
            out.write_all(b",").map_err(Error::io)?;
        }
        serde_json::to_writer(&mut *out, key.as_ref())?;
        out.write_all(b":").map_err(Error::io)?;
        value(out, key, &text[range.clone()])?;
    }
    out.write_all(b"}").map_err(Error::io)
}

/// An object being written into `out`, maybe as the single field of an enum variant.
pub struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    object: Object,
    variant: Option<&'static str>,
    top: Option<Top<'a>>,
}

impl ObjectWriter<'_> {
    fn struct_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
        match self.top.as_ref().is_some_and(|top| top.skip == Some(key)) {
            true => self.object.fields.push((Cow::Borrowed(key), 0..0)),
            false => self.object.field(Cow::Borrowed(key), value)?,
        }
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        match (self.top, self.variant) {
            (Some(top), None) => {
                *top.object = Some(self.object);
                Ok(())
            }
            _ => {
                let Object { text, fields, .. } = self.object;
                open_variant(self.out, self.variant)?;
                write_fields(self.out, &text, fields, |out, _, value| {
                    out.write_all(value).map_err(Error::io)
                })?;
                close_variant(self.out, self.variant)
            }
        }
    }
}

/// A list being written into `out`, maybe as the single field of an enum variant.
pub struct ArrayWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    variant: Option<&'static str>,
}

impl ArrayWriter<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        if !std::mem::take(&mut self.first) {
            self.out.push(b',');
        }
        write(self.out, value)
    }

    fn end(self) -> Result<(), Error> {
        self.out.push(b']');
        close_variant(self.out, self.variant)
    }
}

/// `{"Variant":` before an enum variant's value (serde_json's external tagging).
fn open_variant(out: &mut Vec<u8>, variant: Option<&'static str>) -> Result<(), Error> {
    if let Some(name) = variant {
        out.push(b'{');
        serde_json::to_writer(&mut *out, name)?;
        out.push(b':');
    }
    Ok(())
}

fn close_variant(out: &mut Vec<u8>, variant: Option<&'static str>) -> Result<(), Error> {
    if variant.is_some() {
        out.push(b'}');
    }
    Ok(())
}

impl<'a> Canonical<'a> {
    fn scalar<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        serde_json::to_writer(self.out, value)
    }

    fn array(self, variant: Option<&'static str>) -> Result<ArrayWriter<'a>, Error> {
        open_variant(self.out, variant)?;
        self.out.push(b'[');
        Ok(ArrayWriter { out: self.out, first: true, variant })
    }

    fn object(self, variant: Option<&'static str>) -> ObjectWriter<'a> {
        let object = Object { text: Vec::new(), fields: Vec::new(), key: None };
        ObjectWriter { out: self.out, object, variant, top: self.top }
    }
}

impl<'a> ser::Serializer for Canonical<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ArrayWriter<'a>;
    type SerializeTuple = ArrayWriter<'a>;
    type SerializeTupleStruct = ArrayWriter<'a>;
    type SerializeTupleVariant = ArrayWriter<'a>;
    type SerializeMap = ObjectWriter<'a>;
    type SerializeStruct = ObjectWriter<'a>;
    type SerializeStructVariant = ObjectWriter<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        // As a JSON value holds it: a 64-bit number, or not at all.
        match (u64::try_from(v), i64::try_from(v)) {
            (Ok(v), _) => self.scalar(&v),
            (_, Ok(v)) => self.scalar(&v),
            _ => Err(ser::Error::custom("number out of range")),
        }
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        match u64::try_from(v) {
            Ok(v) => self.scalar(&v),
            Err(_) => Err(ser::Error::custom("number out of range")),
        }
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        // A JSON value holds every float as an f64, and is written as one.
        self.scalar(&f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.scalar(&v)
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.scalar(v)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        self.scalar(v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result<(), Error> {
        self.scalar(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        open_variant(self.out, Some(variant))?;
        write(self.out, value)?;
        close_variant(self.out, Some(variant))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<ArrayWriter<'a>, Error> {
        self.array(None)
    }
    fn serialize_tuple(self, _: usize) -> Result<ArrayWriter<'a>, Error> {
        self.array(None)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<ArrayWriter<'a>, Error> {
        self.array(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<ArrayWriter<'a>, Error> {
        self.array(Some(variant))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<ObjectWriter<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<ObjectWriter<'a>, Error> {
        Ok(self.object(None))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<ObjectWriter<'a>, Error> {
        Ok(self.object(Some(variant)))
    }
}

/// The four shapes serde writes a list as: each an [`ArrayWriter`].
macro_rules! list_shapes {
    ($($shape:ident :: $element:ident),*) => {$(
        impl ser::$shape for ArrayWriter<'_> {
            type Ok = ();
            type Error = Error;
            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                ArrayWriter::end(self)
            }
        }
    )*};
}

list_shapes!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for ObjectWriter<'_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // A JSON map's key is text: serde_json turns a number or a boolean key into its text.
        let key = match serde_json::to_value(KeyOf(key))? {
            serde_json::Value::Object(map) => map.into_iter().next().map(|(k, _)| k),
            _ => None,
        };
        self.object.key = Some(key.ok_or_else(|| ser::Error::custom("key must be a string"))?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.object.key.take().ok_or_else(|| ser::Error::custom("value without a key"))?;
        self.object.field(Cow::Owned(key), value)
    }
    fn end(self) -> Result<(), Error> {
        ObjectWriter::end(self)
    }
}

/// `{key: null}`: serde_json's own map-key rules, applied by serializing this.
struct KeyOf<'k, T: ?Sized>(&'k T);

impl<T: Serialize + ?Sized> Serialize for KeyOf<'_, T> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::SerializeMap;
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.0, &())?;
        map.end()
    }
}

/// The two shapes serde writes a struct as: each an [`ObjectWriter`].
macro_rules! struct_shapes {
    ($($shape:ident),*) => {$(
        impl ser::$shape for ObjectWriter<'_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Error> {
                self.struct_field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                ObjectWriter::end(self)
            }
        }
    )*};
}

struct_shapes!(SerializeStruct, SerializeStructVariant);
