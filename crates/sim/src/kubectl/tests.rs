//! Renderer tests on the built-in world at a fixed instant.

use super::*;

const NOW: i64 = 1_750_000_000;

fn world() -> World {
    let mut world = World::builtin_at(NOW);
    world.now = Some(crate::clock::format_rfc3339(NOW));
    world
}

fn kubectl(line: &str) -> Output {
    let args: Vec<String> = line.split_whitespace().map(String::from).collect();
    run(&world(), &args)
}

fn json_of(out: &Output) -> Value {
    assert_eq!(out.code, 0, "stderr: {}", out.stderr_text());
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn svc_json_lists_every_service_with_api_fields() {
    let list = json_of(&kubectl("get svc -A -o json"));
    assert_eq!(list["kind"], "List");
    let items = list["items"].as_array().expect("items");
    assert_eq!(items.len(), world().services.len());
    let lb = items
        .iter()
        .find(|i| i["metadata"]["name"] == "globex-redis")
        .expect("globex-redis");
    assert_eq!(lb["spec"]["type"], "LoadBalancer");
    assert_eq!(lb["spec"]["clusterIP"], "127.10.0.12");
    assert_eq!(lb["spec"]["ports"][0]["port"], 6379);
    assert_eq!(
        lb["status"]["loadBalancer"]["ingress"][0]["ip"],
        "203.0.113.12"
    );
    let uid = lb["metadata"]["uid"].as_str().expect("uid");
    assert_eq!(uid.len(), 36);
}

#[test]
fn json_is_indented_with_four_spaces_and_sorted() {
    let out = kubectl("get ns -o json");
    let text = out.stdout_text();
    assert!(
        text.starts_with("{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n"),
        "{text}"
    );
    assert!(text.ends_with("}\n"));
}

#[test]
fn svc_table_shows_none_pending_and_node_ports() {
    let out = kubectl("get svc -A");
    let text = out.stdout_text();
    let header = text.lines().next().expect("header");
    assert!(header.starts_with("NAMESPACE           NAME "), "{header}");
    let age_at = header.find("AGE").expect("AGE column");
    assert!(
        text.lines()
            .all(|l| l.len() > age_at && l.as_bytes()[age_at - 1] == b' ')
    );
    let words: Vec<&str> = header.split_whitespace().collect();
    let want = [
        "NAMESPACE",
        "NAME",
        "TYPE",
        "CLUSTER-IP",
        "EXTERNAL-IP",
        "PORT(S)",
        "AGE",
    ];
    assert_eq!(words, want);
    let row = |name: &str| {
        let line = text
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(name));
        line.expect(name)
            .split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    assert_eq!(row("initech-redis")[4], "<pending>");
    assert_eq!(row("acme-redis")[4], "<none>");
    assert_eq!(row("acme-web")[5], "80:31234/TCP,443:31443/TCP");
    assert_eq!(row("umbrella-redis-headless")[3], "None");
    assert_eq!(row("acme-redis")[6], "412d");
}

#[test]
fn namespace_scope_drops_the_namespace_column() {
    let out = kubectl("get pods -n globex");
    let text = out.stdout_text();
    assert!(text.starts_with("NAME "), "{text}");
    assert!(text.contains("CrashLoopBackOff"));
    assert!(text.lines().skip(1).all(|l| l.starts_with("globex-")));
}

#[test]
fn empty_namespace_says_no_resources() {
    let out = kubectl("get pods -n kube-public");
    assert_eq!(out.code, 0);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr_text(),
        "No resources found in kube-public namespace.\n"
    );
    let list = json_of(&kubectl("get pods -n kube-public -o json"));
    assert_eq!(list["items"].as_array().map(Vec::len), Some(0));
}

#[test]
fn single_configmap_json_is_the_object() {
    let cm = json_of(&kubectl("get configmap acme-config -n acme -o json"));
    assert_eq!(cm["kind"], "ConfigMap");
    let config = cm["data"]["config"].as_str().expect("config");
    let parsed: Value = serde_json::from_str(config).expect("config is JSON");
    assert_eq!(parsed["redis"]["port"], 6379);
    let binary = json_of(&kubectl("get cm pied-piper-config -n pied-piper -o json"));
    assert!(binary["binaryData"]["logo.png"].is_string());
}

#[test]
fn not_found_and_unknown_errors_match_kubectl() {
    let out = kubectl("get configmap nope -n acme -o json");
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr_text(),
        "Error from server (NotFound): configmaps \"nope\" not found\n"
    );
    let out = kubectl("describe configmap nope -n acme");
    assert_eq!(
        out.stderr_text(),
        "Error from server (NotFound): configmaps \"nope\" not found\n"
    );
    let out = kubectl("get widgets");
    assert_eq!(
        out.stderr_text(),
        "error: the server doesn't have a resource type \"widgets\"\n"
    );
    let out = kubectl("frobnicate pods");
    assert_eq!(
        out.stderr_text(),
        "error: unknown command \"frobnicate\" for \"kubectl\"\n"
    );
    assert_eq!(out.code, 1);
    let out = kubectl("get svc acme-redis -A");
    assert!(
        out.stderr_text()
            .contains("cannot be retrieved by name across all namespaces")
    );
}

#[test]
fn describe_configmap_prints_data_verbatim() {
    let out = kubectl("describe configmap initech-config -n initech");
    let text = out.stdout_text();
    assert!(
        text.starts_with("Name:         initech-config\nNamespace:    initech\n"),
        "{text}"
    );
    assert!(
        text.contains("\nData\n====\nconfig:\n----\n# legacy settings\n"),
        "{text}"
    );
    assert!(
        text.ends_with("\nBinaryData\n====\n\nEvents:  <none>\n"),
        "{text}"
    );
}

#[test]
fn configmap_table_counts_data_and_binary_entries() {
    let out = kubectl("get configmaps -n hooli");
    let want = "NAME               DATA   AGE\nhooli-config       2      240d\n\
                kube-root-ca.crt   1      240d\n";
    assert_eq!(out.stdout_text(), want);
}

#[test]
fn volumes_tables_and_name_output() {
    let out = kubectl("get pv");
    let text = out.stdout_text();
    assert!(text.starts_with("NAME "), "{text}");
    assert!(text.contains("ACCESS MODES   RECLAIM POLICY"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("backup-nfs") && l.contains("RWX"))
    );
    let out = kubectl("get pvc -A");
    let pending = out.stdout_text();
    let line = pending
        .lines()
        .find(|l| l.contains("spool"))
        .expect("spool");
    assert_eq!(line.split_whitespace().nth(2), Some("Pending"));
    let out = kubectl("get ns -o name");
    assert!(
        out.stdout_text()
            .lines()
            .any(|l| l == "namespace/kube-system")
    );
}

#[test]
fn unsupported_output_format_is_refused() {
    let out = kubectl("get pods -A -o yaml");
    assert_eq!(out.code, 1);
    assert!(
        out.stderr_text().contains("unable to match a printer"),
        "{}",
        out.stderr_text()
    );
}
