//! `sr validate`: events, one per line, checked against a schema file or a registry subject; a
//! filter on a produce path. Valid lines go to stdout (or their wire-format encoding), invalid
//! ones are reported on stderr as `line N: PATH: REASON` and copied to the dead-letter file.
//!
//! Exit codes: 0 every event valid, 1 some invalid, 2 unusable input (schema file, registry,
//! input or dead-letter file). A closed stdout ends the run quietly with 0, as `head` expects.
//! Memory stays flat whatever the input size: one line is held at a time.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::Arc;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use schema_registry::client::{ClientError, Deserializer, RegistryClient, SerdeError};
use schema_registry::format::avro::AvroSchema;
use schema_registry::format::ParsedSchema;
use schema_registry::types::{SchemaType, VersionSpec};
use schema_registry::validate::{EventValidator, Invalid, JsonEncoding, ProtobufValidator};
use schema_registry::wire;

/// How each input line is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    /// Plain JSON as people write it (Protobuf: the proto3 JSON mapping).
    Json,
    /// Avro's JSON encoding: non-null union values wrapped as `{"type": value}`.
    AvroJson,
    /// Base64 of a Confluent wire-format record; the schema is fetched by its id.
    WireBase64,
}

/// What valid events are written as instead of the line itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum EncodeAs {
    /// Base64 of the Confluent wire-format record under the subject's schema id.
    WireBase64,
}

/// What valid wire records are written as instead of the line itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DecodeAs {
    /// One JSON line per record: Avro as plain JSON (resolved to a reader schema if given),
    /// Protobuf in the proto3 JSON mapping. The inverse of `--encode wire-base64`.
    Json,
}

/// Arguments of `sr validate`.
#[derive(Debug, Clone, clap::Args)]
pub struct ValidateArgs {
    /// Schema file: `.avsc` (Avro), `.proto` (Protobuf) or `.json` (Avro or JSON Schema, by
    /// content).
    #[arg(long, value_name = "FILE")]
    pub schema: Option<PathBuf>,
    /// Protobuf message full name (default: the first message of the file or subject schema).
    #[arg(long, value_name = "FQN")]
    pub message: Option<String>,
    /// Protobuf import path for `--schema`, as `protoc -I`.
    #[arg(long, value_name = "DIR")]
    pub include: Vec<PathBuf>,
    /// Subject whose schema the events must fit.
    #[arg(long, value_name = "S")]
    pub subject: Option<String>,
    /// Version of the subject: a number or `latest`.
    #[arg(long, value_name = "V", default_value = "latest")]
    pub version: String,
    /// How events are written.
    #[arg(long, value_enum, default_value = "json")]
    pub encoding: Encoding,
    /// Input file, `-` for stdin.
    #[arg(long, value_name = "FILE|-", default_value = "-")]
    pub input: String,
    /// File that receives the invalid lines, unchanged and in order.
    #[arg(long, value_name = "FILE")]
    pub dead_letter: Option<PathBuf>,
    /// Write each valid event encoded instead of the line.
    #[arg(long, value_enum, conflicts_with = "decode")]
    pub encode: Option<EncodeAs>,
    /// With `--encoding wire-base64`: write each valid record decoded instead of the line (the
    /// consumer side). With `--subject S [--version V]` or `--reader-schema`, Avro records are
    /// resolved to that reader schema, as a consumer on that version reads them.
    #[arg(long, value_enum)]
    pub decode: Option<DecodeAs>,
    /// With `--decode json`: an Avro reader schema file to resolve every record to.
    #[arg(long, value_name = "FILE", requires = "decode")]
    pub reader_schema: Option<PathBuf>,
    /// With `--schema` and `--encode`: the schema id to write in the header (a registry gives it
    /// otherwise).
    #[arg(long, value_name = "ID")]
    pub schema_id: Option<u32>,
    /// Do not pass valid lines through to stdout.
    #[arg(long)]
    pub quiet: bool,
    /// Adds one check: an event field the schema does not have is invalid. Without it such
    /// fields are ignored, as Avro's and Protobuf's own JSON decoders ignore them. Everything
    /// else (types, ranges, enum symbols and Protobuf enum names, required fields) is checked
    /// either way.
    #[arg(long)]
    pub strict: bool,
    /// The registry of `--subject` and of wire records' schema ids, and its connection flags.
    #[command(flatten)]
    pub registry: crate::registry::RegistryArgs,
}

/// Lines longer than this are invalid events and are never held whole in memory, so memory
/// stays flat on any input (Kafka's default record limit is 1 MiB; 16 MiB is generous).
const MAX_LINE: u64 = 16 << 20;

/// Exit code of a run where every event was valid (and of a closed stdout).
const SUCCESS: u8 = 0;
/// Exit code when some event was invalid.
const FAILURE: u8 = 1;
/// Exit code for usage errors and unusable input.
const ERROR: u8 = 2;

/// Runs `sr validate`; returns the exit code.
pub fn run(args: &ValidateArgs) -> u8 {
    let mut session = match Session::open(args) {
        Ok(s) => s,
        Err(msg) => {
            eprintln!("sr validate: {msg}");
            return ERROR;
        }
    };
    session.process()
}

/// A compiled schema.
type Checker = EventValidator;

/// What became of one line.
enum Outcome {
    /// Valid: pass the line through.
    Pass,
    /// Valid: write the encoded record held in the session's buffer.
    Encoded,
    /// Valid: write the decoded JSON held in the session's buffer.
    Decoded,
    /// Invalid: report it.
    Invalid(Invalid),
}

struct Session<'a> {
    args: &'a ValidateArgs,
    json: JsonEncoding,
    /// The schema of `--schema` or of `--subject`.
    fixed: Option<Arc<Checker>>,
    /// The id written by `--encode`.
    encode_id: Option<u32>,
    registry: Option<Registry>,
    /// Wire records' schemas by id; failures are kept too, so an unknown id costs one request.
    by_id: HashMap<u32, Result<Arc<Checker>, String>>,
    encoded: Vec<u8>,
    /// The decoded bytes of a wire-base64 line.
    record: Vec<u8>,
    /// With `--decode` and a registry: decodes (and resolves) records by their schema id.
    decoder: Option<Deserializer>,
}

struct Registry {
    client: Arc<RegistryClient>,
    // One current-thread runtime: the CLI only waits on the registry when a new id appears.
    rt: tokio::runtime::Runtime,
}

impl Registry {
    fn connect(args: &crate::registry::RegistryArgs) -> Result<Self, String> {
        let client = Arc::new(args.client()?);
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the async runtime: {e}"))?;
        Ok(Registry { client, rt })
    }

    /// Fetches the references of a schema and compiles it; `Err` says whether the registry
    /// failed (transport, fatal) or the schema is unusable (a reason that belongs to the event).
    /// `message` picks a Protobuf message of the schema's own file (default: its first).
    fn compile(
        &self,
        schema_type: SchemaType,
        text: &str,
        references: &[schema_registry::types::SchemaReference],
        message: Option<&str>,
        strict: bool,
    ) -> Result<Checker, Fetch> {
        let deps = self
            .rt
            .block_on(self.client.dependencies(references))
            .map_err(Fetch::from)?;
        let parsed = ParsedSchema::parse(schema_type, text, &deps)
            .map_err(|e| Fetch::Unusable(format!("schema does not parse: {e}")))?;
        EventValidator::new(&parsed, message, strict).map_err(Fetch::Unusable)
    }
}

enum Fetch {
    /// The registry cannot be reached: the run cannot go on.
    Transport(String),
    /// The registry answered, but there is no usable schema.
    Unusable(String),
}

impl From<ClientError> for Fetch {
    fn from(e: ClientError) -> Self {
        match e {
            ClientError::Transport { .. } | ClientError::Denied { .. } => {
                Fetch::Transport(e.to_string())
            }
            other => Fetch::Unusable(other.to_string()),
        }
    }
}

impl Fetch {
    fn message(self) -> String {
        match self {
            Fetch::Transport(m) | Fetch::Unusable(m) => m,
        }
    }
}

fn load_file(args: &ValidateArgs, path: &std::path::Path) -> Result<Checker, String> {
    let is_proto = path.extension().is_some_and(|e| e == "proto");
    if is_proto {
        if !path.is_file() {
            return Err(format!(
                "cannot read schema file {}: no such file",
                path.display()
            ));
        }
        let v = ProtobufValidator::from_proto_file(path, &args.include, args.message.as_deref())
            .map_err(|e| format!("schema file {} does not compile: {e}", path.display()))?;
        return Ok(EventValidator::Protobuf(v.strict(args.strict)));
    }
    if args.message.is_some() {
        return Err(format!(
            "--message names a Protobuf message, but {} is not a .proto file",
            path.display()
        ));
    }
    let file = crate::schema_file::load(path, None, &args.include).map_err(|e| {
        if path.is_file() {
            // `e` starts with the path: "PATH: reason".
            let reason = e
                .strip_prefix(&format!("{}: ", path.display()))
                .unwrap_or(&e);
            format!("schema file {} does not parse: {reason}", path.display())
        } else {
            format!("cannot read schema file {}: no such file", path.display())
        }
    })?;
    EventValidator::new(&file.parsed, None, args.strict)
        .map_err(|e| format!("schema file {}: {e}", path.display()))
}

impl<'a> Session<'a> {
    fn open(args: &'a ValidateArgs) -> Result<Self, String> {
        let json = match args.encoding {
            Encoding::AvroJson => JsonEncoding::AvroJson,
            _ => JsonEncoding::Plain,
        };
        if args.encode.is_some() && args.encoding == Encoding::WireBase64 {
            return Err("--encode wire-base64 takes JSON input, not --encoding wire-base64".into());
        }
        if args.decode.is_some() && args.encoding != Encoding::WireBase64 {
            return Err("--decode json reads wire records: add --encoding wire-base64".into());
        }
        if args.reader_schema.is_some() && args.schema.is_some() {
            return Err("--reader-schema resolves records written under registry schemas; with --schema FILE the file is the writer schema of every record".into());
        }
        let registry = match &args.registry.registry {
            Some(_) if args.schema.is_none() || args.encoding == Encoding::WireBase64 => {
                Some(Registry::connect(&args.registry)?)
            }
            _ => None,
        };
        let mut fixed = None;
        let mut encode_id = args.schema_id;
        let mut reader: Option<AvroSchema> =
            match &args.reader_schema {
                Some(p) => {
                    let text = std::fs::read_to_string(p)
                        .map_err(|e| format!("cannot read reader schema {}: {e}", p.display()))?;
                    Some(AvroSchema::parse(&text, &[]).map_err(|e| {
                        format!("reader schema {} does not parse: {e}", p.display())
                    })?)
                }
                None => None,
            };
        if let Some(path) = &args.schema {
            fixed = Some(Arc::new(load_file(args, path)?));
        } else if let Some(reg) = &registry {
            if let Some(subject) = &args.subject {
                let version =
                    VersionSpec::parse(&args.version).map_err(|e| format!("--version: {e}"))?;
                let s = reg
                    .rt
                    .block_on(reg.client.subject_version(subject, version))
                    .map_err(|e| format!("cannot get subject {subject}: {e}"))?;
                if args.message.is_some() && s.schema_type != SchemaType::Protobuf {
                    return Err(format!(
                        "--message names a Protobuf message, but subject {subject} holds a {} schema",
                        s.schema_type.as_str()
                    ));
                }
                let checker = reg
                    .compile(
                        s.schema_type,
                        &s.schema,
                        &s.references,
                        args.message.as_deref(),
                        args.strict,
                    )
                    .map_err(|f| {
                        format!("subject {subject} version {}: {}", s.version, f.message())
                    })?;
                fixed = Some(Arc::new(checker));
                encode_id = Some(s.id);
                if args.decode.is_some() && reader.is_none() && s.schema_type == SchemaType::Avro {
                    let deps = reg
                        .rt
                        .block_on(reg.client.dependencies(&s.references))
                        .map_err(|e| format!("subject {subject}: {e}"))?;
                    reader =
                        Some(AvroSchema::parse(&s.schema, &deps).map_err(|e| {
                            format!("subject {subject} version {}: {e}", s.version)
                        })?);
                }
            } else if args.encoding != Encoding::WireBase64 {
                return Err(
                    "--registry needs --subject to know which schema events must fit".into(),
                );
            }
        } else {
            return Err(
                "give --schema FILE, or --registry URL (or SR_REGISTRY_URL) with --subject S"
                    .into(),
            );
        }
        if fixed.as_deref().is_some_and(|c| !c.is_avro()) && args.encoding == Encoding::AvroJson {
            return Err(
                "--encoding avro-json is for Avro schemas; Protobuf and JSON Schema events use json"
                    .into(),
            );
        }
        if args.encode.is_some() && encode_id.is_none() {
            return Err(
                "--encode wire-base64 needs the schema id: use --registry with --subject (or --schema-id with --schema)"
                    .into(),
            );
        }
        let decoder = match (&registry, args.decode) {
            (Some(reg), Some(_)) if args.schema.is_none() => {
                let de = Deserializer::new(reg.client.clone());
                Some(match reader {
                    Some(r) => de.reader_schema(r),
                    None => de,
                })
            }
            _ => None,
        };
        Ok(Session {
            args,
            json,
            fixed,
            encode_id,
            registry,
            by_id: HashMap::new(),
            encoded: Vec::with_capacity(1024),
            record: Vec::with_capacity(1024),
            decoder,
        })
    }

    fn process(&mut self) -> u8 {
        // Our own BufReader, also over stdin, because its buffer tells whether another whole
        // line is already here: see `run_lines`.
        let input: Input = if self.args.input == "-" {
            BufReader::with_capacity(1 << 16, Box::new(io::stdin()))
        } else {
            match File::open(&self.args.input) {
                Ok(f) => BufReader::with_capacity(1 << 16, Box::new(f)),
                Err(e) => {
                    eprintln!(
                        "sr validate: cannot read input file {}: {e}",
                        self.args.input
                    );
                    return ERROR;
                }
            }
        };
        let mut dead = match &self.args.dead_letter {
            Some(p) => match File::create(p) {
                Ok(f) => Some((p, BufWriter::with_capacity(1 << 16, f))),
                Err(e) => {
                    eprintln!(
                        "sr validate: cannot create dead-letter file {}: {e}",
                        p.display()
                    );
                    return ERROR;
                }
            },
            None => None,
        };
        let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
        let mut err = BufWriter::new(io::stderr().lock());
        let code = self.run_lines(input, &mut out, &mut err, &mut dead);
        // A closed stdout is the reader saying it has enough: not an error.
        let out_closed = match out.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => true,
            Err(e) => {
                let _ = writeln!(err, "sr validate: cannot write to stdout: {e}");
                let _ = err.flush();
                return ERROR;
            }
            Ok(()) => false,
        };
        if let Some((p, d)) = dead.as_mut() {
            if let Err(e) = d.flush() {
                let _ = writeln!(
                    err,
                    "sr validate: cannot write dead-letter file {}: {e}",
                    p.display()
                );
                let _ = err.flush();
                return ERROR;
            }
        }
        let _ = err.flush();
        match code {
            _ if out_closed => SUCCESS,
            Ok(c) | Err(c) => c,
        }
    }

    /// The line loop; `Err` carries an exit code that ends the run early.
    ///
    /// Output is flushed only when the input holds no further whole line, that is right before
    /// a read that may block: on a pipe every verdict goes out before `sr validate` waits for
    /// the next event, while on a file (or a busy pipe) the writers stay buffered.
    fn run_lines(
        &mut self,
        mut input: Input,
        out: &mut BufWriter<io::StdoutLock<'static>>,
        err: &mut BufWriter<io::StderrLock<'static>>,
        dead: &mut Option<(&PathBuf, BufWriter<File>)>,
    ) -> Result<u8, u8> {
        let mut line = Vec::with_capacity(4096);
        let mut text = String::with_capacity(1024);
        let (mut n, mut valid, mut invalid, mut blank) = (0u64, 0u64, 0u64, 0u64);
        loop {
            line.clear();
            if !input.buffer().contains(&b'\n') {
                flush_all(out, err, dead)?;
            }
            match Read::take(&mut input, MAX_LINE).read_until(b'\n', &mut line) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    let _ = writeln!(err, "sr validate: cannot read {}: {e}", self.args.input);
                    return Err(ERROR);
                }
            }
            n += 1;
            if line.len() as u64 == MAX_LINE && !line.ends_with(b"\n") {
                invalid += 1;
                let _ = writeln!(
                    err,
                    "line {n}: $: line is longer than {} MiB, too long to be an event",
                    MAX_LINE >> 20
                );
                if let Err(e) = self.skip_long_line(&mut input, &mut line, dead) {
                    let _ = writeln!(err, "sr validate: {e}");
                    return Err(ERROR);
                }
                line.shrink_to(1 << 16);
                continue;
            }
            let body = strip_newline(&line);
            // A blank line is no event: an editor's trailing newline, a separator.
            if body.trim_ascii().is_empty() {
                blank += 1;
                continue;
            }
            let outcome = match self.check(body) {
                Ok(o) => o,
                Err(msg) => {
                    let _ = writeln!(err, "sr validate: line {n}: {msg}");
                    let _ = writeln!(err, "{}", summary(valid, invalid, blank));
                    return Err(ERROR);
                }
            };
            let written = match outcome {
                Outcome::Pass => {
                    valid += 1;
                    if self.args.quiet {
                        Ok(())
                    } else {
                        out.write_all(body).and_then(|()| out.write_all(b"\n"))
                    }
                }
                Outcome::Decoded => {
                    valid += 1;
                    if self.args.quiet {
                        Ok(())
                    } else {
                        self.encoded.push(b'\n');
                        out.write_all(&self.encoded)
                    }
                }
                Outcome::Encoded => {
                    valid += 1;
                    if self.args.quiet {
                        Ok(())
                    } else {
                        text.clear();
                        STANDARD.encode_string(&self.encoded, &mut text);
                        text.push('\n');
                        out.write_all(text.as_bytes())
                    }
                }
                Outcome::Invalid(inv) => {
                    invalid += 1;
                    let _ = writeln!(err, "line {n}: {}: {}", inv.path, inv.reason);
                    if let Some((p, d)) = dead.as_mut() {
                        if let Err(e) = d.write_all(body).and_then(|()| d.write_all(b"\n")) {
                            let _ = writeln!(
                                err,
                                "sr validate: cannot write dead-letter file {}: {e}",
                                p.display()
                            );
                            return Err(ERROR);
                        }
                    }
                    Ok(())
                }
            };
            if let Err(e) = written {
                if e.kind() == io::ErrorKind::BrokenPipe {
                    return Err(SUCCESS);
                }
                let _ = writeln!(err, "sr validate: cannot write to stdout: {e}");
                return Err(ERROR);
            }
        }
        let _ = writeln!(err, "{}", summary(valid, invalid, blank));
        Ok(if invalid > 0 { FAILURE } else { SUCCESS })
    }

    /// Reads the rest of an over-long line without holding it, copying it to the dead-letter
    /// file as it goes, so that the file still gets the line unchanged.
    fn skip_long_line(
        &self,
        input: &mut Input,
        line: &mut Vec<u8>,
        dead: &mut Option<(&PathBuf, BufWriter<File>)>,
    ) -> Result<(), String> {
        let dead_err = |p: &PathBuf, e: io::Error| {
            format!("cannot write dead-letter file {}: {e}", p.display())
        };
        loop {
            if let Some((p, d)) = dead.as_mut() {
                d.write_all(line).map_err(|e| dead_err(p, e))?;
            }
            if line.ends_with(b"\n") {
                return Ok(());
            }
            line.clear();
            let got = Read::take(&mut *input, MAX_LINE)
                .read_until(b'\n', line)
                .map_err(|e| format!("cannot read {}: {e}", self.args.input))?;
            if got == 0 {
                // The input ended inside the line; the dead-letter file still gets whole lines.
                if let Some((p, d)) = dead.as_mut() {
                    d.write_all(b"\n").map_err(|e| dead_err(p, e))?;
                }
                return Ok(());
            }
        }
    }

    /// Checks one line; `Err` is a failure that ends the run (the registry went away).
    fn check(&mut self, body: &[u8]) -> Result<Outcome, String> {
        if self.args.encoding == Encoding::WireBase64 {
            return self.check_wire(body);
        }
        let Ok(line) = std::str::from_utf8(body) else {
            return Ok(Outcome::Invalid(Invalid::root("not UTF-8 text")));
        };
        let Some(checker) = self.fixed.as_deref() else {
            return Err("no schema to check JSON events against".into());
        };
        let encode = self.args.encode.is_some();
        let result = if encode {
            self.encoded.clear();
            let id = self.encode_id.unwrap_or(0);
            checker.encode_line(line, self.json, id, &mut self.encoded)
        } else {
            checker.validate_line(line, self.json)
        };
        Ok(match result {
            Ok(()) if encode => Outcome::Encoded,
            Ok(()) => Outcome::Pass,
            Err(inv) => Outcome::Invalid(inv),
        })
    }

    fn check_wire(&mut self, body: &[u8]) -> Result<Outcome, String> {
        let trimmed = body.trim_ascii();
        let mut record = std::mem::take(&mut self.record);
        record.clear();
        let decoded = STANDARD.decode_vec(trimmed, &mut record).or_else(|_| {
            record.clear();
            STANDARD_NO_PAD.decode_vec(trimmed, &mut record)
        });
        let outcome = match decoded {
            Ok(()) => self.check_record(&record),
            Err(e) => Ok(Outcome::Invalid(Invalid::root(format!("not base64: {e}")))),
        };
        // The buffer goes back for the next line: one allocation for the whole run.
        self.record = record;
        outcome
    }

    fn check_record(&mut self, record: &[u8]) -> Result<Outcome, String> {
        if let (Some(de), Some(reg)) = (&self.decoder, &self.registry) {
            return match reg.rt.block_on(de.deserialize(record)) {
                Ok(value) => {
                    self.encoded.clear();
                    serde_json::to_writer(&mut self.encoded, &value)
                        .map_err(|e| format!("cannot write JSON: {e}"))?;
                    Ok(Outcome::Decoded)
                }
                Err(SerdeError::Client(
                    e @ (ClientError::Transport { .. } | ClientError::Denied { .. }),
                )) => Err(e.to_string()),
                Err(SerdeError::Invalid(inv)) => Ok(Outcome::Invalid(inv)),
                Err(e) => Ok(Outcome::Invalid(Invalid::root(e.to_string()))),
            };
        }
        let (id, rest) = match wire::decode_header(record) {
            Ok(x) => x,
            Err(e) => return Ok(Outcome::Invalid(Invalid::root(e.to_string()))),
        };
        let checker = match &self.fixed {
            // A schema file stands for whatever id the record carries.
            Some(c) if self.args.schema.is_some() => c.clone(),
            _ => match self.schema_for_id(id)? {
                Ok(c) => c,
                Err(reason) => return Ok(Outcome::Invalid(Invalid::root(reason))),
            },
        };
        if self.args.decode.is_some() {
            return Ok(match checker.decode_payload(rest) {
                Ok(value) => {
                    self.encoded.clear();
                    serde_json::to_writer(&mut self.encoded, &value)
                        .map_err(|e| format!("cannot write JSON: {e}"))?;
                    Outcome::Decoded
                }
                Err(inv) => Outcome::Invalid(inv),
            });
        }
        let result = checker.validate_payload(rest);
        Ok(match result {
            Ok(()) => Outcome::Pass,
            Err(inv) => Outcome::Invalid(inv),
        })
    }

    /// The compiled schema of a wire record's id: `Ok(Err(reason))` makes the event invalid,
    /// `Err` ends the run.
    fn schema_for_id(&mut self, id: u32) -> Result<Result<Arc<Checker>, String>, String> {
        if let Some(r) = self.by_id.get(&id) {
            return Ok(r.clone());
        }
        let Some(reg) = &self.registry else {
            return Err("wire-base64 events need --registry URL (or SR_REGISTRY_URL) to fetch their schemas".into());
        };
        let fetched = reg
            .rt
            .block_on(reg.client.schema_by_id(id))
            .map_err(Fetch::from)
            // Each record names its own message by its index list; the first is only a start.
            .and_then(|s| {
                reg.compile(
                    s.schema_type,
                    &s.schema,
                    &s.references,
                    None,
                    self.args.strict,
                )
            });
        let r = match fetched {
            Ok(c) => Ok(Arc::new(c)),
            Err(Fetch::Transport(m)) => return Err(m),
            Err(Fetch::Unusable(m)) => Err(format!("schema id {id}: {m}")),
        };
        self.by_id.insert(id, r.clone());
        Ok(r)
    }
}

/// The input: a file or stdin behind one buffer whose contents can be inspected.
type Input = BufReader<Box<dyn Read>>;

/// The closing line on stderr; blank lines skipped are counted only when there were some.
fn summary(valid: u64, invalid: u64, blank: u64) -> String {
    match blank {
        0 => format!("{valid} valid, {invalid} invalid"),
        1 => format!("{valid} valid, {invalid} invalid, 1 blank line skipped"),
        b => format!("{valid} valid, {invalid} invalid, {b} blank lines skipped"),
    }
}

/// Sends every verdict so far on its way: stdout, the dead-letter file, stderr. `Err` is the
/// exit code: a closed stdout ends the run as a success, any other write error as an error.
fn flush_all(
    out: &mut BufWriter<io::StdoutLock<'static>>,
    err: &mut BufWriter<io::StderrLock<'static>>,
    dead: &mut Option<(&PathBuf, BufWriter<File>)>,
) -> Result<(), u8> {
    if let Err(e) = out.flush() {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Err(SUCCESS);
        }
        let _ = writeln!(err, "sr validate: cannot write to stdout: {e}");
        return Err(ERROR);
    }
    if let Some((p, d)) = dead.as_mut() {
        if let Err(e) = d.flush() {
            let _ = writeln!(
                err,
                "sr validate: cannot write dead-letter file {}: {e}",
                p.display()
            );
            return Err(ERROR);
        }
    }
    let _ = err.flush();
    Ok(())
}

fn strip_newline(line: &[u8]) -> &[u8] {
    let l = line.strip_suffix(b"\n").unwrap_or(line);
    l.strip_suffix(b"\r").unwrap_or(l)
}
