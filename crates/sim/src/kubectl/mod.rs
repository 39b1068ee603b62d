//! kubectl, rendered from a [`World`]: `get` and `describe` for the kinds a VMS
//! operator looks at, with the tables, `-o json` documents and error lines a real
//! kubectl prints. Pure functions from a world and an argv to an [`Output`], shared by
//! the SSH simulator and the CI's kubectl stand-in.

mod args;
mod describe;
mod objects;
mod pods;
mod tables;

use serde::Serialize;
use serde_json::{Value, json};

pub use args::Kind;
use args::{Format, Request};
use objects::Obj;

use crate::output::Output;
use crate::world::World;

/// What kubectl prints, on stderr with exit 1, when it has no kubeconfig: the usual
/// answer for a user other than root on a VMS.
pub const REFUSED: &str = "The connection to the server localhost:8080 was refused - \
                           did you specify the right host or port?\n";

/// Verbs kubectl has that the simulator does not answer with cluster data.
const OTHER_VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "attach",
    "auth",
    "cluster-info",
    "config",
    "cp",
    "create",
    "delete",
    "diff",
    "edit",
    "events",
    "exec",
    "explain",
    "expose",
    "label",
    "logs",
    "patch",
    "port-forward",
    "proxy",
    "rollout",
    "run",
    "scale",
    "set",
    "top",
    "version",
];

/// Runs `kubectl ARGS` (without the program name) against `world`.
pub fn run(world: &World, args: &[String]) -> Output {
    let request = match args::parse(args) {
        Ok(request) => request,
        Err(err) => {
            return Output::fail(1, format!("{}\nSee 'kubectl --help' for usage.\n", err.0));
        }
    };
    match request.verb.as_deref() {
        Some("get") => get(world, &request),
        Some("describe") => describe(world, &request),
        Some(verb) if OTHER_VERBS.contains(&verb) => Output::fail(
            1,
            format!("error: \"kubectl {verb}\" is not simulated by vmsdbg-sim\n"),
        ),
        Some(verb) => Output::fail(
            1,
            format!("error: unknown command \"{verb}\" for \"kubectl\"\n"),
        ),
        None => Output::ok(
            "kubectl controls the Kubernetes cluster manager.\n\n\
                            Usage:\n  kubectl [flags] [options]\n",
        ),
    }
}

/// The resource kind and the names a `get` or `describe` asks for.
fn target(request: &Request, verb: &str) -> Result<(Kind, Vec<String>), Output> {
    let Some(first) = request.words.first() else {
        return Err(Output::fail(1, missing_resource(verb)));
    };
    let (word, mut names) = match first.split_once('/') {
        Some((kind, name)) => (kind, vec![name.to_string()]),
        None => (first.as_str(), Vec::new()),
    };
    let Some(kind) = Kind::parse(word) else {
        let msg = format!("error: the server doesn't have a resource type \"{word}\"\n");
        return Err(Output::fail(1, msg));
    };
    names.extend(request.words[1..].iter().cloned());
    Ok((kind, names))
}

fn missing_resource(verb: &str) -> String {
    format!(
        "You must specify the type of resource to {verb}. Use \"kubectl api-resources\" for a \
         complete list of supported resources.\n\nerror: Required resource not specified.\n\
         Use \"kubectl explain <resource>\" for a detailed description of that resource \
         (e.g. kubectl explain pods).\nSee 'kubectl {verb} -h' for help and examples\n"
    )
}

/// The namespace a request is scoped to; `None` across all namespaces or cluster-wide.
fn scope(request: &Request, kind: Kind) -> Option<String> {
    if !kind.namespaced() || request.all_namespaces {
        return None;
    }
    Some(
        request
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string()),
    )
}

/// Objects of `kind` in scope, and the NotFound lines for names that are missing.
fn select<'w>(
    world: &'w World,
    kind: Kind,
    ns: Option<&str>,
    names: &[String],
) -> (Vec<Obj<'w>>, String) {
    let in_scope: Vec<Obj<'w>> = objects::list(world, kind)
        .into_iter()
        .filter(|obj| ns.is_none_or(|ns| obj.namespace() == ns))
        .collect();
    if names.is_empty() {
        return (in_scope, String::new());
    }
    let mut found = Vec::new();
    let mut errors = String::new();
    for name in names {
        match in_scope.iter().find(|obj| obj.name() == name) {
            Some(obj) => found.push(*obj),
            None => errors.push_str(&not_found(kind, name)),
        }
    }
    (found, errors)
}

/// The API server's NotFound line, as kubectl prints it.
pub fn not_found(kind: Kind, name: &str) -> String {
    format!(
        "Error from server (NotFound): {} \"{name}\" not found\n",
        kind.plural()
    )
}

fn get(world: &World, request: &Request) -> Output {
    let (kind, names) = match target(request, "get") {
        Ok(target) => target,
        Err(output) => return output,
    };
    let format = match args::format(request.output.as_deref()) {
        Ok(format) => format,
        Err(msg) => return Output::fail(1, msg),
    };
    if request.all_namespaces && !names.is_empty() && kind.namespaced() {
        let msg = "error: a resource cannot be retrieved by name across all namespaces\n";
        return Output::fail(1, msg);
    }

    let ns = scope(request, kind);
    let (found, errors) = select(world, kind, ns.as_deref(), &names);
    let mut out = Output::fail(if errors.is_empty() { 0 } else { 1 }, errors);
    if found.is_empty() {
        // An empty listing is an empty List in JSON, a note on stderr otherwise.
        match (names.is_empty(), format) {
            (true, Format::Json) => out.stdout = go_json(Some(list_json(&found))),
            (true, _) => out.stderr = no_resources(ns.as_deref()).into_bytes(),
            (false, _) => {}
        }
        return out;
    }
    out.stdout = match format {
        Format::Json if names.len() == 1 => go_json(found.first().copied().map(Obj::to_json)),
        Format::Json => go_json(Some(list_json(&found))),
        Format::Name => name_lines(kind, &found).into_bytes(),
        Format::Table => table(world, kind, &found, request).into_bytes(),
    };
    out
}

fn no_resources(ns: Option<&str>) -> String {
    match ns {
        Some(ns) => format!("No resources found in {ns} namespace.\n"),
        None => "No resources found\n".to_string(),
    }
}

fn list_json(found: &[Obj<'_>]) -> Value {
    let items: Vec<Value> = found.iter().copied().map(Obj::to_json).collect();
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

fn name_lines(kind: Kind, found: &[Obj<'_>]) -> String {
    found
        .iter()
        .map(|obj| format!("{}/{}\n", kind.singular(), obj.name()))
        .collect()
}

fn table(world: &World, kind: Kind, found: &[Obj<'_>], request: &Request) -> String {
    let with_ns = kind.namespaced() && request.all_namespaces;
    let now = world.now_unix();
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !request.no_headers {
        let mut header: Vec<String> = tables::headers(kind)
            .iter()
            .map(|h| h.to_string())
            .collect();
        if with_ns {
            header.insert(0, "NAMESPACE".to_string());
        }
        rows.push(header);
    }
    for obj in found {
        let mut row = tables::cells(obj, now);
        if with_ns {
            row.insert(0, obj.namespace().to_string());
        }
        rows.push(row);
    }
    tables::layout(&rows)
}

/// JSON as kubectl prints it: Go's `MarshalIndent` with four spaces, `<`, `>` and `&`
/// escaped as Go does, and a final newline. `None` prints nothing.
fn go_json(value: Option<Value>) -> Vec<u8> {
    let Some(value) = value else {
        return Vec::new();
    };
    let mut buf = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, formatter);
    // Writing a Value into memory cannot fail.
    if value.serialize(&mut ser).is_err() {
        return Vec::new();
    }
    let text = String::from_utf8_lossy(&buf)
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let mut bytes = text.into_bytes();
    bytes.push(b'\n');
    bytes
}

fn describe(world: &World, request: &Request) -> Output {
    let (kind, names) = match target(request, "describe") {
        Ok(target) => target,
        Err(output) => return output,
    };
    if kind != Kind::ConfigMap {
        let msg = format!(
            "error: describing {} is not simulated by vmsdbg-sim\n",
            kind.plural()
        );
        return Output::fail(1, msg);
    }
    let ns = scope(request, kind);
    let (found, errors) = select(world, kind, ns.as_deref(), &names);
    let mut out = Output::fail(if errors.is_empty() { 0 } else { 1 }, errors);
    if found.is_empty() && names.is_empty() {
        out.stderr = no_resources(ns.as_deref()).into_bytes();
        return out;
    }
    let texts: Vec<String> = found
        .iter()
        .filter_map(|obj| match obj {
            Obj::ConfigMap(cm) => Some(describe::configmap(cm)),
            _ => None,
        })
        .collect();
    out.stdout = texts.join("\n\n").into_bytes();
    out
}

#[cfg(test)]
mod tests;
