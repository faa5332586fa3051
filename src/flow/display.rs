//! Text and XML of a flow: the library's printers (`nfct_snprintf`), so a
//! flow reads exactly as `conntrack -L` (or `-o xml`, `-o extended`, ...)
//! prints it.

use std::fmt;

use super::labels::LabelMap;
use super::Flow;
use crate::client::events::EventKind;
use crate::conntrack::print::{self, Format, LabelNames, Options, OF_ID, OF_SHOW_LAYER3};
use crate::conntrack::print::{OF_TIME, OF_TIMESTAMP};
use crate::conntrack::Conntrack as Object;
use crate::ffi::print::SystemClock;

/// An output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OutputFormat {
    /// One line, as `conntrack -L` prints it.
    #[default]
    Plain,
    /// XML, as `conntrack -L -o xml` prints it (one `<flow>` element).
    Xml,
}

/// A flow with output options, ready to print with `{}`: see
/// [`Flow::display`].
#[derive(Clone, Copy)]
pub struct FlowDisplay<'a> {
    flow: &'a Flow,
    format: OutputFormat,
    msg_type: u32,
    flags: u32,
    labels: Option<&'a LabelMap>,
}

impl fmt::Debug for FlowDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FlowDisplay")
            .field("format", &self.format)
            .field("msg_type", &self.msg_type)
            .field("flags", &self.flags)
            .finish()
    }
}

impl<'a> FlowDisplay<'a> {
    /// Prefixes the layer-3 protocol (`ipv4     2 `), as `-o extended`.
    pub fn layer3(mut self) -> Self {
        self.flags |= OF_SHOW_LAYER3;
        self
    }

    /// Adds the entry's id (`id=`), as `-o id`.
    pub fn id(mut self) -> Self {
        self.flags |= OF_ID;
        self
    }

    /// Adds the kernel's start and stop times in the local time zone, as
    /// `-o ktimestamp` (with `net.netfilter.nf_conntrack_timestamp=1`).
    pub fn kernel_timestamps(mut self) -> Self {
        self.flags |= OF_TIMESTAMP;
        self
    }

    /// XML only: adds the time of printing (`<when>`), as `-E -o xml,timestamp`.
    pub fn time(mut self) -> Self {
        self.flags |= OF_TIME;
        self
    }

    /// Prints the names of the labels that `map` names (`labels=`), as
    /// `-o labels`.
    pub fn labels(mut self, map: &'a LabelMap) -> Self {
        self.labels = Some(map);
        self
    }

    /// Prints the flow as an event of `kind` (`[NEW] `, `[UPDATE] `,
    /// `[DESTROY] ` in front of a line; `type="new"` in XML), as
    /// `conntrack -E` does.
    pub fn event(mut self, kind: EventKind) -> Self {
        self.msg_type = kind.msg_type();
        self
    }
}

impl Flow {
    /// This flow in `format`, with options to add (see [`FlowDisplay`]).
    ///
    /// ```
    /// use netfilter_conntrack::{Flow, OutputFormat, Ports, Proto, Tuple};
    ///
    /// let flow = Flow::new(Tuple::new(
    ///     "10.0.0.1".parse().unwrap(),
    ///     "10.0.0.2".parse().unwrap(),
    ///     Proto::Udp(Ports { src: 5353, dst: 53 }),
    /// ));
    /// let text = flow.display(OutputFormat::Plain).layer3().to_string();
    /// assert!(text.starts_with("ipv4     2 udp      17 "), "{text}");
    /// ```
    pub fn display(&self, format: OutputFormat) -> FlowDisplay<'_> {
        FlowDisplay {
            flow: self,
            format,
            msg_type: 0,
            flags: 0,
            labels: None,
        }
    }

    /// This flow as XML (`conntrack -L -o xml`): `format!("{}", flow.xml())`.
    pub fn xml(&self) -> FlowDisplay<'_> {
        self.display(OutputFormat::Xml)
    }
}

impl LabelNames for LabelMap {
    fn name(&self, bit: u32) -> Option<&std::ffi::CStr> {
        self.0.name(bit)
    }
}

/// Prints `obj` with the library's printer and writes it to `f`.
pub(crate) fn write_object(
    f: &mut fmt::Formatter<'_>,
    obj: &Object,
    format: Format,
    opts: &Options<'_>,
) -> fmt::Result {
    let mut stack = [0u8; 1024];
    let Ok(n) = print::print(&mut stack, obj.view(), format, opts) else {
        // Nothing to print without protocol numbers, as the C library.
        return Ok(());
    };
    if n < stack.len() {
        return f.write_str(&String::from_utf8_lossy(&stack[..n]));
    }
    let mut heap = vec![0u8; n + 1];
    let n = print::print(&mut heap, obj.view(), format, opts).unwrap_or(0);
    f.write_str(&String::from_utf8_lossy(&heap[..n.min(heap.len())]))
}

impl fmt::Display for FlowDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opts = Options {
            msg_type: self.msg_type,
            flags: self.flags,
            labels: self.labels.map(|m| m as &dyn LabelNames),
            clock: &SystemClock,
        };
        let format = match self.format {
            OutputFormat::Plain => Format::Plain,
            OutputFormat::Xml => Format::Xml,
        };
        write_object(f, &self.flow.to_object(), format, &opts)
    }
}

impl fmt::Display for Flow {
    /// One line, as `conntrack -L` prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.display(OutputFormat::Plain), f)
    }
}
