//! Parts of the context already in tera's form. The templates read tera's
//! values, in which every struct is a hash map of 64-byte entries: converting
//! the whole context at the end held the Rust views and their copy side by side,
//! and copied every link, rating and empty list once per place it appears.
//! A [`Shared`] is converted when it is made, so its Rust view can be dropped
//! there, and it is reference-counted, so a link or a rating used in many rows
//! is held once. What the templates see is unchanged: tera passes a value it
//! meets while converting the context through as it is (`tera::Value`'s
//! `Serialize`), and any other serializer sees the plain value.

use std::collections::hash_map::{Entry, HashMap};
use std::hash::Hash;

use serde::{Serialize, Serializer};

/// A value in tera's form, shared (not copied) wherever the context holds it.
#[derive(Clone)]
pub struct Shared(tera::Value);

impl Shared {
    /// `value` in tera's form. Our views are structs, lists and maps with string
    /// keys, which always convert.
    pub fn new<T: Serialize + ?Sized>(value: &T) -> Self {
        Shared(tera::Value::from_serializable(value))
    }

    /// A list in tera's form; an empty one is the one shared empty list.
    pub fn list<T: Serialize>(items: &[T]) -> Self {
        match items.is_empty() {
            true => Shared(EMPTY.with(tera::Value::clone)),
            false => Shared::new(items),
        }
    }

    /// Each item in tera's form, each Rust view dropped as soon as it is converted.
    pub fn each<T: Serialize>(items: Vec<T>) -> Vec<Shared> {
        items.into_iter().map(|item| Shared::new(&item)).collect()
    }
}

impl Serialize for Shared {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

/// Equal views converted once: later equal ones share the first one's value.
pub struct Interner<K>(HashMap<K, Shared>);

impl<K: Hash + Eq> Interner<K> {
    pub fn new() -> Self {
        Interner(HashMap::new())
    }

    /// The value for `key`, converted from `make()` the first time.
    pub fn get_with<T: Serialize>(&mut self, key: K, make: impl FnOnce() -> T) -> Shared {
        self.0.entry(key).or_insert_with(|| Shared::new(&make())).clone()
    }

    /// `view`'s value, converted the first time an equal view comes.
    pub fn get(&mut self, view: K) -> Shared
    where
        K: Serialize,
    {
        match self.0.entry(view) {
            Entry::Occupied(e) => e.get().clone(),
            Entry::Vacant(e) => {
                let shared = Shared::new(e.key());
                e.insert(shared).clone()
            }
        }
    }
}

thread_local! {
    /// One empty list for every empty list field (most of a row's lists are empty).
    static EMPTY: tera::Value = tera::Value::from(Vec::<tera::Value>::new());
}

/// `serialize_with` for a list field: an empty list is the one shared empty list.
pub fn list<T: Serialize, S: Serializer>(items: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    if items.is_empty() {
        EMPTY.with(|empty| empty.serialize(serializer))
    } else {
        items.serialize(serializer)
    }
}
