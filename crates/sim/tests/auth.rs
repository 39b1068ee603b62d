//! Logging in to the simulated host: password, public key, keyboard-interactive.

mod common;

use russh::client::KeyboardInteractiveAuthResponse;
use vmsdbg_sim::{DEMO_PASSWORD, SimConfig, SimHost, SimUser, SudoPolicy};

#[tokio::test]
async fn password_right_and_wrong() {
    let host = common::demo_host().await;
    let (mut ssh, _) = common::connect(&host).await;
    assert!(
        !ssh.authenticate_password("admin", "wrong")
            .await
            .expect("runs")
            .success()
    );
    assert!(
        ssh.authenticate_password("admin", DEMO_PASSWORD)
            .await
            .expect("runs")
            .success()
    );
    let (mut other, _) = common::connect(&host).await;
    assert!(
        !other
            .authenticate_password("nobody", DEMO_PASSWORD)
            .await
            .expect("runs")
            .success()
    );
}

#[tokio::test]
async fn public_key_only_if_authorized() {
    let key = vmsdbg_sim::server::generate_host_key();
    let stranger = vmsdbg_sim::server::generate_host_key();
    let mut config = SimConfig::demo();
    config.users.push(SimUser {
        name: "deploy".into(),
        authorized_keys: vec![key.public_key().clone()],
        sudo: SudoPolicy::NoPasswd,
        ..SimUser::default()
    });
    let host = SimHost::start(config).await.expect("starts");
    assert!(common::login_key(&host, "deploy", &key).await);
    assert!(!common::login_key(&host, "deploy", &stranger).await);
    assert!(!common::login_key(&host, "admin", &key).await);
}

#[tokio::test]
async fn keyboard_interactive_asks_one_hidden_password() {
    let host = common::demo_host().await;
    let (mut ssh, _) = common::connect(&host).await;
    let start = ssh
        .authenticate_keyboard_interactive_start("admin", None)
        .await
        .expect("runs");
    let KeyboardInteractiveAuthResponse::InfoRequest { prompts, .. } = start else {
        panic!("expected a prompt, got {start:?}");
    };
    assert_eq!(prompts.len(), 1);
    assert!(!prompts[0].echo);
    let done = ssh
        .authenticate_keyboard_interactive_respond(vec![DEMO_PASSWORD.into()])
        .await
        .expect("runs");
    assert!(
        matches!(done, KeyboardInteractiveAuthResponse::Success),
        "{done:?}"
    );

    let (mut ops, _) = common::connect(&host).await;
    let start = ops
        .authenticate_keyboard_interactive_start("ops", None)
        .await
        .expect("runs");
    assert!(
        matches!(start, KeyboardInteractiveAuthResponse::Failure { .. }),
        "ops has no kbd-interactive"
    );
}

#[tokio::test]
async fn per_user_worlds_stay_apart() {
    let mut config = SimConfig::demo();
    let now = 1_750_000_000;
    for user in &mut config.users {
        if user.name == "ops" {
            user.world = Some(vmsdbg_sim::World::builtin_variant(1, now));
        }
    }
    let host = SimHost::start(config).await.expect("starts");
    let ops = common::login(&host, "ops").await;
    let root = common::login(&host, "root").await;
    let ns = |r: common::Run| r.out();
    let ops_ns = ns(common::run(&ops, "sudo -n kubectl get ns -o name").await);
    let root_ns = ns(common::run(&root, "kubectl get ns -o name").await);
    assert!(ops_ns.contains("namespace/zenith") && !ops_ns.contains("namespace/acme"));
    assert!(root_ns.contains("namespace/acme") && !root_ns.contains("namespace/zenith"));
}
