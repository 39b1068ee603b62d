//! kubectl's command line as the simulator understands it: a verb, a resource, an
//! optional name, and the handful of flags `vmsdbg` and operators use, parsed the way
//! kubectl's flag library does (`-n NS`, `-nNS`, `--namespace=NS`, `-o json`, `-ojson`).

/// The resource kinds the simulator serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `svc`, `service`, `services`.
    Service,
    /// `cm`, `configmap`, `configmaps`.
    ConfigMap,
    /// `po`, `pod`, `pods`.
    Pod,
    /// `ns`, `namespace`, `namespaces`.
    Namespace,
    /// `pv`, `persistentvolume`, `persistentvolumes`.
    PersistentVolume,
    /// `pvc`, `persistentvolumeclaim`, `persistentvolumeclaims`.
    PersistentVolumeClaim,
}

impl Kind {
    /// Resolves a resource name or short name as kubectl does.
    pub fn parse(word: &str) -> Option<Kind> {
        let kind = match word.to_ascii_lowercase().as_str() {
            "svc" | "service" | "services" => Kind::Service,
            "cm" | "configmap" | "configmaps" => Kind::ConfigMap,
            "po" | "pod" | "pods" => Kind::Pod,
            "ns" | "namespace" | "namespaces" => Kind::Namespace,
            "pv" | "persistentvolume" | "persistentvolumes" => Kind::PersistentVolume,
            "pvc" | "persistentvolumeclaim" | "persistentvolumeclaims" => {
                Kind::PersistentVolumeClaim
            }
            _ => return None,
        };
        Some(kind)
    }

    /// The plural resource name used in API errors (`configmaps "x" not found`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Service => "services",
            Kind::ConfigMap => "configmaps",
            Kind::Pod => "pods",
            Kind::Namespace => "namespaces",
            Kind::PersistentVolume => "persistentvolumes",
            Kind::PersistentVolumeClaim => "persistentvolumeclaims",
        }
    }

    /// The singular lower-case name used by `-o name` (`service/acme-redis`).
    pub fn singular(self) -> &'static str {
        match self {
            Kind::Service => "service",
            Kind::ConfigMap => "configmap",
            Kind::Pod => "pod",
            Kind::Namespace => "namespace",
            Kind::PersistentVolume => "persistentvolume",
            Kind::PersistentVolumeClaim => "persistentvolumeclaim",
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::PersistentVolume)
    }
}

/// How to print the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// The default table.
    #[default]
    Table,
    /// `-o json`.
    Json,
    /// `-o name`.
    Name,
}

/// One parsed kubectl invocation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    /// The first positional word (`get`, `describe`).
    pub verb: Option<String>,
    /// Positional words after the verb.
    pub words: Vec<String>,
    /// `-n`/`--namespace`.
    pub namespace: Option<String>,
    /// `-A`/`--all-namespaces`.
    pub all_namespaces: bool,
    /// `-o`/`--output`, as given.
    pub output: Option<String>,
    /// `--no-headers`.
    pub no_headers: bool,
}

/// A flag kubectl would reject, with the message it prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagError(pub String);

/// Parses kubectl's arguments (without the program name).
pub fn parse(args: &[String]) -> Result<Request, FlagError> {
    let mut request = Request::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| {
            rest.next()
                .cloned()
                .ok_or_else(|| FlagError(format!("error: flag needs an argument: {flag}")))
        };
        match arg.as_str() {
            "-n" => request.namespace = Some(value("'n' in -n")?),
            "--namespace" => request.namespace = Some(value("--namespace")?),
            "-o" => request.output = Some(value("'o' in -o")?),
            "--output" => request.output = Some(value("--output")?),
            "-A" | "--all-namespaces" | "--all-namespaces=true" => request.all_namespaces = true,
            "--all-namespaces=false" => request.all_namespaces = false,
            "--no-headers" | "--no-headers=true" => request.no_headers = true,
            "--" => request.words.extend(rest.by_ref().cloned()),
            _ => parse_word(&mut request, arg)?,
        }
    }
    if let Some(verb) = (!request.words.is_empty()).then(|| request.words.remove(0)) {
        request.verb = Some(verb);
    }
    Ok(request)
}

/// A flag with an attached value, or a positional word.
fn parse_word(request: &mut Request, arg: &str) -> Result<(), FlagError> {
    if let Some(ns) = arg.strip_prefix("--namespace=") {
        request.namespace = Some(ns.to_string());
    } else if let Some(out) = arg.strip_prefix("--output=") {
        request.output = Some(out.to_string());
    } else if let Some(ns) = arg.strip_prefix("-n") {
        request.namespace = Some(ns.trim_start_matches('=').to_string());
    } else if let Some(out) = arg.strip_prefix("-o") {
        request.output = Some(out.trim_start_matches('=').to_string());
    } else if arg.starts_with("--") {
        let name = arg.split('=').next().unwrap_or(arg);
        return Err(FlagError(format!("error: unknown flag: {name}")));
    } else if let Some(short) = arg.strip_prefix('-').and_then(|s| s.chars().next()) {
        return Err(FlagError(format!(
            "error: unknown shorthand flag: '{short}' in {arg}"
        )));
    } else {
        request.words.push(arg.to_string());
    }
    Ok(())
}

/// Resolves `-o`: `Ok(None)` for no flag, an error message for a format kubectl knows
/// but the simulator does not print, or one it does not know at all.
pub fn format(output: Option<&str>) -> Result<Format, String> {
    match output {
        None | Some("wide") => Ok(Format::Table),
        Some("json") => Ok(Format::Json),
        Some("name") => Ok(Format::Name),
        Some(other) => Err(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", \
             allowed formats are: json,name,wide\n"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn flags_in_every_spelling() {
        let r = parse(&args("get svc -A -o json")).expect("parses");
        assert_eq!(r.verb.as_deref(), Some("get"));
        assert_eq!(r.words, ["svc"]);
        assert!(r.all_namespaces);
        assert_eq!(r.output.as_deref(), Some("json"));

        let r = parse(&args("-nacme describe --output=json configmap x")).expect("parses");
        assert_eq!(r.namespace.as_deref(), Some("acme"));
        assert_eq!(r.verb.as_deref(), Some("describe"));
        assert_eq!(r.words, ["configmap", "x"]);

        let r = parse(&args("get cm --namespace=globex -ojson")).expect("parses");
        assert_eq!(r.namespace.as_deref(), Some("globex"));
        assert_eq!(r.output.as_deref(), Some("json"));
    }

    #[test]
    fn bad_flags_are_refused_like_kubectl() {
        let err = parse(&args("get pods --bogus")).expect_err("refused");
        assert_eq!(err.0, "error: unknown flag: --bogus");
        let err = parse(&args("get pods -x")).expect_err("refused");
        assert_eq!(err.0, "error: unknown shorthand flag: 'x' in -x");
        let err = parse(&args("get pods -n")).expect_err("refused");
        assert!(err.0.contains("flag needs an argument"), "{}", err.0);
    }

    #[test]
    fn kinds_resolve_short_names() {
        assert_eq!(Kind::parse("svc"), Some(Kind::Service));
        assert_eq!(Kind::parse("ConfigMaps"), Some(Kind::ConfigMap));
        assert_eq!(Kind::parse("pvc"), Some(Kind::PersistentVolumeClaim));
        assert_eq!(Kind::parse("deployments"), None);
    }
}
