//! What serde's derive knows about a type (its field or variant names),
//! asked of the derive itself, so key and value lists are never written twice.

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// A deserializer that records the names the derive announces, then stops.
#[derive(Default)]
struct Probe {
    names: std::cell::Cell<&'static [&'static str]>,
}

impl<'de> Deserializer<'de> for &Probe {
    type Error = de::value::Error;
    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("probe"))
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.names.set(fields);
        Err(de::Error::custom("probe"))
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _: &'static str,
        variants: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        self.names.set(variants);
        Err(de::Error::custom("probe"))
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map identifier ignored_any
    }
}

fn names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let probe = Probe::default();
    let _ = T::deserialize(&probe);
    probe.names.get()
}

/// The keys of a struct, as serde's derive names them.
pub fn struct_fields<T: for<'a> Deserialize<'a>>() -> &'static [&'static str] {
    names::<T>()
}

/// The values of a unit enum, as serde's derive names them.
pub fn enum_variants<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    names::<T>()
}
