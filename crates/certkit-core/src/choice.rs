//! A closed set of named values (a profile, an algorithm, a policy, a target). The command
//! line offers them as choices; the library only names and describes them.

/// A closed set of named values.
pub trait Choice: Sized + Copy + PartialEq + 'static {
    /// Every value, in the order help lists them.
    const ALL: &'static [Self];
    /// The value's name, as typed on the command line and shown in `--json`.
    fn name(self) -> &'static str;
    /// What the value means, in one line.
    fn help(self) -> &'static str;
    /// The value with this name.
    fn from_name(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.name() == s)
    }
}

/// Serialize a [`Choice`] as its name.
pub fn serialize<S: serde::Serializer, T: Choice>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(v.name())
}
